// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"
#include "chatserver.h"
#include "filetransfers.h"
#include "waituntil.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>

namespace FilesTest {

inline ServerConfig serverConfig(bool baseOnly = false)
{
    ServerConfig c;
    c.host = QStringLiteral("127.0.0.1");
    c.port = 0;
    c.heartbeatMs = 0;
    c.baseOnly = baseOnly;
    c.maxMessageBytes = 1024 * 1024;
    return c;
}

inline std::unique_ptr<ChatServer> startServer(const ServerConfig &config)
{
    QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
    auto server = std::make_unique<ChatServer>(config);
    if (!server->listen())
        qFatal("cannot listen: %s", qPrintable(server->errorString()));
    return server;
}

inline ChatClient::Settings clientSettings(const QTemporaryDir &dir, const QString &name)
{
    ChatClient::Settings s;
    s.initialDelayMs = 50;
    s.maxDelayMs = 200;
    s.jitter = 0;
    s.connectTimeoutMs = 5000;
    s.pingIntervalMs = 200;
    s.pongTimeoutMs = 15000;
    s.outboxPath = dir.filePath(QStringLiteral("outbox-%1.json").arg(name));
    s.outboxSaveDelayMs = 50;
    s.wakeCheckIntervalMs = 0;
    s.watchNetwork = false;
    return s;
}

// Random but reproducible content, written in blocks so large files need little memory.
inline bool writeRandomFile(const QString &path, qint64 size, quint32 seed)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QRandomGenerator gen(seed);
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    for (qint64 left = size; left > 0;) {
        const qint64 n = std::min<qint64>(left, block.size());
        gen.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        if (f.write(block.constData(), n) != n)
            return false;
        left -= n;
    }
    return true;
}

inline bool sameContent(const QString &a, const QString &b)
{
    QFile fa(a), fb(b);
    if (!fa.open(QIODevice::ReadOnly) || !fb.open(QIODevice::ReadOnly) || fa.size() != fb.size())
        return false;
    while (!fa.atEnd()) {
        if (fa.read(1024 * 1024) != fb.read(1024 * 1024))
            return false;
    }
    return true;
}

// Every file in `dir`, hidden ones (partial downloads) included.
inline QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

//! One user: a ChatClient with its FileTransfers, downloads going to its own folder.
struct Peer
{
    Peer(const QTemporaryDir &dir, const QString &name, FileTransfers::Settings files = {})
        : name(name)
        , downloads(dir.filePath(QStringLiteral("downloads-%1").arg(name)))
    {
        if (files.partialDir.isEmpty())
            files.partialDir = dir.filePath(QStringLiteral("partial-%1").arg(name));
        client = std::make_unique<ChatClient>(clientSettings(dir, name));
        transfers = std::make_unique<FileTransfers>(client->channel(), files);
        transfers->setDownloadDir(downloads);
    }

    bool login(const QUrl &url, const QString &room = QStringLiteral("general"))
    {
        QSignalSpy restored(client.get(), &ChatClient::sessionRestored);
        client->connectToServer(url, name, room);
        return restored.wait(10000);
    }

    TransferInfo info(const QString &id) const { return transfers->transfer(id); }
    // The newest download, or an empty TransferInfo.
    TransferInfo lastDownload() const
    {
        const QList<TransferInfo> all = transfers->transfers();
        for (auto it = all.crbegin(); it != all.crend(); ++it) {
            if (it->direction == TransferInfo::Direction::Download)
                return *it;
        }
        return {};
    }
    int downloadCount() const
    {
        int n = 0;
        for (const TransferInfo &t : transfers->transfers())
            n += t.direction == TransferInfo::Direction::Download ? 1 : 0;
        return n;
    }
    bool waitForState(const QString &id, TransferInfo::State state, int timeoutMs = 20000) const
    {
        return waitUntil([&] { return info(id).state == state; }, timeoutMs);
    }

    QString name;
    QString downloads;
    // Declared last so the transfers go before the client they watch.
    std::unique_ptr<ChatClient> client;
    std::unique_ptr<FileTransfers> transfers;
};

} // namespace FilesTest

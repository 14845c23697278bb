// SPDX-License-Identifier: GPL-3.0-or-later
#include "testpeer.h"

#include "clientfixture.h"
#include "waituntil.h"

#include <QTemporaryDir>

TestPeer::TestPeer(const QTemporaryDir &dir, const QString &name, FileTransfers::Settings files)
    : name(name)
    , downloads(dir.filePath(QStringLiteral("downloads-%1").arg(name)))
{
    if (files.partialDir.isEmpty())
        files.partialDir = dir.filePath(QStringLiteral("partial-%1").arg(name));
    client = std::make_unique<ChatClient>(fastClientSettings(dir, name));
    transfers = std::make_unique<FileTransfers>(client->channel(), files);
    transfers->setDownloadDir(downloads);
}

TestPeer::~TestPeer()
{
    transfers.reset(); // it refers to the client
}

bool TestPeer::login(const QUrl &url, const QString &room)
{
    return connectAndJoin(*client, url, name, room);
}

TransferInfo TestPeer::lastDownload() const
{
    const QList<TransferInfo> all = transfers->transfers();
    for (auto it = all.crbegin(); it != all.crend(); ++it) {
        if (it->direction == TransferInfo::Direction::Download)
            return *it;
    }
    return {};
}

TransferInfo TestPeer::completedDownload(int index) const
{
    QList<TransferInfo> done;
    for (const TransferInfo &t : transfers->transfers()) {
        if (t.direction == TransferInfo::Direction::Download && t.state == TransferInfo::State::Completed)
            done.append(t);
    }
    if (done.isEmpty())
        return {};
    return index < 0 ? done.last() : done.value(index);
}

int TestPeer::downloadCount() const
{
    int n = 0;
    for (const TransferInfo &t : transfers->transfers())
        n += t.direction == TransferInfo::Direction::Download ? 1 : 0;
    return n;
}

bool TestPeer::waitForState(const QString &id, TransferInfo::State state, int timeoutMs) const
{
    return waitUntil([&] { return info(id).state == state; }, timeoutMs);
}

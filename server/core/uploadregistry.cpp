// SPDX-License-Identifier: GPL-3.0-or-later
#include "uploadregistry.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

UploadRegistry::UploadRegistry(const Upload::Settings &settings, int resumeKeepMs, int maxHeld,
                               QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_resumeKeepMs(resumeKeepMs)
    , m_maxHeld(qMax(0, maxHeld))
{}

QByteArray UploadRegistry::key(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

QString UploadRegistry::newToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex());
}

Upload *UploadRegistry::findByToken(const QString &token) const
{
    if (token.isEmpty())
        return nullptr;
    return m_byToken.value(key(token));
}

Upload *UploadRegistry::findByStream(quint32 stream) const
{
    return m_byStream.value(stream);
}

Upload *UploadRegistry::create(const Protocol::FileStart &start, const QString &username, const QString &room)
{
    // One number per upload serves every receiver: it is then unique on each connection too,
    // and each relayed chunk is framed once for all of them.
    // Only an upload that can be resumed needs a token; a base client's has none.
    const QString token = start.transferId.isEmpty() || !m_settings.extensions ? QString() : newToken();
    auto *upload = new Upload(start, username, room, m_nextStream++, token, m_settings, this);
    if (m_nextStream == 0)
        m_nextStream = 1;
    m_uploads.append(upload);
    m_byStream.insert(upload->stream(), upload);
    if (!token.isEmpty())
        m_byToken.insert(key(token), upload);
    connect(upload, &Upload::expired, this,
            [this](Upload *u) { discard(u, QStringLiteral("the sender did not come back in time")); });
    return upload;
}

Upload *UploadRegistry::createRelay(const Protocol::FileStart &start, const QString &username,
                                    const QString &room)
{
    auto *upload = new Upload(start, username, room, m_nextStream++, {}, m_settings, this, true);
    if (m_nextStream == 0)
        m_nextStream = 1;
    m_uploads.append(upload);
    m_byStream.insert(upload->stream(), upload);
    connect(upload, &Upload::expired, this,
            [this](Upload *u) { discard(u, QStringLiteral("the sender's server stopped sending it")); });
    return upload;
}

int UploadRegistry::heldBackCount() const
{
    int n = 0;
    for (const Upload *u : m_uploads) {
        if (!u->isRelay() && u->isHeldBack())
            ++n;
    }
    return n;
}

void UploadRegistry::senderGone(Upload *upload)
{
    if (!upload)
        return;
    if (upload->transferId().isEmpty() || !m_settings.extensions) {
        discard(upload, QStringLiteral("sender disconnected"));
        return;
    }
    upload->detach(true);
    upload->startExpiry(m_resumeKeepMs);
    // Reconnecting and starting uploads again and again must not pile up state: forget the oldest.
    QList<Upload *> held;
    for (Upload *u : std::as_const(m_uploads)) {
        if (!u->sender() && !u->isRelay())
            held.append(u);
    }
    for (qsizetype i = 0; i < held.size() - m_maxHeld; ++i)
        discard(held.at(i), QStringLiteral("too many interrupted uploads on the server"));
}

void UploadRegistry::discard(Upload *upload, const QString &reason)
{
    if (!upload || !m_uploads.removeOne(upload))
        return;
    m_byStream.remove(upload->stream());
    if (!upload->resumeToken().isEmpty())
        m_byToken.remove(key(upload->resumeToken()));
    upload->end(reason);
    upload->deleteLater();
}

void UploadRegistry::noteCompleted(const Upload *upload)
{
    if (!upload || upload->resumeToken().isEmpty())
        return;
    const QByteArray k = key(upload->resumeToken());
    if (!m_completed.contains(k))
        m_completedOrder.push_back(k);
    m_completed.insert(k, {upload->transferId(), upload->fileName(), upload->fileSize()});
    while (m_completedOrder.size() > size_t(MaxCompleted)) {
        m_completed.remove(m_completedOrder.front());
        m_completedOrder.pop_front();
    }
}

bool UploadRegistry::isCompleted(const Protocol::FileStart &start) const
{
    if (start.resumeToken.isEmpty() || start.transferId.isEmpty())
        return false;
    const auto it = m_completed.constFind(key(start.resumeToken));
    return it != m_completed.cend() && it->transferId == start.transferId && it->name == start.name &&
           it->size == start.size;
}

void UploadRegistry::dropReceiver(ServerSession *session, const QString &room, const QString &reason)
{
    for (Upload *u : std::as_const(m_uploads)) {
        if ((room.isEmpty() || u->room() == room) && u->isReceiver(session))
            u->removeReceiver(session, reason);
    }
}

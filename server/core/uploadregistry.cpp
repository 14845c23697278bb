// SPDX-License-Identifier: GPL-3.0-or-later
#include "uploadregistry.h"

UploadRegistry::UploadRegistry(const Upload::Settings &settings, int resumeKeepMs, int maxHeld,
                               QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_resumeKeepMs(resumeKeepMs)
    , m_maxHeld(qMax(0, maxHeld))
{}

QString UploadRegistry::key(const QString &username, const QString &transferId)
{
    return username + QChar(0) + transferId;
}

Upload *UploadRegistry::find(const QString &username, const QString &transferId) const
{
    if (transferId.isEmpty())
        return nullptr;
    return m_byKey.value(key(username, transferId));
}

Upload *UploadRegistry::findByStream(quint32 stream) const
{
    return m_byStream.value(stream);
}

Upload *UploadRegistry::create(const Protocol::FileStart &start, const QString &username, const QString &room)
{
    // One number per upload serves every receiver: it is then unique on each connection too,
    // and each relayed chunk is framed once for all of them.
    auto *upload = new Upload(start, username, room, m_nextStream++, m_settings, this);
    if (m_nextStream == 0)
        m_nextStream = 1;
    m_uploads.append(upload);
    m_byStream.insert(upload->stream(), upload);
    if (!start.transferId.isEmpty()) {
        if (Upload *old = find(username, start.transferId))
            discard(old, QStringLiteral("replaced by a new upload"));
        m_byKey.insert(key(username, start.transferId), upload);
    }
    connect(upload, &Upload::expired, this,
            [this](Upload *u) { discard(u, QStringLiteral("the sender did not come back in time")); });
    return upload;
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
        if (!u->sender())
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
    if (!upload->transferId().isEmpty()) {
        const QString k = key(upload->username(), upload->transferId());
        if (m_byKey.value(k) == upload)
            m_byKey.remove(k);
    }
    upload->end(reason);
    upload->deleteLater();
}

void UploadRegistry::noteCompleted(const Upload *upload)
{
    if (!upload || upload->transferId().isEmpty())
        return;
    const QString k = key(upload->username(), upload->transferId());
    if (!m_completed.contains(k))
        m_completedOrder.push_back(k);
    m_completed.insert(k, {upload->fileName(), upload->fileSize()});
    while (m_completedOrder.size() > size_t(MaxCompleted)) {
        m_completed.remove(m_completedOrder.front());
        m_completedOrder.pop_front();
    }
}

bool UploadRegistry::isCompleted(const QString &username, const Protocol::FileStart &start) const
{
    if (start.transferId.isEmpty())
        return false;
    const auto it = m_completed.constFind(key(username, start.transferId));
    return it != m_completed.cend() && it->first == start.name && it->second == start.size;
}

void UploadRegistry::dropReceiver(ServerSession *session, const QString &room, const QString &reason)
{
    for (Upload *u : std::as_const(m_uploads)) {
        if ((room.isEmpty() || u->room() == room) && u->isReceiver(session))
            u->removeReceiver(session, reason);
    }
}

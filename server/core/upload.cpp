// SPDX-License-Identifier: GPL-3.0-or-later
#include "upload.h"

#include "serversession.h"

#include "wsconnection.h"

Upload::Upload(const Protocol::FileStart &start, const QString &username, const QString &room, quint32 stream,
               const QString &resumeToken, const Settings &settings, QObject *parent, bool relay)
    : QObject(parent)
    , m_start(start)
    , m_username(username)
    , m_room(room)
    , m_stream(stream)
    , m_resumeToken(resumeToken)
    , m_settings(settings)
    , m_relay(relay)
{
    m_start.resumeToken.clear(); // whatever the request carried; ours is m_resumeToken
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, [this] { emit expired(this); });
}

Upload::~Upload() = default;

ServerSession *Upload::sender() const
{
    return m_sender.data();
}

bool Upload::isComplete() const
{
    return qint64(m_chunksHeld) * Protocol::ChunkDataBytes >= m_start.size;
}

bool Upload::matches(const Protocol::FileStart &start) const
{
    return start.transferId == m_start.transferId && start.name == m_start.name && start.size == m_start.size;
}

bool Upload::isReceiver(const ServerSession *session) const
{
    for (const auto &r : m_receivers) {
        if (r == session)
            return true;
    }
    return false;
}

void Upload::attach(ServerSession *sender)
{
    stopExpiry();
    m_sender = sender;
    m_progressSent = m_chunksHeld;
    m_progressWithheld = false;
}

void Upload::detach(bool resumable)
{
    m_sender = nullptr;
    sendToReceivers(Protocol::FileAborted{m_stream, QStringLiteral("sender disconnected"), resumable});
    if (!m_relay)
        emit aborted(QStringLiteral("sender disconnected"), resumable);
}

void Upload::addReceiver(ServerSession *receiver)
{
    if (!receiver || isReceiver(receiver))
        return;
    m_receivers.append(receiver);
    connect(receiver->connection(), &WsConnection::backlogWritten, this, &Upload::onReceiverDrained);
    receiver->send(Protocol::FileOffer{m_stream, m_start.transferId, m_username, m_room, m_start.name,
                                       m_start.size, m_start.mimeType});
}

void Upload::removeReceiver(ServerSession *receiver, const QString &reason)
{
    for (qsizetype i = 0; i < m_receivers.size(); ++i) {
        if (m_receivers.at(i) != receiver)
            continue;
        m_receivers.removeAt(i);
        disconnect(receiver->connection(), nullptr, this, nullptr);
        if (!reason.isEmpty())
            receiver->send(Protocol::FileAborted{m_stream, reason, false});
        maybeSendProgress(); // the slowest receiver may just have gone
        return;
    }
}

std::optional<Protocol::DecodeError> Upload::acceptChunk(const Protocol::Chunk &chunk)
{
    using Protocol::ErrorCode;
    if (chunk.index < m_chunksHeld)
        return std::nullopt; // a resend of something already held and relayed
    if (chunk.index > m_chunksHeld)
        return Protocol::DecodeError{
            ErrorCode::BadChunk,
            QStringLiteral("Expected chunk %1, got chunk %2").arg(m_chunksHeld).arg(chunk.index)};
    const qint64 offset = qint64(chunk.index) * Protocol::ChunkDataBytes;
    if (offset >= m_start.size)
        return Protocol::DecodeError{ErrorCode::BadChunk,
                                     QStringLiteral("Chunk %1 lies past the end of the %2-byte file")
                                         .arg(chunk.index)
                                         .arg(m_start.size)};
    const qint64 expected = qMin<qint64>(Protocol::ChunkDataBytes, m_start.size - offset);
    if (chunk.data.size() != expected)
        return Protocol::DecodeError{ErrorCode::BadChunk,
                                     QStringLiteral("Chunk %1 must hold %2 bytes, got %3")
                                         .arg(chunk.index)
                                         .arg(expected)
                                         .arg(chunk.data.size())};
    ++m_chunksHeld;
    if (!m_relay)
        emit chunkAccepted(chunk.index, chunk.data);
    if (!m_receivers.isEmpty()) {
        const QByteArray frame = Protocol::encodeRelayChunk(m_stream, chunk.index, chunk.data);
        const QList<QPointer<ServerSession>> receivers = m_receivers;
        for (const auto &r : receivers) {
            if (!r)
                continue;
            r->sendBinary(frame);
            if (r->connection()->bytesToWrite() > m_settings.dropBytes)
                removeReceiver(r, QStringLiteral("the receiver could not keep up"));
        }
    }
    if (int(m_chunksHeld - m_progressSent) >= m_settings.progressEveryChunks)
        maybeSendProgress();
    return std::nullopt;
}

std::optional<Protocol::DecodeError> Upload::finish()
{
    if (!isComplete())
        return Protocol::DecodeError{
            Protocol::ErrorCode::FileState,
            QStringLiteral("fileEnd after %1 of %2 bytes")
                .arg(qMin(m_start.size, qint64(m_chunksHeld) * Protocol::ChunkDataBytes))
                .arg(m_start.size)};
    sendToReceivers(Protocol::FileDone{m_stream});
    m_finished = true;
    if (!m_relay)
        emit finished();
    return std::nullopt;
}

void Upload::end(const QString &abortReason)
{
    stopExpiry();
    if (!abortReason.isEmpty())
        sendToReceivers(Protocol::FileAborted{m_stream, abortReason, false});
    if (!m_finished && !m_relay)
        emit aborted(abortReason.isEmpty() ? QStringLiteral("the upload ended") : abortReason, false);
    m_finished = true; // nothing more follows
    m_remotes.clear();
    m_sender = nullptr;
    for (const auto &r : std::as_const(m_receivers)) {
        if (r)
            disconnect(r->connection(), nullptr, this, nullptr);
    }
    m_receivers.clear();
}

void Upload::startExpiry(int ms)
{
    m_expiry.start(qMax(0, ms));
}

void Upload::stopExpiry()
{
    m_expiry.stop();
}

void Upload::addRemote(const QString &node)
{
    // Bounded by the nodes of a cluster; a larger count is not a cluster we know.
    constexpr int MaxRemotes = 64;
    if (m_finished || m_remotes.contains(node) || m_remotes.size() >= MaxRemotes)
        return;
    Remote r;
    r.credited = m_chunksHeld;
    r.heard.start();
    m_remotes.insert(node, r);
}

bool Upload::creditRemote(const QString &node, quint32 chunks)
{
    const auto it = m_remotes.find(node);
    if (it == m_remotes.end() || chunks > m_chunksHeld)
        return false;
    it->heard.start(); // a repeated credit still says the node is alive
    if (chunks > it->credited)
        it->credited = chunks;
    if (m_progressWithheld)
        maybeSendProgress();
    return true;
}

void Upload::removeRemote(const QString &node)
{
    if (m_remotes.remove(node))
        maybeSendProgress(); // the slowest receiver may just have gone
}

void Upload::dropSilentRemotes(int silenceMs)
{
    bool dropped = false;
    for (auto it = m_remotes.begin(); it != m_remotes.end();) {
        if (it->heard.elapsed() > silenceMs) {
            it = m_remotes.erase(it);
            dropped = true;
        } else {
            ++it;
        }
    }
    if (dropped)
        maybeSendProgress();
}

void Upload::maybeSendProgress()
{
    if (m_relay) {
        // A relay credits the uploader's node instead: the same pace, one hop further.
        if (m_progressSent == m_chunksHeld)
            return;
        m_progressWithheld = receiversBacklogged();
        if (m_progressWithheld)
            return;
        m_progressSent = m_chunksHeld;
        emit creditChanged(m_chunksHeld);
        return;
    }
    // Progress is only promised to clients that opted in with a transferId.
    if (!m_sender || m_start.transferId.isEmpty() || !m_settings.extensions || m_progressSent == m_chunksHeld)
        return;
    // Holding back progress holds back the sender: the slowest receiver sets the pace.
    m_progressWithheld = receiversBacklogged();
    if (m_progressWithheld)
        return;
    m_progressSent = m_chunksHeld;
    m_sender->send(Protocol::FileProgress{m_start.transferId, m_chunksHeld});
}

void Upload::onReceiverDrained()
{
    if (m_progressWithheld)
        maybeSendProgress();
}

bool Upload::receiversBacklogged() const
{
    for (const auto &r : m_receivers) {
        if (r && r->connection()->bytesToWrite() > m_settings.highWaterBytes)
            return true;
    }
    for (const Remote &r : m_remotes) {
        if (qint64(m_chunksHeld - r.credited) * Protocol::ChunkDataBytes > m_settings.highWaterBytes)
            return true;
    }
    return false;
}

void Upload::sendToReceivers(const Protocol::ServerMessage &message)
{
    if (m_receivers.isEmpty())
        return;
    const QString text = QString::fromUtf8(Protocol::encode(message));
    for (const auto &r : std::as_const(m_receivers)) {
        if (r)
            r->sendText(text);
    }
}

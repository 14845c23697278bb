// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionchannel.h"

#include <QWebSocket>

namespace {
// Pings never answered are forgotten beyond this many (a server that ignores them).
constexpr int MaxPendingPings = 256;
} // namespace

SessionChannel::SessionChannel(const QStringList &helloFeatures, QObject *parent)
    : QObject(parent)
    , m_helloFeatures(helloFeatures)
{}

qint64 SessionChannel::bytesToWrite() const
{
    return m_socket && m_open ? m_socket->bytesToWrite() : 0;
}

bool SessionChannel::sendControl(const Protocol::ClientMessage &message)
{
    if (!m_socket || !m_open || m_sendingStopped)
        return false;
    return m_socket->sendTextMessage(QString::fromUtf8(Protocol::encode(message))) > 0;
}

bool SessionChannel::sendBinary(const QByteArray &frame)
{
    if (!m_socket || !m_open || m_sendingStopped)
        return false;
    return m_socket->sendBinaryMessage(frame) > 0;
}

qint64 SessionChannel::sendPing()
{
    // The guides' pong echoes only the timestamp, so the timestamp is the id: the wall clock (a
    // base server's logs stay readable), bumped when two pings share a millisecond.
    const qint64 id = std::max(Protocol::nowMs(), m_lastPingId + 1);
    if (!sendControl(Protocol::Ping{id}))
        return 0;
    m_lastPingId = id;
    if (m_pendingPings.size() >= MaxPendingPings)
        m_pendingPings.erase(std::min_element(m_pendingPings.begin(), m_pendingPings.end()));
    m_pendingPings.insert(id);
    return id;
}

bool SessionChannel::sendProtocolPing(const QByteArray &payload)
{
    if (!m_socket || !m_open || m_sendingStopped)
        return false;
    m_socket->ping(payload);
    return true;
}

void SessionChannel::setHelloFeature(const QString &feature, bool declared)
{
    if (m_helloFeatures.contains(feature) == declared)
        return;
    if (declared)
        m_helloFeatures.append(feature);
    else
        m_helloFeatures.removeAll(feature);
    // A base server must never see `hello`; an extension server learns the change at once.
    if (m_open && !m_serverInfo.features.isEmpty())
        sendControl(Protocol::Hello{QStringLiteral("natter/" NATTER_VERSION), m_helloFeatures});
}

void SessionChannel::attach(QWebSocket *socket)
{
    Q_ASSERT(!m_socket);
    m_socket = socket;
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
        if (socket == m_socket)
            onTextMessage(text);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &frame) {
        if (socket == m_socket)
            onBinaryMessage(frame);
    });
    connect(socket, &QWebSocket::bytesWritten, this, [this, socket] {
        if (socket == m_socket)
            emit bytesWritten();
    });
    connect(socket, &QWebSocket::pong, this, [this, socket](quint64, const QByteArray &payload) {
        if (socket == m_socket)
            emit protocolPongReceived(payload);
    });
}

void SessionChannel::open(const Protocol::Connected &info)
{
    m_serverInfo = info;
    m_open = true;
}

void SessionChannel::setReady(bool ready)
{
    if (m_ready == ready)
        return;
    m_ready = ready;
    if (ready)
        emit this->ready();
}

void SessionChannel::setRoom(const QString &room)
{
    if (m_room == room)
        return;
    m_room = room;
    emit roomChanged();
}

void SessionChannel::setJoinedRoom(const QString &room)
{
    if (m_joinedRoom == room)
        return;
    m_joinedRoom = room;
    emit roomChanged();
}

void SessionChannel::stopSending()
{
    m_sendingStopped = true;
}

void SessionChannel::close()
{
    const bool wasAttached = !m_socket.isNull() || m_open;
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
    m_socket.clear();
    m_open = false;
    m_ready = false;
    m_sendingStopped = false;
    m_serverInfo = {};
    m_joinedRoom.clear();
    m_pendingPings.clear();
    if (wasAttached)
        emit closed();
}

void SessionChannel::onTextMessage(const QString &text)
{
    auto decoded = Protocol::decodeServer(text);
    if (const auto *error = std::get_if<Protocol::DecodeError>(&decoded)) {
        emit decodeFailed(error->message);
        return;
    }
    const auto &message = std::get<Protocol::ServerMessage>(decoded);
    if (const auto *pong = std::get_if<Protocol::Pong>(&message)) {
        // Pongs are the channel's own business: only an answer to one of its pings counts.
        if (m_pendingPings.remove(pong->timestamp))
            emit pongReceived(pong->timestamp);
        return;
    }
    emit messageReceived(message);
}

void SessionChannel::onBinaryMessage(const QByteArray &frame)
{
    // Servers send binary frames only to relay files (PROTOCOL.md 5.3).
    auto decoded = Protocol::decodeRelayChunk(frame);
    if (const auto *error = std::get_if<Protocol::DecodeError>(&decoded)) {
        emit decodeFailed(error->message);
        return;
    }
    emit chunkReceived(std::get<Protocol::RelayChunk>(decoded));
}

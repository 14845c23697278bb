// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeserver.h"

#include <QTcpSocket>
#include <QUuid>

FakeServer::FakeServer(bool extensions, QObject *parent)
    : QObject(parent)
    , m_server(QStringLiteral("fake"), QWebSocketServer::NonSecureMode)
    , m_extensions(extensions)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &FakeServer::onNewConnection);
}

FakeServer::~FakeServer()
{
    stop();
}

bool FakeServer::listen(quint16 port)
{
    if (!m_server.listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void FakeServer::stop()
{
    m_server.close();
    abortAll();
}

QUrl FakeServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_port));
}

void FakeServer::abortAll()
{
    for (const QPointer<QWebSocket> &s : std::as_const(m_sockets)) {
        if (s) {
            s->abort();
            s->deleteLater();
        }
    }
    m_sockets.clear();
}

void FakeServer::closeAll(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    for (const QPointer<QWebSocket> &s : std::as_const(m_sockets)) {
        if (s)
            s->close(code, reason);
    }
}

int FakeServer::connectionCount() const
{
    int n = 0;
    for (const QPointer<QWebSocket> &s : m_sockets)
        n += s && s->state() == QAbstractSocket::ConnectedState;
    return n;
}

void FakeServer::sendToAll(const Protocol::ServerMessage &message)
{
    const QString text = QString::fromUtf8(Protocol::encode(message));
    for (const QPointer<QWebSocket> &s : std::as_const(m_sockets)) {
        if (s)
            s->sendTextMessage(text);
    }
}

void FakeServer::onNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        ++m_totalConnections;
        m_sockets.append(socket);
        socket->setParent(this);
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { onText(socket, text); });
        Protocol::Connected hello;
        hello.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (m_extensions) {
            hello.server = QStringLiteral("fake/1");
            hello.protocol = Protocol::Version;
            hello.features =
                QStringList{Protocol::Feature::Roster, Protocol::Feature::Acks, Protocol::Feature::History} +
                extraFeatures;
            hello.idWindowMs = idWindowMs;
            hello.auth = authMode;
            hello.username = claimedAccount;
        }
        if (sendConnected)
            socket->sendTextMessage(QString::fromUtf8(Protocol::encode(Protocol::ServerMessage(hello))));
        emit clientConnected();
    }
}

void FakeServer::onText(QWebSocket *socket, const QString &text)
{
    const auto decoded = Protocol::decodeClient(text.toUtf8());
    if (Protocol::isError(decoded))
        return;
    const Protocol::ClientMessage message = std::get<Protocol::ClientMessage>(decoded);
    received.append(message);
    auto reply = [socket](const Protocol::ServerMessage &m) {
        socket->sendTextMessage(QString::fromUtf8(Protocol::encode(m)));
    };
    if (const auto *m = std::get_if<Protocol::SetUsername>(&message)) {
        reply(Protocol::UsernameSet{m->username});
    } else if (const auto *m = std::get_if<Protocol::JoinRoom>(&message)) {
        Protocol::RoomJoined joined;
        m_room = m->room;
        joined.room = m->room;
        joined.userCount = 1;
        if (m_extensions) {
            joined.lastSeq = history.isEmpty() ? m_seq : qMax(m_seq, history.constLast().seq);
            joined.history = history;
            joined.epoch = epoch;
        }
        reply(joined);
    } else if (const auto *m = std::get_if<Protocol::SendChat>(&message)) {
        chats.append(*m);
        if (m_extensions && sendAcks && !m->id.isEmpty())
            reply(Protocol::Ack{m->id, ++m_seq, m_room, Protocol::nowMs(), false});
    } else if (const auto *m = std::get_if<Protocol::Ping>(&message)) {
        if (answerPings)
            reply(Protocol::Pong{m->timestamp, Protocol::nowMs()});
    }
    emit messageReceived(message);
}

HangServer::HangServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_server.nextPendingConnection()) {
            ++m_accepted;
            s->setParent(this); // held open, never answered
        }
    });
}

bool HangServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl HangServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()));
}

QUrl refusedUrl()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port));
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

//! A small in-process WebSocket server for the client tests, speaking just enough of the
//! protocol (connected, usernameSet, roomJoined, acks, pongs) and able to misbehave on demand:
//! drop connections abruptly, close with any code, stop answering pings, stop and restart.
class FakeServer : public QObject
{
    Q_OBJECT
public:
    explicit FakeServer(bool extensions = true, QObject *parent = nullptr);
    ~FakeServer() override;

    bool listen(quint16 port = 0); // 127.0.0.1
    void stop();                   // stops listening and drops every connection abruptly
    quint16 port() const { return m_port; }
    QUrl url() const;

    void abortAll(); // TCP abort, no close frame
    void closeAll(QWebSocketProtocol::CloseCode code, const QString &reason = {}); // close handshake
    int connectionCount() const;
    int totalConnections() const { return m_totalConnections; }

    bool answerPings = true;
    bool sendAcks = true;
    bool sendConnected = true;            // false: upgrades, then never says `connected`
    qint64 idWindowMs = 0;                // advertised in `connected`; 0: not at all
    QString authMode;                     // `connected.auth`; empty: not sent
    QString claimedAccount;               // `connected.username`, whatever the upgrade carried
    QList<Protocol::ChatMessage> history; // sent in every roomJoined (extensions only)
    QString epoch;                        // roomJoined.epoch (extensions only); empty: not sent
    QStringList extraFeatures;            // advertised too, though not served (tests answer them)
    QList<Protocol::ClientMessage> received;
    QList<Protocol::SendChat> chats;
    void sendToAll(const Protocol::ServerMessage &message);

signals:
    void clientConnected();
    void messageReceived(const Protocol::ClientMessage &message);

private:
    void onNewConnection();
    void onText(QWebSocket *socket, const QString &text);

    QWebSocketServer m_server;
    QList<QPointer<QWebSocket>> m_sockets;
    bool m_extensions = true;
    quint16 m_port = 0;
    qint64 m_seq = 0;
    QString m_room;
    int m_totalConnections = 0;
};

//! Accepts TCP connections and never answers the WebSocket upgrade.
class HangServer : public QObject
{
    Q_OBJECT
public:
    explicit HangServer(QObject *parent = nullptr);
    bool listen();
    QUrl url() const;
    int accepted() const { return m_accepted; }

private:
    QTcpServer m_server;
    int m_accepted = 0;
};

// A URL on 127.0.0.1 whose port nobody listens on: connecting is refused.
QUrl refusedUrl();

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

class QWebSocket;

//! One connection's session as the features that ride on it see it: frames out, decoded server
//! messages in, the socket's backlog, and one id space for pings. ChatClient owns the connection
//! and its state machine and drives this object (attach, open, setReady, setRoom, close);
//! FileTransfers and LatencyMonitor depend on this seam only, so ChatClient knows nothing of
//! files and the file code nothing of reconnecting.
class SessionChannel : public QObject
{
    Q_OBJECT
public:
    explicit SessionChannel(const QStringList &helloFeatures, QObject *parent = nullptr);

    bool isOpen() const { return m_open; }              // the server's `connected` arrived on this connection
    bool isReady() const { return m_ready; }            // named, and in the wanted room (if any)
    QString room() const { return m_room; }             // the room the user wants to be in
    QString joinedRoom() const { return m_joinedRoom; } // the room the server confirmed; empty between rooms
    const Protocol::Connected &serverInfo() const { return m_serverInfo; }
    bool hasFeature(const QString &feature) const { return m_serverInfo.features.contains(feature); }
    QStringList helloFeatures() const { return m_helloFeatures; }
    // Bytes handed to the socket and not yet written to the network: what a bulk sender keeps
    // bounded so chat and pings are not stuck behind it. 0 without a connection.
    qint64 bytesToWrite() const;

    // Each sends now, or returns false when no session is open: nothing is queued here.
    bool sendControl(const Protocol::ClientMessage &message);
    bool sendBinary(const QByteArray &frame);
    // An app-level ping whose `timestamp` is an id unique on this channel (strictly increasing,
    // never reused); the matching pong is reported as pongReceived(id). 0 when not sent.
    qint64 sendPing();
    // A WebSocket ping; its pong is reported as protocolPongReceived(payload).
    bool sendProtocolPing(const QByteArray &payload);
    // Adds or removes a feature declared in `hello`; an open extension session is told at once.
    void setHelloFeature(const QString &feature, bool declared);

    // Driven by ChatClient.
    void attach(QWebSocket *socket); // frames from this socket flow through here from now on
    void open(const Protocol::Connected &info);
    void setReady(bool ready);               // emits ready() on the way up
    void setRoom(const QString &room);       // the wanted room; emits roomChanged()
    void setJoinedRoom(const QString &room); // emits roomChanged()
    void stopSending();                      // closing: nothing more goes out, what comes in still counts
    void close();                            // the connection ended; emits closed() if one was attached

signals:
    void messageReceived(const Protocol::ServerMessage &message); // every decoded text frame, in order
    void decodeFailed(const QString &error);
    void chunkReceived(const Protocol::RelayChunk &chunk); // a relayed binary frame
    void pongReceived(qint64 pingId);                      // only for pings sent through sendPing()
    void protocolPongReceived(const QByteArray &payload);
    void bytesWritten(); // the backlog shrank
    void ready();
    void roomChanged();
    void closed();

private:
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &frame);

    QPointer<QWebSocket> m_socket;
    QStringList m_helloFeatures;
    Protocol::Connected m_serverInfo;
    QString m_room;
    QString m_joinedRoom;
    bool m_open = false;
    bool m_ready = false;
    bool m_sendingStopped = false;
    qint64 m_lastPingId = 0; // survives reconnects, so an old pong can never match a new ping
    QSet<qint64> m_pendingPings;
};

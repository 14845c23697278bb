// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTimer>

class QTcpSocket;
struct wslay_event_context;

//! The server's end of one WebSocket connection (RFC 6455) after the upgrade: libwslay does the
//! framing, this class runs it on a QTcpSocket (or a QSslSocket) in the Qt event loop.
//! What it adds to the framing, and why (docs/PROTOCOL.md section "Wire-level guarantees"):
//! - input is processed in bounded slices per event-loop pass, so one busy peer cannot hold the
//!   loop that serves everyone else;
//! - after sending a close frame it keeps reading and discarding (bounded), so the peer gets to
//!   read the close code instead of a TCP reset (Qt 6.4 lost 1009 this way);
//! - bytesToWrite() counts everything queued for the peer, control frames included.
class WsConnection : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        qint64 maxMessageBytes = 1024 * 1024; // larger incoming messages close with 1009
        qint64 passBytes = 64 * 1024;         // input handled per event-loop pass ...
        // ... and messages, whichever comes first. 128, not fewer: each pass costs every
        // receiver a write, and at 32 the fan-out benchmark lost a tenth of its rate.
        int passMessages = 128;
        int lingerMs = 5000;                   // after our close frame: how long to read on ...
        qint64 lingerBytes = 64 * 1024 * 1024; // ... and how much, before giving up on the peer
    };

    // Takes over `socket`, already upgraded; `alreadyRead` is what followed the handshake request.
    WsConnection(QTcpSocket *socket, const QByteArray &alreadyRead, const Limits &limits,
                 QObject *parent = nullptr);
    ~WsConnection() override;

    void sendText(const QByteArray &utf8);
    void sendBinary(const QByteArray &data);
    void ping(const QByteArray &payload = {});
    // Starts the closing handshake; the TCP connection ends once the peer answers, or after the
    // linger limits.
    void close(quint16 code, const QString &reason = {});
    // Drops the TCP connection at once, without a close frame.
    void abort();

    // Everything queued for the peer and not yet taken by the kernel.
    qint64 bytesToWrite() const;
    QHostAddress peerAddress() const;
    bool isOpen() const { return m_state == State::Open; }

signals:
    void textMessageReceived(const QString &text);
    void binaryMessageReceived(const QByteArray &data);
    void pingReceived(); // its pong is already queued
    void pongReceived();
    void bytesWritten(qint64 bytes);
    // The TCP connection is gone; emitted once.
    void disconnected();

private:
    enum class State {
        Open,
        Closing,
        Closed
    };

    struct Callbacks; // libwslay's C callbacks, in the .cpp

    void queue(quint8 opcode, const QByteArray &payload);
    void readPass();
    void scheduleReadPass();
    void afterIo(); // sends what is queued, then follows the closing handshake
    void failMalformedFrame();
    void halfCloseWhenFlushed();
    void discardInput();
    void onSocketDisconnected();
    void failWith(quint16 code);

    QTcpSocket *m_socket;
    wslay_event_context *m_ctx = nullptr;
    Limits m_limits;
    QByteArray m_pending; // bytes read together with the handshake, framed input
    QHostAddress m_peer;
    State m_state = State::Open;
    bool m_inRecv = false;
    bool m_passScheduled = false;
    bool m_budgetSpent = false;
    qint64 m_passBytes = 0;
    int m_passMessages = 0;
    qint64 m_discarded = 0;
    bool m_halfClosed = false;
    bool m_ownCloseSent = false; // a close frame written past libwslay (failMalformedFrame)
    bool m_lastWords = false;    // handling what a peer sent before it hung up
    QTimer m_linger{this};
};

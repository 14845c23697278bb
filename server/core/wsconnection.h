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
//!   loop that serves everyone else, even the last words of a peer that hung up;
//! - Qt reads at most readBufferBytes ahead of that from the kernel, so a flooding peer meets TCP
//!   flow control instead of filling the server's memory;
//! - after sending a close frame it keeps reading and discarding (bounded), so the peer gets to
//!   read the close code instead of a TCP reset (Qt 6.4 lost 1009 this way);
//! - bytesToWrite() counts everything queued for the peer, control frames included;
//! - writes are corked: the frames queued for a connection during one pass of the event loop go
//!   to the kernel together in one send(2) at the end of the pass, straight from our buffer when
//!   Qt's is empty (plain TCP), so an idle connection keeps no write buffer and no write notifier
//!   is switched on and off per delivery (or sooner, once 64 KiB are corked). Only what the
//!   kernel does not take waits in Qt's buffer.
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
        // What Qt reads ahead from the kernel (QAbstractSocket::setReadBufferSize); the rest waits
        // there, so TCP flow control holds a peer that sends faster than it is served. Never 0
        // (Qt's unlimited): values below 1 mean the default.
        qint64 readBufferBytes = 2 * 64 * 1024;
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
    // Input read from the kernel and not yet handled: what this connection holds of the peer's.
    qint64 bufferedInputBytes() const;

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
    void cork(const char *data, qint64 size); // wslay's output, sent at the end of the pass
    void uncork();                            // now: into the kernel, the rest into Qt's buffer
    static void uncorkAll();
    void qtWrite(const char *data, qint64 size); // into Qt's buffer, behind what is there
    void readPass();
    void scheduleReadPass();
    void afterIo(); // sends what is queued, then follows the closing handshake
    void failMalformedFrame();
    void halfCloseWhenFlushed();
    void discardInput();
    void onSocketDisconnected();
    bool hasInput() const;
    void finish(); // the connection is gone: Closed, and disconnected() once
    void failWith(quint16 code);

    QTcpSocket *m_socket;
    QByteArray m_corked;        // frames waiting for the end of this pass
    qsizetype m_corkIndex = -1; // in the pass's list of corked connections
    int m_fd = -1;              // plain TCP: written directly; -1 with TLS
    bool m_qtBuffered = true;   // Qt's write buffer may hold something (always so with TLS)
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
    bool m_peerGone = false;     // the peer hung up: what it sent before is still handled
    bool m_aborting = false;     // in abort(): the socket's disconnected() brings no last words
    QTimer m_linger{this};
};

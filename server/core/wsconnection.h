// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wsframeparser.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>

class QSocketNotifier;
class ReadinessPoller;
class QTcpSocket;

//! The server's end of one WebSocket connection (RFC 6455) after the upgrade. Plain TCP runs on
//! the bare descriptor, taken over from the QTcpSocket that read the upgrade request: the
//! server's ReadinessPoller (one epoll set) says when it can read or write, recv(2) and send(2)
//! are ours, WsFrameParser reads the frames. That is the whole cost of an idle connection: no
//! socket object, no notifier, no read or write buffer, no framing context (docs/DESIGN.md,
//! "Memory per idle client"). TLS stays on the QSslSocket, which does the encryption.
//! What it adds to the framing, and why (docs/PROTOCOL.md section "Wire-level guarantees"):
//! - input is processed in bounded slices per event-loop pass, so one busy peer cannot hold the
//!   loop that serves everyone else, even the last words of a peer that hung up;
//! - it reads at most one slice ahead of what it has handled, the rest waits in the kernel, so
//!   a flooding peer meets TCP flow control instead of filling the server's memory;
//! - after sending a close frame it keeps reading and discarding (bounded), so the peer gets to
//!   read the close code instead of a TCP reset (Qt 6.4 lost 1009 this way);
//! - bytesToWrite() counts everything queued for the peer, control frames included;
//! - writes are corked: the frames queued for a connection during one pass of the event loop go
//!   to the kernel together in one sendmsg(2) at the end of the pass (or sooner, once 64 KiB are
//!   corked); only what the kernel does not take is kept, until it is writable again;
//! - the cork refers to frames rather than copying them: a payload sent to many connections in a
//!   pass (a room's broadcast) is framed once, and every receiver's cork shares that frame.
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
        // What may be read ahead of handling (TLS: QAbstractSocket::setReadBufferSize; plain:
        // a pass reads at most passBytes, and what it does not handle is kept, at most this
        // much). Never 0 (Qt's unlimited): values below 1 mean the default.
        qint64 readBufferBytes = 2 * 64 * 1024;
    };

    // Takes over `socket`, already upgraded; `alreadyRead` is what followed the handshake request.
    // `poller` (may be null: then the connection has its own notifiers) tells a plain TCP
    // connection when it can read or write; it must be in this thread.
    WsConnection(QTcpSocket *socket, const QByteArray &alreadyRead, const Limits &limits,
                 ReadinessPoller *poller = nullptr, QObject *parent = nullptr);
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
    // Everything the kernel has taken for the peer so far, framing included.
    quint64 bytesSent() const { return m_bytesSent; }
    // A total (the server's) that every byte sent is added to as well; it must outlive us.
    void addSentBytesTo(quint64 *total) { m_sentTotal = total; }

signals:
    void textMessageReceived(const QString &text);
    void binaryMessageReceived(const QByteArray &data);
    void pingReceived(); // its pong is already queued
    void pongReceived();
    // Output that had to wait for the kernel went out (some or all of it): what a sender held
    // back for this peer's sake may go on. Not emitted for a send the kernel took whole at once,
    // which is nearly every send: a signal per delivery cost a tenth of a fan-out's CPU.
    void backlogWritten();
    // The TCP connection is gone; emitted once.
    void disconnected();

protected:
    void timerEvent(QTimerEvent *event) override; // the linger limit

private:
    enum class State {
        Open,
        Closing, // a close frame went out: reading on for the peer's, or to discard
        Closed
    };

    void queueFrame(quint8 opcode, const char *payload, qsizetype size);
    void queueFrame(quint8 opcode, const QByteArray &payload);
    void cork(const QByteArray &frame);
    void clearCork();
    void uncork(); // now: into the kernel, the rest kept for when it is writable
    static void uncorkAll();
    void onWritable();
    void readPass();
    void scheduleReadPass();
    qint64 receive(char *buffer, qint64 size); // 0: nothing now (or the peer is gone)
    qsizetype handleFrames(const char *data, qsizetype size);
    void sendClose(quint16 code, const QByteArray &reason);
    void failWith(quint16 code);
    void closeTcpWhenFlushed();
    void afterWrite(qint64 sent, bool waited);
    void afterSocketWrite(qint64 sent) { afterWrite(sent, true); } // TLS: Qt buffered it
    void onPeerGone();
    void peerGoneOnSend();
    void dropOutput();            // the peer is gone
    friend class ReadinessPoller; // calls onReadable() and onWritable()
    void onReadable();
    void updateInterest(); // what the poller or the notifiers watch for
    void closeDescriptor();
    bool isFlushed() const;
    qint64 socketBytesToWrite() const; // TLS: Qt's buffers, encrypted or not
    bool hasInput() const;
    void finish(); // the connection is gone: Closed, and disconnected() once

    WsFrameParser m_parser;
    Limits m_limits;
    QTcpSocket *m_socket = nullptr;     // TLS (or a handover that could not be made): Qt does the I/O
    int m_fd = -1;                      // plain TCP: ours
    QPointer<ReadinessPoller> m_poller; // or, without one, our own notifiers:
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr; // made the first time the kernel takes no more
    QList<QByteArray> m_corked;                 // frames waiting for the end of this pass,
    qsizetype m_corkedBytes = 0;                // shared with every receiver of a broadcast
    QByteArray m_unsent;                        // plain TCP: what the kernel did not take yet ...
    qsizetype m_unsentAt = 0;                   // ... from here on
    QByteArray m_pending; // read and not handled yet (the upgrade's tail, a pass's leftover)
    QHostAddress m_peer;
    QBasicTimer m_linger;
    qsizetype m_corkIndex = -1; // in the pass's list of corked connections
    quint64 m_bytesSent = 0;
    quint64 *m_sentTotal = nullptr;
    qint64 m_passBytes = 0;
    qint64 m_discarded = 0;
    int m_passMessages = 0;
    State m_state = State::Open;
    bool m_readFrames = true; // false after a protocol failure: input is only discarded
    bool m_closeSent = false; // nothing may follow our close frame
    bool m_closeTcp = false;  // both close frames are through: end TCP once flushed
    bool m_halfClosed = false;
    bool m_peerGone = false; // the peer hung up: what it sent before is still handled
    bool m_passScheduled = false;
    bool m_budgetSpent = false;
    bool m_aborting = false;
    bool m_inPass = false; // in readPass: it ends what a handler or the end of input starts
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "wsconnection.h"

#include <QAbstractEventDispatcher>
#include <QSslSocket>
#include <QTcpSocket>

#include <wslay/wslay.h>

#include <sys/socket.h>

#include <cstring>

namespace {
constexpr quint16 CloseProtocolError = 1002;
constexpr int MaxCloseReasonBytes = 123; // a control frame carries at most 125 bytes
// libwslay parses what it has read before it asks for more: small reads keep the message budget
// of a pass from being overshot by a buffer full of tiny messages.
constexpr qint64 MaxReadBytes = 1024;
// A cork this full goes out at once: a burst (a store batch of thousands of messages published in
// one pass) would otherwise grow one buffer per receiver by copying, then hand the kernel more
// than its socket buffer takes.
constexpr qsizetype CorkFlushBytes = 64 * 1024;

// The connections with corked output this pass, in this thread; one queued call sends them all.
thread_local QList<WsConnection *> t_corked;
} // namespace

struct WsConnection::Callbacks
{
    static ssize_t recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int, void *user)
    {
        auto *self = static_cast<WsConnection *>(user);
        const qint64 left = self->m_limits.passBytes - self->m_passBytes;
        const bool lingeredEnough =
            self->m_state == State::Closing && self->m_discarded > self->m_limits.lingerBytes;
        if (left <= 0 || self->m_passMessages >= self->m_limits.passMessages || lingeredEnough) {
            self->m_budgetSpent = true; // the rest waits for the next pass: others go first
            wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
            return -1;
        }
        const qint64 want = qMin(qMin(qint64(len), left), MaxReadBytes);
        qint64 n = 0;
        if (self->m_state == State::Closed) {
            n = 0;
        } else if (!self->m_pending.isEmpty()) {
            n = qMin(want, qint64(self->m_pending.size()));
            std::memcpy(buf, self->m_pending.constData(), size_t(n));
            self->m_pending.remove(0, n);
        } else {
            n = self->m_socket->read(reinterpret_cast<char *>(buf), want);
        }
        if (n <= 0) {
            wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
            return -1;
        }
        self->m_passBytes += n;
        // Read after our close frame only to be dropped: the linger limit counts it.
        if (self->m_state == State::Closing)
            self->m_discarded += n;
        return ssize_t(n);
    }

    static ssize_t send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int, void *user)
    {
        auto *self = static_cast<WsConnection *>(user);
        // Everything is taken; BacklogGuard bounds how much may wait.
        Q_UNUSED(ctx)
        self->cork(reinterpret_cast<const char *>(data), qint64(len));
        return ssize_t(len);
    }

    static void frameStart(wslay_event_context_ptr ctx, const wslay_event_on_frame_recv_start_arg *arg,
                           void *user)
    {
        // libwslay reads a 1-byte close payload as "no status code"; RFC 6455 5.5.1 makes it illegal.
        if (arg->opcode == WSLAY_CONNECTION_CLOSE && arg->payload_length == 1)
            static_cast<WsConnection *>(user)->failWith(CloseProtocolError);
        Q_UNUSED(ctx)
    }

    static void message(wslay_event_context_ptr, const wslay_event_on_msg_recv_arg *arg, void *user)
    {
        auto *self = static_cast<WsConnection *>(user);
        if (self->m_state != State::Open)
            return; // after our close frame, data is read only to be discarded
        ++self->m_passMessages;
        const char *data = reinterpret_cast<const char *>(arg->msg);
        switch (arg->opcode) {
        case WSLAY_TEXT_FRAME:
            // libwslay has validated the UTF-8 of the whole message, across its fragments.
            emit self->textMessageReceived(QString::fromUtf8(data, qsizetype(arg->msg_length)));
            break;
        case WSLAY_BINARY_FRAME:
            emit self->binaryMessageReceived(QByteArray(data, qsizetype(arg->msg_length)));
            break;
        case WSLAY_PING:
            emit self->pingReceived();
            break;
        case WSLAY_PONG:
            emit self->pongReceived();
            break;
        default:
            break;
        }
    }
};

WsConnection::WsConnection(QTcpSocket *socket, const QByteArray &alreadyRead, const Limits &limits,
                           QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_pending(alreadyRead)
    , m_peer(socket->peerAddress())
{
    m_socket->setParent(this);
    if (!qobject_cast<QSslSocket *>(m_socket))
        m_fd = int(m_socket->socketDescriptor());
    m_qtBuffered = m_fd < 0 || m_socket->bytesToWrite() > 0; // the upgrade's answer may wait there
    // Qt's default read buffer is unlimited: it would pull in whatever a flooding peer sends,
    // however slowly the input is handled. Bounded, the rest stays in the kernel and TCP makes
    // the peer wait. Qt reads on once the buffer has been read empty (readPass reschedules
    // itself while input is left, as readyRead does not come again for what is buffered).
    m_socket->setReadBufferSize(m_limits.readBufferBytes > 0 ? m_limits.readBufferBytes
                                                             : Limits().readBufferBytes);
    wslay_event_callbacks callbacks{};
    callbacks.recv_callback = &Callbacks::recv;
    callbacks.send_callback = &Callbacks::send;
    callbacks.on_frame_recv_start_callback = &Callbacks::frameStart;
    callbacks.on_msg_recv_callback = &Callbacks::message;
    if (wslay_event_context_server_init(&m_ctx, &callbacks, this) != 0)
        qFatal("out of memory for a WebSocket connection");
    wslay_event_config_set_max_recv_msg_length(m_ctx, quint64(qMax<qint64>(0, m_limits.maxMessageBytes)));
    m_linger.setSingleShot(true);
    connect(&m_linger, &QTimer::timeout, this, &WsConnection::abort);
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        if (!m_passScheduled)
            readPass();
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this](qint64 n) {
        if (m_fd >= 0 && m_socket->bytesToWrite() == 0)
            m_qtBuffered = false;
        emit bytesWritten(n);
        halfCloseWhenFlushed();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &WsConnection::onSocketDisconnected);
    if (!m_pending.isEmpty() || m_socket->bytesAvailable() > 0)
        scheduleReadPass();
}

WsConnection::~WsConnection()
{
    if (m_corkIndex >= 0)
        t_corked[m_corkIndex] = nullptr;
    m_socket->disconnect(this);
    wslay_event_context_free(m_ctx);
}

void WsConnection::cork(const char *data, qint64 size)
{
    if (m_state == State::Closed)
        return;
    m_corked.append(data, size);
    if (m_corked.size() >= CorkFlushBytes) {
        uncork();
        return;
    }
    if (m_corkIndex >= 0)
        return;
    if (t_corked.isEmpty()) {
        // The thread's dispatcher as the context: the call must outlive any one connection.
        QAbstractEventDispatcher *loop = QAbstractEventDispatcher::instance();
        if (!loop) {
            uncork();
            return;
        }
        QMetaObject::invokeMethod(loop, &WsConnection::uncorkAll, Qt::QueuedConnection);
    }
    m_corkIndex = t_corked.size();
    t_corked.append(this);
}

void WsConnection::qtWrite(const char *data, qint64 size)
{
    m_qtBuffered = true;
    m_socket->write(data, size);
}

void WsConnection::uncorkAll()
{
    // Connections corked while these are sent (a write that fails tears a session down) go into
    // a fresh list and get their own call.
    const QList<WsConnection *> corked = std::exchange(t_corked, {});
    for (WsConnection *c : corked) {
        if (c) {
            c->m_corkIndex = -1;
            c->uncork();
        }
    }
}

void WsConnection::uncork()
{
    if (m_corkIndex >= 0) {
        t_corked[m_corkIndex] = nullptr;
        m_corkIndex = -1;
    }
    if (m_corked.isEmpty())
        return;
    if (m_state == State::Closed) {
        m_corked.clear();
        return;
    }
    const QByteArray out = std::exchange(m_corked, {});
    qint64 sent = 0;
    if (m_fd >= 0 && !m_qtBuffered && m_socket->state() == QAbstractSocket::ConnectedState) {
        const ssize_t n = ::send(m_fd, out.constData(), size_t(out.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0)
            sent = n;
        // EAGAIN: all of it waits in Qt's buffer; a real error shows up there too.
    }
    if (sent < out.size())
        qtWrite(out.constData() + sent, out.size() - sent);
    if (sent > 0) {
        emit bytesWritten(sent);
        halfCloseWhenFlushed();
    }
}

void WsConnection::sendText(const QByteArray &utf8)
{
    queue(WSLAY_TEXT_FRAME, utf8);
}

void WsConnection::sendBinary(const QByteArray &data)
{
    queue(WSLAY_BINARY_FRAME, data);
}

void WsConnection::ping(const QByteArray &payload)
{
    queue(WSLAY_PING, payload.left(125));
}

void WsConnection::queue(quint8 opcode, const QByteArray &payload)
{
    if (m_state != State::Open)
        return;
    if ((opcode == WSLAY_TEXT_FRAME || opcode == WSLAY_BINARY_FRAME) &&
        wslay_event_get_write_enabled(m_ctx) && !wslay_event_get_close_sent(m_ctx) &&
        wslay_event_get_queued_msg_count(m_ctx) == 0) {
        // The common case, one data frame with nothing queued ahead of it: framed here, straight
        // into the cork, without libwslay's copy of the payload into its queue. A server's frames
        // are unmasked (RFC 6455 5.1), so the header is all there is to it.
        char header[10];
        int n = 0;
        const quint64 size = quint64(payload.size());
        header[n++] = char(0x80 | opcode);
        if (size < 126) {
            header[n++] = char(size);
        } else if (size <= 0xffff) {
            header[n++] = char(126);
            header[n++] = char(size >> 8);
            header[n++] = char(size);
        } else {
            header[n++] = char(127);
            for (int shift = 56; shift >= 0; shift -= 8)
                header[n++] = char(size >> shift);
        }
        cork(header, n);
        cork(payload.constData(), payload.size());
        return;
    }
    const wslay_event_msg msg{opcode, reinterpret_cast<const uint8_t *>(payload.constData()),
                              size_t(payload.size())};
    if (wslay_event_queue_msg(m_ctx, &msg) != 0)
        return; // a close frame is queued already: nothing may follow it
    // Out at once, even mid-read: libwslay sends a close frame ahead of queued data and nothing
    // after it, so a reply still queued when a later frame fails the connection would be lost.
    if (m_inRecv)
        wslay_event_send(m_ctx);
    else
        afterIo();
}

void WsConnection::close(quint16 code, const QString &reason)
{
    if (m_state != State::Open)
        return;
    QString cut = reason;
    QByteArray utf8 = cut.toUtf8();
    while (utf8.size() > MaxCloseReasonBytes) {
        cut.chop(1);
        utf8 = cut.toUtf8();
    }
    wslay_event_send(m_ctx); // what was queued before goes first (a close frame jumps the queue)
    wslay_event_queue_close(m_ctx, code, reinterpret_cast<const uint8_t *>(utf8.constData()),
                            size_t(utf8.size()));
    m_state = State::Closing;
    if (!m_inRecv)
        afterIo();
}

void WsConnection::abort()
{
    if (m_state == State::Closed)
        return;
    m_corked.clear();
    m_aborting = true; // the socket's disconnected() below brings no last words
    m_socket->abort();
    m_aborting = false;
    finish(); // abort() of a socket not yet connected emits nothing
}

qint64 WsConnection::bytesToWrite() const
{
    // Asked after every send and for every session at each backlog tick: Qt's count only when
    // something went into its buffer.
    return (m_qtBuffered ? m_socket->bytesToWrite() : 0) + m_corked.size() +
           qint64(wslay_event_get_queued_msg_length(m_ctx));
}

qint64 WsConnection::bufferedInputBytes() const
{
    return m_socket->bytesAvailable() + m_pending.size();
}

bool WsConnection::hasInput() const
{
    return !m_pending.isEmpty() || m_socket->bytesAvailable() > 0;
}

QHostAddress WsConnection::peerAddress() const
{
    return m_peer;
}

void WsConnection::failWith(quint16 code)
{
    wslay_event_queue_close(m_ctx, code, nullptr, 0);
    wslay_event_shutdown_read(m_ctx);
}

void WsConnection::scheduleReadPass()
{
    if (m_passScheduled)
        return;
    m_passScheduled = true;
    QMetaObject::invokeMethod(this, &WsConnection::readPass, Qt::QueuedConnection);
}

void WsConnection::readPass()
{
    m_passScheduled = false;
    if (m_state == State::Closed)
        return;
    if (!wslay_event_get_read_enabled(m_ctx)) {
        discardInput();
        if (m_peerGone)
            finish();
        return;
    }
    m_passBytes = 0;
    m_passMessages = 0;
    m_budgetSpent = false;
    m_inRecv = true;
    const int result = wslay_event_recv(m_ctx);
    m_inRecv = false;
    if (m_state == State::Closed)
        return;
    if (m_peerGone) {
        // Nothing can reach the peer any more: its last messages are handled a pass's share at a
        // time like any input, and the connection is reported gone once they are through.
        if (result == 0 && m_state == State::Open && wslay_event_get_read_enabled(m_ctx) &&
            (m_budgetSpent || hasInput()))
            scheduleReadPass();
        else
            finish();
        return;
    }
    if (m_state == State::Closing && m_discarded > m_limits.lingerBytes) {
        abort(); // the peer goes on sending after our close frame
        return;
    }
    if (result == WSLAY_ERR_CALLBACK_FAILURE) {
        failMalformedFrame();
    } else if (result != 0) {
        abort(); // out of memory
        return;
    }
    afterIo();
    if (m_state == State::Closed)
        return;
    if (!wslay_event_get_read_enabled(m_ctx))
        discardInput();
    else if (m_budgetSpent || !m_pending.isEmpty() || m_socket->bytesAvailable() > 0)
        scheduleReadPass();
}

void WsConnection::afterIo()
{
    if (m_state == State::Closed)
        return;
    if (wslay_event_send(m_ctx) != 0) {
        abort();
        return;
    }
    if (!m_ownCloseSent && !wslay_event_get_close_sent(m_ctx))
        return;
    m_state = State::Closing;
    uncork(); // closing: nothing waits for the end of the pass any more
    if (!m_ownCloseSent && wslay_event_get_close_received(m_ctx)) {
        // Both close frames are through: the server ends the TCP connection (RFC 6455 7.1.1).
        m_linger.stop();
        m_socket->disconnectFromHost();
        return;
    }
    if (!m_linger.isActive())
        m_linger.start(m_limits.lingerMs);
    m_socket->flush();
    halfCloseWhenFlushed();
}

void WsConnection::failMalformedFrame()
{
    // Our recv callback never fails, so libwslay's frame layer refused a header: a control frame
    // over 125 bytes or fragmented, or a length not in its shortest form. libwslay 1.1 answers
    // with an empty close frame; RFC 6455 asks for 1002. Nothing else is queued (every send is
    // flushed at once), so ours goes out in its place.
    wslay_event_shutdown_read(m_ctx);
    wslay_event_shutdown_write(m_ctx);
    static const char close1002[] = {char(0x88), 0x02, 0x03, char(0xea)};
    uncork(); // what was sent before goes first
    qtWrite(close1002, sizeof close1002);
    m_ownCloseSent = true;
}

void WsConnection::halfCloseWhenFlushed()
{
    // After a failure we read no more frames, so the peer's answering close frame would go
    // unseen: a FIN after our close frame tells it we are done, and its own close ends the
    // linger. TLS has no half-close of its own; there the linger limits end the connection.
    if (m_halfClosed || m_state != State::Closing || wslay_event_get_read_enabled(m_ctx) ||
        m_socket->bytesToWrite() > 0 || !m_corked.isEmpty() || qobject_cast<QSslSocket *>(m_socket))
        return;
    m_halfClosed = true;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void WsConnection::discardInput()
{
    // Reading on after our close frame keeps the kernel from answering the peer's data with a
    // reset, which would destroy the close frame before the peer reads it (Qt 6.4 lost 1009).
    m_discarded += m_pending.size();
    m_pending.clear();
    m_discarded += m_socket->skip(m_socket->bytesAvailable());
    if (m_discarded > m_limits.lingerBytes)
        abort();
}

void WsConnection::onSocketDisconnected()
{
    if (m_state == State::Closed || m_aborting)
        return;
    if (!m_peerGone) {
        m_peerGone = true;
        // Nothing reaches the peer any more: libwslay queues no pongs or replies from now on.
        wslay_event_shutdown_write(m_ctx);
    }
    // Mid-read (a handler of ours ended the connection) the read pass under way goes on and
    // finishes it: libwslay is never entered again from inside itself.
    if (m_inRecv)
        return;
    if (m_state == State::Open && wslay_event_get_read_enabled(m_ctx) && hasInput()) {
        // A peer's last messages before it hung up are still handled, within the pass limits.
        scheduleReadPass();
        return;
    }
    finish();
}

void WsConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_linger.stop();
    m_pending.clear();
    m_corked.clear();
    emit disconnected();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "wsconnection.h"

#include "readinesspoller.h"

#include <QAbstractEventDispatcher>
#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimerEvent>

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {
constexpr quint8 OpText = 0x1;
constexpr quint8 OpBinary = 0x2;
constexpr quint8 OpClose = 0x8;
constexpr quint8 OpPing = 0x9;
constexpr quint8 OpPong = 0xa;
constexpr int MaxCloseReasonBytes = 123; // a control frame carries at most 125 bytes
// A cork this full goes out at once: a burst (a store batch of thousands of messages published in
// one pass) would otherwise grow one buffer per receiver by copying, then hand the kernel more
// than its socket buffer takes.
constexpr qsizetype CorkFlushBytes = 64 * 1024;
constexpr qint64 ReadChunkBytes = 64 * 1024;

// The connections with corked output this pass, in this thread; one queued call sends them all.
thread_local QList<WsConnection *> t_corked;
// The frame last made for a payload in this thread (one at most, let go at the end of a pass): a
// broadcast sends one payload to every member in turn, and each corks that frame, not a copy.
struct LastFrame
{
    QByteArray payload; // held, so its data cannot be freed and reused for another payload
    QByteArray frame;
    quint8 opcode = 0;
};
thread_local LastFrame t_lastFrame;
// sendmsg(2) takes at most this many pieces at once (IOV_MAX on Linux).
constexpr int MaxPiecesPerSend = 1024;
// Where a pass reads into: one per thread, so that no connection keeps a read buffer.
thread_local std::array<char, ReadChunkBytes> t_readBuffer;

bool wouldBlock(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK || error == EINTR;
}
} // namespace

WsConnection::WsConnection(QTcpSocket *socket, const QByteArray &alreadyRead, const Limits &limits,
                           ReadinessPoller *poller, QObject *parent)
    : QObject(parent)
    , m_parser(limits.maxMessageBytes)
    , m_limits(limits)
    , m_pending(alreadyRead)
    , m_peer(socket->peerAddress())
{
    if (m_limits.readBufferBytes < 1)
        m_limits.readBufferBytes = Limits().readBufferBytes;
    // Plain TCP continues on a duplicate of the descriptor, and the QTcpSocket goes with its
    // buffers and notifiers. Not when its write buffer holds part of the upgrade's answer (the
    // kernel took no more), which only Qt can send.
    if (!qobject_cast<QSslSocket *>(socket) && socket->state() == QAbstractSocket::ConnectedState &&
        socket->bytesToWrite() == 0) {
        m_pending += socket->readAll(); // whatever Qt read beyond the request
        m_fd = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    }
    if (m_fd >= 0) {
        socket->disconnect();
        socket->abort();       // closes Qt's descriptor only: ours keeps the connection
        socket->deleteLater(); // we may be in one of its signals (the request's readyRead)
        if (poller && poller->watch(m_fd, this)) {
            m_poller = poller;
        } else {
            m_readNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
            connect(m_readNotifier, &QSocketNotifier::activated, this, &WsConnection::onReadable);
        }
    } else {
        m_socket = socket;
        m_socket->setParent(this);
        // Qt's default read buffer is unlimited: it would pull in whatever a flooding peer sends.
        // Bounded, the rest stays in the kernel and TCP makes the peer wait. Qt reads on once the
        // buffer has been read empty (readPass reschedules itself while input is left, as
        // readyRead does not come again for what is buffered).
        m_socket->setReadBufferSize(m_limits.readBufferBytes);
        connect(m_socket, &QTcpSocket::readyRead, this, [this] {
            if (!m_passScheduled)
                readPass();
        });
        connect(m_socket, &QTcpSocket::bytesWritten, this, &WsConnection::afterSocketWrite);
        connect(m_socket, &QTcpSocket::disconnected, this, &WsConnection::onPeerGone);
    }
    if (hasInput())
        scheduleReadPass();
}

WsConnection::~WsConnection()
{
    if (m_corkIndex >= 0)
        t_corked[m_corkIndex] = nullptr;
    if (m_socket)
        m_socket->disconnect(this);
    if (m_fd >= 0)
        closeDescriptor();
}

void WsConnection::sendText(const QByteArray &utf8)
{
    queueFrame(OpText, utf8);
}

void WsConnection::sendBinary(const QByteArray &data)
{
    queueFrame(OpBinary, data);
}

void WsConnection::ping(const QByteArray &payload)
{
    queueFrame(OpPing, payload.constData(), qMin<qsizetype>(payload.size(), 125));
}

void WsConnection::queueFrame(quint8 opcode, const QByteArray &payload)
{
    if (m_state == State::Closed || m_closeSent || m_peerGone)
        return;
    LastFrame &last = t_lastFrame;
    // Only data Qt allocated and counts references to (raw data has no capacity, and could change
    // under the same address).
    if (last.opcode == opcode && payload.capacity() > 0 && last.payload.constData() == payload.constData() &&
        last.payload.size() == payload.size()) {
        cork(last.frame);
        return;
    }
    queueFrame(opcode, payload.constData(), payload.size());
    if (!m_corked.isEmpty() && payload.capacity() > 0)
        last = LastFrame{payload, m_corked.constLast(), opcode};
}

void WsConnection::queueFrame(quint8 opcode, const char *payload, qsizetype size)
{
    // Nothing follows a close frame, and nothing is queued for a peer that has hung up.
    if (m_state == State::Closed || m_closeSent || m_peerGone)
        return;
    // A server's frames are unmasked (RFC 6455 5.1): the header is all there is to framing, and
    // a frame is the same for every receiver.
    char header[10];
    int n = 0;
    const quint64 length = quint64(size);
    header[n++] = char(0x80 | opcode);
    if (length < 126) {
        header[n++] = char(length);
    } else if (length <= 0xffff) {
        header[n++] = char(126);
        header[n++] = char(length >> 8);
        header[n++] = char(length);
    } else {
        header[n++] = char(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            header[n++] = char(length >> shift);
    }
    QByteArray frame(n + size, Qt::Uninitialized);
    memcpy(frame.data(), header, size_t(n));
    if (size > 0)
        memcpy(frame.data() + n, payload, size_t(size));
    cork(frame);
}

void WsConnection::cork(const QByteArray &frame)
{
    m_corked.append(frame);
    m_corkedBytes += frame.size();
    if (m_corkedBytes >= CorkFlushBytes) {
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

void WsConnection::clearCork()
{
    m_corked.clear();
    m_corkedBytes = 0;
}

void WsConnection::uncorkAll()
{
    // In place, by index: a connection corked while these are sent joins the list and is sent
    // in this same call, and every m_corkIndex stays an index into this one list (a connection
    // uncorked early or deleted clears its own slot).
    for (qsizetype i = 0; i < t_corked.size(); ++i) {
        if (WsConnection *c = std::exchange(t_corked[i], nullptr)) {
            c->m_corkIndex = -1;
            c->uncork();
        }
    }
    t_corked.clear();
    t_lastFrame = {}; // the pass is over: its last payload is not held any longer
}

void WsConnection::uncork()
{
    if (m_corkIndex >= 0) {
        t_corked[m_corkIndex] = nullptr;
        m_corkIndex = -1;
    }
    if (m_corked.isEmpty())
        return;
    if (m_state == State::Closed || m_peerGone) {
        clearCork();
        return;
    }
    const QList<QByteArray> frames = std::exchange(m_corked, {});
    const qsizetype bytes = std::exchange(m_corkedBytes, 0);
    const auto joined = [&frames, bytes] {
        QByteArray all;
        all.reserve(bytes);
        for (const QByteArray &f : frames)
            all.append(f);
        return all;
    };
    if (m_socket) {
        m_socket->write(joined()); // TLS: Qt encrypts, buffers and reports
        return;
    }
    if (m_unsentAt < m_unsent.size()) {
        // Behind what the kernel has not taken yet; the write notifier sends it on.
        if (m_unsentAt > m_unsent.size() / 2) {
            m_unsent.remove(0, m_unsentAt);
            m_unsentAt = 0;
        }
        for (const QByteArray &f : frames)
            m_unsent.append(f);
        return;
    }
    // The frames as they are, shared ones too, in one sendmsg(2) per IOV_MAX of them.
    qint64 sent = 0;
    qsizetype next = 0;
    bool blocked = false;
    while (next < frames.size() && !blocked) {
        std::array<iovec, MaxPiecesPerSend> iov;
        const qsizetype count = qMin<qsizetype>(frames.size() - next, MaxPiecesPerSend);
        qint64 offered = 0;
        for (qsizetype i = 0; i < count; ++i) {
            const QByteArray &f = frames.at(next + i);
            iov[size_t(i)] = {const_cast<char *>(f.constData()), size_t(f.size())};
            offered += f.size();
        }
        msghdr message = {};
        message.msg_iov = iov.data();
        message.msg_iovlen = size_t(count);
        const ssize_t n = ::sendmsg(m_fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && !wouldBlock(errno)) {
            peerGoneOnSend(); // reset by the peer
            return;
        }
        sent += qMax<ssize_t>(n, 0);
        blocked = n < offered;
        next += count;
    }
    if (sent < bytes) {
        // What the kernel did not take waits, copied, for the descriptor to be writable.
        QByteArray rest = joined();
        m_unsent = rest.mid(sent);
        m_unsentAt = 0;
        updateInterest(); // told when the kernel takes more
    }
    if (sent > 0)
        afterWrite(sent, false);
}

void WsConnection::onWritable()
{
    if (m_state == State::Closed || m_peerGone || m_unsentAt >= m_unsent.size()) {
        updateInterest();
        return;
    }
    const ssize_t n = ::send(m_fd, m_unsent.constData() + m_unsentAt, size_t(m_unsent.size() - m_unsentAt),
                             MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
        if (!wouldBlock(errno))
            peerGoneOnSend();
        return;
    }
    m_unsentAt += n;
    if (m_unsentAt >= m_unsent.size()) {
        m_unsent = QByteArray(); // an idle connection keeps no write buffer
        m_unsentAt = 0;
        updateInterest();
    }
    afterWrite(n, true);
}

void WsConnection::afterWrite(qint64 sent, bool waited)
{
    m_bytesSent += quint64(sent);
    if (m_sentTotal)
        *m_sentTotal += quint64(sent);
    if (waited && sent > 0)
        emit backlogWritten();
    closeTcpWhenFlushed();
}

bool WsConnection::isFlushed() const
{
    return m_corked.isEmpty() && (m_socket ? socketBytesToWrite() == 0 : m_unsentAt >= m_unsent.size());
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
    sendClose(code, utf8);
}

void WsConnection::sendClose(quint16 code, const QByteArray &reason)
{
    if (m_state == State::Closed || m_closeSent || m_peerGone)
        return;
    QByteArray body;
    if (code != 0) {
        body.append(char(code >> 8));
        body.append(char(code & 0xff));
        body.append(reason);
    }
    queueFrame(OpClose, body.constData(), body.size()); // behind what was queued before
    m_closeSent = true;
    if (m_state == State::Open)
        m_state = State::Closing;
    // Bounds the wait for the peer's close frame, and for a peer that stops reading before ours
    // is through.
    m_linger.start(m_limits.lingerMs, this);
    uncork(); // closing: nothing waits for the end of the pass any more
}

void WsConnection::failWith(quint16 code)
{
    m_readFrames = false; // what the peer sends from now on is read only to be dropped
    sendClose(code, {});
    closeTcpWhenFlushed();
}

void WsConnection::closeTcpWhenFlushed()
{
    if (m_state != State::Closing || !isFlushed())
        return;
    if (m_closeTcp) {
        // Both close frames are through: the server ends the TCP connection (RFC 6455 7.1.1).
        // Qt flushes what TLS has encrypted first; the linger timer bounds that wait too.
        if (m_socket)
            m_socket->disconnectFromHost(); // disconnected() follows
        else
            finish();
        return;
    }
    // After a failure we read no more frames, so the peer's answering close frame would go
    // unseen: a FIN after our close frame tells it we are done, and its own close ends the
    // linger. TLS has no half-close of its own; there the linger limits end the connection.
    if (m_readFrames || m_halfClosed || !m_closeSent)
        return;
    if (m_fd >= 0) {
        m_halfClosed = true;
        ::shutdown(m_fd, SHUT_WR);
    } else if (m_socket && !qobject_cast<QSslSocket *>(m_socket)) {
        m_halfClosed = true;
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    }
}

void WsConnection::abort()
{
    if (m_state == State::Closed)
        return;
    clearCork();
    if (m_socket) {
        m_aborting = true; // the socket's disconnected() below brings no last words
        m_socket->abort();
        m_aborting = false;
    } else if (m_fd >= 0) {
        // A reset, not a FIN: the kernel drops what it still holds for the peer (a non-reader's
        // full send buffer) at once instead of keeping it for an orphaned socket.
        const linger reset{1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    }
    finish();
}

qint64 WsConnection::bytesToWrite() const
{
    return (m_socket ? socketBytesToWrite() : m_unsent.size() - m_unsentAt) + m_corkedBytes;
}

qint64 WsConnection::socketBytesToWrite() const
{
    // A QSslSocket counts only what it has not encrypted yet; what it has waits in its inner
    // socket's buffer, and a peer that does not read would pile that up unseen.
    qint64 n = m_socket->bytesToWrite();
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket))
        n += tls->encryptedBytesToWrite();
    return n;
}

qint64 WsConnection::bufferedInputBytes() const
{
    return m_pending.size() + (m_socket ? m_socket->bytesAvailable() : 0);
}

bool WsConnection::hasInput() const
{
    return !m_pending.isEmpty() || (m_socket && m_socket->bytesAvailable() > 0);
}

QHostAddress WsConnection::peerAddress() const
{
    return m_peer;
}

void WsConnection::scheduleReadPass()
{
    if (m_passScheduled)
        return;
    m_passScheduled = true;
    QMetaObject::invokeMethod(this, &WsConnection::readPass, Qt::QueuedConnection);
}

qint64 WsConnection::receive(char *buffer, qint64 size)
{
    if (m_socket)
        return qMax<qint64>(0, m_socket->read(buffer, size)); // its disconnected() says when gone
    for (;;) {
        const ssize_t n = ::recv(m_fd, buffer, size_t(size), MSG_DONTWAIT);
        if (n > 0)
            return n;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        onPeerGone(); // the end of its data, or a reset
        return 0;
    }
}

void WsConnection::readPass()
{
    m_passScheduled = false;
    if (m_state == State::Closed)
        return;
    m_passBytes = 0;
    m_passMessages = 0;
    m_budgetSpent = false;
    m_inPass = true;
    // What was read before and not handled goes first.
    if (!m_pending.isEmpty()) {
        const QByteArray chunk = std::exchange(m_pending, {});
        const qsizetype used = handleFrames(chunk.constData(), chunk.size());
        if (m_state == State::Closed) {
            m_inPass = false;
            return;
        }
        if (used < chunk.size())
            m_pending = chunk.sliced(used);
    }
    // Then at most the rest of the pass's share from the socket; what a pass does not handle
    // waits in m_pending (less than one share), everything else in the kernel.
    char *const buffer = t_readBuffer.data();
    while (m_pending.isEmpty() && !m_budgetSpent && !m_peerGone && m_state != State::Closed) {
        const qint64 room = qMin(m_limits.passBytes - m_passBytes, ReadChunkBytes);
        if (room <= 0) {
            m_budgetSpent = true;
            break;
        }
        const qint64 n = receive(buffer, room);
        if (n <= 0)
            break;
        const qsizetype used = handleFrames(buffer, n);
        if (m_state == State::Closed)
            break;
        if (used < n)
            m_pending = QByteArray(buffer + used, n - used);
    }
    m_inPass = false;
    if (m_state == State::Closed)
        return;
    if (m_peerGone) {
        // Nothing can reach the peer any more: its last messages are handled a pass's share at a
        // time like any input, and the connection is reported gone once they are through.
        if (m_state == State::Open && hasInput())
            scheduleReadPass();
        else
            finish();
        return;
    }
    closeTcpWhenFlushed();
    if (m_state == State::Closed)
        return;
    if (hasInput())
        scheduleReadPass();
    updateInterest();
}

qsizetype WsConnection::handleFrames(const char *data, qsizetype size)
{
    qsizetype done = 0;
    while (done < size && m_state != State::Closed) {
        if (!m_readFrames || m_parser.isFinished()) {
            // After our failure, or after the peer's close frame: read only to be dropped, and
            // only so much (the linger limit), so the peer reads our close frame, not a reset.
            m_discarded += size - done;
            m_passBytes += size - done;
            done = size;
            if (m_discarded > m_limits.lingerBytes)
                abort();
            break;
        }
        if (m_passMessages >= m_limits.passMessages) {
            m_budgetSpent = true; // the rest waits for the next pass: others go first
            break;
        }
        qsizetype used = 0;
        const WsFrameParser::Event event = m_parser.parse(data + done, size - done, &used);
        done += used;
        m_passBytes += used;
        if (m_state == State::Closing) {
            m_discarded += used;
            if (m_discarded > m_limits.lingerBytes) {
                abort(); // the peer goes on sending after our close frame
                break;
            }
        }
        const bool open = m_state == State::Open; // after our close frame, data is dropped
        switch (event) {
        case WsFrameParser::Event::NeedMore:
            break;
        case WsFrameParser::Event::Text: {
            ++m_passMessages;
            const QByteArray utf8 = m_parser.takePayload();
            if (open)
                emit textMessageReceived(QString::fromUtf8(utf8)); // the parser checked it
            break;
        }
        case WsFrameParser::Event::Binary: {
            ++m_passMessages;
            const QByteArray bytes = m_parser.takePayload();
            if (open)
                emit binaryMessageReceived(bytes);
            break;
        }
        case WsFrameParser::Event::Ping: {
            ++m_passMessages;
            const QByteArray payload = m_parser.takePayload();
            if (open) {
                queueFrame(OpPong, payload.constData(), payload.size());
                emit pingReceived();
            }
            break;
        }
        case WsFrameParser::Event::Pong:
            ++m_passMessages;
            if (open)
                emit pongReceived();
            break;
        case WsFrameParser::Event::Close:
            // Answered with the same code (none for none); then the server ends TCP.
            m_closeTcp = true;
            if (!m_closeSent)
                sendClose(m_parser.closeCode(), {});
            if (m_state == State::Open)
                m_state = State::Closing;
            closeTcpWhenFlushed(); // may finish() the connection
            break;
        case WsFrameParser::Event::Error:
            if (m_closeSent)
                m_readFrames = false; // closing already: our close frame stands
            else
                failWith(m_parser.errorCode());
            break;
        }
    }
    return done;
}

void WsConnection::onReadable()
{
    if (!m_passScheduled)
        readPass();
}

void WsConnection::updateInterest()
{
    if (m_fd < 0)
        return;
    // Level-triggered: while input waits in m_pending, the queued pass handles it first.
    const bool live = m_state != State::Closed && !m_peerGone;
    const bool read = live && m_pending.isEmpty();
    const bool write = live && m_unsentAt < m_unsent.size();
    if (m_poller) {
        m_poller->setInterest(m_fd, read, write);
        return;
    }
    if (m_readNotifier && m_readNotifier->isEnabled() != read)
        m_readNotifier->setEnabled(read);
    if (write && !m_writeNotifier) {
        // Made the first time the kernel takes no more, and kept.
        m_writeNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &WsConnection::onWritable);
    }
    if (m_writeNotifier && m_writeNotifier->isEnabled() != write)
        m_writeNotifier->setEnabled(write);
}

void WsConnection::closeDescriptor()
{
    // Out of the poller, or the notifiers off, before the descriptor they watch is closed. The
    // notifiers stay until the destructor (we may be inside one of their signals).
    if (m_poller)
        m_poller->forget(m_fd);
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
}

void WsConnection::peerGoneOnSend()
{
    // Not ended here, inside somebody's sendText() (a broadcast, a relay): a queued pass does,
    // like any end of the peer.
    if (m_state == State::Closed || m_peerGone)
        return;
    dropOutput();
    scheduleReadPass();
}

void WsConnection::dropOutput()
{
    // Nothing reaches the peer any more: no pongs or replies are kept for it.
    m_peerGone = true;
    clearCork();
    m_unsent = QByteArray();
    m_unsentAt = 0;
    updateInterest();
}

void WsConnection::onPeerGone()
{
    if (m_state == State::Closed || m_aborting)
        return;
    dropOutput();
    // Mid-pass (a read found the end, or a handler's send failed) the pass goes on and ends it.
    if (m_inPass)
        return;
    if (m_state == State::Open && m_readFrames && hasInput()) {
        // A peer's last messages before it hung up are still handled, within the pass limits.
        scheduleReadPass();
        return;
    }
    finish();
}

void WsConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_linger.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_linger.stop();
    abort(); // the peer never answered our close frame
}

void WsConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_linger.stop();
    m_pending.clear();
    clearCork();
    m_unsent = QByteArray();
    m_unsentAt = 0;
    if (m_fd >= 0)
        closeDescriptor(); // now, so the peer sees the end at once
    emit disconnected();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "waituntil.h"

#include <QByteArray>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QUrl>
#include <QtEndian>

#include <optional>

//! A WebSocket client built by hand on a QTcpSocket, for what QWebSocket will not do: stay
//! silent (never answer pings), stop reading so the server's send backlog grows, or send frames
//! that break RFC 6455 on purpose (wire conformance tests). Header-only, no Q_OBJECT.
class RawWsClient
{
public:
    //! One frame as the server sent it.
    struct Frame
    {
        bool fin = true;
        quint8 opcode = 0;
        QByteArray payload;
        // A close frame's status code (1005: none given).
        quint16 closeCode() const
        {
            return payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 1005;
        }
    };

    RawWsClient() = default;
    Q_DISABLE_COPY_MOVE(RawWsClient)

    // Connect from this local address (e.g. 127.0.0.2), as another host would.
    bool bindTo(const QHostAddress &local) { return m_socket.bind(local); }

    // The TCP connection alone, for a test that writes the upgrade request itself.
    bool connectOnly(const QUrl &url, int timeoutMs = 10000)
    {
        m_socket.connectToHost(url.host(), quint16(url.port()));
        return m_socket.waitForConnected(timeoutMs);
    }

    // TCP connect plus the HTTP upgrade; true once the server answered 101. `extraHeaders` are
    // whole "Name: value\r\n" lines (e.g. an Origin); response() is the server's answer head.
    bool open(const QUrl &url, int timeoutMs = 10000, const QByteArray &extraHeaders = {})
    {
        if (!connectOnly(url, timeoutMs))
            return false;
        const QByteArray request =
            "GET / HTTP/1.1\r\nHost: " + url.host().toLatin1() + ':' + QByteArray::number(url.port()) +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
            extraHeaders + "\r\n";
        m_socket.write(request);
        const bool upgraded = waitUntil(
            [&] {
                m_received += m_socket.readAll();
                return m_received.contains("\r\n\r\n") ||
                       m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        m_response = m_received.left(m_received.indexOf("\r\n\r\n"));
        if (!upgraded || !m_received.startsWith("HTTP/1.1 101"))
            return false;
        m_received.remove(0, m_received.indexOf("\r\n\r\n") + 4);
        return true;
    }

    // Sends one masked text frame, as RFC 6455 requires of a client.
    void sendText(const QByteArray &payload) { sendFrame(0x1, payload); }
    void sendBinary(const QByteArray &payload) { sendFrame(0x2, payload); }
    void sendPing(const QByteArray &payload = {}) { sendFrame(0x9, payload); }

    // Caps how much Qt pulls from the kernel while nobody reads: then the peer's backlog grows.
    void stopReading() { m_socket.setReadBufferSize(16 * 1024); }
    // Reads and discards from now on.
    void readAndDiscard()
    {
        m_socket.setReadBufferSize(0);
        QObject::connect(&m_socket, &QTcpSocket::readyRead,
                         [this] { m_discarded += m_socket.readAll().size(); });
        m_discarded += m_socket.readAll().size();
    }
    // Reads whatever arrived, without answering anything (pings included).
    QByteArray drain()
    {
        m_received += m_socket.readAll();
        return m_received;
    }
    qint64 discarded() const { return m_discarded; }

    // Any frame, masked as a client must unless `masked` is false; `rsv` is the three reserved
    // bits (RSV1 = 4).
    void sendFrame(quint8 opcode, const QByteArray &payload, bool fin = true, bool masked = true,
                   quint8 rsv = 0)
    {
        m_socket.write(frame(opcode, payload, fin, masked, rsv));
    }
    static QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true, bool masked = true,
                            quint8 rsv = 0)
    {
        QByteArray out;
        out.append(char((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)));
        const quint8 maskBit = masked ? 0x80 : 0;
        const qint64 n = payload.size();
        if (n < 126) {
            out.append(char(maskBit | n));
        } else if (n <= 0xffff) {
            out.append(char(maskBit | 126));
            char len[2];
            qToBigEndian<quint16>(quint16(n), len);
            out.append(len, 2);
        } else {
            out.append(char(maskBit | 127));
            char len[8];
            qToBigEndian<quint64>(quint64(n), len);
            out.append(len, 8);
        }
        if (!masked)
            return out + payload;
        char mask[4];
        qToBigEndian<quint32>(QRandomGenerator::global()->generate(), mask);
        out.append(mask, 4);
        const qsizetype start = out.size();
        out.append(payload);
        char *p = out.data() + start;
        for (qsizetype i = 0; i < n; ++i)
            p[i] = char(p[i] ^ mask[i % 4]);
        return out;
    }
    // A close frame with `code` (none if 0) and `reason` bytes as given.
    void sendClose(quint16 code, const QByteArray &reason = {})
    {
        QByteArray payload;
        if (code) {
            char c[2];
            qToBigEndian<quint16>(code, c);
            payload.append(c, 2);
        }
        sendFrame(0x8, payload + reason);
    }

    // Waits for the next complete frame from the server (none when the connection ends first).
    std::optional<Frame> nextFrame(int timeoutMs = 10000)
    {
        std::optional<Frame> frame;
        waitUntil(
            [&] {
                m_received += m_socket.readAll();
                if (!frame) // waitUntil() asks once more at the end
                    frame = takeFrame();
                return frame.has_value() || m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        if (!frame) {
            m_received += m_socket.readAll();
            frame = takeFrame();
        }
        return frame;
    }
    // Waits for the server's close frame, skipping anything before it; its code, or nullopt when
    // the connection ended without one (what a browser reports as 1006).
    std::optional<quint16> waitForCloseCode(int timeoutMs = 30000)
    {
        while (const auto f = nextFrame(timeoutMs)) {
            if (f->opcode == 0x8)
                return f->closeCode();
        }
        return std::nullopt;
    }
    const QByteArray &response() const { return m_response; }

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool waitForDisconnected(int timeoutMs = 10000)
    {
        return waitUntil([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    }
    QTcpSocket &socket() { return m_socket; }

private:
    std::optional<Frame> takeFrame()
    {
        if (m_received.size() < 2)
            return std::nullopt;
        const auto *p = reinterpret_cast<const uchar *>(m_received.constData());
        qint64 length = p[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_received.size() < 4)
                return std::nullopt;
            length = qFromBigEndian<quint16>(p + 2);
            header = 4;
        } else if (length == 127) {
            if (m_received.size() < 10)
                return std::nullopt;
            length = qint64(qFromBigEndian<quint64>(p + 2));
            header = 10;
        }
        if (p[1] & 0x80)
            header += 4; // servers do not mask; a masked frame is read as garbage
        if (m_received.size() < header + length)
            return std::nullopt;
        Frame f{(p[0] & 0x80) != 0, quint8(p[0] & 0x0f), m_received.mid(header, length)};
        m_received.remove(0, header + length);
        return f;
    }

    QTcpSocket m_socket;
    QByteArray m_received;
    QByteArray m_response;
    qint64 m_discarded = 0;
};

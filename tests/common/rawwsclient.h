// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "waituntil.h"

#include <QByteArray>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QUrl>
#include <QtEndian>

//! A WebSocket client built by hand on a QTcpSocket, for what QWebSocket will not do: stay
//! silent (never answer pings) or stop reading so the server's send backlog grows.
//! Header-only, no Q_OBJECT.
class RawWsClient
{
public:
    RawWsClient() = default;
    Q_DISABLE_COPY_MOVE(RawWsClient)

    // TCP connect plus the HTTP upgrade; true once the server answered 101. `extraHeaders` are
    // whole "Name: value\r\n" lines (e.g. an Origin); response() is the server's answer head.
    bool open(const QUrl &url, int timeoutMs = 10000, const QByteArray &extraHeaders = {})
    {
        m_socket.connectToHost(url.host(), quint16(url.port()));
        if (!m_socket.waitForConnected(timeoutMs))
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
                return m_received.contains("\r\n\r\n");
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
    const QByteArray &response() const { return m_response; }

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool waitForDisconnected(int timeoutMs = 10000)
    {
        return waitUntil([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    }
    QTcpSocket &socket() { return m_socket; }

private:
    void sendFrame(quint8 opcode, const QByteArray &payload)
    {
        QByteArray frame;
        frame.append(char(0x80 | opcode));
        const qint64 n = payload.size();
        if (n < 126) {
            frame.append(char(0x80 | n));
        } else if (n <= 0xffff) {
            frame.append(char(0x80 | 126));
            char len[2];
            qToBigEndian<quint16>(quint16(n), len);
            frame.append(len, 2);
        } else {
            frame.append(char(0x80 | 127));
            char len[8];
            qToBigEndian<quint64>(quint64(n), len);
            frame.append(len, 8);
        }
        char mask[4];
        qToBigEndian<quint32>(QRandomGenerator::global()->generate(), mask);
        frame.append(mask, 4);
        const qsizetype start = frame.size();
        frame.append(payload);
        for (qsizetype i = 0; i < n; ++i)
            frame[start + i] = char(frame[start + i] ^ mask[i % 4]);
        m_socket.write(frame);
    }

    QTcpSocket m_socket;
    QByteArray m_received;
    QByteArray m_response;
    qint64 m_discarded = 0;
};

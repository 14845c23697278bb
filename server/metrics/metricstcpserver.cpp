// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricstcpserver.h"

#include <QTcpSocket>
#include <QTimer>

#include <unistd.h>

MetricsTcpServer::MetricsTcpServer(const Limits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{}

void MetricsTcpServer::incomingConnection(qintptr descriptor)
{
    if (m_open >= m_limits.maxConnections) {
        ::close(int(descriptor)); // unanswered: the cheapest refusal
        return;
    }
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        ::close(int(descriptor));
        return;
    }
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
    // Qt reads nothing past this into memory: a request that fills it is refused below, and one
    // that stalls there is closed by the idle timer.
    socket->setReadBufferSize(m_limits.maxRequestBytes);
    // Connected before the HTTP server's own handler (it connects once the socket is queued), so
    // this sees every byte first. The HTTP server reads all there is on each readyRead inside a
    // read transaction, which it commits once a request is complete: a socket outside a
    // transaction starts a new request.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, received = qint64(0)]() mutable {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
        if (!socket->isTransactionStarted())
            received = 0;
        received += socket->bytesAvailable();
        if (received >= m_limits.maxRequestBytes)
            refuseOversized(socket);
    });
    auto *idle = new QTimer(socket);
    idle->setSingleShot(true);
    idle->setInterval(m_limits.idleMs);
    connect(idle, &QTimer::timeout, socket, &QAbstractSocket::abort);
    connect(socket, &QIODevice::bytesWritten, idle, qOverload<>(&QTimer::start)); // an answer went out
    idle->start();
    addPendingConnection(socket);
}

void MetricsTcpServer::refuseOversized(QTcpSocket *socket)
{
    if (m_reader)
        QObject::disconnect(socket, &QTcpSocket::readyRead, m_reader, nullptr);
    static const QByteArray body = QByteArrayLiteral("request too large\n");
    socket->write(QByteArrayLiteral("HTTP/1.1 431 Request Header Fields Too Large\r\n"
                                    "Content-Type: text/plain; charset=utf-8\r\n"
                                    "Connection: close\r\n"
                                    "Content-Length: ") +
                  QByteArray::number(body.size()) + QByteArrayLiteral("\r\n\r\n") + body);
    socket->disconnectFromHost();
}

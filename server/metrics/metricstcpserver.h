// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTcpServer>

//! The metrics endpoint's listening socket. Qt 6.4's HTTP server bounds neither how many
//! connections it holds nor how large a request grows in memory (request line, headers and body
//! are read whole, however long), so this bounds both before its parser sees a byte, and closes
//! connections that do not complete a request in time (docs/DEPLOYING.md, *Monitoring*).
class MetricsTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxConnections = 16;
        qint64 maxRequestBytes = 16 * 1024; // line, headers and body of one request
        int idleMs = 30000;                 // from connecting, or from the last answer
    };

    explicit MetricsTcpServer(const Limits &limits, QObject *parent = nullptr);

    // The HTTP server reading these sockets: an oversized request is taken away from it.
    void setReader(QObject *reader) { m_reader = reader; }
    int openConnections() const { return m_open; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void refuseOversized(QTcpSocket *socket);

    Limits m_limits;
    QObject *m_reader = nullptr;
    int m_open = 0;
};

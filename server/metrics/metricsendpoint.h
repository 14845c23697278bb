// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "serverstats.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QString>
#include <QUrl>

class ChatServer;
class MetricsTcpServer;

//! natter-server's `/metrics` (Prometheus text format) and `/healthz` on a port of their own
//! (docs/DEPLOYING.md, *Monitoring*). Reads the ChatServer it is given, so it lives in that
//! server's thread.
class MetricsEndpoint : public QAbstractHttpServer
{
    Q_OBJECT

public:
    // Every figure /metrics shows, taken at once.
    struct Snapshot
    {
        ServerStats stats;
        int connections = 0;
        int rooms = 0;
        int occupiedRooms = 0;
        int uploadsHeldBack = 0;
        bool hasStore = false; // the store_* figures mean something
        bool storeHealthy = true;
        bool hasCluster = false; // --redis
        bool clusterHealthy = false;
        double redisRoundTripSeconds = 0;
        quint64 storeBatches = 0;
        double storeSeconds = 0;
        double storeLastSeconds = 0;
        qint64 residentBytes = -1; // -1: unknown
    };

    // `server` is not owned and must outlive this.
    explicit MetricsEndpoint(const ChatServer *server, QObject *parent = nullptr);

    // Listens on `host` (an address, or localhost) and `port` (0: a free one).
    bool start(const QString &host, quint16 port);
    quint16 port() const;
    QUrl url() const; // http://host:port/metrics
    QString errorString() const { return m_error; }

    static Snapshot snapshot(const ChatServer &server);
    // The exposition: `# HELP` and `# TYPE` for each metric, names prefixed `natter_`.
    static QByteArray render(const Snapshot &snapshot);
    // Why the server is not healthy (one line, for /healthz's 503); empty when it is.
    static QString unhealthyReason(const ChatServer &server);
    // The process's resident memory from /proc/self/statm; -1 when it cannot be read.
    static qint64 residentBytes();

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    const ChatServer *m_server;
    MetricsTcpServer *m_tcp = nullptr;
    QString m_error;
};

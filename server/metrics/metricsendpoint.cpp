// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricsendpoint.h"

#include "chatserver.h"
#include "clusterlink.h"
#include "historywriter.h"
#include "metricstcpserver.h"

#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>

#include <unistd.h>

namespace {
using Status = QHttpServerResponder::StatusCode;

const QByteArray PlainText = QByteArrayLiteral("text/plain; charset=utf-8");

// One metric: its HELP and TYPE lines, then its samples as given ("name{labels} value" each).
void metric(QByteArray &out, const char *name, const char *type, const char *help,
            std::initializer_list<std::pair<QByteArray, QByteArray>> samples)
{
    out += QByteArrayLiteral("# HELP ") + name + ' ' + help + '\n';
    out += QByteArrayLiteral("# TYPE ") + name + ' ' + type + '\n';
    for (const auto &[sample, value] : samples)
        out += sample + ' ' + value + '\n';
}

void metric(QByteArray &out, const char *name, const char *type, const char *help, const QByteArray &value)
{
    metric(out, name, type, help, {{QByteArray(name), value}});
}

QByteArray number(quint64 value)
{
    return QByteArray::number(value);
}

QByteArray seconds(double value)
{
    return QByteArray::number(value, 'g', 12);
}

// Label values escape backslash, double quote and newline (the text format's rule).
QByteArray labelValue(QByteArray value)
{
    return value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
}
} // namespace

MetricsEndpoint::MetricsEndpoint(const ChatServer *server, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_server(server)
{}

bool MetricsEndpoint::start(const QString &host, quint16 port)
{
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host)) {
        m_error = QStringLiteral("'%1' is not an IP address").arg(host);
        return false;
    }
    auto *tcp = new MetricsTcpServer(MetricsTcpServer::Limits{}, this);
    if (!tcp->listen(address, port)) {
        m_error = tcp->errorString();
        delete tcp;
        return false;
    }
    tcp->setReader(this);
    bind(tcp);
    m_tcp = tcp;
    m_error.clear();
    return true;
}

quint16 MetricsEndpoint::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QUrl MetricsEndpoint::url() const
{
    if (!m_tcp)
        return {};
    const QHostAddress address = ChatServer::connectableAddress(m_tcp->serverAddress());
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(address.toString());
    url.setPort(port());
    url.setPath(QStringLiteral("/metrics"));
    return url;
}

MetricsEndpoint::Snapshot MetricsEndpoint::snapshot(const ChatServer &server)
{
    Snapshot s;
    s.stats = server.stats();
    s.connections = server.clientCount();
    s.rooms = server.roomCount();
    s.occupiedRooms = server.occupiedRoomCount();
    s.uploadsHeldBack = server.uploadsHeldBack();
    if (const HistoryWriter *writer = server.historyWriter()) {
        s.hasStore = true;
        s.storeHealthy = writer->healthy();
        s.storeBatches = writer->batchesWritten();
        s.storeSeconds = writer->writeSeconds();
        s.storeLastSeconds = writer->lastWriteSeconds();
    }
    if (const ClusterLink *cluster = server.clusterLink()) {
        s.hasCluster = true;
        s.clusterHealthy = cluster->healthy();
        s.redisRoundTripSeconds = cluster->lastRoundTripSeconds();
    }
    s.residentBytes = residentBytes();
    return s;
}

QByteArray MetricsEndpoint::render(const Snapshot &s)
{
    QByteArray out;
    out.reserve(4096);
    metric(out, "natter_build_info", "gauge", "Always 1; the label is the natter-server version.",
           {{QByteArrayLiteral("natter_build_info{version=\"") + labelValue(NATTER_VERSION) + "\"}", "1"}});
    metric(out, "natter_connections", "gauge", "WebSocket connections open now.",
           number(quint64(s.connections)));
    metric(out, "natter_connections_accepted_total", "counter",
           "WebSocket connections accepted since the server started.", number(s.stats.connectionsAccepted));
    metric(out, "natter_handshakes_refused_total", "counter",
           "WebSocket upgrade requests answered with an HTTP error (malformed, origin, token, busy).",
           number(s.stats.handshakesRefused));
    metric(out, "natter_rooms", "gauge", "Rooms held in memory, occupied or kept for their history.",
           number(quint64(s.rooms)));
    metric(out, "natter_rooms_occupied", "gauge", "Rooms with at least one member.",
           number(quint64(s.occupiedRooms)));
    metric(out, "natter_messages_received_total", "counter",
           "Chat messages (and files) accepted into a room.", number(s.stats.messagesReceived));
    metric(out, "natter_messages_delivered_total", "counter",
           "Chat messages sent on to room members, one per recipient.", number(s.stats.messagesDelivered));
    metric(out, "natter_received_bytes_total", "counter",
           "Payload bytes of the WebSocket messages clients sent.", number(s.stats.bytesReceived));
    metric(out, "natter_sent_bytes_total", "counter",
           "Bytes written to client connections, WebSocket framing included.", number(s.stats.bytesSent));
    metric(out, "natter_file_bytes_relayed_total", "counter",
           "File data bytes taken from uploaders and relayed to their rooms.",
           number(s.stats.fileBytesRelayed));
    metric(out, "natter_file_uploads_held_back", "gauge",
           "Uploads whose sender waits for a lagging receiver, on this node or another.",
           number(quint64(s.uploadsHeldBack)));
    if (s.hasStore) {
        metric(out, "natter_store_write_seconds", "summary",
               "Batches written to the message store and the seconds their writes took.",
               {{QByteArrayLiteral("natter_store_write_seconds_sum"), seconds(s.storeSeconds)},
                {QByteArrayLiteral("natter_store_write_seconds_count"), number(s.storeBatches)}});
        metric(out, "natter_store_last_write_seconds", "gauge",
               "Seconds the last batch's write to the message store took.", seconds(s.storeLastSeconds));
        metric(out, "natter_store_healthy", "gauge", "1 while the message store writes, 0 while it refuses.",
               s.storeHealthy ? "1" : "0");
    }
    if (s.hasCluster) {
        metric(out, "natter_redis_up", "gauge",
               "1 while both connections to Redis (commands, subscriptions) work, 0 while it is unreachable.",
               s.clusterHealthy ? "1" : "0");
        metric(out, "natter_redis_round_trip_seconds", "gauge", "Seconds the newest command to Redis took.",
               seconds(s.redisRoundTripSeconds));
    }
    if (s.residentBytes >= 0)
        metric(out, "natter_process_resident_memory_bytes", "gauge",
               "Resident memory of the process in bytes.", number(quint64(s.residentBytes)));
    return out;
}

QString MetricsEndpoint::unhealthyReason(const ChatServer &server)
{
    if (!server.isListening())
        return QStringLiteral("not listening");
    if (const HistoryWriter *writer = server.historyWriter(); writer && !writer->healthy())
        return QStringLiteral("message store cannot write");
    if (const ClusterLink *cluster = server.clusterLink(); cluster && !cluster->healthy())
        return QStringLiteral("redis unreachable");
    return {};
}

qint64 MetricsEndpoint::residentBytes()
{
    // "size resident shared text lib data dt", in pages.
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readLine(256).split(' ');
    bool ok = false;
    const qint64 pages = fields.value(1).trimmed().toLongLong(&ok);
    return ok ? pages * qint64(::sysconf(_SC_PAGESIZE)) : -1;
}

bool MetricsEndpoint::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    if (path != QLatin1String("/metrics") && path != QLatin1String("/healthz"))
        return false;
    QHttpServerResponder responder = makeResponder(request, socket);
    if (request.method() != QHttpServerRequest::Method::Get) {
        responder.write(QByteArrayLiteral("only GET\n"), {{"Content-Type", PlainText}, {"Allow", "GET"}},
                        Status::MethodNotAllowed);
        return true;
    }
    if (path == QLatin1String("/metrics")) {
        responder.write(render(snapshot(*m_server)),
                        QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
        return true;
    }
    const QString reason = unhealthyReason(*m_server);
    if (reason.isEmpty())
        responder.write(QByteArrayLiteral("ok\n"), PlainText);
    else
        responder.write(reason.toUtf8() + '\n', PlainText, Status::ServiceUnavailable);
    return true;
}

void MetricsEndpoint::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    makeResponder(request, socket).write(QByteArrayLiteral("not found\n"), PlainText, Status::NotFound);
}

// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test): how many chat messages per second ChatClient ingests from a server
// burst. An in-process QWebSocketServer in its own thread sends COUNT chatMessage frames as fast
// as it can once the client joins; the clock runs from roomJoined to the last messageReceived.
//   bench_client_ingest [--count N] [--ids] [--url ws://...]
// --ids adds id/seq/room to every message (the extension path with deduplication);
// --url measures against an external burst server instead (e.g. tests/benchmarks/node/burst-server.js,
// which times the client itself): the client then stays until that server closes the connection.

#include "chatclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>

namespace {
double rssMiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

//! The burst server, living in its own thread.
class BurstServer : public QObject
{
public:
    BurstServer(int count, bool ids)
        : m_server(new QWebSocketServer(QStringLiteral("burst"), QWebSocketServer::NonSecureMode, this))
    {
        // Frames are encoded up front, so the burst runs as fast as the socket allows.
        const qint64 now = Protocol::nowMs();
        m_frames.reserve(count);
        for (int i = 0; i < count; ++i) {
            Protocol::ChatMessage m;
            m.user = QStringLiteral("burst");
            m.text = QStringLiteral("message %1 with a little text in it").arg(i);
            m.timestamp = now;
            if (ids) {
                m.id = QStringLiteral("burst-%1").arg(i);
                m.seq = i + 1;
                m.room = QStringLiteral("bench");
            }
            m_frames.append(QString::fromUtf8(Protocol::encode(Protocol::ServerMessage(m))));
        }
        m_ids = ids;
        connect(m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = m_server->nextPendingConnection())
                serve(s);
        });
    }
    quint16 listen()
    {
        m_server->listen(QHostAddress::LocalHost, 0);
        return m_server->serverPort();
    }

private:
    void serve(QWebSocket *socket)
    {
        socket->setParent(this);
        Protocol::Connected c;
        c.clientId = QStringLiteral("burst");
        if (m_ids) {
            c.protocol = Protocol::Version;
            c.server = QStringLiteral("burst");
            c.features = {Protocol::Feature::History, Protocol::Feature::Acks};
        }
        socket->sendTextMessage(QString::fromUtf8(Protocol::encode(Protocol::ServerMessage(c))));
        connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
            const auto d = Protocol::decodeClient(text.toUtf8());
            const auto *m = std::get_if<Protocol::ClientMessage>(&d);
            if (!m)
                return;
            if (const auto *u = std::get_if<Protocol::SetUsername>(m)) {
                socket->sendTextMessage(
                    QString::fromUtf8(Protocol::encode(Protocol::UsernameSet{u->username})));
            } else if (const auto *j = std::get_if<Protocol::JoinRoom>(m)) {
                Protocol::RoomJoined r;
                r.room = j->room;
                r.userCount = 1;
                if (m_ids)
                    r.lastSeq = 0;
                socket->sendTextMessage(QString::fromUtf8(Protocol::encode(Protocol::ServerMessage(r))));
                for (const QString &f : std::as_const(m_frames))
                    socket->sendTextMessage(f);
            } else if (const auto *p = std::get_if<Protocol::Ping>(m)) {
                socket->sendTextMessage(
                    QString::fromUtf8(Protocol::encode(Protocol::Pong{p->timestamp, Protocol::nowMs()})));
            }
        });
    }

    QWebSocketServer *m_server; // a child, so it moves to the server thread with us
    QList<QString> m_frames;
    bool m_ids = false;
};
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("count"), QStringLiteral("Messages in the burst (100000)."), QStringLiteral("n")},
         {QStringLiteral("ids"), QStringLiteral("Messages carry id, seq and room.")},
         {QStringLiteral("url"), QStringLiteral("Use an external burst server."), QStringLiteral("url")}});
    parser.process(app);
    const int count =
        parser.isSet(QStringLiteral("count")) ? parser.value(QStringLiteral("count")).toInt() : 100000;

    QThread serverThread;
    BurstServer *burst = nullptr;
    QUrl url;
    if (parser.isSet(QStringLiteral("url"))) {
        url = QUrl(parser.value(QStringLiteral("url")));
    } else {
        burst = new BurstServer(count, parser.isSet(QStringLiteral("ids")));
        burst->moveToThread(&serverThread);
        serverThread.start();
        quint16 port = 0;
        QMetaObject::invokeMethod(
            burst, [&] { port = burst->listen(); }, Qt::BlockingQueuedConnection);
        url = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port));
    }

    ChatClient::Settings settings;
    settings.outboxPath = QStringLiteral("/dev/null/unused"); // nothing is sent; never written
    settings.watchNetwork = false;
    settings.maxIncomingMessageBytes = 64 * 1024 * 1024;
    ChatClient client(settings);
    QElapsedTimer clock;
    int received = 0;
    QObject::connect(&client, &ChatClient::roomJoined, [&] { clock.start(); });
    QObject::connect(&client, &ChatClient::messageReceived, [&](const Protocol::ChatMessage &) {
        if (++received == count) {
            const double seconds = clock.nsecsElapsed() / 1e9;
            const QJsonObject result{{QStringLiteral("client"), QStringLiteral("natter-core")},
                                     {QStringLiteral("messages"), received},
                                     {QStringLiteral("seconds"), qRound(seconds * 1000) / 1000.0},
                                     {QStringLiteral("perSecond"), qRound64(received / seconds)},
                                     {QStringLiteral("rssMiB"), qRound(rssMiB() * 10) / 10.0},
                                     {QStringLiteral("ids"), parser.isSet(QStringLiteral("ids"))}};
            std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
            std::fflush(stdout);
            if (burst) // in-process: done; an external server closes when it has its figure
                QCoreApplication::exit(0);
        }
    });
    QObject::connect(&client, &ChatClient::stateChanged, [&](ChatClient::State s, const QString &why) {
        if (received == count && s != ChatClient::State::Connected) {
            QCoreApplication::exit(0); // an external server closed after its ping barrier
        } else if (s == ChatClient::State::Reconnecting || s == ChatClient::State::GaveUp) {
            std::fprintf(stderr, "bench_client_ingest: connection failed: %s\n", qPrintable(why));
            QCoreApplication::exit(1);
        }
    });
    client.connectToServer(url, QStringLiteral("ingest"), QStringLiteral("bench"));
    const int rc = app.exec();
    if (burst)
        QMetaObject::invokeMethod(
            burst, [burst] { delete burst; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return rc;
}

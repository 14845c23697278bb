// SPDX-License-Identifier: GPL-3.0-or-later
// A server that only bursts: once a client joins a room it is sent COUNT pre-encoded chatMessages
// as fast as the socket takes them. It feeds the client-ingest comparison (bench_ingest against
// node/ingest-client.js) without the sender being the bottleneck.
//
//   bench_burst_server [--port 0] [--count 100000]   (prints the URL it listens on)

#include "protocol.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QWebSocket>
#include <QWebSocketServer>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("port"), QStringLiteral("Port (0 = free)."), QStringLiteral("port"),
                      QStringLiteral("0")});
    parser.addOption({QStringLiteral("count"), QStringLiteral("Messages per burst."), QStringLiteral("n"),
                      QStringLiteral("100000")});
    parser.process(app);
    const int count = parser.value(QStringLiteral("count")).toInt();

    QStringList frames;
    frames.reserve(count);
    const qint64 now = Protocol::nowMs();
    for (int i = 0; i < count; ++i) {
        frames.append(QString::fromUtf8(Protocol::encode(
            Protocol::ChatMessage{QStringLiteral("burst"),
                                  QStringLiteral("message %1 with a little text in it").arg(i),
                                  now,
                                  {},
                                  0,
                                  {}})));
    }

    QWebSocketServer server(QStringLiteral("burst"), QWebSocketServer::NonSecureMode);
    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(QStringLiteral("port")).toUInt()))) {
        fprintf(stderr, "bench_burst_server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    QObject::connect(&server, &QWebSocketServer::newConnection, &app, [&] {
        QWebSocket *ws = server.nextPendingConnection();
        QObject::connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
        Protocol::Connected hello;
        hello.clientId = QStringLiteral("burst");
        ws->sendTextMessage(QString::fromUtf8(Protocol::encode(hello)));
        QObject::connect(ws, &QWebSocket::textMessageReceived, ws, [ws, &frames](const QString &text) {
            const auto decoded = Protocol::decodeClient(text);
            if (Protocol::isError(decoded))
                return;
            const auto &msg = std::get<Protocol::ClientMessage>(decoded);
            if (auto *set = std::get_if<Protocol::SetUsername>(&msg)) {
                ws->sendTextMessage(
                    QString::fromUtf8(Protocol::encode(Protocol::UsernameSet{set->username})));
            } else if (auto *join = std::get_if<Protocol::JoinRoom>(&msg)) {
                Protocol::RoomJoined joined;
                joined.room = join->room;
                joined.userCount = 1;
                ws->sendTextMessage(QString::fromUtf8(Protocol::encode(joined)));
                for (const QString &frame : frames)
                    ws->sendTextMessage(frame);
            }
        });
    });
    printf("bench_burst_server listening on ws://127.0.0.1:%u\n", server.serverPort());
    fflush(stdout);
    return app.exec();
}

// SPDX-License-Identifier: GPL-3.0-or-later
// Fan-out load generator: RECEIVERS clients and one sender join a room on any server that speaks
// the guides' protocol (natter-server or the Node.js baseline); the sender sends COUNT messages
// and the run ends when every receiver has decoded them all. Prints one JSON line.
//
//   bench_fanout --url ws://127.0.0.1:8080 [--receivers 10] [--count 20000]

#include "protocol.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QWebSocket>

#include <memory>
#include <vector>

namespace {

struct Client
{
    std::unique_ptr<QWebSocket> socket = std::make_unique<QWebSocket>();
    int received = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("url"), QStringLiteral("Server URL."), QStringLiteral("url")});
    parser.addOption({QStringLiteral("receivers"), QStringLiteral("Receiving clients."), QStringLiteral("n"),
                      QStringLiteral("10")});
    parser.addOption({QStringLiteral("count"), QStringLiteral("Messages to send."), QStringLiteral("n"),
                      QStringLiteral("20000")});
    parser.process(app);
    const QUrl url(parser.value(QStringLiteral("url")));
    const int receivers = parser.value(QStringLiteral("receivers")).toInt();
    const int count = parser.value(QStringLiteral("count")).toInt();
    if (!url.isValid() || url.scheme().isEmpty() || receivers < 1 || count < 1) {
        fprintf(stderr, "bench_fanout: need --url ws://host:port, --receivers >= 1, --count >= 1\n");
        return 2;
    }

    std::vector<Client> clients(size_t(receivers) + 1); // the last one sends
    int joined = 0;
    int finished = 0;
    QElapsedTimer clock;

    auto start = [&] {
        clock.start();
        QWebSocket *sender = clients.back().socket.get();
        for (int i = 0; i < count; ++i)
            sender->sendTextMessage(QString::fromUtf8(
                Protocol::encode(Protocol::SendChat{QStringLiteral("fan-out message %1").arg(i), {}})));
    };

    for (size_t i = 0; i < clients.size(); ++i) {
        Client &c = clients[i];
        const bool isSender = i + 1 == clients.size();
        QWebSocket *ws = c.socket.get();
        QObject::connect(ws, &QWebSocket::connected, ws, [ws, i, isSender] {
            const QString name = isSender ? QStringLiteral("sender") : QStringLiteral("r%1").arg(i);
            ws->sendTextMessage(QString::fromUtf8(Protocol::encode(Protocol::SetUsername{name})));
            ws->sendTextMessage(QString::fromUtf8(
                Protocol::encode(Protocol::JoinRoom{QStringLiteral("fanout"), std::nullopt, {}})));
        });
        QObject::connect(
            ws, &QWebSocket::textMessageReceived, ws, [&, isSender, ci = i](const QString &text) {
                const auto decoded = Protocol::decodeServer(text);
                if (Protocol::isError(decoded))
                    return;
                const auto &msg = std::get<Protocol::ServerMessage>(decoded);
                if (std::holds_alternative<Protocol::RoomJoined>(msg) && ++joined == int(clients.size())) {
                    start();
                } else if (!isSender && std::holds_alternative<Protocol::ChatMessage>(msg)) {
                    if (++clients[ci].received == count && ++finished == receivers)
                        app.quit();
                }
            });
        ws->open(url);
    }

    QTimer::singleShot(120000, &app, [&] {
        fprintf(stderr, "bench_fanout: timed out with %d of %d receivers done\n", finished, receivers);
        app.exit(1);
    });
    if (app.exec() != 0)
        return 1;
    const double seconds = clock.nsecsElapsed() / 1e9;
    const QJsonObject result{
        {QStringLiteral("client"), QStringLiteral("qt")},
        {QStringLiteral("url"), url.toString()},
        {QStringLiteral("receivers"), receivers},
        {QStringLiteral("messages"), count},
        {QStringLiteral("seconds"), seconds},
        {QStringLiteral("deliveredPerSecond"), qRound64(receivers * double(count) / seconds)}};
    printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// In-process benchmark of the server core: a ChatServer runs in its own thread, RECEIVERS
// QWebSocket clients and one sender in the main thread, over loopback. Prints JSON lines:
//   fan-out: chat messages delivered per second and sender-to-receiver latency percentiles;
//   files:   relayed file throughput to every receiver, with the protocol's flow control.
//
//   bench_server [--receivers 10] [--count 20000] [--file-mib 64]
// (For natter-server against the Node.js baseline, see tests/benchmarks and docs/BENCHMARKS.md.)

#include "chatserver.h"
#include "protocol.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QThread>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

struct Client
{
    std::unique_ptr<QWebSocket> socket = std::make_unique<QWebSocket>();
    int chats = 0;
    qint64 fileBytes = 0;
    bool joined = false;
    quint32 lastProgress = 0;
};

void waitUntil(const std::function<bool()> &done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
}

void send(QWebSocket &socket, const Protocol::ClientMessage &message)
{
    socket.sendTextMessage(QString::fromUtf8(Protocol::encode(message)));
}

void print(const QJsonObject &o)
{
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("receivers"), QStringLiteral("Receiving clients."),
                        QStringLiteral("n"), QStringLiteral("10")},
                       {QStringLiteral("count"), QStringLiteral("Chat messages to send."),
                        QStringLiteral("n"), QStringLiteral("20000")},
                       {QStringLiteral("file-mib"), QStringLiteral("File size to relay, 0 to skip."),
                        QStringLiteral("mib"), QStringLiteral("64")}});
    parser.process(app);
    const int receivers = qMax(1, parser.value(QStringLiteral("receivers")).toInt());
    const int count = qMax(1, parser.value(QStringLiteral("count")).toInt());
    const qint64 fileBytes = qMax(0LL, parser.value(QStringLiteral("file-mib")).toLongLong()) * 1024 * 1024;

    ServerConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 0;
    QThread serverThread;
    auto *server = new ChatServer(config);
    server->moveToThread(&serverThread);
    QObject::connect(&serverThread, &QThread::finished, server, &QObject::deleteLater);
    serverThread.start();
    bool listening = false;
    QMetaObject::invokeMethod(
        server, [&] { listening = server->listen(); }, Qt::BlockingQueuedConnection);
    if (!listening) {
        std::fprintf(stderr, "bench_server: cannot listen\n");
        return 1;
    }
    const QUrl url = server->url();

    std::vector<Client> clients(size_t(receivers) + 1);
    Client &sender = clients.back();
    std::vector<qint64> latenciesUs;
    latenciesUs.reserve(size_t(count));
    QElapsedTimer clock;
    clock.start();
    for (size_t i = 0; i < clients.size(); ++i) {
        Client &c = clients[i];
        const bool first = i == 0;
        QObject::connect(
            c.socket.get(), &QWebSocket::textMessageReceived,
            [&c, &latenciesUs, &clock, first](const QString &text) {
                // Only the first receiver decodes, to measure latency; the others just count.
                if (!first && !c.joined) {
                    c.joined = text.contains(QLatin1String("\"roomJoined\""));
                } else if (!first) {
                    c.chats += text.contains(QLatin1String("\"chatMessage\""));
                } else {
                    const auto d = Protocol::decodeServer(text.toUtf8());
                    const auto *m = std::get_if<Protocol::ServerMessage>(&d);
                    if (!m)
                        return;
                    if (std::holds_alternative<Protocol::RoomJoined>(*m))
                        c.joined = true;
                    if (const auto *chat = std::get_if<Protocol::ChatMessage>(m)) {
                        ++c.chats;
                        latenciesUs.push_back(
                            (clock.nsecsElapsed() - chat->text.section(QLatin1Char(' '), 1, 1).toLongLong()) /
                            1000);
                    }
                }
                if (text.contains(QLatin1String("\"fileProgress\""))) {
                    const auto d = Protocol::decodeServer(text.toUtf8());
                    if (const auto *m = std::get_if<Protocol::ServerMessage>(&d)) {
                        if (const auto *p = std::get_if<Protocol::FileProgress>(m))
                            c.lastProgress = p->received;
                    }
                }
            });
        QObject::connect(c.socket.get(), &QWebSocket::binaryMessageReceived, [&c](const QByteArray &frame) {
            c.fileBytes += frame.size() - Protocol::RelayHeaderBytes;
        });
        QObject::connect(c.socket.get(), &QWebSocket::connected, [&c, i] {
            send(*c.socket, Protocol::Hello{QStringLiteral("bench_server"), {Protocol::Feature::Files}});
            send(*c.socket, Protocol::SetUsername{QStringLiteral("user%1").arg(i)});
            send(*c.socket, Protocol::JoinRoom{QStringLiteral("bench"), {}, {}});
        });
        c.socket->open(url);
    }
    waitUntil([&] {
        return std::all_of(clients.begin(), clients.end() - 1, [](const Client &c) { return c.joined; });
    });
    sender.joined = true;

    // Fan-out: keep at most `window` messages ahead of the first receiver, as a real client
    // would pace itself, so the numbers measure the server and not a growing socket buffer.
    const int window = 500;
    const QString padding(40, QLatin1Char('x'));
    int sent = 0;
    QElapsedTimer elapsed;
    elapsed.start();
    while (clients.front().chats < count || std::any_of(clients.begin(), clients.end() - 1,
                                                        [&](const Client &c) { return c.chats < count; })) {
        while (sent < count && sent - clients.front().chats < window) {
            send(*sender.socket,
                 Protocol::SendChat{QStringLiteral("m %1 %2").arg(clock.nsecsElapsed()).arg(padding), {}});
            ++sent;
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    const double seconds = double(elapsed.nsecsElapsed()) / 1e9;
    std::sort(latenciesUs.begin(), latenciesUs.end());
    const auto percentile = [&](double p) {
        return double(latenciesUs[std::min(latenciesUs.size() - 1, size_t(p * double(latenciesUs.size())))]) /
               1000.0;
    };
    print({{QStringLiteral("bench"), QStringLiteral("fanout")},
           {QStringLiteral("receivers"), receivers},
           {QStringLiteral("messages"), count},
           {QStringLiteral("seconds"), seconds},
           {QStringLiteral("sentPerSecond"), qRound(count / seconds)},
           {QStringLiteral("deliveredPerSecond"), qRound(double(count) * receivers / seconds)},
           {QStringLiteral("latencyMsP50"), percentile(0.5)},
           {QStringLiteral("latencyMsP99"), percentile(0.99)}});

    if (fileBytes > 0) {
        const QByteArray chunk(Protocol::ChunkDataBytes, 'f');
        const quint32 chunks = quint32((fileBytes + Protocol::ChunkDataBytes - 1) / Protocol::ChunkDataBytes);
        send(*sender.socket,
             Protocol::FileStart{QStringLiteral("bench.bin"), fileBytes, {}, QStringLiteral("t-bench")});
        elapsed.restart();
        quint32 next = 0;
        while (std::any_of(clients.begin(), clients.end() - 1,
                           [&](const Client &c) { return c.fileBytes < fileBytes; })) {
            // The protocol's window: at most 16 chunks beyond the last acknowledged one.
            while (next < chunks && next < sender.lastProgress + 16) {
                const qint64 offset = qint64(next) * Protocol::ChunkDataBytes;
                const int size = int(qMin<qint64>(Protocol::ChunkDataBytes, fileBytes - offset));
                sender.socket->sendBinaryMessage(Protocol::encodeChunk(next++, chunk.left(size)));
            }
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
        send(*sender.socket, Protocol::FileEnd{});
        const double fileSeconds = double(elapsed.nsecsElapsed()) / 1e9;
        const double mib = double(fileBytes) / (1024.0 * 1024.0);
        print({{QStringLiteral("bench"), QStringLiteral("files")},
               {QStringLiteral("receivers"), receivers},
               {QStringLiteral("mib"), mib},
               {QStringLiteral("seconds"), fileSeconds},
               {QStringLiteral("mibPerSecondPerReceiver"), mib / fileSeconds},
               {QStringLiteral("mibPerSecondTotal"), mib * receivers / fileSeconds}});
    }

    for (Client &c : clients)
        c.socket->abort();
    serverThread.quit();
    serverThread.wait();
    return 0;
}

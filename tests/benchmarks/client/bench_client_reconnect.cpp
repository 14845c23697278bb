// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test): time from the server becoming available again to the room being
// rejoined and the outbox flushed. A ChatServer in its own thread goes away (crash: abrupt drop),
// the client queues COUNT messages, the server comes back on the same port and the client is
// told the network is back; the clock starts when the server listens again.
//   bench_client_reconnect [--count N] [--runs R] [--base-only]

#include "chatclient.h"
#include "chatserver.h"
#include "connectivitywatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace {
//! Owns a ChatServer that lives in a worker thread, so server and client use separate cores.
class ServerThread
{
public:
    ServerThread() { m_thread.start(); }
    ~ServerThread()
    {
        stop();
        m_thread.quit();
        m_thread.wait();
    }
    quint16 start(const ServerConfig &config)
    {
        quint16 port = 0;
        QObject context;
        context.moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            &context,
            [&] {
                m_server = new ChatServer(config);
                m_server->listen();
                port = m_server->port();
            },
            Qt::BlockingQueuedConnection);
        return port;
    }
    void stop() // a crash: every client dropped without a close frame, the port closed
    {
        if (!m_server)
            return;
        QObject context;
        context.moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            &context,
            [&] {
                m_server->abortAllClients();
                delete m_server;
                m_server = nullptr;
            },
            Qt::BlockingQueuedConnection);
    }

private:
    QThread m_thread;
    ChatServer *m_server = nullptr;
};

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    }
    return true;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("count"), QStringLiteral("Queued messages (1000)."), QStringLiteral("n")},
         {QStringLiteral("runs"), QStringLiteral("Repetitions (5)."), QStringLiteral("n")},
         {QStringLiteral("base-only"), QStringLiteral("Against a base server (no acks).")}});
    parser.process(app);
    const int count =
        parser.isSet(QStringLiteral("count")) ? parser.value(QStringLiteral("count")).toInt() : 1000;
    const int runs = parser.isSet(QStringLiteral("runs")) ? parser.value(QStringLiteral("runs")).toInt() : 5;
    const bool baseOnly = parser.isSet(QStringLiteral("base-only"));

    ServerConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 0;
    config.heartbeatMs = 0;
    config.baseOnly = baseOnly;
    ServerThread server;
    config.port = server.start(config);
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1").arg(config.port));

    QTemporaryDir dir;
    ChatClient::Settings settings;
    settings.outboxPath = dir.filePath(QStringLiteral("outbox.json"));
    settings.initialDelayMs = 60000; // only the "network is back" signal brings it back
    settings.maxDelayMs = 60000;
    settings.watchNetwork = false;
    ChatClient client(settings);
    QSignalSpy restored(&client, &ChatClient::sessionRestored);
    client.connectToServer(url, QStringLiteral("bench"), QStringLiteral("bench"));
    if (!waitFor([&] { return restored.size() == 1; }, 10000)) {
        std::fprintf(stderr, "bench_client_reconnect: cannot connect\n");
        return 1;
    }

    // Timestamps are taken in the signal handlers, not when the polling loop notices.
    QElapsedTimer clock;
    double restoredAt = -1, flushedAt = -1;
    QObject::connect(&client, &ChatClient::sessionRestored, [&] { restoredAt = clock.nsecsElapsed() / 1e6; });
    QObject::connect(client.outbox(), &Outbox::countChanged, [&](int n) {
        if (n == 0)
            flushedAt = clock.nsecsElapsed() / 1e6;
    });
    QList<double> rejoin, total;
    for (int run = 0; run < runs; ++run) {
        server.stop();
        if (!waitFor([&] { return client.state() == ChatClient::State::Reconnecting; }, 10000))
            return 1;
        for (int i = 0; i < count; ++i)
            client.sendMessage(QStringLiteral("queued message %1 of run %2").arg(i).arg(run));
        client.outbox()->saveNow(); // not part of what is measured
        restoredAt = flushedAt = -1;

        server.start(config);
        clock.start();
        emit client.connectivity()->networkRestored();
        if (!waitFor([&] { return flushedAt >= 0; }, 60000)) {
            std::fprintf(stderr, "bench_client_reconnect: outbox not flushed\n");
            return 1;
        }
        rejoin.append(restoredAt);
        total.append(flushedAt);
    }
    auto median = [](QList<double> v) {
        std::sort(v.begin(), v.end());
        return v.at(v.size() / 2);
    };
    const double totalMs = median(total);
    const QJsonObject result{
        {QStringLiteral("benchmark"), QStringLiteral("reconnect-flush")},
        {QStringLiteral("server"), baseOnly ? QStringLiteral("base") : QStringLiteral("full")},
        {QStringLiteral("queued"), count},
        {QStringLiteral("runs"), runs},
        {QStringLiteral("rejoinMsMedian"), qRound(median(rejoin) * 100) / 100.0},
        {QStringLiteral("flushedMsMedian"), qRound(totalMs * 100) / 100.0},
        {QStringLiteral("flushPerSecond"), qRound64(count / (totalMs / 1000.0))}};
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencymonitor.h"

#include "fakeserver.h"
#include "waituntil.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

//! Latency statistics, and pings on a real socket: app pongs and protocol pongs matched by payload.
class TestLatencyMonitor : public QObject
{
    Q_OBJECT

    static bool openSocket(QWebSocket &socket, const QUrl &url)
    {
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(url);
        return connected.wait(5000);
    }

    //! A monitor on a fake clock (milliseconds the test moves), on a socket to a server that
    //! leaves app pongs to the test and sends only the pings the test asks for.
    struct Scripted
    {
        FakeServer server;
        QWebSocket socket;
        LatencyMonitor monitor;
        qint64 nowMs = 0;

        bool open()
        {
            server.answerPings = false;
            monitor.setClock([this] { return nowMs * 1000000; });
            monitor.setInterval(60000);
            return server.listen() && openSocket(socket, server.url());
        }
    };

private slots:
    void statistics()
    {
        const auto s = LatencyMonitor::computeStats({10, 20, 30, 40, 100});
        QCOMPARE(s.count, 5);
        QCOMPARE(s.current, 100.0);
        QCOMPARE(s.min, 10.0);
        QCOMPARE(s.mean, 40.0);
        QCOMPARE(s.p95, 100.0);
        QCOMPARE(s.jitter, (10 + 10 + 10 + 60) / 4.0);
        QList<double> many;
        for (int i = 1; i <= 100; ++i)
            many.append(i);
        QCOMPARE(LatencyMonitor::computeStats(many).p95, 95.0);
        QCOMPARE(LatencyMonitor::computeStats({}).count, 0);
    }

    void measuresBothKindsAndKeepsLastN()
    {
        FakeServer server;
        QVERIFY(server.listen());
        QWebSocket socket;
        QVERIFY(openSocket(socket, server.url()));

        LatencyMonitor monitor;
        monitor.setInterval(20);
        monitor.setSampleLimit(5);
        connect(&socket, &QWebSocket::textMessageReceived, &monitor, [&monitor](const QString &text) {
            const auto decoded = Protocol::decodeServer(text.toUtf8());
            if (const auto *m = std::get_if<Protocol::ServerMessage>(&decoded)) {
                if (const auto *pong = std::get_if<Protocol::Pong>(m))
                    monitor.handlePong(*pong);
            }
        });
        QSignalSpy samples(&monitor, &LatencyMonitor::sampleAdded);
        monitor.start(&socket);
        QTRY_VERIFY_WITH_TIMEOUT(monitor.stats(LatencyMonitor::Kind::App).count == 5 &&
                                     monitor.stats(LatencyMonitor::Kind::Protocol).count == 5,
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(samples.size() > 12, 10000);
        QCOMPARE(monitor.samples().size(), 5);
        for (const QList<QVariant> &args : samples)
            QVERIFY(args.at(1).toDouble() >= 0);
    }

    void overlappingPongsAreMatchedToTheirOwnPing()
    {
        // Each pong is held 150 ms while a ping goes out every 100 ms, so they overlap: a pong
        // must be matched to the ping whose timestamp it carries (150 ms), not to the latest ping
        // (50 ms) nor to an older one. The clock is a fake one the test moves.
        Scripted scripted;
        QVERIFY(scripted.open());
        QList<qint64> pings; // timestamps, as the server received them
        auto sendPing = [&](qint64 at) {
            scripted.nowMs = at;
            if (pings.isEmpty())
                scripted.monitor.start(&scripted.socket); // pings at once
            else
                scripted.monitor.pingNow();
            const int expected = int(pings.size()) + 1;
            const bool arrived = waitUntil([&] {
                pings.clear();
                for (const Protocol::ClientMessage &m : std::as_const(scripted.server.received)) {
                    if (const auto *ping = std::get_if<Protocol::Ping>(&m))
                        pings.append(ping->timestamp);
                }
                return pings.size() == expected;
            });
            return arrived;
        };
        auto answer = [&](int ping, qint64 at) {
            scripted.nowMs = at;
            scripted.monitor.handlePong(Protocol::Pong{pings.at(ping), 0});
        };
        QVERIFY(sendPing(0));
        QVERIFY(sendPing(100));
        answer(0, 150);
        QVERIFY(sendPing(200));
        answer(1, 250);
        QVERIFY(sendPing(300));
        answer(2, 350);
        answer(3, 450);
        QCOMPARE(scripted.monitor.samples(LatencyMonitor::Kind::App), (QList<double>{150, 150, 150, 150}));
    }

    void foreignProtocolPongsAreNotCounted()
    {
        FakeServer server;
        QVERIFY(server.listen());
        QWebSocket socket;
        QVERIFY(openSocket(socket, server.url()));
        LatencyMonitor monitor;
        monitor.setInterval(60000); // just the ping sent on start
        monitor.start(&socket);
        QTRY_COMPARE_WITH_TIMEOUT(monitor.stats(LatencyMonitor::Kind::Protocol).count, 1, 5000);
        // A ping someone else sent on the socket: its pong carries a payload we never used.
        QSignalSpy pongs(&socket, &QWebSocket::pong);
        socket.ping(QByteArrayLiteral("not ours"));
        QVERIFY(pongs.wait(5000));
        QCOMPARE(pongs.first().at(1).toByteArray(), QByteArrayLiteral("not ours"));
        QCOMPARE(monitor.stats(LatencyMonitor::Kind::Protocol).count, 1);
    }

    void silenceSinceTheLastPongDeclaresTheConnectionDead()
    {
        Scripted scripted;
        QVERIFY(scripted.open());
        scripted.monitor.setTimeout(300);
        QSignalSpy dead(&scripted.monitor, &LatencyMonitor::connectionDead);
        scripted.monitor.start(&scripted.socket);
        scripted.nowMs = 100;
        scripted.monitor.handlePong(Protocol::Pong{0, 0}); // a sign of life, though not a sample
        scripted.nowMs = 400;                              // 300 ms after that pong, 400 ms after the start
        QVERIFY(dead.wait(10000));
        QCOMPARE(dead.size(), 1);
        QCOMPARE(dead.first().at(0).toLongLong(), 300); // counted from the pong, not from the start
        QVERIFY(!scripted.monitor.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestLatencyMonitor)
#include "tst_latencymonitor.moc"

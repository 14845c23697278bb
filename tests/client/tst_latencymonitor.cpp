// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencymonitor.h"
#include "sessionchannel.h"

#include "fakeserver.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

namespace {
// A session channel over a real socket to the fake server, as ChatClient sets one up.
struct Session
{
    QWebSocket socket;
    SessionChannel channel{{}};
    bool open(const QUrl &url)
    {
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(url);
        if (!connected.wait(5000))
            return false;
        channel.attach(&socket);
        channel.open(Protocol::Connected{});
        return true;
    }
};
} // namespace

//! Latency statistics, and pings on a real socket: app pongs and protocol pongs matched by payload.
class TestLatencyMonitor : public QObject
{
    Q_OBJECT

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
        Session session;
        QVERIFY(session.open(server.url()));
        LatencyMonitor monitor(&session.channel);
        monitor.setInterval(20);
        monitor.setSampleLimit(5);
        QSignalSpy samples(&monitor, &LatencyMonitor::sampleAdded);
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.stats(LatencyMonitor::Kind::App).count == 5 &&
                                     monitor.stats(LatencyMonitor::Kind::Protocol).count == 5,
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(samples.size() > 12, 10000);
        QCOMPARE(monitor.samples().size(), 5);
        for (const QList<QVariant> &args : samples) {
            QVERIFY(args.at(1).toDouble() >= 0);
            QVERIFY(args.at(1).toDouble() < 5000);
        }
    }

    void foreignProtocolPongsAreNotCounted()
    {
        FakeServer server;
        QVERIFY(server.listen());
        Session session;
        QVERIFY(session.open(server.url()));
        LatencyMonitor monitor(&session.channel);
        monitor.setInterval(60000); // just the ping sent on start
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.stats(LatencyMonitor::Kind::Protocol).count, 1, 5000);
        // A ping someone else sent on the socket: its pong carries a payload we never used.
        QSignalSpy pongs(&session.socket, &QWebSocket::pong);
        session.socket.ping(QByteArrayLiteral("not ours"));
        QVERIFY(pongs.wait(5000));
        QCOMPARE(pongs.first().at(1).toByteArray(), QByteArrayLiteral("not ours"));
        QCOMPARE(monitor.stats(LatencyMonitor::Kind::Protocol).count, 1);
    }

    // Another user of the channel's pings (the file barrier) shares one id space with the
    // monitor: its pongs prove the connection alive but are never latency samples, and two pings
    // sent in the same millisecond are still told apart.
    void otherPingsAreNotLatencySamples()
    {
        FakeServer server;
        QVERIFY(server.listen());
        Session session;
        QVERIFY(session.open(server.url()));
        LatencyMonitor monitor(&session.channel);
        monitor.setInterval(60000); // just the ping sent on start
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.stats(LatencyMonitor::Kind::App).count, 1, 5000);

        QSignalSpy pongs(&session.channel, &SessionChannel::pongReceived);
        const qint64 first = session.channel.sendPing();
        const qint64 second = session.channel.sendPing();
        QVERIFY(first != 0);
        QVERIFY(second > first);
        QTRY_COMPARE_WITH_TIMEOUT(pongs.size(), 2, 5000);
        QCOMPARE(pongs.at(0).at(0).toLongLong(), first);
        QCOMPARE(pongs.at(1).at(0).toLongLong(), second);
        QCOMPARE(monitor.stats(LatencyMonitor::Kind::App).count, 1);
    }

    void silenceDeclaresTheConnectionDead()
    {
        FakeServer server;
        server.answerPings = false;
        QVERIFY(server.listen());
        Session session;
        QVERIFY(session.open(server.url()));
        LatencyMonitor monitor(&session.channel);
        monitor.setInterval(30);
        monitor.setTimeout(300);
        QSignalSpy dead(&monitor, &LatencyMonitor::connectionDead);
        QElapsedTimer clock;
        clock.start();
        monitor.start();
        QVERIFY(dead.wait(5000));
        QVERIFY(clock.elapsed() >= 290);
        QVERIFY(dead.first().at(0).toLongLong() >= 290);
        QVERIFY(!monitor.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestLatencyMonitor)
#include "tst_latencymonitor.moc"

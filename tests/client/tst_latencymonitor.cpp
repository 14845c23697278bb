// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencymonitor.h"
#include "sessionchannel.h"

#include "fakeserver.h"
#include "waituntil.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

namespace {
bool openSocket(QWebSocket &socket, const QUrl &url)
{
    QSignalSpy connected(&socket, &QWebSocket::connected);
    socket.open(url);
    return connected.wait(5000);
}

// A session channel over a real socket to the fake server, as ChatClient sets one up.
struct Session
{
    QWebSocket socket;
    SessionChannel channel{{}};
    bool open(const QUrl &url)
    {
        if (!openSocket(socket, url))
            return false;
        channel.attach(&socket);
        channel.open(Protocol::Connected{});
        return true;
    }
};

//! A monitor on the real clock, on a channel to a server that answers every ping.
struct Live
{
    FakeServer server;
    Session session;
    LatencyMonitor monitor{&session.channel};

    bool open() { return server.listen() && session.open(server.url()); }
    // Only the ping sent on start goes out.
    void startOnePing()
    {
        monitor.setInterval(60000);
        monitor.start();
    }
};

//! A monitor on a fake clock (milliseconds the test moves), on a channel to a server that
//! answers app pings only when the test says so.
struct Scripted
{
    FakeServer server;
    Session session;
    LatencyMonitor monitor{&session.channel};
    qint64 nowMs = 0;
    QList<qint64> pings; // app ping ids, as the server received them

    bool open()
    {
        server.answerPings = false;
        monitor.setClock([this] { return nowMs * 1000000; });
        monitor.setInterval(60000);
        return server.listen() && session.open(server.url());
    }
    // Moves the clock to `at` and waits until the server has the next ping.
    bool ping(qint64 at)
    {
        nowMs = at;
        if (monitor.isRunning())
            monitor.pingNow();
        else
            monitor.start(); // pings at once
        const int expected = int(pings.size()) + 1;
        return waitUntil([&] {
            pings.clear();
            for (const Protocol::ClientMessage &m : std::as_const(server.received)) {
                if (const auto *p = std::get_if<Protocol::Ping>(&m))
                    pings.append(p->timestamp);
            }
            return pings.size() == expected;
        });
    }
    // The server answers ping `index`; the clock reads `at` when the pong is handled.
    bool answer(int index, qint64 at)
    {
        nowMs = at;
        QSignalSpy pong(&session.channel, &SessionChannel::pongReceived);
        server.sendToAll(Protocol::Pong{pings.at(index), 0});
        return pong.wait(5000);
    }
};
} // namespace

//! Latency statistics, and pings on a real socket: app pongs matched by the channel's ping ids,
//! protocol pongs matched by payload.
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
        Live live;
        QVERIFY(live.open());
        LatencyMonitor &monitor = live.monitor;
        monitor.setInterval(20);
        monitor.setSampleLimit(5);
        QSignalSpy samples(&monitor, &LatencyMonitor::sampleAdded);
        monitor.start();
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
        // must be matched to the ping whose id it carries (150 ms), not to the latest ping
        // (50 ms) nor to an older one. The clock is a fake one the test moves.
        Scripted scripted;
        QVERIFY(scripted.open());
        QVERIFY(scripted.ping(0));
        QVERIFY(scripted.ping(100));
        QVERIFY(scripted.answer(0, 150));
        QVERIFY(scripted.ping(200));
        QVERIFY(scripted.answer(1, 250));
        QVERIFY(scripted.ping(300));
        QVERIFY(scripted.answer(2, 350));
        QVERIFY(scripted.answer(3, 450));
        QCOMPARE(scripted.monitor.samples(LatencyMonitor::Kind::App), (QList<double>{150, 150, 150, 150}));
    }

    void foreignProtocolPongsAreNotCounted()
    {
        Live live;
        QVERIFY(live.open());
        live.startOnePing();
        const LatencyMonitor &monitor = live.monitor;
        Session &session = live.session;
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
        Live live;
        QVERIFY(live.open());
        live.startOnePing();
        const LatencyMonitor &monitor = live.monitor;
        Session &session = live.session;
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

    void silenceSinceTheLastPongDeclaresTheConnectionDead()
    {
        Scripted scripted;
        QVERIFY(scripted.open());
        scripted.monitor.setTimeout(300);
        QSignalSpy dead(&scripted.monitor, &LatencyMonitor::connectionDead);
        QVERIFY(scripted.ping(0));
        QVERIFY(scripted.answer(0, 100)); // a sign of life at 100
        scripted.nowMs = 400;             // 300 ms after that pong, 400 ms after the start
        QVERIFY(dead.wait(10000));
        QCOMPARE(dead.size(), 1);
        QCOMPARE(dead.first().at(0).toLongLong(), 300); // counted from the pong, not from the start
        QVERIFY(!scripted.monitor.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestLatencyMonitor)
#include "tst_latencymonitor.moc"

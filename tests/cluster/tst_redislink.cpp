// SPDX-License-Identifier: GPL-3.0-or-later
#include "clusterfixture.h"
#include "redislink.h"
#include "waituntil.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

//! RedisLink against a real redis-server: commands and subscriptions work, and what hiredis
//! alone would hang on does not hang: a broker that accepts but never answers, one that freezes
//! (SIGSTOP) mid-session, and one that restarts.
class TestRedisLink : public QObject
{
    Q_OBJECT

private:
    ClusterFixture m_cluster;

    static RedisUrl urlOf(quint16 port)
    {
        RedisUrl url;
        url.host = QStringLiteral("127.0.0.1");
        url.port = port;
        return url;
    }

private slots:
    void init() { m_cluster.init(); }
    void cleanup() { m_cluster.cleanup(); }

    void commandsAndSubscriptionsWork()
    {
        RedisLink commands(urlOf(m_cluster.redis().port()), QStringLiteral("commands"));
        RedisLink subscriptions(urlOf(m_cluster.redis().port()), QStringLiteral("subscriptions"));
        commands.open();
        subscriptions.open();
        QTRY_VERIFY(commands.isReady() && subscriptions.isReady());
        QByteArray got;
        subscriptions.setMessageHandler(
            [&](const QByteArray &channel, const QByteArray &payload) { got = channel + '=' + payload; });
        bool confirmed = false;
        subscriptions.subscribe("room:a", [&] { confirmed = true; });
        QTRY_VERIFY(confirmed);
        QByteArray reply;
        commands.command({"PUBLISH", "room:a", QByteArray("hello\0binary", 12)},
                         [&](const RedisReply &r) { reply = r.bytes(); });
        QTRY_COMPARE(reply, QByteArray("1")); // one subscriber
        QTRY_COMPARE(got, QByteArray("room:a=hello\0binary", 19));
        // An error reply is a reply, not a lost link.
        bool error = false;
        commands.command({"NOSUCHCOMMAND"}, [&](const RedisReply &r) { error = r.isError() && !r.isNull(); });
        QTRY_VERIFY(error);
        QVERIFY(commands.isReady());
    }

    void aChannelLeftAndFollowedAgainAtOnceStaysSubscribed()
    {
        RedisLink commands(urlOf(m_cluster.redis().port()), QStringLiteral("commands"));
        RedisLink subscriptions(urlOf(m_cluster.redis().port()), QStringLiteral("subscriptions"));
        commands.open();
        subscriptions.open();
        QTRY_VERIFY(commands.isReady() && subscriptions.isReady());
        QList<QByteArray> got;
        subscriptions.setMessageHandler(
            [&](const QByteArray &, const QByteArray &payload) { got.append(payload); });
        int first = 0;
        subscriptions.subscribe("room:c", [&] { ++first; });
        QTRY_COMPARE(first, 1);
        // The last member leaves and someone joins again before Redis has answered the
        // unsubscription (hiredis 0.14 would drop the channel's callback with that answer).
        int second = 0;
        subscriptions.unsubscribe("room:c");
        subscriptions.subscribe("room:c", [&] { ++second; });
        QTRY_COMPARE(second, 1);
        QByteArray receivers;
        commands.command({"PUBLISH", "room:c", "still here"},
                         [&](const RedisReply &r) { receivers = r.bytes(); });
        QTRY_COMPARE(receivers, QByteArray("1"));
        QTRY_COMPARE(got, QList<QByteArray>{"still here"});
        QCOMPARE(first, 1);
    }

    void aBrokerThatNeverAnswersTimesOutAndIsTriedAgain()
    {
        // Accepts the TCP connection and reads, but never says anything.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        int accepted = 0;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = silent.nextPendingConnection()) {
                ++accepted;
                s->setParent(&silent);
            }
        });
        RedisLink link(urlOf(silent.serverPort()), QStringLiteral("silent"));
        link.setTimeouts(300, 300, 1000);
        link.open();
        QTRY_VERIFY_WITH_TIMEOUT(accepted >= 2, 10000); // timed out, backed off, connected again
        QVERIFY(!link.isReady());
        QVERIFY2(link.lastError().contains(QLatin1String("300 ms")), qPrintable(link.lastError()));
        // A command meanwhile fails at once instead of waiting.
        bool failed = false;
        link.command({"PING"}, [&](const RedisReply &r) { failed = r.isNull(); });
        QVERIFY(failed);
    }

    void aFrozenBrokerIsNoticedAndTheLinkComesBack()
    {
        RedisLink link(urlOf(m_cluster.redis().port()), QStringLiteral("commands"));
        link.setTimeouts(500, 500, 200);
        QSignalSpy lost(&link, &RedisLink::lost);
        QSignalSpy ready(&link, &RedisLink::becameReady);
        link.open();
        QTRY_COMPARE(ready.size(), 1);
        m_cluster.redis().pause(); // SIGSTOP: the socket stays open, nothing answers
        bool failed = false;
        link.command({"SET", "k", "v"}, [&](const RedisReply &r) { failed = r.isNull(); });
        QTRY_VERIFY_WITH_TIMEOUT(failed, 10000); // the command timeout, not forever
        QVERIFY(lost.size() >= 1);
        QVERIFY(!link.isReady());
        m_cluster.redis().resume();
        QTRY_VERIFY_WITH_TIMEOUT(link.isReady(), 20000);
        QByteArray value;
        link.command({"PING"}, [&](const RedisReply &r) { value = r.bytes(); });
        QTRY_COMPARE(value, QByteArray("PONG"));
    }

    void aBrokerWorkingThroughABacklogIsNotCalledFrozen()
    {
        // Redis busy 1 s a command (DEBUG SLEEP), the next sent 400 ms after the one before began:
        // each waits 1.6 s for its reply, past the 1.4 s command timeout, but a reply comes every
        // second meanwhile. (Sent at once, Redis would run them all before writing any reply: the
        // 400 ms keep a slow test machine from writing two in one go.)
        RedisLink link(urlOf(m_cluster.redis().port()), QStringLiteral("commands"));
        link.setTimeouts(1400, 1400, 200);
        QSignalSpy lost(&link, &RedisLink::lost);
        link.open();
        QTRY_VERIFY(link.isReady());
        int answered = 0;
        const auto sleepOnce = [&] {
            link.command({"DEBUG", "SLEEP", "1"},
                         [&](const RedisReply &r) { answered += r.bytes() == "OK" ? 1 : 0; });
        };
        sleepOnce();
        for (const int at : {400, 1400, 2400})
            QTimer::singleShot(at, &link, sleepOnce);
        QTRY_COMPARE_WITH_TIMEOUT(answered, 4, 20000);
        QCOMPARE(lost.size(), 0);
        QVERIFY(link.isReady());

        // Frozen for real (SIGSTOP) with a command waiting: still noticed.
        m_cluster.redis().pause();
        link.command({"PING"});
        QTRY_VERIFY_WITH_TIMEOUT(lost.size() >= 1, 10000);
        m_cluster.redis().resume();
    }

    void anIdleLinkNoticesAFrozenBrokerByItsKeepalive()
    {
        RedisLink link(urlOf(m_cluster.redis().port()), QStringLiteral("commands"));
        link.setTimeouts(500, 500, 200);
        QSignalSpy lost(&link, &RedisLink::lost);
        link.open();
        QTRY_VERIFY(link.isReady());
        m_cluster.redis().pause();
        QTRY_VERIFY_WITH_TIMEOUT(lost.size() >= 1, 10000); // no command of ours: the keepalive PING
        m_cluster.redis().resume();
        QTRY_VERIFY_WITH_TIMEOUT(link.isReady(), 20000);
    }

    void subscriptionsAreMadeAgainAfterARestart()
    {
        RedisLink commands(urlOf(m_cluster.redis().port()), QStringLiteral("commands"));
        RedisLink subscriptions(urlOf(m_cluster.redis().port()), QStringLiteral("subscriptions"));
        QList<QByteArray> got;
        subscriptions.setMessageHandler(
            [&](const QByteArray &, const QByteArray &payload) { got.append(payload); });
        // The owner subscribes again each time the link is ready (ClusterBus does the same).
        int confirmations = 0;
        connect(&subscriptions, &RedisLink::becameReady, this,
                [&] { subscriptions.subscribe("room:b", [&] { ++confirmations; }); });
        commands.open();
        subscriptions.open();
        QTRY_COMPARE(confirmations, 1);
        m_cluster.redis().stop();
        QTRY_VERIFY(!subscriptions.isReady());
        QVERIFY(m_cluster.redis().start());
        QTRY_VERIFY_WITH_TIMEOUT(confirmations == 2 && commands.isReady(), 20000);
        commands.command({"PUBLISH", "room:b", "after"});
        QTRY_COMPARE(got, QList<QByteArray>{"after"});
    }
};

QTEST_GUILESS_MAIN(TestRedisLink)
#include "tst_redislink.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "cliprocess.h"
#include "clusterfixture.h"
#include "wsprobe.h"

#include <QtTest>

//! A cluster node dies under its natter-cli users (PROTOCOL.md 2, *Scale-out*): each given every
//! node's address, they reconnect to another node by themselves, and every line they typed
//! before, during and after the failover reaches every member once, in the order it was typed.
class TestClusterFailover : public QObject
{
    Q_OBJECT

private:
    ClusterFixture m_cluster{QStringLiteral(NATTER_SERVER_PATH)};

    QStringList cliArgs(const QList<QUrl> &urls, const QString &user) const
    {
        QStringList args;
        for (const QUrl &url : urls)
            args << QStringLiteral("--url") << url.toString();
        return args << QStringLiteral("--user") << user << QStringLiteral("--room") << QStringLiteral("lobby")
                    << QStringLiteral("--outbox") << m_cluster.dir().filePath(user + QStringLiteral(".json"))
                    << QStringLiteral("--cache") << m_cluster.dir().filePath(user + QStringLiteral(".sqlite"))
                    << QStringLiteral("--initial-delay-ms") << QStringLiteral("30")
                    << QStringLiteral("--max-delay-ms") << QStringLiteral("300")
                    << QStringLiteral("--ping-interval-ms") << QStringLiteral("1000")
                    << QStringLiteral("--outbox-save-delay-ms") << QStringLiteral("20");
    }
    // The texts `user` sent, as `events` ("message" events or chatMessage frames) show them.
    static QStringList textsBy(const QList<QJsonObject> &events, const QString &user)
    {
        QStringList out;
        for (const QJsonObject &e : events) {
            if (e.value(QLatin1String("user")).toString() == user)
                out.append(e.value(QLatin1String("text")).toString());
        }
        return out;
    }
    static QStringList lines(const QString &user, int from, int to)
    {
        QStringList out;
        for (int i = from; i < to; ++i)
            out.append(QStringLiteral("%1 line %2").arg(user).arg(i));
        return out;
    }

private slots:
    void init() { m_cluster.init(); }
    void cleanup() { m_cluster.cleanup(); }

    void cliUsersOfAKilledNodeFailOverAndEveryLineArrivesOnceInOrder()
    {
        auto [nodeA, nodeB] = m_cluster.startTwoNodes();
        QVERIFY(nodeA && nodeB);
        WsProbe observer; // on B, which survives
        QVERIFY(observer.login(nodeB->url(), QStringLiteral("observer"), QStringLiteral("lobby")));

        const QList<QUrl> urls{nodeA->url(), nodeB->url()};
        ChildProcess ana, ben;
        for (auto [cli, name] :
             {std::pair{&ana, QStringLiteral("ana")}, std::pair{&ben, QStringLiteral("ben")}}) {
            QVERIFY(cli->start(QStringLiteral(NATTER_CLI_PATH), cliArgs(urls, name)));
            QVERIFY(cli->waitForEvents(QStringLiteral("session")));
        }
        const auto connectedTo = [](const ChildProcess &cli, const QUrl &url) {
            return cli
                .events(QStringLiteral("state"),
                        [&](const QJsonObject &e) {
                            return e.value(QLatin1String("state")).toString() == QLatin1String("connected") &&
                                   e.value(QLatin1String("url")).toString() == url.toString();
                        })
                .size();
        };
        QCOMPARE(connectedTo(ana, nodeA->url()), 1);
        QCOMPARE(connectedTo(ben, nodeA->url()), 1);

        constexpr int PerPhase = 10;
        const auto type = [&](int from, int to) {
            for (const QString &l : lines(QStringLiteral("ana"), from, to))
                ana.write(l);
            for (const QString &l : lines(QStringLiteral("ben"), from, to))
                ben.write(l);
        };
        // Before: everyone is on A but the observer.
        type(0, PerPhase);
        QTRY_COMPARE_WITH_TIMEOUT(observer.all(QStringLiteral("chatMessage")).size(), 2 * PerPhase, 15000);

        // During: A dies with lines on their way, and more are typed while the clients find out.
        type(PerPhase, PerPhase + PerPhase / 2);
        nodeA->kill();
        type(PerPhase + PerPhase / 2, 2 * PerPhase);
        QTRY_COMPARE_WITH_TIMEOUT(connectedTo(ana, nodeB->url()), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(connectedTo(ben, nodeB->url()), 1, 20000);

        // After: on B.
        type(2 * PerPhase, 3 * PerPhase);
        const QStringList anaLines = lines(QStringLiteral("ana"), 0, 3 * PerPhase);
        const QStringList benLines = lines(QStringLiteral("ben"), 0, 3 * PerPhase);
        QTRY_COMPARE_WITH_TIMEOUT(observer.all(QStringLiteral("chatMessage")).size(), 6 * PerPhase, 30000);
        const QList<QJsonObject> seen = observer.all(QStringLiteral("chatMessage"));
        QCOMPARE(textsBy(seen, QStringLiteral("ana")), anaLines);
        QCOMPARE(textsBy(seen, QStringLiteral("ben")), benLines);
        // One numbering for the room, without a gap, whichever node numbered what.
        for (int i = 0; i < seen.size(); ++i)
            QCOMPARE(seen.at(i).value(QLatin1String("seq")).toInteger(), i + 1);

        // Each typist got the other's lines once, in order, across the failover (an ack for a
        // later seq must not overtake them: the client takes it as read); and both outboxes
        // drained.
        QTRY_COMPARE_WITH_TIMEOUT(textsBy(ana.events(QStringLiteral("message")), QStringLiteral("ben")),
                                  benLines, 20000);

        QTRY_COMPARE_WITH_TIMEOUT(textsBy(ben.events(QStringLiteral("message")), QStringLiteral("ana")),
                                  anaLines, 20000);
        const auto acknowledged = [](const ChildProcess &cli) {
            return cli
                .events(QStringLiteral("delivery"),
                        [](const QJsonObject &e) {
                            return e.value(QLatin1String("state")).toString() ==
                                   QLatin1String("acknowledged");
                        })
                .size();
        };
        QTRY_COMPARE_WITH_TIMEOUT(acknowledged(ana), 3 * PerPhase, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(acknowledged(ben), 3 * PerPhase, 20000);
        ana.closeInput();
        ben.closeInput();
        QVERIFY(ana.waitForExit());
        QVERIFY(ben.waitForExit());
    }
};

QTEST_GUILESS_MAIN(TestClusterFailover)
#include "tst_clusterfailover.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "clusterfixture.h"
#include "waituntil.h"
#include "wsprobe.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpSocket>
#include <QtTest>

using namespace Protocol;

//! Accounts mode across nodes (PROTOCOL.md 2, *Scale-out*): real natter-server nodes with
//! `--accounts --redis` on one real redis-server, their users managed with
//! `natter-server user ... --redis`. A user added so logs in on any node, a token issued by one
//! node resumes on another, `user passwd` ends the sessions on every node, and while Redis is
//! away a login is refused as busy, with a time to try again.
class TestClusterAccounts : public QObject
{
    Q_OBJECT

private:
    // Nodes and `natter-server user` alike on database 2 of the Redis.
    ClusterFixture m_cluster{
        QStringLiteral(NATTER_SERVER_PATH),
        {QStringLiteral("--accounts"), QStringLiteral("--iterations"), QStringLiteral("1000")},
        2};

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    // `natter-server user WORDS --redis URL`, with `input` on standard input (not a terminal).
    Run user(const QStringList &words, const QByteArray &input = {}) const
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("STATE_DIRECTORY"));
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(NATTER_SERVER_PATH),
                      QStringList{QStringLiteral("user")} + words +
                          QStringList{QStringLiteral("--redis"), m_cluster.redisUrl(),
                                      QStringLiteral("--iterations"), QStringLiteral("1000")});
        if (!process.waitForStarted(10000))
            return {};
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(60000))
            return {};
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }
    // The next message after sending `auth`: authOk, or an error.
    static std::optional<QJsonObject> answer(WsProbe &probe, const Auth &auth)
    {
        const qsizetype n = probe.objects.size();
        probe.send(auth);
        if (!waitUntil([&] { return probe.objects.size() > n; }))
            return std::nullopt;
        return probe.objects.constLast();
    }
    static QString typeOf(const std::optional<QJsonObject> &o)
    {
        return o ? o->value(QLatin1String("type")).toString() : QString();
    }

private slots:
    void init() { m_cluster.init(); }
    void cleanup() { m_cluster.cleanup(); }

    void aUserOfTheClusterLogsInOnEveryNodeUntilPasswd()
    {
        const Run added = user({QStringLiteral("add"), QStringLiteral("Ana")}, "first password\n");
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
        QVERIFY(added.out.contains(QLatin1String("added user 'Ana'")));
        const Run twice = user({QStringLiteral("add"), QStringLiteral("ANA")}, "other\n");
        QCOMPARE(twice.exitCode, 1);
        QVERIFY2(twice.err.contains(QLatin1String("already exists")), qPrintable(twice.err));
        // One database at a time: the Redis, or a data directory.
        const Run both = user({QStringLiteral("list"), QStringLiteral("--data-dir"), m_cluster.dir().path()});
        QCOMPARE(both.exitCode, 2);
        QVERIFY2(both.err.contains(QLatin1String("--redis and --data-dir")), qPrintable(both.err));
        const Run listed = user({QStringLiteral("list")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(listed.out.startsWith(QLatin1String("Ana\t")));

        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);

        WsProbe onA;
        QVERIFY(onA.open(a->url()));
        const auto ok = answer(onA, Auth{QStringLiteral("ana"), QStringLiteral("first password"), false, {}});
        QCOMPARE(typeOf(ok), QStringLiteral("authOk"));
        QCOMPARE(ok->value(QLatin1String("username")).toString(), QStringLiteral("Ana"));
        const QString token = ok->value(QLatin1String("token")).toString();
        QVERIFY(!token.isEmpty());

        // The session token issued on A resumes on B.
        WsProbe onB;
        QVERIFY(onB.open(b->url()));
        const auto resumed = answer(onB, Auth{{}, {}, false, token});
        QCOMPARE(typeOf(resumed), QStringLiteral("authOk"));
        QCOMPARE(resumed->value(QLatin1String("username")).toString(), QStringLiteral("Ana"));
        QCOMPARE(resumed->value(QLatin1String("expiresAt")).toInteger(),
                 ok->value(QLatin1String("expiresAt")).toInteger());
        QVERIFY(onA.join(QStringLiteral("lobby")) && onB.join(QStringLiteral("lobby")));

        // `user passwd` ends the sessions on both nodes, and the token is dead everywhere.
        const Run changed = user({QStringLiteral("passwd"), QStringLiteral("ana")}, "second password\n");
        QVERIFY2(changed.exitCode == 0, qPrintable(changed.err));
        QVERIFY(onA.waitForDisconnected(15000));
        QVERIFY(onB.waitForDisconnected(15000));
        QCOMPARE(int(onA.socket().closeCode()), int(CloseSessionEnded));
        QCOMPARE(int(onB.socket().closeCode()), int(CloseSessionEnded));
        for (NodeProcess *node : {a.get(), b.get()}) {
            WsProbe again;
            QVERIFY(again.open(node->url()));
            const auto refused = answer(again, Auth{{}, {}, false, token});
            QCOMPARE(refused->value(QLatin1String("code")).toString(), errorCodeName(ErrorCode::AuthFailed));
            QCOMPARE(typeOf(answer(again,
                                   Auth{QStringLiteral("ana"), QStringLiteral("first password"), false, {}})),
                     QStringLiteral("error"));
            QCOMPARE(typeOf(answer(
                         again, Auth{QStringLiteral("ana"), QStringLiteral("second password"), false, {}})),
                     QStringLiteral("authOk"));
        }

        const Run removed = user({QStringLiteral("remove"), QStringLiteral("ana")});
        QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
        WsProbe gone;
        QVERIFY(gone.open(b->url()));
        QCOMPARE(
            typeOf(answer(gone, Auth{QStringLiteral("ana"), QStringLiteral("second password"), false, {}})),
            QStringLiteral("error"));
    }

    // While Redis is away, a login is refused as busy (with retryAfterMs) and a logged-in session
    // goes on; once it is back, logins work again.
    void whileRedisIsAwayLoginsAreBusy()
    {
        QCOMPARE(user({QStringLiteral("add"), QStringLiteral("ana")}, "pw\n").exitCode, 0);
        auto a = m_cluster.startNode();
        auto strict = m_cluster.startNode({QStringLiteral("--auth-at-handshake")});
        QVERIFY(a && strict);
        WsProbe live;
        QVERIFY(live.open(a->url()));
        QCOMPARE(typeOf(answer(live, Auth{QStringLiteral("ana"), QStringLiteral("pw"), false, {}})),
                 QStringLiteral("authOk"));

        const QString token = live.objects.constLast().value(QLatin1String("token")).toString();
        QVERIFY(!token.isEmpty());
        m_cluster.redis().stop();
        // A token at the upgrade that cannot be looked up is not "not valid" (401, which makes a
        // client forget it) but "try again later".
        QTcpSocket upgrade;
        upgrade.connectToHost(strict->url().host(), quint16(strict->url().port()));
        QVERIFY(upgrade.waitForConnected(5000));
        upgrade.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      "Authorization: Bearer " +
                      token.toLatin1() + "\r\n\r\n");
        QVERIFY(waitUntil([&] {
            upgrade.waitForReadyRead(100);
            return upgrade.canReadLine();
        }));
        const QByteArray status = upgrade.readLine();
        QVERIFY2(status.startsWith("HTTP/1.1 503"), status.constData());
        WsProbe probe;
        QVERIFY(probe.open(a->url()));
        const auto busy = answer(probe, Auth{QStringLiteral("ana"), QStringLiteral("pw"), false, {}});
        QCOMPARE(typeOf(busy), QStringLiteral("error"));
        QCOMPARE(busy->value(QLatin1String("code")).toString(), errorCodeName(ErrorCode::AuthFailed));
        QVERIFY(busy->value(QLatin1String("retryAfterMs")).toInteger() > 0);
        QVERIFY(live.settle()); // not ended for a token that cannot be looked up
        QVERIFY(live.isConnected());
        const Run unreachable = user({QStringLiteral("list")});
        QCOMPARE(unreachable.exitCode, 1);

        QVERIFY(m_cluster.redis().start());
        QVERIFY(waitUntil(
            [&] {
                WsProbe again;
                return again.open(a->url()) &&
                       typeOf(answer(again, Auth{QStringLiteral("ana"), QStringLiteral("pw"), false, {}})) ==
                           QLatin1String("authOk");
            },
            20000));
        QVERIFY(live.isConnected());
    }
};

QTEST_GUILESS_MAIN(TestClusterAccounts)
#include "tst_clusteraccounts.moc"

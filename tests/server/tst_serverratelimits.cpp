// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientfixture.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QtTest>

using namespace Protocol;

//! Per-connection rate limits with their real defaults: a flood is refused with `rateLimited`
//! and a retry time, chat keeps its order, sustained abuse is closed with 1008, and a client that
//! honours the retry time loses nothing.
class TestServerRateLimits : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static ServerConfig defaults()
    {
        ServerConfig config = testServerConfig();
        config.rateScale = ServerConfig{}.rateScale; // the limits people run with
        return config;
    }

private slots:
    void aChatFloodIsRefusedInOrder()
    {
        auto server = startTestServer(defaults());
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        const int burst = int(ServerConfig{}.chatRate.burst);
        const int sent = burst + 10;
        for (int i = 0; i < sent; ++i)
            alice.send(SendChat{QStringLiteral("m%1").arg(i), QStringLiteral("id-%1").arg(i)});
        QVERIFY(alice.settle());
        const int acks = alice.count(QStringLiteral("ack"));
        const QList<QJsonObject> errors = alice.all(QStringLiteral("error"));
        QCOMPARE(acks + errors.size(), sent);
        QVERIFY2(acks >= burst && acks < sent, qPrintable(QString::number(acks)));
        // Each message is either acknowledged or refused with a reason and a retry time; the
        // burst gets through, and what bob sees is what was acknowledged, in the order sent.
        QStringList refused;
        for (const QJsonObject &e : errors) {
            QCOMPARE(e.value(QLatin1String("code")).toString(), QStringLiteral("rateLimited"));
            QVERIFY(e.value(QLatin1String("retryAfterMs")).toInteger() > 0);
            refused.append(e.value(QLatin1String("id")).toString());
        }
        QStringList acknowledged;
        for (const QJsonObject &a : alice.all(QStringLiteral("ack")))
            acknowledged.append(a.value(QLatin1String("id")).toString());
        for (int i = 0; i < burst; ++i)
            QCOMPARE(acknowledged.at(i), QStringLiteral("id-%1").arg(i));
        QVERIFY(refused.contains(QStringLiteral("id-%1").arg(sent - 1)) ||
                acknowledged.contains(QStringLiteral("id-%1").arg(sent - 1)));
        QVERIFY(bob.settle());
        QStringList seen;
        for (const QJsonObject &m : bob.all(QStringLiteral("chatMessage")))
            seen.append(QStringLiteral("id-%1").arg(m.value(QLatin1String("text")).toString().mid(1)));
        QCOMPARE(seen, acknowledged);
    }

    // natter-server --no-limits (the benchmark's "limits off"): the same flood is all taken.
    void withLimitsLiftedAFloodIsAllTaken()
    {
        ServerConfig config = defaults();
        config.liftLimits();
        auto server = startTestServer(config);
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        const int sent = int(ServerConfig{}.chatRate.burst) * 10;
        for (int i = 0; i < sent; ++i) {
            alice.send(SendChat{QStringLiteral("m%1").arg(i), QStringLiteral("id-%1").arg(i)});
            alice.send(Typing{});
        }
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("ack")), sent);
        QCOMPARE(alice.count(QStringLiteral("error")), 0);
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("chatMessage")), sent);
    }

    void sustainedAbuseIsClosedWith1008()
    {
        auto server = startTestServer(defaults());
        WsProbe mallory, carol, dave;
        QVERIFY(mallory.login(server->url(), QStringLiteral("mallory"), QStringLiteral("general")));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("quiet")));
        QVERIFY(dave.login(server->url(), QStringLiteral("dave"), QStringLiteral("quiet")));
        QSignalSpy closed(&mallory.socket(), &QWebSocket::disconnected);
        for (int i = 0; i < 1000; ++i)
            mallory.send(Typing{});
        QVERIFY(closed.wait(10000));
        QCOMPARE(mallory.socket().closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QVERIFY(mallory.count(QStringLiteral("error")) > 0);
        // Another room was never held up.
        carol.send(SendChat{QStringLiteral("hello dave"), {}});
        QCOMPARE(dave.next<ChatMessage>()->text, QStringLiteral("hello dave"));
    }

    void aClientThatWaitsAsToldLosesNothing()
    {
        auto server = startTestServer(defaults());
        ChatClient alice(fastClientSettings(m_dir));
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice")));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob")));
        QSignalSpy received(&bob, &ChatClient::messageReceived);
        QSignalSpy states(&alice, &ChatClient::stateChanged);
        QSignalSpy errors(&alice, &ChatClient::serverError);
        QStringList sent;
        for (int i = 0; i < int(ServerConfig{}.chatRate.burst) + 15; ++i) {
            sent.append(QStringLiteral("burst %1").arg(i));
            QVERIFY(!alice.sendMessage(sent.last()).isEmpty());
        }
        QTRY_VERIFY_WITH_TIMEOUT(alice.outbox()->isEmpty(), 30000);
        QVERIFY(settleClient(bob));
        QStringList got;
        for (const QList<QVariant> &args : received)
            got.append(args.at(0).value<ChatMessage>().text);
        QCOMPARE(got, sent);        // each once, in order
        QCOMPARE(states.size(), 0); // never closed for abuse, never reconnected
        QCOMPARE(errors.size(), 0); // handled, not shown as a failure
    }
};

QTEST_GUILESS_MAIN(TestServerRateLimits)
#include "tst_serverratelimits.moc"

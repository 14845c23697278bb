// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawwsclient.h"
#include "seqs.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QJsonArray>
#include <QtTest>

using namespace Protocol;

namespace {
constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * KiB;

// Alice posts `count` messages of about `bytes` each; true once the server has them all.
bool post(WsProbe &alice, int count, int bytes)
{
    for (int i = 1; i <= count; ++i)
        alice.send(SendChat{QStringLiteral("%1 ").arg(i) + QString(bytes, QLatin1Char('h')), {}});
    return alice.settle();
}

// The UTF-8 size of the newest text message `probe` received of `type`.
qint64 sizeOfLast(const WsProbe &probe, const QString &type)
{
    for (qsizetype i = probe.objects.size() - 1; i >= 0; --i) {
        if (probe.objects.at(i).value(QLatin1String("type")).toString() == type)
            return probe.texts.at(i).toUtf8().size();
    }
    return -1;
}
} // namespace

//! History comes in pages of bounded size (PROTOCOL.md 2), paid for from a per-connection byte
//! budget (PROTOCOL.md 1): a client pages through all of it, and one that asks again and again
//! is refused, then dropped, while the server's queue for it stays small.
class TestServerHistory : public QObject
{
    Q_OBJECT

private:
    static ServerConfig config()
    {
        ServerConfig c = testServerConfig();
        c.historyLimit = 1000;
        return c;
    }
    // The rate limits people run with, except that alice may fill the room at once; the history
    // budget refills slowly (16 KiB/s), so what it lets through is its burst, however slow the machine.
    static ServerConfig budgetConfig(double burst)
    {
        ServerConfig c = config();
        c.rateScale = 1;
        c.chatRate = {1e6, 1e6};
        c.chatBytesRate = {1e12, 1e12};
        c.historyBytesRate = {16 * KiB, burst};
        return c;
    }

private slots:
    void aClientPagesThroughEverythingWithinTheBounds()
    {
        const ServerConfig cfg = config();
        auto server = startTestServer(cfg);
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        // Small messages fill pages by count, big ones by bytes.
        QVERIFY(post(alice, 250, 10));
        QVERIFY(post(alice, 150, 8 * KiB));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob")));

        QVERIFY(bob.join(QStringLiteral("general"), 0));
        QJsonObject reply = bob.all(QStringLiteral("roomJoined")).constLast();
        QList<qint64> seqs = seqsOf(reply.value(QLatin1String("history")));
        QCOMPARE(seqs.size(), cfg.historyPageMessages);
        QVERIFY(reply.value(QLatin1String("historyMore")).toBool());
        QVERIFY(!reply.contains(QLatin1String("historyTruncated")));
        const QString epoch = reply.value(QLatin1String("epoch")).toString();
        int pages = 1;
        bool more = true;
        while (more) {
            bob.send(HistoryRequest{QStringLiteral("general"), seqs.constLast(), epoch});
            const auto page = bob.waitFor(QStringLiteral("history"));
            QVERIFY(page);
            ++pages;
            const QList<qint64> got = seqsOf(page->value(QLatin1String("messages")));
            QVERIFY(!got.isEmpty());
            QVERIFY(got.size() <= cfg.historyPageMessages);
            // The whole frame: the page and a few fields around it.
            QVERIFY2(sizeOfLast(bob, QStringLiteral("history")) <= cfg.historyPageBytes + KiB,
                     qPrintable(QString::number(sizeOfLast(bob, QStringLiteral("history")))));
            QCOMPARE(page->value(QLatin1String("lastSeq")).toInteger(), 400);
            QCOMPARE(page->value(QLatin1String("epoch")).toString(), epoch);
            seqs.append(got);
            more = page->value(QLatin1String("more")).toBool();
        }
        QCOMPARE(seqs, seqRange(1, 400)); // every message once, in order
        // 250 small ones in pages of 100, then 8 KiB ones about 31 to a page.
        QVERIFY2(pages >= 7, qPrintable(QString::number(pages)));

        // Caught up: an empty page, and nothing more.
        bob.send(HistoryRequest{QStringLiteral("general"), 400, epoch});
        const auto last = bob.waitFor(QStringLiteral("history"));
        QVERIFY(last);
        QVERIFY(last->value(QLatin1String("messages")).toArray().isEmpty());
        QVERIFY(!last->value(QLatin1String("more")).toBool());
    }

    void aJoinWithoutSinceGetsTheNewestThatFitInOnePage()
    {
        const ServerConfig cfg = config();
        auto server = startTestServer(cfg);
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(post(alice, 50, 16 * KiB - 8)); // 50 of them would be 800 KiB
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        const QJsonObject reply = bob.all(QStringLiteral("roomJoined")).constLast();
        const QList<qint64> seqs = seqsOf(reply.value(QLatin1String("history")));
        QVERIFY(!seqs.isEmpty());
        QCOMPARE(seqs, seqRange(51 - seqs.size(), 50)); // the newest, in order
        QVERIFY(sizeOfLast(bob, QStringLiteral("roomJoined")) <= cfg.historyPageBytes + KiB);
        // Nothing pages backwards: the guides' "recent history" is all a join without since gets.
        QVERIFY(!reply.contains(QLatin1String("historyMore")));
    }

    void historyIsForMembersAndFollowsTheEpoch()
    {
        auto server = startTestServer(config());
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(post(alice, 5, 10));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("elsewhere")));
        bob.send(HistoryRequest{QStringLiteral("general"), 0, {}});
        const auto refused = bob.waitFor(QStringLiteral("error"));
        QVERIFY(refused);
        QCOMPARE(refused->value(QLatin1String("code")).toString(), QStringLiteral("notInRoom"));
        QCOMPARE(refused->value(QLatin1String("request")).toString(), QStringLiteral("history"));
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("history")), 0);

        // A `since` from another life of the room: all that is held, marked truncated.
        QVERIFY(bob.join(QStringLiteral("general")));
        bob.send(HistoryRequest{QStringLiteral("General"), 3, QStringLiteral("0123456789abcdef")});
        const auto page = bob.waitFor(QStringLiteral("history"));
        QVERIFY(page);
        QCOMPARE(page->value(QLatin1String("room")).toString(), QStringLiteral("general"));
        QCOMPARE(seqsOf(page->value(QLatin1String("messages"))), seqRange(1, 5));
        QVERIFY(page->value(QLatin1String("truncated")).toBool());
    }

    void aBaseServerKnowsNoHistoryRequests()
    {
        ServerConfig cfg = config();
        cfg.baseOnly = true;
        auto server = startTestServer(cfg);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(post(alice, 3, 10));
        QVERIFY(alice.join(QStringLiteral("general"), 0));
        const QJsonObject joined = alice.all(QStringLiteral("roomJoined")).constLast();
        QVERIFY(!joined.contains(QLatin1String("history")));
        QVERIFY(!joined.contains(QLatin1String("historyMore")));
        alice.send(HistoryRequest{QStringLiteral("general"), 0, {}});
        const auto error = alice.waitFor(QStringLiteral("error"));
        QVERIFY(error);
        QVERIFY(error->value(QLatin1String("message")).toString().contains(QLatin1String("history")));
        QVERIFY(!error->contains(QLatin1String("code"))); // the guides' error: a message only
    }

    // A join is never refused for the history budget: over it, its roomJoined carries no history
    // but says more is due, and the client asks with `history` when the budget allows.
    void aJoinOverTheBudgetLeavesItsPageForLater()
    {
        const ServerConfig cfg = budgetConfig(1 * MiB);
        auto server = startTestServer(cfg);
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(post(alice, 100, 16 * KiB - 8));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        // Bob spends the budget...
        int refused = 0;
        while (refused == 0) {
            bob.send(HistoryRequest{QStringLiteral("general"), 0, {}});
            QVERIFY(bob.settle());
            refused = bob.count(QStringLiteral("error"));
        }
        // ...and joins again: still a member, the page left for later.
        QVERIFY(bob.join(QStringLiteral("general"), 0));
        const QJsonObject joined = bob.all(QStringLiteral("roomJoined")).constLast();
        QVERIFY(joined.value(QLatin1String("history")).toArray().isEmpty());
        QVERIFY(joined.value(QLatin1String("historyMore")).toBool());
        QCOMPARE(joined.value(QLatin1String("lastSeq")).toInteger(), 100);
        QCOMPARE(joined.value(QLatin1String("userCount")).toInt(), 2);
    }

    // A client that reads what it asked for is refused once past its budget, told when to come
    // back, and closed if it keeps asking.
    void askingPastTheBudgetIsRefusedThenClosed()
    {
        const ServerConfig cfg = budgetConfig(4 * MiB);
        auto server = startTestServer(cfg);
        WsProbe alice, mallory;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(post(alice, 200, 16 * KiB - 8));
        QVERIFY(mallory.login(server->url(), QStringLiteral("mallory"), QStringLiteral("general")));
        QSignalSpy closed(&mallory.socket(), &QWebSocket::disconnected);
        for (int i = 0; i < 200; ++i)
            mallory.send(HistoryRequest{QStringLiteral("general"), 0, {}});
        QVERIFY(closed.wait(20000));
        QCOMPARE(mallory.socket().closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        // The burst's worth of pages went out, then refusals that say when to ask again.
        QVERIFY(mallory.count(QStringLiteral("history")) > 0);
        qint64 sent = 0;
        for (qsizetype i = 0; i < mallory.objects.size(); ++i) {
            const QString type = mallory.objects.at(i).value(QLatin1String("type")).toString();
            if (type == QLatin1String("history") || type == QLatin1String("roomJoined"))
                sent += mallory.texts.at(i).toUtf8().size();
        }
        QVERIFY2(sent > cfg.historyBytesRate.burst - cfg.historyPageBytes, qPrintable(QString::number(sent)));
        QVERIFY2(sent <= cfg.historyBytesRate.burst + cfg.historyPageBytes,
                 qPrintable(QString::number(sent)));
        const QList<QJsonObject> errors = mallory.all(QStringLiteral("error"));
        QCOMPARE(errors.size(), cfg.rateLimitStrikes); // the one after them closed it
        for (const QJsonObject &e : errors) {
            QCOMPARE(e.value(QLatin1String("code")).toString(), QStringLiteral("rateLimited"));
            QCOMPARE(e.value(QLatin1String("request")).toString(), QStringLiteral("history"));
            QVERIFY(e.value(QLatin1String("retryAfterMs")).toInteger() > 0);
        }
    }

    // The finding: connections that ask for history again and again and never read. Each is
    // refused past its budget and dropped; what the server queued for it stayed within the budget
    // and one page; and a conversation in another room went on throughout.
    void aHistoryLoopThatNeverReadsIsDroppedAndStaysSmall()
    {
        ServerConfig cfg = budgetConfig(4 * MiB);
        // A connection that stopped reading is found dead within two beats. Not faster: the
        // clients that do read share this thread, and a loaded machine must not starve their pongs.
        cfg.heartbeatMs = 1000;
        auto server = startTestServer(cfg);
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(post(alice, 200, 16 * KiB - 8)); // 3.2 MiB of history
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("elsewhere")));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("elsewhere")));

        std::vector<std::unique_ptr<RawWsClient>> greedy;
        for (int g = 0; g < 3; ++g) {
            auto client = std::make_unique<RawWsClient>();
            QVERIFY(client->open(server->url()));
            client->stopReading();
            client->sendText(encode(SetUsername{QStringLiteral("greedy")}));
            for (int i = 0; i < 200; ++i) {
                // Joins with since 0 and history requests, as the finding's loop did.
                if (i % 20 == 0)
                    client->sendText(encode(JoinRoom{QStringLiteral("general"), 0, {}}));
                else
                    client->sendText(encode(HistoryRequest{QStringLiteral("general"), 0, {}}));
            }
            greedy.push_back(std::move(client));
        }
        // Meanwhile, elsewhere.
        bob.send(SendChat{QStringLiteral("still talking"), QStringLiteral("b-1")});
        QCOMPARE(carol.next<ChatMessage>()->text, QStringLiteral("still talking"));
        QVERIFY(bob.next<Ack>());

        qint64 largest = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            (largest = qMax(largest, largestBacklog(*server)), server->clientCount() == 3), 30000);
        QVERIFY2(largest <= cfg.historyBytesRate.burst + cfg.historyPageBytes + 64 * KiB,
                 qPrintable(QString::number(largest)));
        bob.send(SendChat{QStringLiteral("after them"), QStringLiteral("b-2")});
        QCOMPARE(carol.next<ChatMessage>()->text, QStringLiteral("after them"));
        QVERIFY(bob.next<Ack>());
        QVERIFY(carol.settle());
        QCOMPARE(carol.count(QStringLiteral("chatMessage")), 2);
    }
};

QTEST_GUILESS_MAIN(TestServerHistory)
#include "tst_serverhistory.moc"

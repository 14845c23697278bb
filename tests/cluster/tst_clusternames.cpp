// SPDX-License-Identifier: GPL-3.0-or-later
#include "clusterfixture.h"
#include "testpeer.h"
#include "wsprobe.h"

#include <algorithm>
#include <memory>
#include <vector>

#include <QDir>
#include <QRegularExpression>
#include <QtTest>

using namespace Protocol;

namespace {
// Short enough for a test to see a dead node's names expire (PROTOCOL.md 2, *Scale-out*).
const QString ShortTtlMs = QStringLiteral("2000");

bool hasUser(const WsProbe &probe, const QString &type, const QString &user)
{
    for (const QJsonObject &o : probe.all(type))
        if (o.value(QLatin1String("user")).toString() == user)
            return true;
    return false;
}

// Sends setUsername and waits for its answer: "usernameSet", or the error's code.
QString setName(WsProbe &probe, const QString &name, const QString &token = {})
{
    const int sets = probe.count(QStringLiteral("usernameSet"));
    const int errors = probe.count(QStringLiteral("error"));
    probe.send(SetUsername{name, token});
    if (!waitUntil([&] {
            return probe.count(QStringLiteral("usernameSet")) > sets ||
                   probe.count(QStringLiteral("error")) > errors;
        }))
        return QStringLiteral("(no answer)");
    if (probe.count(QStringLiteral("usernameSet")) > sets)
        return QStringLiteral("usernameSet");
    return probe.all(QStringLiteral("error")).constLast().value(QLatin1String("code")).toString();
}
} // namespace

//! Held names (open mode) and the rooms list are shared by every node given one Redis
//! (PROTOCOL.md 2, *Scale-out*): a name held on one node is refused on the others and taken over
//! with its token from any of them; a dead node's names expire; the rooms list shows the rooms
//! occupied on any node with their cluster-wide counts.
class TestClusterNames : public QObject
{
    Q_OBJECT

private:
    ClusterFixture m_cluster{QStringLiteral(NATTER_SERVER_PATH),
                             {QStringLiteral("--presence-ttl-ms"), ShortTtlMs}};

    static QByteArray nodeIdOf(NodeProcess &node)
    {
        const QRegularExpression re(QStringLiteral("node (\\S+)"));
        return re.match(QString::fromUtf8(node.output())).captured(1).toUtf8();
    }
    // The session holding `name` as Redis has it ("NODE\nSESSION\nHASH").
    QList<QByteArray> holderOf(const QByteArray &nameKey) const
    {
        const QByteArray reply = m_cluster.redis().call({"GET", "natter:name:" + nameKey});
        // $LEN\r\nVALUE\r\n
        const qsizetype start = reply.indexOf("\r\n") + 2;
        return reply.mid(start, reply.size() - start - 2).split('\n');
    }

private slots:
    void init() { m_cluster.init(); }
    void cleanup() { m_cluster.cleanup(); }

    void aNameHeldOnOneNodeIsRefusedOnAnotherAndItsTokenTakesItOver()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice")));
        const QString token = alice.nameToken();
        QVERIFY(!token.isEmpty());

        WsProbe mallory;
        QVERIFY(mallory.open(b->url()));
        QCOMPARE(setName(mallory, QStringLiteral("Alice")), QStringLiteral("nameTaken")); // any case
        QCOMPARE(setName(mallory, QStringLiteral("alice"), QStringLiteral("not-the-token")),
                 QStringLiteral("nameTaken"));
        QVERIFY(alice.isConnected());

        // Alice comes back through node B (her old connection may be dead): she takes it over,
        // and her old connection on A is closed with the takeover code.
        WsProbe back;
        QVERIFY(back.login(b->url(), QStringLiteral("alice"), {}, {}, token));
        QVERIFY(waitUntil([&] { return !alice.isConnected(); }));
        QCOMPARE(int(alice.socket().closeCode()), int(CloseNameTakenOver));
        // The old token is spent, on either node.
        WsProbe stale;
        QVERIFY(stale.open(a->url()));
        QCOMPARE(setName(stale, QStringLiteral("alice"), token), QStringLiteral("nameTaken"));
        QVERIFY(back.settle());
        QVERIFY(back.isConnected());
    }

    void aReleasedNameIsFreeOnAnotherNodeAtOnce()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe bob, watcher;
        QVERIFY(bob.login(a->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        QVERIFY(watcher.login(b->url(), QStringLiteral("watcher"), QStringLiteral("lobby")));
        // A node frees the name before it tells the room that its holder left.
        bob.socket().close();
        QVERIFY(
            waitUntil([&] { return hasUser(watcher, QStringLiteral("userLeft"), QStringLiteral("bob")); }));
        WsProbe other;
        QVERIFY(other.open(b->url()));
        QCOMPARE(setName(other, QStringLiteral("bob")), QStringLiteral("usernameSet"));
        // Taking another name frees the first one too.
        QCOMPARE(setName(other, QStringLiteral("robert")), QStringLiteral("usernameSet"));
        WsProbe third;
        QVERIFY(third.open(a->url()));
        QCOMPARE(setName(third, QStringLiteral("bob")), QStringLiteral("usernameSet"));
        QCOMPARE(setName(third, QStringLiteral("robert")), QStringLiteral("nameTaken"));
    }

    void aKilledNodesNamesAreFreeOnceTheyExpire()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe carol, watcher;
        QVERIFY(carol.login(a->url(), QStringLiteral("carol"), QStringLiteral("lobby")));
        QVERIFY(watcher.login(b->url(), QStringLiteral("watcher"), QStringLiteral("lobby")));
        a->kill();
        // Until it expires the name stays held: a node that stopped answering may yet be alive.
        WsProbe other;
        QVERIFY(other.open(b->url()));
        QCOMPARE(setName(other, QStringLiteral("carol")), QStringLiteral("nameTaken"));
        // Her presence expires with her name (the same TTL, refreshed together).
        QVERIFY(waitUntil(
            [&] { return hasUser(watcher, QStringLiteral("userLeft"), QStringLiteral("carol")); }, 20000));
        QCOMPARE(setName(other, QStringLiteral("carol")), QStringLiteral("usernameSet"));
    }

    void theRoomsListShowsRoomsOccupiedOnOtherNodesWithTheirCounts()
    {
        const QStringList publicList{QStringLiteral("--public-rooms-list")};
        auto [a, b] = m_cluster.startTwoNodes(publicList);
        QVERIFY(a && b);
        WsProbe alice, carol, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("Attic")));
        QVERIFY(carol.login(a->url(), QStringLiteral("carol"), QStringLiteral("attic")));
        alice.send(SendChat{QStringLiteral("hello"), QStringLiteral("m1")});
        QVERIFY(alice.waitFor(QStringLiteral("ack")));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("cellar")));
        // A room no client could have named, planted in Redis, is not listed.
        m_cluster.redis().call({"ZADD", "natter:rooms", QByteArray::number(nowMs() + 60000), "ghost"});
        m_cluster.redis().call({"HSET", "natter:room:ghost:meta", "name", "Not the ghost", "seq", "3"});
        m_cluster.redis().call(
            {"ZADD", "natter:room:ghost:presence", QByteArray::number(nowMs() + 60000), "x\ny\nz"});

        bob.send(ListRooms{});
        // B reads the other nodes' rooms with its presence refresh, and sends the new list.
        std::optional<RoomInfo> attic;
        QStringList names;
        QVERIFY(waitUntil([&] {
            const auto list = bob.all(QStringLiteral("rooms"));
            if (list.isEmpty())
                return false;
            names.clear();
            attic.reset();
            for (const QJsonValue &v : list.constLast().value(QLatin1String("rooms")).toArray()) {
                const QJsonObject r = v.toObject();
                names.append(r.value(QLatin1String("name")).toString());
                if (names.constLast() == QStringLiteral("Attic"))
                    attic = RoomInfo{names.constLast(), r.value(QLatin1String("userCount")).toInt(),
                                     r.value(QLatin1String("lastSeq")).toInteger(),
                                     r.value(QLatin1String("epoch")).toString()};
            }
            return attic.has_value();
        }));
        QCOMPARE(attic->userCount, 2);
        QCOMPARE(attic->lastSeq, 1);
        QCOMPARE(
            attic->epoch,
            alice.all(QStringLiteral("roomJoined")).constFirst().value(QLatin1String("epoch")).toString());
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("Attic"), QStringLiteral("cellar")}));

        // Its members leave: it drops out of B's list.
        alice.send(LeaveRoom{});
        carol.send(LeaveRoom{});
        QVERIFY(waitUntil([&] {
            const auto list = bob.all(QStringLiteral("rooms"));
            return list.constLast().value(QLatin1String("rooms")).toArray().size() == 1;
        }));
    }

    void whileRedisIsAwayNamesAreRefusedAndHeldOnesStay()
    {
        auto a = m_cluster.startNode();
        QVERIFY(a);
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), {}, {Feature::Status}));
        QVERIFY(bob.open(a->url()));
        bob.send(Hello{QStringLiteral("wsprobe"), {Feature::Status}});
        m_cluster.redis().stop();
        const auto degraded = bob.waitFor(QStringLiteral("serverStatus"), 20000);
        QVERIFY(degraded);
        QCOMPARE(degraded->value(QLatin1String("status")).toString(), QStringLiteral("degraded"));
        // Nobody can be asked whether the name is held elsewhere: refused at once, not held here only.
        QCOMPARE(setName(bob, QStringLiteral("bob")), QStringLiteral("storeFailed"));
        QCOMPARE(setName(bob, QStringLiteral("alice"), alice.nameToken()), QStringLiteral("storeFailed"));
        QVERIFY(alice.settle());
        QVERIFY(alice.isConnected());

        QVERIFY(m_cluster.redis().start());
        const auto ok = bob.waitFor(QStringLiteral("serverStatus"), 20000);
        QVERIFY(ok);
        QCOMPARE(ok->value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(setName(bob, QStringLiteral("bob")), QStringLiteral("usernameSet"));
        // Alice's name is still hers (her node keeps it in Redis with its refresh).
        QVERIFY(waitUntil([&] { return holderOf("alice").size() == 3; }));
        QCOMPARE(setName(bob, QStringLiteral("alice")), QStringLiteral("nameTaken"));
    }

    void thousandsOfHeldNamesStayHeldAndComeBackWhenRedisLosesThem()
    {
        // More names than one refresh call carries (ClusterBus refreshes them 500 a call): one
        // call a name kept Redis busy for seconds each refresh once a node held thousands.
        constexpr int Names = 1100;
        const QStringList manyFromOneAddress{QStringLiteral("--max-connections-per-ip"),
                                             QStringLiteral("5000")};
        auto [a, b] = m_cluster.startTwoNodes(manyFromOneAddress);
        QVERIFY(a && b);
        const auto nameKeys = [&] {
            const QByteArray reply = m_cluster.redis().call(
                {"EVAL", "return #redis.call('KEYS', 'natter:name:*')", "0"}); // ":N\r\n"
            return reply.mid(1, reply.size() - 3).toInt();
        };
        std::vector<std::unique_ptr<WsProbe>> users;
        for (int i = 0; i < Names; ++i) {
            users.push_back(std::make_unique<WsProbe>());
            QVERIFY(users.back()->open(a->url()));
            users.back()->send(SetUsername{QStringLiteral("user%1").arg(i), {}});
        }
        const auto everyoneNamed = [&] {
            return std::all_of(users.cbegin(), users.cend(),
                               [](const auto &u) { return u->count(QStringLiteral("usernameSet")) == 1; });
        };
        QVERIFY(waitUntil(everyoneNamed, 60000));
        QCOMPARE(nameKeys(), Names);

        // Redis loses them (restarted without its data): their node puts every one back.
        m_cluster.redis().kill();
        QVERIFY(QDir(m_cluster.dir().path() + QStringLiteral("/appendonlydir")).removeRecursively());
        QVERIFY(m_cluster.redis().start());
        QVERIFY(waitUntil([&] { return nameKeys() == Names; }, 30000));
        WsProbe late;
        QVERIFY(late.open(b->url()));
        QCOMPARE(setName(late, QStringLiteral("user%1").arg(Names - 1)), QStringLiteral("nameTaken"));

        // Every 100th was meanwhile claimed for a session elsewhere: those sessions end with
        // the takeover code on the next refresh, whichever call carried them; the rest stay.
        for (int i = 0; i < Names; i += 100)
            m_cluster.redis().call(
                {"SET", "natter:name:user" + QByteArray::number(i), "elsewhere\nsomeone\nabcdef"});
        for (int i = 0; i < Names; i += 100) {
            QVERIFY(users.at(i)->waitForDisconnected(30000));
            QCOMPARE(int(users.at(i)->socket().closeCode()), int(CloseNameTakenOver));
        }
        QVERIFY(users.at(1)->settle());
        for (int i = 0; i < Names; ++i)
            QCOMPARE(users.at(i)->isConnected(), i % 100 != 0);
    }

    void aNameGoneFromRedisWhileItWasReachableIsLostNotRestored()
    {
        // Taken over on another node and released there, the notice to this node lost: the key is
        // simply gone. The refresh must not give the old session the name (and its spent token)
        // back; only a Redis that was away may have lost it.
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice")));
        QVERIFY(bob.login(a->url(), QStringLiteral("bob")));
        m_cluster.redis().call({"DEL", "natter:name:alice"});
        QVERIFY(alice.waitForDisconnected(30000));
        QCOMPARE(int(alice.socket().closeCode()), int(CloseNameTakenOver));
        WsProbe other;
        QVERIFY(other.open(b->url()));
        QCOMPARE(setName(other, QStringLiteral("alice")), QStringLiteral("usernameSet"));
        QVERIFY(bob.settle());
        QVERIFY(bob.isConnected());
        QCOMPARE(holderOf("bob").size(), 3);
    }

    void aForgedTakeoverNoticeOrAGarbageNameIsNotObeyed()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice, dave;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice")));
        QVERIFY(dave.login(a->url(), QStringLiteral("dave")));
        const QByteArray channel = "natter:0:node:" + nodeIdOf(*a);
        QVERIFY(channel.size() > 15);
        const QList<QByteArray> held = holderOf("alice");
        QCOMPARE(held.size(), 3);
        // Anyone can publish on a node's channel: a notice for another session, one for the
        // real holder (Redis says the name is still hers), and garbage.
        m_cluster.redis().call({"PUBLISH", channel, "t\nsomeone-else\nalice"});
        m_cluster.redis().call({"PUBLISH", channel, "t\n" + held.at(1) + "\nalice"});
        m_cluster.redis().call({"PUBLISH", channel, "t\n\n"});
        m_cluster.redis().call({"PUBLISH", channel, "t\n" + QByteArray(100000, 'x')});
        // A real takeover after them is obeyed; so they were all read, and alice stays.
        WsProbe back;
        QVERIFY(back.login(b->url(), QStringLiteral("dave"), {}, {}, dave.nameToken()));
        QVERIFY(waitUntil([&] { return !dave.isConnected(); }));
        QCOMPARE(int(dave.socket().closeCode()), int(CloseNameTakenOver));
        QVERIFY(alice.settle());
        QVERIFY(alice.isConnected());
        QCOMPARE(holderOf("alice"), held);

        // Garbage in a name's key: not a holder's value, or not even a string, is nobody's;
        // a well-formed value of a node that never was is somebody's until it expires.
        m_cluster.redis().call({"SET", "natter:name:eve", "garbage"});
        m_cluster.redis().call({"HSET", "natter:name:frank", "node", "x"});
        m_cluster.redis().call({"SET", "natter:name:zoe", "nonode\nsession\n00ff"});
        WsProbe eve, frank, zoe;
        QVERIFY(eve.open(a->url()) && frank.open(b->url()) && zoe.open(b->url()));
        QCOMPARE(setName(eve, QStringLiteral("eve")), QStringLiteral("usernameSet"));
        QCOMPARE(setName(frank, QStringLiteral("frank")), QStringLiteral("usernameSet"));
        QCOMPARE(setName(zoe, QStringLiteral("zoe")), QStringLiteral("nameTaken"));
        QVERIFY(a->isRunning() && b->isRunning());
    }
};

QTEST_GUILESS_MAIN(TestClusterNames)
#include "tst_clusternames.moc"

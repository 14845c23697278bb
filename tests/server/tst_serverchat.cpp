// SPDX-License-Identifier: GPL-3.0-or-later
// Longer than most files on purpose: one test per rule of the server's chat behaviour in
// docs/PROTOCOL.md sections 1 to 4 and 6, in that order, against one server fixture.
#include "jsonkeys.h"
#include "jsontree.h"
#include "rawwsclient.h"
#include "seqs.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QThread>
#include <QtTest>

using namespace Protocol;

namespace {

// Sends `count` chats, text(i) with the id "id-<i>", and waits for each one's ack.
bool sendAcked(WsProbe &probe, int count, const std::function<QString(int)> &text)
{
    for (int i = 1; i <= count; ++i)
        probe.send(SendChat{text(i), QStringLiteral("id-%1").arg(i)});
    for (int i = 1; i <= count; ++i) {
        if (!probe.next<Ack>())
            return false;
    }
    return true;
}

} // namespace

class TestServerChat : public QObject
{
    Q_OBJECT

private slots:
    void connectedAdvertisesExtensions()
    {
        auto server = startTestServer();
        WsProbe probe;
        QVERIFY(probe.open(server->url()));
        const QJsonObject c = probe.all(QStringLiteral("connected")).constFirst();
        QCOMPARE(keysOf(c), sorted({"type", "clientId", "server", "protocol", "features", "maxMessageBytes",
                                    "maxFileBytes", "historyLimit", "heartbeatMs", "idWindowMs", "auth"}));
        QVERIFY(!QUuid::fromString(c.value(QLatin1String("clientId")).toString()).isNull());
        QCOMPARE(c.value(QLatin1String("server")).toString(),
                 QStringLiteral("natter-server/" NATTER_VERSION));
        QCOMPARE(c.value(QLatin1String("protocol")).toInt(), 1);
        QCOMPARE(strings(c.value(QLatin1String("features"))), Feature::all());
        QCOMPARE(c.value(QLatin1String("maxMessageBytes")).toInteger(), 1048576);
        QCOMPARE(c.value(QLatin1String("historyLimit")).toInt(), 200);
        QCOMPARE(c.value(QLatin1String("idWindowMs")).toInteger(), ServerConfig{}.idWindowMs);
        QCOMPARE(c.value(QLatin1String("auth")).toString(), QStringLiteral("open"));
        QTRY_COMPARE(server->clientCount(), 1);
    }

    void fileLimitNeverExceedsWhatChunkIndexesCanAddress()
    {
        ServerConfig config = testServerConfig();
        config.maxFileBytes = qint64(1) << 60;
        auto server = startTestServer(config);
        WsProbe probe;
        QVERIFY(probe.open(server->url()));
        const QJsonObject c = probe.all(QStringLiteral("connected")).constFirst();
        QCOMPARE(c.value(QLatin1String("maxFileBytes")).toInteger(), qint64(ChunkDataBytes) << 32);
    }

    void twoUsersChatAndTheSenderGetsNoEcho()
    {
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        const auto aliceJoined = alice.next<UserJoined>();
        QVERIFY(aliceJoined);
        QCOMPARE(aliceJoined->user, QStringLiteral("alice"));
        QCOMPARE(aliceJoined->userCount, 1);

        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        // userJoined goes to the whole room, the joiner included.
        const auto bobSeenByAlice = alice.next<UserJoined>();
        QVERIFY(bobSeenByAlice);
        QCOMPARE(bobSeenByAlice->user, QStringLiteral("bob"));
        QCOMPARE(bobSeenByAlice->room, QStringLiteral("general"));
        QCOMPARE(bobSeenByAlice->userCount, 2);
        const auto bobSelf = bob.next<UserJoined>();
        QVERIFY(bobSelf);
        QCOMPARE(bobSelf->userCount, 2);
        // The joiner's userJoined precedes its roomJoined.
        QCOMPARE(bob.objects.last().value(QLatin1String("type")).toString(), QStringLiteral("roomJoined"));
        const QJsonObject joined = bob.all(QStringLiteral("roomJoined")).constFirst();
        QCOMPARE(joined.value(QLatin1String("userCount")).toInt(), 2);
        QCOMPARE(strings(joined.value(QLatin1String("users"))), QStringList({"alice", "bob"}));

        const qint64 before = nowMs();
        alice.send(SendChat{QStringLiteral("hello bob"), {}});
        const auto got = bob.next<ChatMessage>();
        QVERIFY(got);
        QCOMPARE(got->user, QStringLiteral("alice"));
        QCOMPARE(got->text, QStringLiteral("hello bob"));
        QCOMPARE(got->room, QStringLiteral("general"));
        QCOMPARE(got->seq, 1);
        QVERIFY(got->timestamp >= before - 1000 && got->timestamp <= nowMs() + 1000);

        bob.send(SendChat{QStringLiteral("hi alice ✓"), {}});
        const auto reply = alice.next<ChatMessage>();
        QVERIFY(reply);
        QCOMPARE(reply->text, QStringLiteral("hi alice ✓"));
        QCOMPARE(reply->seq, 2);

        QVERIFY(alice.settle());
        QVERIFY(bob.settle());
        QCOMPARE(alice.count(QStringLiteral("chatMessage")), 1);
        QCOMPARE(bob.count(QStringLiteral("chatMessage")), 1);
        // No id, no ack.
        QCOMPARE(alice.count(QStringLiteral("ack")), 0);
    }

    void typingIsRelayedToTheOthers()
    {
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        alice.send(Typing{});
        const auto typing = bob.next<UserTyping>();
        QVERIFY(typing);
        QCOMPARE(typing->user, QStringLiteral("alice"));
        QCOMPARE(typing->room, QStringLiteral("general"));
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("userTyping")), 0);
    }

    // Typing belongs to the connection that sends it: the name and room are the sender's own,
    // whatever the message claims, and a connection outside the room cannot type into it.
    void typingCannotBeForged()
    {
        auto server = startTestServer();
        WsProbe alice, bob, mallory;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(mallory.login(server->url(), QStringLiteral("mallory")));
        const QByteArray forged = R"({"type":"typing","user":"alice","room":"general"})";
        mallory.sendRaw(forged);
        QCOMPARE(mallory.next<Error>()->code, QStringLiteral("notInRoom"));
        QVERIFY(mallory.join(QStringLiteral("other")));
        mallory.sendRaw(forged);
        QVERIFY(mallory.settle());
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("userTyping")), 0);

        QVERIFY(mallory.join(QStringLiteral("general")));
        mallory.sendRaw(forged);
        const auto typing = bob.next<UserTyping>();
        QVERIFY(typing);
        QCOMPARE(typing->user, QStringLiteral("mallory"));
        QCOMPARE(typing->room, QStringLiteral("general"));
    }

    void leavingAndDisconnectingAreAnnouncedWithCounts()
    {
        auto server = startTestServer();
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("general")));
        QCOMPARE(
            carol.all(QStringLiteral("roomJoined")).constFirst().value(QLatin1String("userCount")).toInt(),
            3);

        carol.send(LeaveRoom{});
        auto left = alice.next<UserLeft>();
        QVERIFY(left);
        QCOMPARE(left->user, QStringLiteral("carol"));
        QCOMPARE(left->userCount, 2);
        QCOMPARE(left->room, QStringLiteral("general"));
        QVERIFY(bob.next<UserLeft>());
        QVERIFY(carol.settle());
        QCOMPARE(carol.count(QStringLiteral("userLeft")), 0); // no reply to the leaver

        // Chat after leaving: not in a room.
        carol.send(SendChat{QStringLiteral("anyone?"), {}});
        const auto err = carol.next<Error>();
        QVERIFY(err);
        QCOMPARE(err->code, QStringLiteral("notInRoom"));
        carol.send(LeaveRoom{});
        QCOMPARE(carol.next<Error>()->code, QStringLiteral("notInRoom"));

        bob.socket().close();
        left = alice.next<UserLeft>();
        QVERIFY(left);
        QCOMPARE(left->user, QStringLiteral("bob"));
        QCOMPARE(left->userCount, 1);
        QTRY_COMPARE(server->clientCount(), 2);
    }

    void joiningAnotherRoomLeavesTheFirst()
    {
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(bob.join(QStringLiteral("random")));
        const auto left = alice.next<UserLeft>();
        QVERIFY(left);
        QCOMPARE(left->userCount, 1);
        bob.send(SendChat{QStringLiteral("in random"), {}});
        QVERIFY(bob.settle());
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("chatMessage")), 0);
    }

    void historyHoldsTheLastMessages()
    {
        ServerConfig config = testServerConfig();
        config.historyLimit = 5;
        auto server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(sendAcked(alice, 8, [](int i) { return QStringLiteral("m%1").arg(i); }));

        WsProbe bob;
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        const QJsonObject joined = bob.all(QStringLiteral("roomJoined")).constFirst();
        QCOMPARE(seqsOf(joined.value(QLatin1String("history"))), QList<qint64>({4, 5, 6, 7, 8}));
        QCOMPARE(joined.value(QLatin1String("lastSeq")).toInteger(), 8);
        QVERIFY(!joined.contains(QLatin1String("historyTruncated")));
        const QJsonObject first = joined.value(QLatin1String("history")).toArray().first().toObject();
        QCOMPARE(first.value(QLatin1String("text")).toString(), QStringLiteral("m4"));
        QCOMPARE(first.value(QLatin1String("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(first.value(QLatin1String("id")).toString(), QStringLiteral("id-4"));
        QCOMPARE(first.value(QLatin1String("room")).toString(), QStringLiteral("general"));

        // History survives the room emptying.
        alice.socket().close();
        bob.socket().close();
        QTRY_COMPARE(server->clientCount(), 0);
        WsProbe carol;
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("general")));
        const QJsonObject again = carol.all(QStringLiteral("roomJoined")).constFirst();
        QCOMPARE(seqsOf(again.value(QLatin1String("history"))), QList<qint64>({4, 5, 6, 7, 8}));
        QCOMPARE(strings(again.value(QLatin1String("users"))), QStringList({"carol"}));
    }

    void sinceRecoversExactlyTheMissingMessages()
    {
        ServerConfig config = testServerConfig();
        config.historyLimit = 10;
        auto server = startTestServer(config);
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        for (int i = 1; i <= 3; ++i)
            alice.send(SendChat{QStringLiteral("m%1").arg(i), {}});
        for (int i = 1; i <= 3; ++i)
            QVERIFY(bob.next<ChatMessage>());

        // bob drops out after seq 3; alice keeps talking.
        bob.socket().close();
        QVERIFY(alice.next<UserLeft>());
        for (int i = 4; i <= 7; ++i)
            alice.send(SendChat{QStringLiteral("m%1").arg(i), {}});
        QVERIFY(alice.settle());

        WsProbe bob2;
        QVERIFY(bob2.login(server->url(), QStringLiteral("bob")));
        QVERIFY(bob2.join(QStringLiteral("general"), 3));
        QJsonObject joined = bob2.all(QStringLiteral("roomJoined")).constFirst();
        QCOMPARE(seqsOf(joined.value(QLatin1String("history"))), QList<qint64>({4, 5, 6, 7}));
        QCOMPARE(
            joined.value(QLatin1String("history")).toArray().first().toObject().value(QLatin1String("text")),
            QJsonValue(QStringLiteral("m4")));
        QVERIFY(!joined.contains(QLatin1String("historyTruncated")));
        QCOMPARE(joined.value(QLatin1String("lastSeq")).toInteger(), 7);

        // Up to date: nothing to recover.
        QVERIFY(bob2.join(QStringLiteral("general"), 7));
        joined = bob2.all(QStringLiteral("roomJoined")).constLast();
        QCOMPARE(joined.value(QLatin1String("history")).toArray().size(), 0);
        QVERIFY(!joined.contains(QLatin1String("historyTruncated")));

        // Older than what is held: everything held, flagged as truncated.
        for (int i = 8; i <= 20; ++i)
            alice.send(SendChat{QStringLiteral("m%1").arg(i), {}});
        QVERIFY(alice.settle());
        QVERIFY(bob2.join(QStringLiteral("general"), 2));
        joined = bob2.all(QStringLiteral("roomJoined")).constLast();
        QCOMPARE(seqsOf(joined.value(QLatin1String("history"))),
                 QList<qint64>({11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
        QCOMPARE(joined.value(QLatin1String("historyTruncated")).toBool(), true);

        // A seq from another life of the room (another epoch): everything held comes back, flagged.
        const QString epoch = joined.value(QLatin1String("epoch")).toString();
        QVERIFY(!epoch.isEmpty());
        QVERIFY(bob2.join(QStringLiteral("general"), 19));
        QCOMPARE(seqsOf(bob2.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("history"))),
                 QList<qint64>({20}));
        QVERIFY(bob2.join(QStringLiteral("general"), 19, epoch));
        joined = bob2.all(QStringLiteral("roomJoined")).constLast();
        QCOMPARE(seqsOf(joined.value(QLatin1String("history"))), QList<qint64>({20}));
        QVERIFY(bob2.join(QStringLiteral("general"), 19, QStringLiteral("an-old-epoch")));
        joined = bob2.all(QStringLiteral("roomJoined")).constLast();
        QCOMPARE(joined.value(QLatin1String("historyTruncated")).toBool(), true);
        QCOMPARE(seqsOf(joined.value(QLatin1String("history"))),
                 QList<qint64>({11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));

        // A seq the room never reached (the server restarted since): all of it is new to the
        // client, so everything held comes back, flagged.
        QVERIFY(bob2.join(QStringLiteral("general"), 500));
        joined = bob2.all(QStringLiteral("roomJoined")).constLast();
        QCOMPARE(joined.value(QLatin1String("historyTruncated")).toBool(), true);
        QCOMPARE(joined.value(QLatin1String("lastSeq")).toInteger(), 20);
        QCOMPARE(seqsOf(joined.value(QLatin1String("history"))),
                 QList<qint64>({11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
    }

    void repeatedIdIsAckedTwiceAndDeliveredOnce()
    {
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        const QString id = QStringLiteral("6d0f4c8e-0c57-4c3e-9a43-9f1d3e1e2b11");
        alice.send(SendChat{QStringLiteral("once"), id});
        const auto ack = alice.next<Ack>();
        QVERIFY(ack);
        QCOMPARE(ack->id, id);
        QCOMPARE(ack->seq, 1);
        QCOMPARE(ack->room, QStringLiteral("general"));
        QVERIFY(!ack->duplicate);
        const auto delivered = bob.next<ChatMessage>();
        QVERIFY(delivered);
        QCOMPARE(delivered->id, id);
        QCOMPARE(delivered->seq, ack->seq);
        QCOMPARE(delivered->timestamp, ack->timestamp);

        // The same id again, even from a new connection after a "reconnect".
        WsProbe alice2; // her nameToken takes the name back from the connection still open
        QVERIFY(alice2.login(server->url(), QStringLiteral("alice"), QStringLiteral("general"), {},
                             alice.nameToken()));
        alice2.send(SendChat{QStringLiteral("once"), id});
        const auto again = alice2.next<Ack>();
        QVERIFY(again);
        QVERIFY(again->duplicate);
        QCOMPARE(again->seq, ack->seq);
        QCOMPARE(again->room, ack->room);
        QCOMPARE(again->timestamp, ack->timestamp);

        alice2.send(SendChat{QStringLiteral("next"), QStringLiteral("other-id")});
        const auto next = bob.next<ChatMessage>();
        QVERIFY(next);
        QCOMPARE(next->text, QStringLiteral("next")); // "once" was not delivered a second time
        QCOMPARE(next->seq, 2);
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("chatMessage")), 2);
    }

    void idsAreForgottenBeyondTheLimit()
    {
        ServerConfig config = testServerConfig();
        config.maxIdsPerUser = 3;
        auto server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(sendAcked(alice, 4, [](int) { return QStringLiteral("m"); }));
        alice.send(SendChat{QStringLiteral("m"), QStringLiteral("id-4")});
        QVERIFY(alice.next<Ack>()->duplicate);
        alice.send(SendChat{QStringLiteral("m"), QStringLiteral("id-1")});
        const auto forgotten = alice.next<Ack>();
        QVERIFY(!forgotten->duplicate);
        QCOMPARE(forgotten->seq, 5);
    }

    // Issue 10, finding 5: ids were server-wide. Another user's id is no duplicate of one's own,
    // neither replayed after it nor guessed before it.
    void idsCannotCollideAcrossUsers()
    {
        auto server = startTestServer();
        WsProbe alice, bob, mallory;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(mallory.login(server->url(), QStringLiteral("mallory")));
        const QString seen = QStringLiteral("b7c1e0a4-seen");
        alice.send(SendChat{QStringLiteral("from alice"), seen});
        QVERIFY(!alice.next<Ack>()->duplicate);
        QCOMPARE(bob.next<ChatMessage>()->id, seen);

        // In no room, replaying alice's id learns nothing: no ack, just "join a room".
        mallory.send(SendChat{QStringLiteral("replay"), seen});
        QCOMPARE(mallory.next<Error>()->code, QStringLiteral("notInRoom"));
        QCOMPARE(mallory.count(QStringLiteral("ack")), 0);

        // An id used first by mallory does not make alice's later message with it vanish.
        QVERIFY(mallory.join(QStringLiteral("general")));
        const QString guessed = QStringLiteral("0f9e2d44-guessed");
        mallory.send(SendChat{QStringLiteral("first"), guessed});
        QVERIFY(!mallory.next<Ack>()->duplicate);
        alice.send(SendChat{QStringLiteral("mine"), guessed});
        const auto ack = alice.next<Ack>();
        QVERIFY(ack);
        QVERIFY(!ack->duplicate);
        mallory.send(SendChat{QStringLiteral("replay in the room"), seen});
        QVERIFY(!mallory.next<Ack>()->duplicate);

        QVERIFY(bob.settle());
        QStringList texts;
        for (const QJsonObject &m : bob.all(QStringLiteral("chatMessage")))
            texts.append(m.value(QLatin1String("text")).toString());
        QCOMPARE(texts, QStringList({QStringLiteral("from alice"), QStringLiteral("first"),
                                     QStringLiteral("mine"), QStringLiteral("replay in the room")}));
    }

    // Finding 5: junk ids used to evict the whole store, after which a resend was delivered twice.
    void aFloodOfIdsCannotEvictAnotherUsersIds()
    {
        ServerConfig config = testServerConfig();
        config.maxIds = 50;
        config.maxIdsPerUser = 40;
        auto server = startTestServer(config);
        WsProbe alice, bob, mallory, trudy;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(mallory.login(server->url(), QStringLiteral("mallory"), QStringLiteral("flood")));
        QVERIFY(trudy.login(server->url(), QStringLiteral("trudy"), QStringLiteral("flood")));
        const QString id = QStringLiteral("5e0b7f1c-kept");
        alice.send(SendChat{QStringLiteral("once"), id});
        QVERIFY(alice.next<Ack>());
        QVERIFY(bob.next<ChatMessage>());

        // Two names, each far past the store's size and its own share.
        for (int i = 0; i < 300; ++i) {
            mallory.send(SendChat{QStringLiteral("junk"), QStringLiteral("m-%1").arg(i)});
            trudy.send(SendChat{QStringLiteral("junk"), QStringLiteral("t-%1").arg(i)});
        }
        QVERIFY(mallory.settle());
        QVERIFY(trudy.settle());
        QCOMPARE(mallory.count(QStringLiteral("ack")), 300);

        // alice's connection dropped before the ack: the resend is acknowledged, not delivered.
        WsProbe alice2; // her nameToken takes the name back from the connection still open
        QVERIFY(alice2.login(server->url(), QStringLiteral("alice"), QStringLiteral("general"), {},
                             alice.nameToken()));
        alice2.send(SendChat{QStringLiteral("once"), id});
        const auto again = alice2.next<Ack>();
        QVERIFY(again);
        QVERIFY(again->duplicate);
        QCOMPARE(again->seq, 1);
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("chatMessage")), 1);

        // The flooders only pushed out their own oldest ids.
        mallory.send(SendChat{QStringLiteral("junk"), QStringLiteral("m-0")});
        QVERIFY(mallory.settle());
        QCOMPARE(mallory.count(QStringLiteral("ack")), 301);
        QVERIFY(!mallory.all(QStringLiteral("ack")).constLast().value(QLatin1String("duplicate")).toBool());
    }

    void roomsListIsAnsweredAndUpdated()
    {
        auto server = startTestServer();
        WsProbe watcher, alice, bob;
        QVERIFY(watcher.open(server->url()));
        watcher.send(ListRooms{});
        auto list = watcher.next<RoomList>();
        QVERIFY(list);
        QVERIFY(list->rooms.isEmpty());

        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("random")));
        // Updates are coalesced: wait for the one that shows both rooms.
        QTRY_VERIFY_WITH_TIMEOUT(watcher.count(QStringLiteral("rooms")) >= 2 &&
                                     watcher.all(QStringLiteral("rooms"))
                                             .constLast()
                                             .value(QLatin1String("rooms"))
                                             .toArray()
                                             .size() == 2,
                                 10000);
        QJsonArray rooms =
            watcher.all(QStringLiteral("rooms")).constLast().value(QLatin1String("rooms")).toArray();
        QCOMPARE(rooms.at(0).toObject().value(QLatin1String("name")).toString(), QStringLiteral("general"));
        QCOMPARE(rooms.at(0).toObject().value(QLatin1String("userCount")).toInt(), 1);
        QCOMPARE(rooms.at(1).toObject().value(QLatin1String("name")).toString(), QStringLiteral("random"));

        QVERIFY(bob.join(QStringLiteral("general")));
        // random empties and disappears; general has two users.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonArray r =
                    watcher.all(QStringLiteral("rooms")).constLast().value(QLatin1String("rooms")).toArray();
                return r.size() == 1 && r.at(0).toObject().value(QLatin1String("userCount")).toInt() == 2;
            }(),
            10000);
        // A message moves the room's lastSeq, so subscribers can count what they have not read.
        alice.send(SendChat{QStringLiteral("news"), {}});
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonArray r =
                    watcher.all(QStringLiteral("rooms")).constLast().value(QLatin1String("rooms")).toArray();
                return r.size() == 1 && r.at(0).toObject().value(QLatin1String("lastSeq")).toInteger() == 1;
            }(),
            10000);
        // Not subscribed: no updates.
        QCOMPARE(alice.count(QStringLiteral("rooms")), 0);
    }

    void badInputGetsAnErrorAndTheConnectionStaysUsable()
    {
        auto server = startTestServer();
        WsProbe probe, other;
        QVERIFY(probe.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(other.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        const QList<QPair<QByteArray, QString>> cases = {
            {"this is not json", "invalidJson"},
            {"[1,2,3]", "notAnObject"},
            {"{\"text\":\"no type\"}", "missingField"},
            {"{\"type\":42}", "badField"},
            {"{\"type\":\"launchMissiles\"}", "unknownType"},
            {"{\"type\":\"chatMessage\"}", "missingField"},
            {"{\"type\":\"chatMessage\",\"text\":\"\"}", "badField"},
            {"{\"type\":\"chatMessage\",\"text\":7}", "badField"},
            {"{\"type\":\"chatMessage\",\"text\":\"x\",\"id\":\"\"}", "badField"},
            {"{\"type\":\"joinRoom\",\"room\":\"r\",\"since\":\"yesterday\"}", "badField"},
            {"{\"type\":\"ping\"}", "missingField"},
            {"{\"type\":\"fileEnd\"}", "fileState"},
        };
        for (const auto &[raw, code] : cases) {
            probe.sendRaw(raw);
            const auto e = probe.next<Error>();
            QVERIFY2(e, raw.constData());
            QCOMPARE(e->code, code);
            QVERIFY(!e->message.isEmpty());
        }
        probe.sendRaw("{\"type\":\"chatMessage\",\"text\":\"" + QByteArray(16 * 1024 + 1, 'x') + "\"}");
        QCOMPARE(probe.next<Error>()->code, QStringLiteral("tooLong"));

        // Still connected, still chatting; the other client saw none of it.
        QVERIFY(probe.isConnected());
        probe.send(SendChat{QStringLiteral("still here"), {}});
        const auto m = other.next<ChatMessage>();
        QVERIFY(m);
        QCOMPARE(m->text, QStringLiteral("still here"));
        QVERIFY(other.settle());
        QCOMPARE(other.count(QStringLiteral("error")), 0);
        QCOMPARE(other.count(QStringLiteral("chatMessage")), 1);
    }

    // A JSON bomb costs the server a few KiB and is refused out loud; the connection stays, what
    // was accepted before it stays delivered, and the chat that follows it is delivered.
    void jsonBombsAreRefusedCheaplyAndChatGoesOn()
    {
        const ServerConfig config = testServerConfig();
        auto server = startTestServer(config);
        WsProbe probe, other;
        QVERIFY(probe.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(other.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        probe.send(SendChat{QStringLiteral("before"), {}});
        QCOMPARE(other.next<ChatMessage>()->text, QStringLiteral("before"));

        // 1 MiB of [0,0,...], the size of the largest message the server takes.
        QByteArray zeros(config.maxMessageBytes, ',');
        for (qsizetype i = 1; i < zeros.size(); i += 2)
            zeros[i] = '0';
        zeros.front() = '[';
        zeros.back() = ']';
        // About 900 KiB of a chat message with 100,000 members.
        QByteArray wide = "{\"type\":\"chatMessage\",\"text\":\"wide\"";
        for (int i = 0; i < 100000; ++i)
            wide += ",\"k" + QByteArray::number(i, 36) + "\":0";
        wide += '}';
        QVERIFY(wide.size() > 850 * 1024 && wide.size() <= config.maxMessageBytes);
        // And the same chat message with two texts: which one would the room see?
        const QByteArray twice = "{\"type\":\"chatMessage\",\"text\":\"one\",\"\\u0074ext\":\"two\"}";
        const QList<QPair<QByteArray, QString>> bombs = {
            {zeros, "tooLong"}, {wide, "tooLong"}, {twice, "invalidJson"}};
        for (const auto &[json, code] : bombs) {
            probe.sendRaw(json);
            const auto e = probe.next<Error>(30000);
            QVERIFY(e);
            QCOMPARE(e->code, code);
            QVERIFY2(!e->message.isEmpty(), qPrintable(e->message));
            // What the server's parser held for it, under the same caps: a few KiB of nodes.
            const Limits limits;
            JsonTree tree;
            QVERIFY(
                !tree.parse(QString::fromUtf8(json), {limits.maxClientMessageValues,
                                                      limits.maxJsonStringUnits, limits.maxJsonNumberChars}));
            QVERIFY2(tree.memoryUsed() <= 28 * limits.maxClientMessageValues,
                     qPrintable(QStringLiteral("%1 bytes").arg(tree.memoryUsed())));
        }
        QVERIFY(probe.isConnected());
        probe.send(SendChat{QStringLiteral("after"), {}});
        QCOMPARE(other.next<ChatMessage>()->text, QStringLiteral("after"));
        QVERIFY(other.settle());
        QCOMPARE(other.count(QStringLiteral("chatMessage")), 2);
        QCOMPARE(other.count(QStringLiteral("error")), 0);
    }

    void invalidNamesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("empty name") << QByteArray("{\"type\":\"setUsername\",\"username\":\"   \"}");
        QTest::newRow("long name") << QByteArray("{\"type\":\"setUsername\",\"username\":\"" +
                                                 QByteArray(33, 'n') + "\"}");
        QTest::newRow("control in name")
            << QByteArray("{\"type\":\"setUsername\",\"username\":\"a\\u0007b\"}");
        QTest::newRow("newline in name") << QByteArray("{\"type\":\"setUsername\",\"username\":\"a\\nb\"}");
        QTest::newRow("empty room") << QByteArray("{\"type\":\"joinRoom\",\"room\":\"\"}");
        QTest::newRow("long room") << QByteArray("{\"type\":\"joinRoom\",\"room\":\"" + QByteArray(65, 'r') +
                                                 "\"}");
        QTest::newRow("control in room") << QByteArray("{\"type\":\"joinRoom\",\"room\":\"a\\u0000b\"}");
    }

    void invalidNamesAreRefused()
    {
        QFETCH(QByteArray, message);
        auto server = startTestServer();
        WsProbe probe;
        QVERIFY(probe.login(server->url(), QStringLiteral("alice")));
        probe.sendRaw(message);
        const auto e = probe.next<Error>();
        QVERIFY(e);
        QCOMPARE(e->code, QStringLiteral("invalidName"));
        // The old name still holds, and the connection works.
        QVERIFY(probe.join(QStringLiteral("general")));
        QCOMPARE(strings(probe.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("users"))),
                 QStringList({"alice"}));
    }

    void namesAreTrimmed()
    {
        auto server = startTestServer();
        WsProbe probe;
        QVERIFY(probe.open(server->url()));
        probe.send(SetUsername{QStringLiteral("  alice  ")});
        QCOMPARE(probe.next<UsernameSet>()->username, QStringLiteral("alice"));
    }

    void joiningWithoutAUsernameIsRefused()
    {
        auto server = startTestServer();
        WsProbe probe;
        QVERIFY(probe.open(server->url()));
        probe.send(JoinRoom{QStringLiteral("general"), {}, {}});
        QCOMPARE(probe.next<Error>()->code, QStringLiteral("noUsername"));
        probe.send(SendChat{QStringLiteral("hi"), {}});
        QCOMPARE(probe.next<Error>()->code, QStringLiteral("noUsername"));
        probe.send(Typing{});
        QCOMPARE(probe.next<Error>()->code, QStringLiteral("notInRoom"));
    }

    void renamingInARoomShowsTheNewName()
    {
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        alice.send(SetUsername{QStringLiteral("alicia")});
        QVERIFY(alice.waitFor(QStringLiteral("usernameSet")));
        alice.send(SendChat{QStringLiteral("new name"), {}});
        QCOMPARE(bob.next<ChatMessage>()->user, QStringLiteral("alicia"));
    }

    void oversizedMessageClosesWith1009()
    {
        ServerConfig config = testServerConfig();
        config.maxMessageBytes = ServerConfig::MinMessageBytes;
        auto server = startTestServer(config);
        WsProbe big, bystander;
        QVERIFY(big.login(server->url(), QStringLiteral("big"), QStringLiteral("general")));
        QVERIFY(bystander.login(server->url(), QStringLiteral("bystander"), QStringLiteral("general")));

        // A message at the limit is fine (as a binary chunk: 4 + 65,536 bytes).
        big.sendBinary(QByteArray(int(ServerConfig::MinMessageBytes), 'x'));
        QCOMPARE(big.next<Error>()->code, QStringLiteral("fileState"));

        big.socket().sendTextMessage(QString(int(ServerConfig::MinMessageBytes) + 1, QLatin1Char('x')));
        QVERIFY(big.waitForDisconnected());
        QCOMPARE(int(big.socket().closeCode()), int(QWebSocketProtocol::CloseCodeTooMuchData));

        // The room sees the user leave; everyone else carries on.
        QVERIFY(bystander.next<UserLeft>());
        QVERIFY(bystander.isConnected());
        QVERIFY(bystander.settle());
        WsProbe later;
        QVERIFY(later.login(server->url(), QStringLiteral("later"), QStringLiteral("general")));
        later.send(SendChat{QStringLiteral("after the big one"), {}});
        QCOMPARE(bystander.next<ChatMessage>()->text, QStringLiteral("after the big one"));
    }

    void oversizedBinaryClosesWith1009()
    {
        ServerConfig config = testServerConfig();
        config.maxMessageBytes = 100000;
        auto server = startTestServer(config);
        WsProbe big;
        QVERIFY(big.open(server->url()));
        big.sendBinary(QByteArray(100001, 'x'));
        QVERIFY(big.waitForDisconnected());
        QCOMPARE(int(big.socket().closeCode()), int(QWebSocketProtocol::CloseCodeTooMuchData));
        QTRY_COMPARE(server->clientCount(), 0);
    }

    void oversizedFragmentedMessageClosesWith1009()
    {
        auto server = startTestServer(); // 1 MiB limit
        WsProbe big;
        QVERIFY(big.open(server->url()));
        // QWebSocket splits this into 512 KiB frames: each frame is fine, the message is not.
        big.socket().setOutgoingFrameSize(512 * 1024);
        big.socket().sendTextMessage(QString(1536 * 1024, QLatin1Char('x')));
        QVERIFY(big.waitForDisconnected());
        QCOMPARE(int(big.socket().closeCode()), int(QWebSocketProtocol::CloseCodeTooMuchData));
    }

    void applicationPingIsAnswered()
    {
        auto server = startTestServer();
        WsProbe probe;
        QVERIFY(probe.open(server->url()));
        const qint64 sent = nowMs();
        probe.send(Ping{sent});
        const auto pong = probe.next<Pong>();
        QVERIFY(pong);
        QCOMPARE(pong->timestamp, sent);
        QVERIFY(pong->serverTime >= sent - 1000 && pong->serverTime <= nowMs() + 1000);
        QCOMPARE(keysOf(probe.all(QStringLiteral("pong")).constFirst()),
                 sorted({"type", "timestamp", "serverTime"}));
    }

    void closeHooksAndShutdown()
    {
        auto server = startTestServer();
        WsProbe a, b;
        QVERIFY(a.open(server->url()));
        QVERIFY(b.open(server->url()));

        server->abortAllClients();
        QVERIFY(a.waitForDisconnected());
        QVERIFY(b.waitForDisconnected());
        QTRY_COMPARE(server->clientCount(), 0);

        WsProbe c;
        QVERIFY(c.open(server->url()));
        server->closeAllClients(QWebSocketProtocol::CloseCodeBadOperation, QStringLiteral("test"));
        QVERIFY(c.waitForDisconnected());
        QCOMPARE(int(c.socket().closeCode()), int(QWebSocketProtocol::CloseCodeBadOperation));
        QVERIFY(server->isListening());

        WsProbe d;
        QVERIFY(d.open(server->url()));
        QTRY_COMPARE(server->clientCount(), 1);
        QSignalSpy closed(server.get(), &ChatServer::closed);
        QSignalSpy gone(server.get(), &ChatServer::clientDisconnected);
        server->close();
        QVERIFY(d.waitForDisconnected());
        QCOMPARE(int(d.socket().closeCode()), int(Protocol::CloseServerShutdown));
        QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, 10000);
        QCOMPARE(gone.count(), 1);
        QVERIFY(!server->isListening());

        // The same server can listen again.
        QVERIFY(server->listen());
        WsProbe e;
        QVERIFY(e.open(server->url()));
    }

    void runsInItsOwnThread()
    {
        // The desktop app may host a server off its GUI thread: every timer must move along.
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        ServerConfig config = testServerConfig();
        config.heartbeatMs = 60000;
        QThread thread;
        auto *server = new ChatServer(config);
        server->moveToThread(&thread);
        connect(&thread, &QThread::finished, server, &QObject::deleteLater);
        thread.start();
        bool listening = false;
        QMetaObject::invokeMethod(
            server, [&] { listening = server->listen(); }, Qt::BlockingQueuedConnection);
        QVERIFY(listening);
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        alice.send(SendChat{QStringLiteral("across threads"), {}});
        QCOMPARE(bob.next<ChatMessage>()->text, QStringLiteral("across threads"));
        QMetaObject::invokeMethod(server, &ChatServer::close, Qt::BlockingQueuedConnection);
        QVERIFY(alice.waitForDisconnected());
        thread.quit();
        QVERIFY(thread.wait(10000));
    }

    void connectionsThatNeverUpgradeAreDropped()
    {
        ServerConfig config = testServerConfig();
        config.handshakeTimeoutMs = 200;
        auto server = startTestServer(config);
        QTcpSocket idle; // connects, then never sends the upgrade request
        idle.connectToHost(QHostAddress::LocalHost, server->port());
        QVERIFY(idle.waitForConnected(10000));
        QVERIFY(waitUntil([&] { return idle.state() == QAbstractSocket::UnconnectedState; }));
        WsProbe fine; // a prompt client is unaffected
        QVERIFY(fine.open(server->url()));
    }

    void emptyRoomsKeepABoundedAmountOfHistory()
    {
        ServerConfig config = testServerConfig();
        config.maxEmptyRoomHistoryBytes = 256 * 1024;
        auto server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("small")));
        alice.send(SendChat{QStringLiteral("kept"), {}});
        const QString text(8 * 1024, QLatin1Char('x'));
        for (int r = 0; r < 5; ++r) {
            QVERIFY(alice.join(QStringLiteral("big%1").arg(r)));
            for (int i = 0; i < 10; ++i)
                alice.send(SendChat{text, {}});
        }
        QVERIFY(alice.join(QStringLiteral("last")));
        // Five rooms of 80 Ki characters each do not fit in 256 KiB. The newest empty room is
        // still there, history and all...
        alice.send(JoinRoom{QStringLiteral("big4"), {}, {}});
        const auto joined = alice.next<RoomJoined>();
        QVERIFY(joined && joined->room == QStringLiteral("big4"));
        QCOMPARE(joined->lastSeq.value_or(0), 10);
        QCOMPARE(joined->history.value_or(QList<ChatMessage>{}).size(), 10);
        // ...while the oldest were forgotten: joining one again finds it new and empty.
        for (const QString &room : {QStringLiteral("big0"), QStringLiteral("big1")}) {
            alice.send(JoinRoom{room, {}, {}});
            const auto again = alice.next<RoomJoined>();
            QVERIFY(again && again->room == room);
            QCOMPARE(again->lastSeq.value_or(0), 0);
            QVERIFY(again->history.value_or(QList<ChatMessage>{}).isEmpty());
        }
    }

    void connectAndDisconnectSignals()
    {
        auto server = startTestServer();
        QSignalSpy connected(server.get(), &ChatServer::clientConnected);
        QSignalSpy disconnected(server.get(), &ChatServer::clientDisconnected);
        WsProbe probe;
        QVERIFY(probe.open(server->url()));
        QCOMPARE(connected.count(), 1);
        const QString id =
            probe.all(QStringLiteral("connected")).constFirst().value(QLatin1String("clientId")).toString();
        QCOMPARE(connected.at(0).at(0).toString(), id);
        probe.socket().close();
        QVERIFY(disconnected.wait(10000));
        QCOMPARE(disconnected.at(0).at(0).toString(), id);
    }
};

QTEST_GUILESS_MAIN(TestServerChat)
#include "tst_serverchat.moc"

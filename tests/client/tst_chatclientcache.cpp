// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatclient.h"
#include "chatserver.h"
#include "clientfixture.h"
#include "fakeserver.h"
#include "messagecache.h"
#include "serverfixture.h"
#include "sessionchannel.h"
#include "sqlitemessagestore.h"
#include "wsprobe.h"

#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using State = ChatClient::State;

namespace {
// A ChatServer keeping history in a SqliteMessageStore, restartable on the same port and
// directory: what natter-server --data-dir is across a restart.
struct StoredServer
{
    std::unique_ptr<SqliteMessageStore> store; // declared first: the server goes first
    std::unique_ptr<ChatServer> server;

    bool start(const QString &dir, quint16 port = 0)
    {
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
        store = std::make_unique<SqliteMessageStore>(dir);
        if (!store->open())
            return false;
        ServerConfig config = testServerConfig();
        config.port = port;
        server = std::make_unique<ChatServer>(config);
        server->setMessageStore(store.get());
        return server->listen();
    }
    void stop()
    {
        server.reset();
        store.reset();
    }
    QUrl url() const { return server->url(); }
};

// Every chat message that reached the client over the wire, whatever ChatClient made of it:
// the history in roomJoined, `history` pages and live messages; `historyBefore` pages (scrolling
// back, and the one a join asks to refresh what is cached) apart.
struct WireCount
{
    int messages = 0;
    int beforePages = 0;
    int beforeMessages = 0;
    explicit WireCount(ChatClient &client)
    {
        QObject::connect(client.channel(), &SessionChannel::messageReceived,
                         [this](const Protocol::ServerMessage &m) {
                             if (const auto *j = std::get_if<Protocol::RoomJoined>(&m))
                                 messages += int(j->history.value_or(QList<Protocol::ChatMessage>{}).size());
                             else if (const auto *h = std::get_if<Protocol::HistoryPage>(&m))
                                 messages += int(h->messages.size());
                             else if (const auto *b = std::get_if<Protocol::HistoryBeforePage>(&m)) {
                                 ++beforePages;
                                 beforeMessages += int(b->messages.size());
                             } else if (std::holds_alternative<Protocol::ChatMessage>(m))
                                 ++messages;
                         });
    }
};

QList<qint64> seqsOf(const QList<Protocol::ChatMessage> &messages)
{
    QList<qint64> out;
    for (const Protocol::ChatMessage &m : messages)
        out.append(m.seq);
    return out;
}

QList<qint64> seqRange(qint64 first, qint64 last)
{
    QList<qint64> out;
    for (qint64 s = first; s <= last; ++s)
        out.append(s);
    return out;
}

Protocol::ChatMessage chat(qint64 seq, const QString &room = QStringLiteral("general"))
{
    Protocol::ChatMessage m;
    m.user = QStringLiteral("bob");
    m.text = QStringLiteral("message %1").arg(seq);
    m.timestamp = Protocol::nowMs();
    m.id = QStringLiteral("b-%1").arg(seq);
    m.seq = seq;
    m.room = room;
    return m;
}
} // namespace

//! ChatClient with a MessageCache: what it hands on is cached, a restarted client reads its rooms
//! offline and then fetches only what it missed, scrolling back pages through cache and server,
//! and a server's `historyBefore` answers cannot put into a room's past what is not its past.
class TestChatClientCache : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_caches = 0;
    QString freshCachePath()
    {
        return m_dir.filePath(QStringLiteral("cache%1/cache.sqlite").arg(++m_caches));
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<Protocol::ChatMessage>();
        qRegisterMetaType<Protocol::HistoryBeforePage>();
    }

    void restartedClientReadsOfflineThenFetchesOnlyWhatItMissed()
    {
        const QString storeDir = m_dir.filePath(QStringLiteral("store-restart"));
        const QString cachePath = freshCachePath();
        StoredServer server;
        QVERIFY(server.start(storeDir));
        const QUrl url = server.url();
        WsProbe bob;
        QVERIFY(bob.login(url, QStringLiteral("bob"), QStringLiteral("general")));
        {
            MessageCache cache;
            QVERIFY(cache.open(cachePath));
            ChatClient alice(fastClientSettings(m_dir));
            alice.setCache(&cache);
            QCOMPARE(alice.cache(), &cache);
            QVERIFY(connectAndJoin(alice, url, QStringLiteral("alice"), QStringLiteral("general")));
            QSignalSpy live(&alice, &ChatClient::messageReceived);
            for (int i = 1; i <= 30; ++i)
                bob.send(Protocol::SendChat{QStringLiteral("before %1").arg(i), {}});
            QTRY_COMPARE_WITH_TIMEOUT(live.size(), 30, 10000);
            alice.sendMessage(QStringLiteral("mine, acknowledged"));
            QTRY_COMPARE_WITH_TIMEOUT(alice.outbox()->count(), 0, 10000);
            alice.disconnectFromServer();
            QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Disconnected, 10000);
        } // the app quits: the cache commits what is queued
        const int acked = bob.count(QStringLiteral("ack"));
        for (int i = 1; i <= 20; ++i)
            bob.send(
                Protocol::SendChat{QStringLiteral("missed %1").arg(i), QStringLiteral("missed-%1").arg(i)});
        QVERIFY(bob.waitForCount(QStringLiteral("ack"), acked + 20)); // stored
        QVERIFY(bob.settle());
        const quint16 port = server.server->port();
        server.stop(); // the server is down when the app starts again

        MessageCache cache;
        QVERIFY(cache.open(cachePath));
        ChatClient alice(fastClientSettings(m_dir));
        alice.setCache(&cache);
        // Offline reading: the room and its messages are there before any connection.
        const QString key = MessageCache::serverKey(url);
        const auto rooms = cache.rooms(key);
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.constFirst().room, QStringLiteral("general"));
        QCOMPARE(rooms.constFirst().lastContiguousSeq, 31);
        const auto latest = cache.latest(key, QStringLiteral("general"), 50);
        QCOMPARE(latest.size(), 31);
        QCOMPARE(latest.constFirst().text, QStringLiteral("before 1"));
        QCOMPARE(latest.constLast().text, QStringLiteral("mine, acknowledged"));
        QCOMPARE(latest.constLast().user, QStringLiteral("alice"));
        QCOMPARE(cache.search(key, QStringLiteral("acknowledged")).size(), 1);

        WireCount wire(alice);
        QSignalSpy joined(&alice, &ChatClient::roomJoined);
        alice.connectToServer(url, QStringLiteral("alice"), QStringLiteral("general"));
        QCOMPARE(alice.cacheServer(), key);
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Reconnecting, 10000);
        QVERIFY(server.start(storeDir, port)); // the server is back
        alice.reconnectNow();
        QVERIFY(joined.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(cache.room(key, QStringLiteral("general")).lastSeq, 51, 10000);
        QVERIFY(settleClient(alice));
        QCOMPARE(wire.messages, 20);   // only what it missed came over the wire...
        QCOMPARE(wire.beforePages, 1); // ...and one page to refresh what was cached (PROTOCOL.md 3)
        QCOMPARE(wire.beforeMessages, 31);
        const auto history = joined.constFirst().constFirst().value<Protocol::RoomJoined>().history.value_or(
            QList<Protocol::ChatMessage>{});
        QCOMPARE(history.size(), 20);
        QCOMPARE(history.constFirst().text, QStringLiteral("missed 1"));
        const auto summary = cache.room(key, QStringLiteral("general"));
        QCOMPARE(summary.count, 51);
        QCOMPARE(summary.lastContiguousSeq, 51);
    }

    // Edits, deletions and reactions that arrive live change the cached copy (PROTOCOL.md 3), so
    // the next offline start and a search show a message as it is now; a reply and a file's entry
    // keep their fields in the cache.
    void theCacheFollowsConversationChanges()
    {
        StoredServer server;
        QVERIFY(server.start(m_dir.filePath(QStringLiteral("store-conversation"))));
        MessageCache cache;
        QVERIFY(cache.open(freshCachePath()));
        ChatClient alice(fastClientSettings(m_dir));
        alice.setCache(&cache);
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        WsProbe bob;
        QVERIFY(bob.login(server.url(), QStringLiteral("bob"), QStringLiteral("general")));
        QSignalSpy live(&alice, &ChatClient::messageReceived);
        for (const char *text : {"teh first", "second", "third"})
            bob.send(Protocol::SendChat{QString::fromUtf8(text), {}});
        QTRY_COMPARE_WITH_TIMEOUT(live.size(), 3, 10000);
        bob.send(Protocol::SendChat{QStringLiteral("about it, @alice"), {}, 1});
        QTRY_COMPARE_WITH_TIMEOUT(live.size(), 4, 10000);

        QSignalSpy edited(&alice, &ChatClient::messageEdited);
        QSignalSpy deleted(&alice, &ChatClient::messageDeleted);
        QSignalSpy reacted(&alice, &ChatClient::reactionsChanged);
        bob.send(Protocol::EditMessage{1, QStringLiteral("the first")});
        bob.send(Protocol::DeleteMessage{2});
        bob.send(Protocol::React{3, QStringLiteral("🎉"), true});
        QTRY_COMPARE_WITH_TIMEOUT(reacted.size(), 1, 10000);
        QCOMPARE(edited.size(), 1);
        QCOMPARE(deleted.size(), 1);

        const QString key = alice.cacheServer();
        const auto cached = cache.latest(key, QStringLiteral("general"), 10);
        QCOMPARE(seqsOf(cached), seqRange(1, 4));
        QCOMPARE(cached.at(0).text, QStringLiteral("the first"));
        QVERIFY(cached.at(0).edited > 0);
        QVERIFY(cached.at(1).deleted > 0);
        QVERIFY(cached.at(1).text.isEmpty());
        QCOMPARE(cached.at(2).reactions.size(), 1);
        QCOMPARE(cached.at(2).reactions.constFirst().users, QStringList{QStringLiteral("bob")});
        QCOMPARE(cached.at(3).replyTo, 1);
        QCOMPARE(cached.at(3).mentions, QStringList{QStringLiteral("alice")});
        // Search sees the edited text, not the old one, and not the deleted one's.
        QCOMPARE(cache.search(key, QStringLiteral("teh")).size(), 0);
        QCOMPARE(cache.search(key, QStringLiteral("the first")).size(), 1);
        QCOMPARE(cache.search(key, QStringLiteral("second")).size(), 0);
    }

    // What changed while the client was away (PROTOCOL.md 3): the join brings only newer
    // messages, so the client asks once for the page its cache ends with and applies it, with the
    // signals live changes give: the cache and what natter-cli or a view shows follow.
    void changesMadeWhileAwayReachTheCache()
    {
        StoredServer server;
        QVERIFY(server.start(m_dir.filePath(QStringLiteral("store-away"))));
        MessageCache cache;
        QVERIFY(cache.open(freshCachePath()));
        ChatClient alice(fastClientSettings(m_dir));
        alice.setCache(&cache);
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        WsProbe bob;
        QVERIFY(bob.login(server.url(), QStringLiteral("bob"), QStringLiteral("general")));
        QSignalSpy live(&alice, &ChatClient::messageReceived);
        for (int i = 1; i <= 5; ++i)
            bob.send(Protocol::SendChat{QStringLiteral("away %1").arg(i), {}});
        QTRY_COMPARE_WITH_TIMEOUT(live.size(), 5, 10000);
        const QString key = alice.cacheServer();
        const QString room = QStringLiteral("general");
        QTRY_COMPARE_WITH_TIMEOUT(cache.room(key, room).lastSeq, 5, 10000);
        alice.disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Disconnected, 10000);

        bob.send(Protocol::EditMessage{5, QStringLiteral("away 5, fixed @bob")});
        bob.send(Protocol::DeleteMessage{4});
        bob.send(Protocol::React{3, QStringLiteral("👍"), true});
        // Announced to the room (bob too) once stored: only then does alice's rejoin find them all
        // in the history, rather than some of them live as well.
        QVERIFY(bob.waitForCount(QStringLiteral("messageEdited"), 1));
        QVERIFY(bob.waitForCount(QStringLiteral("messageDeleted"), 1));
        QVERIFY(bob.waitForCount(QStringLiteral("reactions"), 1));
        QVERIFY(bob.settle());

        QSignalSpy edited(&alice, &ChatClient::messageEdited);
        QSignalSpy deleted(&alice, &ChatClient::messageDeleted);
        QSignalSpy reacted(&alice, &ChatClient::reactionsChanged);
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), room));
        QTRY_COMPARE_WITH_TIMEOUT(reacted.size(), 1, 10000);
        QVERIFY(settleClient(alice));
        QCOMPARE(edited.size(), 1);
        QCOMPARE(deleted.size(), 1);
        const auto edit = edited.constFirst().constFirst().value<Protocol::MessageEdited>();
        QCOMPARE(edit.room, room);
        QCOMPARE(edit.seq, 5);
        QCOMPARE(edit.text, QStringLiteral("away 5, fixed @bob"));
        QVERIFY(edit.edited > 0);
        QCOMPARE(edit.mentions, QStringList{QStringLiteral("bob")}); // members when edited
        QCOMPARE(deleted.constFirst().constFirst().value<Protocol::MessageDeleted>().seq, 4);
        const auto reaction = reacted.constFirst().constFirst().value<Protocol::ReactionsChanged>();
        QCOMPARE(reaction.seq, 3);
        QCOMPARE(reaction.reactions.size(), 1);
        QCOMPARE(reaction.reactions.constFirst().users, QStringList{QStringLiteral("bob")});

        const auto cached = cache.latest(key, room, 10);
        QCOMPARE(seqsOf(cached), seqRange(1, 5));
        QCOMPARE(cached.at(4).text, QStringLiteral("away 5, fixed @bob"));
        QVERIFY(cached.at(4).edited > 0);
        QVERIFY(cached.at(3).deleted > 0);
        QVERIFY(cached.at(3).text.isEmpty());
        QCOMPARE(cached.at(2).reactions.constFirst().emoji, QStringLiteral("👍"));
        QCOMPARE(cached.at(1).text, QStringLiteral("away 2")); // untouched
        QCOMPARE(cache.search(key, QStringLiteral("fixed")).size(), 1);
        QCOMPARE(live.size(), 5); // nothing came as a new message

        // Back again with nothing changed (and a new message meanwhile): no change is announced.
        alice.disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Disconnected, 10000);
        bob.send(Protocol::SendChat{QStringLiteral("away 6"), QStringLiteral("away-6")});
        QVERIFY(bob.waitForCount(QStringLiteral("ack"), 1)); // stored
        QVERIFY(bob.settle());
        WireCount wire(alice);
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), room));
        QTRY_COMPARE_WITH_TIMEOUT(wire.beforePages, 1, 10000);
        QVERIFY(settleClient(alice));
        QCOMPARE(wire.beforePages, 1); // one page per join, not a loop
        QCOMPARE(wire.beforeMessages, 5);
        QCOMPARE(edited.size(), 1);
        QCOMPARE(deleted.size(), 1);
        QCOMPARE(reacted.size(), 1);
        QCOMPARE(cache.room(key, room).lastSeq, 6);
    }

    // A gap in the cache (messages it never got, say the server no longer held them then) does not
    // make the next start fetch the room again: the join asks after the newest cached message,
    // and scrolling back fills the gap.
    void aGapInTheCacheIsFilledByScrollingBackNotByTheJoin()
    {
        StoredServer server;
        QVERIFY(server.start(m_dir.filePath(QStringLiteral("store-gap"))));
        WsProbe bob;
        QVERIFY(bob.login(server.url(), QStringLiteral("bob"), QStringLiteral("general")));
        for (int i = 1; i <= 30; ++i)
            bob.send(Protocol::SendChat{QStringLiteral("gap %1").arg(i), QStringLiteral("gap-%1").arg(i)});
        QVERIFY(bob.waitForCount(QStringLiteral("ack"), 30)); // stored, not only received
        QVERIFY(bob.settle());
        const QString key = MessageCache::serverKey(server.url());
        QString epoch;
        {
            MessageCache first;
            QVERIFY(first.open(freshCachePath()));
            ChatClient alice(fastClientSettings(m_dir));
            alice.setCache(&first);
            QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), QStringLiteral("general")));
            epoch = first.room(key, QStringLiteral("general")).epoch;
            QVERIFY(!epoch.isEmpty());
        }
        // What a cache holds after missing 6..19: 1..5 and 20..30 of this numbering.
        MessageCache cache;
        QVERIFY(cache.open(freshCachePath()));
        QList<Protocol::ChatMessage> held;
        for (qint64 s : seqRange(1, 5) + seqRange(20, 30)) {
            Protocol::ChatMessage m = chat(s);
            m.text = QStringLiteral("gap %1").arg(s);
            held.append(m);
        }
        cache.addMessages(key, QStringLiteral("general"), epoch, held);
        QCOMPARE(cache.room(key, QStringLiteral("general")).lastContiguousSeq, 5);

        ChatClient alice(fastClientSettings(m_dir));
        alice.setCache(&cache);
        WireCount wire(alice);
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(settleClient(alice));
        QCOMPARE(wire.messages, 0);    // nothing after 30 was missed
        QCOMPARE(wire.beforePages, 1); // the refresh of 1..30, which does not fill the gap
        QVERIFY(cache.before(key, QStringLiteral("general"), 20, 50).isEmpty()); // the gap: ask the server
        QSignalSpy older(&alice, &ChatClient::olderHistoryReceived);
        QVERIFY(alice.requestOlder(QStringLiteral("general"), 20, 50));
        QVERIFY(older.wait(10000));
        QCOMPARE(seqsOf(older.constFirst().constFirst().value<Protocol::HistoryBeforePage>().messages),
                 seqRange(1, 19));
        QCOMPARE(cache.room(key, QStringLiteral("general")).lastContiguousSeq, 30);
        QCOMPARE(cache.before(key, QStringLiteral("general"), 20, 50).constFirst().text,
                 QStringLiteral("gap 1"));
    }

    void requestOlderPagesBackToTheFirstMessageThroughCacheAndServer()
    {
        StoredServer server;
        QVERIFY(server.start(m_dir.filePath(QStringLiteral("store-older"))));
        WsProbe bob;
        QVERIFY(bob.login(server.url(), QStringLiteral("bob"), QStringLiteral("general")));
        for (int i = 1; i <= 250; ++i)
            bob.send(Protocol::SendChat{QStringLiteral("old %1").arg(i), QStringLiteral("old-%1").arg(i)});
        // Stored, not only received: until then alice's join would see none and get all 250 live.
        QVERIFY(bob.waitForCount(QStringLiteral("ack"), 250));
        QVERIFY(bob.settle());

        MessageCache cache;
        QVERIFY(cache.open(freshCachePath()));
        ChatClient alice(fastClientSettings(m_dir));
        alice.setCache(&cache);
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QString key = alice.cacheServer();
        QTRY_COMPARE_WITH_TIMEOUT(cache.room(key, QStringLiteral("general")).lastSeq, 250, 10000);
        QVERIFY(cache.room(key, QStringLiteral("general")).count < 250);
        QVERIFY(!alice.requestOlder(QStringLiteral("random"), 10)); // not the joined room
        QVERIFY(!alice.requestOlder(QStringLiteral("general"), 1)); // nothing before

        // Scrolling up as an app does: the cache first, the server when the cache has nothing.
        QSignalSpy older(&alice, &ChatClient::olderHistoryReceived);
        WireCount wire(alice);
        auto scrollBackToTheStart = [&](int *fromServer) {
            qint64 oldest = cache.latest(key, QStringLiteral("general"), 1).constFirst().seq;
            QList<qint64> seen;
            for (int guard = 0; oldest > 1 && guard < 100; ++guard) {
                auto page = cache.before(key, QStringLiteral("general"), oldest, 60);
                if (page.isEmpty()) {
                    const int before = int(older.size());
                    if (!alice.requestOlder(QStringLiteral("general"), oldest, 60))
                        return seen;
                    if (!QTest::qWaitFor([&] { return older.size() > before; }, 10000))
                        return seen;
                    page = older.constLast().constFirst().value<Protocol::HistoryBeforePage>().messages;
                    ++*fromServer;
                }
                if (page.isEmpty() || page.constLast().seq != oldest - 1)
                    return seen;
                seen = seqsOf(page) + seen;
                oldest = page.constFirst().seq;
            }
            return seen;
        };
        int fromServer = 0;
        QList<qint64> seen = scrollBackToTheStart(&fromServer);
        QCOMPARE(seen.constFirst(), 1);
        QCOMPARE(seen + seqsOf(cache.latest(key, QStringLiteral("general"), 250)).mid(int(seen.size())),
                 seqRange(1, 250));
        QVERIFY(fromServer >= 3);
        const auto summary = cache.room(key, QStringLiteral("general"));
        QCOMPARE(summary.count, 250);
        QCOMPARE(summary.lastContiguousSeq, 250);
        QCOMPARE(cache.before(key, QStringLiteral("general"), 2, 10).constFirst().text,
                 QStringLiteral("old 1"));
        // A second time it is all in the cache: nothing more from the server.
        const int wired = wire.messages + wire.beforeMessages;
        int again = 0;
        QCOMPARE(scrollBackToTheStart(&again), seqRange(1, 249)); // every seq below the newest
        QCOMPARE(again, 0);
        QCOMPARE(wire.messages + wire.beforeMessages, wired);
    }

    void aNewEpochDropsTheCachedRoom()
    {
        // A server without a store forgets everything on restart: its rooms start a new epoch.
        auto first = startTestServer();
        const quint16 port = first->port();
        WsProbe bob;
        QVERIFY(bob.login(first->url(), QStringLiteral("bob"), QStringLiteral("general")));
        for (int i = 1; i <= 5; ++i)
            bob.send(
                Protocol::SendChat{QStringLiteral("first life %1").arg(i), QStringLiteral("life-%1").arg(i)});
        QVERIFY(bob.waitForCount(QStringLiteral("ack"), 5)); // stored
        QVERIFY(bob.settle());
        MessageCache cache;
        QVERIFY(cache.open(freshCachePath()));
        ChatClient alice(fastClientSettings(m_dir));
        alice.setCache(&cache);
        QVERIFY(connectAndJoin(alice, first->url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QString key = alice.cacheServer();
        QTRY_COMPARE_WITH_TIMEOUT(cache.room(key, QStringLiteral("general")).count, 5, 10000);
        const QString oldEpoch = cache.room(key, QStringLiteral("general")).epoch;
        QVERIFY(!oldEpoch.isEmpty());

        QSignalSpy joined(&alice, &ChatClient::roomJoined);
        first.reset();
        ServerConfig config = testServerConfig();
        config.port = port;
        auto second = startTestServer(config);
        WsProbe carol;
        QVERIFY(carol.login(second->url(), QStringLiteral("carol"), QStringLiteral("general")));
        carol.send(Protocol::SendChat{QStringLiteral("second life"), {}});
        QVERIFY(carol.settle());
        alice.reconnectNow();
        QVERIFY(joined.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(cache.room(key, QStringLiteral("general")).epoch != oldEpoch, 10000);
        const auto latest = cache.latest(key, QStringLiteral("general"), 10);
        QCOMPARE(latest.size(), 1);
        QCOMPARE(latest.constFirst().text, QStringLiteral("second life"));
        QVERIFY(cache.search(key, QStringLiteral("first life")).isEmpty());
    }

    void hostileOlderPagesAreRefused()
    {
        FakeServer server;
        server.extraFeatures = {Protocol::Feature::HistoryBefore};
        server.epoch = QStringLiteral("E1");
        for (qint64 s = 3001; s <= 3010; ++s)
            server.history.append(chat(s));
        QVERIFY(server.listen());
        MessageCache cache;
        QVERIFY(cache.open(freshCachePath()));
        ChatClient alice(fastClientSettings(m_dir));
        alice.setCache(&cache);
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QString key = alice.cacheServer();
        const QString room = QStringLiteral("general");
        QCOMPARE(seqsOf(cache.latest(key, room, 100)), seqRange(3001, 3010));

        QSignalSpy older(&alice, &ChatClient::olderHistoryReceived);
        QSignalSpy refused(&alice, &ChatClient::olderHistoryRefused);
        QSignalSpy protocolErrors(&alice, &ChatClient::protocolError);
        auto page = [&](qint64 before, QList<qint64> seqs,
                        const QString &pageRoom = QStringLiteral("general")) {
            Protocol::HistoryBeforePage p;
            p.room = pageRoom;
            p.before = before;
            for (qint64 s : seqs)
                p.messages.append(chat(s, pageRoom));
            p.more = true;
            p.lastSeq = 3010;
            p.epoch = QStringLiteral("E1");
            return p;
        };
        auto ask = [&](qint64 before) {
            const int requests = int(server.received.size());
            if (!alice.requestOlder(room, before, 50))
                return false;
            return QTest::qWaitFor([&] {
                for (qsizetype i = requests; i < server.received.size(); ++i) {
                    const auto *h = std::get_if<Protocol::HistoryBefore>(&server.received.at(i));
                    if (h && h->before == before && h->epoch == QLatin1String("E1") && h->room == room)
                        return true;
                }
                return false;
            });
        };

        // Unasked for: no request in flight.
        server.sendToAll(page(3001, seqRange(2991, 3000)));
        QVERIFY(settleClient(alice));
        QCOMPARE(older.size(), 0);

        QVERIFY(ask(3001));
        // Another room, seqs with a hole, not ending at before - 1, a `before` beyond the request.
        server.sendToAll(page(3001, seqRange(2991, 3000), QStringLiteral("random")));
        QVERIFY(settleClient(alice));
        QCOMPARE(older.size(), 0);
        QCOMPARE(cache.room(key, QStringLiteral("random")).count, 0);
        QList<qint64> holed = seqRange(2991, 3000);
        holed.removeAt(4);
        server.sendToAll(page(3001, holed));
        QVERIFY(settleClient(alice));
        QCOMPARE(protocolErrors.size(), 1);
        QVERIFY(ask(3001));
        server.sendToAll(page(3001, seqRange(2990, 2999)));
        QVERIFY(settleClient(alice));
        QCOMPARE(protocolErrors.size(), 2);
        QVERIFY(ask(3001));
        server.sendToAll(page(5000, seqRange(4990, 4999)));
        QVERIFY(settleClient(alice));
        QCOMPARE(protocolErrors.size(), 3);
        QCOMPARE(older.size(), 0);
        // Each bad page ended its request, so whoever waited for it (the view's "Loading") stops.
        QCOMPARE(refused.size(), 3);
        QCOMPARE(refused.constLast().constFirst().toString(), room);
        QCOMPARE(seqsOf(cache.latest(key, room, 100)), seqRange(3001, 3010)); // untouched

        // A refusal that is not "later" ends the request too, and says why.
        QSignalSpy serverErrors(&alice, &ChatClient::serverError);
        QVERIFY(ask(3001));
        Protocol::Error notInRoom;
        notInRoom.message = QStringLiteral("Join the room before asking for its history");
        notInRoom.code = Protocol::errorCodeName(Protocol::ErrorCode::NotInRoom);
        notInRoom.request = QStringLiteral("historyBefore");
        server.sendToAll(notInRoom);
        QVERIFY(refused.wait(10000));
        QCOMPARE(refused.size(), 4);
        QCOMPARE(serverErrors.size(), 1);
        // Over: its page arriving late is not taken.
        server.sendToAll(page(3001, seqRange(2991, 3000)));
        QVERIFY(settleClient(alice));
        QCOMPARE(older.size(), 0);

        // A huge page: only the newest `limit` are taken.
        QVERIFY(ask(3001));
        server.sendToAll(page(3001, seqRange(1, 3000)));
        QVERIFY(older.wait(10000));
        auto got = older.takeFirst().constFirst().value<Protocol::HistoryBeforePage>();
        QCOMPARE(seqsOf(got.messages), seqRange(2951, 3000));
        QVERIFY(got.more);
        QCOMPARE(got.messages.constFirst().room, room);
        QCOMPARE(seqsOf(cache.latest(key, room, 1000)), seqRange(2951, 3010));
        // Answered once only: the same page again is not taken.
        server.sendToAll(page(3001, seqRange(2991, 3000)));
        QVERIFY(settleClient(alice));
        QCOMPARE(older.size(), 0);

        // Another epoch: the cached room is dropped and the client joins again.
        QVERIFY(ask(2951));
        const int joinsBefore =
            int(std::count_if(server.received.cbegin(), server.received.cend(),
                              [](const auto &m) { return std::holds_alternative<Protocol::JoinRoom>(m); }));
        auto truncated = page(2951, {});
        truncated.truncated = true;
        truncated.more = false;
        truncated.epoch = QStringLiteral("E2");
        server.sendToAll(truncated);
        QVERIFY(older.wait(10000));
        got = older.takeFirst().constFirst().value<Protocol::HistoryBeforePage>();
        QVERIFY(got.truncated);
        QVERIFY(got.messages.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(
            int(std::count_if(server.received.cbegin(), server.received.cend(),
                              [](const auto &m) { return std::holds_alternative<Protocol::JoinRoom>(m); })),
            joinsBefore + 1, 10000);
        QVERIFY(settleClient(alice));
        // The fake server still says E1 in its roomJoined: the cache follows whatever it says last.
        QCOMPARE(cache.room(key, room).epoch, QStringLiteral("E1"));
        QCOMPARE(seqsOf(cache.latest(key, room, 1000)), seqRange(3001, 3010)); // 2951..3000 went with E1
    }

    // The refresh a join asks for is answered once, and only a page that is that answer (the
    // room, contiguous, ending where asked) changes cached messages; it never adds messages.
    void hostileRefreshPagesChangeNothing()
    {
        FakeServer server;
        server.extraFeatures = {Protocol::Feature::HistoryBefore, Protocol::Feature::Conversation};
        server.epoch = QStringLiteral("E1");
        for (qint64 s = 3001; s <= 3010; ++s)
            server.history.append(chat(s));
        QVERIFY(server.listen());
        MessageCache cache;
        QVERIFY(cache.open(freshCachePath()));
        ChatClient alice(fastClientSettings(m_dir));
        alice.setCache(&cache);
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QString key = alice.cacheServer();
        const QString room = QStringLiteral("general");
        const auto refreshes = [&] {
            int n = 0;
            for (const Protocol::ClientMessage &m : server.received) {
                const auto *h = std::get_if<Protocol::HistoryBefore>(&m);
                n += h && h->before == 3011 && h->room == room && h->epoch == QLatin1String("E1");
            }
            return n;
        };
        QVERIFY(settleClient(alice));
        QCOMPARE(refreshes(), 0); // a first join brings messages as they are
        QSignalSpy edited(&alice, &ChatClient::messageEdited);
        QSignalSpy older(&alice, &ChatClient::olderHistoryReceived);
        auto page = [&](QList<qint64> seqs, const QString &pageRoom = QStringLiteral("general")) {
            Protocol::HistoryBeforePage p;
            p.room = pageRoom;
            p.before = 3011;
            for (qint64 s : seqs) {
                Protocol::ChatMessage m = chat(s, pageRoom);
                if (s == 3005 || s == 2950) {
                    m.text = QStringLiteral("edited %1").arg(s);
                    m.edited = 1;
                }
                p.messages.append(m);
            }
            p.lastSeq = 3010;
            p.epoch = QStringLiteral("E1");
            return p;
        };

        server.abortAll(); // back with `since`: one refresh
        QTRY_COMPARE_WITH_TIMEOUT(refreshes(), 1, 10000);
        server.sendToAll(page(seqRange(3001, 3010), QStringLiteral("random"))); // another room
        QList<qint64> holed = seqRange(3001, 3010);
        holed.removeAt(2);
        server.sendToAll(page(holed));                // taken as the answer, and refused
        server.sendToAll(page(seqRange(3001, 3010))); // answered already
        QVERIFY(settleClient(alice));
        QCOMPARE(edited.size(), 0);
        QCOMPARE(older.size(), 0);
        QCOMPARE(cache.around(key, room, 3005, 0).constLast().text, QStringLiteral("message 3005"));

        const auto busy = [&] {
            server.sendToAll(Protocol::Error{QStringLiteral("slow down"),
                                             QStringLiteral("rateLimited"),
                                             {},
                                             {},
                                             1,
                                             QStringLiteral("historyBefore")});
        };
        // Refused for the budget: asked again once, after the wait the server names.
        server.abortAll();
        QTRY_COMPARE_WITH_TIMEOUT(refreshes(), 2, 10000);
        busy();
        QTRY_COMPARE_WITH_TIMEOUT(refreshes(), 3, 10000);
        // A huge answer: the newest page of it, applied to what the cache holds only.
        server.sendToAll(page(seqRange(1, 3010)));
        QVERIFY(edited.wait(10000));
        QVERIFY(settleClient(alice));
        QCOMPARE(edited.size(), 1);
        QCOMPARE(edited.constFirst().constFirst().value<Protocol::MessageEdited>().seq, 3005);
        QCOMPARE(cache.around(key, room, 3005, 0).constLast().text, QStringLiteral("edited 3005"));
        QCOMPARE(seqsOf(cache.latest(key, room, 1000)), seqRange(3001, 3010)); // nothing added
        QCOMPARE(refreshes(), 3); // one per join, and its one retry

        // Refused twice: the cache stays as it is, and nothing is asked again.
        server.abortAll();
        QTRY_COMPARE_WITH_TIMEOUT(refreshes(), 4, 10000);
        busy();
        QTRY_COMPARE_WITH_TIMEOUT(refreshes(), 5, 10000);
        busy();
        QVERIFY(settleClient(alice));
        server.sendToAll(page(seqRange(3001, 3010))); // nothing asked for it any more
        QVERIFY(settleClient(alice));
        QCOMPARE(refreshes(), 5);
        QCOMPARE(edited.size(), 1);
    }

    void withoutTheFeatureNothingIsAsked()
    {
        FakeServer server; // no historyBefore in its features
        QVERIFY(server.listen());
        ChatClient alice(fastClientSettings(m_dir));
        QVERIFY(!alice.requestOlder(QStringLiteral("general"), 10)); // not connected
        QVERIFY(connectAndJoin(alice, server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(!alice.requestOlder(QStringLiteral("general"), 10));
    }
};

QTEST_GUILESS_MAIN(TestChatClientCache)
#include "tst_chatclientcache.moc"

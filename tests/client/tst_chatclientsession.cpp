// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatclient.h"
#include "chatsession.h"
#include "clientfixture.h"
#include "fakeserver.h"
#include "latencymonitor.h"
#include "messagemodel.h"
#include "roomlistmodel.h"
#include "serverfixture.h"
#include "sessionchannel.h"
#include "userlistmodel.h"
#include "waituntil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <algorithm>
#include <memory>

using State = ChatClient::State;
using DS = Outbox::DeliveryState;

namespace {
ServerConfig serverConfig(quint16 port = 0, bool baseOnly = false)
{
    ServerConfig c = testServerConfig();
    c.port = port;
    c.baseOnly = baseOnly;
    return c;
}

QStringList texts(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).value<Protocol::ChatMessage>().text);
    return out;
}

// Everything a client hands on as new, in order: the history inside roomJoined and live messages.
struct Received
{
    QStringList history;
    QStringList live;
    QStringList all;
    explicit Received(ChatClient &client)
    {
        QObject::connect(&client, &ChatClient::roomJoined, [this](const Protocol::RoomJoined &joined) {
            for (const Protocol::ChatMessage &m : joined.history.value_or(QList<Protocol::ChatMessage>{})) {
                history.append(m.text);
                all.append(m.text);
            }
        });
        QObject::connect(&client, &ChatClient::messageReceived, [this](const Protocol::ChatMessage &m) {
            live.append(m.text);
            all.append(m.text);
        });
    }
    int size() const { return int(all.size()); }
};

QStringList texts(const Received &received)
{
    return received.all;
}

// Sends `count` messages (`pattern` with %1 counting from 1); true once the server acknowledged all.
bool sendAcknowledged(ChatClient &client, const QString &pattern, int count)
{
    for (int i = 1; i <= count; ++i)
        client.sendMessage(pattern.arg(i));
    return waitUntil([&] { return client.outbox()->isEmpty(); });
}

// A message as the server keeps it in a room's history.
Protocol::ChatMessage storedChat(const QString &user, const QString &text, const QString &id, qint64 seq)
{
    Protocol::ChatMessage m;
    m.user = user;
    m.text = text;
    m.id = id;
    m.seq = seq;
    m.timestamp = 1763770000123;
    return m;
}

// The models a client feeds through a ChatSession, as the desktop app has them.
struct Models
{
    MessageModel messages;
    UserListModel users;
    RoomListModel rooms;
    ChatSession session;
    explicit Models(ChatClient *client)
        : session(client, &messages, &users, &rooms)
    {}
};

} // namespace

//! ChatClient against the real ChatServer: session restore with gap recovery, the outbox across
//! outages, typing, and the base-server fallback.
class TestChatClientSession : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { qRegisterMetaType<Protocol::ChatMessage>(); }

    void gapIsFilledAfterReconnectWithoutDuplicates()
    {
        auto server = startTestServer(serverConfig());
        auto s = fastClientSettings(m_dir);
        s.initialDelayMs = 60000; // alice stays away until told to come back
        s.maxDelayMs = 60000;
        ChatClient alice(s);
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        Received received(alice);

        bob.sendMessage(QStringLiteral("before"));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, 10000);

        // The connections die (as when the server crashes); bob is back at once, alice is not.
        QSignalSpy bobRestored(&bob, &ChatClient::sessionRestored);
        server->abortAllClients();
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Reconnecting, 5000);
        QVERIFY(bobRestored.wait(10000));
        QVERIFY(sendAcknowledged(bob, QStringLiteral("missed %1"), 5)); // all acknowledged by the server

        QSignalSpy restored(&alice, &ChatClient::sessionRestored);
        QSignalSpy joined(&alice, &ChatClient::roomJoined);
        alice.reconnectNow();
        QVERIFY(restored.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 6, 10000);
        QCOMPARE(texts(received), (QStringList{QStringLiteral("before"), QStringLiteral("missed 1"),
                                               QStringLiteral("missed 2"), QStringLiteral("missed 3"),
                                               QStringLiteral("missed 4"), QStringLiteral("missed 5")}));
        // Asked only for what it missed, and handed on once: inside roomJoined, not again live.
        const auto rj = joined.first().at(0).value<Protocol::RoomJoined>();
        QVERIFY(rj.history);
        QCOMPARE(rj.history->size(), 5);
        QCOMPARE(received.history.size(), 5);
        QCOMPARE(received.live, QStringList{QStringLiteral("before")});
        // Live traffic continues, still without duplicates.
        bob.sendMessage(QStringLiteral("after"));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 7, 10000);
        QCOMPARE(alice.lastSeq(QStringLiteral("general")), 7);
    }

    void aRestartedServersRoomIsNotMistakenForTheOldOne()
    {
        // After a restart the room numbers from 1 again. Alice saw seq 2 before; by the time she
        // is back, the new room already has more than that. The epoch tells the two apart, so
        // she gets all of the new messages, not just those above 2.
        auto server = startTestServer(serverConfig());
        const quint16 port = server->port();
        auto s = fastClientSettings(m_dir);
        s.initialDelayMs = 60000; // alice stays away until told to come back
        s.maxDelayMs = 60000;
        ChatClient alice(s);
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        Received received(alice);
        bob.sendMessage(QStringLiteral("old 1"));
        bob.sendMessage(QStringLiteral("old 2"));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
        QCOMPARE(alice.lastSeq(QStringLiteral("general")), 2);

        server->abortAllClients();
        server.reset();
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Reconnecting, 5000);
        server = startTestServer(serverConfig(port));
        QSignalSpy bobBack(&bob, &ChatClient::sessionRestored);
        bob.reconnectNow();
        QVERIFY(bobBack.wait(10000));
        QVERIFY(sendAcknowledged(bob, QStringLiteral("new %1"), 4));

        alice.reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 6, 10000);
        QCOMPARE(texts(received).mid(2), (QStringList{QStringLiteral("new 1"), QStringLiteral("new 2"),
                                                      QStringLiteral("new 3"), QStringLiteral("new 4")}));
        QCOMPARE(alice.lastSeq(QStringLiteral("general")), 4);
    }

    void historyOverlapIsDeduplicated()
    {
        auto server = startTestServer(serverConfig());
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(sendAcknowledged(bob, QStringLiteral("m%1"), 3));

        ChatClient alice(fastClientSettings(m_dir));
        Received received(alice);
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QCOMPARE(texts(received),
                 (QStringList{QStringLiteral("m1"), QStringLiteral("m2"), QStringLiteral("m3")}));
        // Joining the same room again (without a since the server would resend all three).
        QSignalSpy joined(&alice, &ChatClient::roomJoined);
        alice.joinRoom(QStringLiteral("general"));
        QVERIFY(joined.wait(5000));
        bob.sendMessage(QStringLiteral("m4"));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 4, 10000);
        QCOMPARE(texts(received).last(), QStringLiteral("m4"));
    }

    // The ack for a message was lost with the connection, but the server has it: the history of
    // the rejoin brings it back. It counts as its ack (no resend, no duplicate), never as someone
    // else's new message.
    void ownMessageInHistoryIsItsAck()
    {
        FakeServer fake;
        fake.sendAcks = false;
        QVERIFY(fake.listen());
        ChatClient alice(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, fake.url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QString id = alice.sendMessage(QStringLiteral("hello"));
        QTRY_COMPARE_WITH_TIMEOUT(fake.chats.size(), 1, 5000);
        QCOMPARE(alice.outbox()->find(id)->state, DS::Sent);

        fake.history = {storedChat(QStringLiteral("alice"), QStringLiteral("hello"), id, 1)};
        Received received(alice);
        QSignalSpy acknowledged(alice.outbox(), &Outbox::deliveryStateChanged);
        QSignalSpy restored(&alice, &ChatClient::sessionRestored);
        fake.abortAll();
        QVERIFY(restored.wait(10000));
        QVERIFY(alice.outbox()->isEmpty());
        QList<DS> states;
        for (const QList<QVariant> &args : acknowledged)
            states.append(args.at(1).value<DS>());
        QVERIFY(!states.contains(DS::Sent)); // never resent
        QCOMPARE(states.last(), DS::Acknowledged);
        QVERIFY(settleClient(alice));
        QCOMPARE(fake.chats.size(), 1);
        QCOMPARE(received.size(), 0);
        QCOMPARE(alice.lastSeq(QStringLiteral("general")), 1);
    }

    // Sent, then the app quit before the ack. On the next start the first join's history holds
    // the message: the room shows it (as the user's own, acknowledged), and it is not sent again.
    void ownMessageInTheFirstHistoryAfterARestartStaysOnScreen()
    {
        FakeServer fake;
        fake.sendAcks = false;
        QVERIFY(fake.listen());
        const ChatClient::Settings settings = fastClientSettings(m_dir);
        QString id;
        {
            ChatClient before(settings);
            QVERIFY(connectAndJoin(before, fake.url(), QStringLiteral("alice"), QStringLiteral("general")));
            id = before.sendMessage(QStringLiteral("said just before quitting"));
            QTRY_COMPARE_WITH_TIMEOUT(fake.chats.size(), 1, 5000);
        }
        fake.history = {
            storedChat(QStringLiteral("alice"), QStringLiteral("said just before quitting"), id, 1)};

        ChatClient after(settings);
        Models models(&after);
        MessageModel &messages = models.messages;
        QVERIFY(connectAndJoin(after, fake.url(), QStringLiteral("alice"), QStringLiteral("general")));
        const int row = messages.rowOfId(id);
        QVERIFY(row >= 0);
        QVERIFY(messages.message(row).own);
        QCOMPARE(messages.message(row).delivery, MessageModel::Delivery::Acknowledged);
        QCOMPARE(messages.message(row).seq, 1);
        QVERIFY(after.outbox()->isEmpty());
        QVERIFY(settleClient(after));
        QCOMPARE(fake.chats.size(), 1);
    }

    // An ack for an id that is not ours is ignored: it neither moves the room's seq (which would
    // hide the messages that follow) nor is remembered.
    void foreignAcksAreIgnored()
    {
        FakeServer fake;
        QVERIFY(fake.listen());
        ChatClient alice(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, fake.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QSignalSpy received(&alice, &ChatClient::messageReceived);
        fake.sendToAll(
            Protocol::Ack{QStringLiteral("not-ours"), 1000000, QStringLiteral("general"), 1, false});
        Protocol::ChatMessage next;
        next.user = QStringLiteral("bob");
        next.text = QStringLiteral("still shown");
        next.id = QStringLiteral("b-1");
        next.seq = 5;
        next.room = QStringLiteral("general");
        fake.sendToAll(next);
        QVERIFY(received.wait(5000));
        QCOMPARE(received.first().at(0).value<Protocol::ChatMessage>().text, QStringLiteral("still shown"));
        QCOMPARE(alice.lastSeq(QStringLiteral("general")), 5);
    }

    // The models' side: an own message takes the server's seq and time when acknowledged, and a
    // room's history arrives as one insertion that is neither unread nor notified.
    void chatSessionMergesAcksAndShowsHistoryOnce()
    {
        auto server = startTestServer(serverConfig());
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(sendAcknowledged(bob, QStringLiteral("h%1"), 3));

        ChatClient alice(fastClientSettings(m_dir));
        Models models(&alice);
        MessageModel &messages = models.messages;
        RoomListModel &rooms = models.rooms;
        ChatSession &session = models.session;
        session.setWindowActive(false); // anything counted as new would be unread and notified
        QSignalSpy inserted(&messages, &QAbstractItemModel::rowsInserted);
        QSignalSpy notified(&session, &ChatSession::notificationRequested);
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QCOMPARE(messages.rowCount(), 3);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(notified.size(), 0);
        QCOMPARE(rooms.unread(QStringLiteral("general")), 0);

        // A burst while away is counted in full but notified once per pass, not once a message.
        for (int i = 1; i <= 50; ++i)
            bob.sendMessage(QStringLiteral("burst %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(rooms.unread(QStringLiteral("general")), 50, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty() &&
                                     notified.last().at(1).toString().startsWith(QStringLiteral("burst 50")),
                                 10000);
        int told = 0;
        for (const QList<QVariant> &args : notified) {
            const QString body = args.at(1).toString();
            const qsizetype more = body.indexOf(QStringLiteral(" (and "));
            told += 1 + (more < 0 ? 0 : body.mid(more + 6).section(QLatin1Char(' '), 0, 0).toInt());
        }
        QCOMPARE(told, 50);
        // What arrives in one pass is one notification.
        notified.clear();
        for (int i = 1; i <= 10; ++i)
            session.noteIncoming(QStringLiteral("elsewhere"), QStringLiteral("file"),
                                 QStringLiteral("f%1").arg(i));
        QTRY_COMPARE(notified.size(), 1);
        QCOMPARE(notified.first().at(1).toString(), QStringLiteral("f10 (and 9 more)"));

        QSignalSpy bobGot(&bob, &ChatClient::messageReceived);
        const QString id = alice.sendMessage(QStringLiteral("mine"));
        const int row = messages.rowOfId(id);
        QVERIFY(row >= 0);
        QVERIFY(bobGot.wait(10000));
        const auto seen = bobGot.first().at(0).value<Protocol::ChatMessage>();
        QTRY_COMPARE_WITH_TIMEOUT(messages.message(row).delivery, MessageModel::Delivery::Acknowledged,
                                  10000);
        QCOMPARE(messages.message(row).seq, seen.seq);
        QCOMPARE(messages.message(row).seq, 54);
        QCOMPARE(messages.message(row).timestamp, seen.timestamp);
    }

    // A message that mentions the user while they are away is counted apart in the rooms list,
    // and its notification says so, even when plain messages came in the same pass.
    void aMentionIsCountedAndNotifiedApart()
    {
        auto server = startTestServer(serverConfig());
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        ChatClient alice(fastClientSettings(m_dir));
        Models models(&alice);
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("Alice"), QStringLiteral("general")));
        models.session.setWindowActive(false);
        QSignalSpy notified(&models.session, &ChatSession::notificationRequested);

        bob.sendMessage(QStringLiteral("plain"));
        bob.sendMessage(QStringLiteral("lunch, @alice?")); // her name, in another case
        bob.sendMessage(QStringLiteral("plain again"));
        QTRY_COMPARE(models.rooms.unread(QStringLiteral("general")), 3);
        QTRY_COMPARE(models.rooms.mentions(QStringLiteral("general")), 1);
        QTRY_VERIFY(!notified.isEmpty());
        const QString title = notified.last().at(0).toString();
        const QString body = notified.last().at(1).toString();
        // The three may come in one pass or several; the mention is told by its own title.
        bool toldOfMention = false;
        for (const QList<QVariant> &args : notified)
            toldOfMention =
                toldOfMention || (args.at(0).toString() == QStringLiteral("bob mentioned you in #general") &&
                                  args.at(1).toString().startsWith(QStringLiteral("lunch, @alice?")));
        QVERIFY2(toldOfMention, qPrintable(title + QLatin1String(": ") + body));

        // Reading the room clears both counts.
        models.session.setWindowActive(true);
        models.session.markShownRoomRead();
        QCOMPARE(models.rooms.unread(QStringLiteral("general")), 0);
        QCOMPARE(models.rooms.mentions(QStringLiteral("general")), 0);
    }

    // A room set to mentions only notifies the messages that mention the user, one set to nothing
    // notifies none; both still count what is unread.
    void notificationLevelsGateNotificationsButNotCounts()
    {
        auto server = startTestServer(serverConfig());
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        ChatClient alice(fastClientSettings(m_dir));
        Models models(&alice);
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        models.session.setWindowActive(false);
        QSignalSpy notified(&models.session, &ChatSession::notificationRequested);
        const QString general = QStringLiteral("general");

        // The counts move in the same step that notifies, so once they show a message, whatever it
        // notified has been asked for.
        models.rooms.setNotifyLevel(general, RoomListModel::Notify::Mentions);
        bob.sendMessage(QStringLiteral("plain 1"));
        bob.sendMessage(QStringLiteral("hey @alice"));
        bob.sendMessage(QStringLiteral("plain 2"));
        QTRY_COMPARE(models.rooms.unread(general), 3);
        QCOMPARE(notified.size(), 1);
        QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("bob mentioned you in #general"));
        QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("hey @alice"));

        models.rooms.setNotifyLevel(general, RoomListModel::Notify::Nothing);
        bob.sendMessage(QStringLiteral("plain 3"));
        bob.sendMessage(QStringLiteral("again @alice"));
        QTRY_COMPARE(models.rooms.unread(general), 5);
        QCOMPARE(models.rooms.mentions(general), 2);
        QCOMPARE(notified.size(), 1);

        models.rooms.setNotifyLevel(general, RoomListModel::Notify::All);
        bob.sendMessage(QStringLiteral("plain 4"));
        QTRY_COMPARE(models.rooms.unread(general), 6);
        QCOMPARE(notified.size(), 2);
        QCOMPARE(notified.at(1).at(0).toString(), QStringLiteral("bob in #general"));
        QCOMPARE(notified.at(1).at(1).toString(), QStringLiteral("plain 4"));
        // Where clicking it leads: the room, and the message by its seq.
        QCOMPARE(notified.at(1).at(2).toString(), general);
        const qint64 seq = notified.at(1).at(3).toLongLong();
        QVERIFY(seq > 0);
        QCOMPARE(models.messages.rowOfSeq(seq), models.messages.rowCount() - 1);
        QCOMPARE(models.messages.index(models.messages.rowOfSeq(seq)).data(MessageModel::TextRole).toString(),
                 QStringLiteral("plain 4"));

        // Do Not Disturb silences every room, mentions too; the counts go on.
        models.session.setDoNotDisturb(true);
        bob.sendMessage(QStringLiteral("@alice, are you there?"));
        QTRY_COMPARE(models.rooms.unread(general), 7);
        QCOMPARE(models.rooms.mentions(general), 3);
        QCOMPARE(notified.size(), 2);
    }

    void switchingRoomsKeepsMessagesInTheirRoom()
    {
        auto server = startTestServer(serverConfig());
        ChatClient alice(fastClientSettings(m_dir)), bob(fastClientSettings(m_dir)),
            carol(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(connectAndJoin(carol, server->url(), QStringLiteral("carol"), QStringLiteral("other")));
        QSignalSpy bobGot(&bob, &ChatClient::messageReceived);
        QSignalSpy carolGot(&carol, &ChatClient::messageReceived);

        alice.sendMessage(QStringLiteral("for general"));
        alice.joinRoom(QStringLiteral("other"));
        QCOMPARE(alice.room(), QStringLiteral("other"));
        alice.sendMessage(QStringLiteral("for other")); // typed before the server confirmed the switch
        QTRY_COMPARE_WITH_TIMEOUT(carolGot.size(), 1, 10000);
        QCOMPARE(texts(carolGot), QStringList{QStringLiteral("for other")});
        QTRY_VERIFY_WITH_TIMEOUT(alice.outbox()->isEmpty(), 10000);
        QCOMPARE(texts(bobGot), QStringList{QStringLiteral("for general")});
        QTRY_COMPARE_WITH_TIMEOUT(bob.roomUsers(), QStringList{QStringLiteral("bob")}, 5000);

        QSignalSpy left(&alice, &ChatClient::roomLeft);
        alice.leaveRoom();
        QCOMPARE(left.size(), 1);
        QVERIFY(alice.roomUsers().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(carol.roomUsers(), QStringList{QStringLiteral("carol")}, 5000);
        // Not in a room: a message is refused, not queued for nowhere.
        QSignalSpy failed(&alice, &ChatClient::sendFailed);
        QVERIFY(alice.sendMessage(QStringLiteral("nowhere")).isEmpty());
        QCOMPARE(failed.size(), 1);
    }

    void offlineMessagesArriveInOrderExactlyOnce()
    {
        auto server = startTestServer(serverConfig());
        const quint16 port = server->port();
        const QUrl url = server->url();
        ChatClient alice(fastClientSettings(m_dir));
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, url, QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(connectAndJoin(bob, url, QStringLiteral("bob"), QStringLiteral("general")));
        Received received(bob); // live, or in the history of bob's rejoin: whichever comes first

        // The server goes away (as if it crashed): no close frame, the port refuses.
        server->abortAllClients();
        server.reset();
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Reconnecting, 5000);

        QStringList sent;
        for (int i = 1; i <= 20; ++i) {
            sent.append(QStringLiteral("offline %1").arg(i));
            QVERIFY(!alice.sendMessage(sent.last()).isEmpty());
        }
        QCOMPARE(alice.outbox()->countInState(DS::Queued), 20);

        server = startTestServer(serverConfig(port));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 20, 15000);
        QCOMPARE(texts(received), sent);
        QTRY_VERIFY_WITH_TIMEOUT(alice.outbox()->isEmpty(), 10000);
        // A marker sent after them: once bob has it, a resent duplicate would be there too.
        alice.sendMessage(QStringLiteral("marker"));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 21, 10000);
        QCOMPARE(texts(received), sent + QStringList{QStringLiteral("marker")});
    }

    void aRoomSpelledOtherwiseIsTheSameRoom()
    {
        auto server = startTestServer(serverConfig());
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("Café")));
        Received received(bob);
        // Alice types the room in lower case and decomposed, and writes before she is connected.
        ChatClient alice(fastClientSettings(m_dir));
        QSignalSpy restored(&alice, &ChatClient::sessionRestored);
        alice.connectToServer(server->url(), QStringLiteral("alice"), QStringLiteral("cafe\u0301"));
        QVERIFY(!alice.sendMessage(QStringLiteral("early")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(restored.size(), 1, 10000);
        // The server's spelling is the room's name from now on, and what was queued belongs to it.
        QCOMPARE(alice.joinedRoom(), QStringLiteral("Café"));
        QCOMPARE(alice.room(), QStringLiteral("Café"));
        QVERIFY(!alice.sendMessage(QStringLiteral("late")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
        QCOMPARE(texts(received), QStringList({"early", "late"}));
        QTRY_VERIFY_WITH_TIMEOUT(alice.outbox()->isEmpty(), 10000);
    }

    void unacknowledgedMessagesAreResentWithTheSameId()
    {
        FakeServer fake;
        fake.sendAcks = false;
        QVERIFY(fake.listen());
        ChatClient alice(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, fake.url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QString id = alice.sendMessage(QStringLiteral("hello"));
        QTRY_COMPARE_WITH_TIMEOUT(fake.chats.size(), 1, 5000);
        QCOMPARE(alice.outbox()->find(id)->state, DS::Sent);
        fake.sendAcks = true;
        fake.abortAll();
        QTRY_COMPARE_WITH_TIMEOUT(fake.chats.size(), 2, 10000);
        QCOMPARE(fake.chats.at(1).id, id);
        QCOMPARE(fake.chats.at(1).text, QStringLiteral("hello"));
        QTRY_VERIFY_WITH_TIMEOUT(alice.outbox()->isEmpty(), 5000);
    }

    // Past the server's id window (PROTOCOL.md section 3) a resend could be delivered twice: the
    // message is failed for the user to decide, not resent.
    void unacknowledgedMessagesPastTheServersWindowAreNotResent()
    {
        FakeServer fake;
        fake.sendAcks = false;
        fake.idWindowMs = 1;
        QVERIFY(fake.listen());
        ChatClient alice(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, fake.url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QString id = alice.sendMessage(QStringLiteral("hello"));
        QTRY_COMPARE_WITH_TIMEOUT(fake.chats.size(), 1, 5000);
        QSignalSpy restored(&alice, &ChatClient::sessionRestored);
        fake.abortAll();
        QVERIFY(restored.wait(10000));
        alice.sendMessage(QStringLiteral("marker")); // queued behind a resend, if there were one
        QTRY_COMPARE_WITH_TIMEOUT(fake.chats.size(), 2, 10000);
        QCOMPARE(fake.chats.at(1).text, QStringLiteral("marker"));
        QCOMPARE(alice.outbox()->find(id)->state, DS::Failed);
        QVERIFY(alice.retryMessage(id)); // the user's choice
        QTRY_COMPARE_WITH_TIMEOUT(fake.chats.size(), 3, 10000);
        QCOMPARE(fake.chats.at(2).id, id);
    }

    void outboxSurvivesAQuit()
    {
        auto server = startTestServer(serverConfig());
        const quint16 port = server->port();
        const QUrl url = server->url();
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, url, QStringLiteral("bob"), QStringLiteral("general")));
        Received received(bob);

        auto s = fastClientSettings(m_dir);
        s.outboxSaveDelayMs = 60000; // only the clean shutdown writes it
        {
            ChatClient alice(s);
            QVERIFY(connectAndJoin(alice, url, QStringLiteral("alice"), QStringLiteral("general")));
            server->abortAllClients();
            server.reset();
            QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Reconnecting, 5000);
            alice.sendMessage(QStringLiteral("kept 1"));
            alice.sendMessage(QStringLiteral("kept 2"));
        }
        server = startTestServer(serverConfig(port));
        ChatClient again(s);
        QSignalSpy states(again.outbox(), &Outbox::countChanged);
        QVERIFY(connectAndJoin(again, url, QStringLiteral("alice"), QStringLiteral("general")));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
        QCOMPARE(texts(received), (QStringList{QStringLiteral("kept 1"), QStringLiteral("kept 2")}));
        QTRY_VERIFY_WITH_TIMEOUT(again.outbox()->isEmpty(), 5000);
    }

    void fullOutboxRefusesClearly()
    {
        auto s = fastClientSettings(m_dir);
        s.outboxMaxMessages = 2;
        ChatClient alice(s);
        alice.connectToServer(refusedUrl(), QStringLiteral("alice"), QStringLiteral("general"));
        QSignalSpy failed(&alice, &ChatClient::sendFailed);
        QVERIFY(!alice.sendMessage(QStringLiteral("1")).isEmpty());
        QVERIFY(!alice.sendMessage(QStringLiteral("2")).isEmpty());
        QVERIFY(alice.sendMessage(QStringLiteral("3")).isEmpty());
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("3"));
        QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("full")));
        QCOMPARE(alice.outbox()->count(), 2);
        // Other refusals are just as explicit.
        QVERIFY(alice.sendMessage(QString(20000, QLatin1Char('x'))).isEmpty());
        QVERIFY(alice.sendMessage(QStringLiteral("   ")).isEmpty());
        QCOMPARE(failed.size(), 3);
    }

    void gaveUpFailsPendingAndRetryRevives()
    {
        auto server = startTestServer(serverConfig());
        const quint16 port = server->port();
        const QUrl url = server->url();
        auto s = fastClientSettings(m_dir);
        s.maxAttempts = 2;
        ChatClient alice(s);
        QVERIFY(connectAndJoin(alice, url, QStringLiteral("alice"), QStringLiteral("general")));
        server->abortAllClients();
        server.reset();
        const QString id = alice.sendMessage(QStringLiteral("stuck"));
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::GaveUp, 10000);
        QCOMPARE(alice.outbox()->find(id)->state, DS::Failed);

        server = startTestServer(serverConfig(port));
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, url, QStringLiteral("bob"), QStringLiteral("general")));
        QSignalSpy received(&bob, &ChatClient::messageReceived);
        QVERIFY(alice.retryMessage(id)); // the UI's retry button: requeues and reconnects
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, 10000);
        QCOMPARE(texts(received), QStringList{QStringLiteral("stuck")});
    }

    void typingIsShownAndClearedByTheirMessage()
    {
        auto server = startTestServer(serverConfig());
        auto s = fastClientSettings(m_dir);
        s.typingExpiryMs = 60000;
        ChatClient alice(s);
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QSignalSpy typing(&alice, &ChatClient::typingChanged);
        for (int i = 0; i < 50; ++i)
            bob.notifyTyping(); // a burst of keystrokes is one notice
        QVERIFY(typing.wait(5000));
        QCOMPARE(typing.last().at(0).toStringList(), QStringList{QStringLiteral("bob")});
        bob.sendMessage(QStringLiteral("done typing"));
        QTRY_COMPARE_WITH_TIMEOUT(typing.size(), 2, 5000);
        QVERIFY(typing.last().at(0).toStringList().isEmpty());
    }

    void baseServerFallback()
    {
        auto server = startTestServer(serverConfig(0, true));
        ChatClient alice(fastClientSettings(m_dir));
        QSignalSpy errors(&alice, &ChatClient::serverError);
        QSignalSpy joined(&alice, &ChatClient::roomJoined);
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(alice.serverFeatures().isEmpty());
        QVERIFY(!joined.first().at(0).value<Protocol::RoomJoined>().history);
        QCOMPARE(alice.roomUsers(), QStringList{QStringLiteral("alice")});
        QTRY_VERIFY_WITH_TIMEOUT(alice.latency()->stats().count >= 1, 5000); // app pings answered too

        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        // The roster comes from join and leave events.
        QTRY_COMPARE_WITH_TIMEOUT(alice.roomUsers(),
                                  (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}), 5000);

        QSignalSpy received(&bob, &ChatClient::messageReceived);
        QSignalSpy removed(alice.outbox(), &Outbox::entryRemoved);
        const QString id = alice.sendMessage(QStringLiteral("plain"));
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(alice.outbox()->isEmpty(), 5000); // gone once written: no acks here
        const auto m = received.first().at(0).value<Protocol::ChatMessage>();
        QCOMPARE(m.text, QStringLiteral("plain"));
        QVERIFY(m.id.isEmpty()); // no extension fields were sent

        bob.disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(alice.roomUsers(), QStringList{QStringLiteral("alice")}, 5000);
        QCOMPARE(errors.size(), 0); // no hello or other extension was sent to it
    }
};

QTEST_GUILESS_MAIN(TestChatClientSession)
#include "tst_chatclientsession.moc"

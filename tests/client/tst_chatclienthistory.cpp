// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatclient.h"
#include "chatsession.h"
#include "clientfixture.h"
#include "messagemodel.h"
#include "roomlistmodel.h"
#include "serverfixture.h"
#include "sessionchannel.h"
#include "userlistmodel.h"
#include "wsprobe.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using State = ChatClient::State;

namespace {
// Everything a client hands on as new, in order: roomJoined's history, the later pages and live
// messages.
struct Received
{
    QStringList all;
    int pages = 0;
    explicit Received(ChatClient &client)
    {
        QObject::connect(&client, &ChatClient::roomJoined, [this](const Protocol::RoomJoined &joined) {
            for (const Protocol::ChatMessage &m : joined.history.value_or(QList<Protocol::ChatMessage>{}))
                all.append(m.text);
        });
        QObject::connect(&client, &ChatClient::historyReceived, [this](const Protocol::HistoryPage &page) {
            ++pages;
            for (const Protocol::ChatMessage &m : page.messages)
                all.append(m.text);
        });
        QObject::connect(&client, &ChatClient::messageReceived,
                         [this](const Protocol::ChatMessage &m) { all.append(m.text); });
    }
};

// How often the server refused this client's history requests for its budget.
struct HistoryRefusals
{
    int count = 0;
    explicit HistoryRefusals(ChatClient &client)
    {
        QObject::connect(client.channel(), &SessionChannel::messageReceived,
                         [this](const Protocol::ServerMessage &message) {
                             const auto *e = std::get_if<Protocol::Error>(&message);
                             if (e && e->code == QLatin1String("rateLimited") &&
                                 e->request == QLatin1String("history"))
                                 ++count;
                         });
    }
};

QString text(int i)
{
    // About 1 KiB each, so 600 of them fill several pages by bytes as well as by count.
    return QStringLiteral("missed %1 ").arg(i, 3, 10, QLatin1Char('0')) + QString(1000, QLatin1Char('m'));
}
} // namespace

//! ChatClient follows the server's history pages (PROTOCOL.md 2) against the real server: a long
//! absence is caught up completely, once, in order, and at the pace the server allows.
class TestChatClientHistory : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Alice is in `general`, goes away while bob sends `missed` messages, and comes back; bob
    // keeps talking while she pages. Returns what she was handed, in order.
    void catchUp(const ServerConfig &config, int missed, Received &received, ChatClient &alice,
                 bool rejoinAtOnce = false)
    {
        auto server = startTestServer(config);
        WsProbe bob; // a raw peer, so that hundreds of messages cost no outbox writes
        QVERIFY(connectAndJoin(alice, server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        bob.send(Protocol::SendChat{QStringLiteral("before"), {}});
        QTRY_COMPARE_WITH_TIMEOUT(received.all.size(), 1, 10000);

        alice.disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Disconnected, 10000);
        for (int i = 1; i <= missed; ++i)
            bob.send(Protocol::SendChat{text(i), {}});
        QVERIFY(bob.settle()); // all of it is in the room

        QSignalSpy restored(&alice, &ChatClient::sessionRestored);
        alice.reconnectNow();
        QVERIFY(restored.wait(10000));
        if (rejoinAtOnce) // while the first page is answered: its paging starts again
            alice.joinRoom(QStringLiteral("general"));
        // Live while she pages: the pages bring these in their place, or they come live after.
        for (int i = 1; i <= 3; ++i)
            bob.send(Protocol::SendChat{QStringLiteral("live %1").arg(i), {}});
        QVERIFY(bob.settle());
        QTRY_COMPARE_WITH_TIMEOUT(received.all.size(), 1 + missed + 3, 60000);
        QVERIFY(settleClient(alice)); // and nothing more after them
        QCOMPARE(received.all.size(), 1 + missed + 3);
        QStringList expected{QStringLiteral("before")};
        for (int i = 1; i <= missed; ++i)
            expected.append(text(i));
        for (int i = 1; i <= 3; ++i)
            expected.append(QStringLiteral("live %1").arg(i));
        QCOMPARE(received.all, expected);
        QCOMPARE(alice.lastSeq(QStringLiteral("general")), 1 + missed + 3);
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<Protocol::ChatMessage>();
        qRegisterMetaType<Protocol::HistoryPage>();
    }

    void aLongAbsenceIsCaughtUpPageByPageExactlyOnce()
    {
        ServerConfig config = testServerConfig();
        config.historyLimit = 1000;
        ChatClient alice(fastClientSettings(m_dir));
        MessageModel messages;
        UserListModel users;
        RoomListModel rooms;
        ChatSession session(&alice, &messages, &users, &rooms);
        Received received(alice);
        catchUp(config, 600, received, alice);
        // 600 messages of 1 KiB: pages of at most 100 messages and 256 KiB, so 5 more after the join.
        QVERIFY2(received.pages >= 5, qPrintable(QString::number(received.pages)));
        // The view shows each once, in order (among lines such as "bob joined the room").
        QStringList shown;
        for (int row = 0; row < messages.rowCount(); ++row) {
            if (messages.message(row).kind == MessageModel::Kind::Chat)
                shown.append(messages.message(row).text);
        }
        QCOMPARE(shown, received.all);
    }

    void pagesWaitForTheServersHistoryBudget()
    {
        ServerConfig config = testServerConfig();
        config.historyLimit = 1000;
        // With the tests' rate scale of 1000: 100 KB/s of history, bursts of 200 KB, so the
        // ~600 KB of missed messages cannot all come at once.
        config.historyBytesRate = {100, 200};
        ChatClient alice(fastClientSettings(m_dir));
        QSignalSpy errors(&alice, &ChatClient::serverError);
        Received received(alice);
        HistoryRefusals refusals(alice);
        catchUp(config, 600, received, alice);
        QVERIFY(refusals.count > 0); // the client waited as told...
        QCOMPARE(errors.size(), 0);  // ...without troubling the user
    }

    // Joining the room again while paging, with the budget spent: the join's page may be left for
    // later (PROTOCOL.md 2) and a refusal may answer the replaced paging; still all of it, once.
    void rejoiningWhilePagingStillGetsEverythingOnce()
    {
        ServerConfig config = testServerConfig();
        config.historyLimit = 1000;
        config.historyBytesRate = {100, 200};
        ChatClient alice(fastClientSettings(m_dir));
        QSignalSpy errors(&alice, &ChatClient::serverError);
        Received received(alice);
        catchUp(config, 600, received, alice, true);
        QCOMPARE(errors.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestChatClientHistory)
#include "tst_chatclienthistory.moc"

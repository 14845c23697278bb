// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverfixture.h"
#include "wsprobe.h"

#include <QtTest>

using namespace Protocol;

//! What one busy connection may take from everyone else: a fair share of each event-loop pass.
class TestServerWireLimits : public QObject
{
    Q_OBJECT

private slots:
    // One connection streaming work cannot hold the event loop: each connection's input is
    // handled a bounded slice per pass, so a message from another room overtakes the rest of a
    // long pipeline. Order, not time, is checked: bob's socket carries both the chat and the
    // `userJoined` that ends mallory's pipeline, in the order the server handled them.
    void aBusyConnectionDoesNotHoldUpAnotherRoom()
    {
        auto server = startTestServer();
        WsProbe alice, bob, mallory;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(mallory.login(server->url(), QStringLiteral("mallory"), QStringLiteral("elsewhere")));
        QVERIFY(bob.settle());
        const int joinsSeen = bob.count(QStringLiteral("userJoined"));

        // 4,000 bad messages (each gets an `error`), then a join of alice and bob's room: all in
        // the server's socket buffer before it reads any of it.
        const int junk = 4000;
        for (int i = 0; i < junk; ++i)
            mallory.sendRaw("{");
        mallory.send(JoinRoom{QStringLiteral("general"), {}, {}});
        QVERIFY(mallory.socket().flush());

        // The server is working through mallory's pipeline; alice says something meanwhile.
        QVERIFY(mallory.waitFor(QStringLiteral("error")));
        alice.send(SendChat{QStringLiteral("not stuck behind mallory"), {}});

        const auto chat = bob.next<ChatMessage>();
        QVERIFY(chat);
        QCOMPARE(chat->text, QStringLiteral("not stuck behind mallory"));
        QCOMPARE(bob.count(QStringLiteral("userJoined")), joinsSeen); // mallory's join was still queued
        QVERIFY(mallory.count(QStringLiteral("error")) < junk);

        // Mallory's pipeline is handled in full all the same.
        QVERIFY(bob.next<UserJoined>());
        QTRY_COMPARE(mallory.count(QStringLiteral("error")), junk);
    }
};

QTEST_GUILESS_MAIN(TestServerWireLimits)
#include "tst_serverwirelimits.moc"

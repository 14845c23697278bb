// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawwsclient.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QtTest>

#include <memory>
#include <vector>

using namespace Protocol;

namespace {
const QHostAddress OtherHost(QStringLiteral("127.0.0.2")); // another host, as far as the server knows

// A TCP connection from OtherHost that has not sent its upgrade request (yet).
std::unique_ptr<RawWsClient> halfHandshake(const QUrl &url)
{
    auto client = std::make_unique<RawWsClient>();
    if (!client->bindTo(OtherHost) || !client->connectOnly(url))
        return nullptr;
    return client;
}
} // namespace

//! What one remote host, or one busy connection, may take from everyone else: per-address caps
//! on connections and handshakes, and a fair share of each event-loop pass per connection.
class TestServerWireLimits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QTcpSocket probe;
        if (!probe.bind(OtherHost))
            QSKIP("127.0.0.2 is not a local address here");
    }

    // A thousand stalled half-handshakes once took every descriptor; now one host gets its cap.
    void stalledHandshakesFromOneHostDoNotLockOthersOut()
    {
        ServerConfig config = testServerConfig();
        config.maxHandshakesPerAddress = 4;
        auto server = startTestServer(config);
        std::vector<std::unique_ptr<RawWsClient>> stalled;
        for (int i = 0; i < 4; ++i) {
            stalled.push_back(halfHandshake(server->url()));
            QVERIFY(stalled.back());
        }
        // Each of them counts once the server has accepted it: a barrier through the server.
        WsProbe witness;
        QVERIFY(witness.open(server->url()));
        QVERIFY(witness.settle());

        // The fifth from that host is closed unanswered, at once.
        auto fifth = halfHandshake(server->url());
        QVERIFY(fifth);
        QVERIFY(fifth->waitForDisconnected());
        QVERIFY(fifth->drain().isEmpty());
        RawWsClient upgrading;
        QVERIFY(upgrading.bindTo(OtherHost));
        QVERIFY(!upgrading.open(server->url()));

        // Everyone else still gets in.
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));

        // A handshake that finishes frees its place.
        QVERIFY(stalled.front()->socket().write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                                "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n") > 0);
        QVERIFY(waitUntil([&] { return stalled.front()->drain().startsWith("HTTP/1.1 101"); }));
        RawWsClient next;
        QVERIFY(next.bindTo(OtherHost));
        QVERIFY(next.open(server->url()));
    }

    void oneHostGetsAtMostItsConnections()
    {
        ServerConfig config = testServerConfig();
        config.maxConnectionsPerAddress = 5;
        auto server = startTestServer(config);
        std::vector<std::unique_ptr<RawWsClient>> clients;
        for (int i = 0; i < 5; ++i) {
            clients.push_back(std::make_unique<RawWsClient>());
            QVERIFY(clients.back()->bindTo(OtherHost));
            QVERIFY(clients.back()->open(server->url()));
        }
        RawWsClient sixth;
        QVERIFY(sixth.bindTo(OtherHost));
        QVERIFY(!sixth.open(server->url()));
        QVERIFY(sixth.waitForDisconnected());
        QVERIFY(sixth.drain().isEmpty()); // no answer at all: refused as cheaply as possible

        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QCOMPARE(server->clientCount(), 6);

        // One leaves, one more may come.
        clients.front()->socket().abort();
        QTRY_COMPARE(server->clientCount(), 5);
        RawWsClient again;
        QVERIFY(again.bindTo(OtherHost));
        QVERIFY(again.open(server->url()));
    }

    void theDefaultsAreFarAboveAPerson()
    {
        const ServerConfig config;
        QVERIFY(config.maxHandshakesPerAddress >= 32);
        QVERIFY(config.maxConnectionsPerAddress >= 256);
        QVERIFY(config.listenBacklog >= 1024);
    }

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

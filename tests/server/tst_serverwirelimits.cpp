// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawwsclient.h"
#include "serverfixture.h"
#include "wsconnection.h"
#include "wsprobe.h"

#include <QSslSocket>
#include <QtTest>

#include <sys/socket.h>

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

// The server's end of the (one) connection from `peer`.
WsConnection *serverSideOf(ChatServer &server, const QHostAddress &peer)
{
    const auto connections = server.findChildren<WsConnection *>();
    for (WsConnection *c : connections) {
        if (c->peerAddress().isEqual(peer, QHostAddress::ConvertV4MappedToIPv4))
            return c;
    }
    return nullptr;
}
// The test server with the test certificate: wss://.
ServerConfig tlsServerConfig()
{
    ServerConfig config = testServerConfig();
    config.certificateFile = QStringLiteral(NATTER_TEST_DATA_DIR "/localhost.crt");
    config.privateKeyFile = QStringLiteral(NATTER_TEST_DATA_DIR "/localhost.key");
    return config;
}

// A wss:// client on a bare QSslSocket, framing by hand, so that it can stop reading.
struct TlsPeer
{
    QSslSocket socket;
    QByteArray received;

    bool open(quint16 port)
    {
        socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        if (!waitUntil([&] { return socket.isEncrypted(); }))
            return false;
        socket.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        return waitUntil([&] { return (received += socket.readAll()).contains("\r\n\r\n"); }) &&
               received.startsWith("HTTP/1.1 101");
    }
    void send(const ClientMessage &message) { socket.write(RawWsClient::frame(0x1, encode(message))); }
    bool saw(const QByteArray &needle) { return (received += socket.readAll()).contains(needle); }
};
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
        // Refused politely, before any WebSocket state: "busy, come back later" (PROTOCOL.md).
        QVERIFY2(sixth.response().startsWith("HTTP/1.1 503 Service Unavailable\r\n"), sixth.response());
        QVERIFY2(sixth.response().contains("\r\nRetry-After: 5"), sixth.response());
        QVERIFY(sixth.waitForDisconnected());
        QCOMPARE(server->clientCount(), 5);

        // The five already in are unaffected: each still answers a ping.
        for (auto &c : clients) {
            c->sendPing("still here");
            QVERIFY(waitUntil([&] { return c->drain().contains("still here"); }));
        }
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

    // --max-connections: past the total the upgrade is answered 503 + Retry-After; the members
    // already in chat on undisturbed, and once one leaves the next is let in.
    void theServerRefusesPastItsTotalCapAndTakesMoreLater()
    {
        ServerConfig config = testServerConfig();
        config.maxConnections = 3;
        auto server = startTestServer(config);
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("general")));

        for (int i = 0; i < 3; ++i) { // refused again and again, never let in
            RawWsClient fourth;
            QVERIFY(!fourth.open(server->url()));
            QVERIFY2(fourth.response().startsWith("HTTP/1.1 503 "), fourth.response());
            QVERIFY2(fourth.response().contains("\r\nRetry-After: "), fourth.response());
            QVERIFY(fourth.waitForDisconnected());
        }
        QCOMPARE(server->clientCount(), 3);

        alice.send(Protocol::SendChat{QStringLiteral("still chatting"), {}});
        for (WsProbe *p : {&bob, &carol}) {
            const auto m = p->waitFor(QStringLiteral("chatMessage"));
            QVERIFY(m);
            QCOMPARE(m->value(QLatin1String("text")).toString(), QStringLiteral("still chatting"));
        }

        carol.socket().close();
        QTRY_COMPARE(server->clientCount(), 2);
        WsProbe dave;
        QVERIFY(dave.login(server->url(), QStringLiteral("dave"), QStringLiteral("general")));
        QCOMPARE(server->clientCount(), 3);
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
    // A peer that floods tiny frames (empty pings, six bytes each) without reading meets TCP flow
    // control: the server reads at most its read buffer ahead of what it has handled, instead of
    // taking in all the kernel holds at line rate. Checked while the flood is under way, after
    // barriers through the server (a chat between two others, in another room).
    void aFloodIsHeldBackByTcpNotBufferedByTheServer()
    {
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        RawWsClient flooder;
        QVERIFY(flooder.bindTo(OtherHost));
        QVERIFY(flooder.open(server->url()));
        flooder.stopReading(); // its pongs pile up on the server's side
        QPointer<WsConnection> connection = serverSideOf(*server, OtherHost);
        QVERIFY(connection);

        const int pings = 200000;
        const QByteArray ping = RawWsClient::frame(0x9, {});
        QByteArray flood;
        flood.reserve(ping.size() * pings);
        for (int i = 0; i < pings; ++i)
            flood += ping;
        QCOMPARE(flooder.socket().write(flood), flood.size());

        const qint64 bound = WsConnection::Limits().readBufferBytes;
        qint64 mostSeen = 0;
        for (int i = 0; i < 20 && connection; ++i) {
            const QString text = QStringLiteral("barrier %1").arg(i);
            alice.send(SendChat{text, {}});
            const auto chat = bob.next<ChatMessage>();
            QVERIFY(chat);
            QCOMPARE(chat->text, text);
            if (!connection)
                break;
            const qint64 buffered = connection->bufferedInputBytes();
            QVERIFY2(buffered <= bound, qPrintable(QStringLiteral("%1 bytes buffered").arg(buffered)));
            mostSeen = qMax(mostSeen, buffered);
        }
        QVERIFY(mostSeen > 0); // sampled while the flood was still coming in
    }

    // A peer that pipelines many messages and then hangs up gets them all handled, in order, but
    // a pass's share at a time like any input: another room's message is not stuck behind them.
    void lastWordsKeepTheFairShare()
    {
        ServerConfig config = testServerConfig();
        config.rateScale = 0; // no rate limits: the pipeline is all handled
        auto server = startTestServer(config);
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("elsewhere")));
        RawWsClient mallory;
        QVERIFY(mallory.open(server->url()));
        mallory.sendText(encode(ClientMessage{SetUsername{QStringLiteral("mallory")}}));
        mallory.sendText(encode(ClientMessage{JoinRoom{QStringLiteral("elsewhere"), {}, {}}}));
        QVERIFY(carol.waitFor(QStringLiteral("userJoined")));
        QVERIFY(bob.settle());
        const int joinsSeen = bob.count(QStringLiteral("userJoined"));

        // The pipeline, then a join of alice and bob's room, then a FIN (half-close: mallory
        // reads on, so nothing it sent is lost to a reset).
        const int chats = 3000;
        QByteArray pipeline;
        for (int i = 0; i < chats; ++i)
            pipeline += RawWsClient::frame(
                0x1, encode(ClientMessage{SendChat{QStringLiteral("last words %1").arg(i), {}}}));
        pipeline +=
            RawWsClient::frame(0x1, encode(ClientMessage{JoinRoom{QStringLiteral("general"), {}, {}}}));
        mallory.readAndDiscard();
        mallory.socket().write(pipeline);
        QVERIFY(waitUntil([&] {
            mallory.socket().flush();
            return mallory.socket().bytesToWrite() == 0;
        }));
        QCOMPARE(::shutdown(int(mallory.socket().socketDescriptor()), SHUT_WR), 0);

        // The server is working through mallory's pipeline; alice says something meanwhile.
        const auto first = carol.next<ChatMessage>();
        QVERIFY(first);
        QCOMPARE(first->text, QStringLiteral("last words 0"));
        alice.send(SendChat{QStringLiteral("not stuck behind mallory"), {}});
        const auto chat = bob.next<ChatMessage>();
        QVERIFY(chat);
        QCOMPARE(chat->text, QStringLiteral("not stuck behind mallory"));
        QCOMPARE(bob.count(QStringLiteral("userJoined")), joinsSeen); // mallory's join was still queued

        // Everything mallory sent before it hung up is handled, in order.
        for (int i = 1; i < chats; ++i) {
            const auto next = carol.next<ChatMessage>();
            QVERIFY(next);
            QCOMPARE(next->text, QStringLiteral("last words %1").arg(i));
        }
        QVERIFY(bob.next<UserJoined>());
        QVERIFY(bob.waitFor(QStringLiteral("userLeft")));
    }

    // A wss:// client that stops reading is held to the backlog limit like a plain one. What
    // TLS has encrypted and not sent counts too: a QSslSocket's bytesToWrite() alone leaves it
    // out, and the server's memory would grow with all the room sends such a client.
    void aTlsClientThatDoesNotReadIsDroppedAtItsBacklogLimit()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        ServerConfig config = tlsServerConfig();
        config.rateScale = 0;
        config.maxBacklogBytes = 1024 * 1024;
        config.slowBacklogBytes = config.maxBacklogBytes;
        auto server = startTestServer(config);
        TlsPeer alice, mallory;
        QVERIFY(mallory.open(server->port()));
        mallory.send(SetUsername{QStringLiteral("mallory")});
        mallory.send(JoinRoom{QStringLiteral("flood"), {}, {}});
        QVERIFY(waitUntil([&] { return mallory.saw("\"roomJoined\""); }));
        mallory.socket.setReadBufferSize(16 * 1024); // reads no more than this from now on
        QVERIFY(alice.open(server->port()));
        alice.send(SetUsername{QStringLiteral("alice")});
        alice.send(JoinRoom{QStringLiteral("flood"), {}, {}});
        QVERIFY(waitUntil([&] { return alice.saw("\"roomJoined\""); }));

        // Alice talks until the server drops mallory (she sees mallory leave): 256 MiB at most.
        const QString text(16 * 1024, QLatin1Char('t'));
        bool dropped = false;
        for (int batch = 0; batch < 256 && !dropped; ++batch) {
            for (int i = 0; i < 64; ++i)
                alice.send(SendChat{text, {}});
            QVERIFY(waitUntil([&] {
                alice.received = alice.received.right(256) + alice.socket.readAll(); // alice reads
                return alice.socket.bytesToWrite() == 0 && alice.socket.encryptedBytesToWrite() == 0;
            }));
            dropped = alice.saw("\"userLeft\"");
        }
        QVERIFY(waitUntil([&] { return alice.saw("\"userLeft\""); }));
        QCOMPARE(server->clientCount(), 1);
    }

    // With TLS, a connection counts against its address's caps from the TCP accept on, not only
    // once its TLS handshake is done: connections that never send a ClientHello stop at the cap.
    void tlsHandshakesCountAgainstTheCaps()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        ServerConfig config = tlsServerConfig();
        config.maxHandshakesPerAddress = 4;
        config.handshakeTimeoutMs = 60000; // none of them times out during the test
        auto server = startTestServer(config);
        std::vector<std::unique_ptr<RawWsClient>> stalled;
        for (int i = 0; i < 4; ++i) {
            stalled.push_back(halfHandshake(server->url()));
            QVERIFY(stalled.back());
        }

        // Another host still gets through TLS and the upgrade; the server accepted the four
        // stalled ones before it (a barrier).
        QSslSocket other;
        other.setPeerVerifyMode(QSslSocket::VerifyNone);
        other.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server->port());
        QVERIFY(waitUntil([&] { return other.isEncrypted(); })); // the server runs in this thread
        other.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        QByteArray answer;
        QVERIFY(waitUntil([&] {
            answer += other.readAll();
            return answer.contains("\r\n\r\n");
        }));
        QVERIFY(answer.startsWith("HTTP/1.1 101"));

        // The fifth from the stalled host is closed unanswered, at once.
        auto fifth = halfHandshake(server->url());
        QVERIFY(fifth);
        QVERIFY(fifth->waitForDisconnected());
        QVERIFY(fifth->drain().isEmpty());
        for (const auto &s : stalled)
            QVERIFY(s->isConnected());

        // One that goes away frees its place.
        stalled.front()->socket().abort();
        stalled.erase(stalled.begin());
        // (The server may see the new connection before the old one's reset: then it is refused.)
        bool admitted = false;
        for (int attempt = 0; attempt < 20 && !admitted; ++attempt) {
            auto next = halfHandshake(server->url());
            QVERIFY(next);
            QSslSocket barrier; // through TLS: the server has accepted `next` before it
            barrier.setPeerVerifyMode(QSslSocket::VerifyNone);
            barrier.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server->port());
            QVERIFY(waitUntil([&] { return barrier.isEncrypted(); }));
            admitted = next->isConnected();
        }
        QVERIFY(admitted);
    }
};

QTEST_GUILESS_MAIN(TestServerWireLimits)
#include "tst_serverwirelimits.moc"

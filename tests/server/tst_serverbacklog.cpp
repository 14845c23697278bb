// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawwsclient.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QtTest>

using namespace Protocol;

namespace {
// 20 messages of 16 KiB: every joinRoom of "general" then asks for 320 KiB of history.
bool fillHistory(WsProbe &alice)
{
    const QString text(16 * 1024, QLatin1Char('x'));
    for (int i = 0; i < 20; ++i)
        alice.send(SendChat{text, {}});
    return alice.settle();
}

// A client that never reads and keeps asking for that history.
bool askForHistoryWithoutReading(RawWsClient &client, const QUrl &url, int joins)
{
    if (!client.open(url))
        return false;
    client.stopReading();
    client.sendText(encode(SetUsername{QStringLiteral("greedy")}));
    for (int i = 0; i < joins; ++i)
        client.sendText(encode(JoinRoom{QStringLiteral("general"), {}, {}}));
    return true;
}
} // namespace

//! Hostile and careless readers against the real server: whatever it queues for a connection
//! that does not read (the pongs answering its pings included) stays bounded, and the
//! others keep chatting.
class TestServerBacklog : public QObject
{
    Q_OBJECT

private slots:
    // Pings answered automatically pile up as pongs when the peer never reads them.
    void unreadPongsDropTheConnection()
    {
        ServerConfig config = testServerConfig();
        config.maxBacklogBytes = 1024 * 1024;
        auto server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));

        RawWsClient pinger;
        QVERIFY(pinger.open(server->url()));
        pinger.stopReading();
        const QByteArray payload(125, 'p'); // the largest a ping may carry
        for (int i = 0; i < 300000; ++i)    // ~39 MiB of pongs, far past kernel buffers and the limit
            pinger.sendPing(payload);
        // The server drops it (a client that does not read may never notice: it is not reading).
        QTRY_COMPARE_WITH_TIMEOUT(server->clientCount(), 1, 60000);
        alice.send(SendChat{QStringLiteral("still here"), QStringLiteral("a-1")});
        QVERIFY(alice.next<Ack>());
    }

    // Past the hard limit a connection goes at once (checked on every send).
    void aClientThatNeverReadsIsDroppedAtTheHardLimit()
    {
        ServerConfig config = testServerConfig();
        config.maxBacklogBytes = 1024 * 1024;
        auto server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(fillHistory(alice));
        RawWsClient greedy;
        QVERIFY(askForHistoryWithoutReading(greedy, server->url(), 200));
        QTRY_COMPARE_WITH_TIMEOUT(server->clientCount(), 1, 30000);
        alice.send(SendChat{QStringLiteral("still here"), QStringLiteral("a-1")});
        QVERIFY(alice.next<Ack>());
    }

    // A reader that keeps far too much queued for too long is dropped, though under the hard
    // limit: asking for history again and again must not park megabytes on the server.
    void stayingBehindForTooLongDropsTheConnection()
    {
        ServerConfig config = testServerConfig();
        config.maxBacklogBytes = 512 * 1024 * 1024; // never reached here
        config.slowBacklogBytes = 256 * 1024;
        config.slowBacklogMs = 300;
        auto server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(fillHistory(alice));
        RawWsClient behind;
        QVERIFY(askForHistoryWithoutReading(behind, server->url(), 100)); // ~32 MiB of history
        QTRY_COMPARE_WITH_TIMEOUT(server->clientCount(), 1, 30000);
        alice.send(SendChat{QStringLiteral("still here"), QStringLiteral("a-2")});
        QVERIFY(alice.next<Ack>());
    }
};

QTEST_GUILESS_MAIN(TestServerBacklog)
#include "tst_serverbacklog.moc"

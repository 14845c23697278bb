// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatclient.h"
#include "clientfixture.h"
#include "connectivitywatcher.h"
#include "fakeserver.h"
#include "latencymonitor.h"
#include "reconnectpolicy.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <algorithm>

using State = ChatClient::State;

//! The reconnect state machine against servers that stop, restart, refuse, hang, go silent and close.
class TestChatClientStates : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static QList<State> states(const QSignalSpy &spy)
    {
        QList<State> out;
        for (const QList<QVariant> &args : spy)
            out.append(args.at(0).value<State>());
        return out;
    }

    static bool hasReason(const QSignalSpy &spy, State state, const QString &needle)
    {
        for (const QList<QVariant> &args : spy) {
            if (args.at(0).value<State>() == state && args.at(1).toString().contains(needle))
                return true;
        }
        return false;
    }

    static QString lastReason(const QSignalSpy &spy)
    {
        return spy.isEmpty() ? QString() : spy.last().at(1).toString();
    }

private slots:
    void connectsAndRestoresSession()
    {
        FakeServer server;
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy restored(&client, &ChatClient::sessionRestored);
        client.connectToServer(server.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QCOMPARE(client.state(), State::Connecting);
        QVERIFY(restored.wait(5000));
        QCOMPARE(states(stateSpy), (QList<State>{State::Connecting, State::Connected}));
        QVERIFY(client.isSessionReady());
        QCOMPARE(client.room(), QStringLiteral("general"));
        // hello goes first to an extension server, then the username, then the room.
        QVERIFY(server.received.size() >= 3);
        QVERIFY(std::holds_alternative<Protocol::Hello>(server.received.at(0)));
        QVERIFY(std::holds_alternative<Protocol::SetUsername>(server.received.at(1)));
        QVERIFY(std::holds_alternative<Protocol::JoinRoom>(server.received.at(2)));
        QCOMPARE(client.findChildren<QWebSocket *>().size(), 1);
    }

    void abruptDropReconnects()
    {
        FakeServer server;
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(client, server.url(), QStringLiteral("alice")));
        QSignalSpy restored(&client, &ChatClient::sessionRestored); // sessions after the first

        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
        server.abortAll(); // no close frame: closeCode() still says 1000, but this is a failure
        QTRY_VERIFY_WITH_TIMEOUT(restored.size() == 1, 10000);
        // Qt may report one drop as both error() and disconnected(): still one transition, one
        // scheduled attempt, and one socket once the session is back.
        QCOMPARE(states(stateSpy), (QList<State>{State::Reconnecting, State::Connecting, State::Connected}));
        QVERIFY2(stateSpy.at(0).at(1).toString().contains(QStringLiteral("lost")),
                 qPrintable(stateSpy.at(0).at(1).toString()));
        QCOMPARE(scheduled.size(), 1);
        QCOMPARE(server.totalConnections(), 2);
        QCOMPARE(client.findChildren<QWebSocket *>().size(), 1);
    }

    void stopAndRestartWithBoundedBackoff()
    {
        FakeServer server;
        QVERIFY(server.listen());
        const quint16 port = server.port();
        auto settings = fastClientSettings(m_dir);
        settings.jitter = 0.5; // each delay must stay inside the policy's bounds all the same
        ChatClient client(settings);
        QVERIFY(connectAndJoin(client, server.url(), QStringLiteral("alice")));
        QSignalSpy restored(&client, &ChatClient::sessionRestored); // sessions after the first

        QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
        server.stop();
        // Several refused attempts, each delay inside the policy's bounds for its attempt.
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 5, 10000);
        ReconnectPolicy policy({settings.initialDelayMs, settings.backoffFactor, settings.maxDelayMs,
                                settings.jitter, settings.maxAttempts});
        for (int i = 0; i < scheduled.size(); ++i) {
            const int attempt = scheduled.at(i).at(0).toInt();
            const qint64 delay = scheduled.at(i).at(1).toLongLong();
            QCOMPARE(attempt, i + 1);
            QVERIFY2(delay >= policy.minDelay(attempt) && delay <= policy.maxDelay(attempt),
                     qPrintable(QStringLiteral("attempt %1 delay %2").arg(attempt).arg(delay)));
            QVERIFY(delay <= settings.maxDelayMs);
        }
        QVERIFY(server.listen(port));
        QTRY_VERIFY_WITH_TIMEOUT(restored.size() == 1, 10000);
        QCOMPARE(client.state(), State::Connected);
    }

    void refusedServerRetriesThenGivesUp()
    {
        auto settings = fastClientSettings(m_dir);
        settings.maxAttempts = 3;
        ChatClient client(settings);
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
        client.connectToServer(refusedUrl(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::GaveUp, 10000);
        QCOMPARE(states(stateSpy),
                 (QList<State>{State::Connecting, State::Reconnecting, State::Connecting, State::Reconnecting,
                               State::Connecting, State::Reconnecting, State::Connecting, State::GaveUp}));
        QVERIFY2(lastReason(stateSpy).contains(QStringLiteral("gave up")), qPrintable(lastReason(stateSpy)));
        QCOMPARE(client.attempt(), 3);
        // Nothing keeps trying after giving up. A retry is always announced by reconnectScheduled
        // when it is planned, so: once what the last failure queued has run, none was announced.
        QCoreApplication::processEvents();
        QCOMPARE(scheduled.size(), 3);
        QCOMPARE(client.state(), State::GaveUp);
        QTRY_COMPARE_WITH_TIMEOUT(client.findChildren<QWebSocket *>().size(), 0, 5000);
    }

    // A server that completes the upgrade but never sends `connected` is as broken as one that
    // refuses: its attempts count towards giving up, however long each one stayed open.
    void upgradeWithoutConnectedCountsAsAFailedAttempt()
    {
        FakeServer server;
        server.sendConnected = false;
        QVERIFY(server.listen());
        auto settings = fastClientSettings(m_dir);
        settings.maxAttempts = 2;
        settings.connectTimeoutMs = 400;
        settings.minUptimeMs = 50; // far below the connect timeout, as 5 s is below 10 s by default
        ChatClient client(settings);
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        client.connectToServer(server.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::GaveUp, 20000);
        QCOMPARE(server.totalConnections(), 3);
        QVERIFY2(lastReason(stateSpy).contains(QStringLiteral("connect timeout")),
                 qPrintable(lastReason(stateSpy)));
    }

    void gaveUpLeavesOnReconnectNow()
    {
        FakeServer server;
        QVERIFY(server.listen());
        const quint16 port = server.port();
        server.stop();
        auto settings = fastClientSettings(m_dir);
        settings.maxAttempts = 1;
        ChatClient client(settings);
        client.connectToServer(server.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::GaveUp, 10000);
        QVERIFY(server.listen(port));
        client.reconnectNow();
        QCOMPARE(client.state(), State::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, 10000);
    }

    void hangingHandshakeTimesOut()
    {
        HangServer hang;
        QVERIFY(hang.listen());
        auto settings = fastClientSettings(m_dir);
        settings.connectTimeoutMs = 300;
        settings.initialDelayMs = 60000; // one attempt is enough to see the timeout
        ChatClient client(settings);
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        client.connectToServer(hang.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, 10000);
        QCOMPARE(states(stateSpy), (QList<State>{State::Connecting, State::Reconnecting}));
        QVERIFY2(lastReason(stateSpy).contains(QStringLiteral("timeout")), qPrintable(lastReason(stateSpy)));
        QCOMPARE(hang.accepted(), 1);
        QVERIFY(client.nextAttemptIn() > 30000);
    }

    void silentServerIsDeclaredDead()
    {
        FakeServer server;
        server.answerPings = false;
        QVERIFY(server.listen());
        auto settings = fastClientSettings(m_dir);
        settings.pingIntervalMs = 50;
        settings.pongTimeoutMs = 400;
        settings.initialDelayMs = 60000;
        ChatClient client(settings);
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        client.connectToServer(server.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, 10000);
        QCOMPARE(states(stateSpy), (QList<State>{State::Connecting, State::Connected, State::Reconnecting}));
        QVERIFY2(lastReason(stateSpy).contains(QStringLiteral("dead")), qPrintable(lastReason(stateSpy)));
        // The server answers again: the next attempt connects and stays up.
        server.answerPings = true;
        QSignalSpy restored(&client, &ChatClient::sessionRestored);
        client.reconnectNow();
        QVERIFY(restored.wait(10000));
        QCOMPARE(client.state(), State::Connected);
    }

    void pingSettingsChangeOnTheLiveConnection()
    {
        FakeServer server;
        QVERIFY(server.listen());
        auto settings = fastClientSettings(m_dir);
        settings.pingIntervalMs = 600000; // no regular ping while the test runs, until changed
        ChatClient client(settings);
        QVERIFY(connectAndJoin(client, server.url(), QStringLiteral("alice")));
        const auto pings = [&server] {
            return std::count_if(
                server.received.cbegin(), server.received.cend(),
                [](const Protocol::ClientMessage &m) { return std::holds_alternative<Protocol::Ping>(m); });
        };
        const auto before = pings();
        client.setLatencySettings(50, 20000, 4);
        QCOMPARE(client.settings().pingIntervalMs, 50);
        QCOMPARE(client.settings().pongTimeoutMs, 20000);
        QCOMPARE(client.latency()->interval(), 50);
        QCOMPARE(client.latency()->timeout(), 20000);
        // The live connection pings at the new pace, and keeps only the new number of samples.
        QTRY_VERIFY_WITH_TIMEOUT(pings() >= before + 6, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(client.latency()->samples().size(), 4, 10000);
        QVERIFY(settleClient(client));
        QCOMPARE(client.latency()->samples().size(), 4);
        QCOMPARE(client.state(), State::Connected);
    }

    void reconnectSettingsChangeOnTheLiveClient()
    {
        FakeServer server;
        QVERIFY(server.listen());
        auto settings = fastClientSettings(m_dir);
        ChatClient client(settings);
        QVERIFY(connectAndJoin(client, server.url(), QStringLiteral("alice")));
        // Longer than the test settings' cap: only the new settings can give these delays.
        client.setReconnectSettings(40000, 90000, 1.5);
        QCOMPARE(client.settings().initialDelayMs, 40000);
        QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
        server.stop();
        QVERIFY(scheduled.wait(10000));
        QCOMPARE(scheduled.at(0).at(0).toInt(), 1);
        QCOMPARE(scheduled.at(0).at(1).toLongLong(), 40000); // no jitter in the test settings
        QCOMPARE(client.state(), State::Reconnecting);
        QVERIFY(client.nextAttemptIn() > settings.maxDelayMs); // beyond what the old settings allow

        // Changed again while waiting: the next delays follow, with the new factor and cap.
        client.setReconnectSettings(20, 45, 2.0);
        client.reconnectNow(); // the first attempt now, refused: the second in 40 ms, then the cap
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 4, 10000);
        QCOMPARE(scheduled.at(1).at(1).toLongLong(), 40);
        QCOMPARE(scheduled.at(2).at(1).toLongLong(), 45);
        QCOMPARE(scheduled.at(3).at(1).toLongLong(), 45);
    }

    void normalClosesAreNotRetried_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("retried");
        QTest::newRow("1000 normal") << int(QWebSocketProtocol::CloseCodeNormal) << false;
        QTest::newRow("1001 going away") << int(QWebSocketProtocol::CloseCodeGoingAway) << false;
        QTest::newRow("1011 server error") << 1011 << true;
        QTest::newRow("4000 server shutdown or restart") << int(Protocol::CloseServerShutdown) << true;
    }

    void normalClosesAreNotRetried()
    {
        QFETCH(int, code);
        QFETCH(bool, retried);
        FakeServer server;
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(client, server.url(), QStringLiteral("alice")));
        QSignalSpy restored(&client, &ChatClient::sessionRestored); // sessions after the first
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
        server.closeAll(QWebSocketProtocol::CloseCode(code), QStringLiteral("bye"));
        if (retried) {
            QTRY_VERIFY_WITH_TIMEOUT(restored.size() == 1, 10000);
            QCOMPARE(states(stateSpy).first(), State::Reconnecting);
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Disconnected, 10000);
            QVERIFY2(lastReason(stateSpy).contains(QString::number(code)), qPrintable(lastReason(stateSpy)));
            // Not retried: a retry is announced by reconnectScheduled when it is planned, and
            // none was, even after everything the close queued has run.
            QCoreApplication::processEvents();
            QCOMPARE(scheduled.size(), 0);
            QCOMPARE(client.state(), State::Disconnected);
            QCOMPARE(server.totalConnections(), 1);
        }
    }

    void userDisconnectClosesWithoutRetry()
    {
        FakeServer server;
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(client, server.url(), QStringLiteral("alice")));
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
        client.disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Disconnected, 10000);
        QCOMPARE(states(stateSpy), (QList<State>{State::Closing, State::Disconnected}));
        QCoreApplication::processEvents();
        QCOMPARE(scheduled.size(), 0); // no retry was planned, so none can follow
        QCOMPARE(client.state(), State::Disconnected);
        QCOMPARE(server.totalConnections(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 5000);
    }

    void reconnectNowSkipsTheWait()
    {
        FakeServer server;
        QVERIFY(server.listen());
        auto settings = fastClientSettings(m_dir);
        settings.initialDelayMs = 60000;
        settings.maxDelayMs = 60000;
        settings.jitter = 0;
        ChatClient client(settings);
        QVERIFY(connectAndJoin(client, server.url(), QStringLiteral("alice")));
        QSignalSpy restored(&client, &ChatClient::sessionRestored); // sessions after the first
        server.abortAll();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, 5000);
        QVERIFY(client.nextAttemptIn() > 50000);
        client.reconnectNow();
        QCOMPARE(client.state(), State::Connecting);
        QCOMPARE(client.nextAttemptIn(), -1);
        QVERIFY(restored.wait(5000));
    }

    void attemptCounterResetsOnlyAfterMinimumUptime()
    {
        FakeServer server;
        QVERIFY(server.listen());
        auto settings = fastClientSettings(m_dir);
        // Far longer than it takes to drop a session the moment it is back, even on a loaded machine.
        settings.minUptimeMs = 3000;
        ChatClient client(settings);
        QSignalSpy restored(&client, &ChatClient::sessionRestored);
        QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
        client.connectToServer(server.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QVERIFY(restored.wait(5000));
        // Dropped as soon as the session is back (twice): the counter keeps growing.
        int drops = 0;
        const QMetaObject::Connection dropAgain = connect(
            &client, &ChatClient::sessionRestored, &server,
            [&] {
                if (++drops < 2)
                    server.abortAll();
            },
            Qt::QueuedConnection);
        server.abortAll();
        QTRY_VERIFY_WITH_TIMEOUT(restored.size() == 3, 10000);
        disconnect(dropAgain);
        QCOMPARE(scheduled.size(), 2);
        QCOMPARE(scheduled.at(0).at(0).toInt(), 1);
        QCOMPARE(scheduled.at(1).at(0).toInt(), 2);
        // Up long enough: the next failure starts again from attempt 1.
        QTRY_COMPARE_WITH_TIMEOUT(client.attempt(), 0, 10000);
        server.abortAll();
        QTRY_COMPARE_WITH_TIMEOUT(scheduled.size(), 3, 5000);
        QCOMPARE(scheduled.at(2).at(0).toInt(), 1);
    }

    void networkBackRetriesAtOnceWithBackoffReset()
    {
        auto settings = fastClientSettings(m_dir);
        settings.initialDelayMs = 60000;
        settings.maxDelayMs = 60000;
        ChatClient client(settings);
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
        client.connectToServer(refusedUrl(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, 5000);
        QCOMPARE(client.attempt(), 1);
        client.reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(scheduled.size(), 2, 5000);
        QCOMPARE(client.attempt(), 2);
        emit client.connectivity()->networkRestored();
        QCOMPARE(client.state(), State::Connecting);
        QVERIFY(lastReason(stateSpy).contains(QStringLiteral("network")));
        QTRY_COMPARE_WITH_TIMEOUT(scheduled.size(), 3, 5000);
        QCOMPARE(scheduled.last().at(0).toInt(), 1); // backoff started over
    }

    void wakeFromSleepRetriesAtOnce()
    {
        auto settings = fastClientSettings(m_dir);
        settings.initialDelayMs = 60000;
        settings.maxDelayMs = 60000;
        settings.wakeCheckIntervalMs = 20;
        settings.wakeSlackMs = 5000;
        ChatClient client(settings);
        qint64 fakeNow = 1'000'000;
        client.connectivity()->setClock([&fakeNow] { return fakeNow; });
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        client.connectToServer(refusedUrl(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, 5000);
        QVERIFY(client.nextAttemptIn() > 30000);
        // The next check fires "an hour late" by the wall clock: the machine slept.
        fakeNow += 3600 * 1000;
        QTRY_VERIFY_WITH_TIMEOUT(hasReason(stateSpy, State::Connecting, QStringLiteral("sleep")), 5000);
        // The refused attempt that followed counts from 1 again.
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, 5000);
        QCOMPARE(client.attempt(), 1);
    }

    void invalidUrlIsRefused()
    {
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy refused(&client, &ChatClient::requestRefused);
        client.connectToServer(QUrl(QStringLiteral("http://example.invalid")), QStringLiteral("alice"),
                               QStringLiteral("general"));
        QCOMPARE(refused.size(), 1);
        QCOMPARE(client.state(), State::Disconnected);
    }
};

QTEST_GUILESS_MAIN(TestChatClientStates)
#include "tst_chatclientstates.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// One server at several addresses (issue 14, scale-out): ChatClient goes round them, keeping its
// backoff, its identity (the first address) and its outbox.
#include "chatclient.h"
#include "clientfixture.h"
#include "cliprocess.h"
#include "fakeserver.h"
#include "serverfixture.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using State = ChatClient::State;
using DS = Outbox::DeliveryState;

class TestChatClientFailover : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Nothing listens at the first address: the reconnect goes to the second, and logs in there.
    void deadFirstAddressLogsInThroughTheSecond()
    {
        const auto server = startTestServer();
        const QUrl dead = refusedUrl();
        const QUrl live = server->url();
        ChatClient alice(fastClientSettings(m_dir));
        QSignalSpy restored(&alice, &ChatClient::sessionRestored);
        alice.connectToServer(QList<QUrl>{dead, live}, QStringLiteral("alice"), QStringLiteral("general"));
        QCOMPARE(alice.currentUrl(), dead); // the first attempt goes to the first
        QVERIFY(restored.wait(10000));
        QCOMPARE(alice.state(), State::Connected);
        QCOMPARE(alice.currentUrl(), live);
        QCOMPARE(alice.url(), dead); // the server's identity is still the first address
        QCOMPARE(alice.urls(), (QList<QUrl>{dead, live}));
        QCOMPARE(alice.joinedRoom(), QStringLiteral("general"));
    }

    // Going round the addresses does not start the backoff again: attempts count on across them
    // until maxAttempts, as they would for one address.
    void backoffGoesOnAcrossAddresses()
    {
        const QUrl first = refusedUrl();
        QUrl second = refusedUrl();
        if (second == first)
            second.setHost(QStringLiteral("localhost"));
        ChatClient::Settings settings = fastClientSettings(m_dir);
        settings.maxAttempts = 3;
        ChatClient alice(settings);
        QList<QUrl> tried;
        QList<int> attempts;
        connect(&alice, &ChatClient::stateChanged, this, [&](State state) {
            if (state == State::Connecting)
                tried.append(alice.currentUrl());
        });
        connect(&alice, &ChatClient::reconnectScheduled, this,
                [&](int attempt, qint64) { attempts.append(attempt); });
        alice.connectToServer(QList<QUrl>{first, second}, QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::GaveUp, 15000);
        QCOMPARE(attempts, (QList<int>{1, 2, 3}));
        QCOMPARE(tried, (QList<QUrl>{first, second, first, second}));
    }

    // Node A (a natter-server process) dies without a word; the client goes to node B by itself,
    // and a message written while it was down reaches B's room once.
    void killedNodeFailsOverAndDeliversTheOutboxOnce()
    {
        ServerProcess nodeA;
        QVERIFY(nodeA.start());
        const auto nodeB = startTestServer();
        const QUrl urlB = nodeB->url();

        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(bob, urlB, QStringLiteral("bob")));
        QStringList bobReceived;
        connect(&bob, &ChatClient::messageReceived, this,
                [&](const Protocol::ChatMessage &m) { bobReceived.append(m.text); });

        ChatClient alice(fastClientSettings(m_dir));
        QSignalSpy restored(&alice, &ChatClient::sessionRestored);
        alice.connectToServer(QList<QUrl>{nodeA.url(), urlB}, QStringLiteral("alice"),
                              QStringLiteral("general"));
        QVERIFY(restored.wait(10000));
        QCOMPARE(alice.currentUrl(), nodeA.url());

        // Written the moment the client finds A gone, so it waits in the outbox.
        QString queuedId;
        connect(&alice, &ChatClient::stateChanged, this, [&](State state) {
            if (state == State::Reconnecting && queuedId.isEmpty())
                queuedId = alice.sendMessage(QStringLiteral("while A was down"));
        });
        QList<DS> delivery;
        connect(alice.outbox(), &Outbox::deliveryStateChanged, this, [&](const QString &id, DS state) {
            if (id == queuedId)
                delivery.append(state);
        });
        nodeA.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!queuedId.isEmpty(), 15000);
        QCOMPARE(alice.outbox()->count(), 1);
        QVERIFY(restored.wait(10000));
        QCOMPARE(alice.currentUrl(), urlB);
        QCOMPARE(alice.url(), nodeA.url());
        QTRY_VERIFY_WITH_TIMEOUT(delivery.contains(DS::Acknowledged), 10000);

        // A marker after it: once bob has it, a second copy would be there too.
        alice.sendMessage(QStringLiteral("marker"));
        QTRY_VERIFY_WITH_TIMEOUT(bobReceived.contains(QStringLiteral("marker")), 10000);
        QCOMPARE(bobReceived, (QStringList{QStringLiteral("while A was down"), QStringLiteral("marker")}));
        QTRY_COMPARE_WITH_TIMEOUT(alice.outbox()->count(), 0, 10000);
    }

    // An address that is no WebSocket URL spoils the list: nothing is tried.
    void nonWebSocketAddressIsRefused()
    {
        ChatClient alice(fastClientSettings(m_dir));
        QSignalSpy refused(&alice, &ChatClient::requestRefused);
        alice.connectToServer(
            QList<QUrl>{QUrl(QStringLiteral("ws://127.0.0.1:1")), QUrl(QStringLiteral("http://127.0.0.1:2"))},
            QStringLiteral("alice"), QStringLiteral("general"));
        QCOMPARE(refused.count(), 1);
        QVERIFY(refused.first().first().toString().contains(QStringLiteral("http://127.0.0.1:2")));
        QCOMPARE(alice.state(), State::Disconnected);
    }
};

QTEST_GUILESS_MAIN(TestChatClientFailover)
#include "tst_chatclientfailover.moc"

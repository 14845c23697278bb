// SPDX-License-Identifier: GPL-3.0-or-later
#include "typingtracker.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

//! Typing indicators: expiry after the last refresh, clearing, and the outgoing throttle.
class TestTypingTracker : public QObject
{
    Q_OBJECT

private slots:
    void indicatorExpiresAfterItsLastRefresh()
    {
        TypingTracker tracker;
        tracker.setExpiry(300);
        QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
        QElapsedTimer clock;
        clock.start();
        tracker.userTyping(QStringLiteral("bob"));
        QCOMPARE(tracker.users(), QStringList{QStringLiteral("bob")});
        QCOMPARE(changed.size(), 1);
        tracker.userTyping(QStringLiteral("bob")); // refresh: no new signal
        QCOMPARE(changed.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(tracker.users().isEmpty(), 5000);
        QVERIFY(clock.elapsed() >= 290);
        QCOMPARE(changed.size(), 2);
        QVERIFY(changed.last().at(0).toStringList().isEmpty());
    }

    void refreshKeepsItAlive()
    {
        TypingTracker tracker;
        tracker.setExpiry(400);
        tracker.userTyping(QStringLiteral("amy"));
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() >= 250, 5000);
        tracker.userTyping(QStringLiteral("amy"));
        tracker.userTyping(QStringLiteral("bob"));
        // amy's first indicator would have expired at 400 ms; the refresh carries it to ~650 ms.
        QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() >= 450, 5000);
        QCOMPARE(tracker.users(), (QStringList{QStringLiteral("amy"), QStringLiteral("bob")}));
        QTRY_VERIFY_WITH_TIMEOUT(tracker.users().isEmpty(), 5000);
    }

    void messageFromUserClearsAtOnce()
    {
        TypingTracker tracker;
        tracker.setExpiry(60000);
        tracker.userTyping(QStringLiteral("amy"));
        tracker.userTyping(QStringLiteral("bob"));
        QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
        tracker.userStopped(QStringLiteral("amy"));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toStringList(), QStringList{QStringLiteral("bob")});
        tracker.userStopped(QStringLiteral("nobody"));
        QCOMPARE(changed.size(), 1);
        tracker.clear();
        QVERIFY(tracker.users().isEmpty());
    }

    void outgoingIsThrottled()
    {
        TypingTracker tracker;
        tracker.setThrottle(300);
        QVERIFY(tracker.takeOutgoingSlot());
        int allowed = 0;
        for (int i = 0; i < 1000; ++i)
            allowed += tracker.takeOutgoingSlot();
        QCOMPARE(allowed, 0);
        QElapsedTimer clock;
        clock.start();
        bool allowed2 = false; // takeOutgoingSlot() consumes the slot, so remember the answer
        QTRY_VERIFY_WITH_TIMEOUT(allowed2 = allowed2 || tracker.takeOutgoingSlot(), 5000);
        QVERIFY(clock.elapsed() >= 250);
    }
};

QTEST_GUILESS_MAIN(TestTypingTracker)
#include "tst_typingtracker.moc"

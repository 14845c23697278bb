// SPDX-License-Identifier: GPL-3.0-or-later
#include "typingtracker.h"

#include <QSignalSpy>
#include <QTest>

//! Typing indicators: expiry after the last refresh, clearing, and the outgoing throttle. Time is
//! a fake clock the tests move, so no check depends on how fast the machine is.
class TestTypingTracker : public QObject
{
    Q_OBJECT

private slots:
    void indicatorExpiresAfterItsLastRefresh()
    {
        qint64 now = 1000;
        TypingTracker tracker;
        tracker.setClock([&now] { return now; });
        tracker.setExpiry(300);
        QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
        tracker.userTyping(QStringLiteral("bob"));
        QCOMPARE(tracker.users(), QStringList{QStringLiteral("bob")});
        QCOMPARE(changed.size(), 1);
        now += 200;
        tracker.userTyping(QStringLiteral("bob")); // refresh: no new signal, 300 ms from here
        QCOMPARE(changed.size(), 1);

        now += 299; // 499 ms after the first notice: the refresh keeps it
        tracker.expireDue();
        QCOMPARE(tracker.users(), QStringList{QStringLiteral("bob")});
        QCOMPARE(changed.size(), 1);
        now += 1; // 300 ms after the refresh
        tracker.expireDue();
        QVERIFY(tracker.users().isEmpty());
        QCOMPARE(changed.size(), 2);
        QVERIFY(changed.last().at(0).toStringList().isEmpty());
    }

    void eachIndicatorHasItsOwnExpiry()
    {
        qint64 now = 0;
        TypingTracker tracker;
        tracker.setClock([&now] { return now; });
        tracker.setExpiry(400);
        QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
        tracker.userTyping(QStringLiteral("amy"));
        now = 250;
        tracker.userTyping(QStringLiteral("amy"));
        tracker.userTyping(QStringLiteral("bob"));
        now = 450; // amy's first notice alone would have expired at 400
        tracker.expireDue();
        QCOMPARE(tracker.users(), (QStringList{QStringLiteral("amy"), QStringLiteral("bob")}));
        now = 649;
        tracker.expireDue();
        QCOMPARE(tracker.users(), (QStringList{QStringLiteral("amy"), QStringLiteral("bob")}));
        tracker.userTyping(QStringLiteral("bob")); // bob keeps typing: until 1049
        now = 650;
        tracker.expireDue();
        QCOMPARE(tracker.users(), QStringList{QStringLiteral("bob")});
        now = 1049;
        tracker.expireDue();
        QVERIFY(tracker.users().isEmpty());
        QCOMPARE(changed.size(), 4); // [amy], [amy, bob], [bob], []
    }

    void indicatorGoesAwayOnItsOwn()
    {
        // The real clock and the tracker's own timer: nobody calls expireDue() here.
        TypingTracker tracker;
        tracker.setExpiry(50);
        QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
        tracker.userTyping(QStringLiteral("bob"));
        QCOMPARE(changed.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 5000);
        QVERIFY(tracker.users().isEmpty());
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
        qint64 now = 5000;
        TypingTracker tracker;
        tracker.setClock([&now] { return now; });
        tracker.setThrottle(300);
        QVERIFY(tracker.takeOutgoingSlot());
        int allowed = 0;
        for (int i = 0; i < 1000; ++i)
            allowed += tracker.takeOutgoingSlot();
        QCOMPARE(allowed, 0);
        now += 299;
        QVERIFY(!tracker.takeOutgoingSlot());
        now += 1;
        QVERIFY(tracker.takeOutgoingSlot());
        QVERIFY(!tracker.takeOutgoingSlot()); // the next interval starts from the one just taken
        tracker.resetOutgoing();              // e.g. a new room: the first keystroke goes out at once
        QVERIFY(tracker.takeOutgoingSlot());
    }
};

QTEST_GUILESS_MAIN(TestTypingTracker)
#include "tst_typingtracker.moc"

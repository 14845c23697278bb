// SPDX-License-Identifier: GPL-3.0-or-later
#include "backlogguard.h"
#include "memorytrimmer.h"

#include <QTest>

namespace {
constexpr qint64 MiB = 1024 * 1024;
// Stand-ins for connections: the guard only compares their addresses.
const int a = 0, b = 0, c = 0;

QList<const void *> dropped(const QList<BacklogGuard::Drop> &drops)
{
    QList<const void *> out;
    for (const BacklogGuard::Drop &d : drops)
        out.append(d.connection);
    return out;
}
} // namespace

//! The rules that keep the server's queues bounded, on their own, with a clock the test moves.
class TestBacklogGuard : public QObject
{
    Q_OBJECT

private slots:
    void aBacklogOverTheHardLimitIsDroppedAtOnce()
    {
        BacklogGuard guard({8 * MiB, 1 * MiB, 1000, 64 * MiB});
        const auto drops = guard.check({{&a, 8 * MiB + 1}, {&b, 8 * MiB}}, 0);
        QCOMPARE(dropped(drops), QList<const void *>{&a});
        QVERIFY(drops.first().reason.contains(QLatin1String("limit")));
    }

    void stayingAboveTheSoftLimitIsDroppedWhetherItMovesOrNot()
    {
        BacklogGuard guard({8 * MiB, 1 * MiB, 1000, 64 * MiB});
        QVERIFY(guard.check({{&a, 2 * MiB}}, 0).isEmpty());
        // It reads a little (the backlog shrinks) but never gets under the soft limit.
        QVERIFY(guard.check({{&a, 3 * MiB / 2}}, 500).isEmpty());
        QVERIFY(guard.check({{&a, 5 * MiB / 4}}, 999).isEmpty());
        QCOMPARE(dropped(guard.check({{&a, 5 * MiB / 4}}, 1000)), QList<const void *>{&a});
    }

    void dippingUnderTheSoftLimitStartsTheClockAgain()
    {
        BacklogGuard guard({8 * MiB, 1 * MiB, 1000, 64 * MiB});
        QVERIFY(guard.check({{&a, 2 * MiB}}, 0).isEmpty());
        QVERIFY(guard.check({{&a, 0}}, 900).isEmpty());
        QVERIFY(guard.check({{&a, 2 * MiB}}, 1000).isEmpty());
        QVERIFY(guard.check({{&a, 2 * MiB}}, 1999).isEmpty());
        QCOMPARE(dropped(guard.check({{&a, 2 * MiB}}, 2000)), QList<const void *>{&a});
    }

    void overTheTotalTheBiggestGoFirst()
    {
        BacklogGuard guard({32 * MiB, 16 * MiB, 60000, 20 * MiB});
        // 12 + 7 + 6 = 25 MiB: dropping the 12 MiB one is enough.
        const auto drops = guard.check({{&a, 7 * MiB}, {&b, 12 * MiB}, {&c, 6 * MiB}}, 0);
        QCOMPARE(dropped(drops), QList<const void *>{&b});
        // 15 + 14 + 12 = 41 MiB: the two biggest go.
        const auto more = guard.check({{&a, 12 * MiB}, {&b, 15 * MiB}, {&c, 14 * MiB}}, 10);
        QCOMPARE(dropped(more), (QList<const void *>{&b, &c}));
    }

    void aForgottenConnectionStartsAfresh()
    {
        BacklogGuard guard({8 * MiB, 1 * MiB, 1000, 64 * MiB});
        QVERIFY(guard.check({{&a, 2 * MiB}}, 0).isEmpty());
        guard.forget(&a); // gone; the address is reused by a new connection
        QVERIFY(guard.check({{&a, 2 * MiB}}, 1500).isEmpty());
    }

    // What the guard does with memory that dropped or drained backlogs freed.
    void freedMemoryIsTrimmedOncePerGrowth()
    {
        MemoryTrimmer trimmer(64 * MiB);
        QVERIFY(!trimmer.note(10 * MiB));
        QVERIFY(!trimmer.note(70 * MiB)); // 60 MiB more than the low point
        QVERIFY(trimmer.note(80 * MiB));
        // Trimmed pages still count as free: no trim again until as much more was freed.
        QVERIFY(!trimmer.note(80 * MiB));
        QVERIFY(!trimmer.note(140 * MiB));
        QVERIFY(trimmer.note(150 * MiB));
        // Memory in use again lowers the low point.
        QVERIFY(!trimmer.note(5 * MiB));
        QVERIFY(trimmer.note(70 * MiB));
        QVERIFY(!MemoryTrimmer(0).note(qint64(1) << 40)); // 0: never
    }
};

QTEST_GUILESS_MAIN(TestBacklogGuard)
#include "tst_backlogguard.moc"

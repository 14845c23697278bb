// SPDX-License-Identifier: GPL-3.0-or-later
#include "historypager.h"
#include "room.h"
#include "seqs.h"

#include <QTest>

namespace {
constexpr qint64 MiB = 1024 * 1024;

// A room holding `count` messages of `chars` characters each, seq 1..count.
std::unique_ptr<Room> roomWith(int count, int chars, int historyLimit = 1000)
{
    auto room = std::make_unique<Room>(QStringLiteral("general"), historyLimit);
    for (int i = 1; i <= count; ++i)
        room->append(
            {QStringLiteral("alice"), QString(chars, QLatin1Char('x')), 1, {}, 0, QStringLiteral("general")},
            QStringLiteral("alice"));
    return room;
}

QList<qint64> seqs(const HistoryPager::Page &page)
{
    QList<qint64> out;
    for (const Protocol::ChatMessage &m : page.messages)
        out.append(m.seq);
    return out;
}
} // namespace

//! How history is cut into pages (PROTOCOL.md 2), on its own.
class TestHistoryPager : public QObject
{
    Q_OBJECT

private slots:
    void pagesAreBoundedByCountAndBytes()
    {
        const HistoryPager pager({10, 4096});
        const auto small = roomWith(25, 10);
        HistoryPager::Page page = pager.after(*small, 0, {});
        QCOMPARE(seqs(page), seqRange(1, 10));
        QVERIFY(page.more);
        QVERIFY(!page.truncated);
        page = pager.after(*small, 20, small->epoch());
        QCOMPARE(seqs(page), seqRange(21, 25));
        QVERIFY(!page.more);

        const auto big = roomWith(10, 1000); // about 1 KiB encoded each: 3 fit in 4 KiB
        page = pager.after(*big, 2, {});
        QCOMPARE(seqs(page), seqRange(3, 5));
        QVERIFY(page.bytes <= 4096);
        QVERIFY(page.more);
        qint64 sum = 0;
        for (const Protocol::ChatMessage &m : page.messages)
            sum += HistoryPager::bytesOf(m);
        QCOMPARE(page.bytes, sum);
    }

    void aMessageLargerThanAPageStillGoes()
    {
        const HistoryPager pager({10, 100});
        const auto room = roomWith(3, 1000);
        const HistoryPager::Page page = pager.after(*room, 0, {});
        QCOMPARE(seqs(page), QList<qint64>{1}); // one at a time, never none
        QVERIFY(page.more);
        QCOMPARE(seqs(pager.recent(*room, 50)), QList<qint64>{3});
    }

    void recentIsTheNewestThatFit()
    {
        const HistoryPager pager({100, 4096});
        const auto room = roomWith(20, 1000);
        const HistoryPager::Page page = pager.recent(*room, 50);
        QCOMPARE(seqs(page), seqRange(18, 20));
        QVERIFY(!page.more);
        QCOMPARE(seqs(HistoryPager({2, 4096}).recent(*room, 50)), seqRange(19, 20));
        QCOMPARE(seqs(pager.recent(*roomWith(20, 10), 5)), seqRange(16, 20));
    }

    void whatIsNoLongerHeldIsTruncated()
    {
        const HistoryPager pager({10, MiB});
        const auto room = roomWith(30, 10, 20); // holds 11..30
        HistoryPager::Page page = pager.after(*room, 5, {});
        QVERIFY(page.truncated);
        QCOMPARE(seqs(page), seqRange(11, 20));
        QVERIFY(page.more);
        // Caught up: nothing, and nothing missing.
        page = pager.after(*room, 30, {});
        QVERIFY(page.messages.isEmpty());
        QVERIFY(!page.truncated);
        QVERIFY(!page.more);
        // Beyond lastSeq (the server restarted) or from another epoch: from the oldest held.
        QVERIFY(pager.after(*room, 31, {}).truncated);
        page = pager.after(*room, 25, QStringLiteral("another-epoch"));
        QVERIFY(page.truncated);
        QCOMPARE(seqs(page).constFirst(), 11);
        QVERIFY(!pager.after(*room, 25, room->epoch()).truncated);
    }
};

QTEST_GUILESS_MAIN(TestHistoryPager)
#include "tst_historypager.moc"

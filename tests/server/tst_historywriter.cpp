// SPDX-License-Identifier: GPL-3.0-or-later
#include "gatedstore.h"
#include "historywriter.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {

MessageStore::Entry entry(qint64 seq)
{
    return {QStringLiteral("general"), QStringLiteral("General"), QStringLiteral("e-1"),
            QStringLiteral("ana"),
            Protocol::ChatMessage{QStringLiteral("ana"), QStringLiteral("m%1").arg(seq), 1000 + seq,
                                  QStringLiteral("id-%1").arg(seq), seq, QStringLiteral("General")}};
}

} // namespace

// HistoryWriter's order and failure rules, with its writes held at a gate.
class TestHistoryWriter : public QObject
{
    Q_OBJECT

private slots:
    void aFailedBatchTakesTheLaterOnesAlongAndWritingStartsAfresh()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.warning=false"));
        QTemporaryDir dir;
        GatedStore store(dir.path());
        QVERIFY(store.open());
        HistoryWriter writer(store);
        QList<QPair<qint64, bool>> done;
        QStringList order;
        const auto add = [&](qint64 seq) {
            writer.add(entry(seq), [&, seq](bool stored, const MessageStore::Entry &written) {
                QCOMPARE(written.message.seq, seq);
                done.append({seq, stored});
                order.append(QStringLiteral("done %1").arg(seq));
            });
        };

        // Batch A (1, 2) is being written, held at the gate.
        add(1);
        add(2);
        QTRY_COMPARE(store.entered.load(), 1);
        QVERIFY(writer.isPending(QStringLiteral("ana"), QStringLiteral("id-2")));
        writer.afterPending([&] { order.append(QStringLiteral("after A")); });
        // Batches B (3) and C (4) follow it, one per pass.
        add(3);
        QCoreApplication::processEvents();
        add(4);
        QCoreApplication::processEvents();
        QVERIFY(writer.isPending(QStringLiteral("ana"), QStringLiteral("id-4")));
        QVERIFY(done.isEmpty()); // nothing is acknowledged before it is written

        // A fails (B and C would fit): they were numbered after it, so they fail with it, in order.
        store.failures = 1;
        store.gate.release(10);
        QTRY_COMPARE(done.size(), 4);
        QCOMPARE(done, (QList<QPair<qint64, bool>>{{1, false}, {2, false}, {3, false}, {4, false}}));
        QCOMPARE(order.indexOf(QStringLiteral("after A")), 2); // after A's completions
        QVERIFY(!writer.healthy());
        QVERIFY(!writer.isPending(QStringLiteral("ana"), QStringLiteral("id-4")));
        QCOMPARE(store.written.load(), 0);

        // The next batch is written, and only it is in the file.
        add(1);
        QTRY_COMPARE(done.size(), 5);
        QCOMPARE(done.constLast(), qMakePair(qint64(1), true));
        QVERIFY(writer.healthy());
        const auto stored = store.after(QStringLiteral("general"), 0, 10);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.constFirst().text, QStringLiteral("m1"));
    }

    void flushWritesEverythingBeforeReturning()
    {
        QTemporaryDir dir;
        GatedStore store(dir.path());
        QVERIFY(store.open());
        store.gate.release(100);
        HistoryWriter writer(store);
        int stored = 0;
        for (qint64 seq = 1; seq <= 50; ++seq)
            writer.add(entry(seq), [&](bool ok, const MessageStore::Entry &) { stored += ok; });
        writer.flush();
        QCOMPARE(stored, 50);
        QCOMPARE(store.after(QStringLiteral("general"), 0, 100).size(), 50);
    }
};

QTEST_GUILESS_MAIN(TestHistoryWriter)
#include "tst_historywriter.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "outbox.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using DS = Outbox::DeliveryState;

//! The offline queue: bounds, delivery states, persistence round trip, corrupt files.
class TestOutbox : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void keepsOrderAndStates()
    {
        Outbox box;
        QSignalSpy states(&box, &Outbox::deliveryStateChanged);
        const QString a = box.add(QStringLiteral("r"), QStringLiteral("one"));
        const QString b = box.add(QStringLiteral("r"), QStringLiteral("two"));
        QVERIFY(!a.isEmpty() && !b.isEmpty() && a != b);
        QCOMPARE(box.count(), 2);
        QCOMPARE(box.bytes(), 6);
        QStringList sent;
        QCOMPARE(box.sendQueued(QStringLiteral("r"),
                                [&](const Outbox::Entry &e) {
                                    sent.append(e.text);
                                    return true;
                                }),
                 2);
        QCOMPARE(sent, (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
        QCOMPARE(box.find(a)->state, DS::Sent);
        box.acknowledge(a);
        QVERIFY(!box.find(a));
        QCOMPARE(states.last().at(1).value<DS>(), DS::Acknowledged);
        // A lost connection puts unacknowledged entries back in the queue.
        box.requeueSent();
        QCOMPARE(box.find(b)->state, DS::Queued);
        QCOMPARE(box.count(), 1);
    }

    void sendQueuedStopsAtFirstRefusalAndSkipsOtherRooms()
    {
        Outbox box;
        box.add(QStringLiteral("other"), QStringLiteral("x"));
        const QString a = box.add(QStringLiteral("r"), QStringLiteral("a"));
        const QString b = box.add(QStringLiteral("r"), QStringLiteral("b"));
        int calls = 0;
        QCOMPARE(box.sendQueued(QStringLiteral("r"), [&](const Outbox::Entry &) { return ++calls == 1; }), 1);
        QCOMPARE(box.find(a)->state, DS::Sent);
        QCOMPARE(box.find(b)->state, DS::Queued);
        QCOMPARE(box.countInState(DS::Queued), 2);
    }

    void fullOutboxRefusesWithAReason()
    {
        Outbox box;
        box.setLimits(3, 1000);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!box.add(QStringLiteral("r"), QStringLiteral("m%1").arg(i)).isEmpty());
        QString error;
        QVERIFY(box.add(QStringLiteral("r"), QStringLiteral("too many"), &error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("full")), qPrintable(error));
        QCOMPARE(box.count(), 3); // nothing accepted was dropped to make room

        Outbox bytes;
        bytes.setLimits(100, 10);
        QVERIFY(!bytes.add(QStringLiteral("r"), QStringLiteral("12345678")).isEmpty());
        QVERIFY(bytes.add(QStringLiteral("r"), QStringLiteral("abc"), &error).isEmpty());
        QVERIFY(error.contains(QStringLiteral("bytes")));
        QVERIFY(!bytes.add(QStringLiteral("r"), QStringLiteral("ab")).isEmpty());
    }

    void defaultCapacityIsTenThousandMessages()
    {
        Outbox box;
        QCOMPARE(box.maxMessages(), 10000);
    }

    void failedEntriesCanBeRetriedOrDiscarded()
    {
        Outbox box;
        const QString a = box.add(QStringLiteral("r"), QStringLiteral("a"));
        const QString b = box.add(QStringLiteral("r"), QStringLiteral("b"));
        box.failPending(QStringLiteral("gave up"));
        QCOMPARE(box.find(a)->state, DS::Failed);
        QCOMPARE(box.find(a)->error, QStringLiteral("gave up"));
        QVERIFY(box.retry(a));
        QCOMPARE(box.find(a)->state, DS::Queued);
        QVERIFY(!box.retry(a)); // only failed entries
        QVERIFY(box.discard(b));
        QVERIFY(!box.find(b));
        QCOMPARE(box.count(), 1);
    }

    void persistenceRoundTrip()
    {
        const QString file = path(QStringLiteral("round.json"));
        QString a, b, c;
        {
            Outbox box;
            box.setSaveDelay(10000); // only the destructor writes
            box.setPath(file);
            a = box.add(QStringLiteral("r"), QStringLiteral("first ünïcode ✓"));
            b = box.add(QStringLiteral("r"), QStringLiteral("second"), nullptr, 41); // a reply
            c = box.add(QStringLiteral("q"), QStringLiteral("third"));
            box.markSent(b);
            box.markFailed(c, QStringLiteral("nope"));
            QVERIFY(!QFile::exists(file));
        }
        QVERIFY(QFile::exists(file));
        // Unsent messages are private: only their owner may read the file, whatever the umask.
        QCOMPARE(QFile::permissions(file) & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                             QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        Outbox again;
        QSignalSpy added(&again, &Outbox::entryAdded);
        again.setPath(file);
        QCOMPARE(again.count(), 3);
        QCOMPARE(added.size(), 3);
        const QList<Outbox::Entry> entries = again.entries();
        QCOMPARE(entries.at(0).id, a);
        QCOMPARE(entries.at(0).text, QStringLiteral("first ünïcode ✓"));
        QCOMPARE(entries.at(1).state, DS::Queued); // unacknowledged: sent again
        QCOMPARE(entries.at(1).replyTo, 41);       // still an answer to the same message
        QCOMPARE(entries.at(0).replyTo, 0);
        QCOMPARE(entries.at(2).state, DS::Failed);
        QCOMPARE(entries.at(2).room, QStringLiteral("q"));
        QCOMPARE(again.bytes(), QStringLiteral("first ünïcode ✓secondthird").toUtf8().size());
    }

    // The server remembers ids for a while only (PROTOCOL.md section 3): an entry that went out
    // before and was never confirmed is not resent past that window without the user saying so,
    // however often the client restarts meanwhile.
    void entriesSentBeforeTheWindowAreNotResentAutomatically()
    {
        const QString file = path(QStringLiteral("window.json"));
        QString sentOnce, neverSent;
        {
            Outbox box;
            box.setSaveDelay(10000);
            box.setPath(file);
            sentOnce = box.add(QStringLiteral("r"), QStringLiteral("went out"));
            QCOMPARE(box.sendQueued(QStringLiteral("r"), [](const Outbox::Entry &) { return true; }), 1);
            neverSent = box.add(QStringLiteral("r"), QStringLiteral("still queued"));
            QVERIFY(box.find(sentOnce)->firstSentAt > 0);
            QCOMPARE(box.find(neverSent)->firstSentAt, 0);
            box.requeueSent(); // the connection dropped before the ack
        }
        Outbox box;
        box.setPath(file);
        QCOMPARE(box.find(sentOnce)->state, DS::Queued);
        QCOMPARE(box.failUnconfirmed(qint64(24) * 3600 * 1000, QStringLiteral("late")), 0); // in the window
        QCOMPARE(box.failUnconfirmed(0, QStringLiteral("late")), 1);
        QCOMPARE(box.find(sentOnce)->state, DS::Failed);
        QCOMPARE(box.find(sentOnce)->error, QStringLiteral("late"));
        QCOMPARE(box.find(neverSent)->state, DS::Queued); // never out: nothing to confirm
        box.retryAll();                                   // reconnecting is no answer from the user
        QCOMPARE(box.failUnconfirmed(0, QStringLiteral("late")), 1);
        QVERIFY(box.retry(sentOnce)); // the user's is
        QCOMPARE(box.find(sentOnce)->firstSentAt, 0);
        QCOMPARE(box.failUnconfirmed(0, QStringLiteral("late")), 0);
        QCOMPARE(box.find(sentOnce)->state, DS::Queued);
    }

    void writesAreCoalescedButHappen()
    {
        const QString file = path(QStringLiteral("coalesce.json"));
        Outbox box;
        box.setSaveDelay(50);
        box.setPath(file);
        QSignalSpy saved(&box, &Outbox::saved);
        for (int i = 0; i < 100; ++i)
            box.add(QStringLiteral("r"), QString::number(i));
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().at(0).toInt(), 100);
        box.setPath(QString()); // releases the file
        Outbox reader;
        reader.setPath(file);
        QCOMPARE(reader.count(), 100);
    }

    void corruptFileIsBackedUpAndWarned_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("not json") << QByteArray("{\"entries\": [ {\"id\": ");
        QTest::newRow("wrong shape") << QByteArray("[1,2,3]");
        QTest::newRow("entry without text")
            << QByteArray(R"({"version":1,"entries":[{"id":"x","room":"r"}]})");
        // Which text would be sent is not for the reader to guess (PROTOCOL.md section 1).
        QTest::newRow("repeated name")
            << QByteArray(R"({"version":1,"entries":[{"id":"x","room":"r","text":"a","text":"b"}]})");
        QTest::newRow("repeated name, escaped")
            << QByteArray(R"({"version":1,"entries":[{"id":"x","room":"r","text":"a"}],"\u0065ntries":[]})");
    }

    void corruptFileIsBackedUpAndWarned()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("outbox.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();

        Outbox box;
        QSignalSpy warnings(&box, &Outbox::warning);
        box.setPath(file);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().at(0).toString().contains(QStringLiteral("corrupt")),
                 qPrintable(warnings.first().at(0).toString()));
        QCOMPARE(box.count(), 0);
        const QStringList backups = QDir(dir.path()).entryList({QStringLiteral("outbox.json.corrupt-*")});
        QCOMPARE(backups.size(), 1);
        QFile backup(dir.filePath(backups.first()));
        QVERIFY(backup.open(QIODevice::ReadOnly));
        QCOMPARE(backup.readAll(), content); // the user's data is kept as it was
        // And the outbox works normally afterwards.
        QVERIFY(!box.add(QStringLiteral("r"), QStringLiteral("fresh")).isEmpty());
        QVERIFY(box.saveNow());
        box.setPath(QString());
        Outbox reader;
        reader.setPath(file);
        QCOMPARE(reader.count(), 1);
    }

    void anotherUsersEntriesStayInTheirFile()
    {
        const QString aliceFile = path(QStringLiteral("alice.json"));
        const QString bobFile = path(QStringLiteral("bob.json"));
        Outbox box;
        box.setSaveDelay(0);
        box.setPath(aliceFile);
        box.add(QStringLiteral("r"), QStringLiteral("from alice"));
        QSignalSpy removed(&box, &Outbox::entryRemoved);
        box.setPath(bobFile);
        QCOMPARE(box.count(), 0);
        QCOMPARE(removed.size(), 1);
        box.add(QStringLiteral("r"), QStringLiteral("from bob"));
        box.setPath(aliceFile);
        QCOMPARE(box.count(), 1);
        QCOMPARE(box.entries().first().text, QStringLiteral("from alice"));
    }

    void aFileInUseByAnotherOutboxIsNotShared()
    {
        const QString file = path(QStringLiteral("shared.json"));
        Outbox first;
        first.setSaveDelay(0);
        first.setPath(file);
        first.add(QStringLiteral("r"), QStringLiteral("first's"));
        Outbox second;
        QSignalSpy warnings(&second, &Outbox::warning);
        second.setPath(file);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().at(0).toString().contains(QStringLiteral("in use")),
                 qPrintable(warnings.first().at(0).toString()));
        QVERIFY(second.path().isEmpty());
        QCOMPARE(second.count(), 0); // did not load (and will not resend) the first one's messages
        QVERIFY(!second.add(QStringLiteral("r"), QStringLiteral("kept in memory")).isEmpty());
        QVERIFY(second.saveNow());
        Outbox reader;
        first.setPath(QString()); // releases the file
        reader.setPath(file);
        QCOMPARE(reader.count(), 1);
        QCOMPARE(reader.entries().first().text, QStringLiteral("first's"));
    }

    void unwritableLocationWarns()
    {
        Outbox box;
        QSignalSpy warnings(&box, &Outbox::warning);
        box.setPath(QStringLiteral("/proc/natter-cannot-write/outbox.json"));
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings.first().at(0).toString().contains(QStringLiteral("/proc/natter-cannot-write")));
        QVERIFY(!box.add(QStringLiteral("r"), QStringLiteral("kept in memory")).isEmpty());
        QCOMPARE(box.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"

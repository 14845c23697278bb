// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlitemessagestore.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

// SqliteMessageStore on its own, on a real file in a temporary directory: what one instance
// writes, another instance (a restarted server) reads back.
class TestMessageStore : public QObject
{
    Q_OBJECT

private:
    static MessageStore::Entry entry(const QString &room, qint64 seq, const QString &text, qint64 ts = 1000,
                                     const QString &id = {})
    {
        return {room.toLower(), room, QStringLiteral("epoch-") + room.toLower(), QStringLiteral("alice"),
                Protocol::ChatMessage{QStringLiteral("Alice"), text, ts, id, seq, room}};
    }
    static QList<qint64> seqs(const QList<Protocol::ChatMessage> &messages)
    {
        QList<qint64> out;
        for (const auto &m : messages)
            out.append(m.seq);
        return out;
    }

private slots:
    void writesAndReadsBackAfterReopening()
    {
        QTemporaryDir dir;
        {
            SqliteMessageStore store(dir.path());
            QVERIFY2(store.open(), qPrintable(store.errorString()));
            QVERIFY(!store.room(QStringLiteral("general")));
            QList<MessageStore::Entry> batch;
            for (int i = 1; i <= 5; ++i)
                batch.append(entry(QStringLiteral("General"), i, QStringLiteral("m%1").arg(i), 1000 + i,
                                   QStringLiteral("id-%1").arg(i)));
            batch.append(entry(QStringLiteral("Random"), 1, QStringLiteral("r1")));
            QVERIFY2(store.write(batch), qPrintable(store.errorString()));
        }
        // 0600: nobody but the server's user reads what was said.
        const QFile::Permissions mode = QFileInfo(dir.filePath(SqliteMessageStore::fileName())).permissions();
        QCOMPARE(int(mode & 0x0077), 0);

        SqliteMessageStore store(dir.path());
        QVERIFY(store.open());
        const auto general = store.room(QStringLiteral("general"));
        QVERIFY(general);
        QCOMPARE(general->name, QStringLiteral("General"));
        QCOMPARE(general->epoch, QStringLiteral("epoch-general"));
        QCOMPARE(general->lastSeq, 5);
        QCOMPARE(store.room(QStringLiteral("random"))->lastSeq, 1);

        const auto after = store.after(QStringLiteral("general"), 2, 2);
        QCOMPARE(seqs(after), QList<qint64>({3, 4}));
        QCOMPARE(after.first().text, QStringLiteral("m3"));
        QCOMPARE(after.first().user, QStringLiteral("Alice"));
        QCOMPARE(after.first().room, QStringLiteral("General"));
        QCOMPARE(after.first().id, QStringLiteral("id-3"));
        QCOMPARE(after.first().timestamp, 1003);
        QCOMPARE(seqs(store.before(QStringLiteral("general"), 5, 3)), QList<qint64>({2, 3, 4}));
        QCOMPARE(seqs(store.before(QStringLiteral("general"), 2, 10)), QList<qint64>({1}));
        QVERIFY(store.before(QStringLiteral("general"), 1, 10).isEmpty());
        QVERIFY(store.after(QStringLiteral("nowhere"), 0, 10).isEmpty());

        // Ids come back newest first, with where they were stored.
        const auto ids = store.recentIds(1003, 100);
        QCOMPARE(ids.size(), 3);
        QCOMPARE(ids.first().id, QStringLiteral("id-5"));
        QCOMPARE(ids.first().userKey, QStringLiteral("alice"));
        QCOMPARE(ids.first().seq, 5);
        QCOMPARE(ids.first().room, QStringLiteral("General"));
    }

    void aBatchThatDoesNotFitStoresNothing()
    {
        QTemporaryDir dir;
        // max_page_count stands in for a full disk: SQLite answers SQLITE_FULL as it would there.
        SqliteMessageStore store(dir.path(), SqliteMessageStore::Options{64 * 1024});
        QVERIFY2(store.open(), qPrintable(store.errorString()));
        QVERIFY(store.write({entry(QStringLiteral("General"), 1, QStringLiteral("first"))}));
        QList<MessageStore::Entry> big;
        for (int i = 0; i < 20; ++i) {
            big.append(entry(QStringLiteral("General"), 2 + i, QString(8000, u'x')));
            big.append(entry(QStringLiteral("Other"), 1 + i, QStringLiteral("o")));
        }
        QVERIFY(!store.write(big));
        QVERIFY(!store.errorString().isEmpty());
        // Nothing of it: not the messages, not the new room, not the numbering.
        QCOMPARE(store.room(QStringLiteral("general"))->lastSeq, 1);
        QVERIFY(!store.room(QStringLiteral("other")));
        QCOMPARE(seqs(store.after(QStringLiteral("general"), 0, 100)), QList<qint64>({1}));
        // And it goes on: what fits is written.
        QVERIFY2(store.write({entry(QStringLiteral("General"), 2, QStringLiteral("second"))}),
                 qPrintable(store.errorString()));
        QCOMPARE(store.room(QStringLiteral("general"))->lastSeq, 2);
    }

    void pruneRemovesOldAndSurplusMessagesInBoundedSteps()
    {
        QTemporaryDir dir;
        SqliteMessageStore store(dir.path());
        QVERIFY(store.open());
        QList<MessageStore::Entry> batch;
        for (int i = 1; i <= 10; ++i)
            batch.append(entry(QStringLiteral("Old"), i, QStringLiteral("o"), 1000 + i));
        for (int i = 1; i <= 10; ++i)
            batch.append(entry(QStringLiteral("Busy"), i, QStringLiteral("b"), 100000 + i));
        QVERIFY(store.write(batch));

        // By age: "Old" is entirely older than the cutoff; at most 4 per call.
        const MessageStore::Retention byAge{50000, 0};
        QCOMPARE(store.prune(byAge, 60000, 4), 4);
        QCOMPARE(store.prune(byAge, 60000, 4), 4);
        QCOMPARE(store.prune(byAge, 60000, 4), 2);
        QCOMPARE(store.prune(byAge, 60000, 4), 0);
        QVERIFY(store.after(QStringLiteral("old"), 0, 100).isEmpty());
        // The numbering outlives its messages.
        QCOMPARE(store.room(QStringLiteral("old"))->lastSeq, 10);
        QCOMPARE(store.after(QStringLiteral("busy"), 0, 100).size(), 10);

        // By count: the newest 3 stay.
        const MessageStore::Retention byCount{0, 3};
        QCOMPARE(store.prune(byCount, 60000, 5), 5);
        QCOMPARE(store.prune(byCount, 60000, 5), 2);
        QCOMPARE(store.prune(byCount, 60000, 5), 0);
        QCOMPARE(seqs(store.after(QStringLiteral("busy"), 0, 100)), QList<qint64>({8, 9, 10}));
    }

    void aFileFromANewerServerIsRefused()
    {
        QTemporaryDir dir;
        {
            SqliteMessageStore store(dir.path());
            QVERIFY(store.open());
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("poke"));
            db.setDatabaseName(dir.filePath(SqliteMessageStore::fileName()));
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("UPDATE schema_version SET version = 99"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("poke"));
        SqliteMessageStore store(dir.path());
        QVERIFY(!store.open());
        QVERIFY2(store.errorString().contains(QLatin1String("newer")), qPrintable(store.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestMessageStore)
#include "tst_messagestore.moc"

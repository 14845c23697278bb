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

    // A file sent to a room (PROTOCOL.md 5.4) comes back with its record, beside chat messages
    // that have none; retention takes the record along with its message.
    void fileRecordsComeBackWithTheirMessages()
    {
        QTemporaryDir dir;
        MessageStore::Entry file = entry(QStringLiteral("General"), 2, QStringLiteral("photo.jpg"), 1002);
        file.message.file = Protocol::FileRecord{QStringLiteral("t-1"), QStringLiteral("photo.jpg"), 150000,
                                                 QStringLiteral("image/jpeg")};
        MessageStore::Entry bare = entry(QStringLiteral("General"), 3, QStringLiteral("a.bin"), 1003);
        bare.message.file = Protocol::FileRecord{{}, QStringLiteral("a.bin"), 0, {}}; // a base uploader's
        {
            SqliteMessageStore store(dir.path());
            QVERIFY(store.open());
            QVERIFY2(store.write({entry(QStringLiteral("General"), 1, QStringLiteral("hi"), 1001), file, bare,
                                  entry(QStringLiteral("General"), 4, QStringLiteral("nice"), 2000)}),
                     qPrintable(store.errorString()));
        }
        SqliteMessageStore store(dir.path());
        QVERIFY(store.open());
        const auto all = store.after(QStringLiteral("general"), 0, 10);
        QCOMPARE(seqs(all), QList<qint64>({1, 2, 3, 4}));
        QVERIFY(!all.at(0).file);
        QVERIFY(all.at(1).file);
        QCOMPARE(all.at(1).file->transferId, QStringLiteral("t-1"));
        QCOMPARE(all.at(1).file->name, QStringLiteral("photo.jpg"));
        QCOMPARE(all.at(1).file->size, 150000);
        QCOMPARE(all.at(1).file->mimeType, QStringLiteral("image/jpeg"));
        QVERIFY(all.at(2).file);
        QVERIFY(all.at(2).file->transferId.isEmpty());
        QCOMPARE(all.at(2).file->size, 0);
        QVERIFY(!all.at(3).file);
        QCOMPARE(store.before(QStringLiteral("general"), 3, 1).constFirst().file->name,
                 QStringLiteral("photo.jpg"));

        QCOMPARE(store.prune(MessageStore::Retention{0, 1}, 3000, 100), 3);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek-files"));
        db.setDatabaseName(dir.filePath(SqliteMessageStore::fileName()));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM files")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        q = QSqlQuery();
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("peek-files"));
    }

    // A store written before files were kept (schema version 1) is brought up to date in place:
    // what it holds is read as before, and files can be stored in it.
    void aVersionOneStoreIsUpgraded()
    {
        QTemporaryDir dir;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(dir.filePath(SqliteMessageStore::fileName()));
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const char *sql :
                 {"CREATE TABLE schema_version (version INTEGER NOT NULL)",
                  "INSERT INTO schema_version VALUES (1)",
                  "CREATE TABLE rooms (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
                  "epoch TEXT NOT NULL, last_seq INTEGER NOT NULL)",
                  "CREATE TABLE messages (room_id INTEGER NOT NULL, seq INTEGER NOT NULL, user TEXT NOT "
                  "NULL, "
                  "user_key TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, msg_id TEXT, "
                  "PRIMARY KEY (room_id, seq)) WITHOUT ROWID",
                  "CREATE INDEX messages_by_time ON messages(ts)",
                  "INSERT INTO rooms VALUES (1, 'general', 'General', 'e-1', 1)",
                  "INSERT INTO messages VALUES (1, 1, 'Ana', 'ana', 'from before', 5, 'm-1')"})
                QVERIFY2(q.exec(QLatin1String(sql)), sql);
            q = QSqlQuery();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        SqliteMessageStore store(dir.path());
        QVERIFY2(store.open(), qPrintable(store.errorString()));
        QCOMPARE(store.room(QStringLiteral("general"))->epoch, QStringLiteral("e-1"));
        MessageStore::Entry file = entry(QStringLiteral("General"), 2, QStringLiteral("x.png"));
        file.roomEpoch = QStringLiteral("e-1");
        file.message.file = Protocol::FileRecord{QStringLiteral("t"), QStringLiteral("x.png"), 7, {}};
        QVERIFY2(store.write({file}), qPrintable(store.errorString()));
        const auto all = store.after(QStringLiteral("general"), 0, 10);
        QCOMPARE(seqs(all), QList<qint64>({1, 2}));
        QCOMPARE(all.at(0).text, QStringLiteral("from before"));
        QVERIFY(!all.at(0).file);
        QCOMPARE(all.at(1).file->size, 7);
        // The time index of versions 1 to 3 is gone: it slowed every insert (schema version 4).
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek-index"));
        db.setDatabaseName(dir.filePath(SqliteMessageStore::fileName()));
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(
                q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'messages_by_time'")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("peek-index"));
    }

    // The id window a restarted server loads (PROTOCOL.md 2, resending): the newest ids over all
    // rooms, newest first, none older than the window and no more than asked, whatever the rooms.
    void theIdWindowIsTheNewestIdsOverAllRooms()
    {
        QTemporaryDir dir;
        SqliteMessageStore store(dir.path());
        QVERIFY(store.open());
        QList<MessageStore::Entry> batch;
        for (int i = 1; i <= 6; ++i) {
            // Quiet: ts 1000 to 1005; Loud: ts 2000 to 2005, every other one without an id.
            batch.append(entry(QStringLiteral("Quiet"), i, QStringLiteral("q"), 999 + i,
                               QStringLiteral("q-%1").arg(i)));
            batch.append(entry(QStringLiteral("Loud"), i, QStringLiteral("l"), 1999 + i,
                               i % 2 ? QStringLiteral("l-%1").arg(i) : QString()));
        }
        QVERIFY(store.write(batch));
        const auto ids = [](const QList<MessageStore::IdRecord> &records) {
            QStringList out;
            for (const auto &r : records)
                out.append(r.id);
            return out;
        };
        QCOMPARE(ids(store.recentIds(1003, 100)), QStringList({"l-5", "l-3", "l-1", "q-6", "q-5", "q-4"}));
        QCOMPARE(ids(store.recentIds(1003, 4)), QStringList({"l-5", "l-3", "l-1", "q-6"}));
        // Trimmed on the way (never twice the answer held): still the newest over all rooms.
        QCOMPARE(ids(store.recentIds(1003, 2)), QStringList({"l-5", "l-3"}));
        QCOMPARE(ids(store.recentIds(1003, 1)), QStringList({"l-5"}));
        QCOMPARE(ids(store.recentIds(2003, 100)), QStringList({"l-5"}));
        QVERIFY(store.recentIds(9000, 100).isEmpty());
        QCOMPARE(store.recentIds(1003, 100).constLast().room, QStringLiteral("Quiet"));
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

    // One call looks at a bounded number of rooms, and the next goes on from there: every room
    // is pruned in turn however many there are.
    void pruneGoesRoundTheRoomsInTurn()
    {
        QTemporaryDir dir;
        SqliteMessageStore store(dir.path());
        QVERIFY(store.open());
        const int rooms = SqliteMessageStore::PruneRooms + 2;
        QList<MessageStore::Entry> batch;
        for (int r = 0; r < rooms; ++r)
            batch.append(entry(QStringLiteral("Room %1").arg(r), 1, QStringLiteral("old"), 1000));
        QVERIFY(store.write(batch));
        const MessageStore::Retention byAge{50000, 0};
        QCOMPARE(store.prune(byAge, 60000, 100000), SqliteMessageStore::PruneRooms);
        QCOMPARE(store.prune(byAge, 60000, 100000), 2);
        QCOMPARE(store.prune(byAge, 60000, 100000), 0);
        for (int r = 0; r < rooms; r += 97)
            QVERIFY(store.after(QStringLiteral("room %1").arg(r), 0, 10).isEmpty());
        QVERIFY(store.after(QStringLiteral("room %1").arg(rooms - 1), 0, 10).isEmpty());
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

// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlitemessagestore.h"
#include "sqlitefile.h"
#include "sqlitestatement.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace {

// A writer checkpoints when idle after this many rows, and at the latest after the second figure,
// so the write-ahead log stays bounded in a burst that never pauses.
constexpr qint64 IdleCheckpointRows = 1000;
constexpr qint64 WalBurstRows = 200000;

// One list of statements per schema version: migrations[v] takes a version-v file to v + 1.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps{
        {
            QStringLiteral("CREATE TABLE rooms ("
                           " id INTEGER PRIMARY KEY,"
                           " key TEXT NOT NULL UNIQUE," // Protocol::nameKey: the identity
                           " name TEXT NOT NULL,"       // as its creator spelled it
                           " epoch TEXT NOT NULL,"
                           " last_seq INTEGER NOT NULL)"), // outlives the messages retention removes
            // Clustered by room and seq, so a page is one range read.
            QStringLiteral("CREATE TABLE messages ("
                           " room_id INTEGER NOT NULL,"
                           " seq INTEGER NOT NULL,"
                           " user TEXT NOT NULL,"
                           " user_key TEXT NOT NULL," // MessageIdStore's scope of msg_id
                           " text TEXT NOT NULL,"
                           " ts INTEGER NOT NULL," // ms since the epoch, UTC
                           " msg_id TEXT,"
                           " PRIMARY KEY (room_id, seq)) WITHOUT ROWID"),
            // Retention by age and the id window read by time.
            QStringLiteral("CREATE INDEX messages_by_time ON messages(ts)"),
        },
        {
            // Files sent to a room (PROTOCOL.md 5.4) beside their message rows: chat messages, nearly
            // all of them, keep their one-statement insert; retention's deletes take the files along.
            QStringLiteral("CREATE TABLE files ("
                           " room_id INTEGER NOT NULL,"
                           " seq INTEGER NOT NULL,"
                           " transfer_id TEXT,"
                           " name TEXT NOT NULL,"
                           " size INTEGER NOT NULL,"
                           " mime_type TEXT,"
                           " PRIMARY KEY (room_id, seq)) WITHOUT ROWID"),
            QStringLiteral("CREATE TRIGGER files_follow_messages AFTER DELETE ON messages BEGIN"
                           " DELETE FROM files WHERE room_id = old.room_id AND seq = old.seq; END"),
        },
        {
            // Replies, edits, deletions, reactions and mentions (PROTOCOL.md 3) as one JSON object
            // (Protocol::encodeConversationFields); NULL for the plain messages most are.
            QStringLiteral("ALTER TABLE messages ADD COLUMN extras TEXT"),
        },
        {
            // A second B-tree to update on every insert cost the fan-out a tenth of its rate, and
            // both readers of time walk a room in seq order instead: retention from the oldest
            // (seqs are given in time order), the id window from the newest.
            QStringLiteral("DROP INDEX messages_by_time"),
        },
    };
    return steps;
}

} // namespace

SqliteMessageStore::SqliteMessageStore(const QString &dataDir)
    : SqliteMessageStore(dataDir, Options{})
{}

SqliteMessageStore::SqliteMessageStore(const QString &dataDir, const Options &options)
    : m_dataDir(dataDir)
    , m_options(options)
{}

SqliteMessageStore::~SqliteMessageStore()
{
    // Queries first: they hold the connection.
    m_insertMessage.reset();
    m_insertFile.reset();
    m_updateMessage.reset();
    m_deleteFile.reset();
    m_findMessage.reset();
    m_insertRoom.reset();
    m_updateRoom.reset();
    m_findRoom.reset();
    m_after.reset();
    m_before.reset();
    if (m_connection.isEmpty())
        return;
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
}

QString SqliteMessageStore::filePath() const
{
    return QDir(m_dataDir).filePath(fileName());
}

bool SqliteMessageStore::fail(const QString &what, const QString &detail)
{
    m_error = detail.isEmpty() ? what : QStringLiteral("%1: %2").arg(what, detail);
    return false;
}

bool SqliteMessageStore::exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    return fail(QStringLiteral("%1").arg(filePath()), query.lastError().text());
}

bool SqliteMessageStore::execText(const QString &statement)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(statement))
        return true;
    return fail(filePath(), q.lastError().text());
}

bool SqliteMessageStore::open()
{
    if (m_open)
        return true;
    const QString path = filePath();
    if (const auto error = SqliteFile::createPrivate(m_dataDir, path))
        return fail(*error, {});
    if (const auto error = SqliteFile::addConnection(QStringLiteral("natter-messages"), path, &m_connection))
        return fail(*error, {});
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(qMax(0, m_options.busyTimeoutMs)));
    if (!db.open())
        return fail(QStringLiteral("cannot open %1").arg(path), db.lastError().text());
    // WAL: a commit is one append to the log, and reads never wait for it. NORMAL: the log is
    // synced at checkpoints, not at every commit; what was committed survives the process dying.
    for (const char *statement : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
        if (!execText(QLatin1String(statement)))
            return false;
    }
    // No handle checkpoints on commit: the loop's must never wait for the disk's sync, the
    // writer's does it in idle(). The last connection to close checkpoints what is left.
    if (!execText(QStringLiteral("PRAGMA wal_autocheckpoint=0")))
        return false;
    if (m_options.maxBytes > 0) {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("PRAGMA page_size")) || !q.next())
            return fail(path, q.lastError().text());
        const qint64 pages = qMax<qint64>(1, m_options.maxBytes / qMax(1, q.value(0).toInt()));
        if (!execText(QStringLiteral("PRAGMA max_page_count=%1").arg(pages)))
            return false;
    }
    if (!migrate() || !prepareStatements())
        return false;
    m_open = true;
    return true;
}

bool SqliteMessageStore::migrate()
{
    static_assert(SchemaVersion == 4, "a new schema version needs its migration");
    if (const auto error = SqliteFile::migrate(QSqlDatabase::database(m_connection, false), migrations(),
                                               QStringLiteral("natter-server")))
        return fail(*error, {});
    return true;
}

bool SqliteMessageStore::prepareStatements()
{
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const auto prepared = [&](std::unique_ptr<QSqlQuery> &query, const char *sql) {
        query = std::make_unique<QSqlQuery>(db);
        if (query->prepare(QLatin1String(sql)))
            return true;
        return fail(QStringLiteral("cannot prepare a statement for %1").arg(filePath()),
                    query->lastError().text());
    };
    m_insertMessage = std::make_unique<SqliteStatement>();
    if (const auto error =
            m_insertMessage->prepare(db, "INSERT INTO messages (room_id, seq, user, user_key, "
                                         "text, ts, msg_id, extras) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))
        return fail(QStringLiteral("cannot prepare a statement for %1").arg(filePath()), *error);
    return prepared(m_updateMessage,
                    "UPDATE messages SET text = ?, extras = ? WHERE room_id = ? AND seq = ?") &&
           prepared(m_deleteFile, "DELETE FROM files WHERE room_id = ? AND seq = ?") &&
           prepared(m_findMessage,
                    "SELECT m.seq, m.user, m.text, m.ts, m.msg_id, f.name, f.size, f.mime_type, "
                    "f.transfer_id, m.extras, m.user_key FROM messages m LEFT JOIN files f ON "
                    "f.room_id = m.room_id AND f.seq = m.seq WHERE m.room_id = ? AND m.seq = ?") &&
           prepared(m_insertRoom, "INSERT INTO rooms (key, name, epoch, last_seq) VALUES (?, ?, ?, 0)") &&
           prepared(m_updateRoom, "UPDATE rooms SET last_seq = ? WHERE id = ? AND last_seq < ?") &&
           prepared(m_findRoom, "SELECT id, name, epoch, last_seq FROM rooms WHERE key = ?") &&
           prepared(m_insertFile, "INSERT INTO files (room_id, seq, transfer_id, name, size, mime_type) "
                                  "VALUES (?, ?, ?, ?, ?, ?)") &&
           prepared(m_after,
                    "SELECT m.seq, m.user, m.text, m.ts, m.msg_id, f.name, f.size, f.mime_type, "
                    "f.transfer_id, m.extras FROM messages m LEFT JOIN files f ON f.room_id = m.room_id AND "
                    "f.seq = m.seq WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?") &&
           prepared(m_before,
                    "SELECT m.seq, m.user, m.text, m.ts, m.msg_id, f.name, f.size, f.mime_type, "
                    "f.transfer_id, m.extras FROM messages m LEFT JOIN files f ON f.room_id = m.room_id AND "
                    "f.seq = m.seq WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?");
}

std::unique_ptr<MessageStore> SqliteMessageStore::openAnother() const
{
    Options options = m_options;
    options.busyTimeoutMs = qMax(options.busyTimeoutMs, 5000); // off the event loop, it may wait
    options.writer = true;
    auto store = std::make_unique<SqliteMessageStore>(m_dataDir, options);
    store->open(); // on failure its writes fail with the reason
    return store;
}

std::optional<MessageStore::RoomRecord> SqliteMessageStore::room(const QString &key)
{
    if (!m_open)
        return std::nullopt;
    m_findRoom->addBindValue(key);
    if (!exec(*m_findRoom) || !m_findRoom->next()) {
        m_findRoom->finish();
        return std::nullopt;
    }
    const qint64 id = m_findRoom->value(0).toLongLong();
    RoomRecord record{m_findRoom->value(1).toString(), m_findRoom->value(2).toString(),
                      m_findRoom->value(3).toLongLong()};
    m_findRoom->finish();
    m_roomIds.insert(key, id);
    m_roomNames.insert(id, record.name);
    return record;
}

std::optional<qint64> SqliteMessageStore::roomId(const QString &key)
{
    if (const auto it = m_roomIds.constFind(key); it != m_roomIds.cend())
        return *it;
    if (room(key))
        return m_roomIds.value(key);
    return std::nullopt;
}

bool SqliteMessageStore::write(const QList<Entry> &entries)
{
    if (!m_open)
        return m_error.isEmpty() ? fail(QStringLiteral("the message store is not open"), {}) : false;
    if (entries.isEmpty())
        return true;
    m_error.clear();
    if (!execText(QStringLiteral("BEGIN IMMEDIATE")))
        return false;
    QHash<qint64, qint64> lastSeqs; // room id -> newest seq of this batch
    QList<QString> created;         // rooms first stored by this batch: forgotten if it fails
    const auto rollback = [&] {
        QSqlQuery(QSqlDatabase::database(m_connection, false)).exec(QStringLiteral("ROLLBACK"));
        for (const QString &key : created)
            m_roomNames.remove(m_roomIds.take(key));
        return false;
    };
    QList<qint64> roomIds; // of each entry
    roomIds.reserve(entries.size());
    for (const Entry &e : entries) {
        std::optional<qint64> id = roomId(e.roomKey);
        if (!id) {
            if (!m_error.isEmpty()) // not a new room: the lookup failed
                return rollback();
            m_insertRoom->addBindValue(e.roomKey);
            m_insertRoom->addBindValue(e.roomName);
            m_insertRoom->addBindValue(e.roomEpoch);
            if (!exec(*m_insertRoom))
                return rollback();
            id = m_insertRoom->lastInsertId().toLongLong();
            m_roomIds.insert(e.roomKey, *id);
            m_roomNames.insert(*id, e.roomName);
            created.append(e.roomKey);
        }
        roomIds.append(*id);
        if (!e.update)
            lastSeqs[*id] = qMax(lastSeqs.value(*id), e.message.seq);
    }
    QList<qsizetype> inserts; // the new messages; the rest change stored ones, in order, after them
    inserts.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (!entries.at(i).update)
            inserts.append(i);
    }
    const auto extras = [](const Protocol::ChatMessage &m) {
        const QByteArray json = Protocol::encodeConversationFields(m);
        return json.isEmpty() ? QVariant() : QVariant(QString::fromUtf8(json));
    };
    for (qsizetype i : inserts) {
        const Protocol::ChatMessage &m = entries.at(i).message;
        const QString extraFields = QString::fromUtf8(Protocol::encodeConversationFields(m));
        m_insertMessage->bind(1, roomIds.at(i));
        m_insertMessage->bind(2, m.seq);
        m_insertMessage->bind(3, m.user);
        m_insertMessage->bind(4, entries.at(i).userKey);
        m_insertMessage->bind(5, m.text);
        m_insertMessage->bind(6, m.timestamp);
        m_insertMessage->bindOrNull(7, m.id);
        m_insertMessage->bindOrNull(8, extraFields);
        if (!m_insertMessage->step()) {
            fail(filePath(), m_insertMessage->errorString());
            return rollback();
        }
    }
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (!entries.at(i).update)
            continue;
        const Protocol::ChatMessage &m = entries.at(i).message;
        m_updateMessage->addBindValue(m.text.isNull() ? QStringLiteral("")
                                                      : m.text); // a tombstone's is empty, not NULL
        m_updateMessage->addBindValue(extras(m));
        m_updateMessage->addBindValue(roomIds.at(i));
        m_updateMessage->addBindValue(m.seq);
        if (!exec(*m_updateMessage))
            return rollback();
        if (m.deleted > 0) { // a tombstone keeps no file either
            m_deleteFile->addBindValue(roomIds.at(i));
            m_deleteFile->addBindValue(m.seq);
            if (!exec(*m_deleteFile))
                return rollback();
        }
    }
    for (qsizetype i : inserts) {
        const auto &file = entries.at(i).message.file;
        if (!file)
            continue;
        m_insertFile->addBindValue(roomIds.at(i));
        m_insertFile->addBindValue(entries.at(i).message.seq);
        m_insertFile->addBindValue(file->transferId.isEmpty() ? QVariant() : QVariant(file->transferId));
        m_insertFile->addBindValue(file->name);
        m_insertFile->addBindValue(file->size);
        m_insertFile->addBindValue(file->mimeType.isEmpty() ? QVariant() : QVariant(file->mimeType));
        if (!exec(*m_insertFile))
            return rollback();
    }
    for (auto it = lastSeqs.cbegin(); it != lastSeqs.cend(); ++it) {
        m_updateRoom->addBindValue(it.value());
        m_updateRoom->addBindValue(it.key());
        m_updateRoom->addBindValue(it.value());
        if (!exec(*m_updateRoom))
            return rollback();
    }
    if (!execText(QStringLiteral("COMMIT")))
        return rollback();
    m_rowsSinceCheckpoint += entries.size();
    if (m_options.writer && m_rowsSinceCheckpoint >= WalBurstRows)
        idle();
    return true;
}

void SqliteMessageStore::idle()
{
    if (!m_open || !m_options.writer || m_rowsSinceCheckpoint < IdleCheckpointRows)
        return;
    m_rowsSinceCheckpoint = 0;
    // PASSIVE: readers and the loop's handle go on meanwhile; what it cannot move now, it moves next time.
    execText(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
}

QList<Protocol::ChatMessage> SqliteMessageStore::readMessages(QSqlQuery &query, const QString &roomName,
                                                              QStringList *userKeys)
{
    QList<Protocol::ChatMessage> out;
    if (!exec(query))
        return out;
    while (query.next()) {
        out.append({query.value(1).toString(), query.value(2).toString(), query.value(3).toLongLong(),
                    query.value(4).toString(), query.value(0).toLongLong(), roomName});
        if (!query.isNull(5)) {
            out.last().file = Protocol::FileRecord{query.value(8).toString(), query.value(5).toString(),
                                                   query.value(6).toLongLong(), query.value(7).toString()};
        }
        if (!query.isNull(9))
            Protocol::decodeConversationFields(query.value(9).toString(), &out.last());
        if (userKeys)
            userKeys->append(query.value(10).toString());
    }
    query.finish();
    return out;
}

std::optional<MessageStore::Stored> SqliteMessageStore::message(const QString &key, qint64 seq)
{
    const std::optional<qint64> id = roomId(key);
    if (!id)
        return std::nullopt;
    m_findMessage->addBindValue(*id);
    m_findMessage->addBindValue(seq);
    QStringList authors;
    const QList<Protocol::ChatMessage> found = readMessages(*m_findMessage, m_roomNames.value(*id), &authors);
    if (found.isEmpty())
        return std::nullopt;
    return Stored{found.constFirst(), authors.constFirst()};
}

QList<Protocol::ChatMessage> SqliteMessageStore::after(const QString &key, qint64 since, int limit)
{
    const std::optional<qint64> id = m_open ? roomId(key) : std::nullopt;
    if (!id || limit <= 0)
        return {};
    m_after->addBindValue(*id);
    m_after->addBindValue(since);
    m_after->addBindValue(limit);
    return readMessages(*m_after, m_roomNames.value(*id));
}

QList<Protocol::ChatMessage> SqliteMessageStore::before(const QString &key, qint64 before, int limit)
{
    const std::optional<qint64> id = m_open ? roomId(key) : std::nullopt;
    if (!id || limit <= 0)
        return {};
    m_before->addBindValue(*id);
    m_before->addBindValue(before);
    m_before->addBindValue(limit);
    QList<Protocol::ChatMessage> out = readMessages(*m_before, m_roomNames.value(*id));
    std::reverse(out.begin(), out.end());
    return out;
}

int SqliteMessageStore::prune(const Retention &retention, qint64 nowMs, int limit)
{
    if (!m_open || !retention.isSet() || limit <= 0)
        return 0;
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!execText(QStringLiteral("BEGIN IMMEDIATE")))
        return -1;
    const auto rollback = [&] {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return -1;
    };
    int removed = 0;
    QSqlQuery q(db);
    // At most PruneRooms rooms a call, from where the last call stopped (round robin): a
    // sweep's write transaction stays short however many rooms the store holds.
    QSqlQuery rooms(db);
    rooms.prepare(QStringLiteral("SELECT id, last_seq FROM rooms WHERE id >= ? ORDER BY id LIMIT ?"));
    rooms.addBindValue(m_pruneCursor);
    rooms.addBindValue(PruneRooms);
    if (!exec(rooms))
        return rollback();
    QList<std::pair<qint64, qint64>> roomSeqs; // (id, last seq)
    while (rooms.next())
        roomSeqs.append({rooms.value(0).toLongLong(), rooms.value(1).toLongLong()});
    rooms.finish();
    qint64 reached = roomSeqs.isEmpty() ? 0 : roomSeqs.constLast().first + 1; // where the next call starts
    if (roomSeqs.size() < PruneRooms)
        reached = 0; // the end: start over
    const auto stopAt = [&](qint64 roomId) {
        reached = roomId;
    }; // `limit` ran out in this room
    // A window of n seqs from a room's oldest holds at most n rows (seqs are unique per room), so
    // each statement reads and removes a bounded range of the primary key, oldest first.
    if (retention.maxAgeMs > 0) {
        q.prepare(QStringLiteral("DELETE FROM messages WHERE room_id = ? AND ts < ? AND seq < "
                                 "(SELECT MIN(seq) FROM messages WHERE room_id = ?) + ?"));
        for (qsizetype i = 0; i < roomSeqs.size() && removed < limit; ++i) {
            q.addBindValue(roomSeqs.at(i).first);
            q.addBindValue(nowMs - retention.maxAgeMs);
            q.addBindValue(roomSeqs.at(i).first);
            q.addBindValue(limit - removed);
            if (!exec(q))
                return rollback();
            removed += q.numRowsAffected();
            if (removed >= limit)
                stopAt(roomSeqs.at(i).first);
        }
    }
    if (retention.maxMessages > 0 && removed < limit) {
        q.prepare(QStringLiteral("DELETE FROM messages WHERE room_id = ? AND seq <= ? AND seq < "
                                 "(SELECT MIN(seq) FROM messages WHERE room_id = ?) + ?"));
        for (qsizetype i = 0; i < roomSeqs.size() && removed < limit; ++i) {
            const auto [id, lastSeq] = roomSeqs.at(i);
            if (lastSeq <= retention.maxMessages)
                continue;
            q.addBindValue(id);
            q.addBindValue(lastSeq - retention.maxMessages);
            q.addBindValue(id);
            q.addBindValue(limit - removed);
            if (!exec(q))
                return rollback();
            removed += q.numRowsAffected();
            if (removed >= limit)
                stopAt(id);
        }
    }
    if (!execText(QStringLiteral("COMMIT")))
        return rollback();
    m_pruneCursor = reached;
    return removed;
}

QList<MessageStore::IdRecord> SqliteMessageStore::recentIds(qint64 sinceMs, int limit)
{
    QList<IdRecord> out;
    if (!m_open || limit <= 0)
        return out;
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery rooms(db);
    if (!rooms.exec(QStringLiteral("SELECT id, name FROM rooms"))) {
        fail(filePath(), rooms.lastError().text());
        return out;
    }
    // Each room from its newest message back to the first one older than the window: the scan
    // stops there rather than reading the room's whole history.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT user_key, msg_id, seq, ts FROM messages WHERE room_id = ? "
                             "ORDER BY seq DESC"));
    const auto newestFirst = [](const IdRecord &a, const IdRecord &b) {
        return a.timestamp > b.timestamp;
    };
    while (rooms.next()) {
        q.addBindValue(rooms.value(0).toLongLong());
        if (!exec(q))
            return {};
        const QString name = rooms.value(1).toString();
        for (int seen = 0; seen < limit && q.next();) {
            const qint64 ts = q.value(3).toLongLong();
            if (ts < sinceMs)
                break;
            if (q.value(1).isNull())
                continue;
            out.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(), name, ts});
            ++seen;
        }
        q.finish();
        // Never more than twice the answer in memory: keep the newest `limit`, and the rooms
        // still to read stop at the oldest of those.
        if (out.size() >= 2 * qsizetype(limit)) {
            std::nth_element(out.begin(), out.begin() + (limit - 1), out.end(), newestFirst);
            out.resize(limit);
            sinceMs = std::max(sinceMs, out.at(limit - 1).timestamp);
        }
    }
    // The newest `limit` over all rooms, newest first, as before.
    std::sort(out.begin(), out.end(), newestFirst);
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagecache.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <algorithm>
#include <atomic>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace {
constexpr int SchemaVersion = 2;
constexpr int MaxReadLimit = 10000;
// SQLite's result codes for "this file is not a database" and "it is damaged".
const QStringList kUnusableCodes{QStringLiteral("11"), QStringLiteral("26")};

// A message's rowid is its time in ms, or the next free one after it: rowid order is time order, so a
// full-text query walks its matches newest first and stops at the limit, and pruning by age or by size is a
// range at the start of the table, with no index on the time.
constexpr int IdWindow = 1024;
constexpr qint64 MaxIdTime = (qint64(1) << 62) - 1;
qint64 idBase(qint64 timestamp)
{
    return qBound<qint64>(0, timestamp, MaxIdTime);
}

// The schema. `grams` holds the CJK bigrams of `text` (see shortGrams()); both FTS tables are
// external-content tables over `messages`, kept in sync by the triggers, so a message is written
// once and every path that deletes one (epoch change, pruning) keeps the indexes right.
const char *const kSchema[] = {
    "CREATE TABLE rooms(id INTEGER PRIMARY KEY, server TEXT NOT NULL, name TEXT NOT NULL, "
    "epoch TEXT NOT NULL DEFAULT '', UNIQUE(server, name))",
    "CREATE TABLE messages(id INTEGER PRIMARY KEY, room INTEGER NOT NULL, seq INTEGER NOT NULL, "
    "user TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, msgid TEXT NOT NULL DEFAULT '', "
    "grams TEXT NOT NULL DEFAULT '', extras TEXT NOT NULL DEFAULT '', UNIQUE(room, seq))",
    "CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE VIRTUAL TABLE messages_short USING fts5(grams, content='messages', content_rowid='id', "
    "tokenize='unicode61', detail='none')",
    "CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN "
    "INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text); "
    "INSERT INTO messages_short(rowid, grams) SELECT new.id, new.grams WHERE new.grams <> ''; END",
    "CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO messages_short(messages_short, rowid, grams) "
    "SELECT 'delete', old.id, old.grams WHERE old.grams <> ''; END",
    "CREATE TRIGGER messages_au AFTER UPDATE OF text, grams ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO messages_short(messages_short, rowid, grams) "
    "SELECT 'delete', old.id, old.grams WHERE old.grams <> ''; "
    "INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text); "
    "INSERT INTO messages_short(rowid, grams) SELECT new.id, new.grams WHERE new.grams <> ''; END",
};

// Scripts written without spaces between words, whose common words are one or two characters.
bool isCjk(char16_t c)
{
    return (c >= 0x3040 && c <= 0x30FF)     // Hiragana, Katakana
           || (c >= 0x3400 && c <= 0x4DBF)  // CJK extension A
           || (c >= 0x4E00 && c <= 0x9FFF)  // CJK unified ideographs
           || (c >= 0xAC00 && c <= 0xD7AF)  // Hangul syllables
           || (c >= 0xF900 && c <= 0xFAFF)  // CJK compatibility ideographs
           || (c >= 0xFF66 && c <= 0xFF9D); // half-width Katakana
}

bool allCjk(const QString &word)
{
    return !word.isEmpty() &&
           std::all_of(word.begin(), word.end(), [](QChar c) { return isCjk(c.unicode()); });
}

// The trigram index cannot answer a query of one or two characters. For CJK text, where such
// queries are whole words (天气, 東京), every run of CJK characters is also indexed as its
// bigrams plus its last character: a two-character query is one token, a one-character query a
// prefix query. Latin text is not: a one- or two-letter Latin "word" is rarely a search.
QString shortGrams(const QString &text)
{
    QString grams;
    qsizetype runStart = -1;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const bool cjk = i < text.size() && isCjk(text.at(i).unicode());
        if (cjk && runStart < 0)
            runStart = i;
        if (cjk || runStart < 0)
            continue;
        for (qsizetype j = runStart; j + 1 < i; ++j) {
            grams += text.mid(j, 2);
            grams += QLatin1Char(' ');
        }
        grams += text.at(i - 1);
        grams += QLatin1Char(' ');
        runStart = -1;
    }
    grams.chop(1);
    return grams;
}

// Qt binds a null QString as NULL: the columns are NOT NULL, an absent field is ''.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QString quoted(QString word)
{
    return QLatin1Char('"') + word.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
}

QString likePattern(QString word)
{
    word.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    word.replace(QLatin1Char('%'), QLatin1String("\\%"));
    word.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + word + QLatin1Char('%');
}

qsizetype codePoints(const QString &s)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (!s.at(i).isLowSurrogate())
            ++n;
    }
    return n;
}

Protocol::ChatMessage messageFrom(const QSqlQuery &q, const QString &room)
{
    Protocol::ChatMessage m;
    m.seq = q.value(0).toLongLong();
    m.user = q.value(1).toString();
    m.text = q.value(2).toString();
    m.timestamp = q.value(3).toLongLong();
    m.id = q.value(4).toString();
    m.room = room;
    // A file sent to the room, a reply, an edit, reactions (PROTOCOL.md 3 and 5.4).
    const QString extras = q.value(5).toString();
    if (!extras.isEmpty())
        Protocol::decodeConversationFields(extras, &m);
    return m;
}

const QString kColumns = QStringLiteral("seq, user, text, ts, msgid, extras");
} // namespace

MessageCache::MessageCache(QObject *parent)
    : QObject(parent)
{
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setInterval(0);
    connect(&m_commitTimer, &QTimer::timeout, this, &MessageCache::flush);
}

MessageCache::~MessageCache()
{
    close();
}

QString MessageCache::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/cache.sqlite");
}

QString MessageCache::serverKey(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    const bool secure = scheme == QLatin1String("wss") || scheme == QLatin1String("https");
    const int port = url.port(secure ? 443 : 80);
    QString path = url.path();
    if (path.isEmpty())
        path = QStringLiteral("/");
    return QStringLiteral("%1://%2:%3%4").arg(scheme, url.host().toLower()).arg(port).arg(path);
}

bool MessageCache::exec(const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(sql))
        return true;
    m_error = q.lastError().text();
    return false;
}

bool MessageCache::open(const QString &path)
{
    close();
    m_error.clear();
    if (openFile(path))
        return true;
    const QString nativeCode = m_error.section(QLatin1Char('\x1f'), 1);
    m_error = m_error.section(QLatin1Char('\x1f'), 0, 0);
    close();
    if (!kUnusableCodes.contains(nativeCode) || !QFileInfo::exists(path))
        return false;
    // Only a cache: keep the damaged file for whoever wants to look at it, and start afresh.
    const QString aside = path + QStringLiteral(".corrupt-") +
                          QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"));
    if (!QFile::rename(path, aside))
        return false;
    QFile::rename(path + QStringLiteral("-wal"), aside + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    emit warning(tr("The message cache %1 was not usable (%2); it was moved to %3 and a new one started")
                     .arg(path, m_error, aside));
    m_error.clear();
    if (openFile(path))
        return true;
    m_error = m_error.section(QLatin1Char('\x1f'), 0, 0);
    close();
    return false;
}

// On failure m_error is "text\x1fnativeCode", so that open() can tell damage from other trouble.
bool MessageCache::openFile(const QString &path)
{
    auto fail = [this](const QString &text, const QString &code = {}) {
        m_error = text + QLatin1Char('\x1f') + code;
        return false;
    };
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo(dir).isDir()) {
        if (!QDir().mkpath(dir))
            return fail(tr("cannot create the directory %1").arg(dir));
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    // Created 0600 before SQLite sees it (it would use the umask); -wal and -shm follow its mode.
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
        return fail(tr("cannot create %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    if (fd >= 0)
        ::close(fd);
    else
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);

    static std::atomic<int> connections{0};
    m_connection = QStringLiteral("natter-cache-%1").arg(++connections);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!db.isValid())
        return fail(tr("Qt's SQLite driver (QSQLITE) is not installed"));
    db.setDatabaseName(path);
    // Another process (natter-cli next to the app) may be writing: wait for it, briefly.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return fail(db.lastError().text(), db.lastError().nativeErrorCode());
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return fail(q.lastError().text(), q.lastError().nativeErrorCode());
    const int version = q.value(0).toInt();
    q.finish();
    if (version > SchemaVersion)
        return fail(tr("written by a newer Natter (schema %1)").arg(version), QStringLiteral("26"));
    if (version == 0) {
        // Before the first table: only then can auto_vacuum be chosen. Incremental, so pruning
        // gives pages back to the file system without a full VACUUM.
        if (!exec(QStringLiteral("PRAGMA auto_vacuum=INCREMENTAL")))
            return fail(m_error);
    }
    // WAL: readers never wait for the writer; NORMAL: a commit is not synced until checkpoint,
    // which is plenty for a cache (a crash loses at most the last moments, never the file).
    for (const char *statement : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
        if (!q.exec(QLatin1String(statement)))
            return fail(q.lastError().text(), q.lastError().nativeErrorCode());
        q.finish();
    }
    if (version == 0 && !createSchema())
        return fail(m_error, QStringLiteral("26"));
    if (version == 1) { // before files and conversation fields were kept
        if (!exec(QStringLiteral("ALTER TABLE messages ADD COLUMN extras TEXT NOT NULL DEFAULT ''")) ||
            !exec(QStringLiteral("PRAGMA user_version=%1").arg(SchemaVersion)))
            return fail(m_error, QStringLiteral("26"));
    }
    // A quick look that the tables are what they should be (a damaged file fails here).
    if (!q.exec(QStringLiteral("SELECT count(*) FROM rooms")) || !q.next())
        return fail(q.lastError().text(), QStringLiteral("26"));
    q.finish();
    m_path = path;
    return true;
}

bool MessageCache::createSchema()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        m_error = db.lastError().text();
        return false;
    }
    for (const char *statement : kSchema) {
        if (!exec(QLatin1String(statement))) {
            db.rollback();
            return false;
        }
    }
    if (!exec(QStringLiteral("PRAGMA user_version=%1").arg(SchemaVersion)) || !db.commit()) {
        db.rollback();
        return false;
    }
    return true;
}

bool MessageCache::isOpen() const
{
    return !m_path.isEmpty();
}

QString MessageCache::path() const
{
    return m_path;
}

QString MessageCache::errorString() const
{
    return m_error;
}

void MessageCache::close()
{
    if (isOpen())
        flush();
    m_commitTimer.stop();
    m_pending.clear();
    m_path.clear();
    if (m_connection.isEmpty())
        return;
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

void MessageCache::setLimits(const Limits &limits)
{
    m_limits = limits;
    prune();
}

MessageCache::Limits MessageCache::limits() const
{
    return m_limits;
}

void MessageCache::addMessages(const QString &server, const QString &room, const QString &epoch,
                               const QList<Protocol::ChatMessage> &messages)
{
    if (!isOpen() || room.isEmpty())
        return;
    Pending p{server, room, epoch, {}};
    p.messages.reserve(messages.size());
    for (const Protocol::ChatMessage &m : messages) {
        if (m.seq > 0)
            p.messages.append(m);
    }
    m_pending.append(p);
    if (!m_commitTimer.isActive())
        m_commitTimer.start();
}

void MessageCache::flush()
{
    m_commitTimer.stop();
    if (m_pending.isEmpty())
        return;
    if (!isOpen()) {
        m_pending.clear();
        return;
    }
    commitPending();
    applyLimits();
}

void MessageCache::flushForRead() const
{
    if (!m_pending.isEmpty())
        const_cast<MessageCache *>(this)->flush();
}

void MessageCache::commitPending()
{
    const QList<Pending> pending = std::exchange(m_pending, {});
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        emit warning(tr("Cannot write the message cache: %1").arg(db.lastError().text()));
        return;
    }
    QSqlQuery findRoom(db), insertRoom(db), setEpoch(db), dropMessages(db), upsert(db), freeId(db);
    freeId.prepare(QStringLiteral("SELECT max(id) FROM messages WHERE id BETWEEN ? AND ?"));
    findRoom.prepare(QStringLiteral("SELECT id, epoch FROM rooms WHERE server = ? AND name = ?"));
    insertRoom.prepare(QStringLiteral("INSERT INTO rooms(server, name, epoch) VALUES (?, ?, ?)"));
    setEpoch.prepare(QStringLiteral("UPDATE rooms SET epoch = ? WHERE id = ?"));
    dropMessages.prepare(QStringLiteral("DELETE FROM messages WHERE room = ?"));
    // A duplicate replaces the row in place (an upsert, not REPLACE: REPLACE's implicit delete
    // would not fire the triggers that keep the full-text indexes in step).
    upsert.prepare(QStringLiteral(
        "INSERT INTO messages(id, room, seq, user, text, ts, msgid, grams, extras) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(room, seq) DO UPDATE SET user = excluded.user, text = excluded.text, ts = excluded.ts, "
        "msgid = excluded.msgid, grams = excluded.grams, extras = excluded.extras"));
    QString problem;
    for (const Pending &p : pending) {
        qint64 id = 0;
        findRoom.addBindValue(text(p.server));
        findRoom.addBindValue(text(p.room));
        if (!findRoom.exec()) {
            problem = findRoom.lastError().text();
            break;
        }
        if (findRoom.next()) {
            id = findRoom.value(0).toLongLong();
            if (findRoom.value(1).toString() != p.epoch) {
                // Another life of the room: the cached seqs mean nothing any more.
                dropMessages.addBindValue(id);
                setEpoch.addBindValue(text(p.epoch));
                setEpoch.addBindValue(id);
                if (!dropMessages.exec() || !setEpoch.exec()) {
                    problem = dropMessages.lastError().text() + setEpoch.lastError().text();
                    break;
                }
            }
        } else {
            insertRoom.addBindValue(text(p.server));
            insertRoom.addBindValue(text(p.room));
            insertRoom.addBindValue(text(p.epoch));
            if (!insertRoom.exec()) {
                problem = insertRoom.lastError().text();
                break;
            }
            id = insertRoom.lastInsertId().toLongLong();
        }
        findRoom.finish();
        for (const Protocol::ChatMessage &m : p.messages) {
            const qint64 base = idBase(m.timestamp);
            freeId.addBindValue(base);
            freeId.addBindValue(base + IdWindow - 1);
            if (!freeId.exec() || !freeId.next()) {
                problem = freeId.lastError().text();
                break;
            }
            qint64 rowId = freeId.value(0).isNull() ? base : freeId.value(0).toLongLong() + 1;
            freeId.finish();
            if (rowId >= base + IdWindow) {
                // 1024 messages in one millisecond (a hostile server): still unique, a little out of order.
                QSqlQuery last(db);
                if (!last.exec(QStringLiteral("SELECT max(id) FROM messages")) || !last.next()) {
                    problem = last.lastError().text();
                    break;
                }
                rowId = last.value(0).toLongLong() + 1;
            }
            upsert.addBindValue(rowId);
            upsert.addBindValue(id);
            upsert.addBindValue(m.seq);
            upsert.addBindValue(text(m.user));
            upsert.addBindValue(text(m.text));
            upsert.addBindValue(m.timestamp);
            upsert.addBindValue(text(m.id));
            upsert.addBindValue(text(shortGrams(m.text)));
            upsert.addBindValue(text(QString::fromUtf8(Protocol::encodeConversationFields(m, true))));
            if (!upsert.exec()) {
                problem = upsert.lastError().text();
                break;
            }
        }
        if (!problem.isEmpty())
            break;
    }
    if (problem.isEmpty() && db.commit())
        return;
    if (problem.isEmpty())
        problem = db.lastError().text();
    db.rollback();
    emit warning(tr("Cannot write the message cache: %1").arg(problem));
}

void MessageCache::prune()
{
    flush();
    applyLimits();
}

// Cheap when nothing is due: the oldest time is the first rowid, the size two pragmas.
void MessageCache::applyLimits()
{
    if (!isOpen())
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    bool pruned = false;
    if (m_limits.maxAgeDays > 0) {
        const qint64 cutoff = Protocol::nowMs() - qint64(m_limits.maxAgeDays) * 24 * 3600 * 1000;
        if (q.exec(QStringLiteral("SELECT min(id) FROM messages")) && q.next() && !q.value(0).isNull() &&
            q.value(0).toLongLong() < idBase(cutoff)) {
            q.finish();
            q.prepare(QStringLiteral("DELETE FROM messages WHERE id < ?"));
            q.addBindValue(idBase(cutoff));
            pruned = q.exec();
        }
        q.finish();
    }
    if (m_limits.maxBytes > 0) {
        // Down to 90% of the limit, so that the next commits do not each prune a little.
        const qint64 target = m_limits.maxBytes / 10 * 9;
        for (int round = 0; round < 64 && sizeBytes() > m_limits.maxBytes; ++round) {
            if (!q.exec(QStringLiteral("SELECT count(*) FROM messages")) || !q.next())
                break;
            const qint64 rows = q.value(0).toLongLong();
            q.finish();
            if (rows == 0)
                break;
            const qint64 size = sizeBytes();
            const qint64 drop = qMax<qint64>(16, rows * (size - target) / qMax<qint64>(1, size));
            q.prepare(QStringLiteral(
                "DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT ?)"));
            q.addBindValue(drop);
            if (!q.exec())
                break;
            q.finish();
            shrink();
            pruned = true;
        }
    }
    if (pruned)
        shrink();
}

// Gives free pages back to the file system. Qt steps a statement once, and one step of
// incremental_vacuum frees one page: so step it until the free list is empty.
void MessageCache::shrink()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery vacuum(db), freePages(db);
    vacuum.prepare(QStringLiteral("PRAGMA incremental_vacuum"));
    for (;;) {
        if (!freePages.exec(QStringLiteral("PRAGMA freelist_count")) || !freePages.next())
            return;
        const qint64 free = freePages.value(0).toLongLong();
        freePages.finish();
        if (free == 0)
            return;
        for (qint64 i = 0; i < free; ++i) {
            if (!vacuum.exec())
                return;
            vacuum.finish();
        }
    }
}

qint64 MessageCache::sizeBytes() const
{
    if (!isOpen())
        return 0;
    flushForRead();
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    qint64 pages = 0;
    if (q.exec(QStringLiteral("PRAGMA page_count")) && q.next())
        pages = q.value(0).toLongLong();
    q.finish();
    if (q.exec(QStringLiteral("PRAGMA page_size")) && q.next())
        return pages * q.value(0).toLongLong();
    return 0;
}

void MessageCache::clear()
{
    m_pending.clear();
    m_commitTimer.stop();
    if (isOpen()) {
        // Dropping the tables is far quicker than deleting a million rows through the triggers.
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        bool ok = db.transaction();
        for (const char *table : {"messages_fts", "messages_short", "messages", "rooms"})
            ok = ok && exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(QLatin1String(table)));
        ok = ok && exec(QStringLiteral("PRAGMA user_version=0"));
        if (ok && db.commit()) {
            createSchema();
            // What was deleted must not linger in free pages or in the log.
            exec(QStringLiteral("VACUUM"));
            exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        } else {
            db.rollback();
            emit warning(tr("Cannot clear the message cache: %1").arg(m_error));
            return;
        }
    }
    emit cleared();
}

qint64 MessageCache::roomId(const QString &server, const QString &room) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id FROM rooms WHERE server = ? AND name = ?"));
    q.addBindValue(text(server));
    q.addBindValue(text(room));
    if (q.exec() && q.next())
        return q.value(0).toLongLong();
    return 0;
}

QList<Protocol::ChatMessage> MessageCache::select(const QString &where, const QVariantList &values,
                                                  const QString &room) const
{
    QList<Protocol::ChatMessage> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE %2").arg(kColumns, where));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(messageFrom(q, room));
    return out;
}

MessageCache::RoomSummary MessageCache::summaryOf(qint64 id, const QString &room, const QString &epoch) const
{
    RoomSummary s;
    s.room = room;
    s.epoch = epoch;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT count(*), min(seq), max(seq) FROM messages WHERE room = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next() || q.value(0).toInt() == 0)
        return s;
    s.count = q.value(0).toInt();
    const qint64 first = q.value(1).toLongLong();
    s.lastSeq = q.value(2).toLongLong();
    q.finish();
    const auto last = select(QStringLiteral("room = ? AND seq = ?"), {id, s.lastSeq}, room);
    if (!last.isEmpty())
        s.last = last.constFirst();
    if (s.lastSeq - first + 1 == s.count) {
        s.lastContiguousSeq = s.lastSeq;
        return s;
    }
    // A gap: the first seq whose successor is missing ends the run from the oldest.
    q.prepare(QStringLiteral("SELECT seq FROM messages m WHERE room = ? AND NOT EXISTS "
                             "(SELECT 1 FROM messages n WHERE n.room = m.room AND n.seq = m.seq + 1) "
                             "ORDER BY seq LIMIT 1"));
    q.addBindValue(id);
    if (q.exec() && q.next())
        s.lastContiguousSeq = q.value(0).toLongLong();
    return s;
}

QList<MessageCache::RoomSummary> MessageCache::rooms(const QString &server) const
{
    QList<RoomSummary> out;
    if (!isOpen())
        return out;
    flushForRead();
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, name, epoch FROM rooms WHERE server = ?"));
    q.addBindValue(text(server));
    if (!q.exec())
        return out;
    while (q.next())
        out.append(summaryOf(q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()));
    std::stable_sort(out.begin(), out.end(), [](const RoomSummary &a, const RoomSummary &b) {
        if (a.count == 0 || b.count == 0)
            return a.count > b.count;
        return a.last.timestamp > b.last.timestamp;
    });
    return out;
}

MessageCache::RoomSummary MessageCache::room(const QString &server, const QString &room) const
{
    if (!isOpen())
        return {room, {}, 0, 0, {}, 0};
    flushForRead();
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, epoch FROM rooms WHERE server = ? AND name = ?"));
    q.addBindValue(text(server));
    q.addBindValue(text(room));
    if (!q.exec() || !q.next())
        return {room, {}, 0, 0, {}, 0};
    return summaryOf(q.value(0).toLongLong(), room, q.value(1).toString());
}

QList<Protocol::ChatMessage> MessageCache::latest(const QString &server, const QString &room, int limit) const
{
    if (!isOpen() || limit <= 0)
        return {};
    flushForRead();
    const qint64 id = roomId(server, room);
    if (id == 0)
        return {};
    auto out =
        select(QStringLiteral("room = ? ORDER BY seq DESC LIMIT ?"), {id, qMin(limit, MaxReadLimit)}, room);
    std::reverse(out.begin(), out.end());
    return out;
}

QList<Protocol::ChatMessage> MessageCache::before(const QString &server, const QString &room, qint64 seq,
                                                  int limit) const
{
    if (!isOpen() || limit <= 0 || seq <= 1)
        return {};
    flushForRead();
    const qint64 id = roomId(server, room);
    if (id == 0)
        return {};
    limit = qMin(limit, MaxReadLimit);
    const auto rows = select(QStringLiteral("room = ? AND seq < ? AND seq >= ? ORDER BY seq DESC"),
                             {id, seq, seq - limit}, room);
    QList<Protocol::ChatMessage> out;
    for (const Protocol::ChatMessage &m : rows) {
        if (m.seq != seq - 1 - out.size())
            break;
        out.append(m);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

QList<Protocol::ChatMessage> MessageCache::around(const QString &server, const QString &room, qint64 seq,
                                                  int count) const
{
    if (!isOpen() || count < 0)
        return {};
    flushForRead();
    const qint64 id = roomId(server, room);
    if (id == 0)
        return {};
    count = qMin(count, MaxReadLimit);
    auto out =
        select(QStringLiteral("room = ? AND seq <= ? ORDER BY seq DESC LIMIT ?"), {id, seq, count + 1}, room);
    std::reverse(out.begin(), out.end());
    out += select(QStringLiteral("room = ? AND seq > ? ORDER BY seq LIMIT ?"), {id, seq, count}, room);
    return out;
}

QList<MessageCache::Hit> MessageCache::search(const QString &server, const QString &query, int limit) const
{
    QList<Hit> hits;
    const QStringList words = query.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (!isOpen() || words.isEmpty() || limit <= 0)
        return hits;
    flushForRead();
    // One index drives the query, newest match first (rowid order is time order), and the query
    // stops at `limit`: the trigram index when a word has three characters or more (all of those
    // words go into its MATCH), else the CJK bigram index for a one- or two-character CJK word,
    // else the table itself. Every other word is checked on the rows the index brings.
    QStringList trigram, bigram;
    QVariantList values;
    QStringList rest;
    for (const QString &w : words) {
        if (codePoints(w) >= 3)
            trigram.append(quoted(w));
        else if (allCjk(w) && bigram.isEmpty())
            bigram.append(w);
        else
            rest.append(w);
    }
    if (!trigram.isEmpty() && !bigram.isEmpty())
        rest.append(bigram.takeFirst());
    if (!bigram.isEmpty() && bigram.constFirst().size() == 1)
        bigram.first() = quoted(bigram.constFirst()) + QLatin1Char('*');
    else if (!bigram.isEmpty())
        bigram.first() = quoted(bigram.constFirst());
    QString sql = QStringLiteral("SELECT m.seq, m.user, m.text, m.ts, m.msgid, m.extras, r.name FROM ");
    if (!trigram.isEmpty() || !bigram.isEmpty()) {
        const QString table =
            trigram.isEmpty() ? QStringLiteral("messages_short") : QStringLiteral("messages_fts");
        // CROSS JOIN keeps the index as the outer loop, so its rowid order needs no sort.
        sql +=
            QStringLiteral("%1 f CROSS JOIN messages m ON m.id = f.rowid CROSS JOIN rooms r ON r.id = m.room "
                           "WHERE f.%1 MATCH ? AND r.server = ?")
                .arg(table);
        values.append(trigram.isEmpty() ? bigram.constFirst() : trigram.join(QLatin1String(" AND ")));
    } else {
        // No index knows one or two Latin letters: look through the newest messages only, so a
        // query typed letter by letter stays quick however large the cache (a match further back
        // needs a longer word).
        sql += QStringLiteral("messages m CROSS JOIN rooms r ON r.id = m.room WHERE r.server = ?");
        QSqlQuery edge(QSqlDatabase::database(m_connection, false));
        edge.prepare(QStringLiteral("SELECT id FROM messages ORDER BY id DESC LIMIT 1 OFFSET ?"));
        edge.addBindValue(qMax(0, m_unindexedScan - 1));
        if (edge.exec() && edge.next()) {
            sql += QStringLiteral(" AND m.id >= %1").arg(edge.value(0).toLongLong());
        }
    }
    values.append(text(server));
    for (const QString &w : rest) {
        sql += QStringLiteral(" AND m.text LIKE ? ESCAPE '\\'");
        values.append(likePattern(w));
    }
    sql += trigram.isEmpty() && bigram.isEmpty() ? QStringLiteral(" ORDER BY m.id DESC LIMIT ?")
                                                 : QStringLiteral(" ORDER BY f.rowid DESC LIMIT ?");
    values.append(qMin(limit, MaxReadLimit));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return hits;
    while (q.next()) {
        Hit hit;
        hit.message = messageFrom(q, q.value(6).toString());
        const QString &text = hit.message.text;
        for (const QString &w : words) {
            for (qsizetype at = text.indexOf(w, 0, Qt::CaseInsensitive); at >= 0;
                 at = text.indexOf(w, at + w.size(), Qt::CaseInsensitive))
                hit.matches.append({int(at), int(w.size())});
        }
        std::sort(hit.matches.begin(), hit.matches.end());
        hits.append(hit);
    }
    return hits;
}

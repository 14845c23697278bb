// SPDX-License-Identifier: GPL-3.0-or-later
#include "userstore.h"
#include "protocol.h"
#include "sqlitefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace {

// One list of statements per schema version: migrations[v] takes a version-v file to v + 1.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps{
        {
            QStringLiteral("CREATE TABLE users ("
                           " id INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL,"            // as the operator wrote it, NFC
                           " name_key TEXT NOT NULL UNIQUE," // UserStore::nameKey: the identity
                           " password TEXT NOT NULL,"        // PasswordRecord
                           " created INTEGER NOT NULL,"      // ms since the epoch, UTC
                           " password_changed INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE tokens ("
                           " hash BLOB PRIMARY KEY," // SHA-256 of the token's 32 bytes
                           " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                           " created INTEGER NOT NULL,"
                           " expires INTEGER NOT NULL,"
                           " last_used INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX tokens_by_user ON tokens(user_id)"),
            QStringLiteral("CREATE INDEX tokens_by_expiry ON tokens(expires)"),
        },
    };
    return steps;
}

} // namespace

UserStore::UserStore(const QString &dataDir)
    : UserStore(dataDir, Options{})
{}

UserStore::UserStore(const QString &dataDir, const Options &options)
    : m_dataDir(dataDir)
    , m_options(options)
    , m_dummyRecord(PasswordRecord::dummy(options.iterations))
{}

UserStore::~UserStore()
{
    if (m_connection.isEmpty())
        return;
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
}

QString UserStore::filePath() const
{
    return QDir(m_dataDir).filePath(fileName());
}

bool UserStore::open()
{
    if (m_open)
        return true;
    const QString path = filePath();
    // root adding the first user to a service's directory: the file belongs to the service.
    if (const auto error = SqliteFile::createPrivate(m_dataDir, path, true))
        return fail(*error, {});
    if (!m_connection.isEmpty()) // an earlier open() that failed
        QSqlDatabase::removeDatabase(m_connection);
    if (const auto error = SqliteFile::addConnection(QStringLiteral("natter-users"), path, &m_connection))
        return fail(*error, {});
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    // The `user` commands may write while the server runs: wait for the other's write to finish.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return fail(QStringLiteral("cannot open %1").arg(path), db.lastError().text());

    QSqlQuery pragma(db);
    // WAL: the server's reads never wait for an operator's write. secure_delete: a removed
    // password record or token hash is overwritten in the file, not left in a free page.
    for (const char *statement :
         {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON"}) {
        if (!pragma.exec(QLatin1String(statement)))
            return fail(QStringLiteral("cannot set up %1").arg(path), pragma.lastError().text());
    }
    static_assert(SchemaVersion == 1, "a new schema version needs its migration");
    if (const auto error = SqliteFile::migrate(db, migrations(), QStringLiteral("natter-server")))
        return fail(*error, {});
    m_open = true;
    return true;
}

UserStore::Result UserStore::addUser(const QString &name, const QString &password)
{
    const auto valid = validName(name, &m_error);
    if (!valid)
        return Result::InvalidName;
    if (!PasswordRecord::acceptable(password))
        return Result::InvalidPassword;
    if (!m_open)
        return Result::StorageError;
    if (userId(nameKey(*valid))) // before the slow derivation
        return Result::Exists;
    return addUserRecord(*valid, PasswordRecord::create(password, m_options.iterations));
}

UserStore::Result UserStore::addUserRecord(const QString &name, const QString &record)
{
    const auto valid = validName(name, &m_error);
    if (!valid)
        return Result::InvalidName;
    if (!m_open)
        return Result::StorageError;
    const QString key = nameKey(*valid);
    const qint64 t = now();
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT INTO users (name, name_key, password, created, password_changed) "
                             "VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(*valid);
    q.addBindValue(key);
    q.addBindValue(record);
    q.addBindValue(t);
    q.addBindValue(t);
    if (exec(q))
        return Result::Ok;
    return userId(key) ? Result::Exists : Result::StorageError; // added meanwhile by another process
}

UserStore::Result UserStore::setPassword(const QString &name, const QString &password)
{
    if (!PasswordRecord::acceptable(password))
        return Result::InvalidPassword;
    if (!m_open)
        return Result::StorageError;
    const auto id = userId(nameKey(name.trimmed()));
    if (!id)
        return m_error.isEmpty() ? Result::NoSuchUser : Result::StorageError;
    const QString record = PasswordRecord::create(password, m_options.iterations);
    return write([&](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE users SET password = ?, password_changed = ? WHERE id = ?"));
        q.addBindValue(record);
        q.addBindValue(now());
        q.addBindValue(*id);
        return exec(q) && q.numRowsAffected() == 1 && revokeTokensOf(*id);
    });
}

UserStore::Result UserStore::removeUser(const QString &name)
{
    if (!m_open)
        return Result::StorageError;
    const auto id = userId(nameKey(name.trimmed()));
    if (!id)
        return m_error.isEmpty() ? Result::NoSuchUser : Result::StorageError;
    return write([&](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("DELETE FROM users WHERE id = ?"));
        q.addBindValue(*id);
        return revokeTokensOf(*id) && exec(q) && q.numRowsAffected() == 1;
    });
}

UserStore::Result UserStore::write(const std::function<bool(QSqlDatabase &)> &change)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        fail(QStringLiteral("cannot write %1").arg(filePath()), db.lastError().text());
        return Result::StorageError;
    }
    bool ok = change(db);
    if (ok && !db.commit())
        ok = fail(QStringLiteral("cannot write %1").arg(filePath()), db.lastError().text());
    if (!ok) {
        db.rollback();
        return m_error.isEmpty() ? Result::NoSuchUser : Result::StorageError;
    }
    return Result::Ok;
}

QList<UserStore::UserInfo> UserStore::users() const
{
    QList<UserInfo> list;
    if (!m_open)
        return list;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT name, created, password_changed FROM users ORDER BY name_key"));
    if (!exec(q))
        return list;
    while (q.next()) {
        list.append({q.value(0).toString(), QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC),
                     QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC)});
    }
    return list;
}

UserStore::LoginAttempt UserStore::beginLogin(const QString &name) const
{
    LoginAttempt attempt{0, {}, m_dummyRecord};
    // A name far longer than any legal one is not worth normalising.
    if (!m_open || name.size() > Protocol::Limits{}.maxNameChars * 8)
        return attempt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, name, password FROM users WHERE name_key = ?"));
    q.addBindValue(nameKey(name.trimmed()));
    if (exec(q) && q.next())
        attempt = {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()};
    return attempt;
}

std::optional<UserStore::Account> UserStore::finishLogin(const LoginAttempt &attempt,
                                                         const PasswordRecord::Check &check)
{
    if (!m_open || attempt.id == 0 || !check.matches)
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    // The password may have been changed (or the user removed) while the check ran.
    q.prepare(QStringLiteral("SELECT password FROM users WHERE id = ?"));
    q.addBindValue(attempt.id);
    if (!exec(q) || !q.next() || q.value(0).toString() != attempt.record)
        return std::nullopt;
    q.finish();
    if (!check.upgraded.isEmpty()) {
        // The same password, so password_changed stays; a failure leaves the old record working.
        q.prepare(QStringLiteral("UPDATE users SET password = ? WHERE id = ? AND password = ?"));
        q.addBindValue(check.upgraded);
        q.addBindValue(attempt.id);
        q.addBindValue(attempt.record);
        exec(q);
    }
    return Account{attempt.id, attempt.name};
}

QString UserStore::issueToken(const Account &account)
{
    if (!m_open)
        return {};
    const QString token = newToken();
    const qint64 t = now();
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        fail(QStringLiteral("cannot write %1").arg(filePath()), db.lastError().text());
        return {};
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM tokens WHERE expires <= ?")); // housekeeping, cheap by index
    q.addBindValue(t);
    bool ok = exec(q);
    q.prepare(QStringLiteral("INSERT INTO tokens (hash, user_id, created, expires, last_used) "
                             "VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(tokenHash(token));
    q.addBindValue(account.id);
    q.addBindValue(t);
    q.addBindValue(t + m_options.tokenLifetimeMs);
    q.addBindValue(t);
    ok = ok && exec(q); // fails (foreign key) when the user was removed meanwhile
    q.prepare(QStringLiteral("DELETE FROM tokens WHERE user_id = ? AND hash NOT IN "
                             "(SELECT hash FROM tokens WHERE user_id = ? ORDER BY created DESC LIMIT ?)"));
    q.addBindValue(account.id);
    q.addBindValue(account.id);
    q.addBindValue(qMax(1, m_options.maxTokensPerUser));
    ok = ok && exec(q);
    if (!ok || !db.commit()) {
        db.rollback();
        return {};
    }
    return token;
}

std::optional<UserStore::Account> UserStore::resumeToken(const QString &token)
{
    const QByteArray hash = tokenHash(token);
    if (!m_open || hash.isEmpty())
        return std::nullopt;
    const qint64 t = now();
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT users.id, users.name, tokens.expires FROM tokens "
                             "JOIN users ON users.id = tokens.user_id WHERE tokens.hash = ?"));
    q.addBindValue(hash);
    if (!exec(q) || !q.next())
        return std::nullopt;
    const Account account{q.value(0).toLongLong(), q.value(1).toString()};
    const bool expired = q.value(2).toLongLong() <= t;
    q.finish();
    if (expired) {
        revokeToken(token);
        return std::nullopt;
    }
    q.prepare(QStringLiteral("UPDATE tokens SET last_used = ? WHERE hash = ?"));
    q.addBindValue(t);
    q.addBindValue(hash);
    exec(q);
    return account;
}

bool UserStore::revokeToken(const QString &token)
{
    const QByteArray hash = tokenHash(token);
    if (!m_open || hash.isEmpty())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM tokens WHERE hash = ? AND expires > ?"));
    q.addBindValue(hash);
    q.addBindValue(now());
    if (exec(q) && q.numRowsAffected() > 0)
        return true;
    // An expired one is removed too, but was not live.
    q.prepare(QStringLiteral("DELETE FROM tokens WHERE hash = ?"));
    q.addBindValue(hash);
    exec(q);
    return false;
}

qint64 UserStore::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentMSecsSinceEpoch();
}

bool UserStore::fail(const QString &what, const QString &detail) const
{
    m_error = detail.isEmpty() ? what : what + QLatin1String(": ") + detail;
    return false;
}

bool UserStore::exec(QSqlQuery &query) const
{
    if (query.exec()) {
        m_error.clear();
        return true;
    }
    return fail(QStringLiteral("%1").arg(filePath()), query.lastError().text());
}

std::optional<qint64> UserStore::userId(const QString &key) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id FROM users WHERE name_key = ?"));
    q.addBindValue(key);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

bool UserStore::revokeTokensOf(qint64 userId)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM tokens WHERE user_id = ?"));
    q.addBindValue(userId);
    return exec(q);
}

std::optional<qint64> UserStore::tokenExpiry(const QString &token) const
{
    const QByteArray hash = tokenHash(token);
    if (!m_open || hash.isEmpty())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT expires FROM tokens WHERE hash = ? AND expires > ?"));
    q.addBindValue(hash);
    q.addBindValue(now());
    if (!exec(q) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

qint64 UserStore::dataVersion() const
{
    if (!m_open)
        return -1;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("PRAGMA data_version")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

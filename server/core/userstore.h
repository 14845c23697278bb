// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "passwordrecord.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QSqlDatabase;
class QSqlQuery;

//! The user database of accounts mode: `<data dir>/users.sqlite` (SQLite through Qt SQL), with the
//! users, their password records (PasswordRecord) and the hashes of their session tokens. Knows
//! nothing of sockets. Each instance has a connection of its own, used from the thread that
//! opened it; other processes (the `natter-server user` commands) may change the file meanwhile,
//! since nothing is cached. Every failure to log in or to resume looks the same to the caller:
//! unknown user, wrong password, expired, revoked and unknown token are all std::nullopt.
class UserStore
{
public:
    struct Options
    {
        int iterations = PasswordRecord::DefaultIterations; // for new records; weaker ones are upgraded
        qint64 tokenLifetimeMs = qint64(30) * 24 * 60 * 60 * 1000; // a token lasts this long from login
        int maxTokensPerUser = 100;    // beyond it a user's oldest tokens are revoked
        std::function<qint64()> clock; // wall clock, ms since the epoch; empty: the system's
    };
    enum class Result {
        Ok,
        Exists,          // addUser: a user with the same name key already exists
        NoSuchUser,      // setPassword, removeUser
        InvalidName,     // not a legal user name (PROTOCOL.md section 1)
        InvalidPassword, // empty, or longer than PasswordRecord::MaxPasswordBytes
        StorageError,    // see errorString()
    };
    struct Account
    {
        qint64 id = 0;
        QString name;
    };
    struct UserInfo
    {
        QString name;
        QDateTime created;
        QDateTime passwordChanged;
    };
    // The first half of a login, for callers that derive on a PasswordHasher: the record to check
    // the password against (a dummy one for an unknown name, which costs as much to check).
    struct LoginAttempt
    {
        qint64 id = 0; // 0: no such user
        QString name;
        QString record;
    };

    static constexpr int SchemaVersion = 1;
    static QString fileName() { return QStringLiteral("users.sqlite"); }
    // The identity of a user name: Protocol::nameKey (NFKC and case folded, so "Ana", "ANA" and
    // full-width "ＡＮＡ" are one user).
    static QString nameKey(const QString &name);
    // The name as stored (trimmed, NFC), or nullopt with *error saying why it is not one.
    static std::optional<QString> validName(const QString &name, QString *error = nullptr);

    explicit UserStore(const QString &dataDir);
    UserStore(const QString &dataDir, const Options &options);
    ~UserStore();
    UserStore(const UserStore &) = delete;
    UserStore &operator=(const UserStore &) = delete;

    // Creates the directory (0700) and the file (0600) when missing, and brings the schema up to
    // date. False with errorString() when the file cannot be used.
    bool open();
    bool isOpen() const { return m_open; }
    QString filePath() const;
    QString errorString() const { return m_error; }
    int iterations() const { return m_options.iterations; }

    // Operator commands. Each derives a new record on the calling thread (slow, by design).
    Result addUser(const QString &name, const QString &password);
    // The same with a record already derived (PasswordHasher::create), for registration.
    Result addUserRecord(const QString &name, const QString &record);
    Result setPassword(const QString &name, const QString &password); // revokes the user's tokens
    Result removeUser(const QString &name);                           // and the user's tokens
    QList<UserInfo> users() const;                                    // ordered by name key
    // The name as stored for the user whose name key matches `name`, if any.
    std::optional<QString> storedName(const QString &name) const;

    // Login in one call, deriving on the calling thread: for tools and tests.
    std::optional<Account> verifyPassword(const QString &name, const QString &password);
    // Login in two halves around a PasswordHasher::check(attempt.record, password, iterations()).
    LoginAttempt beginLogin(const QString &name) const;
    // The account when the check matched and the record is still the one checked (the password
    // was not changed meanwhile); stores the upgraded record when the check made one.
    std::optional<Account> finishLogin(const LoginAttempt &attempt, const PasswordRecord::Check &check);

    // 256 random bits, base64url without padding (43 characters); only its SHA-256 is stored.
    // Empty on a storage error.
    QString issueToken(const Account &account);
    std::optional<Account> resumeToken(const QString &token);
    bool revokeToken(const QString &token); // false when it was not a live token
    // When a live token expires (ms since the epoch); nullopt for an unknown, expired or revoked one.
    // Changes nothing, unlike resumeToken().
    std::optional<qint64> tokenExpiry(const QString &token) const;
    // SQLite's data_version: changes whenever another connection (another process) commits.
    qint64 dataVersion() const;

private:
    qint64 now() const;
    bool fail(const QString &what, const QString &detail) const;
    bool exec(QSqlQuery &query) const;
    std::optional<qint64> userId(const QString &key) const;
    bool revokeTokensOf(qint64 userId);
    // Runs `change` in a transaction, rolled back when it returns false: NoSuchUser, or
    // StorageError when a write failed (errorString() says which).
    Result write(const std::function<bool(QSqlDatabase &)> &change);

    QString m_dataDir;
    Options m_options;
    QString m_connection;
    mutable QString m_error;
    QString m_dummyRecord;
    bool m_open = false;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "passwordrecord.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

//! The user database of accounts mode as AccountService and the `natter-server user` commands see
//! it: users, their password records (PasswordRecord, never a password) and their session tokens
//! (only hashes kept). UserStore keeps it in `<data dir>/users.sqlite`; RedisUserStore in the
//! Redis every node of a cluster shares. Every failure to log in or to resume looks the same to
//! the caller: unknown user, wrong password, expired, revoked and unknown token are all
//! std::nullopt; unavailable() tells a database that cannot be reached now from those.
class UserDatabase
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

    // The identity of a user name: Protocol::nameKey (NFKC and case folded, so "Ana", "ANA" and
    // full-width "ＡＮＡ" are one user).
    static QString nameKey(const QString &name);
    // The name as stored (trimmed, NFC), or nullopt with *error saying why it is not one.
    static std::optional<QString> validName(const QString &name, QString *error = nullptr);

    virtual ~UserDatabase() = default;

    // Connects or opens; false with errorString() when the database cannot be used.
    virtual bool open() = 0;
    virtual bool isOpen() const = 0;
    // Where the users are, for messages: a file's path, a Redis URL without its password.
    virtual QString location() const = 0;
    virtual QString errorString() const = 0;
    virtual int iterations() const = 0;
    // Whether the last call failed because the database could not be reached (not because of
    // what it holds): logins are then refused as busy, and no session is ended for it.
    virtual bool unavailable() const { return false; }

    // Operator commands. Each derives a new record on the calling thread (slow, by design).
    virtual Result addUser(const QString &name, const QString &password) = 0;
    // The same with a record already derived (PasswordHasher::create), for registration.
    virtual Result addUserRecord(const QString &name, const QString &record) = 0;
    virtual Result setPassword(const QString &name, const QString &password) = 0; // revokes tokens
    virtual Result removeUser(const QString &name) = 0;                           // and the tokens
    virtual QList<UserInfo> users() const = 0;                                    // by name key
    // The name as stored for the user whose name key matches `name`, if any.
    std::optional<QString> storedName(const QString &name) const;

    // Login in one call, deriving on the calling thread: for tools and tests.
    std::optional<Account> verifyPassword(const QString &name, const QString &password);
    // Login in two halves around a PasswordHasher::check(attempt.record, password, iterations()).
    virtual LoginAttempt beginLogin(const QString &name) const = 0;
    // The account when the check matched and the record is still the one checked (the password
    // was not changed meanwhile); stores the upgraded record when the check made one.
    virtual std::optional<Account> finishLogin(const LoginAttempt &attempt,
                                               const PasswordRecord::Check &check) = 0;

    // 256 random bits, base64url without padding (43 characters); only its SHA-256 is stored.
    // Empty on a storage error.
    virtual QString issueToken(const Account &account) = 0;
    virtual std::optional<Account> resumeToken(const QString &token) = 0;
    virtual bool revokeToken(const QString &token) = 0; // false when it was not a live token
    // When a live token expires (ms since the epoch); nullopt for an unknown, expired or revoked
    // one. Changes nothing, unlike resumeToken().
    virtual std::optional<qint64> tokenExpiry(const QString &token) const = 0;
    // tokenExpiry() of each token, in order: AccountService looks up its sessions' tokens at once,
    // and a database across a network answers them in a few round trips instead of one each.
    // After a failure (unavailable()) the tokens not yet looked up are nullopt too.
    virtual QList<std::optional<qint64>> tokenExpiries(const QStringList &tokens) const;
    // Changes whenever another handle (another process, another node) changed the users or
    // revoked tokens: AccountService looks its sessions' tokens up again then. -1 on a failure.
    virtual qint64 dataVersion() const = 0;

protected:
    // Helpers for implementations: a new token (its text), and the SHA-256 that is stored of
    // `token`, empty when it is not one newToken() could have made.
    static QString newToken();
    static QByteArray tokenHash(const QString &token);
};

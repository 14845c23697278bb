// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "userdatabase.h"

#include <QString>

#include <functional>

class QSqlDatabase;
class QSqlQuery;

//! The user database of accounts mode: `<data dir>/users.sqlite` (SQLite through Qt SQL), with the
//! users, their password records (PasswordRecord) and the hashes of their session tokens. Knows
//! nothing of sockets. Each instance has a connection of its own, used from the thread that
//! opened it; other processes (the `natter-server user` commands) may change the file meanwhile,
//! since nothing is cached. Every failure to log in or to resume looks the same to the caller:
//! unknown user, wrong password, expired, revoked and unknown token are all std::nullopt.
class UserStore : public UserDatabase
{
public:
    static constexpr int SchemaVersion = 1;
    static QString fileName() { return QStringLiteral("users.sqlite"); }

    explicit UserStore(const QString &dataDir);
    UserStore(const QString &dataDir, const Options &options);
    ~UserStore() override;
    UserStore(const UserStore &) = delete;
    UserStore &operator=(const UserStore &) = delete;

    // Creates the directory (0700) and the file (0600) when missing, and brings the schema up to
    // date. False with errorString() when the file cannot be used.
    bool open() override;
    bool isOpen() const override { return m_open; }
    QString filePath() const;
    QString location() const override { return filePath(); }
    QString errorString() const override { return m_error; }
    int iterations() const override { return m_options.iterations; }

    Result addUser(const QString &name, const QString &password) override;
    Result addUserRecord(const QString &name, const QString &record) override;
    Result setPassword(const QString &name, const QString &password) override;
    Result removeUser(const QString &name) override;
    QList<UserInfo> users() const override;

    LoginAttempt beginLogin(const QString &name) const override;
    std::optional<Account> finishLogin(const LoginAttempt &attempt,
                                       const PasswordRecord::Check &check) override;

    QString issueToken(const Account &account) override;
    std::optional<Account> resumeToken(const QString &token) override;
    bool revokeToken(const QString &token) override;
    std::optional<qint64> tokenExpiry(const QString &token) const override;
    // SQLite's data_version: changes whenever another connection (another process) commits.
    qint64 dataVersion() const override;

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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "redisconnection.h"
#include "userdatabase.h"

//! The user database of accounts mode in the Redis every node of a cluster shares (PROTOCOL.md 2,
//! *Scale-out*; docs/DEPLOYING.md, *Several nodes*), with UserStore's behaviour. Keys, in the
//! URL's database:
//!  - `natter:user:NAMEKEY`, a hash {id, name, record, created, changed} (record: PasswordRecord);
//!  - `natter:users`, the set of name keys; `natter:users:nextid`, the last account id given;
//!  - `natter:token:SHA256HEX` -> "EXPIRY\nID\nNAMEKEY", expiring with the token;
//!  - `natter:usertokens:NAMEKEY`, a sorted set of the user's token hashes by expiry (revoked on
//!    passwd and remove; the oldest go beyond Options::maxTokensPerUser);
//!  - `natter:users:version`, a counter every change that revokes tokens (passwd, remove, a
//!    token over the cap) increments, so that AccountService on every node looks its tokens up
//!    again. Adding a user (`user add`, registration) revokes nothing and leaves it alone: each
//!    bump makes every node look up every session's token.
//! Changes of several keys are Lua scripts, atomic. Synchronous hiredis with timeouts
//! (RedisConnection) on the thread that uses it: while Redis cannot be reached, calls fail at
//! once (unavailable()) but for one connect attempt a second.
class RedisUserStore : public UserDatabase
{
public:
    struct Settings
    {
        RedisUrl url;
        int timeoutMs = 500; // to connect, and for each command: the event loop waits this long at most
        Options options;
        std::function<bool()> reachable = {}; // RedisConnection::Options::reachable
    };

    explicit RedisUserStore(const Settings &settings);
    ~RedisUserStore() override;

    bool open() override;
    bool isOpen() const override { return m_open; }
    QString location() const override { return m_redis.url().display(); }
    QString errorString() const override { return m_redis.errorString(); }
    int iterations() const override { return m_options.iterations; }
    bool unavailable() const override { return m_redis.lastCallFailed(); }

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
    // One MGET per TokenBatch well-formed tokens, each read as tokenExpiry() reads its token.
    QList<std::optional<qint64>> tokenExpiries(const QStringList &tokens) const override;
    qint64 dataVersion() const override;

    // The Redis keys, for tests.
    static QByteArray userKey(const QString &nameKey);
    static QByteArray tokenKey(const QByteArray &hash);
    // Keys per MGET of tokenExpiries(): bounds one reply, and how long Redis is busy with it.
    static constexpr qsizetype TokenBatch = 1000;

private:
    struct TokenRecord
    {
        qint64 expiry = 0;
        qint64 id = 0;
        QString nameKey;
    };
    qint64 now() const;
    // One script's integer reply; nullopt (errorString() says why) on an error.
    std::optional<qint64> eval(int script, const QList<QByteArray> &keys, const QList<QByteArray> &args);
    bool exists(const QString &nameKey) const;
    std::optional<TokenRecord> tokenRecord(const QByteArray &hash) const;
    // A token key's value, "EXPIRY\nID\nNAMEKEY"; anything else is no token.
    static std::optional<TokenRecord> parseTokenRecord(const QByteArray &value);

    Options m_options;
    mutable RedisConnection m_redis;
    QString m_dummyRecord;
    bool m_open = false;
};

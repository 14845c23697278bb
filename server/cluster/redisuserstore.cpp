// SPDX-License-Identifier: GPL-3.0-or-later
#include "redisuserstore.h"
#include "protocol.h"
#include "redisreply.h"

#include <QDateTime>

#include <algorithm>

namespace {

enum Script {
    Add,
    Passwd,
    Remove,
    Finish,
    Issue,
    Revoke
};

// Shared by the scripts. revokeAll: every token of a user (its sorted set `set`; `prefix`: the
// token keys'). bump: the version counter, even when what it holds is not a number. Redis does
// not undo a script's writes when it fails halfway, so each script reads and checks before it
// writes, and what may fail on a mistyped key comes first.
const char Helpers[] = R"lua(
local function revokeAll(set, prefix)
  for _, h in ipairs(redis.call('ZRANGE', set, 0, -1)) do
    redis.call('DEL', prefix .. h)
  end
  redis.call('DEL', set)
end
local function bump(key)
  local r = redis.pcall('INCR', key)
  if type(r) == 'table' and r.err then redis.call('SET', key, 1) end
end
)lua";

// KEYS: user, users set, next id. ARGV: name, record, now, name key. The new account's id, or
// 0 when the name key is taken. No bump: a new user revokes no token, and a bump would make
// every node look up all its sessions' tokens again on every registration.
const char AddScript[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local id = redis.call('INCR', KEYS[3])
redis.call('SADD', KEYS[2], ARGV[4])
redis.call('HMSET', KEYS[1], 'id', id, 'name', ARGV[1], 'record', ARGV[2], 'created', ARGV[3], 'changed', ARGV[3])
return id
)lua";

// KEYS: user, its tokens, version. ARGV: token key prefix, record, now. 1, or 0: no such user.
const char PasswdScript[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HGET', KEYS[1], 'record') -- fails on a key that is not a hash, before any write
revokeAll(KEYS[2], ARGV[1])
redis.call('HMSET', KEYS[1], 'record', ARGV[2], 'changed', ARGV[3])
bump(KEYS[3])
return 1
)lua";

// KEYS: user, its tokens, version, users set. ARGV: token key prefix, name key.
const char RemoveScript[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
revokeAll(KEYS[2], ARGV[1])
redis.pcall('SREM', KEYS[4], ARGV[2])
redis.call('DEL', KEYS[1])
bump(KEYS[3])
return 1
)lua";

// KEYS: user. ARGV: id, the record checked, the upgraded record or ''. 1 when the record is
// still the one checked (then the upgrade is stored), else 0.
const char FinishScript[] = R"lua(
local v = redis.call('HMGET', KEYS[1], 'id', 'record')
if v[1] ~= ARGV[1] or v[2] ~= ARGV[2] then return 0 end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'record', ARGV[3]) end
return 1
)lua";

// KEYS: user, its tokens, the new token's key, version. ARGV: token key prefix, id, expiry,
// lifetime ms, now, cap, the token's hash (hex), the token key's value. 1, or 0 when the user
// is gone. Expired hashes leave the set; beyond the cap the earliest to expire are revoked.
const char IssueScript[] = R"lua(
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[3], ARGV[8], 'PX', ARGV[4])
for _, h in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])) do
  redis.call('DEL', ARGV[1] .. h)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[7])
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[6])
if extra > 0 then
  for _, h in ipairs(redis.call('ZRANGE', KEYS[2], 0, extra)) do
    if extra > 0 and h ~= ARGV[7] then
      redis.call('DEL', ARGV[1] .. h)
      redis.call('ZREM', KEYS[2], h)
      extra = extra - 1
    end
  end
  bump(KEYS[4])
end
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return 1
)lua";

// KEYS: the token's key. ARGV: the user tokens' key prefix, the token's hash (hex), now.
// 1 when it was a live token, else 0; either way it is gone.
const char RevokeScript[] = R"lua(
local ok, v = pcall(redis.call, 'GET', KEYS[1])
if not ok or not v then return 0 end
redis.call('DEL', KEYS[1])
local expiry, id, key = string.match(v, '^(%d+)\n(%d+)\n(.+)$')
if not key then return 0 end
redis.call('ZREM', ARGV[1] .. key, ARGV[2])
if tonumber(expiry) > tonumber(ARGV[3]) then return 1 end
return 0
)lua";

QList<QByteArray> scripts()
{
    QList<QByteArray> out;
    for (const char *body : {AddScript, PasswdScript, RemoveScript, FinishScript, IssueScript, RevokeScript})
        out.append(QByteArray(Helpers) + body);
    return out;
}

const QByteArray TokenPrefix = QByteArrayLiteral("natter:token:");
const QByteArray UserTokensPrefix = QByteArrayLiteral("natter:usertokens:");
const QByteArray UsersKey = QByteArrayLiteral("natter:users");
const QByteArray NextIdKey = QByteArrayLiteral("natter:users:nextid");
const QByteArray VersionKey = QByteArrayLiteral("natter:users:version");

QByteArray userTokensKey(const QString &nameKey)
{
    return UserTokensPrefix + nameKey.toUtf8();
}

// A positive decimal number as Redis holds it, else 0: what comes back is not trusted.
qint64 positive(const QByteArray &text)
{
    bool ok = false;
    const qint64 n = text.toLongLong(&ok);
    return ok && n > 0 ? n : 0;
}

} // namespace

RedisUserStore::RedisUserStore(const Settings &settings)
    : m_options(settings.options)
    , m_redis({settings.url, settings.timeoutMs, true, settings.reachable}, scripts())
    , m_dummyRecord(PasswordRecord::dummy(settings.options.iterations))
{}

RedisUserStore::~RedisUserStore() = default;

QByteArray RedisUserStore::userKey(const QString &nameKey)
{
    return QByteArrayLiteral("natter:user:") + nameKey.toUtf8();
}

QByteArray RedisUserStore::tokenKey(const QByteArray &hash)
{
    return TokenPrefix + hash.toHex();
}

bool RedisUserStore::open()
{
    m_open = m_redis.connect();
    return m_open;
}

qint64 RedisUserStore::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentMSecsSinceEpoch();
}

std::optional<qint64> RedisUserStore::eval(int script, const QList<QByteArray> &keys,
                                           const QList<QByteArray> &args)
{
    std::optional<qint64> out;
    QString error;
    m_redis.runScript(script, keys, args, [&](qsizetype, const void *r) {
        const RedisReply reply(r);
        if (reply.isError())
            error = QString::fromUtf8(reply.bytes());
        else
            out = reply.integer();
    });
    if (!error.isEmpty()) {
        m_redis.setErrorString(QStringLiteral("Redis %1: %2").arg(m_redis.url().display(), error));
        return std::nullopt;
    }
    return out;
}

bool RedisUserStore::exists(const QString &nameKey) const
{
    bool found = false;
    m_redis.run({{"EXISTS", userKey(nameKey)}},
                [&](qsizetype, const void *r) { found = RedisReply(r).integer() == 1; });
    return found;
}

UserDatabase::Result RedisUserStore::addUser(const QString &name, const QString &password)
{
    QString error;
    const auto valid = validName(name, &error);
    if (!valid) {
        m_redis.setErrorString(error);
        return Result::InvalidName;
    }
    if (!PasswordRecord::acceptable(password))
        return Result::InvalidPassword;
    const bool found = exists(nameKey(*valid)); // before the slow derivation
    if (m_redis.lastCallFailed())
        return Result::StorageError;
    if (found)
        return Result::Exists;
    return addUserRecord(*valid, PasswordRecord::create(password, m_options.iterations));
}

UserDatabase::Result RedisUserStore::addUserRecord(const QString &name, const QString &record)
{
    QString error;
    const auto valid = validName(name, &error);
    if (!valid) {
        m_redis.setErrorString(error);
        return Result::InvalidName;
    }
    const QString key = nameKey(*valid);
    const auto id = eval(Add, {userKey(key), UsersKey, NextIdKey},
                         {valid->toUtf8(), record.toUtf8(), QByteArray::number(now()), key.toUtf8()});
    if (!id)
        return Result::StorageError;
    return *id > 0 ? Result::Ok : Result::Exists;
}

UserDatabase::Result RedisUserStore::setPassword(const QString &name, const QString &password)
{
    if (!PasswordRecord::acceptable(password))
        return Result::InvalidPassword;
    const QString key = nameKey(name.trimmed());
    const bool found = exists(key);
    if (m_redis.lastCallFailed())
        return Result::StorageError;
    if (!found)
        return Result::NoSuchUser;
    const QString record = PasswordRecord::create(password, m_options.iterations);
    const auto done = eval(Passwd, {userKey(key), userTokensKey(key), VersionKey},
                           {TokenPrefix, record.toUtf8(), QByteArray::number(now())});
    if (!done)
        return Result::StorageError;
    return *done == 1 ? Result::Ok : Result::NoSuchUser;
}

UserDatabase::Result RedisUserStore::removeUser(const QString &name)
{
    const QString key = nameKey(name.trimmed());
    const auto done =
        eval(Remove, {userKey(key), userTokensKey(key), VersionKey, UsersKey}, {TokenPrefix, key.toUtf8()});
    if (!done)
        return Result::StorageError;
    return *done == 1 ? Result::Ok : Result::NoSuchUser;
}

QList<UserDatabase::UserInfo> RedisUserStore::users() const
{
    QList<QString> keys;
    m_redis.run({{"SMEMBERS", UsersKey}}, [&](qsizetype, const void *r) {
        const RedisReply reply(r);
        for (qsizetype i = 0; i < reply.size(); ++i)
            keys.append(QString::fromUtf8(reply.at(i).bytes()));
    });
    std::sort(keys.begin(), keys.end());
    QList<RedisConnection::Command> reads;
    for (const QString &key : keys)
        reads.append({"HMGET", userKey(key), "name", "created", "changed"});
    QList<UserInfo> list;
    if (reads.isEmpty())
        return list;
    m_redis.run(reads, [&](qsizetype, const void *r) {
        const RedisReply reply(r);
        if (reply.size() != 3 || reply.at(0).isNil())
            return; // removed meanwhile, or not a user's hash
        list.append({QString::fromUtf8(reply.at(0).bytes()),
                     QDateTime::fromMSecsSinceEpoch(positive(reply.at(1).bytes()), Qt::UTC),
                     QDateTime::fromMSecsSinceEpoch(positive(reply.at(2).bytes()), Qt::UTC)});
    });
    return list;
}

UserDatabase::LoginAttempt RedisUserStore::beginLogin(const QString &name) const
{
    LoginAttempt attempt{0, {}, m_dummyRecord};
    // A name far longer than any legal one is not worth normalising.
    if (name.size() > Protocol::Limits{}.maxNameChars * 8)
        return attempt;
    m_redis.run({{"HMGET", userKey(nameKey(name.trimmed())), "id", "name", "record"}},
                [&](qsizetype, const void *r) {
                    const RedisReply reply(r);
                    if (reply.size() != 3)
                        return;
                    const qint64 id = positive(reply.at(0).bytes());
                    const QString stored = QString::fromUtf8(reply.at(1).bytes());
                    const QString record = QString::fromUtf8(reply.at(2).bytes());
                    if (id > 0 && !stored.isEmpty() && !record.isEmpty())
                        attempt = {id, stored, record};
                });
    return attempt;
}

std::optional<UserDatabase::Account> RedisUserStore::finishLogin(const LoginAttempt &attempt,
                                                                 const PasswordRecord::Check &check)
{
    if (attempt.id == 0 || !check.matches)
        return std::nullopt;
    // The password may have been changed (or the user removed) while the check ran.
    const auto same =
        eval(Finish, {userKey(nameKey(attempt.name))},
             {QByteArray::number(attempt.id), attempt.record.toUtf8(), check.upgraded.toUtf8()});
    if (!same || *same != 1)
        return std::nullopt;
    return Account{attempt.id, attempt.name};
}

QString RedisUserStore::issueToken(const Account &account)
{
    const QString token = newToken();
    const QByteArray hash = tokenHash(token);
    const QString key = nameKey(account.name);
    const qint64 t = now();
    const qint64 lifetime = qMax<qint64>(1, m_options.tokenLifetimeMs);
    const qint64 expiry = t + lifetime;
    // Redis drops the key after the lifetime by its own clock, whatever the node's says.
    const QByteArray value =
        QByteArray::number(expiry) + '\n' + QByteArray::number(account.id) + '\n' + key.toUtf8();
    const auto done = eval(Issue, {userKey(key), userTokensKey(key), tokenKey(hash), VersionKey},
                           {TokenPrefix, QByteArray::number(account.id), QByteArray::number(expiry),
                            QByteArray::number(lifetime), QByteArray::number(t),
                            QByteArray::number(qMax(1, m_options.maxTokensPerUser)), hash.toHex(), value});
    if (!done || *done != 1)
        return {};
    return token;
}

std::optional<RedisUserStore::TokenRecord> RedisUserStore::tokenRecord(const QByteArray &hash) const
{
    QByteArray value;
    m_redis.run({{"GET", tokenKey(hash)}}, [&](qsizetype, const void *r) {
        const RedisReply reply(r);
        if (!reply.isError() && !reply.isNil())
            value = reply.bytes();
    });
    return parseTokenRecord(value);
}

std::optional<RedisUserStore::TokenRecord> RedisUserStore::parseTokenRecord(const QByteArray &value)
{
    const qsizetype first = value.indexOf('\n');
    const qsizetype second = first < 0 ? -1 : value.indexOf('\n', first + 1);
    if (second < 0 || second + 1 >= value.size())
        return std::nullopt;
    TokenRecord record{positive(value.left(first)), positive(value.mid(first + 1, second - first - 1)),
                       QString::fromUtf8(value.mid(second + 1))};
    if (record.expiry == 0 || record.id == 0)
        return std::nullopt;
    return record;
}

std::optional<UserDatabase::Account> RedisUserStore::resumeToken(const QString &token)
{
    const QByteArray hash = tokenHash(token);
    if (hash.isEmpty())
        return std::nullopt;
    const auto record = tokenRecord(hash);
    if (!record)
        return std::nullopt;
    if (record->expiry <= now()) {
        revokeToken(token);
        return std::nullopt;
    }
    std::optional<Account> account;
    m_redis.run({{"HMGET", userKey(record->nameKey), "id", "name"}}, [&](qsizetype, const void *r) {
        const RedisReply reply(r);
        // The user the token was issued to, not a new one of the same name.
        if (reply.size() == 2 && positive(reply.at(0).bytes()) == record->id && !reply.at(1).isNil())
            account = Account{record->id, QString::fromUtf8(reply.at(1).bytes())};
    });
    return account;
}

bool RedisUserStore::revokeToken(const QString &token)
{
    const QByteArray hash = tokenHash(token);
    if (hash.isEmpty())
        return false;
    const auto live =
        eval(Revoke, {tokenKey(hash)}, {UserTokensPrefix, hash.toHex(), QByteArray::number(now())});
    return live && *live == 1;
}

std::optional<qint64> RedisUserStore::tokenExpiry(const QString &token) const
{
    const QByteArray hash = tokenHash(token);
    if (hash.isEmpty())
        return std::nullopt;
    const auto record = tokenRecord(hash);
    if (!record || record->expiry <= now())
        return std::nullopt;
    return record->expiry;
}

QList<std::optional<qint64>> RedisUserStore::tokenExpiries(const QStringList &tokens) const
{
    QList<std::optional<qint64>> out(tokens.size());
    const qint64 t = now();
    QList<qsizetype> asked; // where each key of the MGET came from; malformed tokens are not asked
    RedisConnection::Command mget{"MGET"};
    const auto send = [&] {
        if (asked.isEmpty())
            return true;
        const bool sent = m_redis.run({mget}, [&](qsizetype, const void *r) {
            const RedisReply reply(r);
            if (reply.size() != asked.size())
                return; // an error: no token, as for GET
            // A key that holds no string reads as nil, as GET's WRONGTYPE reads as no token.
            for (qsizetype k = 0; k < asked.size(); ++k) {
                const auto record = parseTokenRecord(reply.at(k).bytes());
                if (record && record->expiry > t)
                    out[asked.at(k)] = record->expiry;
            }
        });
        asked.clear();
        mget = {"MGET"};
        return sent;
    };
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QByteArray hash = tokenHash(tokens.at(i));
        if (hash.isEmpty())
            continue;
        asked.append(i);
        mget.append(tokenKey(hash));
        if (asked.size() == TokenBatch && !send())
            return out; // unavailable(): the rest would fail as fast
    }
    send();
    return out;
}

qint64 RedisUserStore::dataVersion() const
{
    qint64 version = -1;
    m_redis.run({{"GET", VersionKey}}, [&](qsizetype, const void *r) {
        const RedisReply reply(r);
        if (!reply.isError())
            version = reply.isNil() ? 0 : reply.integer();
    });
    return version;
}

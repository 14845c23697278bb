// SPDX-License-Identifier: GPL-3.0-or-later
#include "redismessagestore.h"
#include "redisreply.h"

#include <algorithm>
#include <functional>
#include <vector>

namespace {

// KEYS: meta, log, id key. ARGV: name, epoch, maxlen, message JSON (seq 0), author key, channel,
// origin session, id window in seconds ('0': the message has no id). The seq goes on from the
// stream's newest entry if the meta hash was lost (evicted, deleted), so the room is not wedged.
// Returns {seq, 1} for an id its author used before (that message's seq), else {seq, 0}.
const char AppendScript[] = R"lua(
if ARGV[8] ~= '0' then
  local old = redis.call('GET', KEYS[3])
  if old then return {tonumber(old), 1} end
end
redis.call('HSETNX', KEYS[1], 'name', ARGV[1])
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[2])
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if top then
  local topSeq = tonumber(string.match(top[1], '^(%d+)'))
  if seq <= topSeq then
    seq = topSeq + 1
    redis.call('HSET', KEYS[1], 'seq', seq)
  end
end
if tonumber(ARGV[3]) > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'm', ARGV[4], 'u', ARGV[5], 'o', ARGV[7])
else
  redis.call('XADD', KEYS[2], seq .. '-0', 'm', ARGV[4], 'u', ARGV[5], 'o', ARGV[7])
end
if ARGV[8] ~= '0' then
  redis.call('SET', KEYS[3], seq, 'EX', ARGV[8])
end
redis.call('PUBLISH', ARGV[6], seq .. '\n' .. ARGV[7] .. '\n' .. ARGV[5] .. '\n' .. ARGV[4])
return {seq, 0}
)lua";

// KEYS: meta. ARGV: name, epoch. The room as stored, created by whoever comes first.
const char CreateScript[] = R"lua(
redis.call('HSETNX', KEYS[1], 'name', ARGV[1])
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[2])
return redis.call('HMGET', KEYS[1], 'name', 'epoch', 'seq')
)lua";

// KEYS: name key. ARGV: node, session, token hash, presented hash ('' for none), ttl ms, node
// channel prefix, name key. A value that is not "NODE\nSESSION\nHASH" (or not a string) is
// no one's: it is replaced.
const char ClaimNameScript[] = R"lua(
local v = redis.pcall('GET', KEYS[1])
if type(v) == 'string' then
  local node, session, hash = string.match(v, '^([^\n]+)\n([^\n]+)\n(%x+)$')
  if node and not (node == ARGV[1] and session == ARGV[2]) then
    if ARGV[4] == '' or hash ~= ARGV[4] then return 0 end
    if node ~= ARGV[1] then
      redis.call('PUBLISH', ARGV[6] .. node, 't\n' .. session .. '\n' .. ARGV[7])
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. '\n' .. ARGV[2] .. '\n' .. ARGV[3], 'PX', ARGV[5])
return 1
)lua";

// KEYS: name key. ARGV: node, session.
const char ReleaseNameScript[] = R"lua(
local v = redis.pcall('GET', KEYS[1])
if type(v) == 'string' and string.sub(v, 1, #ARGV[1] + #ARGV[2] + 2) == ARGV[1] .. '\n' .. ARGV[2] .. '\n' then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
)lua";

// KEYS: name keys. ARGV: node, ttl ms, restore ('1': put back a key that is gone), then for each
// key its session and token hash. One call refreshes many names: per key 1 (extended: ours), 2
// (restored: it was gone), 3 (gone and not restored) or 0 (someone else holds it now).
const char RefreshNamesScript[] = R"lua(
local out = {}
for i, key in ipairs(KEYS) do
  local session, hash = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  local v = redis.pcall('GET', key)
  if type(v) == 'string' and string.match(v, '^[^\n]+\n[^\n]+\n%x+$') then
    if string.sub(v, 1, #ARGV[1] + #session + 2) ~= ARGV[1] .. '\n' .. session .. '\n' then
      out[i] = 0
    else
      redis.call('PEXPIRE', key, ARGV[2])
      out[i] = 1
    end
  elseif ARGV[3] == '1' then
    redis.call('SET', key, ARGV[1] .. '\n' .. session .. '\n' .. hash, 'PX', ARGV[2])
    out[i] = 2
  else
    out[i] = 3
  end
end
return out
)lua";

// KEYS: edits. ARGV: seq, the revision read ('' when never changed), the next revision
// ("VERSION TAG"), the changed message JSON, channel, origin session, announcement JSON.
// Compare-and-set: writes the change and the next revision (field `v:SEQ`) only if the revision
// is still the one read and the message is not deleted (a deletion is final), then publishes
// `u\nSESSION\nSEQ VERSION\nANNOUNCEMENT` on the room's channel. Returns the new version, or
// -1 (stale) or -2 (deleted).
const char ChangeScript[] = R"lua(
local current = redis.call('HMGET', KEYS[1], ARGV[1], 'v:' .. ARGV[1])
if current[1] then
  local ok, stored = pcall(cjson.decode, current[1])
  if ok and type(stored) == 'table' and tonumber(stored['deleted']) and tonumber(stored['deleted']) > 0 then
    return -2
  end
end
if (current[2] or '') ~= ARGV[2] then return -1 end
local version = tonumber(string.match(ARGV[3], '^(%d+) ')) or 0
if version <= 0 then return redis.error_reply('natter: a revision without its version') end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4], 'v:' .. ARGV[1], ARGV[3])
redis.call('PUBLISH', ARGV[5], 'u\n' .. ARGV[6] .. '\n' .. ARGV[1] .. ' ' .. version .. '\n' .. ARGV[7])
return version
)lua";

QByteArray streamId(qint64 seq)
{
    return QByteArray::number(seq) + "-0";
}

std::optional<Protocol::ChatMessage> decodeMessage(const QByteArray &json)
{
    Protocol::Decoded<Protocol::ServerMessage> decoded = Protocol::decodeServer(json);
    auto *message = std::get_if<Protocol::ServerMessage>(&decoded);
    if (!message)
        return std::nullopt;
    if (auto *m = std::get_if<Protocol::ChatMessage>(message))
        return std::move(*m);
    return std::nullopt;
}

} // namespace

RedisMessageStore::RedisMessageStore(const Options &options)
    : m_options(options)
    , m_redis({options.url, options.timeoutMs, true},
              {AppendScript, CreateScript, ClaimNameScript, ReleaseNameScript, ChangeScript})
{}

RedisMessageStore::~RedisMessageStore() = default;

QByteArray RedisMessageStore::channel(int db, const QString &roomKey)
{
    return QByteArrayLiteral("natter:") + QByteArray::number(db) + ":room:" + roomKey.toUtf8();
}

QByteArray RedisMessageStore::keyOf(const QString &roomKey, const char *what)
{
    return QByteArrayLiteral("natter:room:") + roomKey.toUtf8() + ':' + what;
}

QByteArray RedisMessageStore::nameKeyOf(const QString &nameKey)
{
    return QByteArrayLiteral("natter:name:") + nameKey.toUtf8();
}

const char *RedisMessageStore::refreshNamesScript()
{
    return RefreshNamesScript;
}

const char *RedisMessageStore::releaseNameScript()
{
    return ReleaseNameScript;
}

int RedisMessageStore::claimName(const QString &nameKey, const QByteArray &node, const QByteArray &session,
                                 const QByteArray &tokenHash, const QByteArray &presentedHash,
                                 const QByteArray &nodeChannelPrefix, int ttlMs)
{
    int out = -1;
    m_redis.run({{"EVALSHA", m_redis.sha(Script::ClaimName), "1", nameKeyOf(nameKey), node, session,
                  tokenHash, presentedHash, QByteArray::number(ttlMs), nodeChannelPrefix, nameKey.toUtf8()}},
                [&](qsizetype, const void *r) {
                    const RedisReply reply(r);
                    if (r && !reply.isError())
                        out = reply.integer() == 1 ? 1 : 0;
                });
    return out;
}

void RedisMessageStore::releaseName(const QString &nameKey, const QByteArray &node, const QByteArray &session)
{
    m_redis.run({{"EVALSHA", m_redis.sha(Script::ReleaseName), "1", nameKeyOf(nameKey), node, session}},
                [](qsizetype, const void *) {});
}

QList<QByteArray> RedisMessageStore::presence(const QString &key, qint64 nowMs)
{
    QList<QByteArray> out;
    m_redis.run({{"ZRANGEBYSCORE", keyOf(key, "presence"), QByteArray::number(nowMs), "+inf"}},
                [&](qsizetype, const void *r) {
                    const RedisReply reply(r);
                    for (qsizetype i = 0; i < reply.size(); ++i)
                        out.append(reply.at(i).bytes());
                });
    return out;
}

bool RedisMessageStore::open()
{
    return m_redis.connect();
}

std::unique_ptr<MessageStore> RedisMessageStore::openAnother() const
{
    auto other = std::make_unique<RedisMessageStore>(m_options);
    other->m_redis.setThrottled(false);
    other->m_redis.connect(); // a failure is reported by its first write, and it tries again then
    return other;
}

std::optional<MessageStore::RoomRecord> RedisMessageStore::room(const QString &key)
{
    std::optional<RoomRecord> out;
    m_redis.run({{"HMGET", keyOf(key, "meta"), "name", "epoch", "seq"}}, [&](qsizetype, const void *r) {
        const RedisReply reply(r);
        if (reply.size() == 3 && !reply.at(0).isNil())
            out = RoomRecord{QString::fromUtf8(reply.at(0).bytes()), QString::fromUtf8(reply.at(1).bytes()),
                             reply.at(2).integer()};
    });
    return out;
}

std::optional<MessageStore::RoomRecord> RedisMessageStore::createRoom(const QString &key, const QString &name,
                                                                      const QString &epoch)
{
    std::optional<RoomRecord> out;
    // Listed by every node's rooms list from now on (ClusterBus refreshes it while followed).
    m_redis.run(
        {{"EVALSHA", m_redis.sha(Script::Create), "1", keyOf(key, "meta"), name.toUtf8(), epoch.toUtf8()},
         {"ZADD", roomsKey(), QByteArray::number(Protocol::nowMs()), key.toUtf8()}},
        [&](qsizetype i, const void *r) {
            if (i != 0)
                return;
            const RedisReply reply(r);
            if (reply.size() == 3 && !reply.at(0).isNil())
                out = RoomRecord{QString::fromUtf8(reply.at(0).bytes()),
                                 QString::fromUtf8(reply.at(1).bytes()), reply.at(2).integer()};
            else if (reply.isError())
                m_redis.setErrorString(QString::fromUtf8(reply.bytes()));
        });
    return out;
}

bool RedisMessageStore::write(const QList<Entry> &entries)
{
    m_numbering.clear();
    if (entries.isEmpty())
        return true;
    QList<Command> commands;
    commands.reserve(entries.size());
    const QByteArray window = QByteArray::number(m_options.idWindowSeconds);
    const QByteArray maxLen = QByteArray::number(m_options.maxMessagesPerRoom);
    for (const Entry &e : entries) {
        if (e.update) {
            // A change keeps its seq; readers lay the changed form over the stream's entry.
            commands.append({"EVALSHA", m_redis.sha(Script::Change), "1", keyOf(e.roomKey, "edits"),
                             QByteArray::number(e.message.seq), e.revision, e.nextRevision,
                             Protocol::encode(e.message), channel(m_options.url.db, e.roomKey),
                             e.origin.toUtf8(), e.announcement});
            continue;
        }
        Protocol::ChatMessage m = e.message;
        m.seq = 0; // the stream entry's id is its seq
        const bool hasId = !m.id.isEmpty();
        commands.append(
            {"EVALSHA", m_redis.sha(Script::Append), "3", keyOf(e.roomKey, "meta"), keyOf(e.roomKey, "log"),
             hasId ? QByteArrayLiteral("natter:id:") + e.userKey.toUtf8() + '\n' + m.id.toUtf8()
                   : QByteArrayLiteral("natter:id:-"),
             e.roomName.toUtf8(), e.roomEpoch.toUtf8(), maxLen, Protocol::encode(m), e.userKey.toUtf8(),
             channel(m_options.url.db, e.roomKey), e.origin.toUtf8(), hasId ? window : "0"});
    }
    // Each script is atomic on its own and publishes what it stored: an entry that failed does
    // not undo the others, so each one's outcome goes back to its sender. An entry whose answer
    // was lost with the connection counts as not stored (resending it is deduplicated by id).
    QList<Numbered> numbering;
    numbering.reserve(entries.size());
    QString failure;
    bool anyStored = false;
    m_redis.run(commands, [&](qsizetype i, const void *r) {
        const RedisReply reply(r);
        if (!r || reply.isError()) {
            if (r && failure.isEmpty())
                failure = QString::fromUtf8(reply.bytes());
            numbering.append(Numbered{0, false, Refusal::None, false});
            return;
        }
        anyStored = true;
        if (entries.at(i).update) {
            const qint64 outcome = reply.integer();
            numbering.append(Numbered{entries.at(i).message.seq, false,
                                      outcome == -2  ? Refusal::Deleted
                                      : outcome <= 0 ? Refusal::Stale
                                                     : Refusal::None,
                                      true});
        } else {
            numbering.append(
                Numbered{reply.at(0).integer(), reply.at(1).integer() != 0, Refusal::None, true});
        }
    });
    if (!failure.isEmpty())
        m_redis.setErrorString(QStringLiteral("Redis refused a write: %1").arg(failure));
    if (!anyStored)
        return false;
    m_numbering = numbering;
    return true;
}

QList<Protocol::ChatMessage> RedisMessageStore::readEntries(const QString &key, const Command &range,
                                                            bool reverse, QStringList *authors,
                                                            QStringList *origins)
{
    QList<Protocol::ChatMessage> out;
    QStringList users;
    QStringList sessions;
    m_redis.run({range}, [&](qsizetype, const void *r) {
        const RedisReply reply(r);
        for (qsizetype i = 0; i < reply.size(); ++i) {
            const RedisReply entry = reply.at(i);
            const RedisReply fields = entry.at(1);
            QByteArray json;
            QByteArray author;
            QByteArray origin;
            for (qsizetype f = 0; f + 1 < fields.size(); f += 2) {
                if (fields.at(f).bytes() == "m")
                    json = fields.at(f + 1).bytes();
                else if (fields.at(f).bytes() == "u")
                    author = fields.at(f + 1).bytes();
                else if (fields.at(f).bytes() == "o")
                    origin = fields.at(f + 1).bytes();
            }
            std::optional<Protocol::ChatMessage> m = decodeMessage(json);
            if (!m)
                continue; // not ours: skipped rather than failing the page
            m->seq = entry.at(0).bytes().split('-').value(0).toLongLong();
            out.append(std::move(*m));
            users.append(QString::fromUtf8(author));
            sessions.append(QString::fromUtf8(origin));
        }
    });
    if (reverse) {
        std::reverse(out.begin(), out.end());
        std::reverse(users.begin(), users.end());
        std::reverse(sessions.begin(), sessions.end());
    }
    if (!out.isEmpty()) {
        // The changed ones, in their current form.
        Command get{"HMGET", keyOf(key, "edits")};
        for (const Protocol::ChatMessage &m : std::as_const(out))
            get.append(QByteArray::number(m.seq));
        m_redis.run({get}, [&](qsizetype, const void *r) {
            const RedisReply reply(r);
            for (qsizetype i = 0; i < reply.size() && i < out.size(); ++i) {
                if (reply.at(i).isNil() || reply.at(i).isError())
                    continue;
                if (std::optional<Protocol::ChatMessage> changed = decodeMessage(reply.at(i).bytes())) {
                    changed->seq = out.at(i).seq;
                    out[i] = std::move(*changed);
                }
            }
        });
    }
    if (authors)
        *authors = users;
    if (origins)
        *origins = sessions;
    return out;
}

std::optional<MessageStore::Stored> RedisMessageStore::message(const QString &key, qint64 seq)
{
    QStringList authors;
    const QList<Protocol::ChatMessage> found =
        readEntries(key, {"XRANGE", keyOf(key, "log"), streamId(seq), streamId(seq)}, false, &authors);
    if (found.isEmpty())
        return std::nullopt;
    // Its current form and revision in one read: a change between the two would pair an older
    // form with a newer revision, and a compare-and-set on it would lose that change.
    Stored out{found.constFirst(), authors.constFirst()};
    const QByteArray field = QByteArray::number(seq);
    bool readable = true;
    if (!m_redis.run({{"HMGET", keyOf(key, "edits"), field, "v:" + field}},
                     [&](qsizetype, const void *r) {
                         const RedisReply reply(r);
                         if (reply.isError() || reply.size() != 2) {
                             readable = false;
                             return;
                         }
                         if (!reply.at(0).isNil()) {
                             std::optional<Protocol::ChatMessage> changed =
                                 decodeMessage(reply.at(0).bytes());
                             if (!changed) {
                                 readable = false;
                                 return;
                             }
                             changed->seq = seq;
                             out.message = std::move(*changed);
                         }
                         if (!reply.at(1).isNil()) {
                             out.revision = reply.at(1).bytes();
                             out.version = out.revision.split(' ').constFirst().toLongLong();
                         }
                     }) ||
        !readable)
        return std::nullopt; // without its revision it cannot be changed
    return out;
}

QList<Protocol::ChatMessage> RedisMessageStore::after(const QString &key, qint64 since, int limit)
{
    return after(key, since, limit, nullptr, nullptr);
}

QList<Protocol::ChatMessage> RedisMessageStore::after(const QString &key, qint64 since, int limit,
                                                      QStringList *authors, QStringList *origins)
{
    if (limit <= 0)
        return {};
    return readEntries(key,
                       {"XRANGE", keyOf(key, "log"), '(' + streamId(qMax<qint64>(0, since)), "+", "COUNT",
                        QByteArray::number(limit)},
                       false, authors, origins);
}

QList<Protocol::ChatMessage> RedisMessageStore::before(const QString &key, qint64 before, int limit)
{
    if (limit <= 0 || before <= 1)
        return {};
    return readEntries(
        key,
        {"XREVRANGE", keyOf(key, "log"), '(' + streamId(before), "-", "COUNT", QByteArray::number(limit)},
        true);
}

int RedisMessageStore::prune(const Retention &, qint64, int)
{
    return 0; // the streams' MAXLEN keeps the count; age is not bounded with Redis (DEPLOYING.md)
}

QList<MessageStore::IdRecord> RedisMessageStore::recentIds(qint64, int)
{
    return {}; // ids are remembered in Redis itself, by the append script
}

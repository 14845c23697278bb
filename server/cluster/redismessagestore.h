// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagestore.h"
#include "redisconnection.h"
#include "redisurl.h"

#include <QByteArray>

#include <functional>

//! The rooms' history in Redis, shared by every node (PROTOCOL.md 2, *Scale-out*; docs/DESIGN.md,
//! *Scale-out*). Per room: a hash `natter:room:KEY:meta` (name, epoch, seq), a stream
//! `natter:room:KEY:log` whose entry ids are the messages' seqs (`SEQ-0`), and a hash
//! `natter:room:KEY:edits` with the current form of changed messages. One Lua script numbers a
//! message (HINCRBY), appends it, remembers its id for deduplication and publishes it on the
//! room's channel, atomically: every node numbers and orders a room's messages alike. Another
//! changes a message (an update entry) by compare-and-set on its version (`v:SEQ` in the edits
//! hash) and publishes the announcement; a deleted message stays deleted.
//!
//! One RedisConnection (hiredis's synchronous API with timeouts) on the thread that uses the
//! handle. After a failure the event loop's handle connects again at most once a second, so that
//! joins during an outage fail fast; the writer's handle (openAnother) tries with every batch,
//! so the first message after Redis is back is stored.
class RedisMessageStore : public MessageStore
{
public:
    struct Options
    {
        RedisUrl url;
        qint64 maxMessagesPerRoom = 0; // the streams' approximate MAXLEN; 0: unbounded
        int idWindowSeconds = 86400;   // how long a message id is remembered for deduplication
        int timeoutMs = 1000;          // to connect, and for each command
    };

    explicit RedisMessageStore(const Options &options);
    ~RedisMessageStore() override;
    RedisMessageStore(const RedisMessageStore &) = delete;
    RedisMessageStore &operator=(const RedisMessageStore &) = delete;

    // Connects now; false (with errorString()) if Redis cannot be reached.
    bool open();

    // The pub/sub channel of room `key`: channels are not per database, so the number is in it.
    static QByteArray channel(int db, const QString &roomKey);
    // The Redis key of one of room `key`'s structures: "meta", "log", "edits", "presence".
    static QByteArray keyOf(const QString &roomKey, const char *what);

    // Presence (ClusterBus): who is in room `key` on any node and not expired at `nowMs`, as
    // the members of its sorted set, "NODE\nSESSION\nNAME" (score: expiry in ms).
    QList<QByteArray> presence(const QString &key, qint64 nowMs);

    // Held names (ClusterBus, open mode): `natter:name:KEY` holds "NODE\nSESSION\nTOKENHASH"
    // with a TTL its node refreshes. The set of rooms some node had members in lately:
    // `natter:rooms` (score: when, in ms).
    static QByteArray nameKeyOf(const QString &nameKey);
    static QByteArray roomsKey() { return QByteArrayLiteral("natter:rooms"); }
    // Holds `nameKey` for NODE's SESSION (see SharedNames::claim); a displaced holder on another
    // node is told on `nodeChannelPrefix` + its node id. 1: held, 0: taken, -1: Redis failed.
    int claimName(const QString &nameKey, const QByteArray &node, const QByteArray &session,
                  const QByteArray &tokenHash, const QByteArray &presentedHash,
                  const QByteArray &nodeChannelPrefix, int ttlMs);
    // Deletes it if NODE's SESSION still holds it.
    void releaseName(const QString &nameKey, const QByteArray &node, const QByteArray &session);
    // KEYS: name keys. ARGV: node, ttl ms, restore ('1' or '0'), then each key's session and
    // token hash. Answers an array, per key: the hold extended, being ours (1), put back when it
    // was gone and restore is '1' (2), gone (3), or 0: someone else holds it now (EVAL on
    // ClusterBus's link).
    static const char *refreshNamesScript();
    // KEYS: name key. ARGV: node, session (releaseName's, for EVAL).
    static const char *releaseNameScript();

    std::unique_ptr<MessageStore> openAnother() const override;
    std::optional<RoomRecord> room(const QString &key) override;
    bool write(const QList<Entry> &entries) override;
    std::optional<Stored> message(const QString &key, qint64 seq) override;
    QList<Protocol::ChatMessage> after(const QString &key, qint64 since, int limit) override;
    // The same with each message's author key and the session it came from (ClusterBus's
    // catch-up delivers like the subscription: its author's session excepted).
    QList<Protocol::ChatMessage> after(const QString &key, qint64 since, int limit, QStringList *authors,
                                       QStringList *origins);
    QList<Protocol::ChatMessage> before(const QString &key, qint64 before, int limit) override;
    int prune(const Retention &retention, qint64 nowMs, int limit) override;
    QList<IdRecord> recentIds(qint64 sinceMs, int limit) override;
    QString errorString() const override { return m_redis.errorString(); }
    bool isShared() const override { return true; }
    std::optional<RoomRecord> createRoom(const QString &key, const QString &name,
                                         const QString &epoch) override;
    QList<Numbered> takeNumbering() override { return std::exchange(m_numbering, {}); }
    // Redis is known to be back (ClusterBus's links): the next call connects without waiting.
    void retryNow() { m_redis.retryNow(); }
    // Whether the last call could not reach Redis (an empty page then means nothing).
    bool lastCallFailed() const { return m_redis.lastCallFailed(); }
    // While `reachable` returns false (ClusterBus's own links found Redis gone or frozen), every
    // call fails at once: on a half-dead broker each would hold the event loop for a timeout.
    void setReachable(std::function<bool()> reachable) { m_redis.setReachable(std::move(reachable)); }

private:
    using Command = RedisConnection::Command;
    // The scripts given to m_redis, in this order.
    enum Script : qsizetype {
        Append,
        Create,
        ClaimName,
        ReleaseName,
        Change
    };
    QList<Protocol::ChatMessage> readEntries(const QString &key, const Command &range, bool reverse,
                                             QStringList *authors = nullptr, QStringList *origins = nullptr);

    Options m_options;
    // The loop's handle is throttled (one connect attempt a second while Redis is away); the
    // writer's (openAnother) tries with every batch.
    RedisConnection m_redis;
    QList<Numbered> m_numbering;
};

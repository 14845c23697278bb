// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

//! Where a server with a data directory keeps its rooms' history (PROTOCOL.md 2, *Durable
//! history*): rooms with their name, epoch and numbering, and their messages. One small interface,
//! so that another backend (Redis, for scale-out) can replace SQLite. Calls are synchronous, on the
//! server's thread; writes come in batches (HistoryWriter), each stored all or nothing.
class MessageStore
{
public:
    struct RoomRecord
    {
        QString name;       // as its creator spelled it
        QString epoch;      // never changes while the store lives
        qint64 lastSeq = 0; // kept when retention removed every message
    };
    // Why a shared store did not write a change (an update entry), though the batch succeeded.
    enum class Refusal {
        None,
        Stale,   // the message changed since its version was read: read it again
        Deleted, // the message is a tombstone: a deletion is final
    };
    struct Entry
    {
        QString roomKey; // Protocol::nameKey of the room
        QString roomName;
        QString roomEpoch;
        QString userKey;               // whose message id this is (MessageIdStore's scope)
        Protocol::ChatMessage message; // with its seq
        // A change of a stored message (an edit, a deletion, reactions: PROTOCOL.md 3): its text
        // and conversation fields replace the stored ones; nothing else of it is written.
        bool update = false;
        // Set on the way back from a shared store: its author had sent this id before, and
        // message.seq is that message's.
        bool duplicate = false;
        // For a shared store: the session that sent it, which its own node does not deliver it to.
        QString origin = {};
        // An update for a shared store: it is written only if the message's revision is still
        // `revision` (Stored::revision), and leaves `nextRevision` ("VERSION TAG", the tag unique
        // to this write); `announcement` is then published to every node.
        QByteArray revision = {};
        QByteArray nextRevision = {};
        QByteArray announcement = {};
        // Set on the way back from a shared store: the update was not written, and why.
        Refusal refused = Refusal::None;
    };
    // What a shared store (isShared()) gave each entry of a write() that succeeded, in order.
    // A shared store writes each entry on its own (one script each, published as it is stored),
    // so a batch can half succeed: write() is true when any entry was stored, and `stored` says
    // which ones.
    struct Numbered
    {
        qint64 seq = 0;
        bool duplicate = false;          // the author's earlier message with this id, stored before
        Refusal refused = Refusal::None; // an update not written
        bool stored = true;
    };
    struct Stored
    {
        Protocol::ChatMessage message;
        QString userKey; // its author's key: who may edit or delete it
        // A shared store's: how often it was changed, and the revision a compare-and-set
        // expects ("VERSION TAG"; empty while never changed).
        qint64 version = 0;
        QByteArray revision = {};
    };
    struct IdRecord
    {
        QString userKey;
        QString id;
        qint64 seq = 0;
        QString room;
        qint64 timestamp = 0;
    };
    struct Retention
    {
        qint64 maxAgeMs = 0;    // 0: no age limit
        qint64 maxMessages = 0; // per room; 0: no count limit
        bool isSet() const { return maxAgeMs > 0 || maxMessages > 0; }
    };

    virtual ~MessageStore() = default;

    // Another handle on the same store, for another thread: call it on that thread, which then
    // alone uses the handle (HistoryWriter writes beside the event loop). A handle that could not
    // be opened fails every write, with its reason in errorString().
    virtual std::unique_ptr<MessageStore> openAnother() const = 0;

    virtual std::optional<RoomRecord> room(const QString &key) = 0;
    // Stores every entry (creating its room when new) or none of them; false: none, and
    // errorString() says why (a full disk, an unwritable file). A shared store: see Numbered.
    virtual bool write(const QList<Entry> &entries) = 0;
    // One held message of room `key` as it stands now, with its author's key.
    virtual std::optional<Stored> message(const QString &key, qint64 seq) = 0;
    // Held messages of room `key` with seq > since, oldest first, at most `limit`.
    virtual QList<Protocol::ChatMessage> after(const QString &key, qint64 since, int limit) = 0;
    // Held messages of room `key` with seq < before, the newest `limit` of them, oldest first.
    virtual QList<Protocol::ChatMessage> before(const QString &key, qint64 before, int limit) = 0;
    // Removes at most `limit` messages beyond `retention`; returns how many (-1: it failed).
    virtual int prune(const Retention &retention, qint64 nowMs, int limit) = 0;
    // The ids of messages stored since `sinceMs` (ms since the epoch), at most `limit`, newest
    // first: the deduplication window outlives a restart.
    virtual QList<IdRecord> recentIds(qint64 sinceMs, int limit) = 0;
    virtual QString errorString() const = 0;
    // A store several nodes share (Redis, PROTOCOL.md 2, *Scale-out*) numbers new messages itself,
    // refuses a message id its author used before, and holds each room's one epoch.
    virtual bool isShared() const { return false; }
    // The room `key` as stored, created with `name` and `epoch` unless it exists already.
    virtual std::optional<RoomRecord> createRoom(const QString &key, const QString &name,
                                                 const QString &epoch)
    {
        Q_UNUSED(key)
        return RoomRecord{name, epoch, 0};
    }
    // After a write() that succeeded: a shared store's numbering of its entries (else empty).
    virtual QList<Numbered> takeNumbering() { return {}; }
    // The writer has nothing waiting: a moment for housekeeping that would hold up a burst
    // (SQLite: moving the write-ahead log into the database, with its fsyncs).
    virtual void idle() {}
};

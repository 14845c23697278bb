// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QHash>

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>

class ServerSession;

//! One chat room: its members in join order, its sequence counter and a bounded history.
class Room
{
public:
    Room(const QString &name, int historyLimit);
    // A room read back from the message store: its epoch and numbering go on, and `recent` (its
    // newest messages, oldest first) fills the in-memory history.
    Room(const QString &name, int historyLimit, const QString &epoch, qint64 lastSeq,
         const QList<Protocol::ChatMessage> &recent);

    const QString &name() const { return m_name; }
    // Protocol::nameKey(name()): the room's identity, computed once.
    const QString &key() const { return m_key; }
    // Names this life of the room: a room created again (after a restart or an eviction) numbers
    // its messages from 1 again, and clients must not mix the two numberings.
    const QString &epoch() const { return m_epoch; }
    // Everyone in the room: its members here and, with scale-out, those on other nodes.
    int userCount() const { return int(m_members.size() + m_remote.size()); }
    // No member on this node (members on others do not keep it in memory).
    bool isEmpty() const { return m_members.isEmpty(); }
    const QList<ServerSession *> &members() const { return m_members; }
    QStringList userNames() const;

    // Scale-out (ClusterLink): the members on other nodes, by session id. Each returns whether
    // anything changed.
    bool addRemote(const QString &session, const QString &name);
    bool removeRemote(const QString &session);
    const QHash<QString, QString> &remoteMembers() const { return m_remote; }
    // The sessions on other nodes under a name with this Protocol::nameKey().
    QStringList remoteSessionsNamed(const QString &nameKey) const { return m_remoteByName.values(nameKey); }

    void addMember(ServerSession *session);
    void removeMember(ServerSession *session);

    // Stores a message under the next sequence number and returns that number. `author` is the
    // key of who may edit or delete it (PROTOCOL.md 3).
    qint64 append(Protocol::ChatMessage message, const QString &author);
    // With a message store, a message is numbered when it arrives but counts only once it is
    // stored: reserveSeq(), then commit() in the same order, or rollback() if the write failed.
    qint64 reserveSeq() { return ++m_reservedSeq; }
    void commit(Protocol::ChatMessage message, const QString &author);
    void rollback() { m_reservedSeq = m_lastSeq; }
    bool hasPending() const { return m_reservedSeq > m_lastSeq || !m_changes.isEmpty(); }
    // Scale-out: a shared store numbers a message before this node has delivered the ones
    // numbered below it (they come through the subscription). Its author's ack waits until they
    // have (deliverUpTo), so an ack never overtakes an earlier message: a client that takes an
    // ack's seq as read would skip them. Dropped with the room, whose members have left.
    void afterDelivered(qint64 seq, std::function<void()> then);
    void deliveredUpTo(qint64 seq);

    // Conversation (PROTOCOL.md 3): a held message as it stands and who wrote it. Null when the
    // room does not hold it in memory; an empty author when it was read back from the store.
    const Protocol::ChatMessage *held(qint64 seq) const;
    QString heldAuthor(qint64 seq) const;
    // A change of a message (edit, deletion, reactions) on its way to the store: a later change
    // of the same message builds on it, not on what is stored. endChange() once it is through.
    struct Change
    {
        Protocol::ChatMessage message;
        QString author;
        int writes = 0;
        // A shared store's version and revision of the message once this is written.
        qint64 version = 0;
        QByteArray revision = {};
    };
    const Change *pendingChange(qint64 seq) const;
    void beginChange(const Protocol::ChatMessage &message, const QString &author, qint64 version = 0,
                     const QByteArray &revision = {});
    void endChange(qint64 seq);
    // The message in its new form replaces the held copy, if there is one.
    void applyChange(const Protocol::ChatMessage &message);
    // Forgets held messages older than `minTimestamp` and all but the newest `maxCount` (0: no
    // such bound): the in-memory side of retention.
    void trimHistory(qint64 minTimestamp, qint64 maxCount);
    // The newest seq stored: what clients are told and what `since` is measured against.
    qint64 lastSeq() const { return m_lastSeq; }
    bool hasHistory() const { return !m_history.isEmpty(); }
    // Roughly what the held messages occupy in memory.
    qint64 historyBytes() const { return m_historyBytes; }
    // The held messages, oldest first, seq ascending (contiguous unless the store refused one).
    const QList<Protocol::ChatMessage> &messages() const { return m_history; }

    // Which members `text` mentions (PROTOCOL.md 3): their names as written after an `@` and
    // followed by the end or a character that cannot go on with the name, longest first, by
    // name key; at most `max`.
    QStringList mentionsIn(const QString &text, int max) const;

    // The same encoded message (UTF-8 JSON) goes to every member: encode once, send many.
    void broadcast(const QByteArray &utf8, const ServerSession *except = nullptr) const;

private:
    void hold(Protocol::ChatMessage message, const QString &author);

    QString m_name;
    QString m_key;
    QString m_epoch;
    int m_historyLimit;
    qint64 m_lastSeq = 0;
    qint64 m_reservedSeq = 0; // ahead of m_lastSeq while messages wait for the store
    qint64 m_historyBytes = 0;
    QList<ServerSession *> m_members;
    QHash<QString, QString> m_remote;                              // session id -> name, on other nodes
    QMultiHash<QString, QString> m_remoteByName;                   // beside it: name key -> session id
    QList<Protocol::ChatMessage> m_history;                        // oldest first, seq ascending
    QList<QString> m_authors;                                      // beside m_history: who may edit each one
    QHash<qint64, Change> m_changes;                               // by seq: changes waiting for the store
    std::multimap<qint64, std::function<void()>> m_afterDelivered; // by seq
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QString>

#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <utility>

//! Remembers, per user, the ids of the chat messages that user sent, with where they were stored,
//! so a resend is acknowledged again instead of delivered twice (PROTOCOL.md section 3). One
//! user's ids never answer for another's. Bounded per user, in total and in time; when the store
//! is full the user holding the most ids loses its oldest first, so a flood from one name cannot
//! push out anyone else's.
class MessageIdStore
{
public:
    struct Record
    {
        qint64 seq = 0;
        QString room;
        qint64 timestamp = 0;
    };
    struct Limits
    {
        int perUser = 10000;          // a user's newest ids kept (Natter's outbox holds as many)
        int total = 200000;           // ids kept across all users
        qint64 windowMs = 86400000LL; // an id is forgotten this long after it was stored
    };
    using Clock = std::function<qint64()>; // monotonic milliseconds

    // `clock` empty: a monotonic clock started here.
    explicit MessageIdStore(const Limits &limits, Clock clock = {});

    std::optional<Record> find(const QString &user, const QString &id) const;
    void insert(const QString &user, const QString &id, const Record &record);
    int size() const { return m_total; }
    int userCount() const { return int(m_scopes.size()); }

private:
    struct Stored
    {
        Record record;
        qint64 storedAt = 0;
    };
    struct Scope
    {
        QHash<QString, Stored> ids;
        std::deque<QString> order; // oldest first
    };

    static QString scopeKey(const QString &user);
    qint64 now() const;
    bool expired(const Stored &stored, qint64 now) const;
    void forgetOldest(Scope &scope);
    void expire(Scope &scope, qint64 now);
    void sweep(qint64 now);
    void resized(const QString &key, int before, int after);

    Limits m_limits;
    Clock m_clock;
    QElapsedTimer m_elapsed;
    QHash<QString, Scope> m_scopes;             // by case-folded user name
    std::set<std::pair<int, QString>> m_bySize; // (ids held, scope): the biggest holder is last
    int m_total = 0;
    qint64 m_lastSweep = 0;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "memorytrimmer.h"

#include <QHash>
#include <QList>
#include <QString>

//! Keeps what the server has queued for its clients bounded, per connection and in total. It is
//! shown each connection's write backlog at a regular tick (everything queued counts: chat,
//! history replies, relayed chunks, and the pongs queued for a peer's protocol pings) and says
//! which connections to drop:
//! - a backlog above the hard limit, at once;
//! - a backlog that stays above the soft limit for longer than the soft time, whether the peer
//!   reads slowly or not at all (reading slowly is not enough to be kept);
//! - while the total passes the global cap, the biggest backlogs first.
//! Plain bookkeeping, no sockets: ChatServer feeds it and acts on the answer. The one thing it
//! does itself, at the same tick: when dropped or drained backlogs left much freed memory in the
//! allocator, that memory goes back to the system (MemoryTrimmer).
class BacklogGuard
{
public:
    struct Limits
    {
        qint64 hardBytes = 0;
        qint64 softBytes = 0;
        int softMs = 0;
        qint64 totalBytes = 0;
        qint64 trimFreedBytes = 64 * 1024 * 1024; // see ServerConfig::trimFreedBytes
    };
    struct Load
    {
        const void *connection = nullptr;
        qint64 backlogBytes = 0;
    };
    struct Drop
    {
        const void *connection = nullptr;
        QString reason;
    };

    explicit BacklogGuard(const Limits &limits);

    // One tick at `nowMs` (a monotonic clock) over every live connection.
    QList<Drop> check(const QList<Load> &loads, qint64 nowMs);
    // The connection is gone: its soft-limit clock is forgotten.
    void forget(const void *connection);
    // Every backlog together at the last check, drops not subtracted.
    qint64 totalBytes() const { return m_total; }

private:
    Limits m_limits;
    MemoryTrimmer m_trimmer;
    qint64 m_total = 0;
    QHash<const void *, qint64> m_aboveSoftSince; // connection -> when it went above the soft limit
};

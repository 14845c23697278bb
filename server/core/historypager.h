// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QList>
#include <QString>

class MessageStore;
class Room;

//! Cuts a room's history into the pages one reply may carry (roomJoined or `history`), bounded by
//! a count and by encoded bytes, so that no single request makes the server queue more than one
//! page (PROTOCOL.md 2). A page always holds at least one message when any is due.
class HistoryPager
{
public:
    struct Limits
    {
        int maxMessages = 100;
        qint64 maxBytes = 256 * 1024;
    };
    struct Page
    {
        QList<Protocol::ChatMessage> messages; // oldest first
        qint64 bytes = 0;                      // their encoded size
        bool more = false;                     // more is held after the last one
        bool truncated = false;                // what the client asked to follow on is no longer held
    };

    explicit HistoryPager(const Limits &limits);

    // A join without `since`: the newest `count` messages, fewer if they do not fit in one page
    // (the oldest are left out). Nothing comes before them, so `more` stays false.
    Page recent(const Room &room, int count) const;
    // The messages after `since` (in the numbering `epoch`; empty: the room's own), oldest first,
    // as many as fit. A `since` from another epoch, beyond lastSeq or older than what is held
    // starts from the oldest held message and sets `truncated`.
    // With a store, what the room's in-memory history no longer holds is read from it.
    Page after(const Room &room, qint64 since, const QString &epoch, MessageStore *store = nullptr) const;
    // `historyBefore`: the newest messages with seq < before (clamped to lastSeq + 1) that fit,
    // oldest first; `more` when older ones are held. From the store when there is one, else from
    // the room's in-memory history.
    Page before(const Room &room, qint64 before, MessageStore *store = nullptr) const;

    // What one message adds to a reply.
    static qint64 bytesOf(const Protocol::ChatMessage &message);

private:
    // From `rows` (oldest first, seq contiguous), those from `start` on that fit in one page.
    void fill(Page &page, const QList<Protocol::ChatMessage> &rows, qsizetype start) const;

    Limits m_limits;
};

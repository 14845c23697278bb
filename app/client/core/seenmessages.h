// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <deque>
#include <optional>

//! What a client has already seen of the server's messages, so that each is handed on once:
//! per room the newest seq and the numbering (epoch) it counts in, and the most recent message
//! ids (for messages without a seq, and a server that repeats one under a new seq). Bounded.
class SeenMessages
{
public:
    static constexpr int MaxRememberedIds = 20000;
    static constexpr int MaxRooms = 1000; // past this, rooms never joined are not tracked by seq

    qint64 lastSeq(const QString &room) const { return m_lastSeq.value(room, 0); }
    bool knowsRoom(const QString &room) const { return m_lastSeq.contains(room); }
    QString epoch(const QString &room) const { return m_epoch.value(room); }

    // A roomJoined, before its history: a new epoch, or a lastSeq below what was seen, means the
    // room's numbering restarted (the server forgot it), so its old seqs no longer count.
    void joining(const QString &room, const QString &epoch, std::optional<qint64> lastSeq);
    // Our own message has this place in the room (an ack, or our message in history).
    void own(const QString &room, qint64 seq, const QString &id = {});
    // The room is known to hold everything up to `seq` (roomJoined's lastSeq, after its history).
    void caughtUp(const QString &room, qint64 seq);
    // True, and remembered, when `m` (its room filled in) was not seen before.
    bool isNew(const Protocol::ChatMessage &m);

private:
    void rememberId(const QString &id);
    bool canTrack(const QString &room) const;

    QHash<QString, qint64> m_lastSeq; // room -> newest seq seen
    QHash<QString, QString> m_epoch;  // room -> the numbering those seqs belong to
    QSet<QString> m_ids;              // recent message ids
    std::deque<QString> m_idOrder;    // bounds m_ids, oldest first
};

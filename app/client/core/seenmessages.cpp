// SPDX-License-Identifier: GPL-3.0-or-later
#include "seenmessages.h"

bool SeenMessages::canTrack(const QString &room) const
{
    // A hostile server could name a new room in every message; rooms joined are always tracked.
    return m_lastSeq.contains(room) || m_lastSeq.size() < MaxRooms;
}

void SeenMessages::joining(const QString &room, const QString &epoch, std::optional<qint64> lastSeq)
{
    const bool newEpoch = !epoch.isEmpty() && m_epoch.contains(room) && m_epoch.value(room) != epoch;
    if (newEpoch || (lastSeq && *lastSeq < this->lastSeq(room)))
        m_lastSeq.insert(room, 0);
    if (!epoch.isEmpty())
        m_epoch.insert(room, epoch);
}

void SeenMessages::own(const QString &room, qint64 seq, const QString &id)
{
    caughtUp(room, seq);
    rememberId(id);
}

void SeenMessages::caughtUp(const QString &room, qint64 seq)
{
    if (!room.isEmpty() && seq > lastSeq(room) && canTrack(room))
        m_lastSeq.insert(room, seq);
}

bool SeenMessages::isNew(const Protocol::ChatMessage &m)
{
    // A room's seq has no gaps and only grows, so it tells old from new; the id catches a server
    // that repeats a message under another seq, and messages without a seq.
    if (m.seq > 0 && canTrack(m.room)) {
        auto it = m_lastSeq.find(m.room);
        if (it == m_lastSeq.end())
            it = m_lastSeq.insert(m.room, 0);
        if (m.seq <= it.value())
            return false;
        it.value() = m.seq;
    }
    if (!m.id.isEmpty()) {
        if (m_ids.contains(m.id))
            return false;
        rememberId(m.id);
    }
    return true;
}

void SeenMessages::rememberId(const QString &id)
{
    if (id.isEmpty() || m_ids.contains(id))
        return;
    m_ids.insert(id);
    m_idOrder.push_back(id);
    if (m_idOrder.size() > MaxRememberedIds) {
        m_ids.remove(m_idOrder.front());
        m_idOrder.pop_front();
    }
}

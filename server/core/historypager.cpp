// SPDX-License-Identifier: GPL-3.0-or-later
#include "historypager.h"

#include "room.h"

HistoryPager::HistoryPager(const Limits &limits)
    : m_limits{qMax(1, limits.maxMessages), qMax<qint64>(1, limits.maxBytes)}
{}

qint64 HistoryPager::bytesOf(const Protocol::ChatMessage &message)
{
    return Protocol::encode(Protocol::ServerMessage(message)).size() + 1; // and its comma
}

HistoryPager::Page HistoryPager::recent(const Room &room, int count) const
{
    const QList<Protocol::ChatMessage> &held = room.messages();
    const qsizetype wanted = qMin(qsizetype(qMax(0, count)), qsizetype(m_limits.maxMessages));
    Page page;
    qsizetype first = held.size();
    // Newest first, so what is left out is the oldest.
    while (first > 0 && held.size() - first < wanted) {
        const qint64 bytes = bytesOf(held.at(first - 1));
        if (page.bytes + bytes > m_limits.maxBytes && first < held.size())
            break;
        page.bytes += bytes;
        --first;
    }
    page.messages = held.mid(first);
    return page;
}

HistoryPager::Page HistoryPager::after(const Room &room, qint64 since, const QString &epoch) const
{
    const QList<Protocol::ChatMessage> &held = room.messages();
    Page page;
    qsizetype start = 0;
    if (!epoch.isEmpty() && epoch != room.epoch()) {
        // `since` counts in an earlier life of the room: everything held is new to the client.
        page.truncated = true;
    } else if (since > room.lastSeq()) {
        // The room's numbering restarted (the server did) and the client's gap cannot be trusted.
        page.truncated = true;
    } else if (since == room.lastSeq()) {
        return page;
    } else {
        const qint64 oldestHeld = held.isEmpty() ? room.lastSeq() + 1 : held.first().seq;
        if (oldestHeld > since + 1)
            page.truncated = true;
        else
            start = qsizetype(since + 1 - oldestHeld);
    }
    qsizetype end = start;
    while (end < held.size() && end - start < m_limits.maxMessages) {
        const qint64 bytes = bytesOf(held.at(end));
        if (page.bytes + bytes > m_limits.maxBytes && end > start)
            break;
        page.bytes += bytes;
        ++end;
    }
    page.messages = held.mid(start, end - start);
    page.more = end < held.size();
    return page;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "historypager.h"

#include "messagestore.h"
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

void HistoryPager::fill(Page &page, const QList<Protocol::ChatMessage> &rows, qsizetype start) const
{
    qsizetype end = start;
    while (end < rows.size() && end - start < m_limits.maxMessages) {
        const qint64 bytes = bytesOf(rows.at(end));
        if (page.bytes + bytes > m_limits.maxBytes && end > start)
            break;
        page.bytes += bytes;
        ++end;
    }
    page.messages = rows.mid(start, end - start);
}

HistoryPager::Page HistoryPager::after(const Room &room, qint64 since, const QString &epoch,
                                       MessageStore *store) const
{
    const QList<Protocol::ChatMessage> &held = room.messages();
    Page page;
    bool fromOldest = false;
    if (!epoch.isEmpty() && epoch != room.epoch()) {
        // `since` counts in an earlier life of the room: everything held is new to the client.
        fromOldest = true;
    } else if (since > room.lastSeq()) {
        // The room's numbering restarted (the server did) and the client's gap cannot be trusted.
        fromOldest = true;
    } else if (since == room.lastSeq()) {
        return page;
    }
    const qint64 from = fromOldest ? 0 : qMax<qint64>(0, since);
    const qint64 oldestInMemory = held.isEmpty() ? room.lastSeq() + 1 : held.first().seq;
    if (store && from + 1 < oldestInMemory) {
        // Older than the in-memory history: the store has it, one page at a time.
        const QString &key = room.key();
        const QList<Protocol::ChatMessage> rows = store->after(key, from, m_limits.maxMessages);
        page.truncated = fromOldest || rows.isEmpty() || rows.first().seq > from + 1;
        fill(page, rows, 0);
        page.more = !page.messages.isEmpty() && page.messages.constLast().seq < room.lastSeq();
        return page;
    }
    qsizetype start = 0;
    if (fromOldest || oldestInMemory > from + 1)
        page.truncated = true;
    else
        start = qsizetype(from + 1 - oldestInMemory);
    fill(page, held, start);
    page.more = start + page.messages.size() < held.size();
    return page;
}

HistoryPager::Page HistoryPager::before(const Room &room, qint64 before, MessageStore *store) const
{
    before = qBound<qint64>(1, before, room.lastSeq() + 1);
    QList<Protocol::ChatMessage> rows;
    bool olderHeld = false;
    if (store) {
        // One more than a page, to know whether older ones are held.
        rows = store->before(room.key(), before, m_limits.maxMessages + 1);
        olderHeld = rows.size() > m_limits.maxMessages;
        if (olderHeld)
            rows.removeFirst();
    } else {
        const QList<Protocol::ChatMessage> &held = room.messages();
        const qsizetype end =
            held.isEmpty() ? 0 : qBound<qsizetype>(0, before - held.first().seq, held.size());
        const qsizetype start = qMax<qsizetype>(0, end - m_limits.maxMessages);
        rows = held.mid(start, end - start);
        olderHeld = start > 0;
    }
    Page page;
    // Newest first, so what is left for the next request is the oldest.
    qsizetype first = rows.size();
    while (first > 0) {
        const qint64 bytes = bytesOf(rows.at(first - 1));
        if (page.bytes + bytes > m_limits.maxBytes && first < rows.size())
            break;
        page.bytes += bytes;
        --first;
    }
    page.messages = rows.mid(first);
    page.more = olderHeld || first > 0;
    return page;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "historyretention.h"

#include "protocol.h"
#include "roomdirectory.h"
#include "serverlog.h"

#include <limits>

HistoryRetention::HistoryRetention(const MessageStore::Retention &retention, int intervalMs, int batch,
                                   MessageStore *store, RoomDirectory &rooms, QObject *parent)
    : QObject(parent)
    , m_retention(retention)
    , m_intervalMs(qMax(1, intervalMs))
    , m_batch(qMax(1, batch))
    , m_store(store)
    , m_rooms(rooms)
    , m_clock([] { return Protocol::nowMs(); })
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HistoryRetention::sweep);
}

void HistoryRetention::start()
{
    if (m_retention.isSet())
        m_timer.start(0); // what a restart finds beyond the bounds goes at once
}

void HistoryRetention::sweep()
{
    const qint64 now = m_clock();
    const qint64 minTimestamp =
        m_retention.maxAgeMs > 0 ? now - m_retention.maxAgeMs : std::numeric_limits<qint64>::min();
    m_rooms.trimHistories(minTimestamp, m_retention.maxMessages);
    const int removed = m_store ? m_store->prune(m_retention, now, m_batch) : 0;
    if (removed < 0)
        qCWarning(lcServer).noquote() << "retention could not remove old messages:" << m_store->errorString();
    m_removed += qMax(0, removed);
    if (removed >= m_batch) {
        m_timer.start(0); // more is due: the next batch in the next pass
        return;
    }
    emit swept();
    m_timer.start(m_intervalMs);
}

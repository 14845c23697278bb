// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagestore.h"

#include <QObject>
#include <QTimer>

#include <functional>

class RoomDirectory;

//! Applies `--history-max-age` and `--history-max-messages` in the background: every interval it
//! removes what is beyond them from the store in batches of `batch` messages, one batch per
//! event-loop pass while any is left, so the loop never stalls on a long delete; and trims the
//! rooms' in-memory history to the same bounds.
class HistoryRetention : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<qint64()>; // wall clock, ms since the epoch

    // `store` may be null (history in memory only). Neither is owned.
    HistoryRetention(const MessageStore::Retention &retention, int intervalMs, int batch, MessageStore *store,
                     RoomDirectory &rooms, QObject *parent = nullptr);

    void start();
    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Messages removed from the store so far.
    qint64 removed() const { return m_removed; }

signals:
    // One round is done: nothing beyond the bounds is left (as of its start).
    void swept();

private:
    void sweep();

    MessageStore::Retention m_retention;
    int m_intervalMs;
    int m_batch;
    MessageStore *m_store;
    RoomDirectory &m_rooms;
    Clock m_clock;
    QTimer m_timer{this};
    qint64 m_removed = 0;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagestore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <utility>

//! Gathers the messages of one event-loop pass and writes them to the MessageStore in one
//! transaction, then calls each one's completion in order: so a message is acknowledged and
//! delivered only once it is stored, and a burst costs one commit, not one per message
//! (PROTOCOL.md 2, *Durable history*). A batch that cannot be written fails whole.
class HistoryWriter : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(bool stored)>;

    explicit HistoryWriter(MessageStore &store, QObject *parent = nullptr);
    ~HistoryWriter() override;

    MessageStore &store() const { return m_store; }
    // Queues `entry` for the commit at the end of this pass; `done` follows it.
    void add(MessageStore::Entry entry, Done done);
    // Whether `userKey`'s message `id` waits for the commit.
    bool isPending(const QString &userKey, const QString &id) const;
    // Runs `then` after the waiting batch's completions (at once when nothing waits).
    void afterPending(std::function<void()> then);
    // Writes what waits now (shutdown, and the commit timer).
    void flush();
    // false after a batch failed to be written, until one succeeds.
    bool healthy() const { return m_healthy; }
    // Commits so far, for the logs and the benchmark.
    qint64 commits() const { return m_commits; }

private:
    MessageStore &m_store;
    QList<MessageStore::Entry> m_entries;
    QList<Done> m_done;
    QList<std::function<void()>> m_after;
    QSet<std::pair<QString, QString>> m_pendingIds;
    QTimer m_commitTimer{this};
    bool m_healthy = true;
    qint64 m_commits = 0;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagestore.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <deque>
#include <functional>
#include <utility>

class MessageStoreWorker;

//! Gathers messages and writes them to the MessageStore in one transaction, on a thread of its
//! own (so that the loop goes on relaying meanwhile, and a slow disk never stalls it): what one
//! event-loop pass brings when the thread is idle, or everything that came while it wrote the
//! last batch (group commit: the busier the server, the fewer and larger its transactions). It
//! then calls each message's completion on the loop, in order: a message is
//! acknowledged and delivered only once it is stored (PROTOCOL.md 2, *Durable history*). Batches
//! are written in the order they were made; when one fails, it fails with every batch made after
//! it and not yet completed (their numbers follow the failed ones), and writing starts afresh.
//! A shared store numbers messages itself and stores them one by one: there a failure is the
//! failed messages' alone.
class HistoryWriter : public QObject
{
    Q_OBJECT

public:
    // Called with the entry as it was written, so callers need not keep a copy of their own.
    using Done = std::function<void(bool stored, const MessageStore::Entry &entry)>;

    // `store` is the event loop's handle (reads); the thread opens one of its own to write.
    explicit HistoryWriter(MessageStore &store, QObject *parent = nullptr);
    ~HistoryWriter() override;

    MessageStore &store() const { return m_store; }
    // Queues `entry` for the next batch; `done` follows its write.
    void add(MessageStore::Entry entry, Done done);
    // Messages waiting for their write (gathered and sent to the thread).
    int unwritten() const { return m_unwrittenEntries; }
    // Whether `userKey`'s message `id` waits for its write.
    bool isPending(const QString &userKey, const QString &id) const;
    // Runs `then` after the completions of everything waiting now (at once when nothing waits).
    void afterPending(std::function<void()> then);
    // Writes everything waiting and runs its completions before returning (shutdown, tests).
    void flush();
    // false after a batch failed to be written, until one succeeds.
    bool healthy() const { return m_healthy; }
    // Batches the thread has written (or failed to), and the time it took: /metrics.
    quint64 batchesWritten() const { return m_batchesWritten; }
    double writeSeconds() const { return m_writeSeconds; }
    double lastWriteSeconds() const { return m_lastWriteSeconds; }

private:
    struct Batch
    {
        quint64 id = 0;
        QList<MessageStore::Entry> entries;
        QList<Done> done;
        QList<std::function<void()>> after;
        QSet<std::pair<QString, QString>> ids; // (user key, message id)
        bool isEmpty() const { return entries.isEmpty() && after.isEmpty(); }
    };
    struct Result
    {
        quint64 id = 0;
        bool stored = false;
        QString error;
        double seconds = 0;                           // the write on the thread
        QList<MessageStore::Numbered> numbering = {}; // a shared store's
    };

    void send();
    void takeResults();
    void complete(Batch &batch, bool stored, const QList<MessageStore::Numbered> &numbering = {});

    MessageStore &m_store;
    QThread m_thread;
    MessageStoreWorker *m_worker;
    Batch m_queued;
    std::deque<Batch> m_inFlight; // sent to the thread, oldest first
    quint64 m_nextBatch = 0;
    qsizetype m_lastBatchSize = 0; // the next batch is reserved as large, so it seldom grows
    QMutex m_resultLock;           // m_results is filled on the thread, emptied on the loop
    std::deque<Result> m_results;
    std::atomic<int> m_unwritten{0}; // batches sent, not yet written: the thread idles at 0
    QTimer m_sendTimer{this};
    bool m_healthy = true;
    int m_unwrittenEntries = 0;
    quint64 m_batchesWritten = 0;
    double m_writeSeconds = 0;
    double m_lastWriteSeconds = 0;
};

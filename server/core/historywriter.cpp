// SPDX-License-Identifier: GPL-3.0-or-later
#include "historywriter.h"

#include "messagestoreworker.h"
#include "serverlog.h"

#include <QElapsedTimer>
#include <QMutexLocker>

HistoryWriter::HistoryWriter(MessageStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_worker(new MessageStoreWorker(store))
{
    m_thread.setObjectName(QStringLiteral("natter-store"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &MessageStoreWorker::open, Qt::QueuedConnection);
    // A zero timer fires once the pass has handled the input it had: one batch per pass.
    m_sendTimer.setSingleShot(true);
    m_sendTimer.setInterval(0);
    connect(&m_sendTimer, &QTimer::timeout, this, &HistoryWriter::send);
}

HistoryWriter::~HistoryWriter()
{
    flush();
    // The worker's handle was opened on its thread and is closed there.
    QMetaObject::invokeMethod(m_worker, &MessageStoreWorker::close, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

void HistoryWriter::add(MessageStore::Entry entry, Done done)
{
    if (!entry.message.id.isEmpty())
        m_queued.ids.insert({entry.userKey, entry.message.id});
    if (m_queued.entries.isEmpty()) {
        // As large as the last one, within reason: one burst must not size every later batch.
        const qsizetype expected = qMin<qsizetype>(m_lastBatchSize, 4096);
        m_queued.entries.reserve(expected);
        m_queued.done.reserve(expected);
    }
    m_queued.entries.append(std::move(entry));
    m_queued.done.append(std::move(done));
    ++m_unwrittenEntries;
    // Group commit: while a batch is being written the next one grows, and goes when it is done.
    if (m_inFlight.empty() && !m_sendTimer.isActive())
        m_sendTimer.start();
}

bool HistoryWriter::isPending(const QString &userKey, const QString &id) const
{
    const std::pair<QString, QString> key{userKey, id};
    if (m_queued.ids.contains(key))
        return true;
    for (const Batch &b : m_inFlight) {
        if (b.ids.contains(key))
            return true;
    }
    return false;
}

void HistoryWriter::afterPending(std::function<void()> then)
{
    if (!m_queued.isEmpty())
        m_queued.after.append(std::move(then));
    else if (!m_inFlight.empty())
        m_inFlight.back().after.append(std::move(then));
    else
        then();
}

void HistoryWriter::send()
{
    m_sendTimer.stop();
    if (m_queued.entries.isEmpty()) {
        Batch rest = std::exchange(m_queued, Batch{});
        complete(rest, true); // only `after`s, with nothing to write
        return;
    }
    m_lastBatchSize = m_queued.entries.size();
    Batch &batch = m_inFlight.emplace_back(std::exchange(m_queued, Batch{}));
    batch.id = ++m_nextBatch;
    ++m_unwritten;
    QMetaObject::invokeMethod(
        m_worker,
        [this, id = batch.id, entries = batch.entries] {
            // On the writer's thread.
            Result result{id, false, {}};
            QElapsedTimer took;
            took.start();
            result.stored = m_worker->write(entries, &result.error, &result.numbering);
            result.seconds = double(took.nsecsElapsed()) / 1e9;
            {
                const QMutexLocker lock(&m_resultLock);
                m_results.push_back(std::move(result));
            }
            if (--m_unwritten == 0)
                m_worker->idle();
            // Back on the loop; dropped if the writer is gone (flush() has taken it then).
            QMetaObject::invokeMethod(this, &HistoryWriter::takeResults, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void HistoryWriter::takeResults()
{
    std::deque<Result> results;
    {
        const QMutexLocker lock(&m_resultLock);
        results.swap(m_results);
    }
    for (const Result &result : results) {
        ++m_batchesWritten;
        m_writeSeconds += result.seconds;
        m_lastWriteSeconds = result.seconds;
        if (m_inFlight.empty() || m_inFlight.front().id != result.id)
            continue; // failed already, with an earlier batch
        if (result.stored != m_healthy) {
            // Once per change, not once per message: a full disk refuses many.
            if (result.stored)
                qCInfo(lcServer).noquote() << "message store writable again";
            else
                qCWarning(lcServer).noquote()
                    << "message store cannot write, refusing new messages:" << result.error;
            m_healthy = result.stored;
        }
        if (result.stored) {
            if (!result.error.isEmpty())
                qCWarning(lcServer).noquote() << "message store refused part of a batch:" << result.error;
            Batch batch = std::move(m_inFlight.front());
            m_inFlight.pop_front();
            complete(batch, true, result.numbering);
            continue;
        }
        if (m_store.isShared()) {
            // The shared store numbered nothing of it: the batches after it stand on their own.
            Batch batch = std::move(m_inFlight.front());
            m_inFlight.pop_front();
            complete(batch, false);
            continue;
        }
        // Every batch made after it holds numbers that follow the failed ones: they fail too, the
        // rooms take their numbers back, and the thread writes again from what comes next.
        std::deque<Batch> failed = std::exchange(m_inFlight, {});
        failed.push_back(std::exchange(m_queued, Batch{}));
        QMetaObject::invokeMethod(m_worker, &MessageStoreWorker::reset, Qt::QueuedConnection);
        for (Batch &batch : failed)
            complete(batch, false);
    }
    if (m_inFlight.empty() && !m_queued.isEmpty())
        send(); // what came while the last batch was written
}

void HistoryWriter::complete(Batch &batch, bool stored, const QList<MessageStore::Numbered> &numbering)
{
    m_unwrittenEntries -= int(batch.entries.size());
    // Const: the thread may still hold its copy of the list, which must not be detached.
    const QList<MessageStore::Entry> &entries = batch.entries;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (i < numbering.size()) { // a shared store numbered it
            MessageStore::Entry numbered = entries.at(i);
            numbered.message.seq = numbering.at(i).seq;
            numbered.duplicate = numbering.at(i).duplicate;
            numbered.refused = numbering.at(i).refused;
            batch.done.at(i)(stored && numbering.at(i).stored, numbered);
            continue;
        }
        batch.done.at(i)(stored, entries.at(i));
    }
    for (const auto &then : std::as_const(batch.after))
        then();
}

void HistoryWriter::flush()
{
    while (!m_inFlight.empty() || !m_queued.isEmpty()) {
        send();
        // The thread works through its queue in order: once this returns, all sent is written.
        QMetaObject::invokeMethod(
            m_worker, [] {}, Qt::BlockingQueuedConnection);
        takeResults();
    }
}

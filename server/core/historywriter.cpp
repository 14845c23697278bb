// SPDX-License-Identifier: GPL-3.0-or-later
#include "historywriter.h"

#include "messagestoreworker.h"
#include "serverlog.h"

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
    // A zero timer fires once the pass has handled the input it had: one batch per pass at most.
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
    m_queued.entries.append(std::move(entry));
    m_queued.done.append(std::move(done));
    if (!m_inFlight && !m_sendTimer.isActive())
        m_sendTimer.start();
}

bool HistoryWriter::isPending(const QString &userKey, const QString &id) const
{
    const std::pair<QString, QString> key{userKey, id};
    return m_queued.ids.contains(key) || (m_inFlight && m_inFlight->ids.contains(key));
}

void HistoryWriter::afterPending(std::function<void()> then)
{
    if (!m_queued.isEmpty())
        m_queued.after.append(std::move(then));
    else if (m_inFlight)
        m_inFlight->after.append(std::move(then));
    else
        then();
}

void HistoryWriter::send()
{
    m_sendTimer.stop();
    if (m_inFlight || m_queued.isEmpty())
        return;
    m_inFlight = std::exchange(m_queued, Batch{});
    m_inFlight->id = ++m_nextBatch;
    const quint64 id = m_inFlight->id;
    QMetaObject::invokeMethod(
        m_worker,
        [this, id, entries = m_inFlight->entries] {
            // On the writer's thread.
            Result result{id, false, {}};
            result.stored = m_worker->write(entries, &result.error);
            {
                const QMutexLocker lock(&m_resultLock);
                m_lastResult = result;
            }
            // Back on the loop; dropped if the writer is gone (flush() took it then).
            QMetaObject::invokeMethod(
                this, [this, result] { finished(result); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void HistoryWriter::finished(const Result &result)
{
    if (!m_inFlight || m_inFlight->id != result.id)
        return; // flush() has handled it
    Batch batch = std::exchange(*m_inFlight, Batch{});
    m_inFlight.reset();
    if (result.stored != m_healthy) {
        // Once per change, not once per message: a full disk refuses many.
        if (result.stored)
            qCInfo(lcServer).noquote() << "message store writable again";
        else
            qCWarning(lcServer).noquote()
                << "message store cannot write, refusing new messages:" << result.error;
        m_healthy = result.stored;
    }
    if (!result.stored) {
        // The next batch's numbers follow the failed one's: it fails with it, and the rooms'
        // numbering goes back to what is stored.
        Batch next = std::exchange(m_queued, Batch{});
        complete(batch, false);
        complete(next, false);
        return;
    }
    complete(batch, true);
    send(); // what gathered meanwhile goes at once
}

void HistoryWriter::complete(Batch &batch, bool stored)
{
    for (const Done &d : std::as_const(batch.done))
        d(stored);
    for (const auto &then : std::as_const(batch.after))
        then();
}

void HistoryWriter::flush()
{
    while (m_inFlight || !m_queued.isEmpty()) {
        if (!m_inFlight) {
            send();
            continue;
        }
        // The thread handles its queue in order: once this returns, the batch in flight is written.
        QMetaObject::invokeMethod(
            m_worker, [] {}, Qt::BlockingQueuedConnection);
        Result result;
        {
            const QMutexLocker lock(&m_resultLock);
            result = m_lastResult;
        }
        finished(result);
    }
}

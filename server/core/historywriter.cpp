// SPDX-License-Identifier: GPL-3.0-or-later
#include "historywriter.h"

#include "serverlog.h"

HistoryWriter::HistoryWriter(MessageStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    // A zero timer fires once the pass has handled the input it had: one commit per pass.
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setInterval(0);
    connect(&m_commitTimer, &QTimer::timeout, this, &HistoryWriter::flush);
}

HistoryWriter::~HistoryWriter() = default;

void HistoryWriter::add(MessageStore::Entry entry, Done done)
{
    if (!entry.message.id.isEmpty())
        m_pendingIds.insert({entry.userKey, entry.message.id});
    m_entries.append(std::move(entry));
    m_done.append(std::move(done));
    if (!m_commitTimer.isActive())
        m_commitTimer.start();
}

bool HistoryWriter::isPending(const QString &userKey, const QString &id) const
{
    return m_pendingIds.contains({userKey, id});
}

void HistoryWriter::afterPending(std::function<void()> then)
{
    if (m_entries.isEmpty()) {
        then();
        return;
    }
    m_after.append(std::move(then));
}

void HistoryWriter::flush()
{
    m_commitTimer.stop();
    if (m_entries.isEmpty())
        return;
    // Taken first: a completion may queue the next batch.
    const QList<MessageStore::Entry> entries = std::exchange(m_entries, {});
    const QList<Done> done = std::exchange(m_done, {});
    const QList<std::function<void()>> after = std::exchange(m_after, {});
    m_pendingIds.clear();
    const bool stored = m_store.write(entries);
    ++m_commits;
    if (stored != m_healthy) {
        // Once per change, not once per message: a full disk refuses many.
        if (stored)
            qCInfo(lcServer).noquote() << "message store writable again";
        else
            qCWarning(lcServer).noquote()
                << "message store cannot write, refusing new messages:" << m_store.errorString();
        m_healthy = stored;
    }
    for (const Done &d : done)
        d(stored);
    for (const auto &then : after)
        then();
}

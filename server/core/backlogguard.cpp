// SPDX-License-Identifier: GPL-3.0-or-later
#include "backlogguard.h"

#include "serverlog.h"

#include <algorithm>

BacklogGuard::BacklogGuard(const Limits &limits)
    : m_limits(limits)
    , m_trimmer(limits.trimFreedBytes)
{}

QList<BacklogGuard::Drop> BacklogGuard::check(const QList<Load> &loads, qint64 nowMs)
{
    m_total = 0;
    for (const Load &load : loads)
        m_total += load.backlogBytes;
    const qint64 freeHeld = MemoryTrimmer::freeHeldBytes();
    if (m_trimmer.note(freeHeld)) {
        MemoryTrimmer::releaseFreeMemory();
        qCInfo(lcServer).noquote() << "returned freed memory to the system:" << freeHeld << "bytes were free,"
                                   << m_total << "bytes are queued";
    }
    QList<Drop> drops;
    QList<Load> kept;
    kept.reserve(loads.size());
    qint64 total = 0;
    for (const Load &load : loads) {
        if (load.backlogBytes > m_limits.hardBytes) {
            drops.append({load.connection, QStringLiteral("%1 bytes queued, more than the limit of %2")
                                               .arg(load.backlogBytes)
                                               .arg(m_limits.hardBytes)});
            continue;
        }
        if (load.backlogBytes > m_limits.softBytes) {
            const qint64 since = m_aboveSoftSince.value(load.connection, -1);
            if (since < 0) {
                m_aboveSoftSince.insert(load.connection, nowMs);
            } else if (nowMs - since >= m_limits.softMs) {
                drops.append({load.connection, QStringLiteral("more than %1 bytes queued for %2 ms")
                                                   .arg(m_limits.softBytes)
                                                   .arg(nowMs - since)});
                continue;
            }
        } else {
            m_aboveSoftSince.remove(load.connection);
        }
        kept.append(load);
        total += load.backlogBytes;
    }
    if (total > m_limits.totalBytes) {
        std::sort(kept.begin(), kept.end(),
                  [](const Load &a, const Load &b) { return a.backlogBytes > b.backlogBytes; });
        for (const Load &load : std::as_const(kept)) {
            if (total <= m_limits.totalBytes)
                break;
            total -= load.backlogBytes;
            drops.append({load.connection, QStringLiteral("the server's queues hold more than %1 bytes, "
                                                          "and this connection's is among the biggest")
                                               .arg(m_limits.totalBytes)});
        }
    }
    for (const Drop &drop : std::as_const(drops))
        m_aboveSoftSince.remove(drop.connection);
    return drops;
}

void BacklogGuard::forget(const void *connection)
{
    m_aboveSoftSince.remove(connection);
}

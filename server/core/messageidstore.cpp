// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageidstore.h"

MessageIdStore::MessageIdStore(int capacity)
    : m_capacity(qMax(1, capacity))
{
    m_records.reserve(qMin(m_capacity, 4096));
}

std::optional<MessageIdStore::Record> MessageIdStore::find(const QString &id) const
{
    const auto it = m_records.constFind(id);
    if (it == m_records.constEnd())
        return std::nullopt;
    return *it;
}

void MessageIdStore::insert(const QString &id, const Record &record)
{
    if (m_records.contains(id))
        return;
    m_records.insert(id, record);
    m_order.push_back(id);
    while (int(m_order.size()) > m_capacity) {
        m_records.remove(m_order.front());
        m_order.pop_front();
    }
}

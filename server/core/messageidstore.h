// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

#include <deque>
#include <optional>

//! Remembers the last N client message ids with where they were stored, so a resent message is
//! acknowledged again instead of delivered twice.
class MessageIdStore
{
public:
    struct Record
    {
        qint64 seq = 0;
        QString room;
        qint64 timestamp = 0;
    };

    explicit MessageIdStore(int capacity);

    std::optional<Record> find(const QString &id) const;
    void insert(const QString &id, const Record &record);
    int size() const { return int(m_records.size()); }

private:
    int m_capacity;
    QHash<QString, Record> m_records;
    std::deque<QString> m_order; // oldest first, for eviction
};

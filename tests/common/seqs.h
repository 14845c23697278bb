// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

//! Seq lists for the history tests: what a page or a roomJoined held, and what it should hold.

// The seqs of a JSON array of chat messages (`history` or `messages`), in order.
inline QList<qint64> seqsOf(const QJsonValue &messages)
{
    QList<qint64> seqs;
    for (const QJsonValue &m : messages.toArray())
        seqs.append(m.toObject().value(QLatin1String("seq")).toInteger());
    return seqs;
}

// first, first + 1, …, last.
inline QList<qint64> seqRange(qint64 first, qint64 last)
{
    QList<qint64> out;
    for (qint64 s = first; s <= last; ++s)
        out.append(s);
    return out;
}

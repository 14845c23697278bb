// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

// The keys of a JSON message, sorted, so a test can check a message's exact key set.
inline QStringList keysOf(const QJsonObject &o)
{
    QStringList keys = o.keys();
    keys.sort();
    return keys;
}

inline QStringList sorted(QStringList keys)
{
    keys.sort();
    return keys;
}

// A JSON array of strings as a QStringList (non-strings become empty strings).
inline QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out.append(s.toString());
    return out;
}

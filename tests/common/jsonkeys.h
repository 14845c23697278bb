// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
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

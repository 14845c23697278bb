// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaEnum>
#include <QString>

//! Names of Q_ENUM values as Natter writes them (the outbox file, natter-cli's JSON, logs): the
//! enumerator with a lower-case first letter, "GaveUp" -> "gaveUp". Read from the enum itself, so
//! no hand-written switch beside it can fall out of step.
namespace EnumName {

template<typename E>
QString of(E value)
{
    QString name = QString::fromLatin1(QMetaEnum::fromType<E>().valueToKey(int(value)));
    if (!name.isEmpty())
        name[0] = name.at(0).toLower();
    return name;
}

} // namespace EnumName

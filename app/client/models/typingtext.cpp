// SPDX-License-Identifier: GPL-3.0-or-later
#include "typingtext.h"

QString TypingText::describe(const QStringList &users)
{
    switch (users.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(users.at(0));
    case 2:
        return tr("%1 and %2 are typing…").arg(users.at(0), users.at(1));
    default:
        return tr("Several people are typing…");
    }
}

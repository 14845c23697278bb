// SPDX-License-Identifier: GPL-3.0-or-later
#include "transferinfo.h"

#include "enumname.h"

QString TransferInfo::stateName(State state)
{
    return EnumName::of(state);
}

QString TransferInfo::directionName(Direction direction)
{
    return EnumName::of(direction);
}

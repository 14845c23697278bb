// SPDX-License-Identifier: GPL-3.0-or-later
#include "transferinfo.h"

QString TransferInfo::stateName(State state)
{
    switch (state) {
    case State::Queued:
        return QStringLiteral("queued");
    case State::Active:
        return QStringLiteral("active");
    case State::Interrupted:
        return QStringLiteral("interrupted");
    case State::Completed:
        return QStringLiteral("completed");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QString TransferInfo::directionName(Direction direction)
{
    return direction == Direction::Upload ? QStringLiteral("upload") : QStringLiteral("download");
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// "natter.server": one line per connect, disconnect, join, leave and dead connection.
Q_DECLARE_LOGGING_CATEGORY(lcServer)

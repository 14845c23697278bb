// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverlog.h"

Q_LOGGING_CATEGORY(lcServer, "natter.server", QtInfoMsg)

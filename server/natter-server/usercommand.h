// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

//! `natter-server user add|passwd|remove NAME` and `natter-server user list`: how an operator
//! manages the user database of accounts mode (UserStore) in the server's data directory.
namespace UserCommand {

// Where the server keeps its state without --data-dir: $STATE_DIRECTORY (set by systemd from the
// unit's StateDirectory=), else the per-user data directory (~/.local/share/natter-server).
QString defaultDataDir();
// `arguments` as QCoreApplication::arguments() gives them, "user" second. Returns the exit code:
// 0 done, 1 refused or failed (the reason on standard error), 2 a usage error.
int run(const QStringList &arguments);

} // namespace UserCommand

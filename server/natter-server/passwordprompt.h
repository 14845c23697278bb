// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

//! Reads a new password for `natter-server user add|passwd`: typed twice at the terminal without
//! echo when standard input is one, else the first line of standard input (for scripts).
namespace PasswordPrompt {

// nullopt with *error set when nothing usable was read (end of input, the two differ, not UTF-8).
std::optional<QString> readNew(const QString &userName, QString *error);

} // namespace PasswordPrompt

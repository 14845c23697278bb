// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcessEnvironment>
#include <QString>

#include <optional>

//! Where natter-cli finds an account's password, since stdin carries commands and cannot prompt:
//! a file named by --password-file, else the NATTER_PASSWORD environment variable.
//!
//! Like ssh with a private key, a password file anyone else may read is refused, not used.
class PasswordSource
{
public:
    static constexpr int MaxPasswordBytes = 1024; // the server's limit (UserStore)

    // The password from `passwordFile` if one is named, else from NATTER_PASSWORD in
    // `environment`; nullopt with `*error` empty when neither is given, nullopt with `*error` set
    // when the one given cannot be used.
    static std::optional<QString> read(const QString &passwordFile, const QProcessEnvironment &environment,
                                       QString *error);
    // The first line of `path`, without its line ending. The file (a named pipe too, as from
    // `--password-file <(pass show chat)`) must belong to the user and be closed to group and others.
    static std::optional<QString> fromFile(const QString &path, QString *error);
};

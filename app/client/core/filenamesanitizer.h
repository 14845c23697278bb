// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QDir;

//! Turns a file name chosen by someone else (a peer's upload) into one that is safe to create:
//! a single path component, not hidden, not a device name, no control or direction characters,
//! bounded in length; and finds a free name in a directory so nothing is ever overwritten.
class FileNameSanitizer
{
public:
    static constexpr int MaxBytes = 200; // UTF-8; leaves room for " (9999)" and a ".part" suffix

    // Never empty: a name with nothing usable left becomes "file".
    static QString sanitize(const QString &name, int maxBytes = MaxBytes);
    // "name.ext" -> "name (n).ext" ("a.tar.gz" -> "a (n).tar.gz"); n = 0 gives `name` itself.
    static QString numbered(const QString &name, int n);
    // The first of name, "name (1).ext", "name (2).ext" … that does not exist in `dir`.
    static QString unusedName(const QDir &dir, const QString &name);
};

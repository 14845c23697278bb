// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

//! The steps every Natter SQLite file goes through before it is used: created private, given a
//! Qt SQL connection of its own, brought to the current schema. Each returns what went wrong,
//! in words for an operator or a user, or nothing.
namespace SqliteFile {

// Creates `dir` (0700) when it is missing, and `path` in it as an empty 0600 file when it is
// missing: SQLite would create it with the umask's mode, and its -wal and -shm files copy the
// database's. An existing file is tightened to 0600. With `handOverToDirOwner`, a file that root
// creates in a directory belonging to someone else (a service's state directory) is given to
// the directory's owner, so the service can open it.
std::optional<QString> createPrivate(const QString &dir, const QString &path,
                                     bool handOverToDirOwner = false);

// A new QSQLITE connection named `<prefix>-<n>` (unique in the process) on `path`, not yet open.
// Fails when Qt's SQLite driver is not installed.
std::optional<QString> addConnection(const QString &prefix, const QString &path, QString *name);

// Brings the file to version `migrations.size()`: migrations[v] takes a version-v file to v + 1,
// in one IMMEDIATE transaction (two processes opening a new file at once do not both create the
// tables). A file of a newer version than `migrations.size()` is refused, naming `program`.
std::optional<QString> migrate(const QSqlDatabase &db, const QList<QStringList> &migrations,
                               const QString &program);

} // namespace SqliteFile

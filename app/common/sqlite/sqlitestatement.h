// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringView>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

//! A statement prepared on the sqlite3 handle of an open QSQLITE connection, for the few paths
//! that write thousands of rows a second: QSqlQuery keeps a QVariant and a placeholder name for
//! every bound value, which costs more than SQLite's own insert (docs/BENCHMARKS.md, fan-out with
//! the store). Everything else goes through QSqlQuery. Columns count from 1, as in SQLite.
//! After step() the statement is reset and its values unbound, ready for the next row.
class SqliteStatement
{
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // Prepares `sql` on `db`, which must stay open while this statement lives. Returns what went
    // wrong, or nothing.
    std::optional<QString> prepare(const QSqlDatabase &db, const char *sql);
    void finalize();

    void bind(int column, qint64 value);
    // Bound without a copy: `text` must stay alive and unchanged until step() returns.
    void bind(int column, QStringView text);
    // As bind(), but SQL NULL for an empty text.
    void bindOrNull(int column, QStringView text);
    // Runs the statement to its end. False on an error, described by errorString().
    bool step();
    QString errorString() const { return m_error; }

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_error;
};

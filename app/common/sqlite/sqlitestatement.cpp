// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlitestatement.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

SqliteStatement::~SqliteStatement()
{
    finalize();
}

std::optional<QString> SqliteStatement::prepare(const QSqlDatabase &db, const char *sql)
{
    finalize();
    // Qt's SQLite driver hands out its connection as a QVariant holding `sqlite3 *`.
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0 || !db.isOpen())
        return QStringLiteral("not an open SQLite connection");
    m_db = *static_cast<sqlite3 *const *>(handle.constData());
    if (!m_db)
        return QStringLiteral("not an open SQLite connection");
    const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr);
    if (rc != SQLITE_OK) {
        m_statement = nullptr;
        return QString::fromUtf8(sqlite3_errmsg(m_db));
    }
    return std::nullopt;
}

void SqliteStatement::finalize()
{
    sqlite3_finalize(m_statement); // a no-op on null
    m_statement = nullptr;
}

void SqliteStatement::bind(int column, qint64 value)
{
    sqlite3_bind_int64(m_statement, column, value);
}

void SqliteStatement::bind(int column, QStringView text)
{
    // UTF-16 as QString holds it: no conversion, no copy. A null QString is still an empty text.
    static const char16_t empty = 0;
    const void *data = text.isNull() ? static_cast<const void *>(&empty) : text.utf16();
    sqlite3_bind_text16(m_statement, column, data, int(text.size() * 2), SQLITE_STATIC);
}

void SqliteStatement::bindOrNull(int column, QStringView text)
{
    if (text.isEmpty())
        sqlite3_bind_null(m_statement, column);
    else
        bind(column, text);
}

bool SqliteStatement::step()
{
    if (!m_statement) {
        m_error = QStringLiteral("the statement is not prepared");
        return false;
    }
    int rc = sqlite3_step(m_statement);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(m_statement);
    // The message before reset(), which may replace it.
    m_error = rc == SQLITE_DONE ? QString() : QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    return rc == SQLITE_DONE;
}

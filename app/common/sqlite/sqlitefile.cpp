// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlitefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace SqliteFile {

std::optional<QString> createPrivate(const QString &dir, const QString &path, bool handOverToDirOwner)
{
    if (!QFileInfo(dir).isDir()) {
        if (!QDir().mkpath(dir))
            return QStringLiteral("cannot create the directory %1").arg(dir);
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
        return QStringLiteral("cannot create %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    if (fd < 0) {
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner); // tighten an older file
        return std::nullopt;
    }
    struct stat owner;
    const bool handOver = handOverToDirOwner && ::geteuid() == 0 &&
                          ::stat(QFile::encodeName(dir).constData(), &owner) == 0 && owner.st_uid != 0;
    const bool ok = !handOver || ::fchown(fd, owner.st_uid, owner.st_gid) == 0;
    const int chownError = errno;
    ::close(fd);
    if (!ok)
        return QStringLiteral("cannot hand %1 to the directory's owner: %2")
            .arg(path, QString::fromLocal8Bit(std::strerror(chownError)));
    return std::nullopt;
}

std::optional<QString> addConnection(const QString &prefix, const QString &path, QString *name)
{
    static std::atomic<int> connections{0};
    *name = QStringLiteral("%1-%2").arg(prefix).arg(++connections);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), *name);
    if (!db.isValid())
        return QStringLiteral("Qt's SQLite driver (QSQLITE) is not installed: on Debian it is in the "
                              "package libqt6sql6-sqlite");
    db.setDatabaseName(path);
    return std::nullopt;
}

std::optional<QString> migrate(const QSqlDatabase &db, const QList<QStringList> &migrations,
                               const QString &program)
{
    const QString file = db.databaseName();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return QStringLiteral("cannot read %1: %2").arg(file, q.lastError().text());
    const auto rollback = [&](const QString &detail) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return QStringLiteral("cannot set up the tables in %1: %2").arg(file, detail);
    };
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")) ||
        !q.exec(QStringLiteral("SELECT version FROM schema_version")))
        return rollback(q.lastError().text());
    const int version = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    const int current = int(migrations.size());
    if (version > current)
        return rollback(
            QStringLiteral("it was written by a newer %1 (schema version %2; this one knows up to %3)")
                .arg(program)
                .arg(version)
                .arg(current));
    for (int v = version; v < current; ++v) {
        for (const QString &statement : migrations.at(v)) {
            if (!q.exec(statement))
                return rollback(q.lastError().text());
        }
    }
    if (version < current) {
        if (!q.exec(QStringLiteral("DELETE FROM schema_version")) ||
            !q.exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (%1)").arg(current)))
            return rollback(q.lastError().text());
    }
    if (!q.exec(QStringLiteral("COMMIT")))
        return rollback(q.lastError().text());
    return std::nullopt;
}

} // namespace SqliteFile

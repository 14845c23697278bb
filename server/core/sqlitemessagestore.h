// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagestore.h"

#include <QHash>
#include <QString>

#include <memory>

class QSqlQuery;
class SqliteStatement;

//! The message store on SQLite (Qt SQL, QSQLITE): `<data dir>/messages.sqlite`, mode 0600, WAL
//! with synchronous=NORMAL, so a commit survives the process being killed at any moment (a power
//! cut may lose the last commits: docs/SECURITY.md). One connection, used from the thread that
//! opened it. Statements are prepared once, since the writes are on the server's event loop.
class SqliteMessageStore : public MessageStore
{
public:
    static constexpr int SchemaVersion = 4;
    // Rooms prune() looks at in one call; the next call goes on from there.
    static constexpr int PruneRooms = 1000;
    static QString fileName() { return QStringLiteral("messages.sqlite"); }

    struct Options
    {
        // The file may grow to about this many bytes (SQLite's max_page_count); beyond it writes
        // fail as on a full disk. 0: as far as the disk allows.
        qint64 maxBytes = 0;
        // How long a write waits for another connection's (0: it fails at once). The writer
        // thread waits; the event loop's handle (reads, retention) should not wait long.
        int busyTimeoutMs = 100;
        // A writer's handle (openAnother): it moves the write-ahead log into the database
        // (checkpoints, which syncs the disk) in idle(), or in a burst that never pauses after
        // many rows; no other handle checkpoints.
        bool writer = false;
    };

    explicit SqliteMessageStore(const QString &dataDir);
    SqliteMessageStore(const QString &dataDir, const Options &options);
    ~SqliteMessageStore() override;
    Q_DISABLE_COPY_MOVE(SqliteMessageStore)

    // Creates the directory (0700) and the file (0600) when missing, sets the file up and migrates
    // its tables. false: errorString() says why.
    bool open();
    QString filePath() const;

    std::unique_ptr<MessageStore> openAnother() const override;
    std::optional<RoomRecord> room(const QString &key) override;
    bool write(const QList<Entry> &entries) override;
    std::optional<Stored> message(const QString &key, qint64 seq) override;
    QList<Protocol::ChatMessage> after(const QString &key, qint64 since, int limit) override;
    QList<Protocol::ChatMessage> before(const QString &key, qint64 before, int limit) override;
    int prune(const Retention &retention, qint64 nowMs, int limit) override;
    QList<IdRecord> recentIds(qint64 sinceMs, int limit) override;
    QString errorString() const override { return m_error; }
    void idle() override;

private:
    bool fail(const QString &what, const QString &detail);
    bool exec(QSqlQuery &query);
    bool execText(const QString &statement);
    bool migrate();
    bool prepareStatements();
    std::optional<qint64> roomId(const QString &key);
    // `userKeys`: when given, each message's author key (column 10 of the query) in order.
    QList<Protocol::ChatMessage> readMessages(QSqlQuery &query, const QString &roomName,
                                              QStringList *userKeys = nullptr);

    QString m_dataDir;
    Options m_options;
    QString m_connection;
    QString m_error;
    bool m_open = false;
    qint64 m_rowsSinceCheckpoint = 0;
    qint64 m_pruneCursor = 0;         // the room id prune() starts at (round robin)
    QHash<QString, qint64> m_roomIds; // by key: rooms never change their id
    QHash<qint64, QString> m_roomNames;
    std::unique_ptr<SqliteStatement> m_insertMessage; // the hot path: thousands of rows a second
    std::unique_ptr<QSqlQuery> m_insertFile;
    std::unique_ptr<QSqlQuery> m_updateMessage;
    std::unique_ptr<QSqlQuery> m_deleteFile;
    std::unique_ptr<QSqlQuery> m_findMessage;
    std::unique_ptr<QSqlQuery> m_insertRoom;
    std::unique_ptr<QSqlQuery> m_updateRoom;
    std::unique_ptr<QSqlQuery> m_findRoom;
    std::unique_ptr<QSqlQuery> m_after;
    std::unique_ptr<QSqlQuery> m_before;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QVariant>

//! What a client has received, kept on disk per server and room, so that the app shows a room's
//! messages before it is connected (offline reading), asks the server only for what it missed
//! (`since`), scrolls back without a round trip, and searches everything it has seen.
//!
//! SQLite through Qt SQL (QSQLITE), one file for every server, WAL mode, full-text search with
//! FTS5's trigram tokenizer (substrings, so CJK text without spaces is found too). Writes are
//! queued and committed in one transaction per pass of the event loop; reads see them at once
//! (they commit what is queued first). Lives on the thread that created it.
//!
//! The cache never decides what the server holds: a room's numbering is (epoch, seq), and a
//! message from another epoch replaces everything cached of that room. Gaps are allowed (a long
//! absence, a truncated `since`); reads that must join on to something stop at the first gap.
class MessageCache : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        qint64 maxBytes = qint64(512) * 1024 * 1024; // the database file, in bytes; 0 = no limit
        int maxAgeDays = 365;                        // by message time; 0 = no limit
    };

    struct RoomSummary
    {
        QString room;
        QString epoch;                // the numbering of what is cached; empty when unknown
        qint64 lastSeq = 0;           // newest cached seq of that epoch; 0 when none
        qint64 lastContiguousSeq = 0; // newest seq reached from the oldest cached one without a gap
        Protocol::ChatMessage last;   // the newest cached message (its seq is lastSeq)
        int count = 0;
    };

    struct Hit
    {
        Protocol::ChatMessage message;  // message.room is set
        QList<QPair<int, int>> matches; // (start, length) of each match in message.text, in QChars
    };

    explicit MessageCache(QObject *parent = nullptr);
    ~MessageCache() override; // commits what is queued

    // QStandardPaths::AppDataLocation/cache.sqlite
    static QString defaultPath();
    // How a server is named in the cache: scheme, host (lower case), port (explicit) and path of
    // its URL, without user info, query or fragment. ws://Host/ and ws://host:80 are one server.
    static QString serverKey(const QUrl &url);

    // Opens (creating if needed) the database at `path`. A file that is not a usable cache is
    // moved aside as `<path>.corrupt-<time>` and warning() says so; a fresh cache replaces it.
    // Returns false (errorString() says why) only when no cache can be opened at all; the client
    // then works as without one.
    bool open(const QString &path);
    bool isOpen() const;
    QString path() const;
    QString errorString() const;
    void close();

    void setLimits(const Limits &limits); // applied at once (prune()) and after every commit
    Limits limits() const;

    // ---- writes: queued, committed once per event-loop pass (or by flush()) --------------------
    // Messages of one room in one numbering; duplicates (same seq) are replaced, not repeated.
    // Messages without a seq (base servers) are not cached. A different epoch than the cached
    // one drops the room's cached messages first.
    void addMessages(const QString &server, const QString &room, const QString &epoch,
                     const QList<Protocol::ChatMessage> &messages);
    void flush();

    // ---- reads ---------------------------------------------------------------------------------
    QList<RoomSummary> rooms(const QString &server) const; // newest activity first
    RoomSummary room(const QString &server, const QString &room) const;
    // The newest `limit` messages of a room, oldest first.
    QList<Protocol::ChatMessage> latest(const QString &server, const QString &room, int limit) const;
    // Up to `limit` messages right before `seq`, oldest first, contiguous and ending at seq - 1:
    // it stops at a gap, so what it returns always joins on to `seq` (empty: ask the server).
    QList<Protocol::ChatMessage> before(const QString &server, const QString &room, qint64 seq,
                                        int limit) const;
    // Up to `count` messages on each side of `seq` and the message itself, oldest first.
    QList<Protocol::ChatMessage> around(const QString &server, const QString &room, qint64 seq,
                                        int count) const;
    // Messages of every room of `server` containing `query` (case-insensitive substring; words
    // separated by spaces must all occur), newest first.
    // A query that no index answers (only words of one or two Latin letters) looks through the
    // newest `messages` of the cache, not all of them. Default 100,000.
    QList<Hit> search(const QString &server, const QString &query, int limit = 200) const;
    void setUnindexedScanLimit(int messages) { m_unindexedScan = qMax(1, messages); }

    qint64 sizeBytes() const;

public slots:
    void prune(); // applies the limits now
    void clear(); // forgets everything of every server ("Clear cache")

signals:
    void warning(const QString &message); // something went wrong that the user may want to know
    void cleared();

private:
    int m_unindexedScan = 100000; // see setUnindexedScanLimit()
    struct Pending
    {
        QString server;
        QString room;
        QString epoch;
        QList<Protocol::ChatMessage> messages;
    };
    bool openFile(const QString &path);
    bool createSchema();
    bool exec(const QString &sql);
    void commitPending();
    void applyLimits();
    void shrink();
    void flushForRead() const;
    qint64 roomId(const QString &server, const QString &room) const;
    RoomSummary summaryOf(qint64 id, const QString &room, const QString &epoch) const;
    QList<Protocol::ChatMessage> select(const QString &where, const QVariantList &values,
                                        const QString &room) const;

    QString m_connection;
    QString m_path;
    QString m_error;
    Limits m_limits;
    QList<Pending> m_pending;
    QTimer m_commitTimer;
};

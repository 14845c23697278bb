// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

//! Chat messages accepted from the user but not yet delivered: kept in order, bounded, persisted
//! atomically to a JSON file so they survive a crash or quit, each with a delivery state.
//!
//! The outbox only keeps the books; ChatClient decides when an entry is sent, acknowledged or
//! failed. Against an ack-capable server an entry leaves on its ack; against a base server once
//! it was written to the socket.
class Outbox : public QObject
{
    Q_OBJECT
public:
    enum class DeliveryState {
        Queued,       // waiting to be sent (offline, or before the session is restored)
        Sent,         // written to the socket, waiting for the server's ack
        Acknowledged, // the server has it; the entry leaves the outbox right after this
        Failed,       // not retried automatically (e.g. reconnecting gave up); retry() or discard()
    };
    Q_ENUM(DeliveryState)

    struct Entry
    {
        QString id; // UUID, also the protocol's message id
        QString room;
        QString text;
        qint64 replyTo = 0;   // the seq this message answers in its room (PROTOCOL.md 3); 0: none
        qint64 createdAt = 0; // ms since the epoch
        // When it first went out (ms since the epoch; 0: never). The server remembers its id for
        // a limited time only (PROTOCOL.md section 3), after which a resend could arrive twice.
        qint64 firstSentAt = 0;
        DeliveryState state = DeliveryState::Queued;
        QString error; // why it failed, for Failed entries
        // Set by acknowledge() for the moment the entry is Acknowledged (it leaves right after):
        // the server's place for it in the room and the time it was accepted there.
        qint64 seq = 0;
        qint64 acknowledgedAt = 0;
    };

    static constexpr int DefaultMaxMessages = 10000;
    static constexpr qint64 DefaultMaxBytes = 16 * 1024 * 1024;

    explicit Outbox(QObject *parent = nullptr);
    ~Outbox() override; // saves pending changes

    // Where entries are persisted. Loads what the file holds. Entries of a previous file are
    // saved there and dropped from memory; entries added while there was no file at all are kept
    // after the loaded ones. A corrupt file is kept as `<path>.corrupt-<time>` and reported through
    // warning(); the outbox then starts empty. A file another running process holds (a lock file
    // next to it) is not touched: warning(), and entries live in memory only. Empty = memory only.
    void setPath(const QString &path);
    QString path() const { return m_path; }

    void setLimits(int maxMessages, qint64 maxBytes);
    int maxMessages() const { return m_maxMessages; }
    qint64 maxBytes() const { return m_maxBytes; }
    void setSaveDelay(int ms); // coalesces writes; 0 writes at once

    // Adds a message in state Queued. Returns its id, or an empty string with *error set when the
    // outbox is full (never drops anything silently).
    QString add(const QString &room, const QString &text, QString *error = nullptr, qint64 replyTo = 0);

    QList<Entry> entries() const { return m_entries; }
    const Entry *find(const QString &id) const;
    int count() const { return int(m_entries.size()); }
    qint64 bytes() const { return m_bytes; }
    bool isEmpty() const { return m_entries.isEmpty(); }
    int countInState(DeliveryState state) const;

    // Offers the Queued entries of `room`, oldest first, to `send`; each one it accepts becomes
    // Sent. Stops at the first refusal. Returns how many were sent.
    int sendQueued(const QString &room, const std::function<bool(const Entry &)> &send);
    void markSent(const QString &id);
    // Records the server's seq and time, emits Acknowledged, then removes the entry.
    void acknowledge(const QString &id, qint64 seq = 0, qint64 timestamp = 0);
    void markWritten(const QString &id); // base server: a Sent entry leaves once written, no ack
    void markFailed(const QString &id, const QString &reason);
    void requeueSent();                      // Sent -> Queued, after a connection was lost
    void failPending(const QString &reason); // Queued/Sent -> Failed
    // Queued entries first sent `windowMs` or longer ago (or in the future of a clock that went
    // back) -> Failed: the server may have forgotten their ids. Returns how many.
    int failUnconfirmed(qint64 windowMs, const QString &reason);
    // Failed -> Queued. The user asked: the entry goes out again even if it may have arrived.
    bool retry(const QString &id);
    int retryAll();
    bool discard(const QString &id); // removes a Queued or Failed entry
    void clear();

    bool saveNow(); // writes the file now; false (and warning()) when it could not
    bool hasUnsavedChanges() const { return m_dirty; }

signals:
    void entryAdded(const Outbox::Entry &entry);
    void deliveryStateChanged(const QString &id, Outbox::DeliveryState state);
    void entryRemoved(const QString &id);
    void countChanged(int count);
    void saved(int count);
    void warning(const QString &message);

private:
    int indexOf(const QString &id) const;
    void setState(int index, DeliveryState state, const QString &error = {});
    void removeAt(int index);
    void scheduleSave();
    void load();

    QList<Entry> m_entries;
    qint64 m_bytes = 0;
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
    int m_maxMessages = DefaultMaxMessages;
    qint64 m_maxBytes = DefaultMaxBytes;
    QTimer m_saveTimer;
    bool m_dirty = false;
};

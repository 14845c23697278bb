// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"
#include "transferinfo.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <vector>

class SessionChannel;
class FileDownload;
class FileUpload;
class QTemporaryDir;

//! Sends files in the guides' framing with backpressure and resume, and receives relayed files
//! into temporary files. Rides on a session through its SessionChannel; knows nothing of widgets
//! nor of the client's reconnecting.
//!
//! Uploads go out one at a time, in the order they were queued, each to the room that was
//! current when it was queued. Only a few chunks are in flight: the socket's backlog stays under
//! Settings::highWaterBytes (so chat and pings are never stuck behind a file) and, against
//! natter-server, within the server's fileProgress window. After a reconnect an upload resumes
//! where the server's copy ends (natter-server) or starts again (base server).
class FileTransfers : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        qint64 highWaterBytes = 256 * 1024; // no new chunk while the socket backlog would pass this
        qint64 lowWaterBytes = 64 * 1024;   // refill once the backlog drains below this
        int windowChunks = 16;              // chunks beyond the server's last `received` (PROTOCOL.md 5.2)
        int progressIntervalMs = 250;       // transferChanged for progress at most this often
        qint64 maxIncomingBytes = 0;        // see setMaxIncomingBytes()
        QString partialDir;                 // downloads in progress without a download dir; empty = cache dir
        bool acceptIncoming = true;         // declare `files` in hello, so the server relays files to us
        // Offers larger than this arrive with TransferInfo::awaitingAnswer set until
        // acceptDownload(); cancel() declines them. 0: nothing is asked.
        qint64 autoAcceptBytes = 0;
        int maxIncomingAtOnce = 8; // more offers than this at once are declined
    };

    explicit FileTransfers(SessionChannel *channel, QObject *parent = nullptr);
    FileTransfers(SessionChannel *channel, const Settings &settings, QObject *parent = nullptr);
    ~FileTransfers() override;

    //! Completed downloads are moved here under a sanitized, non-clashing name. Empty (default):
    //! they stay in a private temporary location until saveDownload() is called.
    void setDownloadDir(const QString &dir);
    QString downloadDir() const;
    //! Larger incoming announcements are refused with a clear error. 0 = the server's limit.
    void setMaxIncomingBytes(qint64 bytes);
    //! Larger offers ask first (Settings::autoAcceptBytes); 0 = never ask.
    void setAutoAcceptBytes(qint64 bytes);
    qint64 maxIncomingBytes() const;
    //! Whether files are received at all: declares (or withdraws) `files` in hello. Default on.
    void setAcceptIncoming(bool accept);
    bool acceptsIncoming() const;
    const Settings &settings() const;

    QList<TransferInfo> transfers() const;
    TransferInfo transfer(const QString &id) const;
    //! Transfers not yet Completed, Failed or Cancelled.
    int unfinishedCount(TransferInfo::Direction direction) const;

public slots:
    //! Queues a file for the current room. Returns the transfer id, or an empty string (then
    //! sendRefused says why: not a regular file, unreadable, too large, not in a room...).
    QString sendFile(const QString &path);
    //! Uploads: the server and receivers are told (after the reconnect, if offline). Downloads:
    //! the partial file is deleted and the server stops sending the rest (`fileDecline`). False
    //! if already finished.
    bool cancel(const QString &id);
    //! The user wants a download that was awaiting an answer (Settings::autoAcceptBytes).
    bool acceptDownload(const QString &id);
    //! Copies a completed download to `target`; refuses to overwrite unless `overwrite`.
    bool saveDownload(const QString &id, const QString &target, bool overwrite, QString *error = nullptr);
    //! Forgets finished transfers (and deletes completed downloads never moved or saved out).
    void clearFinished();

signals:
    void transferAdded(const TransferInfo &info);
    //! Every state change at once (the final one too); progress and speed at most every
    //! Settings::progressIntervalMs.
    void transferChanged(const TransferInfo &info);
    void transferFinished(const TransferInfo &info); // Completed, Failed or Cancelled; after transferChanged
    void sendRefused(const QString &path, const QString &reason);
    //! Relayed data that belongs to no transfer (an unknown stream); said once per stream.
    void relayError(const QString &message);

private:
    FileUpload *upload(const QString &id) const;
    FileDownload *download(const QString &id) const;
    FileUpload *currentUpload() const;
    TransferInfo *info(const QString &id) const;

    void onClosed();
    void onSessionReady();
    void onRoomChanged();
    void onBytesWritten();
    void onPong(qint64 pingId);
    void onChunk(const Protocol::RelayChunk &chunk);
    // The server messages files care about (PROTOCOL.md section 5); the rest are not ours.
    void handle(const Protocol::Error &error);
    void handle(const Protocol::FileAccepted &m);
    void handle(const Protocol::FileProgress &m);
    void handle(const Protocol::FileComplete &m);
    void handle(const Protocol::FileOffer &m);
    void handle(const Protocol::FileDone &m);
    void handle(const Protocol::FileAborted &m);
    template<typename Other>
    void handle(const Other &)
    {}

    void pump();
    void schedulePump();
    void sendChunks(FileUpload *u);
    qint64 sendBarrier();
    void completeUpload(FileUpload *u);
    void failUpload(FileUpload *u, const QString &error, bool tellServer);
    void failDownload(FileDownload *d, TransferInfo::State state, const QString &error);
    void flushPendingCancels();
    void declineStream(quint32 stream);
    QString partialDir();
    qint64 incomingLimit() const;

    void setState(TransferInfo &info, TransferInfo::State state, const QString &error = {});
    void noteProgress(const QString &id);
    void onTick();
    qint64 nowMs() const;

    QPointer<SessionChannel> m_channel; // may go first when the client is a sibling QObject
    Settings m_settings;
    QString m_downloadDir;
    std::vector<std::unique_ptr<FileUpload>> m_uploads; // in queue order
    std::vector<std::unique_ptr<FileDownload>> m_downloads;
    QList<TransferInfo *> m_order;            // every transfer, in the order it was added
    QHash<quint32, FileDownload *> m_streams; // relay streams on this connection
    QSet<quint32> m_quietStreams;             // refused or ended streams: their chunks are dropped silently
    QList<Protocol::FileCancel> m_pendingCancels; // to send once connected again
    qint64 m_quietBarrier = 0; // base server: errors before this pong belong to a failed upload
    bool m_pumping = false;
    bool m_pumpQueued = false;
    bool m_warnedBaseRelay = false;
    int m_refusedOnConnection = 0; // offers refused on this connection (see MaxShownRefusals)
    QSet<QString> m_progressed;    // ids with progress not yet reported
    QTimer m_tick;
    QElapsedTimer m_clock;
    std::unique_ptr<QTemporaryDir> m_partialDir;
};

#pragma once

// CONTRACT DRAFT (lead): the API the UI and natter-cli code against for file transfers. The
// files-core work implements it and may add to it, but keeps these names and meanings.

#include <QList>
#include <QObject>
#include <QString>

class ChatClient;

//! One file going out or coming in, as the UI and natter-cli see it.
struct TransferInfo
{
    enum class Direction {
        Upload,
        Download,
    };
    enum class State {
        Queued,      // upload waiting for the one before it (or for a connection)
        Active,      // bytes are moving
        Interrupted, // connection lost; resumes (or restarts on a base server) after reconnect
        Completed,   // upload: the server has it all; download: every byte is on disk, verified by size
        Failed,      // with `error` saying why
        Cancelled,   // by this user, or (download) by the sender
    };

    QString id; // local id; for uploads also the protocol transferId
    Direction direction = Direction::Upload;
    State state = State::Queued;
    QString name;     // sanitized display/file name
    QString mimeType;
    qint64 size = 0;
    qint64 done = 0;  // bytes sent (acknowledged where the server acks) or received
    double bytesPerSecond = 0; // smoothed over the last seconds
    QString peer;     // download: the sender's name; upload: the room
    QString room;
    QString localPath; // upload: the source; download: the completed file (empty until Completed)
    QString error;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
};

//! Sends files in the guides' framing with backpressure and resume, and receives relayed files
//! into temporary files. Lives beside a ChatClient; knows nothing of widgets.
class FileTransfers : public QObject
{
    Q_OBJECT
public:
    explicit FileTransfers(ChatClient *client, QObject *parent = nullptr);
    ~FileTransfers() override;

    //! Completed downloads are moved here under a sanitized, non-clashing name. Empty (default):
    //! they stay in a private temporary location until saveDownload() is called.
    void setDownloadDir(const QString &dir);
    QString downloadDir() const;
    //! Larger incoming announcements are refused with a clear error. 0 = the server's limit.
    void setMaxIncomingBytes(qint64 bytes);

    QList<TransferInfo> transfers() const;
    TransferInfo transfer(const QString &id) const;

public slots:
    //! Queues a file for the current room. Returns the transfer id, or an empty string (then
    //! sendRefused says why: not a regular file, unreadable, too large, not in a room...).
    QString sendFile(const QString &path);
    bool cancel(const QString &id);
    //! Copies a completed download to `target`; refuses to overwrite unless `overwrite`.
    bool saveDownload(const QString &id, const QString &target, bool overwrite, QString *error = nullptr);

signals:
    void transferAdded(const TransferInfo &info);
    void transferChanged(const TransferInfo &info); // progress is throttled to a few per second
    void transferFinished(const TransferInfo &info); // Completed, Failed or Cancelled
    void sendRefused(const QString &path, const QString &reason);
};

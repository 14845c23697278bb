// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <optional>

class ServerSession;

//! One file upload as the server sees it: checks each chunk as it arrives and forwards it at
//! once to the receivers, keeping no file data. It outlives its sender's connection while it
//! can still be resumed.
class Upload : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        qint64 highWaterBytes = 4 * 1024 * 1024;
        qint64 dropBytes = 64 * 1024 * 1024;
        int progressEveryChunks = 4;
        bool extensions = true;
    };

    // `room` is where the upload is relayed (empty: to no one).
    // `resumeToken`: the secret that lets the uploader take the upload over from a new connection.
    // `relay`: the upload runs on another node (scale-out); this one relays it to its own members
    // and reports their pace with credited() instead of fileProgress.
    Upload(const Protocol::FileStart &start, const QString &username, const QString &room, quint32 stream,
           const QString &resumeToken, const Settings &settings, QObject *parent = nullptr,
           bool relay = false);
    ~Upload() override;

    const QString &transferId() const { return m_start.transferId; }
    const QString &resumeToken() const { return m_resumeToken; }
    const QString &username() const { return m_username; }
    const QString &room() const { return m_room; }
    quint32 stream() const { return m_stream; }
    qint64 fileSize() const { return m_start.size; }
    QString fileName() const { return m_start.name; }
    // What the room's history keeps of it once complete (PROTOCOL.md 5.4).
    Protocol::FileRecord record() const
    {
        return {m_start.transferId, m_start.name, m_start.size, m_start.mimeType};
    }
    quint32 chunksHeld() const { return m_chunksHeld; }
    bool isComplete() const;
    // Same transferId, name and size: a resume of this upload, not a new one.
    bool matches(const Protocol::FileStart &start) const;
    bool isReceiver(const ServerSession *session) const;
    int receiverCount() const { return int(m_receivers.size()); }
    bool isRelay() const { return m_relay; }
    // The chunks every receiver here has taken, as last credited() (relays only).
    quint32 credited() const { return m_progressSent; }
    // true while fileProgress (or credit) is held back for a lagging receiver.
    bool isHeldBack() const { return m_progressWithheld; }
    ServerSession *sender() const;

    void attach(ServerSession *sender);
    // The sender's connection is gone; receivers learn whether more chunks may follow.
    void detach(bool resumable);
    // Sends `fileOffer` to `receiver`; it gets every following chunk.
    void addReceiver(ServerSession *receiver);
    // `reason` non-empty: tell the receiver its stream ended (it is still connected).
    void removeReceiver(ServerSession *receiver, const QString &reason = {});

    // Checks and forwards one chunk. Returns the error that must abort the upload, if any.
    std::optional<Protocol::DecodeError> acceptChunk(const Protocol::Chunk &chunk);
    // `fileEnd`: returns an error unless every byte arrived; on success receivers get `fileDone`.
    std::optional<Protocol::DecodeError> finish();
    // Lets go of sender and receivers; with a `reason`, receivers first get a final `fileAborted`.
    void end(const QString &abortReason = {});

    void startExpiry(int ms);
    void stopExpiry();

    // Scale-out: another node relays this upload to its members (PROTOCOL.md 2, *Scale-out*).
    // It counts as one receiver whose backlog is the chunks not yet credited by it.
    void addRemote(const QString &node);
    // `node` says its members took `chunks`; false if it is no receiver or the number is impossible.
    bool creditRemote(const QString &node, quint32 chunks);
    void removeRemote(const QString &node);
    // Forgets the remote receivers that sent no credit for `silenceMs`: a vanished node.
    void dropSilentRemotes(int silenceMs);
    int remoteCount() const { return int(m_remotes.size()); }

signals:
    void expired(Upload *upload);
    // For the other nodes: a chunk was accepted, the file is done, or its stream ended.
    void chunkAccepted(quint32 index, const QByteArray &data);
    void finished();
    void aborted(const QString &reason, bool resumable);
    // A relay's receivers took the first `chunks`: the uploader's node may send more.
    void creditChanged(quint32 chunks);

private:
    void maybeSendProgress();
    void onReceiverDrained();
    bool receiversBacklogged() const;
    void sendToReceivers(const Protocol::ServerMessage &message);

    Protocol::FileStart m_start;
    QString m_username;
    QString m_room;
    quint32 m_stream;
    QString m_resumeToken; // never relayed: only the uploader is sent it, in fileAccepted
    Settings m_settings;
    QPointer<ServerSession> m_sender;
    QList<QPointer<ServerSession>> m_receivers;
    struct Remote
    {
        quint32 credited = 0;
        QElapsedTimer heard;
    };
    QHash<QString, Remote> m_remotes; // node id -> what it credited
    bool m_relay = false;
    bool m_finished = false; // fileDone or a final fileAborted went out
    quint32 m_chunksHeld = 0;
    quint32 m_progressSent = 0;
    bool m_progressWithheld = false;
    QTimer m_expiry{this}; // parented, so moveToThread() takes it along
};

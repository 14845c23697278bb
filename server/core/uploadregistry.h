// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"
#include "upload.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <deque>

class ServerSession;

//! Owns every upload in progress, including interrupted ones waiting to be resumed, and hands out
//! relay stream numbers and resume tokens. An upload is found again only by its resume token, the
//! secret its uploader alone was sent; names and transferIds give no one a way in.
class UploadRegistry : public QObject
{
    Q_OBJECT

public:
    UploadRegistry(const Upload::Settings &settings, int resumeKeepMs, int maxHeld,
                   QObject *parent = nullptr);

    // The upload whose resume token is `token`, whether running or interrupted; null when none.
    Upload *findByToken(const QString &token) const;
    // A new upload; one with a transferId gets a fresh resume token.
    Upload *create(const Protocol::FileStart &start, const QString &username, const QString &room);
    // Scale-out: an upload running on another node, relayed to this node's members under a
    // stream number of this node. It has no token: nobody here can send its chunks.
    Upload *createRelay(const Protocol::FileStart &start, const QString &username, const QString &room);
    Upload *findByStream(quint32 stream) const; // running or interrupted; null when none
    // The sender's connection dropped: keep the upload resumable for a while, or end it.
    void senderGone(Upload *upload);
    // Ends `upload` for good (receivers are told why when `reason` is not empty).
    void discard(Upload *upload, const QString &reason = {});
    // `session` no longer receives uploads (in `room` only, when given); `reason` is sent to it.
    void dropReceiver(ServerSession *session, const QString &room = {}, const QString &reason = {});
    int count() const { return int(m_uploads.size()); }
    int heldBackCount() const;

    // Finished uploads are remembered (the last MaxCompleted), so that a sender whose connection
    // dropped between fileEnd and fileComplete can send fileStart again and be told it is done
    // instead of delivering the file twice.
    void noteCompleted(const Upload *upload);
    // `start` carries the resume token, transferId, name and size of a finished upload.
    bool isCompleted(const Protocol::FileStart &start) const;
    static constexpr int MaxCompleted = 10000;

private:
    // Tokens are looked up by their digest, so how long a lookup takes says nothing about them.
    static QByteArray key(const QString &token);
    static QString newToken();

    struct Completed
    {
        QString transferId;
        QString name;
        qint64 size = 0;
    };

    Upload::Settings m_settings;
    int m_resumeKeepMs;
    int m_maxHeld; // interrupted uploads waiting for their sender
    quint32 m_nextStream = 1;
    QList<Upload *> m_uploads; // oldest first
    QHash<QByteArray, Upload *> m_byToken;
    QHash<quint32, Upload *> m_byStream;
    QHash<QByteArray, Completed> m_completed; // by token digest
    std::deque<QByteArray> m_completedOrder;
};

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

//! Owns every upload in progress, including interrupted ones waiting to be resumed (keyed by
//! username and transferId), and hands out relay stream numbers.
class UploadRegistry : public QObject
{
    Q_OBJECT

public:
    UploadRegistry(const Upload::Settings &settings, int resumeKeepMs, int maxHeld,
                   QObject *parent = nullptr);

    // The upload `transferId` of `username`, whether running or interrupted.
    Upload *find(const QString &username, const QString &transferId) const;
    Upload *create(const Protocol::FileStart &start, const QString &username, const QString &room);
    Upload *findByStream(quint32 stream) const; // running or interrupted; null when none
    // The sender's connection dropped: keep the upload resumable for a while, or end it.
    void senderGone(Upload *upload);
    // Ends `upload` for good (receivers are told why when `reason` is not empty).
    void discard(Upload *upload, const QString &reason = {});
    // `session` no longer receives uploads (in `room` only, when given); `reason` is sent to it.
    void dropReceiver(ServerSession *session, const QString &room = {}, const QString &reason = {});
    int count() const { return int(m_uploads.size()); }

    // Finished uploads are remembered (the last MaxCompleted), so that a sender whose connection
    // dropped between fileEnd and fileComplete can send fileStart again and be told it is done
    // instead of delivering the file twice.
    void noteCompleted(const Upload *upload);
    bool isCompleted(const QString &username, const Protocol::FileStart &start) const;
    static constexpr int MaxCompleted = 10000;

private:
    static QString key(const QString &username, const QString &transferId);

    Upload::Settings m_settings;
    int m_resumeKeepMs;
    int m_maxHeld; // interrupted uploads waiting for their sender
    quint32 m_nextStream = 1;
    QList<Upload *> m_uploads; // oldest first
    QHash<QString, Upload *> m_byKey;
    QHash<quint32, Upload *> m_byStream;
    QHash<QString, QPair<QString, qint64>> m_completed; // key -> name and size
    std::deque<QString> m_completedOrder;
};

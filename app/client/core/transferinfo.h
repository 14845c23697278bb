// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

//! One file going out or coming in, as the UI and natter-cli see it.
struct TransferInfo
{
    Q_GADGET
public:
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
    Q_ENUM(Direction)
    Q_ENUM(State)

    QString id; // local id; for uploads also the protocol transferId
    Direction direction = Direction::Upload;
    State state = State::Queued;
    QString name; // sanitized display/file name
    QString mimeType;
    qint64 size = 0;
    qint64 done = 0;           // bytes sent (acknowledged where the server acks) or received
    double bytesPerSecond = 0; // smoothed over the last seconds; 0 unless Active
    QString peer;              // download: the sender's name; upload: the room
    QString transferId;        // download: the sender's label for it (empty from a base client)
    QString room;
    QString localPath; // upload: the source; download: the completed file (empty until Completed)
    QString error;     // why it failed, was cancelled or (Interrupted) stopped
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    // Download: larger than what arrives without asking, and the user has not said yes yet.
    bool awaitingAnswer = false;

    bool isFinished() const
    {
        return state == State::Completed || state == State::Failed || state == State::Cancelled;
    }
    static QString stateName(State state);             // "queued", "active", … (natter-cli, logs)
    static QString directionName(Direction direction); // "upload", "download"
};
Q_DECLARE_METATYPE(TransferInfo)

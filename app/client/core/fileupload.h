// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ratemeter.h"
#include "transferinfo.h"

#include <QByteArray>
#include <QFile>

#include <optional>

//! One outgoing file: its TransferInfo, the source read one chunk at a time (never held whole),
//! and how far the attempt on the current connection has got.
class FileUpload
{
public:
    FileUpload(const TransferInfo &info);
    Q_DISABLE_COPY_MOVE(FileUpload)

    TransferInfo info;
    RateMeter rate;

    quint32 chunkCount() const;
    qint64 chunkBytes(quint32 index) const;
    qint64 bytesBefore(quint32 chunk) const; // bytes in chunks [0, chunk)
    // Chunk `index` read from disk straight into an upload frame ([u32 BE index][data]).
    std::optional<QByteArray> readFrame(quint32 index, QString *error);
    void closeFile();

    // The attempt on the current connection. `extensions`: sent with a transferId, so the server
    // acknowledges (fileAccepted, fileProgress, fileComplete) and can resume.
    void beginAttempt(bool extensions);
    void endAttempt(); // the connection is gone
    bool started() const { return m_started; }
    bool everStarted() const { return m_everStarted; }
    bool extensions() const { return m_extensions; }

    bool accepted = false; // chunks may go out (at once on a base server, after fileAccepted otherwise)
    quint32 nextChunk = 0; // the next chunk to send
    quint32 acked = 0;     // chunks the server holds (extension servers)
    bool endSent = false;  // fileEnd went out on this connection
    qint64 barrier = 0;    // base server: the ping after fileEnd whose pong means "done"
    // From the server's fileAccepted: proves on a new connection that the upload is ours (resume,
    // cancel). A secret: in memory only, never shown or logged, gone with the upload.
    QString resumeToken;

private:
    QFile m_file;
    bool m_started = false;
    bool m_everStarted = false;
    bool m_extensions = false;
};

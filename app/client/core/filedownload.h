// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"
#include "ratemeter.h"
#include "transferinfo.h"

#include <QTemporaryFile>

#include <memory>

//! One incoming relayed file: written to a partial file as chunks arrive (never held in memory),
//! checked chunk by chunk, and moved to its final name only once every byte is there.
class FileDownload
{
public:
    FileDownload(const TransferInfo &info, quint32 stream);
    ~FileDownload();
    Q_DISABLE_COPY_MOVE(FileDownload)

    TransferInfo info;
    RateMeter rate;
    quint32 stream() const { return m_stream; }

    // Creates the partial file in `dir`: hidden there, removed unless finish() succeeds.
    bool open(const QString &dir, QString *error);
    // Checks that `chunk` is the next one with the right length, then appends it.
    bool append(const Protocol::RelayChunk &chunk, QString *error);
    // Verifies the size. With a `targetDir`, moves the file there under an unused sanitized
    // name; without one it stays where it is (deleted with this object). Sets info.localPath.
    bool finish(const QString &targetDir, QString *error);
    // A finished file that stayed where it was goes to `targetDir` after all (the user accepted
    // it after it had arrived). Sets info.localPath.
    bool moveInto(const QString &targetDir, QString *error);
    // Deletes the partial file (or a completed one that was never moved out).
    void discard();

private:
    quint32 m_stream;
    quint32 m_nextIndex = 0;
    std::unique_ptr<QTemporaryFile> m_file;
};

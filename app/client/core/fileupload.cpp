// SPDX-License-Identifier: GPL-3.0-or-later
#include "fileupload.h"

#include "protocol.h"

#include <QtEndian>

#include <algorithm>

FileUpload::FileUpload(const TransferInfo &info)
    : info(info)
    , m_file(info.localPath)
{}

quint32 FileUpload::chunkCount() const
{
    return quint32((info.size + Protocol::ChunkDataBytes - 1) / Protocol::ChunkDataBytes);
}

qint64 FileUpload::chunkBytes(quint32 index) const
{
    return std::clamp<qint64>(info.size - bytesBefore(index), 0, Protocol::ChunkDataBytes);
}

qint64 FileUpload::bytesBefore(quint32 chunk) const
{
    return qMin(info.size, qint64(chunk) * Protocol::ChunkDataBytes);
}

std::optional<QByteArray> FileUpload::readFrame(quint32 index, QString *error)
{
    if (!m_file.isOpen() && !m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        *error = QStringLiteral("Cannot read %1: %2").arg(info.localPath, m_file.errorString());
        return std::nullopt;
    }
    // A file that changed size since it was queued would arrive corrupt: better to say so.
    if (m_file.size() != info.size) {
        *error = QStringLiteral("%1 changed while it was being sent (%2 bytes, was %3)")
                     .arg(info.localPath)
                     .arg(m_file.size())
                     .arg(info.size);
        return std::nullopt;
    }
    const qint64 offset = bytesBefore(index);
    const qint64 n = chunkBytes(index);
    if (m_file.pos() != offset && !m_file.seek(offset)) {
        *error = QStringLiteral("Cannot read %1: %2").arg(info.localPath, m_file.errorString());
        return std::nullopt;
    }
    QByteArray frame(Protocol::ChunkHeaderBytes + n, Qt::Uninitialized);
    qToBigEndian<quint32>(index, frame.data());
    qint64 got = 0;
    while (got < n) {
        const qint64 r = m_file.read(frame.data() + Protocol::ChunkHeaderBytes + got, n - got);
        if (r <= 0) {
            *error = r < 0 ? QStringLiteral("Cannot read %1: %2").arg(info.localPath, m_file.errorString())
                           : QStringLiteral("%1 ended early while it was being sent").arg(info.localPath);
            return std::nullopt;
        }
        got += r;
    }
    return frame;
}

void FileUpload::closeFile()
{
    m_file.close();
}

void FileUpload::beginAttempt(bool extensions)
{
    m_started = true;
    m_everStarted = true;
    m_extensions = extensions;
    accepted = !extensions;
    endSent = false;
    barrier = 0;
    if (!extensions) {
        // A base server cannot resume: every attempt starts from the first byte.
        nextChunk = 0;
        acked = 0;
        info.done = 0;
    }
}

void FileUpload::endAttempt()
{
    m_started = false;
    accepted = false;
    endSent = false;
    barrier = 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "filedownload.h"

#include "filenamesanitizer.h"

#include <QDir>
#include <QFileInfo>

FileDownload::FileDownload(const TransferInfo &info, quint32 stream)
    : info(info)
    , m_stream(stream)
{}

FileDownload::~FileDownload() = default; // QTemporaryFile removes what was not moved out

bool FileDownload::open(const QString &dir, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("Cannot create the folder %1").arg(dir);
        return false;
    }
    m_file = std::make_unique<QTemporaryFile>(
        QDir(dir).filePath(QStringLiteral(".%1.XXXXXX.part").arg(info.name)));
    if (!m_file->open()) {
        *error = QStringLiteral("Cannot create a file in %1: %2").arg(dir, m_file->errorString());
        m_file.reset();
        return false;
    }
    return true;
}

bool FileDownload::append(const Protocol::RelayChunk &chunk, QString *error)
{
    if (!m_file || !m_file->isOpen()) {
        *error = QStringLiteral("Chunk %1 arrived for a file that is not open").arg(chunk.index);
        return false;
    }
    if (chunk.index != m_nextIndex) {
        *error =
            QStringLiteral("Chunk %1 arrived where chunk %2 was expected").arg(chunk.index).arg(m_nextIndex);
        return false;
    }
    const qint64 expected = qMin<qint64>(Protocol::ChunkDataBytes, info.size - info.done);
    if (expected <= 0 || chunk.data.size() != expected) {
        *error = expected <= 0 ? QStringLiteral("Chunk %1 lies past the end of the %2-byte file")
                                     .arg(chunk.index)
                                     .arg(info.size)
                               : QStringLiteral("Chunk %1 holds %2 bytes, expected %3")
                                     .arg(chunk.index)
                                     .arg(chunk.data.size())
                                     .arg(expected);
        return false;
    }
    if (m_file->write(chunk.data) != chunk.data.size()) {
        *error = QStringLiteral("Cannot write %1: %2").arg(m_file->fileName(), m_file->errorString());
        return false;
    }
    ++m_nextIndex;
    info.done += chunk.data.size();
    return true;
}

bool FileDownload::finish(const QString &targetDir, QString *error)
{
    if (!m_file) {
        *error = QStringLiteral("The file is not open");
        return false;
    }
    if (info.done != info.size) {
        *error = QStringLiteral("The sender finished after %1 of %2 bytes").arg(info.done).arg(info.size);
        return false;
    }
    if (!m_file->flush()) {
        *error = QStringLiteral("Cannot write %1: %2").arg(m_file->fileName(), m_file->errorString());
        return false;
    }
    // Trust the disk, not the counter: a short file is never presented as complete.
    if (QFileInfo(m_file->fileName()).size() != info.size) {
        *error = QStringLiteral("%1 holds %2 bytes instead of %3")
                     .arg(m_file->fileName())
                     .arg(QFileInfo(m_file->fileName()).size())
                     .arg(info.size);
        return false;
    }
    m_file->close();
    info.localPath = m_file->fileName();
    return targetDir.isEmpty() || moveInto(targetDir, error);
}

bool FileDownload::moveInto(const QString &targetDir, QString *error)
{
    if (!m_file) {
        *error = QStringLiteral("The file has been moved already");
        return false;
    }
    const QDir dir(targetDir);
    if (!QDir().mkpath(targetDir)) {
        *error = QStringLiteral("Cannot create the folder %1").arg(targetDir);
        return false;
    }
    // rename() never replaces an existing file; if another one appears under the chosen name
    // in the meantime, the next free name is tried.
    for (int attempt = 0; attempt < 100; ++attempt) {
        const QString target = dir.filePath(FileNameSanitizer::unusedName(dir, info.name));
        if (m_file->rename(target)) {
            m_file->setAutoRemove(false);
            info.localPath = target;
            m_file.reset();
            return true;
        }
        const QFileInfo clash(target);
        if (clash.exists() || clash.isSymLink())
            continue;
        // Another file system (the download folder changed since the file was offered): copy.
        // QFile::copy() does not overwrite either.
        if (QFile::copy(m_file->fileName(), target)) {
            info.localPath = target;
            m_file.reset();
            return true;
        }
        *error = QStringLiteral("Cannot move the file to %1: %2").arg(target, m_file->errorString());
        return false;
    }
    *error = QStringLiteral("Cannot find a free name for %1 in %2").arg(info.name, targetDir);
    return false;
}

void FileDownload::discard()
{
    if (m_file) {
        m_file->remove();
        m_file.reset();
    }
    if (info.state != TransferInfo::State::Completed)
        info.localPath.clear();
}

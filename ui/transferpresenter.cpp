// SPDX-License-Identifier: GPL-3.0-or-later
#include "transferpresenter.h"

#include "chatclient.h"
#include "chatsession.h"
#include "filepicker.h"
#include "messagemodel.h"
#include "mimefiles.h"
#include "protocol.h"
#include "transfertext.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QWidget>

TransferPresenter::TransferPresenter(FileTransfers *transfers, ChatSession *session, MessageModel *messages,
                                     QWidget *dialogParent, QObject *parent)
    : QObject(parent)
    , m_transfers(transfers)
    , m_session(session)
    , m_messages(messages)
    , m_dialogParent(dialogParent)
    , m_lastSaveDir(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation))
{
    connect(transfers, &FileTransfers::transferAdded, this, &TransferPresenter::onAdded);
    connect(transfers, &FileTransfers::transferChanged, this, &TransferPresenter::show);
    connect(transfers, &FileTransfers::transferFinished, this, &TransferPresenter::show);
    connect(transfers, &FileTransfers::sendRefused, this, [this](const QString &path, const QString &reason) {
        say(tr("Could not send “%1”: %2").arg(QFileInfo(path).fileName(), reason));
    });
    connect(session, &ChatSession::shownRoomChanged, this, [this] {
        // The history of the new room is appended right after this signal, in the same call;
        // the room's transfers go below it.
        QMetaObject::invokeMethod(this, &TransferPresenter::showRoomTransfers, Qt::QueuedConnection);
    });
}

TransferPresenter::~TransferPresenter() = default;

void TransferPresenter::show(const TransferInfo &info)
{
    if (!info.room.isEmpty() && info.room != m_session->shownRoom())
        return;
    const bool upload = info.direction == TransferInfo::Direction::Upload;
    const bool fresh = m_messages->rowOfId(info.id) < 0;
    m_messages->updateTransfer(info, upload ? m_session->client()->username() : QString());
    if (fresh && m_savedPaths.contains(info.id))
        m_messages->setTransferSavedPath(info.id, m_savedPaths.value(info.id));
}

void TransferPresenter::onAdded(const TransferInfo &info)
{
    show(info);
    if (info.direction != TransferInfo::Direction::Download)
        return;
    const QString room = info.room.isEmpty() ? m_session->shownRoom() : info.room;
    const QString body = tr("%1 (%2)").arg(info.name, TransferText::size(info.size));
    m_session->noteIncoming(room, tr("%1 sent a file in #%2").arg(info.peer, room),
                            info.awaitingAnswer ? tr("%1: Save… to keep it").arg(body) : body);
}

void TransferPresenter::showRoomTransfers()
{
    const QList<TransferInfo> all = m_transfers->transfers();
    for (const TransferInfo &info : all)
        show(info);
}

void TransferPresenter::say(const QString &text)
{
    m_messages->appendSystem(text, Protocol::nowMs());
}

void TransferPresenter::sendFiles(const QStringList &paths)
{
    for (const QString &path : paths) {
        const QFileInfo file(path);
        if (file.isDir()) {
            say(tr("“%1” is a folder: only files can be sent (send the files in it, or an archive of it)")
                    .arg(file.fileName()));
            continue;
        }
        // Everything else (missing, unreadable, too large, not in a room) is refused with a reason
        // by FileTransfers::sendRefused.
        m_transfers->sendFile(path);
    }
}

QString TransferPresenter::pasteFolder()
{
    if (!m_pasteDir)
        m_pasteDir =
            std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("natter-paste-XXXXXX")));
    return m_pasteDir->isValid() ? m_pasteDir->path() : QString();
}

void TransferPresenter::sendImage(const QImage &image)
{
    if (image.isNull()) {
        say(tr("Could not send the pasted image: it holds no picture"));
        return;
    }
    const QString folder = pasteFolder();
    if (folder.isEmpty()) {
        say(tr("Could not send the pasted image: no temporary folder (%1)").arg(m_pasteDir->errorString()));
        return;
    }
    const QString stem = QStringLiteral("pasted-image-%1")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    QString path = QDir(folder).filePath(stem + QStringLiteral(".png"));
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = QDir(folder).filePath(QStringLiteral("%1-%2.png").arg(stem).arg(n));
    if (!image.save(path, "PNG")) {
        say(tr("Could not send the pasted image: writing %1 failed").arg(path));
        return;
    }
    sendFiles({path});
}

bool TransferPresenter::sendMimeData(const QMimeData *mime)
{
    const QStringList files = MimeFiles::localFiles(mime);
    if (!files.isEmpty()) {
        sendFiles(files);
        return true;
    }
    const QImage image = MimeFiles::image(mime);
    if (image.isNull())
        return false;
    sendImage(image);
    return true;
}

void TransferPresenter::attachFiles()
{
    sendFiles(FilePicker::openFiles(m_dialogParent));
}

void TransferPresenter::cancelTransfer(const QString &id)
{
    m_transfers->cancel(id);
}

void TransferPresenter::saveTransfer(const QString &id)
{
    const TransferInfo info = m_transfers->transfer(id);
    if (info.id.isEmpty() || info.direction != TransferInfo::Direction::Download ||
        info.state != TransferInfo::State::Completed)
        return;
    const QString target = FilePicker::saveFile(m_dialogParent, QDir(m_lastSaveDir).filePath(info.name));
    if (target.isEmpty())
        return;
    QString error;
    // The save dialog has already asked before replacing a file.
    if (!m_transfers->saveDownload(id, target, true, &error)) {
        say(tr("Could not save “%1”: %2").arg(info.name, error.isEmpty() ? tr("unknown error") : error));
        return;
    }
    m_lastSaveDir = QFileInfo(target).absolutePath();
    m_savedPaths.insert(id, target);
    m_messages->setTransferSavedPath(id, target);
}

void TransferPresenter::openTransfer(const QString &id)
{
    const TransferInfo info = m_transfers->transfer(id);
    const QString path = m_savedPaths.value(id, info.localPath);
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        say(tr("Could not open “%1”: the file is no longer there").arg(info.name));
        return;
    }
    const QUrl url = QUrl::fromLocalFile(path);
    emit fileOpened(url);
    if (m_opensFiles && !QDesktopServices::openUrl(url))
        say(tr("Could not open “%1”: no application is set up for it").arg(info.name));
}

void TransferPresenter::clearFinished()
{
    const QList<TransferInfo> all = m_transfers->transfers();
    m_transfers->clearFinished();
    for (const TransferInfo &info : all) {
        if (!info.isFinished())
            continue;
        // Rows of other rooms are not on screen; FileTransfers no longer brings them back.
        m_messages->remove(info.id);
        m_savedPaths.remove(info.id);
    }
}

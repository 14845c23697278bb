// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "filetransfers.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

class ChatSession;
class MessageModel;
class QImage;
class QMimeData;
class QTemporaryDir;
class QWidget;

//! Shows FileTransfers in the message view and carries out what the user asks of them: every
//! transfer of the shown room is a row that follows its progress; dropped, pasted and attached
//! files are sent; refusals and failures are said in the view; received files are saved and
//! opened. An incoming file counts as unread like a message.
class TransferPresenter : public QObject
{
    Q_OBJECT
public:
    TransferPresenter(FileTransfers *transfers, ChatSession *session, MessageModel *messages,
                      QWidget *dialogParent, QObject *parent = nullptr);
    ~TransferPresenter() override;

    FileTransfers *transfers() const { return m_transfers; }
    // Tests turn this off so that "Open" does not start another application.
    void setOpensFiles(bool open) { m_opensFiles = open; }

public slots:
    void sendFiles(const QStringList &paths);
    // Saves the image as a PNG in a temporary folder (kept while Natter runs) and sends that.
    void sendImage(const QImage &image);
    // Files from a drop or a paste, else its image; false when it offers neither.
    bool sendMimeData(const QMimeData *mime);
    void attachFiles(); // asks with FilePicker
    void cancelTransfer(const QString &id);
    void saveTransfer(const QString &id); // asks where with FilePicker
    void openTransfer(const QString &id);
    // Forgets finished transfers (completed, failed, cancelled) and takes their rows out of the view.
    void clearFinished();

signals:
    void fileOpened(const QUrl &url);

private:
    void show(const TransferInfo &info);
    void onAdded(const TransferInfo &info);
    void showRoomTransfers();
    void say(const QString &text);
    QString pasteFolder();

    FileTransfers *m_transfers;
    ChatSession *m_session;
    MessageModel *m_messages;
    QPointer<QWidget> m_dialogParent;
    std::unique_ptr<QTemporaryDir> m_pasteDir;
    QString m_lastSaveDir;
    QHash<QString, QString> m_savedPaths; // transfer id -> where the user saved it (rows come and go)
    bool m_opensFiles = true;
};

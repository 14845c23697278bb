// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QStringList>

#include <optional>

class QWidget;

//! The file dialogs Natter asks with: files to send, where to save a received file, and the folder
//! received files go to. Like ConnectDialog, each can be answered in advance so that tests never
//! block on a modal dialog.
class FilePicker
{
    Q_DECLARE_TR_FUNCTIONS(FilePicker)
public:
    // Several files to send; empty when cancelled.
    static QStringList openFiles(QWidget *parent, const QString &directory = {});
    // A path to save to (the dialog itself asks before replacing a file); empty when cancelled.
    static QString saveFile(QWidget *parent, const QString &suggestedPath);
    // A folder (where received files go); empty when cancelled.
    static QString chooseDirectory(QWidget *parent, const QString &directory);

    // The next call returns this at once without showing anything (an empty answer = cancelled).
    static void setNextOpenAnswer(const std::optional<QStringList> &paths);
    static void setNextSaveAnswer(const std::optional<QString> &path);
    static void setNextDirectoryAnswer(const std::optional<QString> &path);
};

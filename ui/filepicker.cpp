// SPDX-License-Identifier: GPL-3.0-or-later
#include "filepicker.h"

#include <QFileDialog>

namespace {
std::optional<QStringList> s_nextOpen;
std::optional<QString> s_nextSave;
std::optional<QString> s_nextDirectory;
} // namespace

QStringList FilePicker::openFiles(QWidget *parent, const QString &directory)
{
    if (s_nextOpen) {
        const QStringList answer = *s_nextOpen;
        s_nextOpen.reset();
        return answer;
    }
    return QFileDialog::getOpenFileNames(parent, tr("Send Files"), directory);
}

QString FilePicker::saveFile(QWidget *parent, const QString &suggestedPath)
{
    if (s_nextSave) {
        const QString answer = *s_nextSave;
        s_nextSave.reset();
        return answer;
    }
    return QFileDialog::getSaveFileName(parent, tr("Save File"), suggestedPath);
}

QString FilePicker::chooseDirectory(QWidget *parent, const QString &directory)
{
    if (s_nextDirectory) {
        const QString answer = *s_nextDirectory;
        s_nextDirectory.reset();
        return answer;
    }
    return QFileDialog::getExistingDirectory(parent, tr("Download Folder"), directory);
}

void FilePicker::setNextOpenAnswer(const std::optional<QStringList> &paths)
{
    s_nextOpen = paths;
}

void FilePicker::setNextSaveAnswer(const std::optional<QString> &path)
{
    s_nextSave = path;
}

void FilePicker::setNextDirectoryAnswer(const std::optional<QString> &path)
{
    s_nextDirectory = path;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class AppSettings;
class FileTransfers;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

//! Preferences → Files: where received files go, which ones arrive without asking and the largest
//! one accepted at all. Changes apply at once: to the settings and to the running FileTransfers.
class FilesPage : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxMiB = 1024 * 1024; // 1 TiB: beyond, the special value (0) says it better

    FilesPage(AppSettings *settings, FileTransfers *transfers, QWidget *parent = nullptr);
    // Each server's: what is changed applies to all of them at once.
    FilesPage(AppSettings *settings, const QList<FileTransfers *> &transfers, QWidget *parent = nullptr);

    QLineEdit *downloadFolder() const { return m_folder; } // empty: each file waits to be saved
    QPushButton *chooseButton() const { return m_choose; }
    QLabel *folderProblem() const { return m_folderProblem; }
    QSpinBox *autoAcceptLimit() const { return m_autoAccept; } // MiB; 0: never ask
    QSpinBox *maxIncoming() const { return m_maxIncoming; }    // MiB; 0: the server's limit

public slots:
    void chooseFolder(); // FilePicker::chooseDirectory()

private:
    void applyFolder();
    void applyLimits();

    AppSettings *m_settings;
    QList<QPointer<FileTransfers>> m_transfers;
    QLineEdit *m_folder;
    QPushButton *m_choose;
    QLabel *m_folderProblem;
    QSpinBox *m_autoAccept;
    QSpinBox *m_maxIncoming;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "filespage.h"

#include "appsettings.h"
#include "filepicker.h"
#include "filetransfers.h"

#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {
constexpr qint64 MiB = 1024 * 1024;

int toMiB(qint64 bytes)
{
    return int(qMin<qint64>(FilesPage::MaxMiB, (bytes + MiB - 1) / MiB));
}
} // namespace

FilesPage::FilesPage(AppSettings *settings, FileTransfers *transfers, QWidget *parent)
    : FilesPage(settings, transfers ? QList<FileTransfers *>{transfers} : QList<FileTransfers *>{}, parent)
{}

FilesPage::FilesPage(AppSettings *settings, const QList<FileTransfers *> &transfers, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_folder(new QLineEdit)
    , m_choose(new QPushButton(tr("Choose…")))
    , m_folderProblem(new QLabel)
    , m_autoAccept(new QSpinBox)
    , m_maxIncoming(new QSpinBox)
{
    setObjectName(QStringLiteral("filesPage"));
    for (FileTransfers *t : transfers)
        m_transfers.append(t);
    m_folder->setAccessibleName(tr("Download folder"));
    m_folder->setPlaceholderText(tr("None: each file waits until you save it"));
    m_folder->setClearButtonEnabled(true);
    m_folder->setText(QDir::toNativeSeparators(settings->downloadDir()));
    m_choose->setAccessibleName(tr("Choose the download folder"));
    m_folderProblem->setWordWrap(true);
    m_folderProblem->setAccessibleName(tr("Download folder problem"));
    m_folderProblem->hide();

    m_autoAccept->setAccessibleName(tr("Receive files without asking up to"));
    m_autoAccept->setRange(0, MaxMiB);
    m_autoAccept->setSuffix(tr(" MiB"));
    m_autoAccept->setSpecialValueText(tr("Any size, never ask"));
    m_autoAccept->setValue(toMiB(settings->autoAcceptFileBytes()));
    m_maxIncoming->setAccessibleName(tr("Largest file received"));
    m_maxIncoming->setRange(0, MaxMiB);
    m_maxIncoming->setSuffix(tr(" MiB"));
    m_maxIncoming->setSpecialValueText(tr("As the server allows"));
    m_maxIncoming->setValue(toMiB(settings->maxIncomingFileBytes()));

    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_choose);
    auto *explanation =
        new QLabel(tr("Larger files than “without asking” wait for Save… or Cancel while they "
                      "arrive; files over the largest size are refused."));
    explanation->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Download folder:"), folderRow);
    form->addRow(QString(), m_folderProblem);
    form->addRow(tr("Receive &without asking up to:"), m_autoAccept);
    form->addRow(tr("&Largest file received:"), m_maxIncoming);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(explanation);
    layout->addStretch(1);

    connect(m_folder, &QLineEdit::editingFinished, this, &FilesPage::applyFolder);
    connect(m_choose, &QPushButton::clicked, this, &FilesPage::chooseFolder);
    // Every step applies, as on the Storage page.
    connect(m_autoAccept, &QSpinBox::valueChanged, this, &FilesPage::applyLimits);
    connect(m_maxIncoming, &QSpinBox::valueChanged, this, &FilesPage::applyLimits);
}

void FilesPage::chooseFolder()
{
    const QString start = m_folder->text().isEmpty() ? m_settings->downloadDir() : m_folder->text();
    const QString dir = FilePicker::chooseDirectory(this, start);
    if (dir.isEmpty())
        return;
    m_folder->setText(QDir::toNativeSeparators(dir));
    applyFolder();
}

void FilesPage::applyFolder()
{
    const QString typed = QDir::fromNativeSeparators(m_folder->text().trimmed());
    QString dir;
    if (!typed.isEmpty()) {
        const QFileInfo info(typed);
        if (!info.isDir() || !info.isWritable()) {
            // The files keep going where they went; the text stays for the user to correct.
            m_folderProblem->setText(info.exists() ? tr("Natter cannot write to “%1”.").arg(typed)
                                                   : tr("There is no folder “%1”.").arg(typed));
            m_folderProblem->show();
            return;
        }
        dir = QDir::cleanPath(info.absoluteFilePath());
    }
    m_folderProblem->hide();
    m_folderProblem->clear();
    m_settings->setDownloadDir(dir);
    for (FileTransfers *transfers : std::as_const(m_transfers)) {
        if (transfers)
            transfers->setDownloadDir(dir);
    }
}

void FilesPage::applyLimits()
{
    const qint64 autoAccept = qint64(m_autoAccept->value()) * MiB;
    const qint64 maxIncoming = qint64(m_maxIncoming->value()) * MiB;
    m_settings->setAutoAcceptFileBytes(autoAccept);
    m_settings->setMaxIncomingFileBytes(maxIncoming);
    for (FileTransfers *transfers : std::as_const(m_transfers)) {
        if (transfers) {
            transfers->setAutoAcceptBytes(autoAccept);
            transfers->setMaxIncomingBytes(maxIncoming);
        }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "imageviewer.h"

#include "imagethumbnailer.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QUrl>
#include <QVBoxLayout>

ImageViewer::ImageViewer(const QString &path, QWidget *parent)
    : QDialog(parent)
    , m_path(path)
    , m_scroll(new QScrollArea)
    , m_label(new QLabel)
    , m_fitButton(new QPushButton(tr("&Fit to Window")))
{
    setWindowTitle(QFileInfo(path).fileName());
    ImageThumbnailer::applyAllocationLimit();
    const ImageThumbnailer::Decoded decoded = ImageThumbnailer::decode(path, maxSize());
    m_image = decoded.image;
    if (decoded.status == ImageThumbnailer::Status::TooLarge)
        m_label->setText(tr("This image is too large to preview."));
    else if (decoded.status != ImageThumbnailer::Status::Ready)
        m_label->setText(tr("This file cannot be shown as an image."));
    m_label->setAlignment(Qt::AlignCenter);
    m_scroll->setAlignment(Qt::AlignCenter);
    m_scroll->setWidget(m_label);
    m_scroll->setWidgetResizable(true);

    m_fitButton->setCheckable(true);
    m_fitButton->setChecked(true);
    m_fitButton->setEnabled(!m_image.isNull());
    connect(m_fitButton, &QPushButton::toggled, this, &ImageViewer::setFitting);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *save = buttons->addButton(tr("&Save…"), QDialogButtonBox::ActionRole);
    QPushButton *open = buttons->addButton(tr("&Open With…"), QDialogButtonBox::ActionRole);
    connect(save, &QPushButton::clicked, this, &ImageViewer::saveCopy);
    connect(open, &QPushButton::clicked, this, &ImageViewer::openWith);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_fitButton);
    bottom->addWidget(buttons, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scroll, 1);
    layout->addLayout(bottom);
    resize(800, 600);
    showImage();
}

QString ImageViewer::note() const
{
    return m_image.isNull() ? m_label->text() : QString();
}

void ImageViewer::setFitting(bool fit)
{
    m_fit = fit;
    m_fitButton->setChecked(fit);
    m_fitButton->setText(fit ? tr("&Fit to Window") : tr("&100%"));
    showImage();
}

void ImageViewer::showImage()
{
    if (m_image.isNull())
        return;
    // Fitted: the label follows the viewport; at 100% it takes the image's size and scrolls.
    m_scroll->setWidgetResizable(m_fit);
    if (!m_fit) {
        m_label->setPixmap(QPixmap::fromImage(m_image));
        m_label->adjustSize();
        return;
    }
    const QSize room = m_scroll->viewport()->size();
    const QSize shown = m_image.width() > room.width() || m_image.height() > room.height()
                            ? m_image.size().scaled(room, Qt::KeepAspectRatio)
                            : m_image.size();
    m_label->setPixmap(QPixmap::fromImage(
        shown == m_image.size() ? m_image
                                : m_image.scaled(shown, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

void ImageViewer::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    if (m_fit)
        showImage();
}

void ImageViewer::saveCopy()
{
    const QString target = QFileDialog::getSaveFileName(this, tr("Save Image"), QFileInfo(m_path).fileName());
    if (target.isEmpty())
        return;
    // Saving over the image itself: it is already there (removing it first would lose it).
    if (QFileInfo(target).canonicalFilePath() == QFileInfo(m_path).canonicalFilePath())
        return;
    QFile::remove(target); // the dialog asked already whether to replace it
    if (!QFile::copy(m_path, target))
        QMessageBox::warning(this, tr("Save Image"), tr("Could not save %1.").arg(target));
}

void ImageViewer::openWith()
{
    QDesktopServices::openUrl(QUrl::fromLocalFile(m_path));
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QImage>

class QLabel;
class QPushButton;
class QScrollArea;

//! Shows one image file: fitted to the window or at 100%, with Save… (a copy of the file) and
//! Open With… (the desktop's viewer). It decodes with ImageThumbnailer's cap: more than
//! ImageThumbnailer::MaxPixels is refused, and larger ones are shown at most maxSize().
class ImageViewer : public QDialog
{
    Q_OBJECT
public:
    static QSize maxSize() { return {4000, 4000}; }

    explicit ImageViewer(const QString &path, QWidget *parent = nullptr);

    QString path() const { return m_path; }
    const QImage &image() const { return m_image; } // null when refused
    QString note() const;                           // why nothing is shown, if nothing is
    bool isFitting() const { return m_fit; }

public slots:
    void setFitting(bool fit);
    void saveCopy();
    void openWith();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showImage();

    QString m_path;
    QImage m_image;
    bool m_fit = true;
    QScrollArea *m_scroll = nullptr;
    QLabel *m_label = nullptr;
    QPushButton *m_fitButton = nullptr;
};

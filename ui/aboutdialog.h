// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

//! Natter's name, version (NATTER_VERSION) and the Qt it runs on. Shown without blocking.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    QString text() const;

private:
    QString m_text;
};

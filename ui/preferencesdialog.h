// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QListWidget;
class QStackedWidget;

//! Natter's preferences (Ctrl+,): a list of pages on the left, the chosen page on the right.
//! Pages apply what the user changes at once, so there is only a Close button. Each page is its
//! own widget, added with addPage().
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget *parent = nullptr);

    // The dialog takes `page`; its accessible name is the title unless it has one.
    void addPage(QWidget *page, const QString &title);
    QWidget *page(const QString &objectName) const;
    void showPage(QWidget *page);
    QWidget *currentPage() const;

private:
    QListWidget *m_pages;
    QStackedWidget *m_stack;
};

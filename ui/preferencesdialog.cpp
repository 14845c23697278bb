// SPDX-License-Identifier: GPL-3.0-or-later
#include "preferencesdialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
    , m_pages(new QListWidget)
    , m_stack(new QStackedWidget)
{
    setWindowTitle(tr("Preferences"));
    setAccessibleName(tr("Preferences"));
    m_pages->setAccessibleName(tr("Preference pages"));
    m_pages->setMaximumWidth(160);
    connect(m_pages, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    // Return belongs to the pages (a name to rename to, a folder typed in), never to Close.
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    buttons->button(QDialogButtonBox::Close)->setDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *row = new QHBoxLayout;
    row->addWidget(m_pages);
    row->addWidget(m_stack, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    layout->addWidget(buttons);
    setMinimumSize(520, 320);
}

void PreferencesDialog::addPage(QWidget *page, const QString &title)
{
    if (page->accessibleName().isEmpty())
        page->setAccessibleName(title);
    m_stack->addWidget(page);
    m_pages->addItem(title);
    if (m_pages->currentRow() < 0)
        m_pages->setCurrentRow(0);
}

QWidget *PreferencesDialog::page(const QString &objectName) const
{
    for (int i = 0; i < m_stack->count(); ++i) {
        if (m_stack->widget(i)->objectName() == objectName)
            return m_stack->widget(i);
    }
    return nullptr;
}

void PreferencesDialog::showPage(QWidget *page)
{
    const int index = m_stack->indexOf(page);
    if (index >= 0)
        m_pages->setCurrentRow(index);
}

QWidget *PreferencesDialog::currentPage() const
{
    return m_stack->currentWidget();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "searchbar.h"

#include "searchresultdelegate.h"
#include "searchresultsmodel.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QToolButton>
#include <QVBoxLayout>

SearchBar::SearchBar(SearchResultsModel *results, QWidget *parent)
    : QWidget(parent)
    , m_results(results)
    , m_field(new QLineEdit)
    , m_list(new QListView)
    , m_status(new QLabel)
{
    setAccessibleName(tr("Search"));
    m_field->setAccessibleName(tr("Search messages"));
    m_field->setPlaceholderText(tr("Search every room (Enter: next, Esc: close)"));
    m_field->setClearButtonEnabled(true);
    m_field->installEventFilter(this);
    m_list->setAccessibleName(tr("Search results"));
    m_list->setModel(results);
    m_list->setItemDelegate(new SearchResultDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    m_list->setMaximumHeight(240);
    m_list->setFocusPolicy(Qt::NoFocus); // the keys stay with the field
    m_list->hide();
    m_status->setAccessibleName(tr("Search result count"));
    auto *close = new QToolButton;
    close->setText(QStringLiteral("✕"));
    close->setAccessibleName(tr("Close search"));
    close->setAutoRaise(true);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_field, 1);
    row->addWidget(m_status);
    row->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_list);

    connect(m_field, &QLineEdit::textChanged, results, &SearchResultsModel::setQuery);
    connect(results, &SearchResultsModel::searched, this, &SearchBar::showCount);
    connect(m_list, &QListView::clicked, this, [this](const QModelIndex &index) { choose(index.row()); });
    connect(close, &QToolButton::clicked, this, &SearchBar::close);
    hide();
}

void SearchBar::open()
{
    show();
    raise();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void SearchBar::close()
{
    hide();
    emit closed();
}

void SearchBar::showCount(const QString &query, int count)
{
    m_list->setVisible(count > 0);
    m_status->setText(query.trimmed().isEmpty() ? QString()
                      : count == 0              ? tr("No results")
                                                : tr("%n result(s)", nullptr, count));
}

void SearchBar::moveBy(int step)
{
    if (m_results->isSearchPending())
        m_results->searchNow(); // typed faster than the search: search what is there now
    const int count = m_results->rowCount();
    if (count == 0)
        return;
    const int current = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -1;
    choose(current < 0 ? (step > 0 ? 0 : count - 1) : qBound(0, current + step, count - 1));
}

void SearchBar::choose(int row)
{
    const QModelIndex index = m_results->index(row);
    if (!index.isValid())
        return;
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
    emit resultChosen(index.data(SearchResultsModel::RoomRole).toString(),
                      index.data(SearchResultsModel::SeqRole).toLongLong());
}

bool SearchBar::eventFilter(QObject *watched, QEvent *event)
{
    // Escape is also the window's "write a message" shortcut: in the field it closes the search.
    if (watched == m_field && event->type() == QEvent::ShortcutOverride &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        event->accept();
        return true;
    }
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Down:
            moveBy(+1);
            return true;
        case Qt::Key_Up:
            moveBy(-1);
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            moveBy(key->modifiers() & Qt::ShiftModifier ? -1 : +1);
            return true;
        case Qt::Key_Escape:
            close();
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

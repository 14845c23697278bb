// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

//! One search result in two lines: "#room · time · sender", then the message text around its
//! first match, every match highlighted.
class SearchResultDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The text line shown for a result: one line around the first match, with the matches' new
    // (start, length). Long texts start shortly before the first match, marked with an ellipsis.
    static QString snippet(const QString &text, const QVariantList &matches, QList<QPair<int, int>> *shown);
};

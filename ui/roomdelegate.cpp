// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomdelegate.h"

#include "roomlistmodel.h"

#include <QApplication>
#include <QPainter>

void RoomDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const bool current = index.data(RoomListModel::CurrentRole).toBool();
    if (current)
        opt.state |= QStyle::State_Selected;
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const int unread = index.data(RoomListModel::UnreadRole).toInt();
    const int mentions = index.data(RoomListModel::MentionsRole).toInt();
    const int users = index.data(RoomListModel::UserCountRole).toInt();
    const QString name = index.data(RoomListModel::NameRole).toString();
    const QPalette::ColorRole textRole = current ? QPalette::HighlightedText : QPalette::Text;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QRect r = option.rect.adjusted(10, 0, -8, 0);
    QFont font = option.font;
    int right = r.right();

    if (unread > 0) {
        QFont badgeFont = font;
        badgeFont.setBold(true);
        badgeFont.setPointSizeF(font.pointSizeF() * 0.85);
        // Mentions of the user stand out: "@2" in the accent colour, before the plain count.
        const QString count = unread > 999 ? QStringLiteral("999+") : QString::number(unread);
        const QString label =
            mentions > 0 ? QStringLiteral("@%1 · %2").arg(qMin(mentions, 999)).arg(count) : count;
        const QFontMetrics bfm(badgeFont);
        const int h = bfm.height() + 2;
        const int w = qMax(h, bfm.horizontalAdvance(label) + 10);
        const QRect badge(right - w + 1, r.center().y() - h / 2, w, h);
        painter->setPen(Qt::NoPen);
        painter->setBrush(mentions > 0 ? option.palette.color(QPalette::Highlight)
                                       : QColor(0xd0, 0x3a, 0x2f));
        painter->drawRoundedRect(badge, h / 2.0, h / 2.0);
        painter->setPen(Qt::white);
        painter->setFont(badgeFont);
        painter->drawText(badge, Qt::AlignCenter, label);
        right = badge.left() - 6;
    }
    if (users >= 0) {
        painter->setFont(font);
        painter->setPen(
            option.palette.color(current ? QPalette::HighlightedText : QPalette::PlaceholderText));
        const QString count = QString::number(users);
        const int w = option.fontMetrics.horizontalAdvance(count);
        painter->drawText(QRect(right - w + 1, r.top(), w, r.height()), Qt::AlignVCenter | Qt::AlignRight,
                          count);
        right -= w + 8;
    }
    font.setBold(unread > 0 || current);
    painter->setFont(font);
    painter->setPen(option.palette.color(textRole));
    const QString shown =
        QFontMetrics(font).elidedText(QStringLiteral("# ") + name, Qt::ElideRight, right - r.left());
    painter->drawText(QRect(r.left(), r.top(), right - r.left(), r.height()),
                      Qt::AlignVCenter | Qt::AlignLeft, shown);
    painter->restore();
}

QSize RoomDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return QSize(base.width() + 40, qMax(base.height(), option.fontMetrics.height() + 10));
}

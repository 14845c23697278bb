// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomdelegate.h"

#include "roomlistmodel.h"
#include "serverroomsmodel.h"

#include <QApplication>
#include <QPainter>

int RoomDelegate::paintBadge(QPainter *painter, const QStyleOptionViewItem &option, const QRect &r,
                             int unread, int mentions, bool quiet)
{
    QFont badgeFont = option.font;
    badgeFont.setBold(true);
    badgeFont.setPointSizeF(option.font.pointSizeF() * 0.85);
    // Mentions of the user stand out: "@2" in the accent colour, before the plain count.
    const QString count = unread > 999 ? QStringLiteral("999+") : QString::number(unread);
    const QString label =
        mentions > 0 ? QStringLiteral("@%1 · %2").arg(qMin(mentions, 999)).arg(count) : count;
    const QFontMetrics bfm(badgeFont);
    const int h = bfm.height() + 2;
    const int w = qMax(h, bfm.horizontalAdvance(label) + 10);
    const QRect badge(r.right() - w + 1, r.center().y() - h / 2, w, h);
    painter->setPen(Qt::NoPen);
    // A room that does not notify every message counts in grey: there, but not calling.
    painter->setBrush(mentions > 0 ? option.palette.color(QPalette::Highlight)
                      : quiet      ? QColor(0x8a, 0x8a, 0x8a)
                                   : QColor(0xd0, 0x3a, 0x2f));
    painter->drawRoundedRect(badge, h / 2.0, h / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(badgeFont);
    painter->drawText(badge, Qt::AlignCenter, label);
    return badge.left() - 6;
}

void RoomDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    if (index.data(ServerRoomsModel::IsServerRole).toBool()) {
        paintServer(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // The highlight is the room shown (of the server shown); the view's own current row keeps its
    // focus frame for keyboard users.
    const QModelIndex server = index.parent();
    const bool shown = !server.isValid() || m_currentServer < 0 || server.row() == m_currentServer;
    const bool currentRoom = index.data(RoomListModel::CurrentRole).toBool();
    const bool current = currentRoom && shown;
    opt.state.setFlag(QStyle::State_Selected, current);
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
    const QRect r = option.rect.adjusted(10, 0, -8, 0);
    QFont font = option.font;
    int right = r.right();

    if (unread > 0) {
        const bool quiet = index.data(RoomListModel::NotifyRole).value<RoomListModel::Notify>() !=
                           RoomListModel::Notify::All;
        right = paintBadge(painter, option, QRect(r.left(), r.top(), right - r.left() + 1, r.height()),
                           unread, mentions, quiet);
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
    font.setBold(unread > 0 || currentRoom);
    painter->setFont(font);
    painter->setPen(option.palette.color(textRole));
    const QString text =
        QFontMetrics(font).elidedText(QStringLiteral("# ") + name, Qt::ElideRight, right - r.left());
    painter->drawText(QRect(r.left(), r.top(), right - r.left(), r.height()),
                      Qt::AlignVCenter | Qt::AlignLeft, text);
    painter->restore();
}

void RoomDelegate::paintServer(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.state.setFlag(QStyle::State_Selected, false); // a header, not a choice: the focus frame shows it
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QString name = index.data(Qt::DisplayRole).toString();
    const QString state = index.data(ServerRoomsModel::ServerStateRole).toString();
    const int unread = index.data(RoomListModel::UnreadRole).toInt();

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect r = option.rect.adjusted(4, 0, -8, 0);
    int right = r.right();
    if (unread > 0)
        right = paintBadge(painter, option, r, unread, 0, false);

    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const int width = right - r.left();
    const QString shownName = boldMetrics.elidedText(name, Qt::ElideRight, width);
    painter->setFont(bold);
    painter->setPen(option.palette.color(QPalette::Text));
    painter->drawText(QRect(r.left(), r.top(), width, r.height()), Qt::AlignVCenter | Qt::AlignLeft,
                      shownName);

    // The state after the name, smaller and in the placeholder colour, which themes keep readable
    // on their base colour.
    const int left = r.left() + boldMetrics.horizontalAdvance(shownName) + 8;
    if (!state.isEmpty() && left < right) {
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.85);
        painter->setFont(small);
        painter->setPen(option.palette.color(QPalette::PlaceholderText));
        const QString shownState = QFontMetrics(small).elidedText(state, Qt::ElideRight, right - left);
        painter->drawText(QRect(left, r.top(), right - left, r.height()), Qt::AlignVCenter | Qt::AlignLeft,
                          shownState);
    }
    painter->restore();
}

QSize RoomDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return QSize(base.width() + 40, qMax(base.height(), option.fontMetrics.height() + 10));
}

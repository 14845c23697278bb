// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

//! A room row: the name (bold when it has unread messages), its user count, and an unread badge.
//! Under ServerRoomsModel, a server row is a header: its name in bold, its connection state, and
//! its rooms' unread total.
class RoomDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // Only the current room of this server (the row under this top-level row) is highlighted;
    // the other servers' current rooms are just bold. -1: every current room is highlighted.
    void setCurrentServer(int server) { m_currentServer = server; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintServer(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    // Draws the unread badge at the right of `r`; returns the x left of it.
    static int paintBadge(QPainter *painter, const QStyleOptionViewItem &option, const QRect &r, int unread,
                          int mentions, bool quiet);

    int m_currentServer = -1;
};

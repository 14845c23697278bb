// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDockWidget>

class QLineEdit;
class QListView;
class QMenu;
class QModelIndex;
class QPushButton;
class RoomListModel;

//! The rooms dock: known rooms with user and unread counts (one click joins, the context menu sets
//! what notifies), and a field to join a room by name.
class RoomListDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit RoomListDock(RoomListModel *model, QWidget *parent = nullptr);

    QListView *view() const { return m_view; }
    QLineEdit *joinEdit() const { return m_joinEdit; }
    // The context menu of the room at `index` (its notification level); the caller owns it.
    QMenu *createContextMenu(const QModelIndex &index);

public slots:
    void selectNext(int step); // keyboard room switching: -1 previous, +1 next

signals:
    void joinRequested(const QString &room);

private:
    void joinTyped();

    RoomListModel *m_model;
    QListView *m_view;
    QLineEdit *m_joinEdit;
    QPushButton *m_joinButton;
};

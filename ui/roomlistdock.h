// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDockWidget>

class QLineEdit;
class QMenu;
class QModelIndex;
class QPushButton;
class QTreeView;
class RoomDelegate;
class ServerRoomsModel;

//! The rooms dock: each server's known rooms under its name, with user and unread counts (one click
//! joins, the context menu sets what notifies), and a field to join a room on the current server.
class RoomListDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit RoomListDock(ServerRoomsModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    ServerRoomsModel *model() const { return m_model; }
    QLineEdit *joinEdit() const { return m_joinEdit; }
    // The server the window shows: the join field joins there, and its current room is the one
    // highlighted and the one selectNext() steps from. -1 while there is none.
    void setCurrentServer(int server);
    int currentServer() const { return m_currentServer; }
    // The context menu of the row at `index`, an index of model(): a room's notification level,
    // nullptr for a server row; the caller owns it.
    QMenu *createContextMenu(const QModelIndex &index);

public slots:
    // Keyboard room switching, across servers in order: -1 previous, +1 next.
    void selectNext(int step);

signals:
    void joinRequested(int server, const QString &room);

private:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void joinTyped();
    void joinAt(const QModelIndex &index); // a room row of model(); nothing for a server row
    void currentRowChanged(const QModelIndex &index);
    void serversRemoved(int first, int last);

    ServerRoomsModel *m_model;
    QTreeView *m_view;
    RoomDelegate *m_delegate;
    QLineEdit *m_joinEdit;
    QPushButton *m_joinButton;
    int m_currentServer = 0;
    bool m_pressed = false;   // a mouse button is down on the list: the click joins, not the selection
    bool m_following = false; // the view's current row follows selectNext(), which has joined already
};

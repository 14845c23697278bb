// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDockWidget>

class QLabel;
class QListView;
class UserListModel;

//! The users dock: who is in the current room.
class UserListDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit UserListDock(UserListModel *model, QWidget *parent = nullptr);

    QListView *view() const { return m_view; }

private:
    void updateTitle();

    UserListModel *m_model;
    QListView *m_view;
};

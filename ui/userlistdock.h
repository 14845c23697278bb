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
    UserListModel *model() const { return m_model; }
    // The selected server's users (one model per server).
    void setModel(UserListModel *model);

private:
    void updateTitle();

    UserListModel *m_model = nullptr;
    QMetaObject::Connection m_inserted, m_removed, m_reset;
    QListView *m_view;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "userlistdock.h"

#include "userlistmodel.h"

#include <QListView>

UserListDock::UserListDock(UserListModel *model, QWidget *parent)
    : QDockWidget(tr("Users"), parent)
    , m_view(new QListView)
{
    setObjectName(QStringLiteral("usersDock"));
    setAccessibleName(tr("Users"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    m_view->setAccessibleName(tr("Users in this room"));
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setFocusPolicy(Qt::NoFocus);
    m_view->setSpacing(2);
    setWidget(m_view);
    setModel(model);
}

void UserListDock::setModel(UserListModel *model)
{
    if (model == m_model)
        return;
    for (const auto &c : {m_inserted, m_removed, m_reset})
        disconnect(c);
    m_model = model;
    m_view->setModel(model);
    m_inserted = connect(model, &QAbstractItemModel::rowsInserted, this, &UserListDock::updateTitle);
    m_removed = connect(model, &QAbstractItemModel::rowsRemoved, this, &UserListDock::updateTitle);
    m_reset = connect(model, &QAbstractItemModel::modelReset, this, &UserListDock::updateTitle);
    updateTitle();
}

void UserListDock::updateTitle()
{
    const int n = m_model->rowCount();
    setWindowTitle(n == 0 ? tr("Users") : tr("Users (%1)").arg(n));
}

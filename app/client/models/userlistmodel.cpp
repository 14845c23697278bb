// SPDX-License-Identifier: GPL-3.0-or-later
#include "userlistmodel.h"

UserListModel::UserListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int UserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &name = m_users.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return name == m_self ? tr("%1 (you)").arg(name) : name;
    case NameRole:
        return name;
    case SelfRole:
        return name == m_self;
    default:
        return {};
    }
}

QHash<int, QByteArray> UserListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(SelfRole, "self");
    return names;
}

void UserListModel::setSelfName(const QString &name)
{
    if (name == m_self)
        return;
    m_self = name;
    if (!m_users.isEmpty())
        emit dataChanged(index(0), index(int(m_users.size()) - 1), {Qt::DisplayRole, SelfRole});
}

void UserListModel::setUsers(const QStringList &users)
{
    beginResetModel();
    m_users = users;
    endResetModel();
}

void UserListModel::addUser(const QString &name)
{
    const int row = int(m_users.size());
    beginInsertRows({}, row, row);
    m_users.append(name);
    endInsertRows();
}

bool UserListModel::removeUser(const QString &name)
{
    const int row = int(m_users.lastIndexOf(name));
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_users.removeAt(row);
    endRemoveRows();
    return true;
}

void UserListModel::clear()
{
    setUsers({});
}

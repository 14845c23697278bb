// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QStringList>

//! The users in the current room, in join order. Names need not be unique, so the same name may
//! appear more than once and a leave removes one occurrence.
class UserListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        NameRole = Qt::UserRole + 1,
        SelfRole, // the row is the local user
    };
    Q_ENUM(Roles)

    explicit UserListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QStringList users() const { return m_users; }
    void setSelfName(const QString &name);
    void setUsers(const QStringList &users);
    void addUser(const QString &name);
    bool removeUser(const QString &name);
    void clear();

private:
    QStringList m_users;
    QString m_self;
};

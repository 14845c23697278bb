// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemModel>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QVector>

class RoomListModel;

//! The rooms of several servers side by side, as a tree: one top-level row per server (in the order
//! added), under it the rows of that server's RoomListModel, whose changes it follows row for row.
class ServerRoomsModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Roles {
        // Beyond RoomListModel's roles, which room rows forward.
        ServerStateRole = Qt::UserRole + 100, // a server row's connection state text
        IsServerRole,                         // true on server rows, false on room rows
    };
    Q_ENUM(Roles)

    explicit ServerRoomsModel(QObject *parent = nullptr);

    // `rooms` is not owned; remove its server before deleting it. Returns the server's index.
    int addServer(const QString &name, RoomListModel *rooms);
    void removeServer(int server);
    void setServerName(int server, const QString &name);
    void setServerState(int server, const QString &stateText);
    int serverCount() const { return int(m_servers.size()); }
    RoomListModel *rooms(int server) const;
    QString serverName(int server) const;
    int serverOf(const QModelIndex &index) const; // a server or a room row's server; -1 when invalid
    int serverOfRooms(const RoomListModel *rooms) const;
    QModelIndex serverIndex(int server) const;
    QModelIndex roomIndex(int server, const QString &room) const; // invalid when absent
    // Room rows only: between this model's room rows and their RoomListModel's rows.
    QModelIndex mapFromRooms(const QModelIndex &roomsIndex) const;
    QModelIndex mapToRooms(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Server
    {
        quintptr id = 0; // stable for the server's life: room rows' internal id (server rows: 0)
        QString name;
        QString state;
        QPointer<RoomListModel> rooms;
        QVector<QMetaObject::Connection> connections;
        bool resetting = false; // between its model's reset signals: shown without rooms
        // Across a layout change of its model: this model's room indexes and where they were.
        QModelIndexList layoutProxy;
        QList<QPersistentModelIndex> layoutSource;
    };
    int positionOf(quintptr id) const;
    void follow(Server &server);
    void serverChanged(int server, const QVector<int> &roles);

    QVector<Server> m_servers;
    quintptr m_nextId = 1;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverroomsmodel.h"

#include "roomlistmodel.h"

ServerRoomsModel::ServerRoomsModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

int ServerRoomsModel::addServer(const QString &name, RoomListModel *rooms)
{
    const int at = int(m_servers.size());
    beginInsertRows({}, at, at);
    Server server;
    server.id = m_nextId++;
    server.name = name;
    server.rooms = rooms;
    m_servers.append(server);
    follow(m_servers.last());
    endInsertRows();
    return at;
}

void ServerRoomsModel::removeServer(int server)
{
    if (server < 0 || server >= m_servers.size())
        return;
    beginRemoveRows({}, server, server);
    for (const auto &connection : std::as_const(m_servers.at(server).connections))
        disconnect(connection);
    m_servers.remove(server);
    endRemoveRows();
}

void ServerRoomsModel::setServerName(int server, const QString &name)
{
    if (server < 0 || server >= m_servers.size() || m_servers.at(server).name == name)
        return;
    m_servers[server].name = name;
    serverChanged(server, {Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
}

void ServerRoomsModel::setServerState(int server, const QString &stateText)
{
    if (server < 0 || server >= m_servers.size() || m_servers.at(server).state == stateText)
        return;
    m_servers[server].state = stateText;
    serverChanged(server, {ServerStateRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
}

RoomListModel *ServerRoomsModel::rooms(int server) const
{
    return server >= 0 && server < m_servers.size() ? m_servers.at(server).rooms.data() : nullptr;
}

QString ServerRoomsModel::serverName(int server) const
{
    return server >= 0 && server < m_servers.size() ? m_servers.at(server).name : QString();
}

int ServerRoomsModel::serverOf(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return -1;
    return index.internalId() == 0 ? index.row() : positionOf(index.internalId());
}

int ServerRoomsModel::serverOfRooms(const RoomListModel *rooms) const
{
    for (int i = 0; i < m_servers.size(); ++i) {
        if (rooms && m_servers.at(i).rooms == rooms)
            return i;
    }
    return -1;
}

QModelIndex ServerRoomsModel::serverIndex(int server) const
{
    return server >= 0 && server < m_servers.size() ? createIndex(server, 0, quintptr(0)) : QModelIndex();
}

QModelIndex ServerRoomsModel::roomIndex(int server, const QString &room) const
{
    const RoomListModel *model = rooms(server);
    if (!model || m_servers.at(server).resetting)
        return {};
    const int row = model->rowOf(room);
    return row < 0 ? QModelIndex() : createIndex(row, 0, m_servers.at(server).id);
}

QModelIndex ServerRoomsModel::mapFromRooms(const QModelIndex &roomsIndex) const
{
    if (!roomsIndex.isValid())
        return {};
    const int server = serverOfRooms(qobject_cast<const RoomListModel *>(roomsIndex.model()));
    if (server < 0 || m_servers.at(server).resetting)
        return {};
    return createIndex(roomsIndex.row(), 0, m_servers.at(server).id);
}

QModelIndex ServerRoomsModel::mapToRooms(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.internalId() == 0)
        return {};
    const RoomListModel *model = rooms(positionOf(index.internalId()));
    return model ? model->index(index.row(), 0) : QModelIndex();
}

QModelIndex ServerRoomsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column != 0 || row >= rowCount(parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, 0, quintptr(0));
    return createIndex(row, 0, m_servers.at(parent.row()).id);
}

QModelIndex ServerRoomsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return serverIndex(positionOf(child.internalId()));
}

int ServerRoomsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_servers.size());
    if (parent.column() != 0 || parent.internalId() != 0 || parent.row() >= m_servers.size())
        return 0;
    const Server &server = m_servers.at(parent.row());
    return server.rooms && !server.resetting ? server.rooms->rowCount() : 0;
}

int ServerRoomsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() && parent.internalId() != 0 ? 0 : 1;
}

QVariant ServerRoomsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() != 0) {
        if (role == IsServerRole)
            return false;
        return mapToRooms(index).data(role);
    }
    const Server &server = m_servers.at(index.row());
    const int unread = server.rooms ? server.rooms->totalUnread() : 0;
    switch (role) {
    case Qt::DisplayRole:
        return server.name;
    case ServerStateRole:
        return server.state;
    case IsServerRole:
        return true;
    case RoomListModel::UnreadRole:
        return unread;
    case Qt::ToolTipRole:
        return server.state.isEmpty() ? server.name : tr("%1: %2").arg(server.name, server.state);
    case Qt::AccessibleTextRole: {
        QString text = server.state.isEmpty() ? server.name : tr("%1, %2").arg(server.name, server.state);
        if (unread > 0)
            text += tr(", %n unread", nullptr, unread);
        return text;
    }
    default:
        return {};
    }
}

Qt::ItemFlags ServerRoomsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == 0)
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return mapToRooms(index).flags() | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> ServerRoomsModel::roleNames() const
{
    QHash<int, QByteArray> names = RoomListModel().roleNames();
    names.insert(ServerStateRole, "serverState");
    names.insert(IsServerRole, "isServer");
    return names;
}

int ServerRoomsModel::positionOf(quintptr id) const
{
    for (int i = 0; i < m_servers.size(); ++i) {
        if (m_servers.at(i).id == id)
            return i;
    }
    return -1;
}

void ServerRoomsModel::serverChanged(int server, const QVector<int> &roles)
{
    const QModelIndex index = serverIndex(server);
    emit dataChanged(index, index, roles);
}

void ServerRoomsModel::follow(Server &server)
{
    RoomListModel *rooms = server.rooms;
    if (!rooms)
        return;
    const quintptr id = server.id;
    // Each handler finds its server by id: servers before it may have been removed since.
    const auto parentOf = [this, id] {
        return serverIndex(positionOf(id));
    };
    const auto unreadChanged = [this, id] {
        serverChanged(positionOf(id), {RoomListModel::UnreadRole, Qt::AccessibleTextRole});
    };
    auto &c = server.connections;
    c.append(connect(rooms, &QAbstractItemModel::rowsAboutToBeInserted, this,
                     [this, parentOf](const QModelIndex &, int first, int last) {
                         beginInsertRows(parentOf(), first, last);
                     }));
    c.append(connect(rooms, &QAbstractItemModel::rowsInserted, this, [this, unreadChanged] {
        endInsertRows();
        unreadChanged();
    }));
    c.append(connect(rooms, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                     [this, parentOf](const QModelIndex &, int first, int last) {
                         beginRemoveRows(parentOf(), first, last);
                     }));
    c.append(connect(rooms, &QAbstractItemModel::rowsRemoved, this, [this, unreadChanged] {
        endRemoveRows();
        unreadChanged();
    }));
    c.append(connect(rooms, &QAbstractItemModel::rowsAboutToBeMoved, this,
                     [this, parentOf](const QModelIndex &, int first, int last, const QModelIndex &, int to) {
                         const QModelIndex parent = parentOf();
                         beginMoveRows(parent, first, last, parent, to);
                     }));
    c.append(connect(rooms, &QAbstractItemModel::rowsMoved, this, [this] { endMoveRows(); }));
    c.append(connect(rooms, &QAbstractItemModel::dataChanged, this,
                     [this, id, unreadChanged](const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                               const QList<int> &roles) {
                         emit dataChanged(createIndex(topLeft.row(), 0, id),
                                          createIndex(bottomRight.row(), 0, id), roles);
                         if (roles.isEmpty() || roles.contains(RoomListModel::UnreadRole))
                             unreadChanged();
                     }));
    // A reset of one server's rooms is, here, the removal of its old rooms and the insertion of its
    // new ones: the other servers' rows (and what views keep of them) stay as they are.
    c.append(connect(rooms, &QAbstractItemModel::modelAboutToBeReset, this, [this, id] {
        const int at = positionOf(id);
        const int count = rowCount(serverIndex(at));
        if (count > 0)
            beginRemoveRows(serverIndex(at), 0, count - 1);
        m_servers[at].resetting = true;
        if (count > 0)
            endRemoveRows();
    }));
    c.append(connect(rooms, &QAbstractItemModel::modelReset, this, [this, id, unreadChanged] {
        const int at = positionOf(id);
        const int count = m_servers.at(at).rooms->rowCount();
        if (count > 0)
            beginInsertRows(serverIndex(at), 0, count - 1);
        m_servers[at].resetting = false;
        if (count > 0)
            endInsertRows();
        unreadChanged();
    }));
    c.append(connect(rooms, &QAbstractItemModel::layoutAboutToBeChanged, this, [this, id, parentOf] {
        const QModelIndex parent = parentOf();
        emit layoutAboutToBeChanged({QPersistentModelIndex(parent)});
        Server &s = m_servers[positionOf(id)];
        s.layoutProxy.clear();
        s.layoutSource.clear();
        for (const QModelIndex &index : persistentIndexList()) {
            if (index.internalId() == id) {
                s.layoutProxy.append(index);
                s.layoutSource.append(QPersistentModelIndex(mapToRooms(index)));
            }
        }
    }));
    c.append(connect(rooms, &QAbstractItemModel::layoutChanged, this, [this, id, parentOf, unreadChanged] {
        Server &s = m_servers[positionOf(id)];
        QModelIndexList to;
        to.reserve(s.layoutSource.size());
        for (const QPersistentModelIndex &source : std::as_const(s.layoutSource))
            to.append(source.isValid() ? createIndex(source.row(), 0, id) : QModelIndex());
        changePersistentIndexList(s.layoutProxy, to);
        s.layoutProxy.clear();
        s.layoutSource.clear();
        emit layoutChanged({QPersistentModelIndex(parentOf())});
        unreadChanged();
    }));
    // Its rooms deleted while still shown: the server goes too rather than point at nothing.
    c.append(connect(rooms, &QObject::destroyed, this, [this, id] { removeServer(positionOf(id)); }));
}

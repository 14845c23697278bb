// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomlistmodel.h"

#include <QSet>

RoomListModel::RoomListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case Qt::ToolTipRole:
        return row.userCount < 0 ? tr("%1").arg(row.name)
                                 : tr("%1: %n user(s)", nullptr, row.userCount).arg(row.name);
    case Qt::AccessibleTextRole:
        return tr("%1, %n unread", nullptr, row.unread).arg(row.name);
    case UserCountRole:
        return row.userCount;
    case UnreadRole:
        return row.unread;
    case CurrentRole:
        return row.name == m_current;
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(UserCountRole, "userCount");
    names.insert(UnreadRole, "unread");
    names.insert(CurrentRole, "current");
    return names;
}

int RoomListModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == name)
            return i;
    }
    return -1;
}

QString RoomListModel::nameAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).name : QString();
}

QStringList RoomListModel::names() const
{
    QStringList result;
    result.reserve(m_rows.size());
    for (const Row &r : m_rows)
        result.append(r.name);
    return result;
}

int RoomListModel::unread(const QString &name) const
{
    const int row = rowOf(name);
    return row < 0 ? 0 : m_rows.at(row).unread;
}

int RoomListModel::userCount(const QString &name) const
{
    const int row = rowOf(name);
    return row < 0 ? -1 : m_rows.at(row).userCount;
}

int RoomListModel::insertRoom(const QString &name)
{
    // Kept sorted by name (case-insensitively) so the list does not jump around as counts change.
    int row = 0;
    while (row < m_rows.size() && m_rows.at(row).name.compare(name, Qt::CaseInsensitive) < 0)
        ++row;
    beginInsertRows({}, row, row);
    m_rows.insert(row, Row{name});
    endInsertRows();
    return row;
}

void RoomListModel::addRoom(const QString &name)
{
    if (!name.isEmpty() && rowOf(name) < 0)
        insertRoom(name);
}

void RoomListModel::setServerRooms(const QVector<Room> &rooms)
{
    QSet<QString> listed;
    for (const Room &room : rooms) {
        if (room.name.isEmpty())
            continue;
        listed.insert(room.name);
        int row = rowOf(room.name);
        if (row < 0)
            row = insertRoom(room.name);
        if (m_rows.at(row).userCount != room.userCount) {
            m_rows[row].userCount = room.userCount;
            changed(row, {UserCountRole, Qt::ToolTipRole});
        }
        if (room.lastSeq >= 0) {
            m_rows[row].lastSeq = room.lastSeq;
            m_rows[row].epoch = room.epoch;
            updateUnreadFromSeq(row);
        }
    }
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!listed.contains(m_rows.at(row).name) && m_rows.at(row).userCount != 0) {
            m_rows[row].userCount = 0;
            changed(row, {UserCountRole, Qt::ToolTipRole});
        }
    }
}

void RoomListModel::setUserCount(const QString &name, int count)
{
    if (name.isEmpty())
        return;
    int row = rowOf(name);
    if (row < 0)
        row = insertRoom(name);
    if (m_rows.at(row).userCount == count)
        return;
    m_rows[row].userCount = count;
    changed(row, {UserCountRole, Qt::ToolTipRole});
}

void RoomListModel::setCurrentRoom(const QString &name)
{
    if (name == m_current)
        return;
    const int oldRow = rowOf(m_current);
    m_current = name;
    if (oldRow >= 0)
        changed(oldRow, {CurrentRole});
    addRoom(name);
    const int row = rowOf(name);
    if (row >= 0)
        changed(row, {CurrentRole});
}

void RoomListModel::incrementUnread(const QString &name)
{
    if (name.isEmpty())
        return;
    int row = rowOf(name);
    if (row < 0)
        row = insertRoom(name);
    ++m_rows[row].unread;
    changed(row, {UnreadRole, Qt::AccessibleTextRole});
}

void RoomListModel::clearUnread(const QString &name)
{
    const int row = rowOf(name);
    if (row < 0 || m_rows.at(row).unread == 0)
        return;
    m_rows[row].unread = 0;
    changed(row, {UnreadRole, Qt::AccessibleTextRole});
}

void RoomListModel::markRead(const QString &name, qint64 seq, const QString &epoch)
{
    if (name.isEmpty())
        return;
    int row = rowOf(name);
    if (row < 0)
        row = insertRoom(name);
    m_rows[row].readSeq = seq;
    m_rows[row].readEpoch = epoch;
    updateUnreadFromSeq(row);
}

void RoomListModel::updateUnreadFromSeq(int row)
{
    Row &r = m_rows[row];
    // The current room counts its own arrivals; a server that restarted numbers from 1 again,
    // which must not turn into a negative count.
    if (r.name == m_current || r.readSeq < 0 || r.lastSeq < 0)
        return;
    // A new life of the room (the server restarted since) numbers from 1 again: none of it is read.
    const bool sameLife = r.epoch.isEmpty() || r.readEpoch.isEmpty() || r.epoch == r.readEpoch;
    const qint64 read = sameLife ? r.readSeq : 0;
    const int unread = int(qBound(qint64(0), r.lastSeq - read, qint64(1) << 30));
    if (unread == r.unread)
        return;
    r.unread = unread;
    changed(row, {UnreadRole, Qt::AccessibleTextRole});
}

void RoomListModel::changed(int row, const QVector<int> &roles)
{
    const QModelIndex idx = index(row);
    emit dataChanged(idx, idx, roles);
}

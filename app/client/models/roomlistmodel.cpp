// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomlistmodel.h"

#include <algorithm>

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
    case Qt::AccessibleTextRole: {
        QString text = tr("%1, %n unread", nullptr, row.unread).arg(row.name);
        if (row.mentions > 0)
            text += tr(", %n mentioning you", nullptr, row.mentions);
        switch (notifyLevel(row.name)) {
        case Notify::All:
            break;
        case Notify::Mentions:
            text += tr(", notifies mentions only");
            break;
        case Notify::Nothing:
            text += tr(", notifications off");
            break;
        }
        return text;
    }
    case UserCountRole:
        return row.userCount;
    case UnreadRole:
        return row.unread;
    case CurrentRole:
        return row.name == m_current;
    case MentionsRole:
        return row.mentions;
    case NotifyRole:
        return QVariant::fromValue(notifyLevel(row.name));
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
    names.insert(MentionsRole, "mentions");
    names.insert(NotifyRole, "notify");
    names.insert(CurrentRole, "current");
    return names;
}

int RoomListModel::rowOf(const QString &name) const
{
    return m_rowOfName.value(name, -1);
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

namespace {
// Case-insensitive, so the list does not jump around as counts change; ties broken by case so the
// order is total.
bool lessThan(const QString &a, const QString &b)
{
    const int c = a.compare(b, Qt::CaseInsensitive);
    return c != 0 ? c < 0 : a < b;
}
} // namespace

int RoomListModel::insertRoom(const QString &name)
{
    insertSorted({Row{name}});
    return rowOf(name);
}

void RoomListModel::insertSorted(QVector<Row> rows)
{
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return lessThan(a.name, b.name); });
    // One insertion per run of new rooms that land between the same two existing ones.
    qsizetype next = 0;
    while (next < rows.size()) {
        const qsizetype at =
            std::lower_bound(m_rows.cbegin(), m_rows.cend(), rows.at(next).name,
                             [](const Row &r, const QString &n) { return lessThan(r.name, n); }) -
            m_rows.cbegin();
        qsizetype end = next + 1;
        while (end < rows.size() && (at == m_rows.size() || lessThan(rows.at(end).name, m_rows.at(at).name)))
            ++end;
        beginInsertRows({}, int(at), int(at + end - next - 1));
        m_rows.insert(at, end - next, Row{});
        std::copy(rows.cbegin() + next, rows.cbegin() + end, m_rows.begin() + at);
        reindexFrom(int(at));
        endInsertRows();
        next = end;
    }
}

void RoomListModel::removeRoomsNotIn(const QHash<QString, int> &listed)
{
    // The room the user is in stays, listed or not.
    auto keep = [&](int row) {
        const QString &name = m_rows.at(row).name;
        return name == m_current || listed.contains(name);
    };
    // One removal per run of unlisted rooms, from the end so the rows before stay where they are.
    int last = int(m_rows.size()) - 1;
    while (last >= 0) {
        if (keep(last)) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !keep(first - 1))
            --first;
        beginRemoveRows({}, first, last);
        for (int row = first; row <= last; ++row)
            m_rowOfName.remove(m_rows.at(row).name);
        m_rows.remove(first, last - first + 1);
        reindexFrom(first);
        endRemoveRows();
        last = first - 1;
    }
}

void RoomListModel::reindexFrom(int row)
{
    for (int i = row; i < m_rows.size(); ++i)
        m_rowOfName.insert(m_rows.at(i).name, i);
}

void RoomListModel::addRoom(const QString &name)
{
    if (!name.isEmpty() && rowOf(name) < 0)
        insertRoom(name);
}

void RoomListModel::setServerRooms(const QVector<Room> &rooms)
{
    QHash<QString, int> listed; // name -> its entry in rooms
    listed.reserve(rooms.size());
    for (int i = 0; i < rooms.size(); ++i) {
        if (!rooms.at(i).name.isEmpty())
            listed.insert(rooms.at(i).name, i);
    }
    removeRoomsNotIn(listed);
    QVector<Row> added;
    for (auto it = listed.cbegin(); it != listed.cend(); ++it) {
        const Room &room = rooms.at(it.value());
        const int row = rowOf(room.name);
        if (row < 0) {
            // Complete before it is inserted, so a new room costs one signal.
            Row r{room.name, room.userCount};
            r.lastSeq = room.lastSeq;
            r.epoch = room.epoch;
            r.unread = qMax(0, unreadFromSeq(r));
            added.append(r);
            continue;
        }
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
    insertSorted(std::move(added));
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

void RoomListModel::incrementUnread(const QString &name, int by)
{
    if (name.isEmpty() || by <= 0)
        return;
    int row = rowOf(name);
    if (row < 0)
        row = insertRoom(name);
    m_rows[row].unread += by;
    changed(row, {UnreadRole, Qt::AccessibleTextRole});
}

void RoomListModel::incrementMentions(const QString &name, int by)
{
    if (name.isEmpty() || by <= 0)
        return;
    int row = rowOf(name);
    if (row < 0)
        row = insertRoom(name);
    m_rows[row].mentions += by;
    changed(row, {MentionsRole, Qt::AccessibleTextRole});
}

void RoomListModel::clearUnread(const QString &name)
{
    const int row = rowOf(name);
    if (row < 0 || (m_rows.at(row).unread == 0 && m_rows.at(row).mentions == 0))
        return;
    m_rows[row].unread = 0;
    m_rows[row].mentions = 0;
    changed(row, {UnreadRole, MentionsRole, Qt::AccessibleTextRole});
}

int RoomListModel::mentions(const QString &name) const
{
    const int row = rowOf(name);
    return row < 0 ? 0 : m_rows.at(row).mentions;
}

void RoomListModel::setNotifyLevels(const QHash<QString, Notify> &levels)
{
    m_notify.clear();
    for (auto it = levels.cbegin(); it != levels.cend(); ++it) {
        if (!it.key().isEmpty() && it.value() != Notify::All)
            m_notify.insert(it.key(), it.value());
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1), {NotifyRole, Qt::AccessibleTextRole});
}

RoomListModel::Notify RoomListModel::notifyLevel(const QString &name) const
{
    return m_notify.value(name, Notify::All);
}

void RoomListModel::setNotifyLevel(const QString &name, Notify level)
{
    if (name.isEmpty() || notifyLevel(name) == level)
        return;
    if (level == Notify::All)
        m_notify.remove(name);
    else
        m_notify.insert(name, level);
    const int row = rowOf(name);
    if (row >= 0)
        changed(row, {NotifyRole, Qt::AccessibleTextRole});
    emit notifyLevelChanged(name, level);
}

qint64 RoomListModel::readSeq(const QString &name, const QString &epoch) const
{
    const auto read = m_read.constFind(name);
    if (read == m_read.cend() || read->seq < 0)
        return -1;
    const bool sameLife = epoch.isEmpty() || read->epoch.isEmpty() || epoch == read->epoch;
    return sameLife ? read->seq : 0;
}

void RoomListModel::markRead(const QString &name, qint64 seq, const QString &epoch)
{
    if (name.isEmpty())
        return;
    m_read.insert(name, ReadPosition{seq, epoch});
    const int row = rowOf(name);
    if (row >= 0)
        updateUnreadFromSeq(row);
}

int RoomListModel::unreadFromSeq(const Row &r) const
{
    // The current room counts its own arrivals.
    if (r.name == m_current || r.lastSeq < 0)
        return -1;
    const auto read = m_read.constFind(r.name);
    if (read == m_read.cend() || read->seq < 0)
        return -1;
    // A new life of the room (the server restarted since) numbers from 1 again: none of it is read;
    // without epochs, a restart must at least not turn into a negative count.
    const bool sameLife = r.epoch.isEmpty() || read->epoch.isEmpty() || r.epoch == read->epoch;
    const qint64 readSeq = sameLife ? read->seq : 0;
    return int(qBound(qint64(0), r.lastSeq - readSeq, qint64(1) << 30));
}

void RoomListModel::updateUnreadFromSeq(int row)
{
    const int unread = unreadFromSeq(m_rows.at(row));
    if (unread < 0 || unread == m_rows.at(row).unread)
        return;
    m_rows[row].unread = unread;
    changed(row, {UnreadRole, Qt::AccessibleTextRole});
}

int RoomListModel::totalUnread() const
{
    int total = 0;
    for (const Row &r : m_rows)
        total += r.unread;
    return total;
}

void RoomListModel::changed(int row, const QVector<int> &roles)
{
    const QModelIndex idx = index(row);
    emit dataChanged(idx, idx, roles);
}

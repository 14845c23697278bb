// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QVector>

//! Rooms the user knows about: the server's room list (where it advertises `rooms`), rooms joined
//! before, and the current one, each with its user count and unread count.
class RoomListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        NameRole = Qt::UserRole + 1,
        UserCountRole, // -1 while unknown
        UnreadRole,
        CurrentRole,
        MentionsRole, // unread messages that mention the user, counted apart (and within UnreadRole)
        NotifyRole,   // the room's Notify level
    };
    Q_ENUM(Roles)

    // What in a room asks for a desktop notification; unread counts are kept whatever the level.
    enum class Notify {
        All,
        Mentions, // only messages that mention the user
        Nothing,
    };
    Q_ENUM(Notify)

    struct Room
    {
        QString name;
        int userCount = -1;
        qint64 lastSeq = -1; // the room's newest seq, where the server lists it; -1 unknown
        QString epoch{};     // the numbering lastSeq belongs to; empty when the server names none
    };

    explicit RoomListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(const QString &name) const; // -1 when absent
    QString nameAt(int row) const;
    QStringList names() const;
    QString currentRoom() const { return m_current; }
    int unread(const QString &name) const;
    int mentions(const QString &name) const;
    int totalUnread() const;
    int userCount(const QString &name) const;
    Notify notifyLevel(const QString &name) const;

    // Adds the room if it is new; keeps its counts otherwise.
    void addRoom(const QString &name);
    // The server's view: listed rooms get its counts and rooms it no longer lists are removed,
    // except the current one (the user is still in it).
    void setServerRooms(const QVector<Room> &rooms);
    void setUserCount(const QString &name, int count);
    void setCurrentRoom(const QString &name);
    void incrementUnread(const QString &name, int by = 1);
    void incrementMentions(const QString &name, int by = 1);
    // Clears the unread and the mention counts.
    void clearUnread(const QString &name);
    // The user has read `name` up to `seq`. From then on, while it is not the current room, its
    // unread count follows the server's lastSeq for it (a room never visited has none to count).
    // Remembered for a room not (or no longer) in the list, without adding it.
    void markRead(const QString &name, qint64 seq, const QString &epoch = {});
    // How far `name` was read in the numbering `epoch`: its seq, 0 when that numbering is another
    // (none of it was read), -1 when the room was never read here.
    qint64 readSeq(const QString &name, const QString &epoch) const;
    // Remembered for a room not (or not yet) in the list too, as read positions are.
    void setNotifyLevel(const QString &name, Notify level);
    // Every room's level at once (those not named: All), as stored for a server; not announced.
    void setNotifyLevels(const QHash<QString, Notify> &levels);

signals:
    void notifyLevelChanged(const QString &name, RoomListModel::Notify level);

private:
    struct Row
    {
        QString name;
        int userCount = -1;
        int unread = 0;
        int mentions = 0;
        qint64 lastSeq = -1;
        QString epoch{}; // of lastSeq
    };
    struct ReadPosition
    {
        qint64 seq = -1;
        QString epoch{};
    };
    void updateUnreadFromSeq(int row);
    int insertRoom(const QString &name);
    int unreadFromSeq(const Row &row) const; // -1: not counted from seqs
    void insertSorted(QVector<Row> rows);
    void removeRoomsNotIn(const QHash<QString, int> &listed);
    void reindexFrom(int row);
    void changed(int row, const QVector<int> &roles);

    QVector<Row> m_rows;             // sorted by lessThan (roomlistmodel.cpp)
    QHash<QString, int> m_rowOfName; // name -> row in m_rows
    QHash<QString, ReadPosition> m_read;
    QHash<QString, Notify> m_notify; // rooms not at Notify::All
    QString m_current;
};

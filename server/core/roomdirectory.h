// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <memory>
#include <unordered_map>

class MessageStore;
class Room;
class ServerSession;

//! Every room by name (Protocol::nameKey), the empty rooms kept for their history, and the
//! sessions subscribed to the rooms list (who get one coalesced `rooms` update per interval when
//! anything changed). Unless the list is public, a session sees only the room it is in.
class RoomDirectory : public QObject
{
    Q_OBJECT

public:
    RoomDirectory(int historyLimit, int maxEmptyRooms, qint64 maxEmptyHistoryBytes, int coalesceMs,
                  bool publicList, QObject *parent = nullptr);
    ~RoomDirectory() override;

    // With a store, a room not in memory is read back from it (name, epoch, numbering, newest
    // messages) instead of created anew. Not owned; set before the first open().
    void setStore(MessageStore *store) { m_store = store; }

    Room *find(const QString &name) const;
    Room *findByKey(const QString &key) const; // key: Protocol::nameKey, Room::key()
    // Finds or creates the room `name`. The caller adds the member.
    Room *open(const QString &name);
    // Call after a member left `room`, or after its messages waiting for the store are through:
    // forgets or retains it once empty and with nothing waiting.
    void release(Room *room);
    // Retention's in-memory side: every room's held messages (Room::trimHistory).
    void trimHistories(qint64 minTimestamp, qint64 maxCount);
    // Call whenever a room appears, disappears, changes its user count or gets a message.
    void noteChanged();

    // Rooms held in memory: the occupied ones and the empty ones kept for their history.
    int roomCount() const { return int(m_rooms.size()); }
    int occupiedRoomCount() const;

    // A room as the other nodes see it (scale-out): its users on every node, its shared seq.
    struct ClusterRoom
    {
        QString key;
        Protocol::RoomInfo info;
    };
    // The rooms occupied on any node (ClusterBus reads them periodically): listed beside this
    // node's own. Entries that are not a valid room, or have no users, are left out.
    void setClusterRooms(const QList<ClusterRoom> &rooms);

    // What `viewer` may see: every occupied room if the list is public, else only its own room.
    Protocol::RoomList list(const ServerSession *viewer) const;
    void subscribe(ServerSession *session);
    void unsubscribe(ServerSession *session);

private:
    void publish();

    MessageStore *m_store = nullptr;
    int m_historyLimit;
    int m_maxEmptyRooms;
    qint64 m_maxEmptyHistoryBytes;
    qint64 m_emptyHistoryBytes = 0; // held by the rooms in m_emptyRooms
    int m_coalesceMs;
    bool m_publicList;
    std::unordered_map<QString, std::unique_ptr<Room>> m_rooms;
    QList<QString> m_emptyRooms; // keys, oldest first; evicted beyond either limit
    QSet<ServerSession *> m_subscribers;
    QHash<QString, Protocol::RoomInfo> m_clusterRooms; // by key
    QTimer m_publishTimer{this};                       // parented, so moveToThread() takes it along
    QElapsedTimer m_lastPublish;
};

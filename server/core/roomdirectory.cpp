// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomdirectory.h"

#include "messagestore.h"
#include "room.h"
#include "serversession.h"

#include <algorithm>

RoomDirectory::RoomDirectory(int historyLimit, int maxEmptyRooms, qint64 maxEmptyHistoryBytes, int coalesceMs,
                             bool publicList, QObject *parent)
    : QObject(parent)
    , m_historyLimit(historyLimit)
    , m_maxEmptyRooms(qMax(0, maxEmptyRooms))
    , m_maxEmptyHistoryBytes(qMax<qint64>(0, maxEmptyHistoryBytes))
    , m_coalesceMs(qMax(0, coalesceMs))
    , m_publicList(publicList)
{
    m_publishTimer.setSingleShot(true);
    connect(&m_publishTimer, &QTimer::timeout, this, &RoomDirectory::publish);
}

RoomDirectory::~RoomDirectory() = default;

Room *RoomDirectory::find(const QString &name) const
{
    return findByKey(Protocol::nameKey(name));
}

Room *RoomDirectory::findByKey(const QString &key) const
{
    const auto it = m_rooms.find(key);
    return it == m_rooms.end() ? nullptr : it->second.get();
}

Room *RoomDirectory::open(const QString &name)
{
    // "General" and "general" are one room, shown as its creator spelled it.
    const QString key = Protocol::nameKey(name);
    if (const auto it = m_rooms.find(key); it != m_rooms.end()) {
        Room *room = it->second.get();
        if (room->isEmpty() && m_emptyRooms.removeOne(key))
            m_emptyHistoryBytes -= room->historyBytes();
        return room;
    }
    std::unique_ptr<Room> room;
    if (m_store && m_store->isShared()) {
        // Whichever node opens a room first gives it its epoch; the others read it.
        auto fresh = std::make_unique<Room>(name, m_historyLimit);
        if (const auto stored = m_store->createRoom(key, name, fresh->epoch())) {
            room = std::make_unique<Room>(stored->name, m_historyLimit, stored->epoch, stored->lastSeq,
                                          m_store->before(key, stored->lastSeq + 1, m_historyLimit));
        } else {
            room = std::move(fresh); // the store is unreachable: its messages are refused meanwhile
        }
    } else if (const auto stored = m_store ? m_store->room(key) : std::nullopt) {
        room = std::make_unique<Room>(stored->name, m_historyLimit, stored->epoch, stored->lastSeq,
                                      m_store->before(key, stored->lastSeq + 1, m_historyLimit));
    } else {
        room = std::make_unique<Room>(name, m_historyLimit);
    }
    Room *raw = room.get();
    m_rooms.emplace(key, std::move(room));
    return raw;
}

void RoomDirectory::release(Room *room)
{
    // A room whose messages wait for the store keeps its numbering in memory until they are through.
    if (!room || !room->isEmpty() || room->hasPending())
        return;
    const QString key = room->key(); // a copy: erasing the room ends its own
    if (m_emptyRooms.contains(key))
        return;
    // A shared store's room changes on other nodes meanwhile: read again when next opened.
    if (!room->hasHistory() || (m_store && m_store->isShared())) {
        m_rooms.erase(key);
        return;
    }
    m_emptyRooms.append(key);
    m_emptyHistoryBytes += room->historyBytes();
    while (!m_emptyRooms.isEmpty() &&
           (m_emptyRooms.size() > m_maxEmptyRooms || m_emptyHistoryBytes > m_maxEmptyHistoryBytes)) {
        const auto it = m_rooms.find(m_emptyRooms.takeFirst());
        if (it == m_rooms.end())
            continue;
        m_emptyHistoryBytes -= it->second->historyBytes();
        m_rooms.erase(it);
    }
}

void RoomDirectory::trimHistories(qint64 minTimestamp, qint64 maxCount)
{
    for (const auto &[key, room] : m_rooms) {
        const qint64 before = room->historyBytes();
        room->trimHistory(minTimestamp, maxCount);
        if (room->isEmpty() && m_emptyRooms.contains(key))
            m_emptyHistoryBytes -= before - room->historyBytes();
    }
}

void RoomDirectory::noteChanged()
{
    if (m_subscribers.isEmpty() || m_publishTimer.isActive())
        return;
    // A zero-delay timer still gathers every change made in this event-loop pass.
    qint64 wait = 0;
    if (m_lastPublish.isValid())
        wait = qMax<qint64>(0, m_coalesceMs - m_lastPublish.elapsed());
    m_publishTimer.start(int(wait));
}

int RoomDirectory::occupiedRoomCount() const
{
    return int(
        std::count_if(m_rooms.cbegin(), m_rooms.cend(), [](const auto &r) { return !r.second->isEmpty(); }));
}

Protocol::RoomList RoomDirectory::list(const ServerSession *viewer) const
{
    Protocol::RoomList list;
    if (!m_publicList) {
        if (const Room *room = viewer ? viewer->room() : nullptr)
            list.rooms.append({room->name(), room->userCount(), room->lastSeq(), room->epoch()});
        return list;
    }
    for (const auto &[key, room] : m_rooms) {
        if (!room->isEmpty())
            list.rooms.append({room->name(), room->userCount(), room->lastSeq(), room->epoch()});
    }
    // Rooms with members on other nodes only; this node's own rooms count every node already.
    for (auto it = m_clusterRooms.cbegin(); it != m_clusterRooms.cend(); ++it) {
        const Room *room = findByKey(it.key());
        if (!room || room->isEmpty())
            list.rooms.append(*it);
    }
    std::sort(list.rooms.begin(), list.rooms.end(),
              [](const Protocol::RoomInfo &a, const Protocol::RoomInfo &b) { return a.name < b.name; });
    return list;
}

void RoomDirectory::setClusterRooms(const QList<ClusterRoom> &rooms)
{
    const Protocol::Limits limits;
    QHash<QString, Protocol::RoomInfo> next;
    for (const ClusterRoom &r : rooms) {
        // What Redis says is checked like a client's joinRoom: a room no client could name is not listed.
        const bool valid = std::holds_alternative<QString>(Protocol::validateName(
                               r.info.name, limits.maxRoomChars, QStringLiteral("room"))) &&
                           Protocol::nameKey(r.info.name) == r.key && r.info.epoch.size() <= 64;
        if (valid && r.info.userCount > 0 && r.info.lastSeq >= 0)
            next.insert(r.key, r.info);
    }
    const auto same = [](const Protocol::RoomInfo &a, const Protocol::RoomInfo &b) {
        return a.name == b.name && a.userCount == b.userCount && a.lastSeq == b.lastSeq && a.epoch == b.epoch;
    };
    bool changed = next.size() != m_clusterRooms.size();
    for (auto it = next.cbegin(); !changed && it != next.cend(); ++it) {
        const auto old = m_clusterRooms.constFind(it.key());
        changed = old == m_clusterRooms.cend() || !same(*old, *it);
    }
    if (!changed)
        return;
    m_clusterRooms = std::move(next);
    noteChanged();
}

void RoomDirectory::subscribe(ServerSession *session)
{
    m_subscribers.insert(session);
}

void RoomDirectory::unsubscribe(ServerSession *session)
{
    m_subscribers.remove(session);
}

void RoomDirectory::publish()
{
    m_lastPublish.start();
    const QSet<ServerSession *> subscribers = m_subscribers;
    if (!m_publicList) {
        // Each sees its own room only: one short list each.
        for (ServerSession *s : subscribers)
            s->sendText(QString::fromUtf8(Protocol::encode(Protocol::ServerMessage(list(s)))));
        return;
    }
    const QString text = QString::fromUtf8(Protocol::encode(Protocol::ServerMessage(list(nullptr))));
    for (ServerSession *s : subscribers)
        s->sendText(text);
}

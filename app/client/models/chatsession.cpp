// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatsession.h"
#include "transfertext.h"

#include "chatclient.h"
#include "messagemodel.h"
#include "outbox.h"
#include "roomlistmodel.h"
#include "userlistmodel.h"

namespace {

MessageModel::Delivery deliveryOf(Outbox::DeliveryState state)
{
    switch (state) {
    case Outbox::DeliveryState::Queued:
        return MessageModel::Delivery::Queued;
    case Outbox::DeliveryState::Sent:
        return MessageModel::Delivery::Sent;
    case Outbox::DeliveryState::Acknowledged:
        return MessageModel::Delivery::Acknowledged;
    case Outbox::DeliveryState::Failed:
        return MessageModel::Delivery::Failed;
    }
    return MessageModel::Delivery::None;
}

} // namespace

ChatSession::ChatSession(ChatClient *client, MessageModel *messages, UserListModel *users,
                         RoomListModel *rooms, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_messages(messages)
    , m_users(users)
    , m_rooms(rooms)
{
    connect(client, &ChatClient::roomJoined, this, &ChatSession::onRoomJoined);
    connect(client, &ChatClient::historyReceived, this, &ChatSession::onHistory);
    connect(client, &ChatClient::messageReceived, this, &ChatSession::onMessage);
    connect(client, &ChatClient::userJoined, this, &ChatSession::onUserJoined);
    connect(client, &ChatClient::userLeft, this, &ChatSession::onUserLeft);
    connect(client, &ChatClient::roomListReceived, this, &ChatSession::onRoomList);
    connect(client, &ChatClient::rosterChanged, users, &UserListModel::setUsers);
    connect(client, &ChatClient::usernameChanged, users, &UserListModel::setSelfName);
    connect(client, &ChatClient::connectedToServer, this, [this] { m_client->requestRoomList(); });
    connect(client, &ChatClient::roomLeft, this, [this](const QString &) { m_users->clear(); });

    Outbox *outbox = client->outbox();
    connect(outbox, &Outbox::entryAdded, this, [this](const Outbox::Entry &entry) { addOwnEntry(entry.id); });
    connect(outbox, &Outbox::deliveryStateChanged, this, &ChatSession::onDeliveryChanged);
    connect(outbox, &Outbox::entryRemoved, this, &ChatSession::onOwnEntryRemoved);

    users->setSelfName(client->username());
    if (!client->room().isEmpty()) {
        m_shownRoom = client->room();
        rooms->setCurrentRoom(m_shownRoom);
        showOutboxEntries();
    }
}

void ChatSession::setWindowActive(bool active)
{
    countPendingUnread();
    m_windowActive = active;
    if (active)
        m_rooms->clearUnread(m_shownRoom);
}

void ChatSession::onDeliveryChanged(const QString &id)
{
    const Outbox::Entry *entry = m_client->outbox()->find(id);
    if (!entry)
        return;
    if (entry->state == Outbox::DeliveryState::Acknowledged)
        m_messages->acknowledge(id, entry->seq, entry->acknowledgedAt);
    else
        m_messages->setDelivery(id, deliveryOf(entry->state));
}

void ChatSession::onOwnEntryRemoved(const QString &id)
{
    // Acknowledged (or, on a base server, written) entries leave the outbox but stay on screen;
    // only a discarded one disappears.
    const int row = m_messages->rowOfId(id);
    if (row < 0)
        return;
    const auto delivery = m_messages->message(row).delivery;
    if (delivery == MessageModel::Delivery::Queued || delivery == MessageModel::Delivery::Failed)
        m_messages->remove(id);
}

namespace {

MessageModel::Message rowOf(const Protocol::ChatMessage &message)
{
    MessageModel::Message m;
    m.sender = message.user;
    // A file sent to the room (PROTOCOL.md 5.4) that this run did not receive: its bytes are gone.
    m.text = message.file
                 ? QStringLiteral("📎 %1 · %2").arg(message.file->name, TransferText::size(message.file->size))
                 : message.text;
    m.timestamp = message.timestamp > 0 ? message.timestamp : Protocol::nowMs();
    m.id = message.id;
    m.seq = message.seq;
    return m;
}

} // namespace

void ChatSession::onRoomJoined(const Protocol::RoomJoined &joined)
{
    m_rooms->setUserCount(joined.room, joined.userCount);
    m_messages->commitQueued(); // what arrived live in this pass is on screen too
    countPendingUnread();
    // A rejoin after reconnecting keeps what is on screen; its history is the gap.
    const bool rejoin = joined.room == m_shownRoom && m_messages->rowCount() > 0;
    if (!rejoin) {
        // Leaving a room marks it read up to what arrived, so the rooms list can count what comes next.
        if (!m_shownRoom.isEmpty())
            markShownRoomRead();
        m_shownRoom = joined.room;
        m_rooms->setCurrentRoom(joined.room);
        if (m_windowActive)
            m_rooms->clearUnread(joined.room);
        m_messages->clear();
    }
    // History goes in as one batch, neither unread nor notified.
    if (joined.history && joined.room == m_shownRoom)
        m_messages->append(rowsOf(*joined.history));
    if (!rejoin) {
        showOutboxEntries(); // the user's own, still waiting, after what the room already had
        emit shownRoomChanged(joined.room);
    }
}

void ChatSession::onHistory(const Protocol::HistoryPage &page)
{
    // Later pages of the join's history: one batch each, neither unread nor notified.
    if (page.room != m_shownRoom || page.messages.isEmpty())
        return;
    m_messages->commitQueued();
    m_messages->append(rowsOf(page.messages));
}

void ChatSession::markShownRoomRead()
{
    countPendingUnread();
    const qint64 seq = m_client->lastSeq(m_shownRoom);
    const QString epoch = m_client->roomEpoch(m_shownRoom);
    m_rooms->markRead(m_shownRoom, seq, epoch);
    emit roomRead(m_shownRoom, epoch, seq);
}

void ChatSession::showOutboxEntries()
{
    // Messages still waiting from an earlier run (the outbox is persisted) belong on screen too.
    const QList<Outbox::Entry> entries = m_client->outbox()->entries();
    for (const Outbox::Entry &entry : entries)
        addOwnEntry(entry.id);
}

void ChatSession::addOwnEntry(const QString &id)
{
    const Outbox::Entry *entry = m_client->outbox()->find(id);
    if (!entry || !Protocol::sameName(entry->room, m_shownRoom))
        return;
    MessageModel::Message m;
    m.sender = m_client->username();
    m.text = entry->text;
    m.timestamp = entry->createdAt;
    m.id = entry->id;
    m.own = true;
    m.delivery = deliveryOf(entry->state);
    m_messages->append(m);
}

bool ChatSession::isShownTransfer(const Protocol::ChatMessage &message) const
{
    if (!message.file)
        return false;
    const bool own = Protocol::nameKey(message.user) == Protocol::nameKey(m_client->username());
    return m_messages->hasTransfer(own ? QString() : message.user, message.file->transferId);
}

QVector<MessageModel::Message> ChatSession::rowsOf(const QList<Protocol::ChatMessage> &messages) const
{
    QVector<MessageModel::Message> rows;
    rows.reserve(messages.size());
    for (const Protocol::ChatMessage &message : messages) {
        if (!isShownTransfer(message))
            rows.append(rowOf(message));
    }
    return rows;
}

void ChatSession::onMessage(const Protocol::ChatMessage &message)
{
    const QString room = message.room.isEmpty() ? m_shownRoom : message.room;
    if (room == m_shownRoom && isShownTransfer(message))
        return; // its card is on screen, and it was counted when it was offered
    if (room == m_shownRoom)
        m_messages->queueAppend(rowOf(message));
    // The title is written only for the notification that is shown, not for every message.
    if (!m_windowActive || room != m_shownRoom)
        noteIncoming(room, {}, message.text, message.user);
}

void ChatSession::noteIncoming(const QString &room, const QString &title, const QString &body)
{
    noteIncoming(room, title, body, {});
}

void ChatSession::noteIncoming(const QString &room, const QString &title, const QString &body,
                               const QString &sender)
{
    if (!m_windowActive || room != m_shownRoom) {
        // A burst counts once per pass of the event loop (the rooms list and the window title
        // follow each change), and is one notification: the latest, and how many came with it.
        ++m_pendingUnread[room];
        m_notification = {title, body, sender, room, m_notification.count + 1};
        if (m_notification.count == 1)
            QMetaObject::invokeMethod(this, &ChatSession::notifyPending, Qt::QueuedConnection);
    }
}

void ChatSession::countPendingUnread()
{
    const QHash<QString, int> pending = std::exchange(m_pendingUnread, {});
    for (auto it = pending.cbegin(); it != pending.cend(); ++it)
        m_rooms->incrementUnread(it.key(), it.value());
}

void ChatSession::notifyPending()
{
    countPendingUnread();
    const Notification n = std::exchange(m_notification, {});
    if (n.count == 0)
        return;
    emit notificationRequested(n.sender.isEmpty() ? n.title : tr("%1 in #%2").arg(n.sender, n.room),
                               n.count == 1 ? n.body
                                            : tr("%1 (and %n more)", nullptr, n.count - 1).arg(n.body));
}

void ChatSession::onUserJoined(const Protocol::UserJoined &event)
{
    if (!event.room.isEmpty())
        m_rooms->setUserCount(event.room, event.userCount);
    // Our own join is implied by the room appearing; only others' joins are worth a line.
    if (event.user == m_client->username())
        return;
    if (event.room.isEmpty() || event.room == m_shownRoom)
        m_messages->appendSystem(tr("%1 joined the room").arg(event.user), Protocol::nowMs());
}

void ChatSession::onUserLeft(const Protocol::UserLeft &event)
{
    const QString room = event.room.isEmpty() ? m_shownRoom : event.room;
    m_rooms->setUserCount(room, event.userCount);
    if (room == m_shownRoom)
        m_messages->appendSystem(tr("%1 left the room").arg(event.user), Protocol::nowMs());
}

void ChatSession::onRoomList(const QList<Protocol::RoomInfo> &rooms)
{
    // Seqs count unread messages only where the server keeps them; the epoch says which
    // numbering they belong to, so a restarted server's rooms count all their messages as new.
    const bool history = m_client->hasFeature(Protocol::Feature::History);
    QVector<RoomListModel::Room> list;
    list.reserve(rooms.size());
    for (const Protocol::RoomInfo &info : rooms)
        list.append(RoomListModel::Room{info.name, info.userCount, history ? info.lastSeq : -1,
                                        history ? info.epoch : QString()});
    m_rooms->setServerRooms(list);
}

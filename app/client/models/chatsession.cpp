// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatsession.h"

#include "chatclient.h"
#include "messagecache.h"
#include "messagemodel.h"
#include "outbox.h"
#include "roomlistmodel.h"
#include "transfertext.h"
#include "userlistmodel.h"

#include <algorithm>

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
    if (message.replyTo > 0 || message.edited > 0 || message.deleted > 0 || !message.reactions.isEmpty() ||
        !message.mentions.isEmpty()) {
        MessageModel::Conversation &c = m.editConv();
        c.replyTo = message.replyTo;
        c.edited = message.edited;
        c.deleted = message.deleted;
        c.reactions = message.reactions;
        c.mentions = message.mentions;
    }
    return m;
}

QVector<MessageModel::Message> rowsOf(const QList<Protocol::ChatMessage> &messages)
{
    QVector<MessageModel::Message> rows;
    rows.reserve(messages.size());
    for (const Protocol::ChatMessage &message : messages)
        rows.append(rowOf(message));
    return rows;
}

// Messages with a seq in (after, before), in seq order, each once: what joins on to the rows shown.
QVector<MessageModel::Message> rowsBetween(QList<Protocol::ChatMessage> messages, qint64 after, qint64 before)
{
    std::stable_sort(
        messages.begin(), messages.end(),
        [](const Protocol::ChatMessage &a, const Protocol::ChatMessage &b) { return a.seq < b.seq; });
    QVector<MessageModel::Message> rows;
    qint64 last = after;
    for (const Protocol::ChatMessage &message : messages) {
        if (message.seq > last && (before <= 0 || message.seq < before)) {
            rows.append(rowOf(message));
            last = message.seq;
        }
    }
    return rows;
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
    connect(client, &ChatClient::usernameChanged, messages, &MessageModel::setSelfName);
    // Conversation changes name a message by seq; one in another room is not on screen.
    connect(client, &ChatClient::messageEdited, this, [this](const Protocol::MessageEdited &change) {
        if (isShownRoom(change.room))
            m_messages->applyEdit(change.seq, change.text, change.edited, change.mentions);
    });
    connect(client, &ChatClient::messageDeleted, this, [this](const Protocol::MessageDeleted &change) {
        if (isShownRoom(change.room))
            m_messages->applyDelete(change.seq, change.deleted);
    });
    connect(client, &ChatClient::reactionsChanged, this, [this](const Protocol::ReactionsChanged &change) {
        if (isShownRoom(change.room))
            m_messages->setReactions(change.seq, change.reactions);
    });
    connect(client, &ChatClient::connectedToServer, this, [this] {
        m_offlineServer.clear(); // the client's URL names the server from now on
        m_client->requestRoomList();
    });
    connect(client, &ChatClient::roomLeft, this, [this](const QString &) { m_users->clear(); });
    connect(client, &ChatClient::olderHistoryReceived, this, &ChatSession::onOlderHistory);
    connect(client, &ChatClient::olderHistoryRefused, this, [this](const QString &room) {
        if (m_older != Older::Loading || room != m_shownRoom)
            return;
        setOlderState(Older::Idle); // the next scroll to the top asks again
        if (m_revealSeq > 0)
            endReveal(-1);
    });
    // A request lost with its connection is never answered: the next scroll asks again.
    connect(client, &ChatClient::stateChanged, this, [this](ChatClient::State state) {
        if (state != ChatClient::State::Connected && m_older == Older::Loading) {
            setOlderState(Older::Idle);
            if (m_revealSeq > 0)
                endReveal(-1);
        }
    });

    Outbox *outbox = client->outbox();
    connect(outbox, &Outbox::entryAdded, this, [this](const Outbox::Entry &entry) { addOwnEntry(entry.id); });
    connect(outbox, &Outbox::deliveryStateChanged, this, &ChatSession::onDeliveryChanged);
    connect(outbox, &Outbox::entryRemoved, this, &ChatSession::onOwnEntryRemoved);

    users->setSelfName(client->username());
    messages->setSelfName(client->username());
    if (!client->room().isEmpty()) {
        m_shownRoom = client->room();
        rooms->setCurrentRoom(m_shownRoom);
        showOutboxEntries();
    }
}

bool ChatSession::isShownRoom(const QString &room) const
{
    return !m_shownRoom.isEmpty() && (room.isEmpty() || Protocol::sameName(room, m_shownRoom));
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

void ChatSession::onRoomJoined(const Protocol::RoomJoined &joined)
{
    m_rooms->setUserCount(joined.room, joined.userCount);
    m_messages->commitQueued(); // what arrived live in this pass is on screen too
    countPendingUnread();
    // A rejoin after reconnecting (or the server's answer to what showCached() put on screen) keeps
    // what is shown; its history is the gap. Another numbering, or a gap the server could not fill,
    // starts again from what it sends.
    const bool renumbered =
        !joined.epoch.isEmpty() && !m_shownEpoch.isEmpty() && joined.epoch != m_shownEpoch;
    const bool rejoin = joined.room == m_shownRoom && m_messages->rowCount() > 0 && !renumbered &&
                        !(joined.historyTruncated && m_messages->lastSeq() > 0);
    if (m_older == Older::Loading)
        setOlderState(Older::Idle);
    if (m_revealSeq > 0)
        endReveal(-1); // its page is not coming, and the rows may start again
    // Where the user stopped reading the room shown now, before anything marks it read.
    const qint64 readSeq = rejoin ? -1 : m_rooms->readSeq(joined.room, joined.epoch);
    if (!rejoin) {
        // Leaving a room marks it read up to what arrived, so the rooms list can count what comes next.
        if (!m_shownRoom.isEmpty())
            markShownRoomRead();
        m_shownRoom = joined.room;
        m_rooms->setCurrentRoom(joined.room);
        if (m_windowActive)
            m_rooms->clearUnread(joined.room);
        m_messages->clear();
        m_revealSeq = 0;
        setOlderState(Older::Idle);
    }
    if (!joined.epoch.isEmpty())
        m_shownEpoch = joined.epoch;
    // History goes in as one batch, neither unread nor notified.
    if (joined.room == m_shownRoom) {
        const QList<Protocol::ChatMessage> history = joined.history.value_or(QList<Protocol::ChatMessage>{});
        if (rejoin) {
            // Base servers number nothing: what ChatClient hands on is new, in order.
            const qint64 shownLast = m_messages->lastSeq();
            QVector<MessageModel::Message> rows;
            for (const Protocol::ChatMessage &message : history) {
                if ((message.seq == 0 || message.seq > shownLast) && !isShownTransfer(message))
                    rows.append(rowOf(message));
            }
            m_messages->insertBeforePending(rows);
        } else {
            // The server sends what the cache lacks (`since`): the cache's newest messages first.
            QVector<MessageModel::Message> rows;
            if (m_cache && m_cache->isOpen() && !joined.historyTruncated && cacheMatchesShownEpoch()) {
                qint64 firstSent = 0;
                for (const Protocol::ChatMessage &message : history) {
                    if (message.seq > 0 && (firstSent == 0 || message.seq < firstSent))
                        firstSent = message.seq;
                }
                rows = rowsBetween(m_cache->latest(serverKey(), joined.room, ShownOnOpen), 0, firstSent);
            }
            const qint64 last = rows.isEmpty() ? 0 : rows.constLast().seq;
            for (const Protocol::ChatMessage &message : history) {
                if ((message.seq == 0 || message.seq > last) && !isShownTransfer(message))
                    rows.append(rowOf(message));
            }
            m_messages->append(rows);
        }
    }
    if (!rejoin) {
        markFirstUnread(readSeq);
        showOutboxEntries(); // the user's own, still waiting, after what the room already had
        emit shownRoomChanged(joined.room);
    }
}

void ChatSession::markFirstUnread(qint64 readSeq)
{
    if (readSeq < 0)
        return; // never read here: everything is new, and no line says so
    for (int row = 0; row < m_messages->rowCount(); ++row) {
        const MessageModel::Message &m = m_messages->message(row);
        if (m.seq > readSeq && !m_messages->isMine(m)) {
            m_messages->setFirstUnread(m.seq);
            return;
        }
    }
}

void ChatSession::onHistory(const Protocol::HistoryPage &page)
{
    // Later pages of the join's history: one batch each, neither unread nor notified.
    if (page.room != m_shownRoom || page.messages.isEmpty())
        return;
    m_messages->commitQueued();
    QVector<MessageModel::Message> rows;
    rows.reserve(page.messages.size());
    for (const Protocol::ChatMessage &message : page.messages) {
        if (!isShownTransfer(message))
            rows.append(rowOf(message));
    }
    m_messages->insertBeforePending(rows); // the user's own still waiting stay last
}

void ChatSession::setCache(MessageCache *cache)
{
    m_cache = cache;
}

MessageCache *ChatSession::cache() const
{
    return m_cache;
}

QString ChatSession::serverKey() const
{
    // Until the client is in a session, the server showCached() named: a login may still be
    // looking for its token before the client is told the URL.
    if (!m_offlineServer.isEmpty())
        return MessageCache::serverKey(m_offlineServer);
    return m_client->url().isEmpty() ? QString() : m_client->cacheServer();
}

bool ChatSession::cacheMatchesShownEpoch() const
{
    if (!m_cache || m_shownEpoch.isEmpty())
        return m_cache != nullptr;
    const QString cached = m_cache->room(serverKey(), m_shownRoom).epoch;
    return cached.isEmpty() || cached == m_shownEpoch;
}

void ChatSession::showCached(const QUrl &server, const QString &room)
{
    const QString previous = serverKey();
    m_offlineServer = server;
    if (!m_cache || !m_cache->isOpen())
        return;
    const QString key = serverKey();
    const QList<MessageCache::RoomSummary> rooms = m_cache->rooms(key);
    for (const MessageCache::RoomSummary &summary : rooms)
        m_rooms->addRoom(summary.room);
    const QString shown = room.isEmpty() && !rooms.isEmpty() ? rooms.constFirst().room : room;
    if (shown.isEmpty() || (shown == m_shownRoom && key == previous && m_messages->rowCount() > 0))
        return;
    showCachedRoom(shown);
}

void ChatSession::showCachedRoom(const QString &room)
{
    const QString key = serverKey();
    switchShownRoom(room);
    m_shownEpoch = m_cache->room(key, room).epoch;
    m_messages->append(rowsOf(m_cache->latest(key, room, ShownOnOpen)));
    showOutboxEntries();
    emit shownRoomChanged(room);
}

void ChatSession::openRoom(const QString &room)
{
    if (room.isEmpty() || room == m_shownRoom)
        return;
    const bool offline = m_client->state() != ChatClient::State::Connected;
    m_client->joinRoom(room);
    // Online the join's answer switches rooms (ChatSession::onRoomJoined); a refused name stays put.
    if (offline && m_client->room() == room && m_cache && m_cache->isOpen() &&
        m_cache->room(serverKey(), room).count > 0)
        showCachedRoom(room);
}

void ChatSession::switchShownRoom(const QString &room)
{
    countPendingUnread();
    if (!m_shownRoom.isEmpty())
        markShownRoomRead();
    m_shownRoom = room;
    m_shownEpoch.clear();
    m_rooms->addRoom(room);
    m_rooms->setCurrentRoom(room);
    if (m_windowActive)
        m_rooms->clearUnread(room);
    m_messages->clear();
    m_users->clear();
    m_revealSeq = 0;
    setOlderState(Older::Idle);
}

void ChatSession::loadOlder()
{
    if (m_older != Older::Idle || m_shownRoom.isEmpty())
        return;
    const qint64 first = m_messages->firstSeq();
    if (first == 1) {
        setOlderState(Older::AtStart);
        return;
    }
    if (first <= 0)
        return; // nothing numbered on screen to join older messages on to
    if (m_cache && m_cache->isOpen() && cacheMatchesShownEpoch()) {
        const QVector<MessageModel::Message> rows =
            rowsBetween(m_cache->before(serverKey(), m_shownRoom, first, OlderPage), 0, first);
        if (!rows.isEmpty()) {
            m_messages->prepend(rows);
            if (rows.constFirst().seq == 1)
                setOlderState(Older::AtStart);
            return;
        }
    }
    if (m_client->requestOlder(m_shownRoom, first, OlderPage))
        setOlderState(Older::Loading);
}

void ChatSession::onOlderHistory(const Protocol::HistoryBeforePage &page)
{
    // Only the answer to the request out for the shown room counts; anything else is stale or
    // unasked for.
    if (m_older != Older::Loading || page.room != m_shownRoom)
        return;
    if (page.truncated) {
        setOlderState(Older::Idle); // another numbering: the room's rejoin brings it
        if (m_revealSeq > 0)
            endReveal(-1); // the seq asked for was of the old numbering
        return;
    }
    const qint64 first = m_messages->firstSeq();
    const QVector<MessageModel::Message> rows = rowsBetween(page.messages, 0, first);
    m_messages->prepend(rows);
    const bool atStart = !page.more || (!rows.isEmpty() && rows.constFirst().seq == 1);
    setOlderState(atStart ? Older::AtStart : Older::Idle);
    if (m_revealSeq > 0)
        continueReveal();
}

void ChatSession::revealMessage(qint64 seq)
{
    if (seq <= 0 || m_shownRoom.isEmpty()) {
        emit messageUnavailable(seq);
        return;
    }
    const int row = m_messages->rowOfSeq(seq);
    if (row >= 0) {
        emit messageRevealed(row);
        return;
    }
    const qint64 first = m_messages->firstSeq();
    if (first > 0 && first - seq > MaxJumpRows) {
        // Too far back to load every page between: the message with its context, if cached.
        const int shown = showMessage(m_shownRoom, seq);
        if (shown >= 0)
            emit messageRevealed(shown);
        else
            emit messageUnavailable(seq);
        return;
    }
    m_revealSeq = seq; // a newer request replaces one still loading
    if (m_older != Older::Loading)
        continueReveal();
}

void ChatSession::continueReveal()
{
    // Each step prepends one older page (from the cache at once, or from the server later, which
    // calls this again) until the target is a row or nothing older can come.
    while (m_revealSeq > 0) {
        const int row = m_messages->rowOfSeq(m_revealSeq);
        if (row >= 0)
            return endReveal(row);
        const qint64 first = m_messages->firstSeq();
        if (first <= 0 || m_revealSeq > first || m_older == Older::AtStart)
            return endReveal(-1); // not in this numbering, or a gap the history no longer holds
        const int rows = m_messages->rowCount();
        loadOlder();
        if (m_older == Older::Loading)
            return;
        if (m_messages->rowCount() == rows && m_older != Older::AtStart)
            return endReveal(-1); // neither the cache nor the server can give more
    }
}

void ChatSession::endReveal(int row)
{
    const qint64 seq = std::exchange(m_revealSeq, 0);
    if (row >= 0)
        emit messageRevealed(row);
    else
        emit messageUnavailable(seq);
}

void ChatSession::setOlderState(Older state)
{
    if (m_older == state)
        return;
    m_older = state;
    emit olderStateChanged(state);
}

int ChatSession::showMessage(const QString &room, qint64 seq)
{
    m_revealSeq = 0; // the user wants this message now, not one a walk back was heading for
    if (room.isEmpty() || seq <= 0)
        return -1;
    if (room == m_shownRoom) {
        const int row = m_messages->rowOfSeq(seq);
        if (row >= 0)
            return row;
    }
    if (!m_cache || !m_cache->isOpen())
        return -1;
    const QString key = serverKey();
    const MessageCache::RoomSummary summary = m_cache->room(key, room);
    if (summary.lastSeq < seq)
        return -1;
    const bool switching = room != m_shownRoom;
    if (switching)
        switchShownRoom(room);
    else
        m_messages->clear();
    m_shownEpoch = summary.epoch;
    setOlderState(Older::Idle);
    // Within reach of the newest message: everything from the context before the hit to the
    // newest, so live messages join on. Further back: the context alone.
    const qint64 span = summary.lastSeq - seq + ContextRows + 1;
    const QList<Protocol::ChatMessage> cached = span <= MaxJumpRows
                                                    ? m_cache->latest(key, room, int(span))
                                                    : m_cache->around(key, room, seq, ContextRows);
    m_messages->append(rowsOf(cached));
    if (switching) {
        showOutboxEntries();
        emit shownRoomChanged(room);
        if (m_client->state() == ChatClient::State::Connected)
            m_client->joinRoom(room);
    }
    return m_messages->rowOfSeq(seq);
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
    if (entry->replyTo > 0)
        m.editConv().replyTo = entry->replyTo;
    m_messages->append(m);
}

bool ChatSession::isShownTransfer(const Protocol::ChatMessage &message) const
{
    if (!message.file)
        return false;
    const bool own = Protocol::nameKey(message.user) == Protocol::nameKey(m_client->username());
    return m_messages->hasTransfer(own ? QString() : message.user, message.file->transferId);
}

void ChatSession::onMessage(const Protocol::ChatMessage &message)
{
    const QString room = message.room.isEmpty() ? m_shownRoom : message.room;
    if (room == m_shownRoom && isShownTransfer(message))
        return; // its card is on screen, and it was counted when it was offered
    if (room == m_shownRoom) {
        // Away from the window, the first message that arrives is where reading resumes.
        if (!m_windowActive && m_messages->firstUnread() == 0 && message.seq > 0 &&
            Protocol::nameKey(message.user) != Protocol::nameKey(m_client->username()))
            m_messages->setFirstUnread(message.seq);
        m_messages->queueAppend(rowOf(message));
    }
    // The title is written only for the notification that is shown, not for every message.
    if (!m_windowActive || room != m_shownRoom) {
        const QString self = Protocol::nameKey(m_client->username());
        const bool mentionsMe =
            std::any_of(message.mentions.cbegin(), message.mentions.cend(),
                        [&self](const QString &name) { return Protocol::nameKey(name) == self; });
        noteIncoming(room, {}, message.text, message.user, mentionsMe, message.seq);
    }
}

void ChatSession::noteIncoming(const QString &room, const QString &title, const QString &body)
{
    noteIncoming(room, title, body, {});
}

void ChatSession::noteIncoming(const QString &room, const QString &title, const QString &body,
                               const QString &sender, bool mentionsMe, qint64 seq)
{
    if (!m_windowActive || room != m_shownRoom) {
        // A burst counts once per pass of the event loop (the rooms list and the window title
        // follow each change), and is one notification: the latest, and how many came with it;
        // the latest that mentions the user, if one does.
        if (m_pendingUnread.isEmpty())
            QMetaObject::invokeMethod(this, &ChatSession::notifyPending, Qt::QueuedConnection);
        ++m_pendingUnread[room];
        if (mentionsMe)
            ++m_pendingMentions[room];
        // The room's level decides what notifies; a mention still does where only mentions do.
        const RoomListModel::Notify level = m_rooms->notifyLevel(room);
        if (m_doNotDisturb || level == RoomListModel::Notify::Nothing ||
            (level == RoomListModel::Notify::Mentions && !mentionsMe))
            return;
        if (mentionsMe || !m_notification.mentionsMe)
            m_notification = {title, body, sender, room, seq, m_notification.count + 1, mentionsMe};
        else
            ++m_notification.count;
    }
}

void ChatSession::countPendingUnread()
{
    const QHash<QString, int> pending = std::exchange(m_pendingUnread, {});
    for (auto it = pending.cbegin(); it != pending.cend(); ++it)
        m_rooms->incrementUnread(it.key(), it.value());
    const QHash<QString, int> mentions = std::exchange(m_pendingMentions, {});
    for (auto it = mentions.cbegin(); it != mentions.cend(); ++it)
        m_rooms->incrementMentions(it.key(), it.value());
}

void ChatSession::notifyPending()
{
    countPendingUnread();
    const Notification n = std::exchange(m_notification, {});
    if (n.count == 0)
        return;
    const QString title = n.sender.isEmpty() ? n.title
                          : n.mentionsMe     ? tr("%1 mentioned you in #%2").arg(n.sender, n.room)
                                             : tr("%1 in #%2").arg(n.sender, n.room);
    emit notificationRequested(
        title, n.count == 1 ? n.body : tr("%1 (and %n more)", nullptr, n.count - 1).arg(n.body), n.room,
        n.seq);
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

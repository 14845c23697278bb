// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagemodel.h"
#include "protocol.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

class ChatClient;
class MessageCache;
class RoomListModel;
class UserListModel;

//! Feeds a ChatClient's events into the list models: messages of the current room (including the
//! user's own, with their delivery state, merged with the server's seq and time on their ack),
//! its users, the room list and unread counts. No widgets, so it is testable on its own; the
//! desktop app's MainWindow owns one.
//!
//! With a MessageCache it shows a room's cached messages before the server answers (offline
//! reading: showCached()), joins what the server sends on (re)joining onto them, and loads older
//! messages on request: from the cache while it has them, then from the server (historyBefore).
class ChatSession : public QObject
{
    Q_OBJECT
public:
    enum class Older {
        Idle,    // older messages may exist; loadOlder() asks for them
        Loading, // the server was asked; olderStateChanged() when it answered
        AtStart, // the room's first message is shown: nothing older to ask for
    };
    Q_ENUM(Older)

    static constexpr int ShownOnOpen = 200;   // cached messages shown when a room opens
    static constexpr int OlderPage = 50;      // messages per scroll-back step
    static constexpr int ContextRows = 50;    // messages shown on each side of a search hit
    static constexpr int MaxJumpRows = 20000; // a hit this far back shows its context only

    ChatSession(ChatClient *client, MessageModel *messages, UserListModel *users, RoomListModel *rooms,
                QObject *parent = nullptr);

    ChatClient *client() const { return m_client; }
    QString shownRoom() const { return m_shownRoom; }
    QString shownEpoch() const { return m_shownEpoch; } // the numbering of the seqs on screen
    bool isWindowActive() const { return m_windowActive; }

    // The cache whose messages are shown (null: only what the server sends). Not owned.
    void setCache(MessageCache *cache);
    MessageCache *cache() const;
    // How the cache names the server shown: showCached()'s until the client is in a session, then
    // the client's.
    QString serverKey() const;
    Older olderState() const { return m_older; }

public slots:
    // Before the client connects: the rooms cached for `server` in the room list, and `room`'s
    // newest cached messages followed by the user's own still in the outbox.
    void showCached(const QUrl &server, const QString &room);
    // The user picked `room`: the client joins it (at once, or when connected). Offline, its
    // cached messages show meanwhile, so every cached room can be read without a connection.
    void openRoom(const QString &room);
    // The user reached the top of the shown messages: the next older page, from the cache when it
    // has it, otherwise from the server. Does nothing while a request is out or at the start.
    void loadOlder();
    // Shows `room` (switching to it, and joining it when connected) with the cached messages
    // around `seq`. Returns the row of that message, or -1 when it is not cached.
    int showMessage(const QString &room, qint64 seq);

    // Brings message `seq` of the shown room on screen (a reply's original): older pages come from
    // the cache, then the server, until it is shown. messageRevealed() once it is, or
    // messageUnavailable() when it cannot be (before the room's start, or no longer kept).
    void revealMessage(qint64 seq);

    // Marks what has arrived in the shown room as read (leaving it, or quitting).
    void markShownRoomRead();
    // While the window is inactive, new messages count as unread and ask for a notification.
    void setWindowActive(bool active);
    // Do Not Disturb: nothing notifies, in any room; unread counts are kept.
    void setDoNotDisturb(bool on) { m_doNotDisturb = on; }
    bool doNotDisturb() const { return m_doNotDisturb; }
    // Something arrived in `room` (a message, a file): unread and notified unless the user sees it.
    void noteIncoming(const QString &room, const QString &title, const QString &body);

signals:
    // At most once per event-loop pass: the latest arrival, and "(and N more)" for the rest; the
    // room it came to and its seq (0: not a numbered message), where clicking it leads.
    void notificationRequested(const QString &title, const QString &body, const QString &room, qint64 seq);
    void shownRoomChanged(const QString &room);
    // The user has read `room` up to `seq` (in the room numbering `epoch`): worth remembering.
    void roomRead(const QString &room, const QString &epoch, qint64 seq);
    void olderStateChanged(ChatSession::Older state);
    void messageRevealed(int row);
    void messageUnavailable(qint64 seq);

private:
    bool isShownRoom(const QString &room) const; // empty: the client's current room
    void onRoomJoined(const Protocol::RoomJoined &joined);
    void onHistory(const Protocol::HistoryPage &page);
    void onMessage(const Protocol::ChatMessage &message);
    // A file's entry in the room's history whose transfer card is already on screen.
    bool isShownTransfer(const Protocol::ChatMessage &message) const;
    void onDeliveryChanged(const QString &id);
    void onOwnEntryRemoved(const QString &id);
    void onUserJoined(const Protocol::UserJoined &event);
    void onUserLeft(const Protocol::UserLeft &event);
    void onRoomList(const QList<Protocol::RoomInfo> &rooms);
    void onOlderHistory(const Protocol::HistoryBeforePage &page);
    void setOlderState(Older state);
    void markFirstUnread(qint64 readSeq); // the first row after readSeq not the user's
    void continueReveal();
    void endReveal(int row); // -1: unavailable
    void switchShownRoom(const QString &room);
    void showCachedRoom(const QString &room);
    bool cacheMatchesShownEpoch() const;
    void showOutboxEntries();
    void addOwnEntry(const QString &id);
    void notifyPending();
    void noteIncoming(const QString &room, const QString &title, const QString &body, const QString &sender,
                      bool mentionsMe = false, qint64 seq = 0);
    void countPendingUnread();

    ChatClient *m_client;
    MessageModel *m_messages;
    UserListModel *m_users;
    RoomListModel *m_rooms;
    QString m_shownRoom;
    QString m_shownEpoch; // the numbering of the seqs on screen; empty when unknown
    QPointer<MessageCache> m_cache;
    QUrl m_offlineServer; // showCached()'s, until the client is in a session there
    Older m_older = Older::Idle;
    qint64 m_revealSeq = 0; // revealMessage()'s target while older pages load for it
    bool m_windowActive = true;
    bool m_doNotDisturb = false;
    struct Notification
    {
        QString title; // or, for a chat message, made from sender and room when shown
        QString body;
        QString sender;
        QString room;
        qint64 seq = 0;
        int count = 0;           // what arrived in this pass of the event loop
        bool mentionsMe = false; // the one shown mentions the user: it wins over plain messages
    } m_notification;
    QHash<QString, int> m_pendingUnread;   // room -> messages this pass, counted by notifyPending()
    QHash<QString, int> m_pendingMentions; // room -> of those, the ones that mention the user
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagemodel.h"
#include "protocol.h"

#include <QHash>
#include <QObject>

class ChatClient;
class RoomListModel;
class UserListModel;

//! Feeds a ChatClient's events into the list models: messages of the current room (including the
//! user's own, with their delivery state, merged with the server's seq and time on their ack),
//! its users, the room list and unread counts. No widgets, so it is testable on its own; the
//! desktop app's MainWindow owns one.
class ChatSession : public QObject
{
    Q_OBJECT
public:
    ChatSession(ChatClient *client, MessageModel *messages, UserListModel *users, RoomListModel *rooms,
                QObject *parent = nullptr);

    ChatClient *client() const { return m_client; }
    QString shownRoom() const { return m_shownRoom; }
    bool isWindowActive() const { return m_windowActive; }

public slots:
    // Marks what has arrived in the shown room as read (leaving it, or quitting).
    void markShownRoomRead();
    // While the window is inactive, new messages count as unread and ask for a notification.
    void setWindowActive(bool active);
    // Something arrived in `room` (a message, a file): unread and notified unless the user sees it.
    void noteIncoming(const QString &room, const QString &title, const QString &body);

signals:
    // At most once per event-loop pass: the latest arrival, and "(and N more)" for the rest.
    void notificationRequested(const QString &title, const QString &body);
    void shownRoomChanged(const QString &room);
    // The user has read `room` up to `seq` (in the room numbering `epoch`): worth remembering.
    void roomRead(const QString &room, const QString &epoch, qint64 seq);

private:
    void onRoomJoined(const Protocol::RoomJoined &joined);
    void onHistory(const Protocol::HistoryPage &page);
    void onMessage(const Protocol::ChatMessage &message);
    // A file's entry in the room's history whose transfer card is already on screen.
    bool isShownTransfer(const Protocol::ChatMessage &message) const;
    QVector<MessageModel::Message> rowsOf(const QList<Protocol::ChatMessage> &messages) const;
    void onDeliveryChanged(const QString &id);
    void onOwnEntryRemoved(const QString &id);
    void onUserJoined(const Protocol::UserJoined &event);
    void onUserLeft(const Protocol::UserLeft &event);
    void onRoomList(const QList<Protocol::RoomInfo> &rooms);
    void showOutboxEntries();
    void addOwnEntry(const QString &id);
    void notifyPending();
    void noteIncoming(const QString &room, const QString &title, const QString &body, const QString &sender);
    void countPendingUnread();

    ChatClient *m_client;
    MessageModel *m_messages;
    UserListModel *m_users;
    RoomListModel *m_rooms;
    QString m_shownRoom;
    bool m_windowActive = true;
    struct Notification
    {
        QString title; // or, for a chat message, made from sender and room when shown
        QString body;
        QString sender;
        QString room;
        int count = 0; // what arrived in this pass of the event loop
    } m_notification;
    QHash<QString, int> m_pendingUnread; // room -> messages this pass, counted by notifyPending()
};

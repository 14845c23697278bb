// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "authenticator.h"
#include "messagestore.h"
#include "protocol.h"
#include "sessionratelimiter.h"
#include "uploadintake.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

class MessageStore;
class Room;
class Upload;
class WsConnection;
struct ServerContext;

//! One client connection: decodes what it sends, answers it, and takes part in one room.
//! Bad input gets an `error` reply and never ends the session; only the socket going away does.
class ServerSession : public QObject
{
    Q_OBJECT

public:
    // Takes over `connection`.
    ServerSession(WsConnection *connection, ServerContext &context, QObject *parent = nullptr);
    ~ServerSession() override;

    const QString &id() const { return m_id; }
    // Tells the client the server's status (ServerContext::degraded) if it declared `status`.
    void sendStatus();
    // Scale-out: a message any node stored in `room`, as ClusterLink brings them in seq order: held
    // in the room and sent to this node's members except `except` (its author's session).
    static void deliver(ServerContext &context, Room &room, const Protocol::ChatMessage &chat,
                        const QString &author, const ServerSession *except);
    // Scale-out: a change (messageEdited, messageDeleted, reactionsChanged) any node stored in
    // `room`, as ClusterLink brings them in the store's order: laid over the held copy and sent
    // to this node's members, its author's included.
    static void deliverChange(Room &room, const Protocol::ServerMessage &announcement);
    const QString &username() const { return m_username; }
    // Protocol::nameKey(username()), kept with it: mentions and reactions compare names often.
    const QString &usernameKey() const { return m_usernameKey; }
    Room *room() const { return m_room; }
    bool wantsFiles() const { return m_wantsFiles; }
    WsConnection *connection() const { return m_socket; }
    // Accounts mode: the session token this connection logged in with; empty before.
    const QString &token() const { return m_token; }

    // Accounts mode, before start(): the upgrade request carried a valid token.
    void startLoggedIn(const Authenticator::Outcome &login);
    // Accounts mode, before start(): the upgrade went to /login, which may send only `auth`.
    void restrictToLogin() { m_loginOnly = true; }
    // Sends `connected`; call once, right after construction.
    void start();
    void send(const Protocol::ServerMessage &message);
    void sendText(const QString &text);
    void sendUtf8(const QByteArray &utf8); // text already in UTF-8, e.g. encoded once for a room
    void sendBinary(const QByteArray &frame);
    void sendError(Protocol::ErrorCode code, const QString &message, const QString &transferId = {},
                   const QString &request = {});
    // `upload` is complete: it becomes a message of its room, numbered and stored like a chat
    // message (PROTOCOL.md 5.4).
    void recordFile(const Upload &upload);

    // One heartbeat tick: pings a live client, aborts one that ignored the previous ping.
    void heartbeat();
    void closeConnection(quint16 code, const QString &reason);
    // Drops the connection once more than maxBacklogBytes is queued for it; after every send,
    // and after every ping received (the pongs queued for the peer's pings count too).
    void checkBacklog();
    void abortConnection();
    // Accounts mode: the session's token was revoked by an operator; closes with 4003.
    void endSession();

signals:
    // The connection is gone and the session has left everything; it may be deleted.
    void finished(ServerSession *session);

private:
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &frame);
    void onDisconnected();
    void dispatch(const Protocol::ClientMessage &message);

    void handle(const Protocol::Hello &m);
    void handle(const Protocol::SetUsername &m);
    void handle(const Protocol::JoinRoom &m);
    void handle(const Protocol::LeaveRoom &m);
    void handle(const Protocol::SendChat &m);
    void handle(const Protocol::Typing &m);
    void handle(const Protocol::Ping &m);
    void handle(const Protocol::ListRooms &m);
    void handle(const Protocol::FileStart &m);
    void handle(const Protocol::FileEnd &m);
    void handle(const Protocol::FileCancel &m);
    void handle(const Protocol::FileDecline &m);
    void handle(const Protocol::HistoryRequest &m);
    void handle(const Protocol::HistoryBefore &m);
    void handle(const Protocol::EditMessage &m);
    void handle(const Protocol::DeleteMessage &m);
    void handle(const Protocol::React &m);
    // Conversation (PROTOCOL.md 3): message `seq` of `room` as it stands, with its author, when
    // the server holds it (a change on its way to the store counts). `toChange`: read from a
    // shared store, with its version, unless a change of it is on its way.
    std::optional<MessageStore::Stored> findMessage(Room &room, qint64 seq, bool toChange = false) const;
    // The session's room and its message `seq`, not deleted, and (`ownOnly`) written by this
    // session's user; otherwise the error is sent and nothing is returned.
    std::optional<MessageStore::Stored> target(qint64 seq, const QString &request, bool ownOnly);
    // An edit, a deletion or a reaction: `apply` changes the message found for it and returns
    // the announcement, or nothing when it answered the client itself. Kept to apply it again
    // when a shared store says the message changed meanwhile.
    struct ChangeRequest
    {
        qint64 seq = 0;
        QString name; // the request's `type`, for errors
        bool ownOnly = false;
        std::function<std::optional<Protocol::ServerMessage>(MessageStore::Stored &)> apply;
    };
    void changeMessage(const ChangeRequest &request, int attempt = 1);
    std::optional<Protocol::ServerMessage> react(MessageStore::Stored &found, const Protocol::React &m);
    // Writes `changed` (with a store, first to it) and sends `announcement` to the room (with a
    // shared store, the store publishes it to every node's members: deliverChange).
    void change(Room &room, const MessageStore::Stored &changed, const Protocol::ServerMessage &announcement,
                const ChangeRequest &request, int attempt);
    void sendConversationError(Protocol::ErrorCode code, const QString &message, const QString &request,
                               const QString &id = {});
    void handle(const Protocol::Auth &m);
    void handle(const Protocol::Logout &m);
    bool accounts() const;
    bool admittedBeforeLogin(const Protocol::ClientMessage &message) const;
    void onLogin(const Authenticator::Outcome &outcome);
    void becomeLoggedIn(const Authenticator::Outcome &login);
    // Whose message ids, uploads and the like these are: the account in accounts mode.
    QString userKey() const;
    void setUsername(const QString &name);

    void leaveRoom();
    // Builds the join's reply with its first page of history, charged to the history budget.
    Protocol::RoomJoined roomJoinedFor(Room *room, const Protocol::JoinRoom &request);
    void sendRefusal(const SessionRateLimiter::Refusal &refusal, const QString &request);
    // After a stored (or, without a store, numbered) chat message: acknowledge it to its sender
    // (null when gone) and deliver it to the room.
    static void publish(ServerContext &context, Room &room, Protocol::ChatMessage chat, ServerSession *sender,
                        const QString &senderKey);
    // The two halves of publishing, shared with scale-out (recordShared, deliver): a chat message
    // as this server's clients see it (no seq or room in base mode), its ack (and its id
    // remembered), and its delivery to the room's members here but `except`.
    static Protocol::ChatMessage asSent(const ServerContext &context, Protocol::ChatMessage chat);
    static void acknowledge(ServerContext &context, const Protocol::ChatMessage &chat, ServerSession *sender,
                            const QString &senderKey, bool duplicate);
    static void broadcastChat(ServerContext &context, Room &room, const Protocol::ChatMessage &chat,
                              const ServerSession *except);
    // Numbers `chat` in `room` and publishes it; with a message store, only once it is stored,
    // and `refused` runs instead if the store could not keep it.
    static void record(ServerContext &context, Room &room, Protocol::ChatMessage chat, ServerSession *sender,
                       const QString &senderKey, std::function<void()> refused);
    // Scale-out: the shared store numbered and published it; acknowledge it (or refuse it).
    static void recordShared(ServerContext &context, Room &room, Protocol::ChatMessage chat,
                             ServerSession *sender, const QString &senderKey, std::function<void()> refused);
    void sendStoreFailed(const QString &id);
    bool extensions() const;
    MessageStore *store() const; // null: history in memory only

    WsConnection *m_socket;
    ServerContext &m_context;
    UploadIntake m_intake;
    QString m_id;
    QString m_username;
    QString m_usernameKey;
    QString m_client; // what `hello` said, for the logs
    Room *m_room = nullptr;
    bool m_wantsFiles = false;
    bool m_wantsStatus = false;  // declared `status` in `hello`
    bool m_alive = true;         // answered the last heartbeat ping
    quint64 m_writtenAtTick = 0; // the socket's bytesSent() at the last heartbeat
    qint64 m_backlogAtTick = 0;
    bool m_finished = false;
    bool m_subscribedToRooms = false;
    bool m_overflowed = false; // its backlog passed maxBacklogBytes: nothing more is queued for it
    // Accounts mode
    bool m_loggedIn = false;
    bool m_loginPending = false; // one password check at a time per connection
    bool m_loginOnly = false;
    qint64 m_accountId = 0;
    QString m_token;
    QTimer m_loginDeadline;
    SessionRateLimiter m_rates;
    QElapsedTimer m_clock; // monotonic, for the rate limits
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "outbox.h"
#include "protocol.h"
#include "seenmessages.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

class LatencyMonitor;
class MessageCache;
class ReconnectPolicy;
class SessionChannel;
class TypingTracker;
class ConnectivityWatcher;
class QWebSocket;

//! One chat connection: a QWebSocket wrapped in an explicit reconnect state machine, with session
//! restore, a persisted outbox and latency monitoring. Knows nothing of widgets, nor of files:
//! features that ride on the connection use its SessionChannel.
//!
//! It is the one place that decides whether a server message is new: messageReceived(), the
//! history inside roomJoined() and the later pages in historyReceived() carry each message once,
//! and never one of the user's own. History comes in pages (PROTOCOL.md 2): the client asks for
//! the next one itself, at the pace the server allows, until it has caught up.
class ChatClient : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Disconnected,   // not connected, and not trying
        Connecting,     // TCP + WebSocket handshake until the server's `connected` message
                        // (bounded by the connect timeout)
        Authenticating, // accounts mode: `auth` sent (token or password), waiting for `authOk`
        Connected,      // the server took us in; session restore runs, then the outbox flushes
        Reconnecting,   // waiting for the next attempt (see nextAttemptIn())
        Closing,        // the user asked to disconnect; waiting for the close handshake
        GaveUp,         // max attempts ran out; only connectToServer()/reconnectNow() leave it
        LoginRequired,  // accounts mode: no usable token and no password; not connected, not
                        // trying: logIn() (or connectToServer() with a new token) leaves it
    };
    Q_ENUM(State)

    // Why LoginRequired was entered (loginRequired()); each asks the user something different.
    enum class LoginProblem {
        NoCredentials,      // the server wants a login and there is no token
        TokenRejected,      // the stored token is unknown, expired or revoked: the password again
        SessionEnded,       // the server ended the session (4003: `user passwd` or `user remove`)
        WrongCredentials,   // wrong name or password (one answer for both, by design)
        RetryLater,         // too many failed logins: the server judges again after retryAfterMs
        RegistrationClosed, // createAccount asked of a server where nobody may register
        NameTaken,          // createAccount: that name has an account
        InvalidName,        // createAccount: not a name the server accepts
        InvalidPassword,    // createAccount: a password of 1 to 1,024 bytes
    };
    Q_ENUM(LoginProblem)

    struct Settings
    {
        int initialDelayMs = 1000;
        double backoffFactor = 2.0;
        int maxDelayMs = 30000;
        double jitter = 0.3; // each delay is scaled by a random factor in [1 - jitter, 1 + jitter]
        int maxAttempts = 0; // 0 = retry for ever
        int connectTimeoutMs = 10000;
        int minUptimeMs = 5000;    // the attempt counter resets only after a session stayed ready this long
        int pingIntervalMs = 5000; // app-level ping
        int pongTimeoutMs = 35000; // no pong for this long = dead connection
        int typingThrottleMs = 2500;
        int typingExpiryMs = 5000;
        int latencySamples = 120;
        QString outboxPath; // empty = QStandardPaths::AppDataLocation/outbox-<user>-<hash of url>.json
        int outboxMaxMessages = 10000;
        qint64 outboxMaxBytes = 16 * 1024 * 1024;
        int outboxSaveDelayMs = 250;    // outbox writes are coalesced this long
        int closeTimeoutMs = 3000;      // Closing gives the close handshake this long, then aborts
        int wakeCheckIntervalMs = 5000; // <= 0 disables wake-from-sleep detection
        int wakeSlackMs = 15000;        // a check this late (wall clock) means the machine slept
        bool watchNetwork = true;       // use QNetworkInformation when a backend exists
        qint64 maxIncomingMessageBytes = 4 * 1024 * 1024;
        QStringList helloFeatures; // features declared in `hello` (sent only to extension servers)
        quint64 randomSeed = 0;    // jitter seed; 0 = random
        // A busy server (503 on the upgrade, close 1013) is retried after at least this long, or
        // the server's own retry-after when we can read it; never counted towards maxAttempts.
        int busyRetryMs = 5000;
    };

    explicit ChatClient(QObject *parent = nullptr);
    explicit ChatClient(const Settings &settings, QObject *parent = nullptr);
    ~ChatClient() override;

    State state() const;
    // PROTOCOL.md 7, *Server status*: the server said it cannot store new messages.
    bool isServerDegraded() const { return m_serverDegraded; }
    QString serverStatusReason() const { return m_serverStatusReason; }
    QUrl url() const;         // the server's identity: the first URL connectToServer() was given
    QList<QUrl> urls() const; // every address of this server, url() first
    QUrl currentUrl() const;  // the address this attempt or connection uses (one of urls())
    QString username() const;
    QString room() const;
    QString joinedRoom() const; // the room the server confirmed on this connection; empty between rooms
    QString clientId() const;
    QStringList serverFeatures() const; // empty against a base server
    bool hasFeature(const QString &feature) const;
    const Protocol::Connected &serverInfo() const; // this connection's `connected` message
    SessionChannel *channel() const;               // the seam features such as FileTransfers use
    int attempt() const;                           // the current reconnect attempt, 1-based; 0 when none
    qint64 nextAttemptIn() const;                  // ms until the next attempt while Reconnecting, else -1
    bool isSessionReady() const;                   // Connected, username set and room (if any) joined
    QStringList roomUsers() const; // roster: from roomJoined.users, or join/leave events (base server)
    qint64 lastSeq(const QString &room) const;    // newest seq seen in that room, 0 if none
    QString roomEpoch(const QString &room) const; // the numbering lastSeq() belongs to, if known
    const Settings &settings() const;
    // Changed while running (Preferences): the backoff counts from the next delay on (one already
    // scheduled keeps its time); the ping interval at once (the next ping comes a new interval
    // from now), the pong timeout and the samples kept too.
    void setReconnectSettings(int initialDelayMs, int maxDelayMs, double backoffFactor);
    void setLatencySettings(int pingIntervalMs, int pongTimeoutMs, int latencySamples);
    // Accounts mode (PROTOCOL.md 2, *Identity*). The token is what reconnects present, in the
    // upgrade's Authorization header and then in `auth`; the password is kept only until the
    // server answers it.
    bool isAccountsServer() const; // this connection's `connected` said "auth":"accounts"
    QString account() const;       // the account this connection is logged in as; empty if none
    QString token() const;         // empty when none, or when it belongs to another server than url()
    // A stored token of `server`: presented only to that server (however its URL is written).
    void setToken(const QUrl &server, const QString &token);
    Outbox *outbox() const;
    LatencyMonitor *latency() const;
    TypingTracker *typing() const;
    ConnectivityWatcher *connectivity() const;

    // The local cache (not owned; nullptr = none). Every message the client hands on (history,
    // pages, live, and the user's own once acknowledged) goes into it under this server's key, and
    // the first join of a room in a run asks only for what follows the newest message it holds
    // (`since`, `epoch`); gaps further back are filled by scrolling back (requestOlder()).
    void setCache(MessageCache *cache);
    MessageCache *cache() const;
    QString cacheServer() const; // MessageCache::serverKey(url()): the key this client's messages have there

    static QString stateName(State state); // "connected", "gaveUp", ...: the enum's name
    static QString defaultOutboxPath(const QUrl &url, const QString &username);

public slots:
    // (Re)starts with these; loads the outbox for this user and server. From any state.
    void connectToServer(const QUrl &url, const QString &username, const QString &room);
    // One server reachable at several addresses (nodes of one deployment). The first is its
    // identity: the token, the outbox, the cache and the held name belong to it whichever node
    // serves. Each reconnect after a failed attempt or a lost connection goes to the next address
    // in turn, with the backoff as it stands; the first attempt goes to the first.
    void connectToServer(const QList<QUrl> &urls, const QString &username, const QString &room);
    void disconnectFromServer(); // Closing -> Disconnected, never reconnects
    void reconnectNow();         // skips the wait (also leaves GaveUp)
    void joinRoom(const QString &room);
    void leaveRoom();
    void setUsername(const QString &username);
    // Queues a chat message for the current room and sends it when possible. Returns its id (its
    // progress is reported by outbox()->deliveryStateChanged), or an empty string when refused
    // (empty or too long text, no room, outbox full): then sendFailed() says why.
    // `replyTo`: the seq of the message of the room it answers (servers with `conversation`).
    QString sendMessage(const QString &text, qint64 replyTo = 0);
    // Conversation (PROTOCOL.md 3), on the joined room's message `seq`: sent at once when the
    // session is ready and the server has the feature, else false (and nothing is kept for later:
    // a change is about what the user sees now). The server's answer is messageEdited,
    // messageDeleted or reactionsChanged, or serverError.
    bool editMessage(qint64 seq, const QString &text);
    bool deleteMessage(qint64 seq);
    bool react(qint64 seq, const QString &emoji, bool add = true);
    // A Failed entry goes back in the queue; a Queued one is sent now, reconnecting if need be.
    bool retryMessage(const QString &id);
    bool discardMessage(const QString &id); // a Queued or Failed entry is dropped
    void notifyTyping();                    // call on every keystroke; throttled here
    void requestRoomList();
    // Asks the server for the messages of the joined room right before `beforeSeq` (scrolling
    // back; `historyBefore`, PROTOCOL.md 2); the answer is olderHistoryReceived(), at most `limit`
    // messages. False when it cannot be asked: not in the session, not that room, nothing
    // before, or a server without the feature. Look in cache()->before() first.
    bool requestOlder(const QString &room, qint64 beforeSeq, int limit = 50);
    // wss:// only: accept this exact certificate from now on although it fails verification (a
    // self-signed server, say). Only ever on the user's explicit choice; then reconnectNow().
    void trustCertificate(const QSslCertificate &certificate);
    // Accounts mode: logs in with a password (creating the account first if `createAccount`) on
    // the server connectToServer() named; connects when not connected.
    void logIn(const QString &username, const QString &password, bool createAccount = false);
    // Revokes the token on the server (which then closes the connection) and forgets it here.
    // Offline, only forgets it: the server lets it expire.
    void logOut();

signals:
    void stateChanged(ChatClient::State state, const QString &reason);
    void reconnectScheduled(int attempt, qint64 delayMs);
    void connectedToServer(const Protocol::Connected &info); // in the session (after a login, if any)
    void sessionRestored(); // username set and room rejoined after (re)connect
    void usernameChanged(const QString &username);
    // `joined.history` holds only messages not seen before (room filled in), oldest first.
    void roomJoined(const Protocol::RoomJoined &joined);
    // A later page of the joined room's history, after roomJoined and before anything live from
    // that room: `page.messages` holds only messages not seen before (room filled in), oldest first.
    void historyReceived(const Protocol::HistoryPage &page);
    void roomLeft(const QString &room);
    // The answer to requestOlder(): `page.messages` (room filled in) are contiguous and end at
    // page.before - 1, oldest first; `more` says older ones are held. With `truncated` the
    // room's numbering changed: its old seqs (and what the cache held of it) are gone, and the
    // client joins it again.
    void olderHistoryReceived(const Protocol::HistoryBeforePage &page);
    // The requestOlder() for `room` ends without a page: the server refused it, or sent one that
    // is not the room's past. Asking again is up to the user (the next scroll to the top).
    void olderHistoryRefused(const QString &room);
    void messageReceived(const Protocol::ChatMessage &message); // live, never seen before
    // Conversation (PROTOCOL.md 3): a message of the room changed, live, or (with a cache) while
    // we were away: a join that continues the cached numbering asks once for the newest cached
    // page and announces what changed in it.
    void messageEdited(const Protocol::MessageEdited &change);
    void messageDeleted(const Protocol::MessageDeleted &change);
    void reactionsChanged(const Protocol::ReactionsChanged &change);
    void userJoined(const Protocol::UserJoined &event);
    void userLeft(const Protocol::UserLeft &event);
    void rosterChanged(const QStringList &users);
    void typingChanged(const QStringList &usersTyping);
    void roomListReceived(const QList<Protocol::RoomInfo> &rooms);
    void sendFailed(const QString &text, const QString &reason);
    void requestRefused(const QString &reason); // e.g. an invalid room or user name, checked locally
    void serverError(const Protocol::Error &error);
    // The server said it cannot store new messages (`ok` false: they wait in the outbox), or that
    // it can again; a new connection starts as ok.
    void serverStatusChanged(bool ok, const QString &reason);
    // Open mode: `name` is held by another live connection (PROTOCOL.md 2, *Identity*). The
    // connection stays up, with the name held before (if any); setUsername() may try another.
    void nameRefused(const QString &name, const QString &reason);
    // Accounts mode: logged in, by password or by token; `token` is the one to store (it may be
    // new). `expiresAt` is 0 when a token in the upgrade did it (the server does not repeat it).
    void authenticated(const QString &account, const QString &token, qint64 expiresAt);
    // Entered LoginRequired: the user must log in (logIn()). With TokenRejected and SessionEnded
    // the token is gone: a stored copy should go too.
    void loginRequired(ChatClient::LoginProblem problem, const QString &reason, qint64 retryAfterMs);
    void loggedOut(); // the token is revoked (or, offline, forgotten): remove a stored copy
    void protocolError(const QString &message); // the server sent something we could not decode
    // The server's TLS certificate failed verification and is not trusted: the client gave up
    // rather than retry, since retrying cannot help. See trustCertificate().
    void certificateRejected(const QSslCertificate &certificate, const QStringList &errors);

private:
    void setState(State state, const QString &reason);
    void openSocket(const QString &reason);
    void dropSocket();
    void handleFailure(const QString &reason);
    void scheduleReconnect(const QString &reason);
    void nextUrl(); // the next attempt goes to the server's next address
    void retryWhenLessBusy(const QString &reason, qint64 retryAfterMs);
    void retryAtOnce(const QString &reason);
    void onSocketConnected();
    void onSocketDisconnected(QWebSocket *socket);
    void onMessage(const Protocol::ServerMessage &message);
    void onBytesWritten();
    void handle(const Protocol::Connected &m);
    void handle(const Protocol::UsernameSet &m);
    void handle(const Protocol::RoomJoined &m);
    void handle(const Protocol::UserJoined &m);
    void handle(const Protocol::UserLeft &m);
    void handle(const Protocol::ChatMessage &m);
    void handle(const Protocol::UserTyping &m);
    void handle(const Protocol::Error &m);
    void handle(const Protocol::Ack &m);
    void handle(const Protocol::RoomList &m);
    void handle(const Protocol::HistoryPage &m);
    void handle(const Protocol::AuthOk &m);
    void handle(const Protocol::LoggedOut &m);
    void handle(const Protocol::ServerStatus &m);
    void setServerStatus(bool ok, const QString &reason);
    void handle(const Protocol::HistoryBeforePage &m);
    // Files are FileTransfers' business and pongs the channel's: both hear them from the channel.
    void handle(const Protocol::Pong &) {}
    void handle(const Protocol::FileAccepted &) {}
    void handle(const Protocol::FileProgress &) {}
    void handle(const Protocol::FileComplete &) {}
    void handle(const Protocol::FileOffer &) {}
    void handle(const Protocol::FileDone &) {}
    void handle(const Protocol::FileAborted &) {}
    void handle(const Protocol::MessageEdited &m);
    void handle(const Protocol::MessageDeleted &m);
    void handle(const Protocol::ReactionsChanged &m);
    // A message of the joined room changed (PROTOCOL.md 3): the cached copy follows.
    void cacheChange(const QString &room, qint64 seq,
                     const std::function<void(Protocol::ChatMessage &)> &apply);
    void authenticate();
    void onAuthError(const Protocol::Error &m);
    void onUnauthorizedUpgrade();
    void requireLogin(LoginProblem problem, const QString &reason, qint64 retryAfterMs = 0);
    void sendHello();
    void enterSession();    // Connected: the session restore starts
    bool inSession() const; // Connected on an open channel: session messages may go out
    void startSession();
    void setSessionReady();
    void sendJoin(const QString &room);
    void flushOutbox();
    bool send(const Protocol::ClientMessage &message);
    bool isOwn(const Protocol::ChatMessage &m) const; // in the outbox, for this room
    // What of `history` (a page of `room`) was not seen; our own messages in it go to `own`.
    QList<Protocol::ChatMessage> unseen(const QList<Protocol::ChatMessage> &history, const QString &room,
                                        QList<Protocol::ChatMessage> *own);
    void acknowledgeOwn(const QList<Protocol::ChatMessage> &own);
    // After a page of `room`'s history: asks for the next one, or notes the room caught up.
    void followHistory(const QString &room, const QString &epoch, const QList<Protocol::ChatMessage> &page,
                       bool more);
    void requestHistoryPage();
    bool isFetchingHistory(const QString &room) const;
    void setRoster(const QStringList &users);
    void cacheMessages(const QString &room, const QString &epoch,
                       const QList<Protocol::ChatMessage> &messages);
    void seedFromCache(const QString &room);
    void requestOlderPage();
    // After a join that asked with `since` (a cache or an earlier connection holds the room): one
    // `historyBefore` page ending at `since`, so edits, deletions and reactions made while we were
    // away reach the cached copies and the signals (PROTOCOL.md 3, *Conversation*).
    void startRefresh(const Protocol::RoomJoined &joined);
    void requestRefreshPage();
    // Whether the historyBefore answer or error now arriving is the refresh's: the server answers
    // in the order asked.
    bool answersRefresh(const Protocol::HistoryBeforePage *page) const;
    void applyRefresh(const Protocol::HistoryBeforePage &page);
    void announceUsername();
    // The name as the protocol stores it, or nullopt after requestRefused() said why not.
    std::optional<QString> acceptedName(const QString &raw, int maxChars, const QString &what);
    std::optional<QString> acceptedUsername(const QString &raw);
    std::optional<QString> acceptedRoom(const QString &raw);
    Protocol::SetUsername setUsernameMessage(const QString &name) const;

    Settings m_settings;
    State m_state = State::Disconnected;
    QUrl m_url;                  // identity (m_urls.first())
    QList<QUrl> m_urls;          // every address of the server; attempts go round them
    int m_urlIndex = 0;          // the one in use
    QString m_username;          // the name wanted (re-sent on every reconnect)
    QString m_announcedUsername; // the name usernameChanged last reported
    QString m_heldName;          // the name the server last confirmed, on this or an earlier connection
    QString m_nameToken;         // proves m_heldName is ours (open mode); in memory only
    QString m_token;             // accounts mode: the session token reconnects present...
    QUrl m_tokenServer;          // ...to this server only
    QString m_account;           // accounts mode: logged in as, on this connection
    struct PendingLogin
    {
        QString password;
        bool createAccount = false;
    };
    std::optional<PendingLogin> m_pendingLogin; // until the server answers it, never longer
    enum class AuthSent {
        Nothing,
        Token,
        Password
    };
    AuthSent m_authSent = AuthSent::Nothing;
    bool m_loginPath = false;      // --auth-at-handshake refused us: the password goes to /login
    bool m_upgraded = false;       // the WebSocket upgrade of this attempt succeeded
    bool m_tokenInUpgrade = false; // this attempt presented the token in its upgrade request
    bool m_helloSent = false;      // on this connection (before `auth`, in accounts mode)
    QStringList m_roster;
    QWebSocket *m_socket = nullptr;
    bool m_userClosing = false;
    bool m_closeFrameSeen = false;
    bool m_usernameAcked = false;
    QTimer m_retryTimer;
    QTimer m_connectTimer;
    QTimer m_uptimeTimer;
    QTimer m_closeTimer;
    QTimer m_rateLimitTimer; // the server said `rateLimited`: the outbox waits this long
    QTimer m_nameRetryTimer; // the server could not hold names (its Redis is away): ask again then
    bool m_serverDegraded = false;
    QString m_serverStatusReason;
    static constexpr int DefaultStoreRetryMs = 2000; // `storeFailed` without a retryAfterMs
    int m_pacedMs = 0; // after `rateLimited`: one message per this many ms until the outbox is empty
    struct HistoryFetch
    {
        QString room;
        QString epoch;
        qint64 since = 0; // the last seq of the last page
    };
    std::optional<HistoryFetch> m_historyFetch; // paging through the joined room's history
    // The room whose missed history is still coming in pages: its live messages wait for them.
    // Unlike m_historyFetch it outlasts a rejoin in flight, during which the old membership still
    // delivers live messages newer than the gap.
    QString m_behindRoom;
    Protocol::JoinRoom m_lastJoin; // where paging starts when roomJoined had no page
    QTimer m_historyRetryTimer;    // the server said `rateLimited` to a page request
    struct OlderRequest            // a `historyBefore` in flight: only its answer is taken
    {
        QString room;
        QString epoch;
        qint64 before = 0;
        int limit = 0;
    };
    std::optional<OlderRequest> m_olderRequest;
    QTimer m_olderRetryTimer; // the server said `rateLimited` to it
    struct RefreshRequest     // the one `historyBefore` a join sends to refresh cached messages
    {
        QString room;
        QString epoch;
        qint64 before = 0;
        quint64 sent = 0; // m_beforeSends when it went out; 0 while waiting to be sent again
        bool retried = false;
    };
    std::optional<RefreshRequest> m_refreshRequest;
    QTimer m_refreshRetryTimer;
    quint64 m_beforeSends = 0; // historyBefore requests sent on this connection
    quint64 m_olderSent = 0;   // m_beforeSends when m_olderRequest went out
    QPointer<MessageCache> m_cache;
    std::unique_ptr<ReconnectPolicy> m_policy;
    SessionChannel *m_channel; // rooms, server info and whether the session is open or ready
    Outbox *m_outbox = nullptr;
    LatencyMonitor *m_latency = nullptr;
    TypingTracker *m_typing = nullptr;
    ConnectivityWatcher *m_connectivity = nullptr;
    SeenMessages m_seen;
    QSet<QByteArray> m_trustedCertificates; // SHA-256 digests the user chose to trust
    QSslCertificate m_rejectedCertificate;  // set by sslErrors on the current attempt
    QStringList m_rejectedErrors;
    QList<QString> m_unwritten; // base server: ids sent but maybe still in the socket buffer
};

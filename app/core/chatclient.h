#pragma once

// CONTRACT DRAFT: the public API the UI and natter-cli code against. The client-core work may add
// to it and fill in the implementation, but keeps these names and meanings.

#include "protocol.h"

#include <QObject>
#include <QStringList>
#include <QUrl>

class Outbox;
class LatencyMonitor;
class ReconnectPolicy;

//! One chat connection: a QWebSocket wrapped in an explicit reconnect state machine, with session
//! restore, a persisted outbox and latency monitoring. Knows nothing of widgets.
class ChatClient : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Disconnected, // not connected, and not trying
        Connecting,   // TCP + WebSocket handshake in progress (bounded by the connect timeout)
        Connected,    // upgrade done; session restore runs, then the outbox flushes
        Reconnecting, // waiting for the next attempt (see nextAttemptIn())
        Closing,      // the user asked to disconnect; waiting for the close handshake
        GaveUp,       // max attempts ran out; only connectToServer()/reconnectNow() leave it
    };
    Q_ENUM(State)

    struct Settings
    {
        int initialDelayMs = 1000;
        double backoffFactor = 2.0;
        int maxDelayMs = 30000;
        double jitter = 0.3;       // each delay is scaled by a random factor in [1 - jitter, 1 + jitter]
        int maxAttempts = 0;       // 0 = retry for ever
        int connectTimeoutMs = 10000;
        int minUptimeMs = 5000;    // the attempt counter resets only after staying up this long
        int pingIntervalMs = 5000; // app-level ping
        int pongTimeoutMs = 35000; // no pong for this long = dead connection
        int typingThrottleMs = 2500;
        int typingExpiryMs = 5000;
        int latencySamples = 120;
        QString outboxPath; // empty = QStandardPaths::AppDataLocation/outbox-<user>.json
        int outboxMaxMessages = 10000;
        qint64 outboxMaxBytes = 16 * 1024 * 1024;
    };

    explicit ChatClient(QObject *parent = nullptr);
    explicit ChatClient(const Settings &settings, QObject *parent = nullptr);
    ~ChatClient() override;

    State state() const;
    QUrl url() const;
    QString username() const;
    QString room() const;
    QString clientId() const;
    QStringList serverFeatures() const; // empty against a base server
    bool hasFeature(const QString &feature) const;
    int attempt() const;          // the current reconnect attempt, 1-based; 0 when none
    qint64 nextAttemptIn() const; // ms until the next attempt while Reconnecting, else -1
    Outbox *outbox() const;
    LatencyMonitor *latency() const;

public slots:
    void connectToServer(const QUrl &url, const QString &username, const QString &room);
    void disconnectFromServer();      // Closing -> Disconnected, never reconnects
    void reconnectNow();              // skips the wait (also leaves GaveUp)
    void joinRoom(const QString &room);
    void leaveRoom();
    void setUsername(const QString &username);
    QString sendMessage(const QString &text); // returns the message id; queued in the outbox
    void notifyTyping();              // call on every keystroke; throttled here
    void requestRoomList();

signals:
    void stateChanged(ChatClient::State state, const QString &reason);
    void connectedToServer(const Protocol::Connected &info);
    void sessionRestored(); // username set and room rejoined after (re)connect
    void usernameChanged(const QString &username);
    void roomJoined(const Protocol::RoomJoined &joined);
    void roomLeft(const QString &room);
    void messageReceived(const Protocol::ChatMessage &message); // also for history, deduplicated by id/seq
    void userJoined(const Protocol::UserJoined &event);
    void userLeft(const Protocol::UserLeft &event);
    void typingChanged(const QStringList &usersTyping);
    void roomListReceived(const QList<Protocol::RoomInfo> &rooms);
    void serverError(const Protocol::Error &error);
    void protocolError(const QString &message); // the server sent something we could not decode
};

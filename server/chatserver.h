#pragma once

#include "serverconfig.h"
#include "servercontext.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QWebSocketProtocol>

#include <memory>

class MessageIdStore;
class QWebSocketServer;
class RoomDirectory;
class ServerSession;
class UploadRegistry;

//! The Natter chat server (docs/PROTOCOL.md): accepts WebSocket clients, runs the heartbeat and
//! owns the rooms, message ids and uploads its sessions share. Runs in the caller's thread.
class ChatServer : public QObject
{
    Q_OBJECT

public:
    explicit ChatServer(const ServerConfig &config, QObject *parent = nullptr);
    ~ChatServer() override;

    // Listens on config().host / config().port (0: a free port). Callable again after close().
    bool listen();
    bool isListening() const;
    quint16 port() const;
    // ws://host:port; a wildcard host (0.0.0.0, ::) is given as the loopback address.
    QUrl url() const;
    // Graceful shutdown: stops listening and closes every client with 1001 (GoingAway).
    // Clients that do not finish the close handshake are aborted after a short grace period.
    // `closed()` follows once every client is gone.
    void close();
    QString errorString() const;
    int clientCount() const;
    const ServerConfig &config() const { return m_context.config; }

    // ---- test hooks ----
    // Changes ServerConfig::pongDelayMs for every session from now on (-1: stop answering pings).
    void setPongDelayMs(int ms);
    // Drops every client abruptly (TCP abort, no close frame), as a crashed server would.
    void abortAllClients();
    // Closes every client with `code` (e.g. 1001, 1009, 1011) but keeps listening.
    void closeAllClients(QWebSocketProtocol::CloseCode code, const QString &reason = {});
    // While paused, new TCP connections wait unanswered (the upgrade hangs); resume to serve them.
    void pauseAccepting();
    void resumeAccepting();
    // Live object counts, to check that nothing leaks.
    int roomCount() const;
    int uploadCount() const;

signals:
    void clientConnected(const QString &id);
    void clientDisconnected(const QString &id);
    // After close(), once the last client has gone.
    void closed();

private:
    void onNewConnection();
    void onSessionFinished(ServerSession *session);
    void heartbeat();
    void abortStragglers();

    ServerContext m_context;
    std::unique_ptr<MessageIdStore> m_ids;
    RoomDirectory *m_rooms;
    UploadRegistry *m_uploads;
    QWebSocketServer *m_server;
    QSet<ServerSession *> m_sessions;
    QTimer m_heartbeat;
    QTimer m_closeGrace;
    QString m_error;
    bool m_closing = false;
};

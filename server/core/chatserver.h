// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "authenticator.h"
#include "backlogguard.h"
#include "serverconfig.h"
#include "servercontext.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <memory>

class Authenticator;
class HistoryRetention;
class HistoryWriter;
class MessageIdStore;
class ClusterLink;
class MessageStore;
class NameRegistry;
class QSslServer;
class QTcpServer;
class QTcpSocket;
class ReadinessPoller;
class RoomDirectory;
class ServerSession;
class UploadRegistry;

//! The Natter chat server (docs/PROTOCOL.md): accepts WebSocket clients, runs the heartbeat and
//! owns the rooms, message ids and uploads its sessions share. Lives in one thread (it may be
//! moved to another with moveToThread() before listen()).
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
    // Where a client on this machine reaches a socket listening on `listening`: a wildcard
    // address (0.0.0.0, ::) as the loopback address.
    static QHostAddress connectableAddress(const QHostAddress &listening);
    // Graceful shutdown: stops listening and closes every client with Protocol::CloseServerShutdown,
    // which asks them to reconnect later (a restart is the common case).
    // Clients that do not finish the close handshake are aborted after a short grace period.
    // `closed()` follows once every client is gone.
    void close();
    QString errorString() const;
    int clientCount() const;
    const ServerConfig &config() const { return m_context.config; }
    // For /metrics (server/metrics): running totals, and what is counted on demand.
    const ServerStats &stats() const { return m_context.stats; }
    int roomCount() const;
    int occupiedRoomCount() const;
    // Uploads whose sender is held back for a lagging receiver, on this node or another.
    int uploadsHeldBack() const;
    // With a message store (setMessageStore), its writer: write times and health; else null.
    const HistoryWriter *historyWriter() const { return m_writer; }
    // Accounts mode (ServerConfig::accounts): who judges logins. Set before listen(); not owned.
    void setAuthenticator(Authenticator *authenticator);
    // Durable history (PROTOCOL.md 2): rooms and their messages are kept in `store`, which must be
    // open and outlive the server. Set before listen(); without one, history is in memory only.
    void setMessageStore(MessageStore *store);
    // Scale-out: with a shared message store (MessageStore::isShared), what follows its rooms
    // across nodes. Not owned; set before listen().
    void setClusterLink(ClusterLink *link);
    const ClusterLink *clusterLink() const { return m_context.cluster; }
    // The server cannot store new messages for `reason` (empty: it can again): every client that
    // declared `status` is told, and those that declare it later are told on their `hello`.
    void setDegraded(const QString &reason);
    // Writes the messages waiting for the store now (they are acknowledged as usual).
    void flushHistory();

    // Drops every client abruptly (TCP abort, no close frame), keeping rooms and held uploads;
    // close() does this to the clients that outlast its grace period.
    void abortAllClients();
    // Closes every client with `code` (e.g. 1001, 1009, 1011) but keeps listening; close() uses it
    // with Protocol::CloseServerShutdown.
    void closeAllClients(quint16 code, const QString &reason = {});

signals:
    void clientConnected(const QString &id);
    void clientDisconnected(const QString &id);
    // After close(), once the last client has gone.
    void closed();

private:
    bool configureTls(QSslServer *server);
    void onTcpConnection();
    bool overCap(const QHostAddress &address) const;
    QString busyReason(const QHostAddress &address) const; // empty: room for one more connection
    bool countConnection(QTcpSocket *socket);              // false: refused, the socket is gone
    void admit(QTcpSocket *socket);
    void readHandshake(QTcpSocket *socket);
    void endHandshake(QTcpSocket *socket);
    static void writeDirect(QTcpSocket *socket, const QByteArray &data);
    void releaseAddress(const QObject *connection);
    void sweepHandshakes();
    void startSession(QTcpSocket *socket, const QByteArray &alreadyRead,
                      const std::optional<Authenticator::Outcome> &login = std::nullopt,
                      bool loginOnly = false);
    void checkRevocations();
    void onSessionFinished(ServerSession *session);
    void heartbeat();
    void checkBacklogs();
    void abortStragglers();
    void finishClosing();

    ServerContext m_context;
    std::unique_ptr<MessageIdStore> m_ids;
    RoomDirectory *m_rooms;
    UploadRegistry *m_uploads;
    std::unique_ptr<NameRegistry> m_names;
    MessageStore *m_store = nullptr;
    HistoryWriter *m_writer = nullptr;
    HistoryRetention *m_retention = nullptr;
    QTcpServer *m_tcp;         // accepts; the upgrade (WsHandshake) and framing (WsConnection) are ours
    ReadinessPoller *m_poller; // every plain connection's readiness, from one epoll set
    QSet<ServerSession *> m_sessions;
    struct PendingHandshake
    {
        QByteArray received;
        QDeadlineTimer deadline;
        QHostAddress address;
        QMetaObject::Connection onRead;
        QMetaObject::Connection onGone;
    };
    QHash<QTcpSocket *, PendingHandshake> m_handshakes;
    struct AddressLoad
    {
        int handshakes = 0;
        int connections = 0; // TCP connections, handshaking or not
    };
    QHash<QHostAddress, AddressLoad> m_perAddress;
    // Every counted connection until it is gone: its QTcpSocket, then its WsConnection.
    QHash<const QObject *, QHostAddress> m_addressOf;
    QSet<const QObject *> m_tlsHandshakes; // counted, still in the TLS handshake
    QTimer m_handshakeSweep{this};
    QTimer m_heartbeat{this}; // parented, so moveToThread() takes it along
    QTimer m_backlogCheck{this};
    QElapsedTimer m_clock;
    BacklogGuard m_backlogs;
    QTimer m_closeGrace{this};
    QTimer m_revocationCheck{this};
    QString m_error;
    bool m_closing = false;
    bool m_closedEmitted = false;
};

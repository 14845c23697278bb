// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatserver.h"
#include "clusterlink.h"

#include "countingsslserver.h"
#include "historyretention.h"
#include "historywriter.h"
#include "messageidstore.h"
#include "nameregistry.h"
#include "readinesspoller.h"
#include "roomdirectory.h"
#include "serverlog.h"
#include "serversession.h"
#include "uploadregistry.h"
#include "wsconnection.h"
#include "wshandshake.h"

#include <QFile>
#include <QHostInfo>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

#include <sys/socket.h>

#include <limits>

namespace {
constexpr int CloseGraceMs = 3000;

ServerConfig sanitized(ServerConfig config)
{
    config.maxMessageBytes = qMax(config.maxMessageBytes, ServerConfig::MinMessageBytes);
    config.historyLimit = qMax(0, config.historyLimit);
    config.heartbeatMs = qMax(0, config.heartbeatMs);
    // Chunk indexes are 32 bits of 64 KiB chunks: no file can be larger than 2^48 bytes.
    config.maxFileBytes = qBound(qint64(0), config.maxFileBytes, qint64(Protocol::ChunkDataBytes) << 32);
    config.maxBacklogBytes = qMax<qint64>(1, config.maxBacklogBytes);
    config.slowBacklogBytes = qBound<qint64>(0, config.slowBacklogBytes, config.maxBacklogBytes);
    config.slowBacklogMs = qMax(0, config.slowBacklogMs);
    config.maxTotalBacklogBytes = qMax(config.maxTotalBacklogBytes, config.maxBacklogBytes);
    config.backlogCheckMs = qBound(10, config.backlogCheckMs, 60000);
    config.maxHandshakesPerAddress = qMax(1, config.maxHandshakesPerAddress);
    config.maxConnectionsPerAddress = qMax(1, config.maxConnectionsPerAddress);
    config.maxConnections = qMax(0, config.maxConnections);
    config.busyRetryAfterS = qBound(0, config.busyRetryAfterS, 86400);
    config.listenBacklog = qMax(1, config.listenBacklog);
    config.historyMaxAgeMs = qMax<qint64>(0, config.historyMaxAgeMs);
    config.historyMaxMessages = qMax<qint64>(0, config.historyMaxMessages);
    config.retentionIntervalMs = qBound(1, config.retentionIntervalMs, 86400000);
    config.retentionBatch = qMax(1, config.retentionBatch);
    return config;
}

BacklogGuard::Limits backlogLimits(const ServerConfig &config)
{
    return {config.maxBacklogBytes, config.slowBacklogBytes, config.slowBacklogMs,
            config.maxTotalBacklogBytes, config.trimFreedBytes};
}

QHostAddress resolve(const QString &host)
{
    if (host.isEmpty())
        return QHostAddress(QHostAddress::Any);
    QHostAddress address;
    if (address.setAddress(host))
        return address;
    if (host == QLatin1String("localhost"))
        return QHostAddress(QHostAddress::LocalHost);
    const QHostInfo info = QHostInfo::fromName(host);
    return info.addresses().isEmpty() ? QHostAddress() : info.addresses().constFirst();
}
} // namespace

ChatServer::ChatServer(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_ids(std::make_unique<MessageIdStore>(
          MessageIdStore::Limits{config.maxIdsPerUser, config.maxIds, config.idWindowMs}))
    , m_rooms(new RoomDirectory(config.historyLimit, config.maxEmptyRooms, config.maxEmptyRoomHistoryBytes,
                                config.roomsListCoalesceMs, config.publicRoomsList, this))
    , m_uploads(new UploadRegistry(Upload::Settings{config.relayHighWaterBytes, config.relayDropBytes,
                                                    qMax(1, config.progressEveryChunks), config.extensions()},
                                   config.resumeKeepMs, config.maxHeldUploads, this))
    , m_names(std::make_unique<NameRegistry>())
    , m_tcp(config.tls() ? new CountingSslServer(this) : new QTcpServer(this))
    , m_poller(new ReadinessPoller(this))
    , m_backlogs(backlogLimits(sanitized(config)))
{
    m_context.config = sanitized(config);
    m_context.rooms = m_rooms;
    m_context.ids = m_ids.get();
    m_context.uploads = m_uploads;
    m_context.names = m_names.get();
    connect(this, &ChatServer::clientConnected, this, [this] { ++m_context.stats.connectionsAccepted; });
    connect(m_tcp, &QTcpServer::newConnection, this, &ChatServer::onTcpConnection);
    // A QSslServer queues a connection only once its TLS handshake is done, after newConnection.
    connect(m_tcp, &QTcpServer::pendingConnectionAvailable, this, &ChatServer::onTcpConnection);
    if (auto *tls = qobject_cast<CountingSslServer *>(m_tcp)) {
        // Counted from the TCP accept on, so TLS handshakes take from the per-address caps too.
        tls->setAdmission([this](const QHostAddress &peer) { return !overCap(peer); });
        connect(tls, &CountingSslServer::accepted, this, [this](QSslSocket *socket) {
            if (countConnection(socket))
                m_tlsHandshakes.insert(socket);
        });
        connect(tls, &QSslServer::errorOccurred, this, [](QSslSocket *socket, QAbstractSocket::SocketError) {
            qCInfo(lcServer).noquote() << "TLS handshake failed from" << socket->peerAddress().toString()
                                       << ":" << socket->errorString();
        });
    }
    connect(m_tcp, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        // Qt pauses accepting on any error but EAGAIN, for good: out of descriptors (EMFILE)
        // would leave the server deaf after its clients leave. Try again a little later.
        qCWarning(lcServer) << "accept failed:" << error << "- accepting again in 100 ms";
        QTimer::singleShot(100, this, [this] {
            if (m_tcp->isListening())
                m_tcp->resumeAccepting();
        });
    });
    m_tcp->setListenBacklogSize(m_context.config.listenBacklog); // Qt's default is 50
    connect(&m_heartbeat, &QTimer::timeout, this, &ChatServer::heartbeat);
    m_clock.start();
    m_backlogCheck.setInterval(m_context.config.backlogCheckMs);
    connect(&m_backlogCheck, &QTimer::timeout, this, &ChatServer::checkBacklogs);
    // Idle, nothing is queued anywhere and the check sleeps: each tick is a pass of the event
    // loop, and a pass polls every socket (10,000 idle clients: 4 passes a second were 5% CPU).
    m_context.backlogQueued = [this] {
        if (!m_backlogCheck.isActive() && m_tcp->isListening())
            m_backlogCheck.start();
    };
    m_handshakeSweep.setInterval(qBound(10, m_context.config.handshakeTimeoutMs / 4, 1000));
    connect(&m_handshakeSweep, &QTimer::timeout, this, &ChatServer::sweepHandshakes);
    m_closeGrace.setSingleShot(true);
    connect(&m_closeGrace, &QTimer::timeout, this, &ChatServer::abortStragglers);
    m_revocationCheck.setInterval(qMax(10, m_context.config.revocationCheckMs));
    connect(&m_revocationCheck, &QTimer::timeout, this, &ChatServer::checkRevocations);
}

void ChatServer::setAuthenticator(Authenticator *authenticator)
{
    m_context.auth = authenticator;
}

void ChatServer::setMessageStore(MessageStore *store)
{
    if (m_store || !store)
        return;
    m_store = store;
    m_rooms->setStore(store);
    m_writer = new HistoryWriter(*store, this);
    m_context.writer = m_writer;
    // The id window outlives a restart: a resend of a stored message is a duplicate, not new.
    const ServerConfig &cfg = m_context.config;
    const QList<MessageStore::IdRecord> ids =
        store->recentIds(Protocol::nowMs() - cfg.idWindowMs, cfg.maxIds);
    for (auto it = ids.crbegin(); it != ids.crend(); ++it) // oldest first, so the newest are kept
        m_ids->insert(it->userKey, it->id, {it->seq, it->room, it->timestamp});
    qCInfo(lcServer).noquote() << "message store:" << ids.size() << "recent message ids read back";
}

void ChatServer::setClusterLink(ClusterLink *link)
{
    m_context.cluster = link;
    if (link)
        link->attach(m_context);
}

void ChatServer::setDegraded(const QString &reason)
{
    if (m_context.degraded == reason)
        return;
    m_context.degraded = reason;
    const QSet<ServerSession *> sessions = m_sessions;
    for (ServerSession *s : sessions)
        s->sendStatus();
}

void ChatServer::flushHistory()
{
    if (m_writer)
        m_writer->flush();
}

ChatServer::~ChatServer()
{
    // What waits for the store is written and delivered while its sessions still exist.
    flushHistory();
    m_tcp->close();
    const QSet<ServerSession *> sessions = std::exchange(m_sessions, {});
    for (ServerSession *s : sessions) {
        s->disconnect(this);
        delete s;
    }
}

bool ChatServer::listen()
{
    if (m_tcp->isListening())
        return true;
    const QHostAddress address = resolve(m_context.config.host);
    if (address.isNull()) {
        m_error = QStringLiteral("Cannot resolve host '%1'").arg(m_context.config.host);
        return false;
    }
    if (m_context.config.accounts && !m_context.auth) {
        m_error = QStringLiteral("accounts mode needs a user database (no Authenticator was set)");
        return false;
    }
    if (auto *tls = qobject_cast<QSslServer *>(m_tcp); tls && !configureTls(tls))
        return false;
    if (!m_tcp->listen(address, m_context.config.port)) {
        m_error = m_tcp->errorString();
        return false;
    }
    m_error.clear();
    m_closing = false;
    m_closeGrace.stop();
    if (m_context.config.heartbeatMs > 0)
        m_heartbeat.start(m_context.config.heartbeatMs);
    m_backlogCheck.start();
    if (m_context.config.accounts)
        m_revocationCheck.start();
    const ServerConfig &cfg = m_context.config;
    const MessageStore::Retention retention{cfg.historyMaxAgeMs, cfg.historyMaxMessages};
    if (!m_retention && retention.isSet()) {
        m_retention = new HistoryRetention(retention, cfg.retentionIntervalMs, cfg.retentionBatch, m_store,
                                           *m_rooms, this);
        m_retention->start();
    }
    return true;
}

bool ChatServer::isListening() const
{
    return m_tcp->isListening();
}

quint16 ChatServer::port() const
{
    return m_tcp->serverPort();
}

QHostAddress ChatServer::connectableAddress(const QHostAddress &listening)
{
    if (listening == QHostAddress::Any || listening == QHostAddress::AnyIPv4)
        return QHostAddress(QHostAddress::LocalHost);
    if (listening == QHostAddress::AnyIPv6)
        return QHostAddress(QHostAddress::LocalHostIPv6);
    return listening;
}

QUrl ChatServer::url() const
{
    const QHostAddress address = connectableAddress(m_tcp->serverAddress());
    QUrl url;
    url.setScheme(m_context.config.tls() ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(address.toString());
    url.setPort(port());
    return url;
}

void ChatServer::close()
{
    m_tcp->close();
    m_heartbeat.stop();
    m_backlogCheck.stop();
    m_closing = true;
    m_closedEmitted = false;
    m_closeGrace.start(CloseGraceMs);
    closeAllClients(Protocol::CloseServerShutdown, QStringLiteral("Server shutting down"));
    // Sessions may close synchronously; either way `closed` comes from the event loop, once.
    QTimer::singleShot(0, this, &ChatServer::finishClosing);
}

void ChatServer::finishClosing()
{
    if (!m_closing || !m_sessions.isEmpty() || m_closedEmitted)
        return;
    m_closeGrace.stop();
    m_closedEmitted = true;
    emit closed();
}

QString ChatServer::errorString() const
{
    return m_error;
}

int ChatServer::clientCount() const
{
    return int(m_sessions.size());
}

int ChatServer::roomCount() const
{
    return m_rooms->roomCount();
}

int ChatServer::uploadsHeldBack() const
{
    return m_uploads->heldBackCount();
}

int ChatServer::occupiedRoomCount() const
{
    return m_rooms->occupiedRoomCount();
}

void ChatServer::abortAllClients()
{
    const QSet<ServerSession *> sessions = m_sessions;
    for (ServerSession *s : sessions)
        s->abortConnection();
}

void ChatServer::closeAllClients(quint16 code, const QString &reason)
{
    const QSet<ServerSession *> sessions = m_sessions;
    for (ServerSession *s : sessions)
        s->closeConnection(code, reason);
}

bool ChatServer::configureTls(QSslServer *server)
{
    if (!QSslSocket::supportsSsl()) {
        m_error = QStringLiteral("TLS is not available in this Qt build");
        return false;
    }
    QFile certFile(m_context.config.certificateFile);
    QFile keyFile(m_context.config.privateKeyFile);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("Cannot read the TLS certificate '%1' or key '%2'")
                      .arg(m_context.config.certificateFile, m_context.config.privateKeyFile);
        return false;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Rsa);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec);
    if (chain.isEmpty() || key.isNull()) {
        m_error = QStringLiteral("No PEM certificate in '%1' or no RSA/EC private key in '%2'")
                      .arg(m_context.config.certificateFile, m_context.config.privateKeyFile);
        return false;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    server->setSslConfiguration(tls);
    server->setHandshakeTimeout(m_context.config.handshakeTimeoutMs);
    return true;
}

void ChatServer::onTcpConnection()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection())
        admit(socket);
    if (!m_handshakes.isEmpty() && !m_handshakeSweep.isActive())
        m_handshakeSweep.start();
}

bool ChatServer::overCap(const QHostAddress &address) const
{
    // Only the upgrades in flight are refused unanswered; past the connection caps a request is
    // read and answered 503 (busyReason), which this cap keeps cheap: at most this many per host.
    return m_perAddress.value(address).handshakes >= m_context.config.maxHandshakesPerAddress;
}

QString ChatServer::busyReason(const QHostAddress &address) const
{
    const ServerConfig &cfg = m_context.config;
    if (cfg.maxConnections > 0 && m_sessions.size() >= cfg.maxConnections)
        return QStringLiteral("at its cap of %1 connections").arg(cfg.maxConnections);
    const AddressLoad load = m_perAddress.value(address);
    // This connection is counted among the handshakes: the others are WebSocket connections.
    if (load.connections - load.handshakes >= cfg.maxConnectionsPerAddress)
        return QStringLiteral("at its cap of %1 connections from %2")
            .arg(cfg.maxConnectionsPerAddress)
            .arg(address.toString());
    return {};
}

bool ChatServer::countConnection(QTcpSocket *socket)
{
    const QHostAddress address = socket->peerAddress();
    if (overCap(address)) {
        // Refused as cheaply as possible: no answer, the descriptor is free at once.
        const AddressLoad load = m_perAddress.value(address);
        qCInfo(lcServer).noquote() << "refusing a connection from" << address.toString() << "over its cap of"
                                   << load.handshakes << "handshakes," << load.connections << "connections";
        socket->abort();
        socket->deleteLater();
        return false;
    }
    AddressLoad &load = m_perAddress[address];
    ++load.handshakes;
    ++load.connections;
    m_addressOf.insert(socket, address);
    // The place is free once the descriptor is: on disconnect, or at the latest on deletion.
    connect(socket, &QAbstractSocket::disconnected, this, [this, socket] { releaseAddress(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { releaseAddress(socket); });
    // Qt would read all a peer sends ahead of the upgrade; it needs no more than the request.
    socket->setReadBufferSize(WsHandshake::MaxRequestBytes + 1);
    return true;
}

void ChatServer::admit(QTcpSocket *socket)
{
    // A TLS connection was counted at accept time, its handshake place goes on to the upgrade.
    if (!m_tlsHandshakes.remove(socket) && !countConnection(socket))
        return;
    const QHostAddress address = m_addressOf.value(socket);
    // Chat is many small messages: Nagle's algorithm would hold each one back for an ACK.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    PendingHandshake pending{{}, QDeadlineTimer(m_context.config.handshakeTimeoutMs), address, {}, {}};
    pending.onRead = connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readHandshake(socket); });
    pending.onGone = connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        if (m_handshakes.contains(socket)) {
            endHandshake(socket);
            socket->deleteLater();
        }
    });
    m_handshakes.insert(socket, pending);
    if (socket->bytesAvailable() > 0)
        readHandshake(socket);
}

void ChatServer::readHandshake(QTcpSocket *socket)
{
    auto it = m_handshakes.find(socket);
    if (it == m_handshakes.end())
        return;
    it->received += socket->read(WsHandshake::MaxRequestBytes + 1 - it->received.size());
    WsHandshake handshake = WsHandshake::parse(it->received, m_context.config.allowedOrigins,
                                               QByteArrayLiteral("natter-server/" NATTER_VERSION));
    if (handshake.result() == WsHandshake::Result::Incomplete)
        return;
    // Accounts mode: a token in the upgrade logs the connection in before `connected`. A fast
    // indexed lookup of its SHA-256, so it is judged here, on the loop.
    std::optional<Authenticator::Outcome> login;
    bool loginOnly = false;
    if (handshake.result() == WsHandshake::Result::Upgrade) {
        if (const QString busy = busyReason(it->address); !busy.isEmpty())
            handshake = WsHandshake::unavailable(m_context.config.busyRetryAfterS, busy);
    }
    if (handshake.result() == WsHandshake::Result::Upgrade && m_context.config.accounts) {
        if (!handshake.bearerToken().isEmpty())
            login = m_context.auth->resume(handshake.bearerToken());
        if (login && login->kind != Authenticator::Outcome::Kind::LoggedIn) {
            // The token may well be good (the user database is unreachable): a 401 would make
            // the client forget it, a 503 makes it come back. Without --auth-at-handshake the
            // connection is let in and logs in with `auth` (busy) meanwhile.
            if (login->busy && m_context.config.authAtHandshake)
                handshake = WsHandshake::unavailable(int((login->retryAfterMs + 999) / 1000),
                                                     QStringLiteral("accounts unreachable"));
            login.reset();
        } else if (!login && m_context.config.authAtHandshake) {
            if (handshake.path() == "/login")
                loginOnly = true;
            else
                handshake = WsHandshake::unauthorized(handshake.bearerToken().isEmpty()
                                                          ? QStringLiteral("no token")
                                                          : QStringLiteral("token not valid"));
        }
    }
    const QByteArray received = it->received;
    endHandshake(socket);
    writeDirect(socket, handshake.response());
    if (handshake.result() == WsHandshake::Result::Refused) {
        ++m_context.stats.handshakesRefused;
        qCInfo(lcServer).noquote() << "refusing a handshake from" << socket->peerAddress().toString()
                                   << "with" << handshake.status() << ":" << handshake.error();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        return;
    }
    startSession(socket, received.mid(handshake.headBytes()), login, loginOnly);
}

void ChatServer::writeDirect(QTcpSocket *socket, const QByteArray &data)
{
    // Straight to the kernel, which takes a few hundred bytes at once: a QTcpSocket keeps the
    // 32 KiB write buffer it allocates for its first write for as long as it lives.
    qint64 sent = 0;
    if (!qobject_cast<QSslSocket *>(socket) && socket->bytesToWrite() == 0) {
        const ssize_t n = ::send(int(socket->socketDescriptor()), data.constData(), size_t(data.size()),
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
        sent = qMax<qint64>(0, n);
    }
    if (sent < data.size())
        socket->write(data.constData() + sent, data.size() - sent);
}

void ChatServer::endHandshake(QTcpSocket *socket)
{
    const auto it = m_handshakes.find(socket);
    if (it == m_handshakes.end())
        return;
    auto load = m_perAddress.find(it->address);
    if (load != m_perAddress.end())
        --load->handshakes;
    disconnect(it->onRead);
    disconnect(it->onGone);
    m_handshakes.erase(it);
}

void ChatServer::releaseAddress(const QObject *connection)
{
    const auto it = m_addressOf.find(connection);
    if (it == m_addressOf.end())
        return;
    auto load = m_perAddress.find(*it);
    const bool inTls = m_tlsHandshakes.remove(connection);
    if (load != m_perAddress.end()) {
        load->handshakes -= inTls ? 1 : 0;
        if (--load->connections <= 0)
            m_perAddress.erase(load);
    }
    m_addressOf.erase(it);
}

void ChatServer::sweepHandshakes()
{
    // Connections that never finish the upgrade are dropped here.
    QList<QTcpSocket *> expired;
    for (auto it = m_handshakes.cbegin(); it != m_handshakes.cend(); ++it) {
        if (it->deadline.hasExpired())
            expired.append(it.key());
    }
    for (QTcpSocket *socket : std::as_const(expired)) {
        endHandshake(socket);
        socket->abort();
        socket->deleteLater();
    }
    if (m_handshakes.isEmpty())
        m_handshakeSweep.stop();
}

void ChatServer::startSession(QTcpSocket *socket, const QByteArray &alreadyRead,
                              const std::optional<Authenticator::Outcome> &login, bool loginOnly)
{
    WsConnection::Limits limits;
    limits.maxMessageBytes = m_context.config.maxMessageBytes;
    if (!m_context.config.fairPass)
        limits.passBytes = limits.passMessages = std::numeric_limits<int>::max();
    // The connection keeps the address's place from here on: over plain TCP the socket goes.
    const auto counted = m_addressOf.constFind(socket);
    const bool hasPlace = counted != m_addressOf.cend();
    const QHostAddress address = hasPlace ? *counted : QHostAddress();
    m_addressOf.remove(socket);
    socket->disconnect(this);
    auto *connection = new WsConnection(socket, alreadyRead, limits, m_poller);
    if (hasPlace) {
        m_addressOf.insert(connection, address);
        connect(connection, &WsConnection::disconnected, this,
                [this, connection] { releaseAddress(connection); });
        connect(connection, &QObject::destroyed, this, [this, connection] { releaseAddress(connection); });
    }
    if (m_closing) {
        connection->setParent(this);
        connect(connection, &WsConnection::disconnected, connection, &QObject::deleteLater);
        connection->close(Protocol::CloseServerShutdown, QStringLiteral("Server shutting down"));
        return;
    }
    auto *session = new ServerSession(connection, m_context, this);
    m_sessions.insert(session);
    connect(session, &ServerSession::finished, this, &ChatServer::onSessionFinished);
    if (login)
        session->startLoggedIn(*login);
    if (loginOnly)
        session->restrictToLogin();
    session->start();
    emit clientConnected(session->id());
}

void ChatServer::onSessionFinished(ServerSession *session)
{
    if (!m_sessions.remove(session))
        return;
    m_backlogs.forget(session);
    session->deleteLater();
    emit clientDisconnected(session->id());
    finishClosing();
}

void ChatServer::heartbeat()
{
    const QSet<ServerSession *> sessions = m_sessions;
    for (ServerSession *s : sessions)
        s->heartbeat();
}

void ChatServer::checkBacklogs()
{
    QList<BacklogGuard::Load> loads;
    loads.reserve(m_sessions.size());
    for (ServerSession *s : std::as_const(m_sessions))
        loads.append({s, s->connection()->bytesToWrite()});
    const QList<BacklogGuard::Drop> drops = m_backlogs.check(loads, m_clock.elapsed());
    if (drops.isEmpty() && m_backlogs.totalBytes() == 0)
        m_backlogCheck.stop(); // all written: the next queued message starts it again
    for (const BacklogGuard::Drop &drop : drops) {
        // The pointer came from m_sessions just now; nothing ran in between.
        auto *session = static_cast<ServerSession *>(const_cast<void *>(drop.connection));
        qCInfo(lcServer).noquote() << "dropping" << session->id()
                                   << "which does not read what it is sent:" << drop.reason;
        session->abortConnection();
    }
}

void ChatServer::abortStragglers()
{
    abortAllClients();
}

void ChatServer::checkRevocations()
{
    if (!m_context.auth)
        return;
    // One token may be resumed by several connections (a reconnect before the old one is gone).
    QMultiHash<QString, ServerSession *> byToken;
    for (ServerSession *s : std::as_const(m_sessions)) {
        if (!s->token().isEmpty())
            byToken.insert(s->token(), s);
    }
    if (byToken.isEmpty())
        return;
    const QStringList gone = m_context.auth->revoked(byToken.uniqueKeys());
    for (const QString &token : gone) {
        for (ServerSession *s : byToken.values(token))
            s->endSession();
    }
}

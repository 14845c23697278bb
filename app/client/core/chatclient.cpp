// SPDX-License-Identifier: GPL-3.0-or-later
// Longer than most files on purpose: ChatClient is one explicit state machine (connect, session
// restore, reconnect with backoff, close), and every transition out of a state is kept in this
// one file so that it can be read, and checked against the states in chatclient.h, together.
#include "chatclient.h"

#include "connectivitywatcher.h"
#include "enumname.h"
#include "latencymonitor.h"
#include "messagecache.h"
#include "reconnectpolicy.h"
#include "sessionchannel.h"
#include "tokenstore.h"
#include "typingtracker.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslError>
#include <QStandardPaths>
#include <QWebSocket>

#include <algorithm>
#include <cmath>

namespace {

ReconnectPolicy::Settings policySettings(const ChatClient::Settings &s)
{
    ReconnectPolicy::Settings p;
    p.initialDelayMs = s.initialDelayMs;
    p.factor = s.backoffFactor;
    p.maxDelayMs = s.maxDelayMs;
    p.jitter = s.jitter;
    p.maxAttempts = s.maxAttempts;
    return p;
}

// Qt 6.4 reports a refused upgrade only as an error string naming the HTTP status; 401 is how
// --auth-at-handshake refuses a missing or invalid token (PROTOCOL.md 2).
bool isUnauthorized(const QString &errorString)
{
    static const QRegularExpression status(QStringLiteral("\\b401\\b"));
    return status.match(errorString).hasMatch();
}

constexpr int CloseTryAgainLater = 1013; // RFC 6455 registry; Qt 6.4 has no name for it

// A server at its connection cap answers the upgrade 503 (PROTOCOL.md, *Server busy*). Qt 6.4
// gives us only the status, in the error string: the Retry-After header is out of reach.
bool isBusy(const QString &errorString)
{
    static const QRegularExpression status(QStringLiteral("\\b503\\b"));
    return status.match(errorString).hasMatch();
}

// Close 1013 ("try again later"); its reason may say "retry after N s". 0: it does not.
qint64 retryAfterInReason(const QString &reason)
{
    static const QRegularExpression after(QStringLiteral("retry after (\\d{1,5}) ?s"),
                                          QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = after.match(reason);
    return m.hasMatch() ? m.captured(1).toLongLong() * 1000 : 0;
}

QString describeClose(const QWebSocket *socket)
{
    const QString reason = socket->closeReason();
    return reason.isEmpty() ? QString::number(int(socket->closeCode()))
                            : QStringLiteral("%1 %2").arg(int(socket->closeCode())).arg(reason);
}

bool sameReactions(const QList<Protocol::Reaction> &a, const QList<Protocol::Reaction> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(),
                      [](const Protocol::Reaction &x, const Protocol::Reaction &y) {
                          return x.emoji == y.emoji && x.users == y.users;
                      });
}
} // namespace

ChatClient::ChatClient(QObject *parent)
    : ChatClient(Settings{}, parent)
{}

ChatClient::ChatClient(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_policy(std::make_unique<ReconnectPolicy>(policySettings(settings), settings.randomSeed))
    , m_channel(new SessionChannel(settings.helloFeatures, this))
    , m_outbox(new Outbox(this))
    , m_latency(new LatencyMonitor(m_channel, this))
    , m_typing(new TypingTracker(this))
    , m_connectivity(new ConnectivityWatcher(settings.wakeCheckIntervalMs, settings.wakeSlackMs,
                                             settings.watchNetwork, this))
{
    m_outbox->setLimits(settings.outboxMaxMessages, settings.outboxMaxBytes);
    m_outbox->setSaveDelay(settings.outboxSaveDelayMs);
    m_latency->setInterval(settings.pingIntervalMs);
    m_latency->setTimeout(settings.pongTimeoutMs);
    m_latency->setSampleLimit(settings.latencySamples);
    m_typing->setExpiry(settings.typingExpiryMs);
    m_typing->setThrottle(settings.typingThrottleMs);

    for (QTimer *t : {&m_retryTimer, &m_connectTimer, &m_uptimeTimer, &m_closeTimer, &m_rateLimitTimer,
                      &m_historyRetryTimer, &m_olderRetryTimer, &m_refreshRetryTimer, &m_nameRetryTimer})
        t->setSingleShot(true);
    connect(&m_nameRetryTimer, &QTimer::timeout, this, &ChatClient::startSession);
    connect(&m_olderRetryTimer, &QTimer::timeout, this, &ChatClient::requestOlderPage);
    m_olderRetryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_refreshRetryTimer, &QTimer::timeout, this, &ChatClient::requestRefreshPage);
    m_refreshRetryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_rateLimitTimer, &QTimer::timeout, this, &ChatClient::flushOutbox);
    // Every Natter client shows a degraded server (PROTOCOL.md 7, *Server status*).
    m_channel->setHelloFeature(Protocol::Feature::Status, true);
    connect(&m_historyRetryTimer, &QTimer::timeout, this, &ChatClient::requestHistoryPage);
    m_historyRetryTimer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire early: refused again
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Reconnecting)
            openSocket(tr("attempt %1 to %2").arg(m_policy->attempt()).arg(currentUrl().toDisplayString()));
    });
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        handleFailure(
            m_upgraded
                ? tr("no `connected` message after %1 ms (connect timeout)").arg(m_settings.connectTimeoutMs)
                : tr("no connection after %1 ms (connect timeout)").arg(m_settings.connectTimeoutMs));
    });
    // Only a session that stayed ready a while proves the server is healthy again: a server that
    // upgrades but never sends `connected` must not reset the backoff.
    connect(&m_uptimeTimer, &QTimer::timeout, this, [this] { m_policy->reset(); });
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Closing) {
            dropSocket();
            setState(State::Disconnected, tr("closed by the user (no close reply from the server)"));
        }
    });
    connect(m_latency, &LatencyMonitor::connectionDead, this, [this](qint64 silentMs) {
        handleFailure(tr("no pong for %1 ms: connection is dead").arg(silentMs));
    });
    connect(m_typing, &TypingTracker::typingChanged, this, &ChatClient::typingChanged);
    connect(m_channel, &SessionChannel::messageReceived, this, &ChatClient::onMessage);
    connect(m_channel, &SessionChannel::decodeFailed, this, &ChatClient::protocolError);
    connect(m_channel, &SessionChannel::bytesWritten, this, &ChatClient::onBytesWritten);
    connect(m_connectivity, &ConnectivityWatcher::networkRestored, this,
            [this] { retryAtOnce(tr("the network is back")); });
    connect(m_connectivity, &ConnectivityWatcher::wokeUp, this,
            [this](qint64 lateMs) { retryAtOnce(tr("woke from sleep (%1 s)").arg(lateMs / 1000)); });
    if (QCoreApplication::instance()) {
        connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, [this] {
            if (m_outbox->hasUnsavedChanges())
                m_outbox->saveNow();
        });
    }
}

ChatClient::~ChatClient()
{
    m_latency->stop();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
    // Sent-but-unacknowledged entries are written as queued, so they go out again next time.
    if (m_outbox->hasUnsavedChanges())
        m_outbox->saveNow();
}

ChatClient::State ChatClient::state() const
{
    return m_state;
}

QUrl ChatClient::url() const
{
    return m_url;
}

QList<QUrl> ChatClient::urls() const
{
    return m_urls;
}

QUrl ChatClient::currentUrl() const
{
    return m_urls.value(m_urlIndex, m_url);
}

QString ChatClient::username() const
{
    return m_username;
}

QString ChatClient::room() const
{
    return m_channel->room();
}

QString ChatClient::joinedRoom() const
{
    return m_channel->joinedRoom();
}

QString ChatClient::clientId() const
{
    return m_channel->serverInfo().clientId;
}

QStringList ChatClient::serverFeatures() const
{
    return m_channel->serverInfo().features;
}

bool ChatClient::hasFeature(const QString &feature) const
{
    return m_channel->hasFeature(feature);
}

const Protocol::Connected &ChatClient::serverInfo() const
{
    return m_channel->serverInfo();
}

SessionChannel *ChatClient::channel() const
{
    return m_channel;
}

int ChatClient::attempt() const
{
    return m_policy->attempt();
}

qint64 ChatClient::nextAttemptIn() const
{
    return m_state == State::Reconnecting && m_retryTimer.isActive() ? m_retryTimer.remainingTime() : -1;
}

bool ChatClient::isSessionReady() const
{
    return m_channel->isReady();
}

QStringList ChatClient::roomUsers() const
{
    return m_roster;
}

QString ChatClient::roomEpoch(const QString &room) const
{
    return m_seen.epoch(room);
}

qint64 ChatClient::lastSeq(const QString &room) const
{
    return m_seen.lastSeq(room);
}

const ChatClient::Settings &ChatClient::settings() const
{
    return m_settings;
}

void ChatClient::setReconnectSettings(int initialDelayMs, int maxDelayMs, double backoffFactor)
{
    m_settings.initialDelayMs = initialDelayMs;
    m_settings.maxDelayMs = maxDelayMs;
    m_settings.backoffFactor = backoffFactor;
    m_policy->setSettings(policySettings(m_settings)); // keeps the attempt count
}

void ChatClient::setLatencySettings(int pingIntervalMs, int pongTimeoutMs, int latencySamples)
{
    m_settings.pingIntervalMs = pingIntervalMs;
    m_settings.pongTimeoutMs = pongTimeoutMs;
    m_settings.latencySamples = latencySamples;
    m_latency->setInterval(pingIntervalMs); // a running ping timer restarts with it
    m_latency->setTimeout(pongTimeoutMs);
    m_latency->setSampleLimit(latencySamples);
}

bool ChatClient::isAccountsServer() const
{
    return m_channel->isOpen() && serverInfo().auth == Protocol::AuthMode::Accounts;
}

QString ChatClient::account() const
{
    return m_account;
}

QString ChatClient::token() const
{
    const bool sameServer =
        !m_url.isEmpty() && !m_tokenServer.isEmpty() &&
        TokenStore::normalizedServer(m_url) == TokenStore::normalizedServer(m_tokenServer);
    return sameServer ? m_token : QString();
}

void ChatClient::setToken(const QUrl &server, const QString &token)
{
    m_tokenServer = server;
    m_token = token;
}

Outbox *ChatClient::outbox() const
{
    return m_outbox;
}

LatencyMonitor *ChatClient::latency() const
{
    return m_latency;
}

TypingTracker *ChatClient::typing() const
{
    return m_typing;
}

ConnectivityWatcher *ChatClient::connectivity() const
{
    return m_connectivity;
}

QString ChatClient::stateName(State state)
{
    return EnumName::of(state);
}

QString ChatClient::defaultOutboxPath(const QUrl &url, const QString &username)
{
    // One outbox per user and server; the name stays readable but safe for any file system.
    const QByteArray key =
        url.adjusted(QUrl::StripTrailingSlash).toString().toUtf8() + '\n' + username.toUtf8();
    const QString hash =
        QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex().left(12));
    QString safeUser;
    for (const QChar c : username) {
        if (safeUser.size() < 32)
            safeUser +=
                (c.isLetterOrNumber() && c.unicode() < 128) || c == u'-' || c == u'_' ? c : QChar(u'_');
    }
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dir).filePath(QStringLiteral("outbox-%1-%2.json").arg(safeUser, hash));
}

void ChatClient::setState(State state, const QString &reason)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state, reason);
}

void ChatClient::connectToServer(const QUrl &url, const QString &username, const QString &room)
{
    connectToServer(QList<QUrl>{url}, username, room);
}

void ChatClient::connectToServer(const QList<QUrl> &urls, const QString &username, const QString &room)
{
    if (urls.isEmpty()) {
        emit requestRefused(tr("No server address"));
        return;
    }
    QList<QUrl> addresses;
    for (const QUrl &url : urls) {
        const bool validUrl = url.isValid() && !url.host().isEmpty() &&
                              (url.scheme() == QLatin1String("ws") || url.scheme() == QLatin1String("wss"));
        if (!validUrl) {
            emit requestRefused(tr("Not a WebSocket URL: \"%1\" (expected ws://host:port or wss://…)")
                                    .arg(url.toDisplayString()));
            return;
        }
        if (!addresses.contains(url))
            addresses.append(url);
    }
    const QUrl &url = addresses.first();
    const std::optional<QString> name = acceptedUsername(username);
    if (!name)
        return;
    QString roomName;
    if (!room.trimmed().isEmpty()) {
        const std::optional<QString> r = acceptedRoom(room);
        if (!r)
            return;
        roomName = *r;
    }

    m_retryTimer.stop();
    dropSocket();
    if (m_state == State::GaveUp)
        m_outbox->retryAll();
    if (url != m_url) {
        m_heldName.clear();
        m_nameToken.clear();
    }
    m_url = url;
    m_urls = addresses;
    m_urlIndex = 0;
    m_username = *name;
    announceUsername();
    m_channel->setRoom(roomName);
    m_outbox->setPath(m_settings.outboxPath.isEmpty() ? defaultOutboxPath(url, m_username)
                                                      : m_settings.outboxPath);
    m_userClosing = false;
    m_pendingLogin.reset();
    m_loginPath = false;
    m_policy->reset();
    openSocket(tr("connecting to %1").arg(url.toDisplayString()));
}

void ChatClient::openSocket(const QString &reason)
{
    Q_ASSERT(!m_socket);
    m_userClosing = false;
    m_closeFrameSeen = false;
    // A fresh socket per attempt: closeCode() and other state would otherwise leak across open().
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    socket->setMaxAllowedIncomingMessageSize(quint64(m_settings.maxIncomingMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(m_settings.maxIncomingMessageBytes));

    connect(socket, &QWebSocket::connected, this, [this, socket] {
        if (socket == m_socket)
            onSocketConnected();
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { onSocketDisconnected(socket); });
    // Qt 6.4 has no errorOccurred; a failed handshake emits only error() and leaves TCP open,
    // so every error ends this socket here (handleFailure aborts it).
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                if (socket != m_socket)
                    return;
                if (!m_upgraded && isUnauthorized(socket->errorString())) {
                    onUnauthorizedUpgrade();
                    return;
                }
                if (!m_upgraded && isBusy(socket->errorString())) {
                    retryWhenLessBusy(tr("the server is busy (503)"), 0);
                    return;
                }
                handleFailure(m_upgraded ? tr("connection lost: %1").arg(socket->errorString())
                                         : tr("cannot connect: %1").arg(socket->errorString()));
            });
    // Emitted when a close frame is processed or we close; not for an abrupt TCP drop.
    connect(socket, &QWebSocket::aboutToClose, this, [this, socket] {
        if (socket == m_socket)
            m_closeFrameSeen = true;
    });
    m_channel->attach(socket);
    // Direct, because ignoreSslErrors() only counts while the handshake waits on this signal.
    // Never ignore errors wholesale: only for a certificate the user explicitly trusted.
    connect(
        socket, &QWebSocket::sslErrors, this,
        [this, socket](const QList<QSslError> &errors) {
            if (socket != m_socket)
                return;
            const QSslCertificate peer = socket->sslConfiguration().peerCertificate();
            if (!peer.isNull() && m_trustedCertificates.contains(peer.digest(QCryptographicHash::Sha256))) {
                socket->ignoreSslErrors(errors);
                return;
            }
            m_rejectedCertificate = peer;
            m_rejectedErrors.clear();
            for (const QSslError &e : errors)
                m_rejectedErrors.append(e.errorString());
        },
        Qt::DirectConnection);

    QUrl url = currentUrl();
    if (m_loginPath)
        url.setPath(QStringLiteral("/login"));
    QNetworkRequest request(url);
    // The token logs in at the upgrade (PROTOCOL.md 2); never on /login, which takes a password.
    m_tokenInUpgrade = !m_loginPath && !token().isEmpty();
    if (m_tokenInUpgrade)
        request.setRawHeader("Authorization", "Bearer " + token().toLatin1());
    setState(State::Connecting, reason);
    m_connectTimer.start(m_settings.connectTimeoutMs);
    socket->open(request);
}

void ChatClient::dropSocket()
{
    m_connectTimer.stop();
    m_uptimeTimer.stop();
    m_closeTimer.stop();
    m_rateLimitTimer.stop(); // a new connection starts with full buckets
    m_nameRetryTimer.stop(); // the next connection asks for the name anyway
    m_pacedMs = 0;
    setServerStatus(true, {}); // the next server (or node) says again if it is degraded
    // The rejoin asks again from the last page's end (SeenMessages has every message up to it).
    m_historyFetch.reset();
    m_historyRetryTimer.stop();
    m_olderRequest.reset();
    m_olderRetryTimer.stop();
    m_refreshRequest.reset();
    m_refreshRetryTimer.stop();
    m_behindRoom.clear();
    m_latency->stop();
    // The channel lets go first, so nothing the dying socket still emits reaches a feature.
    m_channel->close();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        // Disconnect first: abort() emits disconnected() synchronously.
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_unwritten.clear();
    m_outbox->requeueSent();
    m_usernameAcked = false;
    m_upgraded = false;
    m_helloSent = false;
    m_account.clear();
    m_authSent = AuthSent::Nothing;
    m_typing->clear();
}

void ChatClient::handleFailure(const QString &reason)
{
    if (m_state == State::Connecting && !m_rejectedErrors.isEmpty()) {
        // Retrying cannot make an untrusted certificate trusted: stop and let the user decide.
        // Queued messages stay queued for when they do.
        const QSslCertificate certificate = std::exchange(m_rejectedCertificate, QSslCertificate());
        const QStringList errors = std::exchange(m_rejectedErrors, {});
        dropSocket();
        setState(State::GaveUp,
                 tr("the server's certificate is not trusted: %1").arg(errors.join(QStringLiteral("; "))));
        emit certificateRejected(certificate, errors);
        return;
    }
    switch (m_state) {
    case State::Connecting:
    case State::Authenticating:
    case State::Connected:
        dropSocket();
        scheduleReconnect(reason);
        break;
    case State::Closing:
        dropSocket();
        setState(State::Disconnected, tr("closed by the user"));
        break;
    case State::Disconnected:
    case State::Reconnecting:
    case State::GaveUp:
    case State::LoginRequired:
        // A second error/disconnected for a socket already handled: nothing to do.
        break;
    }
}

void ChatClient::scheduleReconnect(const QString &reason)
{
    const std::optional<int> delay = m_policy->nextDelay();
    if (!delay) {
        const QString why = tr("%1; gave up after %2 attempts").arg(reason).arg(m_policy->attempt());
        m_outbox->failPending(tr("not delivered: gave up reconnecting"));
        setState(State::GaveUp, why);
        return;
    }
    nextUrl();
    m_retryTimer.start(*delay);
    setState(State::Reconnecting,
             tr("%1; attempt %2 in %3 ms").arg(reason).arg(m_policy->attempt()).arg(*delay));
    emit reconnectScheduled(m_policy->attempt(), *delay);
}

void ChatClient::retryWhenLessBusy(const QString &reason, qint64 retryAfterMs)
{
    if (m_state != State::Connecting && m_state != State::Authenticating && m_state != State::Connected) {
        handleFailure(reason); // closing, or this failure was handled already
        return;
    }
    dropSocket();
    // "Come back later" is no fault: it never counts towards giving up. The wait is at least the
    // server's, stretched by up to half again at random so that a refused crowd is spread out.
    const qint64 base =
        std::clamp<qint64>(qMax(retryAfterMs, qint64(m_settings.busyRetryMs)), 0, 3600 * 1000);
    const qint64 delay = base + qint64(QRandomGenerator::global()->bounded(double(base) / 2));
    nextUrl(); // another node may have room
    m_retryTimer.start(int(delay));
    setState(State::Reconnecting, tr("%1; retrying in %2 ms").arg(reason).arg(delay));
    emit reconnectScheduled(m_policy->attempt(), delay);
}

void ChatClient::nextUrl()
{
    // Round robin; the nodes of one deployment share accounts, so /login (m_loginPath) and the
    // token hold on each.
    if (!m_urls.isEmpty())
        m_urlIndex = (m_urlIndex + 1) % int(m_urls.size());
}

void ChatClient::retryAtOnce(const QString &reason)
{
    switch (m_state) {
    case State::Reconnecting:
    case State::GaveUp:
        m_retryTimer.stop();
        if (m_state == State::GaveUp)
            m_outbox->retryAll();
        m_policy->reset();
        openSocket(reason);
        break;
    case State::Connected:
    case State::Authenticating:
        // The connection may not have survived; an early ping finds out sooner.
        m_latency->pingNow();
        break;
    default:
        break;
    }
}

void ChatClient::reconnectNow()
{
    if (m_url.isEmpty())
        return;
    switch (m_state) {
    case State::Reconnecting:
        m_retryTimer.stop();
        openSocket(tr("attempt %1 to %2 (reconnect now)")
                       .arg(m_policy->attempt())
                       .arg(currentUrl().toDisplayString()));
        break;
    case State::GaveUp:
    case State::Disconnected:
    case State::LoginRequired:
        if (m_state == State::GaveUp)
            m_outbox->retryAll();
        m_policy->reset();
        openSocket(tr("reconnecting to %1 (reconnect now)").arg(currentUrl().toDisplayString()));
        break;
    case State::Connected:
    case State::Authenticating:
        dropSocket();
        openSocket(tr("reconnecting to %1 (reconnect now)").arg(currentUrl().toDisplayString()));
        break;
    case State::Connecting:
    case State::Closing:
        break;
    }
}

void ChatClient::disconnectFromServer()
{
    m_retryTimer.stop();
    m_userClosing = true;
    m_policy->reset();
    m_pendingLogin.reset();
    switch (m_state) {
    case State::Connected:
    case State::Authenticating:
        setState(State::Closing, tr("disconnecting at the user's request"));
        m_latency->stop();
        m_channel->stopSending(); // what arrives before the close reply (acks) still counts
        m_closeTimer.start(m_settings.closeTimeoutMs);
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, tr("user disconnected"));
        break;
    case State::Connecting:
        dropSocket();
        setState(State::Disconnected, tr("connection attempt cancelled by the user"));
        break;
    case State::Reconnecting:
    case State::GaveUp:
    case State::LoginRequired:
        setState(State::Disconnected, tr("disconnected by the user"));
        break;
    case State::Disconnected:
    case State::Closing:
        break;
    }
    if (m_outbox->hasUnsavedChanges())
        m_outbox->saveNow();
}

void ChatClient::onSocketConnected()
{
    // Still Connecting: the connect timer runs until the server's `connected` message, which
    // says whether a login comes first.
    m_upgraded = true;
}

void ChatClient::onSocketDisconnected(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    if (m_state == State::Closing || m_userClosing) {
        dropSocket();
        setState(State::Disconnected, tr("closed by the user"));
        return;
    }
    // closeCode() alone lies (it is 1000 after an abrupt drop): it counts only if a close frame
    // actually arrived from the server.
    const auto code = socket->closeCode();
    // Qt itself closes with 1001 when an incoming frame stalls for 5 s; that is no server goodbye.
    const bool stalled =
        socket->closeReason() ==
        QCoreApplication::translate("QWebSocketDataProcessor", "Timeout when reading data from socket.");
    const bool normal = !stalled && (code == QWebSocketProtocol::CloseCodeNormal ||
                                     code == QWebSocketProtocol::CloseCodeGoingAway);
    const bool inConnection = m_state == State::Connected || m_state == State::Authenticating;
    if (inConnection && m_closeFrameSeen && int(code) == Protocol::CloseSessionEnded) {
        // The password was changed or the account removed: the token is dead, retrying is not.
        m_token.clear();
        dropSocket();
        m_policy->reset();
        requireLogin(LoginProblem::SessionEnded,
                     tr("the server ended your session (the password was changed or the account removed)"));
        return;
    }
    if (inConnection && m_closeFrameSeen && int(code) == Protocol::CloseNameTakenOver) {
        // Our own newer connection (another window, or this one come back) has the name now:
        // reconnecting would only take it back from there.
        const QString why = tr("the name %1 was taken over by a newer connection").arg(m_heldName);
        m_nameToken.clear();
        dropSocket();
        m_policy->reset();
        setState(State::Disconnected, why);
        return;
    }
    if (m_closeFrameSeen && int(code) == CloseTryAgainLater) {
        retryWhenLessBusy(tr("the server is busy (%1)").arg(describeClose(socket)),
                          retryAfterInReason(socket->closeReason()));
        return;
    }
    if (inConnection && m_closeFrameSeen && normal) {
        const QString why = tr("the server closed the connection (%1)").arg(describeClose(socket));
        dropSocket();
        m_policy->reset();
        setState(State::Disconnected, why);
        return;
    }
    handleFailure(m_closeFrameSeen ? tr("connection closed (%1)").arg(describeClose(socket))
                                   : tr("connection lost"));
}

void ChatClient::onMessage(const Protocol::ServerMessage &message)
{
    std::visit([this](const auto &m) { handle(m); }, message);
}

void ChatClient::onBytesWritten()
{
    // Base server: no acks, so an entry is done once the socket has written it out.
    if (!m_unwritten.isEmpty() && m_channel->bytesToWrite() == 0) {
        const QList<QString> written = std::exchange(m_unwritten, {});
        for (const QString &id : written)
            m_outbox->markWritten(id);
    }
}

bool ChatClient::send(const Protocol::ClientMessage &message)
{
    return m_state == State::Connected && m_channel->sendControl(message);
}

bool ChatClient::inSession() const
{
    return m_state == State::Connected && m_channel->isOpen();
}

void ChatClient::handle(const Protocol::Connected &m)
{
    if (m_channel->isOpen())
        return; // a second `connected` on one connection means nothing
    m_channel->open(m);
    m_connectTimer.stop();
    const bool accounts = m.auth == Protocol::AuthMode::Accounts;
    if (accounts && !m.username.isEmpty() && m_tokenInUpgrade) {
        // The token in the upgrade did it (a `username` without one is no login of ours).
        m_account = m.username;
        m_username = m.username;
        emit authenticated(m_account, token(), 0);
    }
    if (accounts && m_account.isEmpty()) {
        setState(State::Authenticating, tr("logging in to %1").arg(m_url.toDisplayString()));
        // `hello` is answered before `auth` (PROTOCOL.md 2); /login takes nothing but `auth`.
        if (!m_loginPath)
            sendHello();
        authenticate();
        if (m_state == State::Authenticating && !m_loginPath)
            m_latency->start(); // a server that hangs in the login is found dead like any other
        return;
    }
    enterSession();
}

void ChatClient::sendHello()
{
    m_helloSent = m_channel->sendControl(
        Protocol::Hello{QStringLiteral("natter/" NATTER_VERSION), m_channel->helloFeatures()});
}

void ChatClient::enterSession()
{
    setState(State::Connected, tr("connected to %1").arg(currentUrl().toDisplayString()));
    emit connectedToServer(serverInfo());
    startSession();
    // Pings only after the session messages, so those are the first thing the server sees.
    if (m_channel->isOpen() && !m_latency->isRunning())
        m_latency->start();
}

void ChatClient::authenticate()
{
    if (m_pendingLogin) {
        m_authSent = AuthSent::Password;
        m_channel->sendControl(
            Protocol::Auth{m_username, m_pendingLogin->password, m_pendingLogin->createAccount, {}});
    } else if (!token().isEmpty() && !m_loginPath) {
        // A token the upgrade did not accept: a proxy may have dropped the header, so `auth` once.
        m_authSent = AuthSent::Token;
        m_channel->sendControl(Protocol::Auth{{}, {}, false, token()});
    } else {
        const bool hadToken = !token().isEmpty();
        m_token.clear();
        dropSocket();
        if (hadToken)
            requireLogin(LoginProblem::TokenRejected,
                         tr("your session on %1 has expired: log in again").arg(m_url.toDisplayString()));
        else
            requireLogin(LoginProblem::NoCredentials,
                         tr("%1 needs you to log in").arg(m_url.toDisplayString()));
    }
}

void ChatClient::onUnauthorizedUpgrade()
{
    // --auth-at-handshake refused the upgrade: no token, or one the server no longer knows.
    const bool hadToken = !m_loginPath && !token().isEmpty();
    if (hadToken)
        m_token.clear();
    if (m_pendingLogin && !m_loginPath) {
        // The password goes to the one path such a server lets in without a token.
        dropSocket();
        m_loginPath = true;
        openSocket(tr("logging in to %1").arg(m_url.toDisplayString()));
        return;
    }
    dropSocket();
    m_loginPath = false;
    if (m_pendingLogin) {
        m_pendingLogin.reset();
        requireLogin(LoginProblem::WrongCredentials, tr("the server refused the login"));
    } else if (hadToken) {
        requireLogin(LoginProblem::TokenRejected,
                     tr("your session on %1 has expired: log in again").arg(m_url.toDisplayString()));
    } else {
        requireLogin(LoginProblem::NoCredentials, tr("%1 needs you to log in").arg(m_url.toDisplayString()));
    }
}

void ChatClient::requireLogin(LoginProblem problem, const QString &reason, qint64 retryAfterMs)
{
    m_retryTimer.stop();
    m_policy->reset();
    setState(State::LoginRequired, reason);
    emit loginRequired(problem, reason, retryAfterMs);
}

void ChatClient::handle(const Protocol::AuthOk &m)
{
    if (m_state != State::Authenticating)
        return; // not asked for: nothing to take from it
    m_pendingLogin.reset();
    m_authSent = AuthSent::Nothing;
    m_tokenServer = m_url;
    m_token = m.token;
    m_account = m.username;
    m_username = m.username;
    emit authenticated(m_account, m_token, m.expiresAt);
    if (m_loginPath) {
        // The session goes on on this connection; reconnects present the token at the upgrade.
        m_loginPath = false;
    }
    enterSession();
}

void ChatClient::handle(const Protocol::ServerStatus &m)
{
    setServerStatus(m.isOk(), m.reason);
}

void ChatClient::setServerStatus(bool ok, const QString &reason)
{
    if (ok == !m_serverDegraded && reason == m_serverStatusReason)
        return;
    m_serverDegraded = !ok;
    m_serverStatusReason = ok ? QString() : reason;
    emit serverStatusChanged(ok, m_serverStatusReason);
}

void ChatClient::handle(const Protocol::LoggedOut &)
{
    m_token.clear();
    m_pendingLogin.reset();
    // The server closes with 1000 next; there is nothing more to wait for.
    dropSocket();
    m_policy->reset();
    setState(State::Disconnected, tr("logged out"));
    emit loggedOut();
}

void ChatClient::onAuthError(const Protocol::Error &m)
{
    using Code = Protocol::ErrorCode;
    const auto is = [&m](Code code) {
        return m.code == Protocol::errorCodeName(code);
    };
    const AuthSent sent = std::exchange(m_authSent, AuthSent::Nothing);
    const bool creating = m_pendingLogin && m_pendingLogin->createAccount;
    m_pendingLogin.reset(); // one answer per password: never sent again without the user
    LoginProblem problem = LoginProblem::WrongCredentials;
    QString reason = tr("wrong user name or password");
    if (is(Code::AuthFailed) && m.retryAfterMs > 0) {
        problem = LoginProblem::RetryLater;
        // Too many failures, or too many logins at once: either way, the server's words.
        reason = tr("%1: try again in %n s", nullptr, int(std::ceil(double(m.retryAfterMs) / 1000)))
                     .arg(m.message);
    } else if (is(Code::AuthFailed) && sent == AuthSent::Token) {
        m_token.clear();
        problem = LoginProblem::TokenRejected;
        reason = tr("your session on %1 has expired: log in again").arg(m_url.toDisplayString());
    } else if (is(Code::RegistrationClosed)) {
        problem = LoginProblem::RegistrationClosed;
        reason = tr("this server does not let anyone create an account");
    } else if (is(Code::NameTaken) && creating) {
        problem = LoginProblem::NameTaken;
        reason = tr("the name %1 already has an account").arg(m_username);
    } else if (is(Code::InvalidName)) {
        problem = LoginProblem::InvalidName;
        reason = tr("the server does not accept this user name: %1").arg(m.message);
    } else if (is(Code::BadField) && creating) {
        problem = LoginProblem::InvalidPassword;
        reason = tr("a password has 1 to 1,024 bytes");
    } else if (!is(Code::AuthFailed)) {
        reason = tr("the server refused the login: %1").arg(m.message);
    }
    dropSocket();
    requireLogin(problem, reason, is(Code::AuthFailed) ? m.retryAfterMs : 0);
}

void ChatClient::logIn(const QString &username, const QString &password, bool createAccount)
{
    if (m_url.isEmpty()) {
        emit requestRefused(tr("No server to log in to"));
        return;
    }
    const std::optional<QString> name = acceptedUsername(username);
    if (!name)
        return;
    if (password.isEmpty()) {
        emit requestRefused(tr("Enter a password"));
        return;
    }
    if (m_state == State::Connected) {
        emit requestRefused(tr("Already logged in as %1").arg(m_account));
        return;
    }
    m_username = *name;
    announceUsername();
    m_pendingLogin = PendingLogin{password, createAccount};
    if (m_state == State::Authenticating && m_authSent == AuthSent::Nothing) {
        authenticate();
        return;
    }
    m_retryTimer.stop();
    dropSocket();
    m_userClosing = false;
    m_policy->reset();
    openSocket(tr("logging in to %1").arg(m_url.toDisplayString()));
}

void ChatClient::logOut()
{
    m_pendingLogin.reset();
    if (inSession() && !m_account.isEmpty()) {
        send(Protocol::Logout{}); // loggedOut and a close follow
        return;
    }
    m_token.clear();
    if (m_state == State::Authenticating) {
        dropSocket();
        setState(State::Disconnected, tr("logged out"));
    }
    emit loggedOut();
}

void ChatClient::startSession()
{
    // Restore the session before anything else goes out; the server handles messages in order,
    // so the joinRoom can follow setUsername at once.
    if (!serverFeatures().isEmpty() && !m_helloSent)
        sendHello();
    if (m_username.isEmpty())
        return;
    send(setUsernameMessage(m_username));
    if (!room().isEmpty())
        sendJoin(room());
}

void ChatClient::setSessionReady()
{
    if (m_channel->isReady())
        return;
    m_uptimeTimer.start(m_settings.minUptimeMs);
    m_channel->setReady(true);
    emit sessionRestored();
}

void ChatClient::sendJoin(const QString &room)
{
    // A join replaces any paging through the room before: its answer starts again.
    m_historyFetch.reset();
    m_historyRetryTimer.stop();
    m_olderRequest.reset();
    m_olderRetryTimer.stop();
    m_refreshRequest.reset();
    m_refreshRetryTimer.stop();
    Protocol::JoinRoom join{room, std::nullopt, {}};
    if (hasFeature(Protocol::Feature::History) && !m_seen.knowsRoom(room))
        seedFromCache(room);
    if (hasFeature(Protocol::Feature::History) && m_seen.knowsRoom(room)) {
        join.since = m_seen.lastSeq(room);
        join.epoch = m_seen.epoch(room);
    }
    m_lastJoin = join;
    send(join);
}

Protocol::SetUsername ChatClient::setUsernameMessage(const QString &name) const
{
    // The token takes the name back from our own old connection the server may still think alive.
    const bool ours = !m_nameToken.isEmpty() && Protocol::sameName(name, m_heldName);
    return Protocol::SetUsername{name, ours ? m_nameToken : QString()};
}

void ChatClient::handle(const Protocol::UsernameSet &m)
{
    m_usernameAcked = true;
    m_username = m.username;
    m_heldName = m.username;
    m_nameToken = m.nameToken;
    announceUsername();
    if (room().isEmpty())
        setSessionReady();
}

void ChatClient::handle(const Protocol::RoomJoined &m)
{
    // An answer to a join the user has since replaced (another joinRoom or a leaveRoom is on its
    // way): still shown, but the session does not count as being in that room.
    // The server names the room as its creator spelled it ("General" for our "general").
    const bool stale = !Protocol::sameName(m.room, room());
    if (!stale) {
        // From now on the room is called what the server calls it, in the outbox too.
        m_channel->setRoom(m.room);
        m_channel->setJoinedRoom(m.room);
    }
    m_typing->clear();
    m_seen.joining(m.room, m.epoch, m.lastSeq);
    setRoster(m.users ? *m.users : QStringList{m_username});
    // History is delivered once, here, holding only what was not seen before. Our own messages
    // in it are acks that were lost with a connection: they are acknowledged only after
    // roomJoined, so that whoever shows the room shows them (still in the outbox) first.
    Protocol::RoomJoined joined = m;
    QList<Protocol::ChatMessage> own;
    // All of it, our own too: the cache keeps the room as the server holds it (and a new epoch
    // there drops what it held of the old one).
    cacheMessages(m.room, m.epoch, m.history.value_or(QList<Protocol::ChatMessage>{}));
    if (joined.history)
        joined.history = unseen(*joined.history, m.room, &own);
    m_historyFetch.reset();
    if (!stale && m.historyMore) {
        if (m.history && !m.history->isEmpty()) {
            m_historyFetch = HistoryFetch{m.room, m.epoch, m.history->constLast().seq};
        } else if (m_lastJoin.since) {
            // Over the server's history budget the join came without its page: ask from where it would start.
            m_historyFetch = HistoryFetch{m.room, m_lastJoin.epoch, *m_lastJoin.since};
        } else {
            // ... or, for a first join, the recent messages it would have carried.
            const qint64 recentFrom = m.lastSeq.value_or(0) - qMin(m_channel->serverInfo().historyLimit, 50);
            m_historyFetch = HistoryFetch{m.room, m.epoch, qMax<qint64>(0, recentFrom)};
        }
    } else if (m.lastSeq && !m.historyMore) {
        m_seen.caughtUp(m.room, *m.lastSeq);
    }
    if (!stale) {
        m_behindRoom = m_historyFetch ? m.room : QString();
        startRefresh(m); // before anything a slot of roomJoined asks: answers come in order
    }
    emit roomJoined(joined);
    acknowledgeOwn(own);
    if (m_historyFetch)
        requestHistoryPage();
    if (stale)
        return;
    if (m_usernameAcked)
        setSessionReady();
    flushOutbox();
}

QList<Protocol::ChatMessage> ChatClient::unseen(const QList<Protocol::ChatMessage> &history,
                                                const QString &room, QList<Protocol::ChatMessage> *own)
{
    QList<Protocol::ChatMessage> fresh;
    fresh.reserve(history.size());
    for (Protocol::ChatMessage message : history) {
        if (message.room.isEmpty())
            message.room = room;
        if (isOwn(message))
            own->append(std::move(message));
        else if (m_seen.isNew(message))
            fresh.append(std::move(message));
    }
    return fresh;
}

void ChatClient::acknowledgeOwn(const QList<Protocol::ChatMessage> &own)
{
    for (const Protocol::ChatMessage &message : own) {
        m_seen.own(message.room, message.seq, message.id);
        m_outbox->acknowledge(message.id, message.seq, message.timestamp);
    }
}

void ChatClient::handle(const Protocol::HistoryPage &m)
{
    // Only the page asked for last: one for a room since left, or from an earlier join, is stale.
    if (!isFetchingHistory(m.room))
        return;
    if (m.epoch != m_historyFetch->epoch) {
        // The room was created again while we paged: its numbering starts over.
        m_seen.joining(m.room, m.epoch, m.lastSeq);
        m_historyFetch->epoch = m.epoch;
    }
    Protocol::HistoryPage page = m;
    QList<Protocol::ChatMessage> own;
    cacheMessages(m.room, m.epoch, m.messages);
    page.messages = unseen(m.messages, m.room, &own);
    if (!m.more) {
        m_seen.caughtUp(m.room, m.lastSeq);
        m_behindRoom.clear();
    }
    emit historyReceived(page);
    acknowledgeOwn(own);
    if (isFetchingHistory(m.room)) // a slot may have left the room
        followHistory(m.room, m.epoch, m.messages, m.more);
}

void ChatClient::followHistory(const QString &room, const QString &epoch,
                               const QList<Protocol::ChatMessage> &page, bool more)
{
    if (!more || page.isEmpty()) {
        m_historyFetch.reset();
        return;
    }
    m_historyFetch = HistoryFetch{room, epoch, page.constLast().seq};
    requestHistoryPage();
}

void ChatClient::requestHistoryPage()
{
    if (m_historyFetch)
        send(Protocol::HistoryRequest{m_historyFetch->room, m_historyFetch->since, m_historyFetch->epoch});
}

bool ChatClient::isFetchingHistory(const QString &room) const
{
    return m_historyFetch && Protocol::sameName(m_historyFetch->room, room);
}

void ChatClient::handle(const Protocol::UserJoined &m)
{
    if (!joinedRoom().isEmpty() && m.room == joinedRoom()) {
        QStringList users = m_roster;
        users.append(m.user);
        setRoster(users);
    }
    emit userJoined(m);
}

void ChatClient::handle(const Protocol::UserLeft &m)
{
    if (!joinedRoom().isEmpty() && (m.room.isEmpty() || m.room == joinedRoom())) {
        QStringList users = m_roster;
        if (users.removeOne(m.user))
            setRoster(users);
        m_typing->userStopped(m.user);
    }
    emit userLeft(m);
}

void ChatClient::handle(const Protocol::ChatMessage &m)
{
    Protocol::ChatMessage copy = m;
    if (copy.room.isEmpty())
        copy.room = joinedRoom();
    if (isOwn(copy)) {
        // The server never sends our own message back live; if it does, it is the ack.
        m_seen.own(copy.room, copy.seq, copy.id);
        m_outbox->acknowledge(copy.id, copy.seq, copy.timestamp);
        if (Protocol::sameName(copy.room, joinedRoom()) &&
            !(copy.seq > 0 && !m_behindRoom.isEmpty() && Protocol::sameName(copy.room, m_behindRoom)))
            cacheMessages(joinedRoom(), m_seen.epoch(copy.room), {copy});
        return;
    }
    // While paging through this room's history, the pages bring it in order (the server holds
    // it, and the last page reaches at least this seq); taken now, it would hide the gap.
    if (copy.seq > 0 && !m_behindRoom.isEmpty() && Protocol::sameName(copy.room, m_behindRoom))
        return;
    if (!m_seen.isNew(copy))
        return;
    m_typing->userStopped(copy.user);
    // Only the joined room's: a live message claiming another room has no place in its numbering.
    if (Protocol::sameName(copy.room, joinedRoom()))
        cacheMessages(joinedRoom(), m_seen.epoch(copy.room), {copy});
    emit messageReceived(copy);
}

void ChatClient::handle(const Protocol::UserTyping &m)
{
    if (m.room.isEmpty() || m.room == joinedRoom())
        m_typing->userTyping(m.user);
}

void ChatClient::handle(const Protocol::Error &m)
{
    if (m_state == State::Authenticating) {
        // Before `authOk` every error answers the `auth` (nothing else was sent but `hello`).
        onAuthError(m);
        return;
    }
    if (m.code == Protocol::errorCodeName(Protocol::ErrorCode::RateLimited) && !m.id.isEmpty() &&
        m_outbox->find(m.id)) {
        // Sending too fast. The server refuses every chat message until the retry time, so all
        // that is in flight comes back, in order, and goes again then: no resend storm.
        m_outbox->requeueSent();
        m_unwritten.clear();
        // From now on one message per that interval, until the outbox is empty: the pace the
        // server allows (the wait for one more message is what it just named).
        m_pacedMs = int(std::clamp<qint64>(m.retryAfterMs, 1, 24 * 3600 * 1000));
        m_rateLimitTimer.start(m_pacedMs);
        return;
    }
    if (m.code == Protocol::errorCodeName(Protocol::ErrorCode::StoreFailed) && !m.id.isEmpty() &&
        m_outbox->find(m.id)) {
        // The server could not store it (its disk, or its Redis, is away). It stays in the
        // outbox, with everything sent after it, and goes again when the server says: the
        // outbox drains once the server can store again.
        m_outbox->requeueSent();
        m_unwritten.clear();
        m_rateLimitTimer.start(int(std::clamp<qint64>(
            m.retryAfterMs > 0 ? m.retryAfterMs : DefaultStoreRetryMs, 1, 24 * 3600 * 1000)));
        return;
    }
    if (m.code == Protocol::errorCodeName(Protocol::ErrorCode::RateLimited) &&
        m.request == Protocol::typeName(Protocol::ClientMessage(Protocol::HistoryRequest{}))) {
        // Paging faster than the server's history budget: the same page again when it says. Only
        // ever about our own paging (one for a fetch a rejoin replaced is simply over).
        if (m_historyFetch)
            m_historyRetryTimer.start(int(std::clamp<qint64>(m.retryAfterMs, 1, 24 * 3600 * 1000)));
        return;
    }
    if (m.code == Protocol::errorCodeName(Protocol::ErrorCode::RateLimited) &&
        m.request == Protocol::typeName(Protocol::ClientMessage(Protocol::HistoryBefore{}))) {
        const int wait = int(std::clamp<qint64>(m.retryAfterMs, 1, 24 * 3600 * 1000));
        if (answersRefresh(nullptr)) {
            // Asked again once; a server still too busy then leaves the cache as it is.
            m_refreshRequest->sent = 0;
            if (std::exchange(m_refreshRequest->retried, true))
                m_refreshRequest.reset();
            else
                m_refreshRetryTimer.start(wait);
        } else if (m_olderRequest) {
            m_olderSent = 0;
            m_olderRetryTimer.start(wait);
        }
        return;
    }
    if (m.request == Protocol::typeName(Protocol::ClientMessage(Protocol::HistoryRequest{})) &&
        m_historyFetch) {
        // Any other refusal of a page ends the paging: live messages stop waiting for the gap.
        m_historyFetch.reset();
        m_historyRetryTimer.stop();
        m_behindRoom.clear();
        emit serverError(m);
        return;
    }
    if (m.request == Protocol::typeName(Protocol::ClientMessage(Protocol::HistoryBefore{})) &&
        answersRefresh(nullptr)) {
        m_refreshRequest.reset(); // the cache stays as it is, as when the server stays too busy
        return;
    }
    if (m.request == Protocol::typeName(Protocol::ClientMessage(Protocol::HistoryBefore{})) &&
        m_olderRequest) {
        // Any other refusal (not a member any more, a room the server does not know) is final.
        const QString room = std::exchange(m_olderRequest, std::nullopt)->room;
        m_olderRetryTimer.stop();
        emit serverError(m);
        emit olderHistoryRefused(room);
        return;
    }
    if (m.code == Protocol::errorCodeName(Protocol::ErrorCode::StoreFailed) &&
        m.request == Protocol::typeName(Protocol::ClientMessage(Protocol::SetUsername{}))) {
        // The server cannot hold names now (a cluster whose Redis is away): the name and the
        // join go again when it says, until it can.
        m_nameRetryTimer.start(int(std::clamp<qint64>(
            m.retryAfterMs > 0 ? m.retryAfterMs : DefaultStoreRetryMs, 1, 24 * 3600 * 1000)));
        return;
    }
    if (m.code == Protocol::errorCodeName(Protocol::ErrorCode::NoUsername) && m_nameRetryTimer.isActive())
        return; // the join behind the refused name: it goes again with it
    if (m.code == Protocol::errorCodeName(Protocol::ErrorCode::NameTaken)) {
        const QString refused = m_username;
        // The server kept the name this connection held; keep wanting that one on reconnects.
        if (m_usernameAcked)
            m_username = m_heldName;
        emit nameRefused(refused, tr("The name %1 is in use by someone else").arg(refused));
        return;
    }
    emit serverError(m);
}

void ChatClient::handle(const Protocol::Ack &m)
{
    // Only an ack for one of ours counts: it must neither grow what is remembered nor move a
    // room's seq on the server's say-so alone.
    const Outbox::Entry *entry = m_outbox->find(m.id);
    if (!entry || (!m.room.isEmpty() && !Protocol::sameName(entry->room, m.room)))
        return;
    // Our own message is part of the room's sequence: a later `since` must not bring it back.
    m_seen.own(m.room, m.seq, m.id);
    // Not while this room's history is still coming in pages: the page holding it caches it, in
    // order; cached now it would be the newest seq with a hole before it.
    const bool behind = !m_behindRoom.isEmpty() && Protocol::sameName(m_behindRoom, entry->room);
    if (m.seq > 0 && !behind && !joinedRoom().isEmpty() && Protocol::sameName(entry->room, joinedRoom())) {
        Protocol::ChatMessage mine;
        mine.user = m_username;
        mine.text = entry->text;
        mine.timestamp =
            m.timestamp > 0 ? m.timestamp : Protocol::nowMs(); // `timestamp` is optional in an ack
        mine.id = m.id;
        mine.seq = m.seq;
        mine.room = joinedRoom();
        cacheMessages(joinedRoom(), m_seen.epoch(m.room.isEmpty() ? joinedRoom() : m.room), {mine});
    }
    m_outbox->acknowledge(m.id, m.seq, m.timestamp);
}

void ChatClient::handle(const Protocol::RoomList &m)
{
    emit roomListReceived(m.rooms);
}

bool ChatClient::isOwn(const Protocol::ChatMessage &m) const
{
    // One of ours that the server has, in the room it was sent to (its ack was lost with a
    // connection, so history brings it back): it counts as the ack, not as someone's message.
    const Outbox::Entry *entry = m.id.isEmpty() ? nullptr : m_outbox->find(m.id);
    return entry && Protocol::sameName(entry->room, m.room);
}

void ChatClient::setCache(MessageCache *cache)
{
    m_cache = cache;
}

MessageCache *ChatClient::cache() const
{
    return m_cache;
}

QString ChatClient::cacheServer() const
{
    return MessageCache::serverKey(m_url);
}

void ChatClient::cacheMessages(const QString &room, const QString &epoch,
                               const QList<Protocol::ChatMessage> &messages)
{
    if (m_cache && m_cache->isOpen() && !room.isEmpty())
        m_cache->addMessages(cacheServer(), room, epoch, messages);
}

void ChatClient::handle(const Protocol::MessageEdited &m)
{
    cacheChange(m.room, m.seq, [&m](Protocol::ChatMessage &cached) {
        cached.text = m.text;
        cached.edited = m.edited;
        cached.mentions = m.mentions;
    });
    emit messageEdited(m);
}

void ChatClient::handle(const Protocol::MessageDeleted &m)
{
    cacheChange(m.room, m.seq,
                [&m](Protocol::ChatMessage &cached) { Protocol::makeTombstone(cached, m.deleted); });
    emit messageDeleted(m);
}

void ChatClient::handle(const Protocol::ReactionsChanged &m)
{
    cacheChange(m.room, m.seq, [&m](Protocol::ChatMessage &cached) { cached.reactions = m.reactions; });
    emit reactionsChanged(m);
}

void ChatClient::cacheChange(const QString &room, qint64 seq,
                             const std::function<void(Protocol::ChatMessage &)> &apply)
{
    // Only the joined room's changes are the server's word on a message the cache numbers.
    if (!m_cache || !m_cache->isOpen() || room.isEmpty() || !Protocol::sameName(room, joinedRoom()))
        return;
    const QString server = cacheServer();
    const QList<Protocol::ChatMessage> found = m_cache->around(server, joinedRoom(), seq, 0);
    if (found.isEmpty() || found.constLast().seq != seq)
        return; // not cached: history brings it in its current form when it is read
    Protocol::ChatMessage changed = found.constLast();
    apply(changed);
    cacheMessages(joinedRoom(), m_seen.epoch(joinedRoom()), {changed});
}

void ChatClient::seedFromCache(const QString &room)
{
    if (!m_cache || !m_cache->isOpen())
        return;
    // The server spells the room as its creator did: the cache has it that way.
    const QString server = cacheServer();
    MessageCache::RoomSummary cached = m_cache->room(server, room);
    if (cached.count == 0) {
        for (const MessageCache::RoomSummary &r : m_cache->rooms(server)) {
            if (Protocol::sameName(r.room, room)) {
                cached = r;
                break;
            }
        }
    }
    // The newest cached seq: everything between it and the join that brought the run before it is
    // cached too (pages come in order, nothing live while behind), so the server need send only
    // what follows. A gap further back (messages the server no longer held, or never sent before
    // a first join's recent page) is for scrolling back (requestOlder) to fill, not this join:
    // asking from before it would fetch the whole room again at every start.
    if (cached.lastSeq <= 0)
        return;
    m_seen.joining(room, cached.epoch, std::nullopt);
    m_seen.caughtUp(room, cached.lastSeq);
}

bool ChatClient::requestOlder(const QString &room, qint64 beforeSeq, int limit)
{
    const QString joined = joinedRoom();
    if (!inSession() || !hasFeature(Protocol::Feature::HistoryBefore) || joined.isEmpty() ||
        !Protocol::sameName(room, joined) || beforeSeq <= 1 || beforeSeq > (qint64(1) << 53))
        return false;
    m_olderRequest = OlderRequest{joined, m_seen.epoch(joined), beforeSeq, std::clamp(limit, 1, 1000)};
    m_olderRetryTimer.stop();
    requestOlderPage();
    return true;
}

void ChatClient::requestOlderPage()
{
    if (!m_olderRequest)
        return;
    m_olderSent = ++m_beforeSends;
    send(Protocol::HistoryBefore{m_olderRequest->room, m_olderRequest->before, m_olderRequest->epoch});
}

void ChatClient::startRefresh(const Protocol::RoomJoined &joined)
{
    // Only a join that continued a numbering we hold: a first join brings messages as they are,
    // and a new epoch or a truncated history leaves nothing of ours that the server still has.
    const std::optional<qint64> since = m_lastJoin.since;
    if (!since || *since <= 0 || joined.historyTruncated || joined.epoch != m_lastJoin.epoch ||
        !Protocol::sameName(joined.room, m_lastJoin.room) || !m_cache || !m_cache->isOpen() ||
        !hasFeature(Protocol::Feature::HistoryBefore) || !hasFeature(Protocol::Feature::Conversation))
        return;
    if (m_cache->room(cacheServer(), joined.room).count == 0)
        return;
    // The join's history starts at since + 1 and is current: the page ends right before it.
    m_refreshRequest = RefreshRequest{joined.room, joined.epoch, *since + 1, 0, false};
    requestRefreshPage();
}

void ChatClient::requestRefreshPage()
{
    if (!m_refreshRequest || !inSession())
        return;
    m_refreshRequest->sent = ++m_beforeSends;
    send(Protocol::HistoryBefore{m_refreshRequest->room, m_refreshRequest->before, m_refreshRequest->epoch});
}

bool ChatClient::answersRefresh(const Protocol::HistoryBeforePage *page) const
{
    if (!m_refreshRequest || m_refreshRequest->sent == 0)
        return false;
    if (page &&
        (!Protocol::sameName(page->room, m_refreshRequest->room) || page->before != m_refreshRequest->before))
        return false;
    return !m_olderRequest || m_olderSent == 0 || m_refreshRequest->sent < m_olderSent;
}

void ChatClient::applyRefresh(const Protocol::HistoryBeforePage &page)
{
    const RefreshRequest request = *std::exchange(m_refreshRequest, std::nullopt);
    m_refreshRetryTimer.stop();
    const QString room = joinedRoom();
    // Taken only as the answer asked for: the joined room in the same numbering, contiguous and
    // ending at `before - 1`, like any older page. Anything else changes nothing.
    if (page.truncated || page.epoch != request.epoch || !Protocol::sameName(room, request.room) ||
        m_seen.epoch(room) != request.epoch || !m_cache || !m_cache->isOpen())
        return;
    for (qsizetype i = 0; i < page.messages.size(); ++i) {
        if (page.messages.at(i).seq != page.before - page.messages.size() + i)
            return;
    }
    // One page, however long a hostile server makes it: what a server page holds at most.
    const QList<Protocol::ChatMessage> fresh =
        page.messages.mid(qMax<qsizetype>(0, page.messages.size() - 100));
    if (fresh.isEmpty())
        return;
    const QString server = cacheServer();
    QHash<qint64, Protocol::ChatMessage> cached;
    const qint64 middle = (fresh.constFirst().seq + fresh.constLast().seq) / 2;
    for (const Protocol::ChatMessage &c : m_cache->around(server, room, middle, int(fresh.size() / 2 + 1)))
        cached.insert(c.seq, c);
    // Only messages the cache holds change (their conversation fields); the gaps are for
    // scrolling back to fill. Each change is announced as if it had come live.
    QList<Protocol::ChatMessage> changed;
    QList<Protocol::MessageDeleted> deletions;
    QList<Protocol::MessageEdited> edits;
    QList<Protocol::ReactionsChanged> reactions;
    for (const Protocol::ChatMessage &now : fresh) {
        const auto found = cached.constFind(now.seq);
        if (found == cached.constEnd() || found->deleted > 0)
            continue; // not ours to update, or deleted for good
        Protocol::ChatMessage c = *found;
        if (now.deleted > 0) {
            Protocol::makeTombstone(c, now.deleted);
            deletions.append(Protocol::MessageDeleted{room, now.seq, now.deleted});
        } else {
            const bool edited = now.text != c.text || now.edited != c.edited || now.mentions != c.mentions;
            const bool reacted = !sameReactions(now.reactions, c.reactions);
            if (!edited && !reacted)
                continue;
            if (edited) {
                c.text = now.text;
                c.edited = now.edited;
                c.mentions = now.mentions;
                edits.append(Protocol::MessageEdited{room, now.seq, now.text, now.edited, now.mentions});
            }
            if (reacted) {
                c.reactions = now.reactions;
                reactions.append(Protocol::ReactionsChanged{room, now.seq, now.reactions});
            }
        }
        changed.append(c);
    }
    cacheMessages(room, request.epoch, changed);
    for (const Protocol::MessageEdited &e : edits)
        emit messageEdited(e);
    for (const Protocol::MessageDeleted &d : deletions)
        emit messageDeleted(d);
    for (const Protocol::ReactionsChanged &r : reactions)
        emit reactionsChanged(r);
}

void ChatClient::handle(const Protocol::HistoryBeforePage &m)
{
    // Only the answer to the request in flight, and only if it is what was asked for: a hostile
    // or confused server must not put messages into a room's past that are not its past.
    if (answersRefresh(&m)) {
        applyRefresh(m);
        return;
    }
    if (!m_olderRequest || !Protocol::sameName(m.room, m_olderRequest->room))
        return;
    const OlderRequest request = *std::exchange(m_olderRequest, std::nullopt);
    m_olderRetryTimer.stop();
    Protocol::HistoryBeforePage page = m;
    page.room = request.room;
    if (m.truncated || m.epoch != request.epoch) {
        // Our seqs belong to an earlier life of the room: forget them, in the cache too, and
        // join again (PROTOCOL.md 2), which brings the room as it is now.
        page.messages.clear();
        page.truncated = true;
        page.more = false;
        cacheMessages(request.room, m.epoch, {});
        emit olderHistoryReceived(page);
        if (inSession() && Protocol::sameName(room(), request.room))
            sendJoin(room());
        return;
    }
    bool fits = m.before <= request.before;
    for (qsizetype i = 0; fits && i < m.messages.size(); ++i)
        fits = m.messages.at(i).seq == m.before - m.messages.size() + i;
    if (!fits) {
        emit protocolError(
            tr("The server sent older messages of %1 that do not end where they were asked for; "
               "ignored")
                .arg(request.room));
        emit olderHistoryRefused(request.room);
        return;
    }
    if (page.messages.size() > request.limit) {
        page.messages = page.messages.mid(page.messages.size() - request.limit);
        page.more = true;
    }
    for (Protocol::ChatMessage &message : page.messages)
        message.room = request.room;
    if (page.messages.isEmpty() || page.messages.constFirst().seq <= 1)
        page.more = false;
    cacheMessages(request.room, m.epoch, page.messages);
    emit olderHistoryReceived(page);
}

void ChatClient::setRoster(const QStringList &users)
{
    if (users == m_roster)
        return;
    m_roster = users;
    emit rosterChanged(m_roster);
}

void ChatClient::flushOutbox()
{
    const QString joined = joinedRoom();
    if (!m_socket || !m_channel->isReady() || joined.isEmpty() || m_rateLimitTimer.isActive())
        return;
    const bool acks = hasFeature(Protocol::Feature::Acks);
    // The server deduplicates ids for a limited time (PROTOCOL.md section 3), measured here from
    // the first send with a margin for the clocks: past it, resending could deliver twice.
    const qint64 window = m_channel->serverInfo().idWindowMs;
    if (acks && window > 0)
        m_outbox->failUnconfirmed(window - window / 10,
                                  tr("not confirmed by the server; it may have been delivered"));
    if (m_pacedMs > 0 && m_outbox->countInState(Outbox::DeliveryState::Queued) == 0) {
        m_pacedMs = 0; // all sent: back to full speed
        return;
    }
    int budget = m_pacedMs > 0 ? 1 : -1;
    m_outbox->sendQueued(joined, [this, acks, &budget](const Outbox::Entry &e) {
        if (budget == 0)
            return false;
        // A base server must not see extension fields, so the id goes only to servers with acks.
        const qint64 replyTo = hasFeature(Protocol::Feature::Conversation) ? e.replyTo : 0;
        if (!send(Protocol::SendChat{e.text, acks ? e.id : QString(), replyTo}))
            return false;
        --budget;
        if (!acks)
            m_unwritten.append(e.id);
        return true;
    });
    if (m_pacedMs > 0)
        m_rateLimitTimer.start(m_pacedMs);
}

QString ChatClient::sendMessage(const QString &text, qint64 replyTo)
{
    QString refusal;
    const qint64 bytes = text.toUtf8().size();
    if (text.trimmed().isEmpty())
        refusal = tr("An empty message is not sent");
    else if (bytes > Protocol::Limits{}.maxTextBytes)
        refusal = tr("The message is too long (%1 bytes; at most %2)")
                      .arg(bytes)
                      .arg(Protocol::Limits{}.maxTextBytes);
    else if (room().isEmpty())
        refusal = tr("Not in a room: join one first");
    QString id;
    if (refusal.isEmpty())
        id = m_outbox->add(room(), text, &refusal, replyTo);
    if (id.isEmpty()) {
        emit sendFailed(text, refusal);
        return {};
    }
    flushOutbox();
    return id;
}

bool ChatClient::editMessage(qint64 seq, const QString &text)
{
    if (seq <= 0 || text.trimmed().isEmpty() || !isSessionReady() ||
        !hasFeature(Protocol::Feature::Conversation))
        return false;
    return send(Protocol::EditMessage{seq, text});
}

bool ChatClient::deleteMessage(qint64 seq)
{
    if (seq <= 0 || !isSessionReady() || !hasFeature(Protocol::Feature::Conversation))
        return false;
    return send(Protocol::DeleteMessage{seq});
}

bool ChatClient::react(qint64 seq, const QString &emoji, bool add)
{
    if (seq <= 0 || Protocol::validateEmoji(emoji) || !isSessionReady() ||
        !hasFeature(Protocol::Feature::Conversation))
        return false;
    return send(Protocol::React{seq, emoji, add});
}

bool ChatClient::retryMessage(const QString &id)
{
    const Outbox::Entry *entry = m_outbox->find(id);
    if (!entry)
        return false;
    if (entry->state != Outbox::DeliveryState::Failed) {
        // Still queued: what it waits for is a connection, so "retry" means reconnect now.
        if (m_state != State::Connected)
            reconnectNow();
        return true;
    }
    if (!m_outbox->retry(id))
        return false;
    if (m_state == State::GaveUp)
        reconnectNow();
    else
        flushOutbox();
    return true;
}

bool ChatClient::discardMessage(const QString &id)
{
    return m_outbox->discard(id);
}

void ChatClient::notifyTyping()
{
    if (m_channel->isReady() && !joinedRoom().isEmpty() && m_typing->takeOutgoingSlot())
        send(Protocol::Typing{});
}

void ChatClient::trustCertificate(const QSslCertificate &certificate)
{
    if (!certificate.isNull())
        m_trustedCertificates.insert(certificate.digest(QCryptographicHash::Sha256));
}

void ChatClient::requestRoomList()
{
    // A base server answers listRooms with an error, so it is only asked of servers that have it.
    if (hasFeature(Protocol::Feature::Rooms))
        send(Protocol::ListRooms{});
}

void ChatClient::joinRoom(const QString &room)
{
    const std::optional<QString> r = acceptedRoom(room);
    if (!r)
        return;
    const QString wanted = *r;
    m_channel->setRoom(wanted);
    m_typing->clear();
    if (inSession() && !m_username.isEmpty()) {
        // Between rooms until roomJoined: nothing queued for the old room may go out now, the
        // server would deliver it to the new one.
        m_channel->setJoinedRoom({});
        sendJoin(wanted);
    }
}

void ChatClient::leaveRoom()
{
    const QString old = room();
    if (old.isEmpty()) {
        emit requestRefused(tr("Not in a room"));
        return;
    }
    m_channel->setRoom({});
    m_historyFetch.reset();
    m_historyRetryTimer.stop();
    m_olderRequest.reset();
    m_olderRetryTimer.stop();
    m_refreshRequest.reset();
    m_refreshRetryTimer.stop();
    m_behindRoom.clear();
    // Also while our join is still in flight: the server handles the two in order.
    if (inSession())
        send(Protocol::LeaveRoom{});
    m_channel->setJoinedRoom({});
    m_typing->clear();
    setRoster({});
    emit roomLeft(old);
}

void ChatClient::setUsername(const QString &username)
{
    const std::optional<QString> name = acceptedUsername(username);
    if (!name)
        return;
    const QString normalized = *name;
    if (inSession()) {
        // usernameChanged follows the server's usernameSet.
        m_username = normalized;
        send(setUsernameMessage(normalized));
        if (!room().isEmpty() && joinedRoom().isEmpty() && !m_usernameAcked)
            sendJoin(room());
    } else {
        m_username = normalized;
        announceUsername();
    }
}

std::optional<QString> ChatClient::acceptedName(const QString &raw, int maxChars, const QString &what)
{
    const auto name = Protocol::validateName(raw, maxChars, what);
    if (const auto *error = std::get_if<Protocol::DecodeError>(&name)) {
        emit requestRefused(error->message);
        return std::nullopt;
    }
    return std::get<QString>(name);
}

std::optional<QString> ChatClient::acceptedUsername(const QString &raw)
{
    return acceptedName(raw, Protocol::Limits{}.maxNameChars, QStringLiteral("username"));
}

std::optional<QString> ChatClient::acceptedRoom(const QString &raw)
{
    return acceptedName(raw, Protocol::Limits{}.maxRoomChars, QStringLiteral("room"));
}

void ChatClient::announceUsername()
{
    if (m_username == m_announcedUsername)
        return;
    m_announcedUsername = m_username;
    emit usernameChanged(m_username);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "clisession.h"

#include "chatclient.h"
#include "clicommand.h"
#include "clisearch.h"
#include "enumname.h"
#include "filetransfers.h"
#include "jsonlinewriter.h"
#include "latencymonitor.h"
#include "messagecache.h"
#include "outbox.h"
#include "tokenstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QScopedValueRollback>
#include <QSocketNotifier>

#include <cerrno>
#include <cstdlib>
#include <unistd.h>

namespace {
QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

// A message in the protocol's shape (what the server sent), in the room it belongs to.
QJsonObject messageFields(const Protocol::ChatMessage &m)
{
    QJsonObject o = Protocol::toJsonObject(m);
    o.remove(QLatin1String("type"));
    o.insert(QStringLiteral("room"), m.room);
    return o;
}

double round2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

QJsonObject transferFields(const TransferInfo &t)
{
    QJsonObject o{{QStringLiteral("id"), t.id},
                  {QStringLiteral("direction"), TransferInfo::directionName(t.direction)},
                  {QStringLiteral("state"), TransferInfo::stateName(t.state)},
                  {QStringLiteral("name"), t.name},
                  {QStringLiteral("size"), double(t.size)},
                  {QStringLiteral("done"), double(t.done)},
                  {QStringLiteral("bytesPerSecond"), std::round(t.bytesPerSecond)},
                  {QStringLiteral("room"), t.room}};
    if (!t.mimeType.isEmpty())
        o.insert(QStringLiteral("mimeType"), t.mimeType);
    if (t.direction == TransferInfo::Direction::Download)
        o.insert(QStringLiteral("user"), t.peer);
    if (!t.localPath.isEmpty())
        o.insert(QStringLiteral("path"), t.localPath);
    if (!t.error.isEmpty())
        o.insert(QStringLiteral("error"), t.error);
    return o;
}

int exitCodeFor(ChatClient::LoginProblem problem)
{
    using P = ChatClient::LoginProblem;
    switch (problem) {
    case P::NoCredentials:
    case P::TokenRejected:
    case P::SessionEnded:
        return CliExit::LoginNeeded;
    case P::WrongCredentials:
        return CliExit::WrongCredentials;
    case P::RetryLater:
        return CliExit::RetryLater;
    case P::RegistrationClosed:
    case P::NameTaken:
    case P::InvalidName:
    case P::InvalidPassword:
        return CliExit::RegistrationRefused;
    }
    return CliExit::LoginNeeded;
}

FileTransfers::Settings transferSettings(const CliOptions &options)
{
    FileTransfers::Settings s;
    s.progressIntervalMs = options.progressIntervalMs;
    s.maxIncomingBytes = options.maxDownloadBytes;
    // Without a download folder nothing is received: the server is told so and sends no file data.
    s.acceptIncoming = !options.downloadDir.isEmpty();
    return s;
}
} // namespace

CliSession::CliSession(const CliOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_client(new ChatClient(options.settings, this))
    , m_transfers(new FileTransfers(m_client->channel(), transferSettings(options), this))
    , m_out(new JsonLineWriter(STDOUT_FILENO, this))
    , m_tokens(new TokenStore(TokenStore::Policy::File, this))
    , m_tokenKey(TokenStore::key(options.url, options.user))
{
    m_transfers->setDownloadDir(options.downloadDir);
    if (!options.cachePath.isEmpty()) {
        m_cache = new MessageCache(this);
        connect(m_cache, &MessageCache::warning, this, [this](const QString &message) {
            emitEvent(QStringLiteral("warning"), {{QStringLiteral("message"), message}});
        });
        if (m_cache->open(options.cachePath)) {
            m_cache->setLimits(options.cacheLimits);
            m_client->setCache(m_cache);
        } else {
            emitEvent(QStringLiteral("warning"),
                      {{QStringLiteral("message"),
                        QStringLiteral("No message cache: %1").arg(m_cache->errorString())}});
        }
    }
    if (!options.tokenDir.isEmpty())
        m_tokens->setDirectory(options.tokenDir);
    connect(m_tokens, &TokenStore::tokenLoaded, this, [this](const QString &, const QString &token) {
        if (!m_tokenLoading)
            return;
        m_storedToken = token;
        m_client->setToken(m_options.url, token);
        connectToServer();
    });
    connect(m_tokens, &TokenStore::tokenMissing, this, [this] {
        if (m_tokenLoading)
            connectToServer();
    });
    connect(m_tokens, &TokenStore::saved, this, &CliSession::onTokenStored);
    connect(m_tokens, &TokenStore::removed, this, &CliSession::onTokenStored);
    connect(m_tokens, &TokenStore::failed, this, [this](const QString &, const QString &reason) {
        emitEvent(QStringLiteral("warning"), {{QStringLiteral("message"), reason}});
        if (m_tokenLoading)
            connectToServer(); // without a token: the password, if any, logs in
        else
            onTokenStored();
    });
    for (const QSslCertificate &certificate : options.trustedCertificates)
        m_client->trustCertificate(certificate);
    m_flushDeadline.setSingleShot(true);
    connect(&m_flushDeadline, &QTimer::timeout, this, [this] {
        m_outboxTimedOut = true;
        checkFinish();
    });
    m_transferStall.setSingleShot(true);
    connect(&m_transferStall, &QTimer::timeout, this, &CliSession::checkTransferStall);
    connect(m_transfers, &FileTransfers::transferAdded, this, &CliSession::onTransferEvent);
    connect(m_transfers, &FileTransfers::transferChanged, this, &CliSession::onTransferEvent);
    connect(m_transfers, &FileTransfers::transferFinished, this, [this] { checkFinish(); });
    connect(m_transfers, &FileTransfers::sendRefused, this,
            [this](const QString &path, const QString &reason) {
                emitEvent(QStringLiteral("transferRefused"),
                          {{QStringLiteral("path"), path}, {QStringLiteral("reason"), reason}});
            });
    connect(m_transfers, &FileTransfers::relayError, this,
            [this](const QString &message) { emitError(QStringLiteral("protocol"), message); });

    ChatClient *c = m_client;
    connect(c, &ChatClient::stateChanged, this, [this](ChatClient::State state, const QString &reason) {
        QJsonObject o{{QStringLiteral("state"), ChatClient::stateName(state)},
                      {QStringLiteral("reason"), reason}};
        // The node in use, or the one the next attempt goes to (several --url).
        if (!m_client->currentUrl().isEmpty())
            o.insert(QStringLiteral("url"), m_client->currentUrl().toString());
        if (state == ChatClient::State::Reconnecting) {
            o.insert(QStringLiteral("attempt"), m_client->attempt());
            o.insert(QStringLiteral("nextAttemptMs"), double(m_client->nextAttemptIn()));
        }
        emitEvent(QStringLiteral("state"), o);
        if (m_logout == Logout::Waiting || m_logout == Logout::Sent)
            QMetaObject::invokeMethod(this, &CliSession::advanceLogout, Qt::QueuedConnection);
        checkFinish();
    });
    connect(c, &ChatClient::connectedToServer, this, [this](const Protocol::Connected &m) {
        emitEvent(QStringLiteral("connected"),
                  {{QStringLiteral("clientId"), m.clientId},
                   {QStringLiteral("server"), m.server},
                   {QStringLiteral("features"), toArray(m.features)},
                   {QStringLiteral("auth"), m.auth.isEmpty() ? Protocol::AuthMode::Open : m.auth}});
    });
    connect(c, &ChatClient::serverStatusChanged, this, [this](bool ok, const QString &reason) {
        // Degraded: the server stores nothing new; sent messages wait in the outbox meanwhile.
        QJsonObject o{{QStringLiteral("status"), ok ? QStringLiteral("ok") : QStringLiteral("degraded")}};
        if (!ok)
            o.insert(QStringLiteral("reason"), reason);
        emitEvent(QStringLiteral("serverStatus"), o);
    });
    connect(c, &ChatClient::authenticated, this, &CliSession::onAuthenticated);
    connect(c, &ChatClient::loginRequired, this, &CliSession::onLoginRequired);
    connect(c, &ChatClient::loggedOut, this, [this] {
        m_logout = Logout::Done;
        emitEvent(QStringLiteral("loggedOut"));
        forgetStoredToken();
        finish(QStringLiteral("/logout"));
    });
    connect(c, &ChatClient::sessionRestored, this, [this] {
        emitEvent(QStringLiteral("session"), {{QStringLiteral("user"), m_client->username()},
                                              {QStringLiteral("room"), m_client->room()}});
    });
    connect(c, &ChatClient::usernameChanged, this, [this](const QString &name) {
        emitEvent(QStringLiteral("nick"), {{QStringLiteral("user"), name}});
    });
    connect(c, &ChatClient::nameRefused, this, [this](const QString &name, const QString &reason) {
        emitEvent(QStringLiteral("nameTaken"),
                  {{QStringLiteral("user"), name}, {QStringLiteral("reason"), reason}});
    });
    connect(c, &ChatClient::roomJoined, this, [this](const Protocol::RoomJoined &m) {
        QJsonObject o{{QStringLiteral("room"), m.room}, {QStringLiteral("userCount"), m.userCount}};
        if (m.users)
            o.insert(QStringLiteral("users"), toArray(*m.users));
        if (m.lastSeq)
            o.insert(QStringLiteral("lastSeq"), double(*m.lastSeq));
        if (m.historyTruncated)
            o.insert(QStringLiteral("historyTruncated"), true);
        emitEvent(QStringLiteral("joined"), o);
        if (m.history) {
            for (const Protocol::ChatMessage &message : *m.history)
                emitMessage(message);
        }
    });
    connect(c, &ChatClient::historyReceived, this, [this](const Protocol::HistoryPage &page) {
        if (page.truncated)
            emitEvent(QStringLiteral("historyTruncated"), {{QStringLiteral("room"), page.room}});
        for (const Protocol::ChatMessage &message : page.messages)
            emitMessage(message);
    });
    connect(c, &ChatClient::olderHistoryReceived, this, [this](const Protocol::HistoryBeforePage &page) {
        if (page.truncated)
            emitEvent(QStringLiteral("historyTruncated"), {{QStringLiteral("room"), page.room}});
        emitOlder(page.room, page.messages, page.more, QStringLiteral("server"));
    });
    connect(c, &ChatClient::roomLeft, this, [this](const QString &room) {
        emitEvent(QStringLiteral("left"), {{QStringLiteral("room"), room}});
    });
    connect(c, &ChatClient::messageReceived, this, &CliSession::emitMessage);
    connect(c, &ChatClient::messageEdited, this, [this](const Protocol::MessageEdited &m) {
        emitEvent(QStringLiteral("messageEdited"),
                  {{QStringLiteral("room"), m.room},
                   {QStringLiteral("seq"), double(m.seq)},
                   {QStringLiteral("text"), m.text},
                   {QStringLiteral("edited"), double(m.edited)},
                   {QStringLiteral("mentions"), QJsonArray::fromStringList(m.mentions)}});
    });
    connect(c, &ChatClient::messageDeleted, this, [this](const Protocol::MessageDeleted &m) {
        emitEvent(QStringLiteral("messageDeleted"), {{QStringLiteral("room"), m.room},
                                                     {QStringLiteral("seq"), double(m.seq)},
                                                     {QStringLiteral("deleted"), double(m.deleted)}});
    });
    connect(c, &ChatClient::reactionsChanged, this, [this](const Protocol::ReactionsChanged &m) {
        emitEvent(QStringLiteral("reactions"),
                  {{QStringLiteral("room"), m.room},
                   {QStringLiteral("seq"), double(m.seq)},
                   {QStringLiteral("reactions"), Protocol::toJsonArray(m.reactions)}});
    });
    connect(c, &ChatClient::userJoined, this, [this](const Protocol::UserJoined &m) {
        emitEvent(QStringLiteral("userJoined"), {{QStringLiteral("user"), m.user},
                                                 {QStringLiteral("room"), m.room},
                                                 {QStringLiteral("userCount"), m.userCount}});
    });
    connect(c, &ChatClient::userLeft, this, [this](const Protocol::UserLeft &m) {
        emitEvent(QStringLiteral("userLeft"), {{QStringLiteral("user"), m.user},
                                               {QStringLiteral("room"), m.room},
                                               {QStringLiteral("userCount"), m.userCount}});
    });
    connect(c, &ChatClient::rosterChanged, this, [this](const QStringList &users) {
        emitEvent(QStringLiteral("roster"), {{QStringLiteral("users"), toArray(users)}});
    });
    connect(c, &ChatClient::typingChanged, this, [this](const QStringList &users) {
        // What changed, not the whole list: output stays linear in the events however many type.
        for (const QString &user : std::as_const(m_typists)) {
            if (!users.contains(user))
                emitEvent(QStringLiteral("typing"),
                          {{QStringLiteral("user"), user}, {QStringLiteral("typing"), false}});
        }
        for (const QString &user : users) {
            if (!m_typists.contains(user))
                emitEvent(QStringLiteral("typing"),
                          {{QStringLiteral("user"), user}, {QStringLiteral("typing"), true}});
        }
        m_typists = users;
    });
    connect(c, &ChatClient::roomListReceived, this, [this](const QList<Protocol::RoomInfo> &rooms) {
        QJsonArray a;
        for (const Protocol::RoomInfo &r : rooms)
            a.append(
                QJsonObject{{QStringLiteral("name"), r.name}, {QStringLiteral("userCount"), r.userCount}});
        emitEvent(QStringLiteral("rooms"), {{QStringLiteral("rooms"), a}});
    });
    connect(c, &ChatClient::sendFailed, this, [this](const QString &text, const QString &reason) {
        emitEvent(QStringLiteral("sendFailed"),
                  {{QStringLiteral("text"), text}, {QStringLiteral("reason"), reason}});
    });
    connect(c, &ChatClient::requestRefused, this,
            [this](const QString &reason) { emitError(QStringLiteral("client"), reason); });
    connect(c, &ChatClient::serverError, this,
            [this](const Protocol::Error &e) { emitError(QStringLiteral("server"), e.message, e.code); });
    connect(c, &ChatClient::protocolError, this,
            [this](const QString &message) { emitError(QStringLiteral("protocol"), message); });

    connect(c->latency(), &LatencyMonitor::sampleAdded, this, [this](LatencyMonitor::Kind kind, double rtt) {
        const LatencyMonitor::Stats s = m_client->latency()->stats(kind);
        emitEvent(QStringLiteral("latency"),
                  {{QStringLiteral("kind"),
                    kind == LatencyMonitor::Kind::App ? QStringLiteral("app") : QStringLiteral("protocol")},
                   {QStringLiteral("rttMs"), round2(rtt)},
                   {QStringLiteral("minMs"), round2(s.min)},
                   {QStringLiteral("meanMs"), round2(s.mean)},
                   {QStringLiteral("p95Ms"), round2(s.p95)},
                   {QStringLiteral("jitterMs"), round2(s.jitter)}});
    });

    Outbox *outbox = c->outbox();
    connect(outbox, &Outbox::entryAdded, this, [this](const Outbox::Entry &e) {
        emitEvent(QStringLiteral("delivery"), {{QStringLiteral("id"), e.id},
                                               {QStringLiteral("state"), EnumName::of(e.state)},
                                               {QStringLiteral("room"), e.room},
                                               {QStringLiteral("text"), e.text}});
    });
    connect(outbox, &Outbox::deliveryStateChanged, this,
            [this](const QString &id, Outbox::DeliveryState state) {
                emitEvent(QStringLiteral("delivery"),
                          {{QStringLiteral("id"), id}, {QStringLiteral("state"), EnumName::of(state)}});
            });
    connect(outbox, &Outbox::entryRemoved, this, [this](const QString &id) {
        emitEvent(QStringLiteral("delivery"),
                  {{QStringLiteral("id"), id}, {QStringLiteral("state"), QStringLiteral("removed")}});
        checkFinish();
    });
    connect(outbox, &Outbox::saved, this, [this](int count) {
        emitEvent(QStringLiteral("outboxSaved"), {{QStringLiteral("pending"), count}});
    });
    connect(outbox, &Outbox::warning, this, [this](const QString &message) {
        emitEvent(QStringLiteral("warning"), {{QStringLiteral("message"), message}});
    });
}

CliSession::~CliSession() = default;

void CliSession::start()
{
    // The stored token first, so that even the first connection presents it.
    m_tokens->load(m_tokenKey);
}

void CliSession::connectToServer()
{
    m_tokenLoading = false;
    m_client->connectToServer(m_options.urls, m_options.user, m_options.room);
    if (!m_finishing) {
        m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
        connect(m_stdin, &QSocketNotifier::activated, this, &CliSession::readInput);
    }
    checkFinish(); // a signal may have come while the token was read
}

void CliSession::onAuthenticated(const QString &account, const QString &token, qint64 expiresAt)
{
    // Never the token itself: the output may end up in logs.
    QJsonObject o{
        {QStringLiteral("account"), account},
        {QStringLiteral("method"), m_passwordSent ? QStringLiteral("password") : QStringLiteral("token")}};
    if (expiresAt > 0)
        o.insert(QStringLiteral("expiresAt"), double(expiresAt));
    emitEvent(QStringLiteral("authenticated"), o);
    m_passwordSent = false;
    m_accountKnown = true;
    if (!token.isEmpty() && token != m_storedToken) {
        m_storedToken = token;
        ++m_tokenWrites;
        m_tokens->save(m_tokenKey, token);
    }
}

void CliSession::onLoginRequired(ChatClient::LoginProblem problem, const QString &reason, qint64 retryAfterMs)
{
    using P = ChatClient::LoginProblem;
    QJsonObject o{{QStringLiteral("problem"), EnumName::of(problem)}, {QStringLiteral("reason"), reason}};
    if (retryAfterMs > 0)
        o.insert(QStringLiteral("retryAfterMs"), double(retryAfterMs));
    emitEvent(QStringLiteral("loginRequired"), o);
    m_passwordSent = false;
    if (problem == P::TokenRejected || problem == P::SessionEnded)
        forgetStoredToken(); // dead: the next run must not present it again
    // What a password answers: a login is wanted, or (--register) the account exists already.
    const bool passwordHelps = problem == P::NoCredentials || problem == P::TokenRejected ||
                               problem == P::SessionEnded ||
                               (problem == P::NameTaken && m_options.registerAccount);
    // Once per problem: a password the server refused is never sent again, so nothing loops.
    const quint32 bit = 1u << int(problem);
    if (m_logout == Logout::None && passwordHelps && m_options.password && !(m_passwordTriedFor & bit)) {
        m_passwordTriedFor |= bit;
        const bool create = m_options.registerAccount && !m_accountKnown && problem != P::NameTaken;
        // Queued: ChatClient is still inside the answer that brought us here.
        QMetaObject::invokeMethod(
            this, [this, create] { logIn(create); }, Qt::QueuedConnection);
        return;
    }
    m_loginGivenUp = true;
    if (m_logout == Logout::None)
        m_exitCode = exitCodeFor(problem);
    finish(QStringLiteral("login required"));
    checkFinish(); // already finishing: LoginRequired is the end now
}

void CliSession::logIn(bool createAccount)
{
    if (m_client->state() != ChatClient::State::LoginRequired || m_logout != Logout::None)
        return; // /logout came first, or something else took the client out of LoginRequired
    m_passwordSent = true;
    emitEvent(QStringLiteral("loggingIn"),
              {{QStringLiteral("user"), m_options.user}, {QStringLiteral("register"), createAccount}});
    m_client->logIn(m_options.user, *m_options.password, createAccount);
}

void CliSession::advanceLogout()
{
    using S = ChatClient::State;
    const S state = m_client->state();
    if (state == S::Connecting || state == S::Authenticating)
        return; // the session first, so that the server revokes the token
    if (m_logout == Logout::Waiting) {
        if (state == S::Connected && !m_client->isAccountsServer()) {
            m_logout = Logout::None;
            emitError(QStringLiteral("client"),
                      QStringLiteral("/logout: this server is in open mode; there is no login to end"),
                      QStringLiteral("notLoggedIn"));
            checkFinish();
            return;
        }
        m_logout = Logout::Sent;
        m_client->logOut(); // connected: the server revokes and answers; offline: forgotten here
        return;
    }
    // The connection went before the server answered: the token is forgotten here at least.
    if (m_logout == Logout::Sent && state != S::Connected && state != S::Closing)
        m_client->logOut();
}

void CliSession::forgetStoredToken()
{
    m_storedToken.clear();
    ++m_tokenWrites;
    m_tokens->remove(m_tokenKey);
}

void CliSession::onTokenStored()
{
    if (m_tokenWrites > 0)
        --m_tokenWrites;
    checkFinish();
}

void CliSession::readInput()
{
    char chunk[65536];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n > 0)
        m_buffer.append(chunk, n);
    while (const std::optional<QByteArray> line = takeCliLine(m_buffer)) {
        handleLine(QString::fromUtf8(*line));
        if (m_finishing)
            return;
    }
    if (n <= 0) {
        // End of input: a last line without a newline still counts.
        m_stdin->setEnabled(false);
        if (!m_buffer.isEmpty())
            handleLine(QString::fromUtf8(std::exchange(m_buffer, {})));
        finish(n == 0 ? QStringLiteral("end of input") : QStringLiteral("cannot read input"));
    }
}

void CliSession::handleLine(const QString &line)
{
    const CliCommand parsed = CliCommand::parse(line);
    switch (parsed.kind) {
    case CliCommand::Kind::Empty:
        return;
    case CliCommand::Kind::Command:
        handleCommand(parsed.name, parsed.argument);
        return;
    case CliCommand::Kind::Chat:
        m_client->sendMessage(parsed.text);
        return;
    }
}

void CliSession::handleCommand(const QString &command, const QString &argument)
{
    auto needsArgument = [&](const QString &usage) {
        if (!argument.isEmpty())
            return true;
        emitError(QStringLiteral("client"), QStringLiteral("usage: %1").arg(usage));
        return false;
    };
    if (command == QLatin1String("join")) {
        if (needsArgument(QStringLiteral("/join ROOM")))
            m_client->joinRoom(argument);
    } else if (command == QLatin1String("leave")) {
        m_client->leaveRoom();
    } else if (command == QLatin1String("nick")) {
        if (needsArgument(QStringLiteral("/nick NAME")))
            m_client->setUsername(argument);
    } else if (command == QLatin1String("reconnect")) {
        m_client->reconnectNow();
    } else if (command == QLatin1String("logout")) {
        if (m_logout == Logout::None) {
            m_logout = Logout::Waiting;
            advanceLogout();
        }
    } else if (command == QLatin1String("quit")) {
        finish(QStringLiteral("/quit"));
    } else if (command == QLatin1String("typing")) {
        m_client->notifyTyping();
    } else if (command == QLatin1String("rooms")) {
        m_client->requestRoomList();
    } else if (command == QLatin1String("retry")) {
        if (argument.isEmpty()) {
            for (const Outbox::Entry &e : m_client->outbox()->entries()) {
                if (e.state == Outbox::DeliveryState::Failed)
                    m_client->retryMessage(e.id);
            }
        } else if (!m_client->retryMessage(argument)) {
            emitError(QStringLiteral("client"), QStringLiteral("no failed message with id %1").arg(argument));
        }
    } else if (command == QLatin1String("discard")) {
        if (needsArgument(QStringLiteral("/discard ID")) && !m_client->discardMessage(argument))
            emitError(QStringLiteral("client"),
                      QStringLiteral("no queued or failed message with id %1").arg(argument));
    } else if (command == QLatin1String("outbox")) {
        const QList<Outbox::Entry> entries = m_client->outbox()->entries();
        QJsonArray a;
        for (const Outbox::Entry &e : entries)
            a.append(QJsonObject{{QStringLiteral("id"), e.id},
                                 {QStringLiteral("room"), e.room},
                                 {QStringLiteral("text"), e.text},
                                 {QStringLiteral("state"), EnumName::of(e.state)}});
        emitEvent(QStringLiteral("outbox"), {{QStringLiteral("entries"), a}});
    } else if (command == QLatin1String("send")) {
        if (needsArgument(QStringLiteral("/send PATH")))
            m_transfers->sendFile(argument);
    } else if (command == QLatin1String("cancel")) {
        if (needsArgument(QStringLiteral("/cancel ID")) && !m_transfers->cancel(argument))
            emitError(QStringLiteral("client"),
                      QStringLiteral("no unfinished transfer with id %1").arg(argument));
    } else if (command == QLatin1String("search")) {
        if (!needsArgument(QStringLiteral("/search WORDS")))
            return;
        if (!m_cache || !m_cache->isOpen()) {
            emitError(QStringLiteral("client"),
                      QStringLiteral("/search: there is no message cache (--no-cache)"),
                      QStringLiteral("noCache"));
            return;
        }
        CliSearch::print(m_out, *m_cache, MessageCache::serverKey(m_options.url), argument);
    } else if (command == QLatin1String("older")) {
        bool ok = argument.isEmpty();
        const int count = ok ? 50 : argument.toInt(&ok);
        if (!ok || count < 1 || count > 1000) {
            emitError(QStringLiteral("client"), QStringLiteral("usage: /older [N] (N from 1 to 1000)"));
            return;
        }
        showOlder(count);
    } else if (command == QLatin1String("reply") || command == QLatin1String("edit") ||
               command == QLatin1String("delete") || command == QLatin1String("react") ||
               command == QLatin1String("unreact")) {
        conversationCommand(command, argument);
    } else if (command == QLatin1String("transfers")) {
        QJsonArray a;
        for (const TransferInfo &t : m_transfers->transfers())
            a.append(transferFields(t));
        emitEvent(QStringLiteral("transfers"), {{QStringLiteral("transfers"), a}});
    } else {
        emitError(QStringLiteral("client"),
                  QStringLiteral(
                      "unknown command /%1 (commands: /join ROOM, /leave, /nick NAME, /reconnect, "
                      "/typing, /rooms, /retry [ID], /discard ID, /outbox, /send PATH, /cancel ID, "
                      "/transfers, /search WORDS, /older [N], /reply SEQ TEXT, /edit SEQ TEXT, /delete SEQ, "
                      "/react SEQ EMOJI, /unreact SEQ EMOJI, /logout, /quit; //text sends /text)")
                      .arg(command),
                  QStringLiteral("unknownCommand"));
    }
}

void CliSession::conversationCommand(const QString &command, const QString &argument)
{
    // "/edit SEQ TEXT": the message is named by its seq in the room, as `message` events print it.
    const QString usage = command == QLatin1String("delete")    ? QStringLiteral("/delete SEQ")
                          : command == QLatin1String("react")   ? QStringLiteral("/react SEQ EMOJI")
                          : command == QLatin1String("unreact") ? QStringLiteral("/unreact SEQ EMOJI")
                          : command == QLatin1String("reply")   ? QStringLiteral("/reply SEQ TEXT")
                                                                : QStringLiteral("/edit SEQ TEXT");
    const qsizetype space = argument.indexOf(QLatin1Char(' '));
    bool ok = false;
    const qint64 seq = argument.left(space < 0 ? argument.size() : space).toLongLong(&ok);
    const QString rest = space < 0 ? QString() : argument.mid(space + 1).trimmed();
    const bool needsRest = command != QLatin1String("delete");
    if (!ok || seq <= 0 || rest.isEmpty() == needsRest) {
        emitError(QStringLiteral("client"), QStringLiteral("usage: %1").arg(usage));
        return;
    }
    if (command == QLatin1String("reply")) {
        m_client->sendMessage(rest, seq); // through the outbox, like any chat line
        return;
    }
    bool sent = false;
    if (command == QLatin1String("edit"))
        sent = m_client->editMessage(seq, rest);
    else if (command == QLatin1String("delete"))
        sent = m_client->deleteMessage(seq);
    else
        sent = m_client->react(seq, rest, command == QLatin1String("react"));
    if (!sent) {
        emitError(QStringLiteral("client"),
                  QStringLiteral("/%1: not sent (not in a room, not connected, the server has no "
                                 "'conversation' feature, or not one emoji)")
                      .arg(command),
                  QStringLiteral("notSent"));
    }
}

int CliSession::pendingForRoom() const
{
    int n = 0;
    for (const Outbox::Entry &e : m_client->outbox()->entries()) {
        if (Protocol::sameName(e.room, m_client->room()) &&
            (e.state == Outbox::DeliveryState::Queued || e.state == Outbox::DeliveryState::Sent))
            ++n;
    }
    return n;
}

int CliSession::unfinishedTransfers() const
{
    return m_transfers->unfinishedCount(TransferInfo::Direction::Upload) +
           m_transfers->unfinishedCount(TransferInfo::Direction::Download);
}

void CliSession::onTransferEvent(const TransferInfo &info)
{
    emitEvent(QStringLiteral("transfer"), transferFields(info));
    m_sinceProgress.restart();
}

void CliSession::checkTransferStall()
{
    // Transfers are waited for as long as they move: a big upload may take longer than the
    // flush timeout, a stuck one may not.
    const qint64 idle = m_sinceProgress.isValid() ? m_sinceProgress.elapsed() : m_options.flushTimeoutMs;
    if (idle < m_options.flushTimeoutMs) {
        m_transferStall.start(int(m_options.flushTimeoutMs - idle));
        return;
    }
    m_transfersTimedOut = true;
    checkFinish();
}

void CliSession::finish(const QString &why)
{
    if (m_finishing)
        return;
    m_finishing = true;
    if (m_stdin)
        m_stdin->setEnabled(false);
    emitEvent(QStringLiteral("finishing"), {{QStringLiteral("reason"), why},
                                            {QStringLiteral("pending"), pendingForRoom()},
                                            {QStringLiteral("transfers"), unfinishedTransfers()}});
    m_flushDeadline.start(m_options.flushTimeoutMs);
    m_sinceProgress.restart();
    m_transferStall.start(m_options.flushTimeoutMs);
    checkFinish();
}

void CliSession::checkFinish()
{
    if (!m_finishing || m_exited || m_tokenLoading)
        return;
    // Cancelling leftovers or disconnecting below reports back here: look again afterwards.
    if (m_checking) {
        QMetaObject::invokeMethod(this, &CliSession::checkFinish, Qt::QueuedConnection);
        return;
    }
    const QScopedValueRollback<bool> guard(m_checking, true);
    const ChatClient::State state = m_client->state();
    // Nothing more can be delivered when the outbox is drained and transfers are done, or when
    // no connection is coming.
    const bool hopeless = state == ChatClient::State::GaveUp || state == ChatClient::State::Disconnected ||
                          (state == ChatClient::State::LoginRequired && m_loginGivenUp);
    const bool outboxBusy = !m_outboxTimedOut && pendingForRoom() > 0;
    const bool transfersBusy = !m_transfersTimedOut && unfinishedTransfers() > 0;
    if (!m_done && (outboxBusy || transfersBusy) && !hopeless)
        return;
    if (!m_done) {
        m_done = true;
        // Whatever is still moving ends now, and the server is told (receivers learn at once).
        for (const TransferInfo &t : m_transfers->transfers()) {
            if (!t.isFinished())
                m_transfers->cancel(t.id);
        }
    }
    if (m_logout == Logout::Waiting || m_logout == Logout::Sent)
        return; // loggedOut, or the connection's end, brings us back here
    if (state == ChatClient::State::Connected) {
        m_client->disconnectFromServer(); // Closing -> Disconnected brings us back here
        return;
    }
    if (state == ChatClient::State::Closing || m_tokenWrites > 0)
        return;
    m_flushDeadline.stop();
    m_transferStall.stop();
    m_client->outbox()->saveNow();
    m_exited = true;
    emitEvent(QStringLiteral("exit"), {{QStringLiteral("pending"), m_client->outbox()->count()},
                                       {QStringLiteral("status"), m_exitCode}});
    m_out->flush();
    emit finished(m_exitCode);
}

void CliSession::emitEvent(const QString &event, QJsonObject fields)
{
    fields.insert(QStringLiteral("event"), event);
    fields.insert(QStringLiteral("time"), double(Protocol::nowMs()));
    m_out->write(fields);
}

void CliSession::showOlder(int count)
{
    const QString room = m_client->joinedRoom().isEmpty() ? m_client->room() : m_client->joinedRoom();
    if (room.isEmpty()) {
        emitError(QStringLiteral("client"), QStringLiteral("/older: not in a room"));
        return;
    }
    qint64 before = Protocol::sameName(room, m_shownRoom) ? m_oldestShown : 0;
    const QString server = MessageCache::serverKey(m_options.url);
    const bool cached = m_cache && m_cache->isOpen();
    if (before == 0 && cached) // nothing printed yet: from the newest cached message on
        before = m_cache->room(server, room).lastSeq + 1;
    if (before <= 1) {
        emitOlder(room, {}, false, QStringLiteral("cache"));
        return;
    }
    // The cache first (offline too); the server only for what the cache does not join on to.
    const QList<Protocol::ChatMessage> page =
        cached ? m_cache->before(server, room, before, count) : QList<Protocol::ChatMessage>{};
    if (!page.isEmpty()) {
        emitOlder(room, page, page.constFirst().seq > 1, QStringLiteral("cache"));
        return;
    }
    if (!m_client->requestOlder(room, before, count))
        emitError(QStringLiteral("client"),
                  QStringLiteral("/older: nothing older in the cache, and the server cannot be asked (not "
                                 "connected, or it does not keep older history)"),
                  QStringLiteral("noOlder"));
}

void CliSession::emitOlder(const QString &room, const QList<Protocol::ChatMessage> &messages, bool more,
                           const QString &source)
{
    // Newest first, as someone scrolling up reads them.
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        QJsonObject o = messageFields(*it);
        o.insert(QStringLiteral("older"), true);
        emitEvent(QStringLiteral("message"), o);
    }
    if (!messages.isEmpty()) {
        m_shownRoom = room;
        m_oldestShown = messages.constFirst().seq;
    }
    emitEvent(QStringLiteral("olderDone"), {{QStringLiteral("room"), room},
                                            {QStringLiteral("count"), int(messages.size())},
                                            {QStringLiteral("more"), more},
                                            {QStringLiteral("source"), source}});
}

void CliSession::emitMessage(const Protocol::ChatMessage &m)
{
    // Where /older goes back from: the oldest message printed of the room last printed.
    if (m.seq > 0 && !m.room.isEmpty()) {
        if (!Protocol::sameName(m.room, m_shownRoom)) {
            m_shownRoom = m.room;
            m_oldestShown = m.seq;
        } else {
            m_oldestShown = m_oldestShown == 0 ? m.seq : qMin(m_oldestShown, m.seq);
        }
    }
    // The one event that comes in bursts: written field by field, in the order QJsonDocument
    // sorts the keys, so the line is the same as emitEvent's without building a QJsonObject.
    constexpr qint64 exactInDouble = qint64(1) << 53;
    const bool conversation =
        m.replyTo > 0 || m.edited > 0 || m.deleted > 0 || !m.reactions.isEmpty() || !m.mentions.isEmpty();
    if (std::abs(m.timestamp) > exactInDouble || m.seq > exactInDouble || m.file || conversation) {
        emitEvent(QStringLiteral("message"), messageFields(m));
        return;
    }
    m_out->beginLine();
    m_out->field(QLatin1String("event"), QStringLiteral("message"));
    if (!m.id.isEmpty())
        m_out->field(QLatin1String("id"), m.id);
    m_out->field(QLatin1String("room"), m.room);
    if (m.seq > 0)
        m_out->field(QLatin1String("seq"), m.seq);
    m_out->field(QLatin1String("text"), m.text);
    m_out->field(QLatin1String("time"), Protocol::nowMs());
    m_out->field(QLatin1String("timestamp"), m.timestamp);
    m_out->field(QLatin1String("user"), m.user);
    m_out->endLine();
}

void CliSession::emitError(const QString &source, const QString &message, const QString &code)
{
    QJsonObject o{{QStringLiteral("source"), source}, {QStringLiteral("message"), message}};
    if (!code.isEmpty())
        o.insert(QStringLiteral("code"), code);
    emitEvent(QStringLiteral("error"), o);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "serversession.h"

#include "clusterlink.h"
#include "historypager.h"
#include "historywriter.h"
#include "messageidstore.h"
#include "nameregistry.h"
#include "room.h"
#include "roomdirectory.h"
#include "servercontext.h"
#include "serverlog.h"
#include "upload.h"
#include "uploadregistry.h"
#include "wsconnection.h"

#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <exception>

using Protocol::ErrorCode;

namespace {
constexpr int DefaultHistoryCount = 50;
constexpr quint16 ClosePolicyViolation = 1008;    // RFC 6455 7.4.1
constexpr qint64 HistoryReplyOverheadBytes = 256; // what a reply costs beyond its messages
// A change that loses the race to other nodes this often in a row is refused (storeFailed).
constexpr int MaxChangeAttempts = 3;

// UserStore::nameKey, which lives with the SQL side: NFKC around Protocol::nameKey.
QString accountKey(const QString &name)
{
    return Protocol::nameKey(name.normalized(QString::NormalizationForm_KC))
        .normalized(QString::NormalizationForm_KC);
}

// How many bytes `text` took on the wire (WsConnection hands it over decoded), without a copy.
quint64 utf8Bytes(const QString &text)
{
    quint64 bytes = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        bytes += u < 0x80 ? 1 : u < 0x800 ? 2 : c.isSurrogate() ? 2 : 3; // a pair: 4 in all
    }
    return bytes;
}
} // namespace

ServerSession::ServerSession(WsConnection *connection, ServerContext &context, QObject *parent)
    : QObject(parent)
    , m_socket(connection)
    , m_context(context)
    , m_intake(*this, context)
    , m_id(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_rates(context.config)
{
    m_clock.start();
    m_socket->setParent(this);
    connect(m_socket, &WsConnection::textMessageReceived, this, &ServerSession::onTextMessage);
    connect(m_socket, &WsConnection::binaryMessageReceived, this, &ServerSession::onBinaryMessage);
    connect(m_socket, &WsConnection::disconnected, this, &ServerSession::onDisconnected);
    connect(m_socket, &WsConnection::pongReceived, this, [this] { m_alive = true; });
    connect(m_socket, &WsConnection::pingReceived, this, &ServerSession::checkBacklog);
    m_socket->addSentBytesTo(&m_context.stats.bytesSent);
    m_loginDeadline.setSingleShot(true);
    connect(&m_loginDeadline, &QTimer::timeout, this, [this] {
        qCInfo(lcServer).noquote() << "closing" << m_id << "which did not log in in time";
        closeConnection(ClosePolicyViolation, QStringLiteral("Not logged in in time"));
    });
}

ServerSession::~ServerSession()
{
    // The socket is our child: keep its last signals from reaching a half-destroyed session.
    m_socket->disconnect(this);
    // A server shutting down deletes its live sessions without onDisconnected; a finished one
    // has released its name, and may outlive the context (deleteLater).
    if (!m_finished)
        m_context.names->release(this);
}

bool ServerSession::extensions() const
{
    return m_context.config.extensions();
}

void ServerSession::start()
{
    qCInfo(lcServer).noquote() << "connect" << m_id << "from" << m_socket->peerAddress().toString();
    Protocol::Connected c;
    c.clientId = m_id;
    if (extensions()) {
        const ServerConfig &cfg = m_context.config;
        c.server = QStringLiteral("natter-server/" NATTER_VERSION);
        c.protocol = Protocol::Version;
        c.features = Protocol::Feature::all();
        c.maxMessageBytes = cfg.maxMessageBytes;
        c.maxFileBytes = cfg.maxFileBytes;
        c.historyLimit = cfg.historyLimit;
        c.heartbeatMs = cfg.heartbeatMs;
        c.idWindowMs = cfg.idWindowMs;
        if (accounts()) {
            c.auth = Protocol::AuthMode::Accounts;
            c.registration = m_context.auth->registrationOpen();
            c.username = m_loggedIn ? m_username : QString();
        } else {
            c.auth = Protocol::AuthMode::Open;
        }
    }
    send(c);
    if (accounts() && !m_loggedIn)
        m_loginDeadline.start(m_context.config.authTimeoutMs);
}

bool ServerSession::accounts() const
{
    return m_context.config.accounts && m_context.auth;
}

void ServerSession::startLoggedIn(const Authenticator::Outcome &login)
{
    becomeLoggedIn(login);
}

void ServerSession::becomeLoggedIn(const Authenticator::Outcome &login)
{
    m_loggedIn = true;
    m_loginOnly = false;
    m_loginDeadline.stop();
    m_accountId = login.accountId;
    m_token = login.token;
    setUsername(login.username);
    qCInfo(lcServer).noquote() << "login" << m_id << "as" << m_username;
}

QString ServerSession::userKey() const
{
    // Account ids never come back after a removal; a '#' cannot start a display name's key.
    return accounts() ? QStringLiteral("#%1").arg(m_accountId) : m_username;
}

void ServerSession::setUsername(const QString &name)
{
    m_username = name;
    m_usernameKey = Protocol::nameKey(name);
}

void ServerSession::endSession()
{
    qCInfo(lcServer).noquote() << "ending" << m_id << "of" << m_username << ": its token was revoked";
    m_token.clear();
    closeConnection(Protocol::CloseSessionEnded, QStringLiteral("Session ended"));
}

void ServerSession::send(const Protocol::ServerMessage &message)
{
    sendUtf8(Protocol::encode(message));
}

void ServerSession::sendText(const QString &text)
{
    sendUtf8(text.toUtf8());
}

void ServerSession::sendUtf8(const QByteArray &utf8)
{
    if (m_overflowed)
        return;
    m_socket->sendText(utf8);
    checkBacklog();
}

void ServerSession::sendBinary(const QByteArray &frame)
{
    if (m_overflowed)
        return;
    m_socket->sendBinary(frame);
    checkBacklog();
}

void ServerSession::checkBacklog()
{
    if (m_context.backlogQueued)
        m_context.backlogQueued();
    if (m_socket->bytesToWrite() <= m_context.config.maxBacklogBytes)
        return;
    m_overflowed = true;
    qCInfo(lcServer).noquote() << "dropping" << m_id << "which does not read what it is sent";
    // Not synchronously: the caller may be mid-handler for this session or mid-broadcast to its room.
    QMetaObject::invokeMethod(this, &ServerSession::abortConnection, Qt::QueuedConnection);
}

void ServerSession::sendError(ErrorCode code, const QString &message, const QString &transferId,
                              const QString &request)
{
    Protocol::Error e{message, {}, {}, {}, 0};
    if (extensions()) {
        e.code = Protocol::errorCodeName(code);
        e.transferId = transferId;
        e.request = request;
    }
    send(e);
}

void ServerSession::heartbeat()
{
    if (m_finished)
        return;
    // Our ping waits behind whatever is queued for this client. If the queue was backed up at the
    // last tick and has moved since, the peer is acknowledging data: slow, not dead.
    const bool draining = m_backlogAtTick > 0 && m_socket->bytesSent() != m_writtenAtTick;
    m_backlogAtTick = m_socket->bytesToWrite();
    m_writtenAtTick = m_socket->bytesSent();
    if (m_alive) {
        m_alive = false;
        m_socket->ping();
        return;
    }
    if (draining)
        return;
    qCInfo(lcServer).noquote() << "terminating dead connection" << m_id;
    abortConnection();
}

void ServerSession::closeConnection(quint16 code, const QString &reason)
{
    m_socket->close(code, reason);
}

void ServerSession::abortConnection()
{
    m_socket->abort();
    onDisconnected(); // in case the connection had already closed without telling us
}

void ServerSession::onTextMessage(const QString &text)
{
    m_alive = true; // anything received proves the peer is there, even with its pong queued
    m_context.stats.bytesReceived += utf8Bytes(text);
    // Nothing a client sends may take the server down: report, keep the connection.
    try {
        Protocol::Limits limits;
        limits.extensions = extensions();
        const auto decoded = Protocol::decodeClient(text, limits);
        if (const auto *e = std::get_if<Protocol::DecodeError>(&decoded)) {
            sendError(e->code, e->message);
            return;
        }
        dispatch(std::get<Protocol::ClientMessage>(decoded));
    } catch (const std::exception &e) {
        qCWarning(lcServer).noquote() << "internal error on" << m_id << e.what();
        sendError(ErrorCode::Internal, QStringLiteral("Internal server error"));
    } catch (...) {
        sendError(ErrorCode::Internal, QStringLiteral("Internal server error"));
    }
}

void ServerSession::onBinaryMessage(const QByteArray &frame)
{
    m_alive = true;
    m_context.stats.bytesReceived += quint64(frame.size());
    try {
        m_intake.chunk(frame);
    } catch (...) {
        sendError(ErrorCode::Internal, QStringLiteral("Internal server error"));
    }
}

void ServerSession::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    qCInfo(lcServer).noquote() << "disconnect" << m_id;
    m_context.names->release(this);
    if (m_room)
        leaveRoom();
    if (m_subscribedToRooms)
        m_context.rooms->unsubscribe(this);
    m_intake.senderGone();
    m_context.uploads->dropReceiver(this);
    emit finished(this);
}

void ServerSession::dispatch(const Protocol::ClientMessage &message)
{
    const bool extensionOnly = std::holds_alternative<Protocol::Hello>(message) ||
                               std::holds_alternative<Protocol::ListRooms>(message) ||
                               std::holds_alternative<Protocol::FileCancel>(message) ||
                               std::holds_alternative<Protocol::FileDecline>(message) ||
                               std::holds_alternative<Protocol::HistoryRequest>(message) ||
                               std::holds_alternative<Protocol::HistoryBefore>(message) ||
                               std::holds_alternative<Protocol::EditMessage>(message) ||
                               std::holds_alternative<Protocol::DeleteMessage>(message) ||
                               std::holds_alternative<Protocol::React>(message);
    if (extensionOnly && !extensions()) {
        sendError(ErrorCode::UnknownType,
                  QStringLiteral("Unknown message type '%1'").arg(Protocol::typeName(message)));
        return;
    }
    if (accounts() && !m_loggedIn && !admittedBeforeLogin(message)) {
        sendError(ErrorCode::AuthRequired, QStringLiteral("Log in first (auth)"));
        return;
    }
    if (const auto refusal = m_rates.admit(message, m_clock.elapsed())) {
        if (refusal->abusive) {
            qCInfo(lcServer).noquote() << "closing" << m_id << "which keeps sending too fast";
            closeConnection(ClosePolicyViolation, QStringLiteral("Rate limit exceeded"));
            return;
        }
        sendRefusal(*refusal, Protocol::typeName(message));
        return;
    }
    std::visit([this](const auto &m) { handle(m); }, message);
}

void ServerSession::sendRefusal(const SessionRateLimiter::Refusal &refusal, const QString &request)
{
    Protocol::Error e{
        QStringLiteral("Too many '%1' messages: wait %2 ms").arg(request).arg(refusal.retryAfterMs),
        {},
        {},
        {},
        0};
    if (extensions()) {
        e.code = Protocol::errorCodeName(ErrorCode::RateLimited);
        e.id = refusal.id;
        e.retryAfterMs = refusal.retryAfterMs;
        e.request = request;
    }
    send(e);
}

void ServerSession::handle(const Protocol::Hello &m)
{
    m_client = m.client;
    m_wantsFiles = m.features.contains(Protocol::Feature::Files);
    m_wantsStatus = m.features.contains(Protocol::Feature::Status);
    if (!m_context.degraded.isEmpty())
        sendStatus();
}

void ServerSession::sendStatus()
{
    if (!m_wantsStatus || m_finished)
        return;
    const bool ok = m_context.degraded.isEmpty();
    send(Protocol::ServerStatus{ok ? QStringLiteral("ok") : QStringLiteral("degraded"), m_context.degraded});
}

namespace {
// A refused message may be sent again after this long (PROTOCOL.md 2): a failing disk or an
// unreachable Redis is not back sooner, and the client's outbox keeps it meanwhile.
constexpr qint64 StoreRetryMs = 2000;
} // namespace

void ServerSession::handle(const Protocol::SetUsername &m)
{
    if (accounts()) {
        // The name is the account's: only that one (by key) is accepted, as stored.
        if (accountKey(m.username) != accountKey(m_username)) {
            sendError(ErrorCode::AccountName,
                      QStringLiteral("Logged in as '%1': the name is the account's").arg(m_username));
            return;
        }
        send(Protocol::UsernameSet{m_username});
        return;
    }
    // Members see the new name from their next message on; the roster updates on next join.
    if (!extensions()) {
        // Base mode is the guides' server: names are not held (PROTOCOL.md 9).
        setUsername(m.username);
        send(Protocol::UsernameSet{m_username, {}});
        return;
    }
    NameRegistry &names = *m_context.names;
    // While Redis is away the other nodes cannot be asked who holds a name: neither wait for
    // it nor hold the name here only.
    const NameRegistry::Claim claim = names.isShared() && !m_context.degraded.isEmpty()
                                          ? NameRegistry::Claim{NameRegistry::Claim::Unreachable, {}, nullptr}
                                          : names.claim(m.username, this, m.nameToken);
    if (claim.outcome == NameRegistry::Claim::Taken) {
        sendError(ErrorCode::NameTaken,
                  QStringLiteral("The name '%1' is in use by someone else").arg(m.username));
        return;
    }
    if (claim.outcome == NameRegistry::Claim::Unreachable) {
        // With when to ask again: Natter's clients do so by themselves, and join then.
        send(Protocol::Error{
            QStringLiteral("The server cannot reach its Redis: names cannot be held now, try again later"),
            Protocol::errorCodeName(ErrorCode::StoreFailed),
            {},
            {},
            StoreRetryMs,
            Protocol::typeName(Protocol::ClientMessage(m))});
        return;
    }
    if (ServerSession *old = claim.displaced) {
        // Its holder is back on a new connection; the old one may be dead without our knowing.
        qCInfo(lcServer).noquote() << "name taken over from" << old->id() << "by" << m_id;
        old->closeConnection(Protocol::CloseNameTakenOver, QStringLiteral("name taken over"));
    }
    setUsername(m.username);
    send(Protocol::UsernameSet{m_username, claim.token});
}

void ServerSession::handle(const Protocol::JoinRoom &m)
{
    if (m_username.isEmpty()) {
        sendError(ErrorCode::NoUsername, QStringLiteral("Set a username before joining a room"));
        return;
    }
    if (m_room)
        leaveRoom();
    Room *room = m_context.rooms->open(m.room);
    room->addMember(this);
    m_room = room;
    if (m_context.cluster) {
        if (room->members().size() == 1)
            m_context.cluster->follow(*room);
        m_context.cluster->joined(*room, m_id, m_username);
    }
    qCInfo(lcServer).noquote() << "join" << m_id << m_username << "->" << room->name();
    room->broadcast(Protocol::encode(Protocol::UserJoined{m_username, room->name(), room->userCount()}));
    send(roomJoinedFor(room, m));
    m_context.rooms->noteChanged();
}

Protocol::RoomJoined ServerSession::roomJoinedFor(Room *room, const Protocol::JoinRoom &request)
{
    Protocol::RoomJoined r;
    r.room = room->name();
    r.userCount = room->userCount();
    if (!extensions())
        return r;
    r.users = room->userNames();
    const ServerConfig &cfg = m_context.config;
    const HistoryPager pager({cfg.historyPageMessages, cfg.historyPageBytes});
    const HistoryPager::Page page = request.since
                                        ? pager.after(*room, *request.since, request.epoch, store())
                                        : pager.recent(*room, qMin(cfg.historyLimit, DefaultHistoryCount));
    r.historyTruncated = page.truncated;
    // Joins have their own rate, so a join is never refused for its page: over the history budget
    // the page is left for `history` requests, which wait for the budget.
    if (page.messages.isEmpty() ||
        m_rates.payHistory(page.bytes + HistoryReplyOverheadBytes, m_clock.elapsed())) {
        r.history = page.messages;
        r.historyMore = page.more;
    } else {
        r.history = QList<Protocol::ChatMessage>();
        r.historyMore = true;
    }
    r.lastSeq = room->lastSeq();
    r.epoch = room->epoch();
    return r;
}

void ServerSession::handle(const Protocol::HistoryRequest &m)
{
    // History goes to members only (PROTOCOL.md 2).
    if (!m_room || !Protocol::sameName(m.room, m_room->name())) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Join the room before asking for its history"), {},
                  Protocol::typeName(Protocol::ClientMessage(m)));
        return;
    }
    const ServerConfig &cfg = m_context.config;
    const HistoryPager::Page page = HistoryPager({cfg.historyPageMessages, cfg.historyPageBytes})
                                        .after(*m_room, m.since, m.epoch, store());
    if (const auto refusal =
            m_rates.admitHistory(page.bytes + HistoryReplyOverheadBytes, m_clock.elapsed())) {
        if (refusal->abusive) {
            qCInfo(lcServer).noquote() << "closing" << m_id << "which keeps asking for history too fast";
            closeConnection(ClosePolicyViolation, QStringLiteral("Rate limit exceeded"));
            return;
        }
        sendRefusal(*refusal, Protocol::typeName(Protocol::ClientMessage(m)));
        return;
    }
    send(Protocol::HistoryPage{m_room->name(), page.messages, page.more, page.truncated, m_room->lastSeq(),
                               m_room->epoch()});
}

void ServerSession::handle(const Protocol::HistoryBefore &m)
{
    if (!m_room || !Protocol::sameName(m.room, m_room->name())) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Join the room before asking for its history"), {},
                  Protocol::typeName(Protocol::ClientMessage(m)));
        return;
    }
    const ServerConfig &cfg = m_context.config;
    Protocol::HistoryBeforePage reply;
    reply.room = m_room->name();
    reply.before = qBound<qint64>(1, m.before, m_room->lastSeq() + 1);
    reply.lastSeq = m_room->lastSeq();
    reply.epoch = m_room->epoch();
    HistoryPager::Page page;
    // Seqs of another epoch name nothing here: the client must start over.
    reply.truncated = !m.epoch.isEmpty() && m.epoch != m_room->epoch();
    if (!reply.truncated)
        page = HistoryPager({cfg.historyPageMessages, cfg.historyPageBytes})
                   .before(*m_room, reply.before, store());
    if (const auto refusal =
            m_rates.admitHistory(page.bytes + HistoryReplyOverheadBytes, m_clock.elapsed())) {
        if (refusal->abusive) {
            qCInfo(lcServer).noquote() << "closing" << m_id << "which keeps asking for history too fast";
            closeConnection(ClosePolicyViolation, QStringLiteral("Rate limit exceeded"));
            return;
        }
        sendRefusal(*refusal, Protocol::typeName(Protocol::ClientMessage(m)));
        return;
    }
    reply.messages = page.messages;
    reply.more = page.more;
    sendUtf8(Protocol::encode(reply));
}

MessageStore *ServerSession::store() const
{
    return m_context.writer ? &m_context.writer->store() : nullptr;
}

void ServerSession::handle(const Protocol::LeaveRoom &)
{
    if (!m_room) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Not in a room"));
        return;
    }
    leaveRoom();
}

void ServerSession::leaveRoom()
{
    Room *room = m_room;
    m_room = nullptr;
    const QString name = room->name();
    room->removeMember(this);
    qCInfo(lcServer).noquote() << "leave" << m_id << m_username << "<-" << name;
    const Protocol::UserLeft left{m_username, room->userCount(), extensions() ? name : QString()};
    room->broadcast(Protocol::encode(left));
    m_context.uploads->dropReceiver(this, name, QStringLiteral("left the room"));
    if (m_context.cluster) {
        m_context.cluster->left(*room, m_id, m_username);
        if (room->isEmpty())
            m_context.cluster->unfollow(room->key());
    }
    m_context.rooms->release(room); // may delete the room
    m_context.rooms->noteChanged();
}

void ServerSession::handle(const Protocol::SendChat &m)
{
    const bool ext = extensions();
    const QString id = ext ? m.id : QString();
    HistoryWriter *writer = m_context.writer;
    // Ids are the sender's own: only its name's earlier messages make one a duplicate.
    if (!id.isEmpty() && !m_username.isEmpty()) {
        if (const auto seen = m_context.ids->find(userKey(), id)) {
            // A resend after a reconnect: confirm it again, deliver it never twice.
            send(Protocol::Ack{id, seen->seq, seen->room, seen->timestamp, true});
            return;
        }
        if (writer && writer->isPending(userKey(), id)) {
            // Its first copy waits for the store: answer as that one went, once it is through.
            writer->afterPending([self = QPointer<ServerSession>(this), id, key = userKey()] {
                if (!self)
                    return;
                if (const auto seen = self->m_context.ids->find(key, id))
                    self->send(Protocol::Ack{id, seen->seq, seen->room, seen->timestamp, true});
                else
                    self->sendStoreFailed(id);
            });
            return;
        }
    }
    if (m_username.isEmpty()) {
        sendError(ErrorCode::NoUsername, QStringLiteral("Set a username before chatting"));
        return;
    }
    if (!m_room) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Join a room before chatting"));
        return;
    }
    if (writer && writer->unwritten() >= m_context.config.maxUnwrittenMessages) {
        sendStoreFailed(id); // the disk is behind: hold no more
        return;
    }
    if (m_context.cluster && !m_context.degraded.isEmpty()) {
        // Redis is away on a link: what is stored now would not be delivered (nor its ack sent)
        // until it is back, so the client's outbox keeps it meanwhile.
        sendStoreFailed(id);
        return;
    }
    Protocol::ChatMessage chat{m_username, m.text, Protocol::nowMs(), id, 0, m_room->name()};
    if (m.replyTo > 0) {
        const auto answered = findMessage(*m_room, m.replyTo);
        if (!answered || answered->message.deleted > 0) {
            sendConversationError(ErrorCode::UnknownMessage,
                                  QStringLiteral("No message %1 to reply to in this room").arg(m.replyTo),
                                  QStringLiteral("chatMessage"), id);
            return;
        }
        chat.replyTo = m.replyTo;
    }
    if (extensions())
        chat.mentions = m_room->mentionsIn(chat.text, Protocol::Limits{}.maxMentions);
    record(m_context, *m_room, chat, this, userKey(), [self = QPointer<ServerSession>(this), id] {
        if (self)
            self->sendStoreFailed(id);
    });
}

void ServerSession::recordFile(const Upload &upload)
{
    if (!m_context.config.extensions())
        return; // the guides know no such message
    Room *room = m_context.rooms->findByKey(Protocol::nameKey(upload.room()));
    HistoryWriter *writer = m_context.writer;
    if (!room || (writer && writer->unwritten() >= m_context.config.maxUnwrittenMessages)) {
        qCWarning(lcServer).noquote() << "file" << upload.fileName() << "of" << m_id << "not kept in history";
        return;
    }
    const Protocol::ChatMessage chat{upload.username(), upload.fileName(), Protocol::nowMs(), {}, 0,
                                     room->name(),      upload.record()};
    record(m_context, *room, chat, this, userKey(), [file = upload.fileName(), id = m_id] {
        qCWarning(lcServer).noquote()
            << "file" << file << "of" << id << "not kept in history: the store failed";
    });
}

std::optional<MessageStore::Stored> ServerSession::findMessage(Room &room, qint64 seq, bool toChange) const
{
    if (const Room::Change *pending = room.pendingChange(seq))
        return MessageStore::Stored{pending->message, pending->author, pending->version, pending->revision};
    HistoryWriter *writer = m_context.writer;
    // To change it with a shared store: another node may be changing it too; the store has it as
    // it stands, with the revision its compare-and-set needs (and has it as soon as it is
    // acknowledged, maybe before this node's subscription brought it).
    const bool fromStore = toChange && writer && m_context.cluster;
    if (seq <= 0 || (!fromStore && seq > room.lastSeq()))
        return std::nullopt; // numbered but not yet stored is not there yet
    if (const Protocol::ChatMessage *held = fromStore ? nullptr : room.held(seq)) {
        const QString author = room.heldAuthor(seq);
        if (!author.isEmpty() || !writer)
            return MessageStore::Stored{*held, author};
    }
    if (writer)
        return writer->store().message(room.key(), seq);
    return std::nullopt;
}

std::optional<MessageStore::Stored> ServerSession::target(qint64 seq, const QString &request, bool ownOnly)
{
    if (m_username.isEmpty()) {
        sendError(ErrorCode::NoUsername, QStringLiteral("Set a username first"));
        return std::nullopt;
    }
    if (!m_room) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Join a room first"));
        return std::nullopt;
    }
    if (m_context.writer && m_context.cluster && !m_context.cluster->healthy()) {
        // Without Redis a message cannot be read as it stands, let alone changed.
        sendConversationError(ErrorCode::StoreFailed,
                              QStringLiteral("The server could not store the change; nothing changed"),
                              request);
        return std::nullopt;
    }
    auto found = findMessage(*m_room, seq, true);
    if (!found || found->message.deleted > 0) {
        sendConversationError(ErrorCode::UnknownMessage,
                              QStringLiteral("No message %1 in this room").arg(seq), request);
        return std::nullopt;
    }
    // Whoever holds the name holds its messages (open mode); an account keeps its own.
    // A message whose author is unknown (older than the store's record of authors) is no one's.
    if (ownOnly && (found->userKey.isEmpty() || !Protocol::sameName(found->userKey, userKey()))) {
        sendConversationError(ErrorCode::NotAuthor,
                              QStringLiteral("Only its author may change message %1").arg(seq), request);
        return std::nullopt;
    }
    return found;
}

void ServerSession::changeMessage(const ChangeRequest &request, int attempt)
{
    auto found = target(request.seq, request.name, request.ownOnly);
    if (!found)
        return;
    std::optional<Protocol::ServerMessage> announcement = request.apply(*found);
    if (announcement)
        change(*m_room, *found, *announcement, request, attempt);
}

void ServerSession::handle(const Protocol::EditMessage &m)
{
    changeMessage({m.seq, QStringLiteral("editMessage"), true,
                   [this, m](MessageStore::Stored &found) -> std::optional<Protocol::ServerMessage> {
                       Protocol::ChatMessage &changed = found.message;
                       changed.text = m.text;
                       changed.edited = Protocol::nowMs();
                       changed.mentions = m_room->mentionsIn(m.text, Protocol::Limits{}.maxMentions);
                       return Protocol::MessageEdited{m_room->name(), changed.seq, changed.text,
                                                      changed.edited, changed.mentions};
                   }});
}

void ServerSession::handle(const Protocol::DeleteMessage &m)
{
    changeMessage({m.seq, QStringLiteral("deleteMessage"), true,
                   [this](MessageStore::Stored &found) -> std::optional<Protocol::ServerMessage> {
                       // A tombstone: its place in the numbering, nothing of what it said.
                       Protocol::ChatMessage &changed = found.message;
                       Protocol::makeTombstone(changed, Protocol::nowMs());
                       return Protocol::MessageDeleted{m_room->name(), changed.seq, changed.deleted};
                   }});
}

void ServerSession::handle(const Protocol::React &m)
{
    changeMessage({m.seq, QStringLiteral("react"), false, [this, m](MessageStore::Stored &found) {
                       return react(found, m);
                   }});
}

std::optional<Protocol::ServerMessage> ServerSession::react(MessageStore::Stored &found,
                                                            const Protocol::React &m)
{
    const Protocol::Limits limits = Protocol::Limits{};
    QList<Protocol::Reaction> &reactions = found.message.reactions;
    qsizetype total = 0;
    for (const Protocol::Reaction &r : reactions)
        total += r.users.size();
    const auto mine = [this](const QString &user) {
        return user == m_username || Protocol::nameKey(user) == m_usernameKey;
    };
    auto it = std::find_if(reactions.begin(), reactions.end(),
                           [&](const Protocol::Reaction &r) { return r.emoji == m.emoji; });
    bool changed = false;
    if (m.add && (it == reactions.end() || std::none_of(it->users.cbegin(), it->users.cend(), mine))) {
        if (total >= limits.maxReactionsPerMessage ||
            (it == reactions.end() && reactions.size() >= limits.maxReactionEmoji)) {
            sendConversationError(ErrorCode::TooManyReactions,
                                  QStringLiteral("Message %1 has as many reactions as it may").arg(m.seq),
                                  QStringLiteral("react"));
            return std::nullopt;
        }
        if (it == reactions.end())
            reactions.append(Protocol::Reaction{m.emoji, {m_username}});
        else
            it->users.append(m_username);
        changed = true;
    } else if (!m.add && it != reactions.end()) {
        changed = it->users.removeIf(mine) > 0;
        if (it->users.isEmpty())
            reactions.erase(it);
    }
    const Protocol::ReactionsChanged announcement{m_room->name(), m.seq, reactions};
    if (!changed) {
        // Nothing to do: the sender learns how things stand, and pays for hearing it.
        const QByteArray text = Protocol::encode(announcement);
        m_rates.chargeAnnouncement(text.size(), m_clock.elapsed());
        sendUtf8(text);
        return std::nullopt;
    }
    return announcement;
}

void ServerSession::change(Room &room, const MessageStore::Stored &changed,
                           const Protocol::ServerMessage &announcement, const ChangeRequest &request,
                           int attempt)
{
    const QByteArray text = Protocol::encode(announcement);
    HistoryWriter *writer = m_context.writer;
    // Refused below (store full) costs nothing; otherwise every member gets `text` (once, however
    // often a shared store makes it try again).
    const auto charge = [this, size = text.size(), attempt] {
        if (attempt == 1)
            m_rates.chargeAnnouncement(size, m_clock.elapsed());
    };
    if (!writer) {
        charge();
        room.applyChange(changed.message);
        room.broadcast(text);
        return;
    }
    if (writer->unwritten() >= m_context.config.maxUnwrittenMessages) {
        sendConversationError(ErrorCode::StoreFailed,
                              QStringLiteral("The server could not store the change; nothing changed"),
                              request.name);
        return;
    }
    charge();
    const bool shared = m_context.cluster != nullptr;
    MessageStore::Entry entry{room.key(), room.name(), room.epoch(), changed.userKey, changed.message, true};
    if (shared) {
        // Compare-and-set; the store publishes `text` to every node, this one included
        // (docs/DESIGN.md, *Scale-out*), so the completion announces nothing. The tag makes the
        // revision this write leaves its own: a later change built on it (pendingChange) is
        // refused if this one is, though another node may have left the same version.
        entry.origin = m_id;
        entry.revision = changed.revision;
        entry.nextRevision = QByteArray::number(changed.version + 1) + ' ' +
                             QUuid::createUuid().toByteArray(QUuid::Id128).left(16);
        entry.announcement = text;
    }
    room.beginChange(changed.message, changed.userKey, changed.version + 1, entry.nextRevision);
    ServerContext *c = &m_context;
    writer->add(std::move(entry), [c, self = QPointer<ServerSession>(this), roomKey = room.key(),
                                   message = changed.message, text, request, attempt,
                                   shared](bool stored, const MessageStore::Entry &written) {
        Room *room = c->rooms->findByKey(roomKey);
        if (!room)
            return;
        room->endChange(message.seq);
        const auto failed = [&] {
            if (self)
                self->sendConversationError(
                    ErrorCode::StoreFailed,
                    QStringLiteral("The server could not store the change; nothing changed"), request.name);
        };
        if (!stored) {
            failed();
        } else if (!shared) {
            room->applyChange(message);
            room->broadcast(text);
        } else if (written.refused == MessageStore::Refusal::Deleted) {
            if (self)
                self->sendConversationError(ErrorCode::UnknownMessage,
                                            QStringLiteral("No message %1 in this room").arg(message.seq),
                                            request.name);
        } else if (written.refused == MessageStore::Refusal::Stale) {
            // Changed through another node meanwhile: apply the request to what it is now.
            if (self && self->m_room == room && attempt < MaxChangeAttempts)
                self->changeMessage(request, attempt + 1);
            else
                failed();
        }
        c->rooms->release(room);
    });
}

void ServerSession::deliverChange(Room &room, const Protocol::ServerMessage &announcement)
{
    const auto update = [&room](qint64 seq, const auto &apply) {
        if (const Protocol::ChatMessage *held = room.held(seq)) {
            Protocol::ChatMessage message = *held;
            apply(message);
            room.applyChange(message);
        }
    };
    if (const auto *e = std::get_if<Protocol::MessageEdited>(&announcement)) {
        update(e->seq, [e](Protocol::ChatMessage &m) {
            m.text = e->text;
            m.edited = e->edited;
            m.mentions = e->mentions;
        });
    } else if (const auto *d = std::get_if<Protocol::MessageDeleted>(&announcement)) {
        update(d->seq, [d](Protocol::ChatMessage &m) { Protocol::makeTombstone(m, d->deleted); });
    } else if (const auto *r = std::get_if<Protocol::ReactionsChanged>(&announcement)) {
        update(r->seq, [r](Protocol::ChatMessage &m) { m.reactions = r->reactions; });
    } else {
        return;
    }
    room.broadcast(Protocol::encode(announcement));
}

void ServerSession::sendConversationError(ErrorCode code, const QString &message, const QString &request,
                                          const QString &id)
{
    Protocol::Error e{message, Protocol::errorCodeName(code), {}, id, 0, request};
    send(e);
}

void ServerSession::record(ServerContext &context, Room &room, Protocol::ChatMessage chat,
                           ServerSession *sender, const QString &senderKey, std::function<void()> refused)
{
    HistoryWriter *writer = context.writer;
    if (writer && context.cluster) {
        recordShared(context, room, std::move(chat), sender, senderKey, std::move(refused));
        return;
    }
    if (!writer) {
        chat.seq = room.append(chat, senderKey);
        publish(context, room, chat, sender, senderKey);
        return;
    }
    // Numbered now, acknowledged and delivered once stored (PROTOCOL.md 2, *Durable history*):
    // nobody sees a seq the server could still lose.
    chat.seq = room.reserveSeq();
    MessageStore::Entry entry{room.key(), room.name(), room.epoch(), senderKey, std::move(chat)};
    ServerContext *c = &context;
    writer->add(std::move(entry), [c, self = QPointer<ServerSession>(sender), refused = std::move(refused)](
                                      bool stored, const MessageStore::Entry &written) {
        // Kept in memory while it has messages waiting.
        Room *room = c->rooms->findByKey(written.roomKey);
        if (!room)
            return;
        if (stored) {
            room->commit(written.message, written.userKey);
            publish(*c, *room, written.message, self.data(), written.userKey);
        } else {
            room->rollback(); // the batch failed whole: the numbering goes back to what is stored
            refused();
        }
        c->rooms->release(room); // its last member may have left meanwhile
    });
}

void ServerSession::publish(ServerContext &context, Room &room, Protocol::ChatMessage chat,
                            ServerSession *sender, const QString &senderKey)
{
    chat = asSent(context, std::move(chat));
    acknowledge(context, chat, sender, senderKey, false);
    ++context.stats.messagesReceived;
    broadcastChat(context, room, chat, sender);
}

Protocol::ChatMessage ServerSession::asSent(const ServerContext &context, Protocol::ChatMessage chat)
{
    if (!context.config.extensions()) {
        chat.seq = 0;
        chat.room.clear();
    }
    return chat;
}

void ServerSession::acknowledge(ServerContext &context, const Protocol::ChatMessage &chat,
                                ServerSession *sender, const QString &senderKey, bool duplicate)
{
    if (chat.id.isEmpty())
        return;
    context.ids->insert(senderKey, chat.id, {chat.seq, chat.room, chat.timestamp});
    if (sender)
        sender->send(Protocol::Ack{chat.id, chat.seq, chat.room, chat.timestamp, duplicate});
}

void ServerSession::broadcastChat(ServerContext &context, Room &room, const Protocol::ChatMessage &chat,
                                  const ServerSession *except)
{
    context.rooms->noteChanged();                            // subscribers see the new lastSeq (coalesced)
    const bool exceptIn = except && except->room() == &room; // broadcast() skips it
    context.stats.messagesDelivered += quint64(room.members().size() - (exceptIn ? 1 : 0));
    room.broadcast(Protocol::encode(chat), except);
}

void ServerSession::recordShared(ServerContext &context, Room &room, Protocol::ChatMessage chat,
                                 ServerSession *sender, const QString &senderKey,
                                 std::function<void()> refused)
{
    // The store numbers it and publishes it in one step, so every node, this one too, delivers
    // it from the subscription (deliver()) and all of them show one order.
    chat.seq = 0;
    MessageStore::Entry entry{room.key(), room.name(), room.epoch(), senderKey, std::move(chat)};
    entry.origin = sender ? sender->id() : QString();
    ServerContext *c = &context;
    context.writer->add(
        std::move(entry), [c, self = QPointer<ServerSession>(sender),
                           refused = std::move(refused)](bool stored, const MessageStore::Entry &written) {
            if (!stored) {
                refused();
                return;
            }
            if (!written.duplicate)
                ++c->stats.messagesReceived;
            const auto ack = [c, self, written] {
                acknowledge(*c, asSent(*c, written.message), self.data(), written.userKey, written.duplicate);
            };
            if (Room *room = c->rooms->findByKey(written.roomKey)) // a resend's too: its seq is no different
                room->afterDelivered(written.message.seq - 1, ack);
            else
                ack();
        });
}

void ServerSession::deliver(ServerContext &context, Room &room, const Protocol::ChatMessage &chat,
                            const QString &author, const ServerSession *except)
{
    room.commit(chat, author);
    broadcastChat(context, room, asSent(context, chat), except);
    room.deliveredUpTo(chat.seq); // the acks that waited for it
}

void ServerSession::sendStoreFailed(const QString &id)
{
    Protocol::Error e{
        QStringLiteral("The server could not store the message; it was not delivered"), {}, {}, {}, 0};
    if (extensions()) {
        e.code = Protocol::errorCodeName(ErrorCode::StoreFailed);
        e.id = id;
        e.retryAfterMs = StoreRetryMs;
    }
    send(e);
}

void ServerSession::handle(const Protocol::Typing &)
{
    if (!m_room) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Join a room before typing"));
        return;
    }
    const Protocol::UserTyping typing{m_username, extensions() ? m_room->name() : QString()};
    const QByteArray encoded = Protocol::encode(typing);
    m_room->broadcast(encoded, this);
    if (m_context.cluster)
        m_context.cluster->relay(*m_room, m_id, encoded);
}

void ServerSession::handle(const Protocol::Ping &m)
{
    send(Protocol::Pong{m.timestamp, Protocol::nowMs()});
}

void ServerSession::handle(const Protocol::ListRooms &)
{
    m_subscribedToRooms = true;
    m_context.rooms->subscribe(this);
    send(m_context.rooms->list(this));
}

void ServerSession::handle(const Protocol::FileStart &m)
{
    m_intake.start(m);
}

void ServerSession::handle(const Protocol::FileEnd &)
{
    m_intake.end();
}

void ServerSession::handle(const Protocol::FileCancel &m)
{
    m_intake.cancel(m);
}

void ServerSession::handle(const Protocol::FileDecline &m)
{
    // Only ever this connection's own copy of the stream; nobody else is told.
    if (Upload *upload = m_context.uploads->findByStream(m.stream))
        upload->removeReceiver(this);
}

bool ServerSession::admittedBeforeLogin(const Protocol::ClientMessage &message) const
{
    if (std::holds_alternative<Protocol::Auth>(message))
        return true;
    // `hello` declares features before `auth` (PROTOCOL.md 2); an app-level ping keeps liveness
    // and barriers working and tells nothing. Not on /login, which exists for `auth` alone.
    return !m_loginOnly && (std::holds_alternative<Protocol::Hello>(message) ||
                            std::holds_alternative<Protocol::Ping>(message));
}

void ServerSession::handle(const Protocol::Auth &m)
{
    if (!accounts()) {
        sendError(ErrorCode::UnknownType, QStringLiteral("This server has no accounts"));
        return;
    }
    if (m_loggedIn) {
        sendError(ErrorCode::BadField, QStringLiteral("Already logged in as '%1'").arg(m_username));
        return;
    }
    if (m_loginPending) {
        sendError(ErrorCode::AuthFailed, QStringLiteral("A login is already being checked"));
        return;
    }
    if (m_loginOnly && m.usesToken()) {
        sendError(ErrorCode::AuthRequired,
                  QStringLiteral("/login takes a password; send the token in the upgrade"));
        return;
    }
    m_loginPending = true;
    // The server's own queue of password checks does not count against the client's time.
    m_loginDeadline.stop();
    // The answer comes back on this thread, and never after this session is gone.
    m_context.auth->authenticate(m, m_socket->peerAddress(), this,
                                 [this](const Authenticator::Outcome &outcome) { onLogin(outcome); });
}

void ServerSession::onLogin(const Authenticator::Outcome &outcome)
{
    using Kind = Authenticator::Outcome::Kind;
    m_loginPending = false;
    if (m_finished)
        return;
    if (outcome.kind != Authenticator::Outcome::Kind::LoggedIn)
        m_loginDeadline.start(m_context.config.authTimeoutMs);
    switch (outcome.kind) {
    case Kind::LoggedIn:
        becomeLoggedIn(outcome);
        send(Protocol::AuthOk{m_username, m_token, outcome.expiresAt});
        return;
    case Kind::Failed: {
        Protocol::Error e{QStringLiteral("Wrong name, password or token"),
                          Protocol::errorCodeName(ErrorCode::AuthFailed),
                          {},
                          {},
                          outcome.retryAfterMs,
                          QStringLiteral("auth")};
        if (outcome.busy)
            e.message = QStringLiteral("The server is busy checking other logins: wait %1 ms")
                            .arg(outcome.retryAfterMs);
        else if (outcome.retryAfterMs > 0)
            e.message = QStringLiteral("Too many failed logins: wait %1 ms").arg(outcome.retryAfterMs);
        send(e);
        return;
    }
    case Kind::RegistrationClosed:
        sendError(ErrorCode::RegistrationClosed, QStringLiteral("This server does not let anyone register"));
        return;
    case Kind::NameTaken:
        sendError(ErrorCode::NameTaken, QStringLiteral("That name already has an account"));
        return;
    case Kind::InvalidName:
        sendError(ErrorCode::InvalidName, QStringLiteral("Not a valid user name"));
        return;
    case Kind::BadPassword:
        sendError(ErrorCode::BadField, QStringLiteral("A password has 1 to 1024 bytes"));
        return;
    }
}

void ServerSession::handle(const Protocol::Logout &)
{
    if (!accounts()) {
        sendError(ErrorCode::UnknownType, QStringLiteral("This server has no accounts"));
        return;
    }
    m_context.auth->logout(m_token);
    m_token.clear();
    send(Protocol::LoggedOut{});
    closeConnection(1000, QStringLiteral("Logged out"));
}

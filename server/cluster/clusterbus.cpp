// SPDX-License-Identifier: GPL-3.0-or-later
#include "clusterbus.h"

#include "messagestore.h"
#include "redismessagestore.h"
#include "room.h"
#include "roomdirectory.h"
#include "servercontext.h"
#include "serverlog.h"
#include "serversession.h"

#include <QUuid>

namespace {
// Catching up reads the store in pages of this many messages.
constexpr int CatchUpPage = 500;
constexpr int CatchUpRetryMs = 500;
constexpr QByteArrayView EventMark = "e";
constexpr QByteArrayView JoinMark = "j";
constexpr QByteArrayView LeaveMark = "l";
constexpr QByteArrayView ChangeMark = "u";
// A change's announcement is one edited text or one reaction set: far below this.
constexpr qsizetype MaxChangeBytes = 256 * 1024;

// A presence event names a user as a client's setUsername would (PROTOCOL.md 1, *Names*).
bool validName(const QByteArray &utf8)
{
    const int max = Protocol::Limits{}.maxNameChars;
    return utf8.size() <= 4 * max && std::holds_alternative<QString>(Protocol::validateName(
                                         QString::fromUtf8(utf8), max, QStringLiteral("name")));
}

const ServerSession *sessionIn(const Room &room, QStringView id)
{
    if (id.isEmpty())
        return nullptr;
    for (const ServerSession *s : room.members()) {
        if (s->id() == id)
            return s;
    }
    return nullptr;
}
} // namespace

ClusterBus::ClusterBus(const Options &options, RedisMessageStore &store, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_store(store)
    , m_nodeId(QUuid::createUuid().toString(QUuid::Id128).left(12))
    , m_heartbeatChannel(QByteArrayLiteral("natter:") + QByteArray::number(options.url.db) +
                         ":node:" + m_nodeId.toLatin1())
    , m_roomPrefix(RedisMessageStore::channel(options.url.db, {}))
    , m_commands(options.url, QStringLiteral("commands"))
    , m_subscriptions(options.url, QStringLiteral("subscriptions"))
{
    for (RedisLink *link : {&m_commands, &m_subscriptions}) {
        link->setTimeouts(options.connectMs, options.commandMs, options.keepaliveMs);
        connect(link, &RedisLink::becameReady, this, &ClusterBus::noteHealth);
        connect(link, &RedisLink::lost, this, &ClusterBus::noteHealth);
    }
    connect(&m_subscriptions, &RedisLink::becameReady, this, &ClusterBus::resubscribe);
    connect(&m_subscriptions, &RedisLink::lost, this, [this] {
        for (bool &confirmed : m_followed)
            confirmed = false;
    });
    m_subscriptions.setMessageHandler(
        [this](const QByteArray &channel, const QByteArray &payload) { onMessage(channel, payload); });
    m_heartbeat.setInterval(options.keepaliveMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &ClusterBus::beat);
    m_catchUpRetry.setSingleShot(true);
    m_catchUpRetry.setInterval(CatchUpRetryMs);
    connect(&m_catchUpRetry, &QTimer::timeout, this, [this] {
        const QSet<QString> keys = std::exchange(m_catchUpPending, {});
        for (const QString &key : keys) {
            if (m_followed.value(key))
                catchUp(key);
        }
    });
    m_presence.setInterval(options.presenceRefreshMs);
    connect(&m_presence, &QTimer::timeout, this, &ClusterBus::refreshPresence);
}

ClusterBus::~ClusterBus() = default;

void ClusterBus::start()
{
    m_commands.open();
    m_subscriptions.open();
    m_heartbeat.start();
    m_presence.start();
}

void ClusterBus::attach(ServerContext &context)
{
    m_context = &context;
}

bool ClusterBus::healthy() const
{
    return m_healthy;
}

void ClusterBus::noteHealth()
{
    const bool healthy = m_commands.isReady() && m_subscriptions.isReady();
    if (healthy == m_healthy)
        return;
    m_healthy = healthy;
    if (!healthy)
        qCWarning(lcServer).noquote() << "redis unreachable: rooms on other nodes are not followed meanwhile";
    emit healthChanged(healthy);
}

void ClusterBus::resubscribe()
{
    m_lastHeard.start();
    m_subscriptions.subscribe(m_heartbeatChannel);
    for (auto it = m_followed.begin(); it != m_followed.end(); ++it) {
        it.value() = false;
        const QString key = it.key();
        m_subscriptions.subscribe(RedisMessageStore::channel(m_options.url.db, key), [this, key] {
            if (m_followed.contains(key)) {
                m_followed[key] = true;
                catchUp(key);
            }
        });
    }
    refreshPresence(); // who came and went meanwhile
}

void ClusterBus::follow(Room &room)
{
    const QString key = room.key();
    if (m_followed.contains(key))
        return;
    m_followed.insert(key, false);
    // The joiner's roster has everyone: read now, on the loop's handle, like the room itself.
    reconcile(key, m_store.presence(key, Protocol::nowMs()), true);
    // What was published before the subscription took effect is read from the store.
    m_subscriptions.subscribe(RedisMessageStore::channel(m_options.url.db, key), [this, key] {
        if (m_followed.contains(key)) {
            m_followed[key] = true;
            catchUp(key);
        }
    });
}

void ClusterBus::unfollow(const QString &key)
{
    if (m_followed.remove(key))
        m_subscriptions.unsubscribe(RedisMessageStore::channel(m_options.url.db, key));
}

QByteArray ClusterBus::presenceEntry(const QString &session, const QString &name) const
{
    return m_nodeId.toUtf8() + '\n' + session.toUtf8() + '\n' + name.toUtf8();
}

void ClusterBus::joined(const Room &room, const QString &session, const QString &name)
{
    m_commands.command({"ZADD", RedisMessageStore::keyOf(room.key(), "presence"),
                        QByteArray::number(Protocol::nowMs() + m_options.presenceTtlMs),
                        presenceEntry(session, name)});
    m_commands.command(
        {"PUBLISH", RedisMessageStore::channel(m_options.url.db, room.key()),
         JoinMark.toByteArray() + '\n' + session.toUtf8() + '\n' + m_nodeId.toUtf8() + '\n' + name.toUtf8()});
}

void ClusterBus::left(const Room &room, const QString &session, const QString &name)
{
    m_commands.command(
        {"ZREM", RedisMessageStore::keyOf(room.key(), "presence"), presenceEntry(session, name)});
    m_commands.command({"PUBLISH", RedisMessageStore::channel(m_options.url.db, room.key()),
                        LeaveMark.toByteArray() + '\n' + session.toUtf8() + '\n' + m_nodeId.toUtf8() + '\n' +
                            name.toUtf8()});
}

void ClusterBus::refreshPresence()
{
    if (!m_context || !m_commands.isReady())
        return;
    const qint64 now = Protocol::nowMs();
    const QByteArray expiry = QByteArray::number(now + m_options.presenceTtlMs);
    for (auto it = m_followed.cbegin(); it != m_followed.cend(); ++it) {
        const QString key = it.key();
        const Room *room = m_context->rooms->findByKey(key);
        if (!room)
            continue;
        const QByteArray set = RedisMessageStore::keyOf(key, "presence");
        QList<QByteArray> add{"ZADD", set};
        for (const ServerSession *s : room->members())
            add << expiry << presenceEntry(s->id(), s->username());
        if (add.size() > 2)
            m_commands.command(add);
        m_commands.command({"ZREMRANGEBYSCORE", set, "-inf", QByteArray::number(now)});
        m_commands.command({"ZRANGEBYSCORE", set, QByteArray::number(now), "+inf"},
                           [this, key](const RedisReply &reply) {
                               if (reply.isError() || !m_followed.contains(key))
                                   return;
                               QList<QByteArray> entries;
                               for (qsizetype i = 0; i < reply.size(); ++i)
                                   entries.append(reply.at(i).bytes());
                               reconcile(key, entries, false);
                           });
    }
}

void ClusterBus::reconcile(const QString &key, const QList<QByteArray> &entries, bool quietly)
{
    Room *room = m_context ? m_context->rooms->findByKey(key) : nullptr;
    if (!room)
        return;
    QHash<QString, QString> now; // session -> name, on other nodes
    for (const QByteArray &entry : entries) {
        const QList<QByteArray> parts = entry.split('\n');
        if (parts.size() != 3 || parts.at(0) == m_nodeId.toUtf8() || !validName(parts.at(2)))
            continue; // malformed, or ours (our members are known better here)
        now.insert(QString::fromUtf8(parts.at(1)), QString::fromUtf8(parts.at(2)));
    }
    const QHash<QString, QString> before = room->remoteMembers();
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!now.contains(it.key()) && room->removeRemote(it.key()) && !quietly)
            announce(*room, it.value(), false);
    }
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        if (room->addRemote(it.key(), it.value()) && !quietly)
            announce(*room, it.value(), true);
    }
}

void ClusterBus::announce(Room &room, const QString &name, bool joined)
{
    const bool ext = m_context->config.extensions();
    if (joined)
        room.broadcast(Protocol::encode(Protocol::UserJoined{name, room.name(), room.userCount()}));
    else
        room.broadcast(
            Protocol::encode(Protocol::UserLeft{name, room.userCount(), ext ? room.name() : QString()}));
    m_context->rooms->noteChanged();
}

void ClusterBus::relay(const Room &room, const QString &origin, const QByteArray &encoded)
{
    m_commands.command(
        {"PUBLISH", RedisMessageStore::channel(m_options.url.db, room.key()),
         EventMark.toByteArray() + '\n' + origin.toUtf8() + '\n' + m_nodeId.toUtf8() + '\n' + encoded});
}

void ClusterBus::beat()
{
    if (!m_commands.isReady() || !m_subscriptions.isReady())
        return;
    // Three intervals without our own heartbeat: the subscription is dead though its socket is not.
    if (m_lastHeard.isValid() && m_lastHeard.elapsed() > 3 * m_options.keepaliveMs) {
        m_subscriptions.reset(QStringLiteral("its heartbeat did not come back"));
        return;
    }
    m_commands.command({"PUBLISH", m_heartbeatChannel, "h"});
}

void ClusterBus::onMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (channel == m_heartbeatChannel) {
        m_lastHeard.start();
        return;
    }
    if (!m_context || !channel.startsWith(m_roomPrefix))
        return;
    const QString key = QString::fromUtf8(channel.mid(m_roomPrefix.size()));
    Room *room = m_context->rooms->findByKey(key);
    if (!room || !m_followed.value(key))
        return; // not followed here, or still catching up through its confirmation
    // SEQ|e|j|l|u \n ORIGIN \n AUTHOR|NODE|SEQ VERSION \n JSON
    const qsizetype a = payload.indexOf('\n');
    const qsizetype b = a < 0 ? -1 : payload.indexOf('\n', a + 1);
    const qsizetype c = b < 0 ? -1 : payload.indexOf('\n', b + 1);
    if (c < 0)
        return;
    const QByteArrayView head(payload.constData(), a);
    const QString origin = QString::fromUtf8(payload.constData() + a + 1, b - a - 1);
    const QByteArray third = payload.mid(b + 1, c - b - 1);
    const QByteArray json = payload.mid(c + 1);
    if (head == ChangeMark) {
        deliverChange(*room, third, json);
        return;
    }
    if (head == EventMark || head == JoinMark || head == LeaveMark) {
        if (third == m_nodeId.toUtf8())
            return; // its own node told its members already
        if (head != EventMark && !validName(json))
            return;
        if (head == EventMark)
            room->broadcast(json, sessionIn(*room, origin));
        else if (head == JoinMark && room->addRemote(origin, QString::fromUtf8(json)))
            announce(*room, QString::fromUtf8(json), true);
        else if (head == LeaveMark && room->removeRemote(origin))
            announce(*room, QString::fromUtf8(json), false);
        return;
    }
    bool ok = false;
    const qint64 seq = head.toLongLong(&ok);
    if (!ok || seq <= room->lastSeq())
        return; // delivered already (by a catch-up)
    if (seq > room->lastSeq() + 1) {
        catchUp(key); // the store has what was missed, and this one after it
        return;
    }
    Protocol::Decoded<Protocol::ServerMessage> decoded = Protocol::decodeServer(json);
    auto *message = std::get_if<Protocol::ServerMessage>(&decoded);
    auto *chat = message ? std::get_if<Protocol::ChatMessage>(message) : nullptr;
    if (!chat) {
        qCWarning(lcServer).noquote() << "redis: an unreadable message on" << channel;
        return;
    }
    chat->seq = seq;
    ServerSession::deliver(*m_context, *room, *chat, QString::fromUtf8(third), sessionIn(*room, origin));
}

void ClusterBus::deliverChange(Room &room, const QByteArray &position, const QByteArray &json)
{
    // Every node, the changer's too, applies a change from here: one order, the store's.
    const QList<QByteArray> numbers = position.split(' ');
    bool seqOk = false;
    bool versionOk = false;
    const qint64 seq = numbers.value(0).toLongLong(&seqOk);
    const qint64 version = numbers.value(1).toLongLong(&versionOk);
    // A message not numbered here yet is read from the store, changed, when it comes.
    if (numbers.size() != 2 || !seqOk || !versionOk || seq <= 0 || seq > room.lastSeq() || version <= 0 ||
        json.size() > MaxChangeBytes)
        return;
    Protocol::Decoded<Protocol::ServerMessage> decoded = Protocol::decodeServer(json);
    const auto *message = std::get_if<Protocol::ServerMessage>(&decoded);
    if (!message)
        return;
    const auto about = [&](const QString &roomName, qint64 changed) {
        return changed == seq && Protocol::nameKey(roomName) == room.key();
    };
    const auto *e = std::get_if<Protocol::MessageEdited>(message);
    const auto *d = std::get_if<Protocol::MessageDeleted>(message);
    const auto *r = std::get_if<Protocol::ReactionsChanged>(message);
    if ((e && about(e->room, e->seq)) || (d && about(d->room, d->seq)) || (r && about(r->room, r->seq)))
        ServerSession::deliverChange(room, *message);
    else
        qCWarning(lcServer).noquote() << "redis: an unreadable change in room" << room.key();
}

void ClusterBus::catchUp(const QString &key)
{
    if (!m_context)
        return;
    for (;;) {
        Room *room = m_context->rooms->findByKey(key);
        if (!room)
            return;
        QStringList authors;
        QStringList origins;
        const QList<Protocol::ChatMessage> missed =
            m_store.after(key, room->lastSeq(), CatchUpPage, &authors, &origins);
        if (m_store.lastCallFailed()) {
            // Redis is not back for this handle yet: try again, or a gap would stay until the
            // room's next message.
            if (!m_catchUpRetry.isActive())
                m_catchUpRetry.start();
            m_catchUpPending.insert(key);
            return;
        }
        for (qsizetype i = 0; i < missed.size(); ++i)
            ServerSession::deliver(*m_context, *room, missed.at(i), authors.value(i),
                                   sessionIn(*room, origins.value(i)));
        if (missed.size() < CatchUpPage)
            return;
    }
}

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
constexpr QByteArrayView EventMark = "e";

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

ClusterBus::ClusterBus(const Options &options, MessageStore &store, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_store(store)
    , m_nodeId(QUuid::createUuid().toString(QUuid::Id128).left(12))
    , m_heartbeatChannel(QByteArrayLiteral("natter:") + QByteArray::number(options.url.db) + ":node:" +
                         m_nodeId.toLatin1())
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
}

ClusterBus::~ClusterBus() = default;

void ClusterBus::start()
{
    m_commands.open();
    m_subscriptions.open();
    m_heartbeat.start();
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
}

void ClusterBus::follow(Room &room)
{
    const QString key = room.key();
    if (m_followed.contains(key))
        return;
    m_followed.insert(key, false);
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

void ClusterBus::relay(const Room &room, const QString &origin, const QByteArray &encoded)
{
    m_commands.command({"PUBLISH", RedisMessageStore::channel(m_options.url.db, room.key()),
                        EventMark.toByteArray() + '\n' + origin.toUtf8() + '\n' + m_nodeId.toUtf8() + '\n' +
                            encoded});
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
    // SEQ|e \n ORIGIN \n AUTHOR|NODE \n JSON
    const qsizetype a = payload.indexOf('\n');
    const qsizetype b = a < 0 ? -1 : payload.indexOf('\n', a + 1);
    const qsizetype c = b < 0 ? -1 : payload.indexOf('\n', b + 1);
    if (c < 0)
        return;
    const QByteArrayView head(payload.constData(), a);
    const QString origin = QString::fromUtf8(payload.constData() + a + 1, b - a - 1);
    const QByteArray third = payload.mid(b + 1, c - b - 1);
    const QByteArray json = payload.mid(c + 1);
    if (head == EventMark) {
        if (third != m_nodeId.toUtf8()) // its own node sent it to its room already
            room->broadcast(json, sessionIn(*room, origin));
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

void ClusterBus::catchUp(const QString &key)
{
    if (!m_context)
        return;
    for (;;) {
        Room *room = m_context->rooms->findByKey(key);
        if (!room)
            return;
        const QList<Protocol::ChatMessage> missed = m_store.after(key, room->lastSeq(), CatchUpPage);
        for (const Protocol::ChatMessage &m : missed) {
            // The author's key is not needed to deliver; changes look it up in the store.
            ServerSession::deliver(*m_context, *room, m, {}, nullptr);
        }
        if (missed.size() < CatchUpPage)
            return;
    }
}

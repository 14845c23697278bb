// SPDX-License-Identifier: GPL-3.0-or-later
#include "clusterbus.h"

#include "messagestore.h"
#include "nameregistry.h"
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
constexpr QByteArrayView TakeoverMark = "t";
// A takeover notice: "t\nSESSION\nNAMEKEY", a session id (a UUID) and a name key.
constexpr qsizetype MaxNoticeBytes = 512;
constexpr qsizetype NamesPerRefresh = 500; // one script call's names (about 100 bytes each)
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
    , m_nodeChannelPrefix(QByteArrayLiteral("natter:") + QByteArray::number(options.url.db) + ":node:")
    , m_roomPrefix(RedisMessageStore::channel(options.url.db, {}))
    , m_commands(options.url, QStringLiteral("commands"))
    , m_subscriptions(options.url, QStringLiteral("subscriptions"))
    , m_files(m_commands, m_nodeId, options.url.db)
{
    for (RedisLink *link : {&m_commands, &m_subscriptions}) {
        link->setTimeouts(options.connectMs, options.commandMs, options.keepaliveMs);
        connect(link, &RedisLink::becameReady, this, [this, link] {
            m_lostLinks.remove(link);
            noteHealth();
        });
        connect(link, &RedisLink::lost, this, [this, link] {
            m_lostLinks.insert(link);
            noteHealth();
        });
    }
    // The loop's synchronous calls (joins, history, catch-up) skip a broker either link found
    // gone or frozen, instead of waiting out a timeout each.
    m_store.setReachable([this] { return m_lostLinks.isEmpty(); });
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

ClusterBus::~ClusterBus()
{
    m_store.setReachable({});
}

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
    m_files.attach(context);
    if (context.names)
        context.names->setShared(this);
}

SharedNames::Claim ClusterBus::claim(const QString &key, const QString &session, const QByteArray &tokenHash,
                                     const QByteArray &presentedHash)
{
    if (!m_healthy)
        return Claim::Unreachable;
    // On the loop's handle, like createRoom: the answer is needed before the reply. Once more
    // if the handle's connection went stale in an outage the links have recovered from.
    const auto once = [&] {
        return m_store.claimName(key, m_nodeId.toUtf8(), session.toUtf8(), tokenHash, presentedHash,
                                 m_nodeChannelPrefix, m_options.presenceTtlMs);
    };
    int claimed = once();
    if (claimed < 0 && m_store.lastCallFailed())
        claimed = once();
    switch (claimed) {
    case 1:
        return Claim::Held;
    case 0:
        return Claim::Taken;
    default:
        return Claim::Unreachable;
    }
}

void ClusterBus::release(const QString &key, const QString &session)
{
    // Freed at once for the other nodes; while Redis is away it expires after the TTL instead.
    if (m_healthy)
        m_store.releaseName(key, m_nodeId.toUtf8(), session.toUtf8());
}

void ClusterBus::refreshNames()
{
    if (!m_context || !m_context->names)
        return;
    // A chunk of names a call: one call a name kept Redis (and the replies this loop) busy for
    // seconds every refresh once a node held thousands, long enough to look like an outage.
    const QHash<QString, NameRegistry::Held> held = m_context->names->held();
    const QByteArray node = m_nodeId.toUtf8();
    const QByteArray ttl = QByteArray::number(m_options.presenceTtlMs);
    // A key gone while Redis was reachable all along was taken over and then released elsewhere
    // (the notice lost): the session here lost the name. Only after an outage may Redis have lost
    // or expired it behind our back, and the first refresh puts it back.
    const QByteArray restore = m_restoreNames ? "1" : "0";
    if (held.isEmpty())
        m_restoreNames = false; // names claimed from now on are in Redis
    for (auto it = held.cbegin(); it != held.cend();) {
        QList<QByteArray> keys;
        QList<QByteArray> args{node, ttl, restore};
        QList<std::pair<QString, QByteArray>> chunk; // name key, session
        for (; it != held.cend() && chunk.size() < NamesPerRefresh; ++it) {
            const QByteArray session = it->session->id().toUtf8();
            keys.append(RedisMessageStore::nameKeyOf(it.key()));
            args << session << it->tokenHash;
            chunk.append({it.key(), session});
        }
        m_commands.command(QList<QByteArray>{"EVAL", RedisMessageStore::refreshNamesScript(),
                                             QByteArray::number(keys.size())} +
                               keys + args,
                           [this, chunk](const RedisReply &reply) {
                               if (!reply.isArray() || reply.size() != chunk.size())
                                   return;
                               m_restoreNames = false;
                               for (qsizetype i = 0; i < chunk.size(); ++i)
                                   noteRefreshed(chunk.at(i).first, chunk.at(i).second,
                                                 reply.at(i).integer());
                           });
    }
}

void ClusterBus::noteRefreshed(const QString &nameKey, const QByteArray &session, qint64 result)
{
    if (!m_context || !m_context->names)
        return;
    const ServerSession *holder = m_context->names->holderByKey(nameKey);
    const bool stillHeld = holder && holder->id().toUtf8() == session;
    if (result == 0 || result == 3)
        loseName(nameKey, QString::fromUtf8(session));
    else if (result == 2 && !stillHeld) // restored just after a release
        m_commands.command({"EVAL", RedisMessageStore::releaseNameScript(), "1",
                            RedisMessageStore::nameKeyOf(nameKey), m_nodeId.toUtf8(), session});
}

void ClusterBus::loseName(const QString &nameKey, const QString &session)
{
    if (!m_context || !m_context->names)
        return;
    ServerSession *holder = m_context->names->holderByKey(nameKey);
    if (!holder || holder->id() != session)
        return; // it changed hands here meanwhile
    qCInfo(lcServer).noquote() << "name taken over from" << session << "on another node";
    m_context->names->dropLocally(holder);
    holder->closeConnection(Protocol::CloseNameTakenOver, QStringLiteral("name taken over"));
}

void ClusterBus::onTakeover(const QByteArray &payload)
{
    if (!m_context || !m_context->names || payload.size() > MaxNoticeBytes)
        return;
    const QList<QByteArray> parts = payload.split('\n');
    if (parts.size() != 3)
        return;
    const QString session = QString::fromUtf8(parts.at(1));
    const QString key = QString::fromUtf8(parts.at(2));
    const ServerSession *holder = m_context->names->holderByKey(key);
    if (!holder || holder->id() != session)
        return; // not a name this session holds here
    // Anyone can publish: only Redis says whether the name changed hands.
    m_commands.command({"GET", RedisMessageStore::nameKeyOf(key)},
                       [this, key, session](const RedisReply &reply) {
                           if (reply.isError() || reply.isNil())
                               return;
                           if (!reply.bytes().startsWith(m_nodeId.toUtf8() + '\n' + session.toUtf8() + '\n'))
                               loseName(key, session);
                       });
}

void ClusterBus::readRooms()
{
    // Only a public list shows rooms the viewer is not in.
    if (!m_context || !m_context->config.publicRoomsList || !m_commands.isReady() || m_readingRooms)
        return;
    const qint64 now = Protocol::nowMs();
    const QByteArray stale = QByteArray::number(now - m_options.presenceTtlMs);
    // Rooms followed here stay listed; a room no node refreshed for the TTL is dropped.
    QList<QByteArray> add{"ZADD", RedisMessageStore::roomsKey()};
    for (auto it = m_followed.cbegin(); it != m_followed.cend(); ++it)
        add << QByteArray::number(now) << it.key().toUtf8();
    if (add.size() > 2)
        m_commands.command(add);
    m_commands.command({"ZREMRANGEBYSCORE", RedisMessageStore::roomsKey(), "-inf", "(" + stale});
    m_readingRooms = true;
    m_commands.command(
        {"ZREVRANGEBYSCORE", RedisMessageStore::roomsKey(), "+inf", stale, "LIMIT", "0",
         QByteArray::number(m_options.maxListedRooms)},
        [this, now](const RedisReply &reply) {
            if (reply.isError()) {
                m_readingRooms = false;
                return;
            }
            struct Read
            {
                QList<RoomDirectory::ClusterRoom> rooms;
                int waiting = 0;
            };
            auto read = std::make_shared<Read>();
            const Protocol::Limits limits;
            for (qsizetype i = 0; i < reply.size(); ++i) {
                const QByteArray key = reply.at(i).bytes();
                if (key.isEmpty() || key.size() > 4 * limits.maxRoomChars)
                    continue;
                ++read->waiting;
                auto room = std::make_shared<RoomDirectory::ClusterRoom>();
                room->key = QString::fromUtf8(key);
                m_commands.command({"ZCOUNT", RedisMessageStore::keyOf(room->key, "presence"),
                                    QByteArray::number(now), "+inf"},
                                   [room](const RedisReply &count) {
                                       room->info.userCount =
                                           int(qBound(qint64(0), count.integer(), qint64(1000000)));
                                   });
                m_commands.command(
                    {"HMGET", RedisMessageStore::keyOf(room->key, "meta"), "name", "epoch", "seq"},
                    [this, room, read](const RedisReply &meta) {
                        if (!meta.isError() && meta.size() == 3 && !meta.at(0).isNil()) {
                            room->info.name = QString::fromUtf8(meta.at(0).bytes());
                            room->info.epoch = QString::fromUtf8(meta.at(1).bytes());
                            room->info.lastSeq = meta.at(2).integer();
                            read->rooms.append(*room);
                        }
                        if (--read->waiting == 0) {
                            m_readingRooms = false;
                            if (m_context)
                                m_context->rooms->setClusterRooms(read->rooms);
                        }
                    });
            }
            if (read->waiting == 0) {
                m_readingRooms = false;
                m_context->rooms->setClusterRooms({});
            }
        });
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
    if (healthy) {
        m_store.retryNow();
        m_restoreNames = true;
        refreshNames(); // at once: a name whose key Redis lost is this node's again before anyone claims it
    }
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

void ClusterBus::joined(Room &room, const QString &session, const QString &name)
{
    // Its holder is back, here: the session it left behind on a dead node is not shown beside it.
    if (namesAreHeld())
        dropLeftBehind(room, name, {});
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
    refreshNames();
    readRooms();
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
    const bool held = namesAreHeld();
    QSet<QString> here; // open mode: the keys of the names held by this node's members
    if (held) {
        for (const ServerSession *s : room->members())
            here.insert(Protocol::nameKey(s->username()));
    }
    QHash<QString, QString> now;     // session -> name, on other nodes
    QHash<QString, QString> holders; // open mode: name key -> session
    for (const QByteArray &entry : entries) {
        const QList<QByteArray> parts = entry.split('\n');
        if (parts.size() != 3 || parts.at(0) == m_nodeId.toUtf8() || !validName(parts.at(2)))
            continue; // malformed, or ours (our members are known better here)
        const QString session = QString::fromUtf8(parts.at(1));
        const QString name = QString::fromUtf8(parts.at(2));
        if (held) {
            // One session per name: the entries come by expiry, oldest first, so the newest
            // (refreshed by a live node) wins over one left behind; a holder here wins over all.
            const QString nameKey = Protocol::nameKey(name);
            if (here.contains(nameKey))
                continue;
            now.remove(holders.value(nameKey));
            holders.insert(nameKey, session);
        }
        now.insert(session, name);
    }
    // Announced by name: a session that replaces another under the same name (its holder came
    // back through another node) is no news to the members.
    QHash<QString, int> change; // name -> its sessions now, less before
    const QHash<QString, QString> before = room->remoteMembers();
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!now.contains(it.key()) && room->removeRemote(it.key()))
            --change[it.value()];
    }
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        if (room->addRemote(it.key(), it.value()))
            ++change[it.value()];
    }
    if (quietly)
        return;
    for (auto it = change.cbegin(); it != change.cend(); ++it) {
        for (int i = 0; i < it.value(); ++i)
            announce(*room, it.key(), true);
        for (int i = 0; i > it.value() && !(held && here.contains(Protocol::nameKey(it.key()))); --i)
            announce(*room, it.key(), false);
    }
}

bool ClusterBus::namesAreHeld() const
{
    return m_context && m_context->config.extensions() && !m_context->config.accounts;
}

bool ClusterBus::dropLeftBehind(Room &room, const QString &name, const QString &keep)
{
    bool dropped = false;
    for (const QString &session : room.remoteSessionsNamed(Protocol::nameKey(name))) {
        if (session != keep)
            dropped = room.removeRemote(session) || dropped;
    }
    return dropped;
}

void ClusterBus::remoteJoined(Room &room, const QString &session, const QString &name)
{
    // A holder back through another node replaces what it left behind: its name was in the
    // room all along.
    const bool wasHere = namesAreHeld() && dropLeftBehind(room, name, session);
    if (room.addRemote(session, name) && !wasHere)
        announce(room, name, true);
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

void ClusterBus::offerFile(Upload &upload, const Room &room)
{
    if (!m_healthy)
        return; // Redis is away: the file reaches this node's members only
    // The nodes with members in the room (their presence), each a receiver from the first chunk.
    QStringList nodes;
    for (const QByteArray &entry : m_store.presence(room.key(), Protocol::nowMs())) {
        const QString node = QString::fromUtf8(entry.left(entry.indexOf('\n')));
        if (node != m_nodeId && !nodes.contains(node))
            nodes.append(node);
    }
    m_files.offer(upload, room, nodes);
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
    m_files.tick();
}

void ClusterBus::onMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (channel == m_heartbeatChannel) {
        if (payload.startsWith(TakeoverMark.toByteArray() + '\n'))
            onTakeover(payload);
        else if (!m_files.onNodeMessage(payload))
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
        else if (head == JoinMark)
            remoteJoined(*room, origin, QString::fromUtf8(json));
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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clusterfilerelay.h"
#include "clusterlink.h"
#include "redislink.h"
#include "redisurl.h"
#include "sharednames.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

class RedisMessageStore;

//! Follows this node's rooms on the other nodes through Redis pub/sub (docs/DESIGN.md,
//! *Scale-out*). The shared store (RedisMessageStore) publishes each message it numbers on its
//! room's channel; this subscribes to the channel of every room with a member here, on a
//! connection of its own, and delivers what arrives in seq order. A message whose seq skips
//! ahead, a new subscription and a subscription made again after Redis came back all read
//! what was missed from the store first, so a node never shows a gap it could fill.
//!
//! The subscription proves itself alive: every keepalive interval the node publishes on its own
//! channel through a second connection, and a subscription that hears nothing of three is
//! dropped and made again.
//!
//! Held names (SharedNames, open mode) live in Redis with the presence TTL, refreshed with
//! presence; a takeover from another node arrives on this node's channel and is checked against
//! Redis before the session is closed. The rooms list's view of the other nodes' rooms is read
//! on the same timer (RoomDirectory::setClusterRooms).
class ClusterBus : public QObject, public ClusterLink, public SharedNames
{
    Q_OBJECT

public:
    struct Options
    {
        RedisUrl url;
        int connectMs = 1000;
        int commandMs = 2000;
        int keepaliveMs = 1000;
        // A node refreshes its members' presence this often; an entry not refreshed for the TTL
        // (a node that died) drops out of every roster (PROTOCOL.md 2, *Scale-out*).
        int presenceRefreshMs = 5000;
        int presenceTtlMs = 20000;
        // The rooms list reads at most this many of the rooms occupied on any node.
        int maxListedRooms = 1000;
    };

    // `store` is the event loop's handle on the shared store: catching up and presence.
    ClusterBus(const Options &options, RedisMessageStore &store, QObject *parent = nullptr);
    ~ClusterBus() override;

    // Connects both links and keeps them connected.
    void start();

    void attach(ServerContext &context) override;
    void follow(Room &room) override;
    void unfollow(const QString &key) override;
    void joined(Room &room, const QString &session, const QString &name) override;
    void left(const Room &room, const QString &session, const QString &name) override;
    void relay(const Room &room, const QString &origin, const QByteArray &encoded) override;
    void offerFile(Upload &upload, const Room &room) override;
    bool healthy() const override;
    double lastRoundTripSeconds() const override { return m_commands.lastRoundTripSeconds(); }
    Claim claim(const QString &key, const QString &session, const QByteArray &tokenHash,
                const QByteArray &presentedHash) override;
    void release(const QString &key, const QString &session) override;

    QString nodeId() const { return m_nodeId; }
    int followedRooms() const { return int(m_followed.size()); }
    const RedisLink &commands() const { return m_commands; }
    const RedisLink &subscriptions() const { return m_subscriptions; }
    ClusterFileRelay &files() { return m_files; }

signals:
    // Redis became reachable on both links, or stopped being: logs and /healthz follow it.
    void healthChanged(bool healthy);

private:
    void resubscribe();
    void onMessage(const QByteArray &channel, const QByteArray &payload);
    // A `u` publication: the change `json` announces, at `position` ("SEQ VERSION"), if it is one.
    void deliverChange(Room &room, const QByteArray &position, const QByteArray &json);
    void catchUp(const QString &key);
    void beat();
    void noteHealth();
    QByteArray presenceEntry(const QString &session, const QString &name) const;
    // Every followed room: this node's members refreshed, the expired removed, the others read.
    void refreshPresence();
    // `entries` (the room's presence set) become its remote members; the changes are announced
    // to the members here unless `quietly`.
    void reconcile(const QString &key, const QList<QByteArray> &entries, bool quietly);
    void announce(Room &room, const QString &name, bool joined);
    // Open mode holds each name on one session across the cluster (SharedNames), so another
    // session under a name in a room is one its holder left behind on a node that died, kept in
    // presence until its TTL (PROTOCOL.md 2, *Scale-out*). Accounts mode lets one user in from
    // several places, and base mode holds no names.
    bool namesAreHeld() const;
    // Open mode: drops the room's remote members under `name` other than `keep`; whether any were.
    bool dropLeftBehind(Room &room, const QString &name, const QString &keep);
    // A session on another node entered `room`.
    void remoteJoined(Room &room, const QString &session, const QString &name);
    // This node's held names: kept alive, or their sessions closed if another took them.
    void refreshNames();
    // Another node says it took `nameKey` from `session`: closes it if Redis agrees.
    void onTakeover(const QByteArray &payload);
    void noteRefreshed(const QString &nameKey, const QByteArray &session, qint64 result);
    void loseName(const QString &nameKey, const QString &session);
    // The rooms occupied on any node, for the rooms list.
    void readRooms();

    Options m_options;
    RedisMessageStore &m_store;
    ServerContext *m_context = nullptr;
    QString m_nodeId;
    QByteArray m_heartbeatChannel;
    QByteArray m_nodeChannelPrefix;  // + a node id: that node's channel
    QByteArray m_roomPrefix;         // the rooms' channels begin with it, their key follows
    RedisLink m_commands;            // PUBLISH of heartbeats and relayed events
    RedisLink m_subscriptions;       // SUBSCRIBE only
    ClusterFileRelay m_files;        // uploads across nodes, on m_commands
    QHash<QString, bool> m_followed; // room key -> its subscription is confirmed
    QTimer m_heartbeat;
    QTimer m_presence;
    QTimer m_catchUpRetry;
    QSet<QString> m_catchUpPending; // rooms whose catch-up could not read the store
    QElapsedTimer m_lastHeard;      // since our own heartbeat last came back
    bool m_healthy = false;
    bool m_restoreNames = false;         // from Redis coming back until a refresh of the names went through
    QSet<const RedisLink *> m_lostLinks; // lost Redis and have not found it again
    bool m_readingRooms = false;
};

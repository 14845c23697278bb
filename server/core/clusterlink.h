// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QString>

class Room;
class Upload;
struct ServerContext;

//! Where a node's rooms meet the same rooms on the other nodes (PROTOCOL.md 2, *Scale-out*).
//! Null in ServerContext when the server runs alone. Messages are numbered and published by the
//! shared MessageStore; this side follows the rooms this node has members in and delivers what
//! any node published to them, in seq order, the author's own session excepted.
class ClusterLink
{
public:
    virtual ~ClusterLink() = default;
    // By ChatServer::setClusterLink: the rooms and sessions it delivers to.
    virtual void attach(ServerContext &context) = 0;
    // `room` got its first member on this node: follow it. Its members on other nodes are
    // known when this returns (Room::remoteMembers), for the joiner's roster.
    virtual void follow(Room &room) = 0;
    // The room `key` lost its last member on this node: stop following it.
    virtual void unfollow(const QString &key) = 0;
    // Presence: a session of this node entered or left `room`; the other nodes tell their members.
    // Called before the joiner's roster is made: what `joined` drops from the room's remote
    // members (a session its holder left behind on a node that died) is not in it.
    virtual void joined(Room &room, const QString &session, const QString &name) = 0;
    virtual void left(const Room &room, const QString &session, const QString &name) = 0;
    // An event that is not stored (typing) goes to the room's members on the other nodes:
    // `encoded` is the message as sent to clients, `origin` the session it came from.
    virtual void relay(const Room &room, const QString &origin, const QByteArray &encoded) = 0;
    // `upload` starts in `room` on this node: the room's members on the other nodes receive it
    // too, at the pace of the slowest of them (PROTOCOL.md 2, *Scale-out*).
    virtual void offerFile(Upload &upload, const Room &room) = 0;
    // false while Redis cannot be reached on either connection.
    virtual bool healthy() const = 0;
    // The newest round trip to Redis, in seconds (/metrics).
    virtual double lastRoundTripSeconds() const = 0;
};

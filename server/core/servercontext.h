// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "serverconfig.h"
#include "serverstats.h"

#include <functional>

class Authenticator;
class ClusterLink;
class HistoryWriter;
class MessageIdStore;
class NameRegistry;
class RoomDirectory;
class UploadRegistry;

//! What every session of one ChatServer shares. Owned by the ChatServer, outlives its sessions.
struct ServerContext
{
    ServerConfig config;
    RoomDirectory *rooms = nullptr;
    MessageIdStore *ids = nullptr;
    UploadRegistry *uploads = nullptr;
    Authenticator *auth = nullptr;   // accounts mode only
    NameRegistry *names = nullptr;   // open mode's held names
    HistoryWriter *writer = nullptr; // with a message store only (ChatServer::setMessageStore)
    ClusterLink *cluster = nullptr;  // with a shared store only (ChatServer::setClusterLink)
    // Why new messages cannot be stored now (scale-out: Redis is away); empty while all is well.
    // Clients that declared `status` are told (PROTOCOL.md 7, *Server status*).
    QString degraded;
    ServerStats stats; // counted by the sessions, read by ChatServer::stats()
    // A session has queued something for its peer: the backlog check runs until all is written.
    std::function<void()> backlogQueued;
};

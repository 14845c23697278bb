// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

//! Everything that shapes one ChatServer: limits and intervals. Plain values, so a
//! test can build one inline and natter-server can fill one from its command line.
struct ServerConfig
{
    // Smallest legal maxMessageBytes: one full upload chunk (4-byte index + 64 KiB) must fit.
    static constexpr qint64 MinMessageBytes = 65540;

    QString host = QStringLiteral("0.0.0.0"); // 0.0.0.0 / :: listen on every interface
    quint16 port = 8080;                      // 0 picks a free port; see ChatServer::port()
    qint64 maxMessageBytes = 1024 * 1024;     // larger incoming messages close with 1009
    qint64 maxFileBytes = qint64(4) * 1024 * 1024 * 1024;
    int historyLimit = 200;  // chat messages kept per room
    int heartbeatMs = 30000; // WebSocket ping interval; 0 disables the heartbeat
    bool baseOnly = false;   // speak only the guides' base protocol (PROTOCOL.md section 9)
    // TLS (wss://): PEM files of the server's certificate (chain) and private key. Both empty:
    // plain ws://, for a TLS-terminating proxy in front or for localhost.
    QString certificateFile;
    QString privateKeyFile;

    int roomsListCoalesceMs = 250;     // at most one `rooms` update per subscriber this often
    int resumeKeepMs = 10 * 60 * 1000; // how long an interrupted upload can be resumed
    int maxHeldUploads = 1000;         // interrupted uploads kept; beyond it the oldest are forgotten
    // Message ids remembered for deduplication, per user (PROTOCOL.md section 3). Per user at
    // least as many as Natter's outbox holds, so its unacknowledged messages always fit; in all,
    // a bound on memory (about 250 bytes each) that a flood from one name cannot spend for others.
    int maxIds = 200000;
    int maxIdsPerUser = 10000;
    qint64 idWindowMs = qint64(24) * 60 * 60 * 1000; // advertised in `connected`
    int maxEmptyRooms = 1000;                        // empty rooms whose history is kept
    // ... and at most this much of their messages, so one client cannot fill memory by writing
    // full histories into a thousand rooms it then leaves.
    qint64 maxEmptyRoomHistoryBytes = 256 * 1024 * 1024;
    int handshakeTimeoutMs = 10000; // a TCP connection must finish the upgrade within this
    // A client that lets this much queue up unread is dropped (TCP abort): it could otherwise make
    // the server buffer without bound, e.g. by asking for history again and again. Above
    // relayDropBytes, so a slow receiver of a file loses that file, not its connection.
    qint64 maxBacklogBytes = 128 * 1024 * 1024;

    // Withhold `fileProgress` while any receiver's write backlog is above this many bytes.
    qint64 relayHighWaterBytes = 4 * 1024 * 1024;
    // A receiver whose backlog passes this (only possible when the uploader ignores flow control,
    // like a guides client) is dropped from the stream so the server's memory stays bounded.
    qint64 relayDropBytes = 64 * 1024 * 1024;

    // Send `fileProgress` after this many new chunks (PROTOCOL.md: at least every 8).
    int progressEveryChunks = 4;

    bool extensions() const { return !baseOnly; }
    bool tls() const { return !certificateFile.isEmpty() || !privateKeyFile.isEmpty(); }
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <limits>

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
    int historyLimit = 200; // chat messages kept per room
    // One history reply (roomJoined or `history`) carries at most this many messages and this
    // many bytes of them (encoded); the client asks for the next page. What one request can make
    // the server queue stays small whatever the history limit (PROTOCOL.md 2).
    int historyPageMessages = 100;
    qint64 historyPageBytes = 256 * 1024;
    int heartbeatMs = 30000; // WebSocket ping interval; 0 disables the heartbeat
    bool baseOnly = false;   // speak only the guides' base protocol (PROTOCOL.md section 9)
    // TLS (wss://): PEM files of the server's certificate (chain) and private key. Both empty:
    // plain ws://, for a TLS-terminating proxy in front or for localhost.
    QString certificateFile;
    QString privateKeyFile;

    // Browser pages that may connect: a handshake whose Origin header is not one of these is
    // refused with 403. Clients that send no Origin (desktop, CLI, bots) are always let in; so an
    // empty list refuses every browser page, since none is trusted unless named.
    QStringList allowedOrigins;
    // true: `listRooms` shows every occupied room to anyone. false: each session sees only the
    // room it is in, so room names are not handed to strangers (PROTOCOL.md section 4).
    bool publicRoomsList = false;

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
    // Per remote address, so that one host cannot take every file descriptor (a thousand stalled
    // half-handshakes would lock everyone out): TCP connections still in the upgrade handshake,
    // and TCP connections in all. Over a cap a new connection is closed at once, unanswered.
    // Far above what people behind one NAT reach; loopback is not exempt.
    int maxHandshakesPerAddress = 32;
    // WebSocket connections per remote address, and in all (0: no total cap; natter-server sets
    // it from its open-file limit). Past either the upgrade is answered 503 with Retry-After
    // (busyRetryAfterS) before any WebSocket state exists (PROTOCOL.md, "Server busy").
    int maxConnectionsPerAddress = 256;
    int maxConnections = 0;
    int busyRetryAfterS = 5;
    // Connections the kernel queues before the server accepts them (listen(2)), so a storm of
    // connects is not met with dropped SYNs and 1-3-7 s retries; Linux caps it at
    // net.core.somaxconn (4096 on current kernels).
    int listenBacklog = 4096;
    // A client that lets this much queue up unread is dropped (TCP abort): it could otherwise make
    // the server buffer without bound, e.g. by asking for history again and again. Above
    // relayDropBytes, so a slow receiver of a file loses that file, not its connection.
    qint64 maxBacklogBytes = 128 * 1024 * 1024;
    // A client whose backlog stays above slowBacklogBytes for slowBacklogMs is dropped too, even
    // if it reads a little now and then; and while all backlogs together pass
    // maxTotalBacklogBytes, the biggest are dropped first (BacklogGuard). Checked every
    // backlogCheckMs: the pongs queued for a peer's pings count, though no code of ours sends them.
    qint64 slowBacklogBytes = 16 * 1024 * 1024;
    int slowBacklogMs = 30000;
    qint64 maxTotalBacklogBytes = qint64(1) * 1024 * 1024 * 1024;
    int backlogCheckMs = 250;
    // glibc keeps freed memory in its arenas: once it holds this much more freed memory than at
    // its low point (big backlogs were dropped or drained), the server hands it back to the
    // system (malloc_trim) at the next backlog check, so its RSS goes down again. 0: never.
    qint64 trimFreedBytes = 64 * 1024 * 1024;

    // Withhold `fileProgress` while any receiver's write backlog is above this many bytes.
    qint64 relayHighWaterBytes = 4 * 1024 * 1024;
    // A receiver whose backlog passes this (only possible when the uploader ignores flow control,
    // like a guides client) is dropped from the stream so the server's memory stays bounded.
    qint64 relayDropBytes = 64 * 1024 * 1024;

    // Send `fileProgress` after this many new chunks (PROTOCOL.md: at least every 8).
    int progressEveryChunks = 4;

    // Per connection, per second with a burst (PROTOCOL.md 1): what a person never reaches, a
    // flood does. Over a limit the message is refused with `rateLimited`; a connection refused
    // more than rateLimitStrikes times within 10 s is closed with 1008. rateScale multiplies
    // every rate and burst (0: no limits), for a trusted bot or a benchmark.
    struct Rate
    {
        double perSecond;
        double burst;
    };
    Rate chatRate{10, 30};
    Rate chatBytesRate{64 * 1024, 256 * 1024}; // UTF-8 bytes of chat text
    Rate joinRate{2, 10};                      // joinRoom, leaveRoom and setUsername
    Rate typingRate{2, 5};
    Rate pingRate{5, 20}; // app-level pings
    Rate fileStartRate{2, 10};
    Rate listRoomsRate{2, 10};
    // Bytes of history sent (roomJoined and `history` replies): a person joining rooms never
    // reaches it, a loop asking for the same history again does. A `history` request over it is
    // refused; a joinRoom is not (joinRate bounds joins), but its roomJoined then carries no
    // history, only `historyMore`, so every byte of history sent is paid for.
    Rate historyBytesRate{1024 * 1024, 4 * 1024 * 1024};
    int rateLimitStrikes = 50;
    double rateScale = 1;

    // Where state kept on disk lives (accounts mode's users.sqlite; docs/DESIGN.md, "Accounts"),
    // and the message store's messages.sqlite when natter-server is given --data-dir.
    QString dataDir;

    // Retention of history (PROTOCOL.md 2, *Durable history*), per room; 0: no bound. Applied in
    // the background every retentionIntervalMs, at most retentionBatch store deletions per
    // event-loop pass, so that a large removal never stalls the loop.
    qint64 historyMaxAgeMs = 0;
    qint64 historyMaxMessages = 0;
    int retentionIntervalMs = 60000;
    int retentionBatch = 1000;
    // Chat messages waiting for the store's writer at most: a disk slower than the chat cannot
    // make the server hold messages without bound; beyond it new ones are refused (storeFailed).
    int maxUnwrittenMessages = 100000;

    // Accounts mode (PROTOCOL.md 2, *Identity*): a connection must log in (`auth`) before anything
    // else; the ChatServer needs an Authenticator (AccountService). Off: open mode.
    bool accounts = false;
    bool registrationOpen = false; // `auth` with `register` may create accounts
    // Refuse an upgrade without a valid `Authorization: Bearer` token with 401, before any
    // WebSocket state exists; the path /login is let through for a password `auth` only.
    bool authAtHandshake = false;
    int authTimeoutMs = 10000;    // a connection not logged in by then is closed with 1008
    int revocationCheckMs = 5000; // how soon an operator's `user passwd/remove` ends live sessions

    // Every per-connection and global limit off (rates, backlogs, per-address caps, the input
    // share of an event-loop pass), for measuring what the limits cost (`natter-server
    // --no-limits`, tools/bench.sh). Never for a server others can reach. What keeps the protocol
    // itself well-formed stays: message size, JSON caps, name and text rules.
    void liftLimits()
    {
        constexpr qint64 Unbounded = qint64(1) << 60;
        rateScale = 0;
        maxBacklogBytes = slowBacklogBytes = maxTotalBacklogBytes = Unbounded;
        maxHandshakesPerAddress = maxConnectionsPerAddress = std::numeric_limits<int>::max();
        maxConnections = 0;
        fairPass = false;
    }
    // false: a connection's input is handled as it comes, with no share per event-loop pass.
    bool fairPass = true;

    bool extensions() const { return !baseOnly; }
    bool tls() const { return !certificateFile.isEmpty() || !privateKeyFile.isEmpty(); }
};

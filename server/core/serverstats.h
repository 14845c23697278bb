// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

//! Running totals of one ChatServer since it was made, for /metrics (docs/DEPLOYING.md,
//! *Monitoring*). Plain numbers in the ServerContext, so that sessions count with an increment;
//! read on the server's thread only. What is computed on demand (open connections, rooms, the
//! store's write times) is asked of the ChatServer instead.
struct ServerStats
{
    quint64 connectionsAccepted = 0; // WebSocket sessions started
    quint64 handshakesRefused = 0;   // upgrade requests answered with an HTTP error
    quint64 messagesReceived = 0;    // chat (and file) messages accepted into a room
    quint64 messagesDelivered = 0;   // those sent on to room members, one per recipient
    quint64 bytesReceived = 0;       // payload of the WebSocket messages clients sent
    quint64 bytesSent = 0;           // bytes written to clients' connections, framing included
    quint64 fileBytesRelayed = 0;    // file data taken from uploaders and relayed to their rooms
};

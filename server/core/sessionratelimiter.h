// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"
#include "serverconfig.h"
#include "tokenbucket.h"

#include <deque>
#include <optional>

//! One connection's rate limits (ServerConfig::chatRate and the rest): which client messages go
//! through now, and for those that do not, when to try again and whether the connection has
//! been refused so often that it is abuse. Chat keeps its order: after one refusal, every chat
//! message is refused until the retry time, so a client that resends in order loses none; those
//! were in flight, so only the refusal that started the wait counts towards abuse.
class SessionRateLimiter
{
public:
    struct Refusal
    {
        qint64 retryAfterMs = 0;
        QString id;           // the refused chat message's id, if it had one
        bool abusive = false; // refused too often: close the connection (1008)
    };

    explicit SessionRateLimiter(const ServerConfig &config);

    std::optional<Refusal> admit(const Protocol::ClientMessage &message, qint64 nowMs);
    // History replies are paid for in bytes (ServerConfig::historyBytesRate). A `history` request
    // whose page the budget cannot pay for is refused (a strike, like any refusal). A joinRoom is
    // never refused for it (joins have their own rate): payHistory() says whether its page can go.
    std::optional<Refusal> admitHistory(qint64 bytes, qint64 nowMs);
    bool payHistory(qint64 bytes, qint64 nowMs);
    // What an accepted edit or reaction makes the server send every member (PROTOCOL.md 3,
    // *Rates*), charged to the chat text allowance after the fact.
    void chargeAnnouncement(qint64 bytes, qint64 nowMs);

private:
    qint64 wait(const Protocol::ClientMessage &message, qint64 nowMs);
    Refusal refuse(qint64 retryAfterMs, qint64 nowMs);

    TokenBucket m_chat;
    TokenBucket m_chatBytes;
    TokenBucket m_join;
    TokenBucket m_typing;
    TokenBucket m_ping;
    TokenBucket m_fileStart;
    TokenBucket m_listRooms;
    TokenBucket m_historyBytes;
    qint64 m_chatBlockedUntil = 0;
    bool m_inFlight = false; // the last refusal was of chat sent during a block already announced
    int m_strikesAllowed;
    std::deque<qint64> m_strikes; // refusal times within the last StrikeWindowMs
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionratelimiter.h"

namespace {
constexpr qint64 StrikeWindowMs = 10000;

TokenBucket bucket(const ServerConfig::Rate &rate, double scale)
{
    return scale > 0 ? TokenBucket(rate.perSecond * scale, rate.burst * scale) : TokenBucket();
}
} // namespace

SessionRateLimiter::SessionRateLimiter(const ServerConfig &config)
    : m_chat(bucket(config.chatRate, config.rateScale))
    , m_chatBytes(bucket(config.chatBytesRate, config.rateScale))
    , m_join(bucket(config.joinRate, config.rateScale))
    , m_typing(bucket(config.typingRate, config.rateScale))
    , m_ping(bucket(config.pingRate, config.rateScale))
    , m_fileStart(bucket(config.fileStartRate, config.rateScale))
    , m_listRooms(bucket(config.listRoomsRate, config.rateScale))
    , m_historyBytes(bucket(config.historyBytesRate, config.rateScale))
    , m_strikesAllowed(config.rateScale > 0 ? config.rateLimitStrikes : -1)
{}

qint64 SessionRateLimiter::wait(const Protocol::ClientMessage &message, qint64 nowMs)
{
    m_inFlight = false;
    // Edits, deletions and reactions are written and broadcast like a chat message: they share
    // its buckets, an edit with its text.
    std::optional<qsizetype> chatUnits;
    if (const auto *chat = std::get_if<Protocol::SendChat>(&message))
        chatUnits = chat->text.size();
    else if (const auto *edit = std::get_if<Protocol::EditMessage>(&message))
        chatUnits = edit->text.size();
    else if (std::holds_alternative<Protocol::DeleteMessage>(message) ||
             std::holds_alternative<Protocol::React>(message))
        chatUnits = 0;
    if (chatUnits) {
        if (nowMs < m_chatBlockedUntil) {
            m_inFlight = true; // sent before the client could know: refused, but no strike
            return m_chatBlockedUntil - nowMs;
        }
        // Both buckets must allow it; a refused message costs nothing.
        TokenBucket count = m_chat, bytes = m_chatBytes;
        const qint64 a = count.take(nowMs);
        const qint64 b = bytes.take(nowMs, double(*chatUnits) * 3); // at most 3 UTF-8 bytes a unit
        if (a > 0 || b > 0) {
            m_chatBlockedUntil = nowMs + std::max(a, b);
            return std::max(a, b);
        }
        m_chat = count;
        m_chatBytes = bytes;
        return 0;
    }
    if (std::holds_alternative<Protocol::JoinRoom>(message) ||
        std::holds_alternative<Protocol::LeaveRoom>(message) ||
        std::holds_alternative<Protocol::SetUsername>(message))
        return m_join.take(nowMs);
    if (std::holds_alternative<Protocol::Typing>(message))
        return m_typing.take(nowMs);
    if (std::holds_alternative<Protocol::Ping>(message))
        return m_ping.take(nowMs);
    if (std::holds_alternative<Protocol::FileStart>(message))
        return m_fileStart.take(nowMs);
    if (std::holds_alternative<Protocol::ListRooms>(message))
        return m_listRooms.take(nowMs);
    return 0; // hello, fileEnd, fileCancel, fileDecline: bounded by what they refer to
}

std::optional<SessionRateLimiter::Refusal> SessionRateLimiter::admit(const Protocol::ClientMessage &message,
                                                                     qint64 nowMs)
{
    const qint64 retryAfter = wait(message, nowMs);
    if (retryAfter <= 0)
        return std::nullopt;
    Refusal refusal = refuse(retryAfter, nowMs);
    if (const auto *chat = std::get_if<Protocol::SendChat>(&message))
        refusal.id = chat->id;
    return refusal;
}

std::optional<SessionRateLimiter::Refusal> SessionRateLimiter::admitHistory(qint64 bytes, qint64 nowMs)
{
    m_inFlight = false;
    const qint64 retryAfter = m_historyBytes.take(nowMs, double(bytes));
    if (retryAfter <= 0)
        return std::nullopt;
    return refuse(retryAfter, nowMs);
}

bool SessionRateLimiter::payHistory(qint64 bytes, qint64 nowMs)
{
    return m_historyBytes.take(nowMs, double(bytes)) == 0;
}

SessionRateLimiter::Refusal SessionRateLimiter::refuse(qint64 retryAfterMs, qint64 nowMs)
{
    Refusal refusal;
    refusal.retryAfterMs = retryAfterMs;
    if (!m_inFlight)
        m_strikes.push_back(nowMs);
    while (!m_strikes.empty() && nowMs - m_strikes.front() > StrikeWindowMs)
        m_strikes.pop_front();
    refusal.abusive = m_strikesAllowed >= 0 && int(m_strikes.size()) > m_strikesAllowed;
    return refusal;
}

void SessionRateLimiter::chargeAnnouncement(qint64 bytes, qint64 nowMs)
{
    m_chatBytes.charge(nowMs, double(bytes));
}

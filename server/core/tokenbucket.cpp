// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenbucket.h"

#include <algorithm>
#include <cmath>

TokenBucket::TokenBucket(double perSecond, double burst)
    : m_perSecond(perSecond)
    , m_burst(std::max(1.0, burst))
    , m_tokens(std::max(1.0, burst))
{}

void TokenBucket::refill(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_perSecond / 1000.0);
    m_lastMs = std::max(m_lastMs, nowMs);
}

void TokenBucket::charge(qint64 nowMs, double cost)
{
    if (m_perSecond <= 0)
        return;
    refill(nowMs);
    m_tokens = std::max(-m_burst, m_tokens - cost);
}

qint64 TokenBucket::take(qint64 nowMs, double cost)
{
    if (m_perSecond <= 0)
        return 0;
    refill(nowMs);
    // More than a full bucket can never be paid for at once: it is charged as a full bucket.
    cost = std::min(cost, m_burst);
    if (m_tokens >= cost) {
        m_tokens -= cost;
        return 0;
    }
    return qint64(std::ceil((cost - m_tokens) * 1000.0 / m_perSecond));
}

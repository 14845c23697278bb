// SPDX-License-Identifier: GPL-3.0-or-later
#include "reconnectpolicy.h"

#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace {
ReconnectPolicy::Settings sanitized(ReconnectPolicy::Settings s)
{
    s.initialDelayMs = std::max(0, s.initialDelayMs);
    s.maxDelayMs = std::max(s.initialDelayMs, s.maxDelayMs);
    s.factor = std::max(1.0, s.factor);
    s.jitter = std::clamp(s.jitter, 0.0, 1.0);
    s.maxAttempts = std::max(0, s.maxAttempts);
    return s;
}
} // namespace

ReconnectPolicy::ReconnectPolicy()
    : ReconnectPolicy(Settings{})
{}

ReconnectPolicy::ReconnectPolicy(const Settings &settings, quint64 seed)
    : m_settings(sanitized(settings))
    , m_random(seed ? QRandomGenerator(quint32(seed ^ (seed >> 32)))
                    : QRandomGenerator(QRandomGenerator::global()->generate()))
{}

void ReconnectPolicy::setSettings(const Settings &settings)
{
    m_settings = sanitized(settings);
}

bool ReconnectPolicy::exhausted() const
{
    return m_settings.maxAttempts > 0 && m_attempt >= m_settings.maxAttempts;
}

int ReconnectPolicy::baseDelay(int attempt) const
{
    const int n = std::max(1, attempt);
    // Computed in double and capped before converting, so large attempt numbers cannot overflow.
    const double raw = m_settings.initialDelayMs * std::pow(m_settings.factor, n - 1);
    return int(std::min<double>(raw, m_settings.maxDelayMs));
}

int ReconnectPolicy::minDelay(int attempt) const
{
    return int(std::floor(baseDelay(attempt) * (1.0 - m_settings.jitter)));
}

int ReconnectPolicy::maxDelay(int attempt) const
{
    return int(
        std::min<double>(std::ceil(baseDelay(attempt) * (1.0 + m_settings.jitter)), m_settings.maxDelayMs));
}

std::optional<int> ReconnectPolicy::nextDelay()
{
    if (exhausted())
        return std::nullopt;
    ++m_attempt;
    const double scale = 1.0 + m_settings.jitter * (2.0 * m_random.generateDouble() - 1.0);
    const double delay = std::min<double>(baseDelay(m_attempt) * scale, m_settings.maxDelayMs);
    return std::clamp(int(std::lround(delay)), minDelay(m_attempt), maxDelay(m_attempt));
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRandomGenerator>

#include <optional>

//! Exponential backoff with jitter, a cap and optional max attempts: decides how long to wait
//! before each reconnect attempt. Plain value class, no timers, so it is testable on its own.
class ReconnectPolicy
{
public:
    struct Settings
    {
        int initialDelayMs = 1000;
        double factor = 2.0;
        int maxDelayMs = 30000;
        double jitter = 0.3; // each delay is scaled by a random factor in [1 - jitter, 1 + jitter]
        int maxAttempts = 0; // 0 = retry for ever
    };

    ReconnectPolicy();
    // seed 0 picks a random seed.
    explicit ReconnectPolicy(const Settings &settings, quint64 seed = 0);

    // Counts one more attempt and returns how long to wait before it; nullopt once maxAttempts
    // attempts were handed out (the caller gives up).
    std::optional<int> nextDelay();

    // Attempts handed out since the last reset(), 1-based; 0 when none.
    int attempt() const { return m_attempt; }
    bool exhausted() const;
    void reset() { m_attempt = 0; }

    // The un-jittered delay for attempt n (1-based), already capped.
    int baseDelay(int attempt) const;
    // The range a jittered delay for attempt n falls in.
    int minDelay(int attempt) const;
    int maxDelay(int attempt) const;

    const Settings &settings() const { return m_settings; }
    void setSettings(const Settings &settings);

private:
    Settings m_settings;
    QRandomGenerator m_random;
    int m_attempt = 0;
};

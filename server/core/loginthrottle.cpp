// SPDX-License-Identifier: GPL-3.0-or-later
#include "loginthrottle.h"

#include <QElapsedTimer>
#include <QHostAddress>

#include <algorithm>
#include <memory>
#include <vector>

LoginThrottle::LoginThrottle()
    : LoginThrottle(Settings{})
{}

LoginThrottle::LoginThrottle(const Settings &settings, Clock clock)
    : m_settings(settings)
    , m_clock(std::move(clock))
{
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] {
            return timer->elapsed();
        };
    }
}

qint64 LoginThrottle::delayFor(const QString &accountKey, const QHostAddress &address) const
{
    const qint64 t = now();
    return qMax(waitFor(m_accounts, accountKey, m_settings.freeAccountFailures, t),
                waitFor(m_addresses, addressKey(address), m_settings.freeAddressFailures, t));
}

void LoginThrottle::failed(const QString &accountKey, const QHostAddress &address)
{
    const qint64 t = now();
    addFailure(m_accounts, accountKey, t);
    addFailure(m_addresses, addressKey(address), t);
}

void LoginThrottle::succeeded(const QString &accountKey, const QHostAddress &address)
{
    Q_UNUSED(address) // see the class comment: only expiry clears an address
    m_accounts.remove(accountKey);
}

QString LoginThrottle::addressKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    std::fill(bytes.c + 8, bytes.c + 16, 0);
    return QHostAddress(bytes).toString() + QLatin1String("/64");
}

qint64 LoginThrottle::now() const
{
    return m_clock();
}

qint64 LoginThrottle::waitFor(const Table &table, const QString &key, int freeFailures, qint64 now) const
{
    const auto it = table.constFind(key);
    if (it == table.constEnd() || now - it->lastFailureMs >= m_settings.forgetAfterMs)
        return 0;
    const int over = it->failures - freeFailures;
    if (over <= 0)
        return 0;
    // baseDelay * 2^(over - 1), without overflowing on a long run of failures.
    qint64 delay = m_settings.baseDelayMs;
    for (int i = 1; i < over && delay < m_settings.maxDelayMs; ++i)
        delay *= 2;
    delay = qMin(delay, m_settings.maxDelayMs);
    return qMax<qint64>(0, it->lastFailureMs + delay - now);
}

void LoginThrottle::addFailure(Table &table, const QString &key, qint64 now)
{
    auto it = table.find(key);
    if (it == table.end()) {
        if (table.size() >= m_settings.maxTracked)
            makeRoom(table, now);
        it = table.insert(key, {});
    } else if (now - it->lastFailureMs >= m_settings.forgetAfterMs) {
        it->failures = 0;
    }
    it->failures = qMin(it->failures + 1, 1000000);
    it->lastFailureMs = now;
}

void LoginThrottle::makeRoom(Table &table, qint64 now)
{
    for (auto it = table.begin(); it != table.end();) {
        if (now - it->lastFailureMs >= m_settings.forgetAfterMs)
            it = table.erase(it);
        else
            ++it;
    }
    if (table.size() < m_settings.maxTracked)
        return;
    // Still full of live entries (a flood from many addresses): drop the oldest eighth at once,
    // so the scan is paid once per many insertions, not on each.
    std::vector<qint64> times;
    times.reserve(size_t(table.size()));
    for (const Entry &entry : std::as_const(table))
        times.push_back(entry.lastFailureMs);
    const size_t drop = qMax<size_t>(1, times.size() / 8);
    std::nth_element(times.begin(), times.begin() + qsizetype(drop - 1), times.end());
    const qint64 cutoff = times[drop - 1];
    size_t dropped = 0;
    for (auto it = table.begin(); it != table.end() && dropped < drop;) {
        if (it->lastFailureMs <= cutoff) {
            it = table.erase(it);
            ++dropped;
        } else {
            ++it;
        }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageidstore.h"

namespace {
// How often every user's expired ids are dropped; in between, a user's own are dropped as it sends.
constexpr qint64 SweepEveryMs = 60000;
} // namespace

MessageIdStore::MessageIdStore(const Limits &limits, Clock clock)
    : m_limits(limits)
    , m_clock(std::move(clock))
{
    m_limits.perUser = qMax(1, m_limits.perUser);
    m_limits.total = qMax(1, m_limits.total);
    m_limits.windowMs = qMax<qint64>(1, m_limits.windowMs);
    m_elapsed.start();
    m_lastSweep = now();
}

QString MessageIdStore::scopeKey(const QString &user)
{
    // Names are compared case-insensitively: "Alice" resending what "alice" sent is the same user.
    return user.toCaseFolded();
}

qint64 MessageIdStore::now() const
{
    return m_clock ? m_clock() : m_elapsed.elapsed();
}

bool MessageIdStore::expired(const Stored &stored, qint64 now) const
{
    return now - stored.storedAt >= m_limits.windowMs;
}

std::optional<MessageIdStore::Record> MessageIdStore::find(const QString &user, const QString &id) const
{
    const auto scope = m_scopes.constFind(scopeKey(user));
    if (scope == m_scopes.cend())
        return std::nullopt;
    const auto it = scope->ids.constFind(id);
    if (it == scope->ids.cend() || expired(*it, now()))
        return std::nullopt;
    return it->record;
}

void MessageIdStore::insert(const QString &user, const QString &id, const Record &record)
{
    const qint64 t = now();
    if (t - m_lastSweep >= SweepEveryMs)
        sweep(t);
    const QString key = scopeKey(user);
    Scope &scope = m_scopes[key];
    const int before = int(scope.order.size());
    expire(scope, t);
    if (scope.ids.contains(id)) {
        resized(key, before, int(scope.order.size()));
        return;
    }
    scope.ids.insert(id, {record, t});
    scope.order.push_back(id);
    ++m_total;
    while (int(scope.order.size()) > m_limits.perUser)
        forgetOldest(scope);
    resized(key, before, int(scope.order.size()));

    // Full: the biggest holder pays, which is this user whenever it is the one flooding.
    while (m_total > m_limits.total && !m_bySize.empty()) {
        const QString biggest = m_bySize.rbegin()->second;
        Scope &victim = m_scopes[biggest];
        const int n = int(victim.order.size());
        forgetOldest(victim);
        resized(biggest, n, int(victim.order.size()));
    }
}

void MessageIdStore::forgetOldest(Scope &scope)
{
    scope.ids.remove(scope.order.front());
    scope.order.pop_front();
    --m_total;
}

void MessageIdStore::expire(Scope &scope, qint64 now)
{
    while (!scope.order.empty() && expired(scope.ids.value(scope.order.front()), now))
        forgetOldest(scope);
}

void MessageIdStore::sweep(qint64 now)
{
    m_lastSweep = now;
    for (auto it = m_scopes.begin(); it != m_scopes.end();) {
        const int before = int(it->order.size());
        expire(*it, now);
        const int after = int(it->order.size());
        if (after == before) {
            ++it;
            continue;
        }
        m_bySize.erase({before, it.key()});
        if (after > 0) {
            m_bySize.insert({after, it.key()});
            ++it;
        } else {
            it = m_scopes.erase(it);
        }
    }
}

void MessageIdStore::resized(const QString &key, int before, int after)
{
    if (before > 0)
        m_bySize.erase({before, key});
    if (after > 0)
        m_bySize.insert({after, key});
    else
        m_scopes.remove(key); // an empty scope holds nothing worth its memory
}

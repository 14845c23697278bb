// SPDX-License-Identifier: GPL-3.0-or-later
#include "typingtracker.h"

#include <limits>

TypingTracker::TypingTracker(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &TypingTracker::expireDue);
}

void TypingTracker::setExpiry(int ms)
{
    m_expiry = qMax(1, ms);
}

void TypingTracker::setThrottle(int ms)
{
    m_throttle = qMax(0, ms);
}

void TypingTracker::setClock(std::function<qint64()> nowMs)
{
    m_now = std::move(nowMs);
}

qint64 TypingTracker::now() const
{
    return m_now ? m_now() : m_clock.elapsed();
}

QStringList TypingTracker::users() const
{
    return m_order;
}

void TypingTracker::userTyping(const QString &user)
{
    const bool isNew = !m_expiresAt.contains(user);
    // Nobody reads a list of hundreds of names; a room spamming indicators must not grow it.
    if (isNew && m_order.size() >= MaxShown)
        return;
    m_expiresAt.insert(user, now() + m_expiry);
    if (isNew) {
        m_order.append(user);
        emit typingChanged(m_order);
    }
    if (!m_expiryTimer.isActive())
        m_expiryTimer.start(m_expiry);
}

void TypingTracker::userStopped(const QString &user)
{
    if (!m_expiresAt.remove(user))
        return;
    m_order.removeOne(user);
    emit typingChanged(m_order);
}

void TypingTracker::clear()
{
    m_expiryTimer.stop();
    resetOutgoing();
    if (m_order.isEmpty())
        return;
    m_expiresAt.clear();
    m_order.clear();
    emit typingChanged(m_order);
}

void TypingTracker::expireDue()
{
    const qint64 at = now();
    qint64 next = std::numeric_limits<qint64>::max();
    bool changed = false;
    for (auto it = m_expiresAt.begin(); it != m_expiresAt.end();) {
        if (it.value() <= at) {
            m_order.removeOne(it.key());
            it = m_expiresAt.erase(it);
            changed = true;
        } else {
            next = std::min(next, it.value());
            ++it;
        }
    }
    if (!m_expiresAt.isEmpty())
        m_expiryTimer.start(int(next - at));
    if (changed)
        emit typingChanged(m_order);
}

bool TypingTracker::takeOutgoingSlot()
{
    const qint64 at = now();
    if (m_lastOutgoing >= 0 && at - m_lastOutgoing < m_throttle)
        return false;
    m_lastOutgoing = at;
    return true;
}

void TypingTracker::resetOutgoing()
{
    m_lastOutgoing = -1;
}

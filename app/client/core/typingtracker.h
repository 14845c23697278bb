// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>

//! Who is typing: incoming indicators expire a few seconds after their last refresh or at once
//! when that user's chat message arrives; outgoing `typing` is throttled to one per interval.
class TypingTracker : public QObject
{
    Q_OBJECT
public:
    explicit TypingTracker(QObject *parent = nullptr);

    void setExpiry(int ms);   // default 5000
    void setThrottle(int ms); // default 2500
    // Replaces the monotonic clock (milliseconds), so tests can move time instead of waiting.
    void setClock(std::function<qint64()> nowMs);

    void userTyping(const QString &user);  // a `userTyping` arrived: (re)start its indicator
    void userStopped(const QString &user); // their message arrived or they left
    void clear();                          // room changed or connection lost
    static constexpr int MaxShown = 20;    // typists beyond this many are not tracked
    QStringList users() const;             // in the order they started typing, at most MaxShown
    // Drops the indicators whose time has passed. The tracker's own timer calls it when the next
    // one is due; calling it at any other time is harmless.
    void expireDue();

    // True when an outgoing `typing` may go out now (at most once per throttle interval).
    bool takeOutgoingSlot();
    void resetOutgoing();

signals:
    void typingChanged(const QStringList &users);

private:
    qint64 now() const;

    QHash<QString, qint64> m_expiresAt; // user -> m_clock ms
    QStringList m_order;
    QElapsedTimer m_clock;
    std::function<qint64()> m_now; // overrides m_clock when set
    QTimer m_expiryTimer;
    int m_expiry = 5000;
    int m_throttle = 2500;
    qint64 m_lastOutgoing = -1;
};

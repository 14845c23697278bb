// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <deque>

//! Bytes per second over a sliding window: steady enough to show, quick to follow a change.
class RateMeter
{
public:
    explicit RateMeter(qint64 windowMs = 3000);

    // `total` bytes done at time `nowMs` (any monotonic millisecond clock).
    void sample(qint64 nowMs, qint64 total);
    double bytesPerSecond() const;
    void reset();

private:
    struct Point
    {
        qint64 ms;
        qint64 total;
    };
    qint64 m_windowMs;
    std::deque<Point> m_points;
};

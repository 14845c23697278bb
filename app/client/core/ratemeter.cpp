// SPDX-License-Identifier: GPL-3.0-or-later
#include "ratemeter.h"

RateMeter::RateMeter(qint64 windowMs)
    : m_windowMs(windowMs)
{}

void RateMeter::sample(qint64 nowMs, qint64 total)
{
    if (!m_points.empty() && total < m_points.back().total)
        m_points.clear(); // started again from zero
    m_points.push_back({nowMs, total});
    // Keep one point at or before the window's start so the window stays full.
    while (m_points.size() > 2 && nowMs - m_points[1].ms >= m_windowMs)
        m_points.pop_front();
}

double RateMeter::bytesPerSecond() const
{
    if (m_points.size() < 2)
        return 0;
    const Point &first = m_points.front();
    const Point &last = m_points.back();
    if (last.ms <= first.ms)
        return 0;
    return double(last.total - first.total) * 1000.0 / double(last.ms - first.ms);
}

void RateMeter::reset()
{
    m_points.clear();
}

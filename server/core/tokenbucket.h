// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

//! A token bucket: `burst` tokens at most, refilled at `perSecond`. Taking what is there is
//! allowed; otherwise the caller learns how long until it would be.
class TokenBucket
{
public:
    TokenBucket() = default;
    TokenBucket(double perSecond, double burst);

    // Takes `cost` tokens at `nowMs` (a monotonic clock) and returns 0, or returns the ms until
    // they will be there and takes nothing. A bucket with no rate (perSecond <= 0) never refuses.
    qint64 take(qint64 nowMs, double cost = 1);
    // Takes `cost` tokens at `nowMs` whatever there is: for what has happened already. The bucket
    // may go into debt, down to one full bucket, which later take()s wait out.
    void charge(qint64 nowMs, double cost);

private:
    void refill(qint64 nowMs);

    double m_perSecond = 0;
    double m_burst = 0;
    double m_tokens = 0;
    qint64 m_lastMs = -1;
};

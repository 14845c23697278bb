// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "passwordrecord.h"

#include <QFuture>
#include <QString>
#include <QThreadPool>

#include <atomic>

//! Runs password derivations (PasswordRecord) on a small thread pool of its own, so that a login,
//! about 0.12 s of one core at the default cost, never blocks the server's event loop.
//! Results come back as QFutures; `.then(context, ...)` delivers them on the context's thread.
class PasswordHasher
{
public:
    // `threads`: derivations that may run at once; the rest wait in order.
    explicit PasswordHasher(int threads = 1);
    // Waits for the derivations already started; queued ones still run first.
    ~PasswordHasher();
    PasswordHasher(const PasswordHasher &) = delete;
    PasswordHasher &operator=(const PasswordHasher &) = delete;

    QFuture<PasswordRecord::Check> check(const QString &record, const QString &password,
                                         int wantedIterations);
    QFuture<QString> create(const QString &password, int iterations);

    // Derivations queued or running: a caller should refuse new logins above a bound it chooses,
    // or a flood of attempts queues minutes of work.
    int pending() const { return m_pending.load(); }

private:
    QThreadPool m_pool;
    std::atomic<int> m_pending{0};
};

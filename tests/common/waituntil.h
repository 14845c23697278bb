// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

#include <functional>

//! Runs the event loop until `done()` holds or `timeoutMs` passes; returns `done()`.
//! Unlike QTest::qWaitFor (which sleeps 10 ms between passes), the loop never sleeps while
//! sockets have work, so tests that move megabytes over loopback stay fast. Not a sleep: it
//! waits for a condition, like QTRY_VERIFY.
inline bool waitUntil(const std::function<bool()> &done, int timeoutMs = 10000)
{
    if (done())
        return true;
    const QDeadlineTimer deadline(timeoutMs);
    QEventLoop loop;
    QTimer check;
    check.setInterval(1);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || deadline.hasExpired())
            loop.quit();
    });
    check.start();
    loop.exec();
    return done();
}

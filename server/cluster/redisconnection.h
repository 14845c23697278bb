// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "redisurl.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QString>

#include <functional>

struct redisContext;

//! One synchronous hiredis connection with a connect and a command timeout, used from one
//! thread: connects on first use, selects the URL's database, loads Lua scripts, and after a
//! failure connects again at most once a second when `throttled`, so that calls during an outage
//! fail fast instead of each waiting for a timeout. For stores that answer on the event loop.
class RedisConnection
{
public:
    using Command = QList<QByteArray>;
    // Called with each reply in order; a null reply when the connection failed.
    using ReplyReader = std::function<void(qsizetype, const void *)>;
    struct Options
    {
        RedisUrl url;
        int timeoutMs = 1000; // to connect, and for each command
        bool throttled = true;
        // While it returns false (the cluster's links found Redis gone or frozen), every call
        // fails at once: on a half-dead broker each would hold the event loop for a timeout.
        std::function<bool()> reachable = {};
    };

    RedisConnection(const Options &options, const QList<QByteArray> &scripts);
    ~RedisConnection();
    RedisConnection(const RedisConnection &) = delete;
    RedisConnection &operator=(const RedisConnection &) = delete;

    bool connect();
    // Sends every command in one round trip. False if the connection failed (then errorString()).
    bool run(const QList<Command> &commands, const ReplyReader &reply);
    // EVALSHA of the i-th script given to the constructor, connecting first (which loads them).
    bool runScript(qsizetype script, const QList<QByteArray> &keys, const QList<QByteArray> &args,
                   const ReplyReader &reply);
    // The SHA1 of the i-th script, for EVALSHA in a batch of run() (known before connecting).
    QByteArray sha(qsizetype script) const { return m_shas.value(script); }
    void setThrottled(bool throttled) { m_options.throttled = throttled; }
    void setReachable(std::function<bool()> reachable) { m_options.reachable = std::move(reachable); }
    // The next call connects at once, throttled or not: the cluster's links found Redis back.
    void retryNow() { m_lastAttempt.invalidate(); }
    const RedisUrl &url() const { return m_options.url; }
    QString errorString() const { return m_error; }
    void setErrorString(const QString &error) { m_error = error; }
    // Whether the last run() could not reach Redis (rather than Redis answering with an error).
    bool lastCallFailed() const { return m_lastCallFailed; }

private:
    void disconnect(const QString &why);
    bool reachable();

    Options m_options;
    QList<QByteArray> m_scripts;
    QList<QByteArray> m_shas;
    redisContext *m_context = nullptr;
    QElapsedTimer m_lastAttempt;
    QString m_error;
    bool m_lastCallFailed = false;
};

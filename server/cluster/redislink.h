// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "redisreply.h"
#include "redisurl.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>

class QSocketNotifier;
struct redisAsyncContext;

//! One asynchronous connection to Redis on the Qt event loop (hiredis's async API). hiredis
//! 0.14 brings no timers and its adapters/qt.h connects to a QSocketNotifier signal Qt 6 no
//! longer has, so this drives the descriptor itself and adds what a half-dead broker needs:
//! a connect timeout, a timeout on every command (the oldest unanswered one decides), a
//! keepalive PING while idle, and reconnection with backoff. It then says ready() again, and its
//! owner subscribes again and catches up.
class RedisLink : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const RedisReply &reply)>; // a null reply: the link was lost
    using Message = std::function<void(const QByteArray &channel, const QByteArray &payload)>;

    RedisLink(const RedisUrl &url, const QString &name, QObject *parent = nullptr);
    ~RedisLink() override;

    void setTimeouts(int connectMs, int commandMs, int keepaliveMs);
    // Connects, and keeps connecting until destroyed.
    void open();
    bool isReady() const { return m_ready; }
    QString lastError() const { return m_lastError; }
    // Round trips since ready (keepalives too), for /metrics: the newest one's seconds.
    double lastRoundTripSeconds() const { return m_lastRoundTrip; }

    // Not while subscribed to anything (RESP2: such a connection takes only (un)subscriptions).
    void command(const QList<QByteArray> &argv, Done done = {});
    // Messages published on any channel subscribed to through this link go to `message`.
    void setMessageHandler(Message message) { m_message = std::move(message); }
    // `confirmed` runs once Redis has confirmed the subscription.
    void subscribe(const QByteArray &channel, std::function<void()> confirmed = {});
    void unsubscribe(const QByteArray &channel);
    // Drops the connection and connects again after the backoff: the owner saw it is dead.
    void reset(const QString &why);

signals:
    void becameReady();
    void lost(const QString &reason);

private:
    struct Pending
    {
        RedisLink *link;
        Done done;
    };
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *data);
    static void onPubSub(redisAsyncContext *context, void *reply, void *data);
    static void addRead(void *data);
    static void delRead(void *data);
    static void addWrite(void *data);
    static void delWrite(void *data);
    static void cleanup(void *data);

    void connectNow();
    void send(const QList<QByteArray> &argv, void (*callback)(redisAsyncContext *, void *, void *),
              void *data);
    void forget(const QString &why); // the context is gone: fail what waits, back off, reconnect
    void checkTimeouts();

    RedisUrl m_url;
    QString m_name;
    int m_connectMs = 1000;
    int m_commandMs = 2000;
    int m_keepaliveMs = 2000;
    redisAsyncContext *m_context = nullptr;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
    bool m_ready = false;
    bool m_wasReady = false;          // since the last loss: lost() is said once per ready
    QSet<QByteArray> m_unsubscribing; // UNSUBSCRIBE sent, its reply not yet in
    std::deque<qint64> m_sentAt;      // ms on m_clock of the commands awaiting replies, oldest first
    QElapsedTimer m_clock;
    qint64 m_lastActivity = 0;
    double m_lastRoundTrip = 0;
    QHash<QByteArray, std::function<void()>> m_confirmations; // channel -> waiting for its confirmation
    Message m_message;
    QTimer m_reconnect;
    QTimer m_watchdog; // connect and command timeouts, keepalive
    int m_backoffMs = 0;
    QString m_lastError;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "redislink.h"

#include "serverlog.h"

#include <QSocketNotifier>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <vector>

namespace {
constexpr int FirstBackoffMs = 200;
constexpr int MaxBackoffMs = 5000;
constexpr int WatchdogMs = 250;
} // namespace

RedisLink::RedisLink(const RedisUrl &url, const QString &name, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_name(name)
{
    m_clock.start();
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &RedisLink::connectNow);
    m_watchdog.setInterval(WatchdogMs);
    connect(&m_watchdog, &QTimer::timeout, this, &RedisLink::checkTimeouts);
}

RedisLink::~RedisLink()
{
    m_message = nullptr;
    if (redisAsyncContext *context = std::exchange(m_context, nullptr)) {
        context->data = nullptr; // its callbacks, run by the free, find no link
        redisAsyncFree(context);
    }
    delete m_read;
    delete m_write;
}

void RedisLink::setTimeouts(int connectMs, int commandMs, int keepaliveMs)
{
    m_connectMs = connectMs;
    m_commandMs = commandMs;
    m_keepaliveMs = keepaliveMs;
}

void RedisLink::open()
{
    if (!m_context && !m_reconnect.isActive())
        connectNow();
}

void RedisLink::connectNow()
{
    m_lastActivity = m_clock.elapsed();
    m_context = redisAsyncConnect(m_url.host.toUtf8().constData(), m_url.port);
    if (!m_context || m_context->err) {
        const QString why =
            m_context ? QString::fromUtf8(m_context->errstr) : QStringLiteral("out of memory");
        if (m_context)
            redisAsyncFree(std::exchange(m_context, nullptr));
        forget(why);
        return;
    }
    m_context->data = this;
    m_context->ev.data = this;
    m_context->ev.addRead = &RedisLink::addRead;
    m_context->ev.delRead = &RedisLink::delRead;
    m_context->ev.addWrite = &RedisLink::addWrite;
    m_context->ev.delWrite = &RedisLink::delWrite;
    m_context->ev.cleanup = &RedisLink::cleanup;
    m_read = new QSocketNotifier(m_context->c.fd, QSocketNotifier::Read, this);
    m_write = new QSocketNotifier(m_context->c.fd, QSocketNotifier::Write, this);
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    redisAsyncContext *context = m_context;
    connect(m_read, &QSocketNotifier::activated, this, [this, context] {
        if (m_context == context)
            redisAsyncHandleRead(context);
    });
    connect(m_write, &QSocketNotifier::activated, this, [this, context] {
        if (m_context == context)
            redisAsyncHandleWrite(context);
    });
    redisAsyncSetConnectCallback(m_context, &RedisLink::onConnect);
    redisAsyncSetDisconnectCallback(m_context, &RedisLink::onDisconnect);
    m_watchdog.start();
    // The connection is ready once it is authenticated and on its database.
    if (!m_url.password.isEmpty())
        send({"AUTH", m_url.password.toUtf8()}, &RedisLink::onReply, new Pending{this, {}});
    send({"SELECT", QByteArray::number(m_url.db)}, &RedisLink::onReply,
         new Pending{this, [this](const RedisReply &reply) {
                         if (reply.isNull())
                             return; // the link was lost meanwhile, and said so
                         if (reply.isError()) {
                             reset(QStringLiteral("refused the login or database: %1")
                                       .arg(QString::fromUtf8(reply.bytes())));
                             return;
                         }
                         m_ready = true;
                         m_wasReady = true;
                         m_backoffMs = 0;
                         m_lastError.clear();
                         qCInfo(lcServer).noquote() << "redis" << m_name << "connected to" << m_url.display();
                         emit becameReady();
                     }});
}

void RedisLink::send(const QList<QByteArray> &argv, void (*callback)(redisAsyncContext *, void *, void *),
                     void *data)
{
    std::vector<const char *> args;
    std::vector<size_t> lengths;
    for (const QByteArray &arg : argv) {
        args.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    if (callback == &RedisLink::onReply)
        m_sentAt.push_back(m_clock.elapsed());
    if (!m_context || redisAsyncCommandArgv(m_context, callback, data, int(args.size()), args.data(),
                                            lengths.data()) != REDIS_OK) {
        if (callback == &RedisLink::onReply) {
            m_sentAt.pop_back();
            auto *pending = static_cast<Pending *>(data);
            if (pending->done)
                pending->done(RedisReply(nullptr));
            delete pending;
        }
    }
}

void RedisLink::command(const QList<QByteArray> &argv, Done done)
{
    if (!m_ready) {
        if (done)
            done(RedisReply(nullptr));
        return;
    }
    send(argv, &RedisLink::onReply, new Pending{this, std::move(done)});
}

void RedisLink::subscribe(const QByteArray &channel, std::function<void()> confirmed)
{
    m_confirmations.insert(channel, std::move(confirmed));
    // hiredis 0.14 forgets a channel's callback when an UNSUBSCRIBE's reply comes, even if a
    // SUBSCRIBE followed it: subscribe again only once that reply is in (onPubSub).
    if (m_ready && !m_unsubscribing.contains(channel))
        send({"SUBSCRIBE", channel}, &RedisLink::onPubSub, this);
}

void RedisLink::unsubscribe(const QByteArray &channel)
{
    m_confirmations.remove(channel);
    if (m_ready && !m_unsubscribing.contains(channel)) {
        m_unsubscribing.insert(channel);
        send({"UNSUBSCRIBE", channel}, nullptr, nullptr);
    }
}

void RedisLink::onReply(redisAsyncContext *context, void *reply, void *data)
{
    auto *pending = static_cast<Pending *>(data);
    RedisLink *link = static_cast<RedisLink *>(context->data);
    if (link && reply) {
        if (!link->m_sentAt.empty()) {
            link->m_lastRoundTrip = double(link->m_clock.elapsed() - link->m_sentAt.front()) / 1000;
            link->m_sentAt.pop_front();
        }
        link->m_lastActivity = link->m_clock.elapsed();
    }
    // Without a link (it is being destroyed) nobody waits any more.
    if (link && pending->done)
        pending->done(RedisReply(reply));
    delete pending;
}

void RedisLink::onPubSub(redisAsyncContext *context, void *reply, void *)
{
    RedisLink *link = static_cast<RedisLink *>(context->data);
    const RedisReply r(reply);
    if (!link || !r.isArray() || r.size() < 3)
        return;
    link->m_lastActivity = link->m_clock.elapsed();
    const QByteArray kind = r.at(0).bytes();
    const QByteArray channel = r.at(1).bytes();
    if (kind == "message") {
        if (link->m_message)
            link->m_message(channel, r.at(2).bytes());
    } else if (kind == "unsubscribe") {
        link->m_unsubscribing.remove(channel);
        if (link->m_confirmations.contains(channel) && link->m_ready) // wanted again meanwhile
            link->send({"SUBSCRIBE", channel}, &RedisLink::onPubSub, link);
    } else if (kind == "subscribe" && !link->m_unsubscribing.contains(channel)) {
        // (A subscription being undone confirms nothing: the one after it will.)
        const auto it = link->m_confirmations.find(channel);
        if (it != link->m_confirmations.end() && *it) {
            const std::function<void()> confirmed = std::exchange(*it, nullptr);
            confirmed();
        }
    }
}

void RedisLink::onConnect(const redisAsyncContext *context, int status)
{
    RedisLink *link = static_cast<RedisLink *>(context->data);
    if (!link || link->m_context != context || status == REDIS_OK)
        return;
    // hiredis frees the context after this.
    link->m_context = nullptr;
    link->forget(QString::fromUtf8(context->errstr));
}

void RedisLink::onDisconnect(const redisAsyncContext *context, int)
{
    RedisLink *link = static_cast<RedisLink *>(context->data);
    if (!link || link->m_context != context)
        return; // reset() let go of it already
    link->m_context = nullptr;
    link->forget(context->err ? QString::fromUtf8(context->errstr)
                              : QStringLiteral("the server closed the connection"));
}

void RedisLink::reset(const QString &why)
{
    // Not ready while the free runs the waiting callbacks: a command they send fails at once.
    m_ready = false;
    if (redisAsyncContext *context = std::exchange(m_context, nullptr)) {
        // Frees at once, or after the callback it is in; what waits gets a null reply meanwhile.
        redisAsyncFree(context);
    }
    forget(why);
}

void RedisLink::forget(const QString &why)
{
    const bool wasReady = std::exchange(m_wasReady, false);
    m_ready = false;
    m_unsubscribing.clear();
    m_sentAt.clear();
    m_watchdog.stop();
    for (QSocketNotifier *n : {std::exchange(m_read, nullptr), std::exchange(m_write, nullptr)}) {
        if (n) {
            n->setEnabled(false);
            n->deleteLater(); // it may be the one whose signal brought us here
        }
    }
    // Subscriptions are made again once it is ready; their confirmations are awaited again.
    m_lastError = why;
    m_backoffMs = m_backoffMs == 0 ? FirstBackoffMs : qMin(MaxBackoffMs, m_backoffMs * 2);
    if (wasReady) {
        qCWarning(lcServer).noquote() << "redis" << m_name << "lost:" << why << "- connecting again";
        emit lost(why);
    }
    m_reconnect.start(m_backoffMs);
}

void RedisLink::checkTimeouts()
{
    if (!m_context)
        return;
    const qint64 now = m_clock.elapsed();
    if (!m_ready) {
        if (now - m_lastActivity > m_connectMs)
            reset(QStringLiteral("no connection within %1 ms").arg(m_connectMs));
        return;
    }
    // Frozen: a command waits and nothing at all came for a whole timeout. A broker working
    // through a backlog (thousands of commands a busy node sent at once) answers in order, each
    // reply its progress: that is not an outage, however long the last command waits.
    const auto frozen = [this] {
        const qint64 at = m_clock.elapsed();
        return !m_sentAt.empty() && at - m_sentAt.front() > m_commandMs && at - m_lastActivity > m_commandMs;
    };
    if (frozen()) {
        // A loop kept busy elsewhere may not have read replies that came in time: read what is
        // there before calling the broker frozen (their callbacks may end this link).
        redisAsyncHandleRead(m_context);
        if (!m_context)
            return;
        if (frozen()) {
            reset(QStringLiteral("no reply within %1 ms").arg(m_commandMs));
            return;
        }
    }
    // A subscribed connection takes no PING on RESP2: its owner proves it alive by publishing.
    if (m_sentAt.empty() && m_confirmations.isEmpty() && now - m_lastActivity > m_keepaliveMs)
        command({"PING"});
}

void RedisLink::addRead(void *data)
{
    if (auto *link = static_cast<RedisLink *>(data); link && link->m_read)
        link->m_read->setEnabled(true);
}

void RedisLink::delRead(void *data)
{
    if (auto *link = static_cast<RedisLink *>(data); link && link->m_read)
        link->m_read->setEnabled(false);
}

void RedisLink::addWrite(void *data)
{
    if (auto *link = static_cast<RedisLink *>(data); link && link->m_write)
        link->m_write->setEnabled(true);
}

void RedisLink::delWrite(void *data)
{
    if (auto *link = static_cast<RedisLink *>(data); link && link->m_write)
        link->m_write->setEnabled(false);
}

void RedisLink::cleanup(void *data)
{
    if (auto *link = static_cast<RedisLink *>(data)) {
        if (link->m_read)
            link->m_read->setEnabled(false);
        if (link->m_write)
            link->m_write->setEnabled(false);
    }
}

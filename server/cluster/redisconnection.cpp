// SPDX-License-Identifier: GPL-3.0-or-later
#include "redisconnection.h"
#include "redisreply.h"

#include <QCryptographicHash>

#include <hiredis/hiredis.h>

#include <vector>

RedisConnection::RedisConnection(const Options &options, const QList<QByteArray> &scripts)
    : m_options(options)
    , m_scripts(scripts)
{
    // What SCRIPT LOAD answers, known before it is asked: a batch can name them at any time.
    for (const QByteArray &script : scripts)
        m_shas.append(QCryptographicHash::hash(script, QCryptographicHash::Sha1).toHex());
}

RedisConnection::~RedisConnection()
{
    if (m_context)
        redisFree(m_context);
}

void RedisConnection::disconnect(const QString &why)
{
    m_error = QStringLiteral("Redis %1: %2").arg(m_options.url.display(), why);
    if (m_context)
        redisFree(m_context);
    m_context = nullptr;
}

bool RedisConnection::reachable()
{
    if (!m_options.reachable || m_options.reachable())
        return true;
    m_error = QStringLiteral("Redis %1: unreachable").arg(m_options.url.display());
    return false;
}

bool RedisConnection::connect()
{
    if (m_context)
        return true;
    if (m_options.throttled && m_lastAttempt.isValid() && m_lastAttempt.elapsed() < 1000)
        return false;
    m_lastAttempt.start();
    const timeval timeout{m_options.timeoutMs / 1000, (m_options.timeoutMs % 1000) * 1000};
    m_context = redisConnectWithTimeout(m_options.url.host.toUtf8().constData(), m_options.url.port, timeout);
    if (!m_context || m_context->err) {
        disconnect(m_context ? QString::fromUtf8(m_context->errstr) : QStringLiteral("out of memory"));
        return false;
    }
    redisSetTimeout(m_context, timeout);
    QList<Command> setup;
    if (!m_options.url.password.isEmpty())
        setup.append({"AUTH", m_options.url.password.toUtf8()});
    setup.append({"SELECT", QByteArray::number(m_options.url.db)});
    const qsizetype firstScript = setup.size();
    for (const QByteArray &script : m_scripts)
        setup.append({"SCRIPT", "LOAD", script});
    QString failure;
    const bool sent = run(setup, [&](qsizetype i, const void *r) {
        const RedisReply reply(r);
        if (reply.isError() && failure.isEmpty())
            failure = QString::fromUtf8(reply.bytes());
        else if (i >= firstScript && reply.bytes() != m_shas.value(i - firstScript) && failure.isEmpty())
            failure = QStringLiteral("a script loaded under an unexpected SHA1");
    });
    if (!sent)
        return false;
    if (!failure.isEmpty()) {
        disconnect(failure);
        return false;
    }
    m_error.clear();
    return true;
}

bool RedisConnection::run(const QList<Command> &commands, const ReplyReader &reply)
{
    m_lastCallFailed = true;
    if (!reachable() || !connect())
        return false;
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const Command &command : commands) {
        argv.clear();
        lengths.clear();
        for (const QByteArray &arg : command) {
            argv.push_back(arg.constData());
            lengths.push_back(size_t(arg.size()));
        }
        redisAppendCommandArgv(m_context, int(argv.size()), argv.data(), lengths.data());
    }
    bool flushed = false;
    for (qsizetype i = 0; i < commands.size(); ++i) {
        void *r = nullptr;
        if (redisGetReply(m_context, &r) != REDIS_OK) {
            disconnect(QString::fromUtf8(m_context->errstr));
            for (; i < commands.size(); ++i)
                reply(i, nullptr);
            return false;
        }
        const RedisReply read(r);
        // The script cache is gone (SCRIPT FLUSH): read the rest, then connect again, which
        // loads the scripts.
        flushed = flushed || (read.isError() && read.bytes().startsWith("NOSCRIPT"));
        reply(i, r);
        freeReplyObject(r);
    }
    if (flushed) {
        disconnect(QStringLiteral("its script cache was flushed"));
        return false;
    }
    m_lastCallFailed = false;
    return true;
}

bool RedisConnection::runScript(qsizetype script, const QList<QByteArray> &keys,
                                const QList<QByteArray> &args, const ReplyReader &reply)
{
    m_lastCallFailed = true;
    if (!reachable() || !connect())
        return false;
    Command command{"EVALSHA", m_shas.value(script), QByteArray::number(keys.size())};
    command += keys;
    command += args;
    return run({command}, reply);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "redisreply.h"

#include <hiredis/hiredis.h>

bool RedisReply::isError() const
{
    return !m_reply || m_reply->type == REDIS_REPLY_ERROR;
}

bool RedisReply::isNil() const
{
    return m_reply && m_reply->type == REDIS_REPLY_NIL;
}

bool RedisReply::isArray() const
{
    return m_reply && m_reply->type == REDIS_REPLY_ARRAY;
}

qsizetype RedisReply::size() const
{
    return isArray() ? qsizetype(m_reply->elements) : 0;
}

RedisReply RedisReply::at(qsizetype i) const
{
    return RedisReply(i >= 0 && i < size() ? m_reply->element[i] : nullptr);
}

QByteArray RedisReply::bytes() const
{
    if (!m_reply)
        return QByteArrayLiteral("no reply");
    switch (m_reply->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        return QByteArray(m_reply->str, qsizetype(m_reply->len));
    case REDIS_REPLY_INTEGER:
        return QByteArray::number(qint64(m_reply->integer));
    default:
        return {};
    }
}

qint64 RedisReply::integer() const
{
    if (m_reply && m_reply->type == REDIS_REPLY_INTEGER)
        return m_reply->integer;
    return bytes().toLongLong();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

struct redisReply;

//! Reads one hiredis reply without owning it (the synchronous API's replies are freed by their
//! owner, the asynchronous API's by hiredis after the callback). A null reply reads as an error.
class RedisReply
{
public:
    explicit RedisReply(const void *reply)
        : m_reply(static_cast<const redisReply *>(reply))
    {}

    bool isNull() const { return m_reply == nullptr; }
    bool isError() const;
    bool isNil() const;
    bool isArray() const;
    qsizetype size() const; // elements of an array, else 0
    RedisReply at(qsizetype i) const;
    // A string, status or error's text; an integer's decimal form.
    QByteArray bytes() const;
    qint64 integer() const; // an integer, or a string holding one; else 0

private:
    const redisReply *m_reply;
};

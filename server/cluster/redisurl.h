// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

//! Where the nodes' Redis is: `redis://[:password@]host[:port][/db]` (natter-server --redis).
struct RedisUrl
{
    QString host;
    int port = 6379;
    QString password; // empty: no AUTH
    int db = 0;

    // Null, with `error` set, for anything else (another scheme, a path that is not a number, a
    // port out of range, a user name: Redis 7's ACL users are not supported yet).
    static std::optional<RedisUrl> parse(const QString &text, QString *error);
    // For logs and /metrics: never the password.
    QString display() const;
};

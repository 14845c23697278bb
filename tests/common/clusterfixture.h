// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "nodeprocess.h"
#include "redisprocess.h"

#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <utility>

//! What each cluster test function starts afresh: a temporary directory, a real redis-server
//! keeping its data there, and natter-server nodes given that Redis. The test's own init() and
//! cleanup() call init() and cleanup(). Header-only and free of Q_OBJECT.
class ClusterFixture
{
public:
    // `serverProgram`: the natter-server startNode() runs (empty where no test starts nodes),
    // with `nodeArguments` after the Redis URL of database `db`.
    explicit ClusterFixture(const QString &serverProgram = {}, const QStringList &nodeArguments = {},
                            int db = 0)
        : m_serverProgram(serverProgram)
        , m_nodeArguments(nodeArguments)
        , m_db(db)
    {}
    ~ClusterFixture() { cleanup(); }
    Q_DISABLE_COPY_MOVE(ClusterFixture)

    // Skips the test where redis-server is not installed, fails it where Redis does not start.
    // Nothing may follow it in the caller's init(): QSKIP and QVERIFY return from here only.
    void init()
    {
        if (!RedisProcess::available())
            QSKIP("redis-server is not installed (tools/dev.sh deps installs it)");
        m_dir = std::make_unique<QTemporaryDir>();
        m_redis = std::make_unique<RedisProcess>(m_dir->path());
        QVERIFY(m_redis->start());
    }
    // Redis is killed before its directory goes.
    void cleanup()
    {
        m_redis.reset();
        m_dir.reset();
    }

    QTemporaryDir &dir() const { return *m_dir; }
    RedisProcess &redis() const { return *m_redis; }
    // What nodes and `natter-server user` are given as --redis.
    QString redisUrl() const { return m_redis->url(m_db); }

    // A node on a free port of 127.0.0.1, with `extra` arguments last; null if it did not come up.
    std::unique_ptr<NodeProcess> startNode(const QStringList &extra = {}) const
    {
        auto node = std::make_unique<NodeProcess>(m_serverProgram);
        const QStringList args =
            QStringList{QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                        QStringLiteral("0"),      QStringLiteral("--redis"),   redisUrl()} +
            m_nodeArguments + extra;
        return node->start(args).isValid() ? std::move(node) : nullptr;
    }
    // Nodes A and B, alike: `auto [a, b] = startTwoNodes(); QVERIFY(a && b);`.
    std::pair<std::unique_ptr<NodeProcess>, std::unique_ptr<NodeProcess>>
    startTwoNodes(const QStringList &extra = {}) const
    {
        return {startNode(extra), startNode(extra)};
    }

private:
    QString m_serverProgram;
    QStringList m_nodeArguments;
    int m_db = 0;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<RedisProcess> m_redis;
};

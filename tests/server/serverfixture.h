// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatserver.h"

#include <QLoggingCategory>

#include <memory>

// An in-process server on 127.0.0.1 and a free port, with fast intervals for tests.
inline ServerConfig testConfig()
{
    ServerConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 0;
    config.heartbeatMs = 0; // tests that need the heartbeat set it
    config.roomsListCoalesceMs = 50;
    return config;
}

inline std::unique_ptr<ChatServer> startServer(const ServerConfig &config = testConfig())
{
    auto server = std::make_unique<ChatServer>(config);
    if (!server->listen())
        qFatal("test server cannot listen: %s", qPrintable(server->errorString()));
    return server;
}

// The per-connection log lines would drown the test output.
inline void quietServerLog()
{
    QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverfixture.h"

#include "serversession.h"
#include "uploadregistry.h"
#include "wsconnection.h"

#include <QLoggingCategory>
#include <QWebSocket>

ServerConfig testServerConfig()
{
    ServerConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 0;
    config.heartbeatMs = 0;
    config.roomsListCoalesceMs = 50;
    // Tests send faster than people: the rate limits are tested on their own (tst_serverratelimits).
    config.rateScale = 1000;
    // Most tests watch rooms they are not in (unread counts); the private default has its own tests.
    config.publicRoomsList = true;
    return config;
}

std::unique_ptr<ChatServer> startTestServer(const ServerConfig &config)
{
    QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
    auto server = std::make_unique<ChatServer>(config);
    if (!server->listen())
        qFatal("test server cannot listen on port %d: %s", int(config.port),
               qPrintable(server->errorString()));
    return server;
}

int heldUploads(const ChatServer &server)
{
    const auto *uploads = server.findChild<const UploadRegistry *>(QString(), Qt::FindDirectChildrenOnly);
    if (!uploads)
        qFatal("the server has no upload registry");
    return uploads->count();
}

qint64 largestBacklog(const ChatServer &server)
{
    qint64 largest = 0;
    const auto sessions = server.findChildren<const ServerSession *>(QString(), Qt::FindDirectChildrenOnly);
    for (const ServerSession *session : sessions)
        largest = qMax(largest, session->connection()->bytesToWrite());
    return largest;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatserver.h"
#include "serverfixture.h"
#include "testpeer.h"

#include <QTemporaryDir>

#include <memory>

//! The usual setting of a test: an in-process server, and two users, alice and bob, each a
//! TestPeer (a ChatClient with file transfers) with its files in a fresh folder. Construct it,
//! change what the test needs, then QVERIFY(users.login()).
class TwoUsers
{
public:
    explicit TwoUsers(const ServerConfig &config = testServerConfig(),
                      const FileTransfers::Settings &files = {});
    Q_DISABLE_COPY_MOVE(TwoUsers)

    // alice, then bob, into `room`; true once both sessions are ready.
    bool login(const QString &room = QStringLiteral("general"));

    QTemporaryDir dir;
    std::unique_ptr<ChatServer> server;
    TestPeer alice;
    TestPeer bob;
};

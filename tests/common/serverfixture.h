// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatserver.h"

#include <memory>

//! An in-process server's config for tests: 127.0.0.1 on a free port, no heartbeat (tests that
//! need it set it) and quick `rooms` updates.
ServerConfig testServerConfig();

//! A ChatServer listening with `config`, its per-connection log lines silenced (they would drown
//! the test output). Stops the test run if it cannot listen.
std::unique_ptr<ChatServer> startTestServer(const ServerConfig &config = testServerConfig());

//! How many uploads `server` holds, running or waiting for their sender to resume, so a test can
//! check that none is left behind. Read from the server's own registry: the count is no part of
//! ChatServer's API, so it stays out of natter-server.
int heldUploads(const ChatServer &server);

//! The most `server` has queued for any one of its connections right now (bytes written to a
//! socket that its peer has not read yet), read from the sessions themselves like heldUploads().
qint64 largestBacklog(const ChatServer &server);

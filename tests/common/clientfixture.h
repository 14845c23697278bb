// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"

class QTemporaryDir;
class QUrl;

//! Client settings for tests: short intervals (a reconnect takes milliseconds), no jitter (delays
//! are predictable), no wake or network watchers, a generous pong timeout (a loaded machine is not
//! a dead connection) and the outbox in `dir`. Tests change only what they test. An empty `name`
//! picks a fresh outbox file.
ChatClient::Settings fastClientSettings(const QTemporaryDir &dir, const QString &name = {});

//! connectToServer() and wait until the session is ready in `room` (sessionRestored).
bool connectAndJoin(ChatClient &client, const QUrl &url, const QString &user,
                    const QString &room = QStringLiteral("general"));

//! A barrier: the client pings the server and waits for that pong. Once it is back, everything
//! the server sent this client before it has been handled, so a test can check that something
//! did not happen without a timed wait.
bool settleClient(ChatClient &client);

// SPDX-License-Identifier: GPL-3.0-or-later
#include "twousers.h"

TwoUsers::TwoUsers(const ServerConfig &config, const FileTransfers::Settings &files)
    : server(startTestServer(config))
    , alice(dir, QStringLiteral("alice"), files)
    , bob(dir, QStringLiteral("bob"), files)
{}

bool TwoUsers::login(const QString &room)
{
    return alice.login(server->url(), room) && bob.login(server->url(), room);
}

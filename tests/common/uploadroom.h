// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wsprobe.h"

//! The cast of the server's upload tests, all in "general": alice uploads (a client without the
//! `files` feature), bob and mallory declared `files`, so both are offered what she sends.
struct UploadRoom
{
    WsProbe alice, bob, mallory;

    bool login(const QUrl &url)
    {
        const QStringList files{Protocol::Feature::Files};
        const QString room = QStringLiteral("general");
        return alice.login(url, QStringLiteral("alice"), room) &&
               bob.login(url, QStringLiteral("bob"), room, files) &&
               mallory.login(url, QStringLiteral("mallory"), room, files);
    }
};

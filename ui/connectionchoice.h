// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

//! Where and as whom to chat: either host a server in-process, or connect to `url`.
struct ConnectionChoice
{
    bool hostLocally = true;
    QUrl url;
    QString username;
    QString room;

    // Empty when valid; otherwise what is wrong, for the user (name rules as in PROTOCOL.md).
    QString validate() const;
    static QUrl normalizedUrl(const QString &text); // adds ws:// when no scheme was typed
};

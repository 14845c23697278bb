// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QUrl>

//! Where and as whom to chat: either host a server in-process, or connect to `url`.
struct ConnectionChoice
{
    bool hostLocally = true;
    QUrl url;              // the server, as it is known (token, cache, outbox)
    QList<QUrl> otherUrls; // other addresses of the same server (nodes): reconnects go round them
    QString username;
    QString room;

    // Empty when valid; otherwise what is wrong, for the user (name rules as in PROTOCOL.md).
    QString validate() const;
    static QUrl normalizedUrl(const QString &text); // adds ws:// when no scheme was typed
    // Addresses separated by commas, spaces or new lines, each as normalizedUrl() reads it.
    static QList<QUrl> normalizedUrls(const QString &text);
    static QString urlsText(const QList<QUrl> &urls);                 // what normalizedUrls() reads back
    QList<QUrl> urls() const { return QList<QUrl>{url} + otherUrls; } // url first
};

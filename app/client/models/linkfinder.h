// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>
#include <QVector>

//! Finds web links in chat text so the message delegate can underline them and open them on click.
class LinkFinder
{
public:
    struct Link
    {
        int start = 0;
        int length = 0;
        QUrl url;
    };

    static QVector<Link> find(const QString &text);
    // The link covering the character at position, if any.
    static QUrl linkAt(const QString &text, int position);
};

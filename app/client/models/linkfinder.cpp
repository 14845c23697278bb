// SPDX-License-Identifier: GPL-3.0-or-later
#include "linkfinder.h"

#include <QRegularExpression>

QVector<LinkFinder::Link> LinkFinder::find(const QString &text)
{
    QVector<Link> links;
    // Cheap pre-check: nearly all chat lines have no link, and the regex is the costly part.
    if (!text.contains(QLatin1String("://")) && !text.contains(QLatin1String("www."), Qt::CaseInsensitive))
        return links;
    static const QRegularExpression re(QStringLiteral(R"((?:\b(?:https?|ftp)://|\bwww\.)[^\s<>"]+)"),
                                       QRegularExpression::CaseInsensitiveOption);
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        QString candidate = match.captured();
        // Sentence punctuation after a link is not part of it; a closing bracket only when unbalanced.
        while (!candidate.isEmpty()) {
            const QChar last = candidate.back();
            if (QStringLiteral(".,;:!?'").contains(last)) {
                candidate.chop(1);
            } else if (last == QLatin1Char(')') &&
                       candidate.count(QLatin1Char('(')) < candidate.count(QLatin1Char(')'))) {
                candidate.chop(1);
            } else {
                break;
            }
        }
        QString address = candidate;
        if (address.startsWith(QLatin1String("www."), Qt::CaseInsensitive))
            address.prepend(QLatin1String("https://"));
        const QUrl url(address, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty())
            continue;
        links.append(Link{int(match.capturedStart()), int(candidate.size()), url});
    }
    return links;
}

QUrl LinkFinder::linkAt(const QString &text, int position)
{
    const QVector<Link> links = find(text);
    for (const Link &link : links) {
        if (position >= link.start && position < link.start + link.length)
            return link.url;
    }
    return {};
}

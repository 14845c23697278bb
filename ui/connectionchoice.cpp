// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionchoice.h"

#include "protocol.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ConnectionChoice", text);
}

} // namespace

QString ConnectionChoice::validate() const
{
    const Protocol::Limits limits;
    const auto name = Protocol::validateName(username, limits.maxNameChars, tr("User name"));
    if (const auto *error = std::get_if<Protocol::DecodeError>(&name))
        return error->message;
    const auto roomName = Protocol::validateName(room, limits.maxRoomChars, tr("Room name"));
    if (const auto *error = std::get_if<Protocol::DecodeError>(&roomName))
        return error->message;
    if (!hostLocally) {
        if (!url.isValid() || url.host().isEmpty())
            return tr("Enter a server address such as ws://chat.example.org:8080");
        if (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))
            return tr("The server address must start with ws:// or wss://");
        for (const QUrl &other : otherUrls) {
            const bool valid =
                other.isValid() && !other.host().isEmpty() &&
                (other.scheme() == QLatin1String("ws") || other.scheme() == QLatin1String("wss"));
            if (!valid)
                return tr("Other addresses must be ws:// or wss:// addresses, not \"%1\"")
                    .arg(other.toString());
        }
    }
    return {};
}

QList<QUrl> ConnectionChoice::normalizedUrls(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    QList<QUrl> urls;
    for (const QString &part : text.split(separators, Qt::SkipEmptyParts))
        urls.append(normalizedUrl(part));
    return urls;
}

QString ConnectionChoice::urlsText(const QList<QUrl> &urls)
{
    QStringList parts;
    for (const QUrl &url : urls)
        parts.append(url.toString());
    return parts.join(QStringLiteral(", "));
}

QUrl ConnectionChoice::normalizedUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (!trimmed.contains(QLatin1String("://")))
        return QUrl(QStringLiteral("ws://") + trimmed, QUrl::StrictMode);
    return QUrl(trimmed, QUrl::StrictMode);
}

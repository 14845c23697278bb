// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionchoice.h"

#include "protocol.h"

#include <QCoreApplication>

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
    }
    return {};
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

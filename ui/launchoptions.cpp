// SPDX-License-Identifier: GPL-3.0-or-later
#include "launchoptions.h"

#include "appsettings.h"
#include "localserverhost.h"
#include "protocol.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>

namespace {

const QString DefaultRoom = QStringLiteral("general");

} // namespace

LaunchOptions::LaunchOptions()
    : m_urlOption(QStringLiteral("url"), tr("Connect to the server at <url> (ws://host:port)."),
                  QStringLiteral("url"))
    , m_serverOption(QStringLiteral("server"),
                     tr("Connect to the server at <url>; repeat for each server (for this run only, "
                        "not saved). Not together with --url. Several addresses of one server (its "
                        "nodes), comma-separated, are tried in turn."),
                     QStringLiteral("url"))
    , m_userOption(QStringLiteral("user"), tr("Chat as <name>."), QStringLiteral("name"))
    , m_roomOption(QStringLiteral("room"), tr("Join <room> first."), QStringLiteral("room"))
    , m_helpOption(m_parser.addHelpOption())
    , m_versionOption(m_parser.addVersionOption())
{
    m_parser.setApplicationDescription(
        tr("Natter: chat in rooms over WebSockets, on several servers side by side. Without --url or "
           "--server and with no saved server, Natter hosts a server on this computer (port %1, or a "
           "free one) and shows the address others can join.")
            .arg(LocalServerHost::DefaultPort));
    m_parser.addOption(m_urlOption);
    m_parser.addOption(m_serverOption);
    m_parser.addOption(m_userOption);
    m_parser.addOption(m_roomOption);
}

bool LaunchOptions::parse(const QStringList &arguments)
{
    m_error.clear();
    m_servers.clear();
    if (!m_parser.parse(arguments))
        return false;
    if (m_parser.isSet(m_urlOption) && m_parser.isSet(m_serverOption)) {
        m_error = tr("Use --server for each server, or --url for one, not both.");
        return false;
    }
    for (const QString &value : m_parser.values(m_serverOption)) {
        // "ws://a:1,ws://b:2": one server at several addresses, the first naming it.
        const QList<QUrl> urls = ConnectionChoice::normalizedUrls(value);
        ConnectionChoice server;
        server.hostLocally = false;
        server.url = urls.value(0);
        server.otherUrls = urls.mid(1);
        // The same test as the connect dialog's, for the addresses alone.
        server.username = QStringLiteral("x");
        server.room = DefaultRoom;
        if (urls.isEmpty() || !server.validate().isEmpty()) {
            m_error =
                tr("--server %1 is no server address: use ws://host:port or wss://host:port.").arg(value);
            m_servers.clear();
            return false;
        }
        m_servers.append(urls);
    }
    if (m_parser.isSet(m_urlOption))
        m_url = m_parser.value(m_urlOption);
    if (m_parser.isSet(m_userOption))
        m_user = m_parser.value(m_userOption);
    if (m_parser.isSet(m_roomOption))
        m_room = m_parser.value(m_roomOption);
    return true;
}

bool LaunchOptions::helpRequested() const
{
    return m_parser.isSet(m_helpOption);
}

bool LaunchOptions::versionRequested() const
{
    return m_parser.isSet(m_versionOption);
}

QString LaunchOptions::osUserName()
{
    // Sessions started by some launchers (and containers) have no USER: the home folder's name
    // is the account name on nearly every system, so a first start still needs no dialog.
    const QStringList candidates{qEnvironmentVariable("USER"), qEnvironmentVariable("LOGNAME"),
                                 qEnvironmentVariable("USERNAME"), QDir::home().dirName()};
    for (const QString &candidate : candidates) {
        const auto checked =
            Protocol::validateName(candidate, Protocol::Limits{}.maxNameChars, QStringLiteral("name"));
        if (const auto *name = std::get_if<QString>(&checked))
            return *name;
    }
    return {};
}

ConnectionChoice LaunchOptions::resolve(const AppSettings &settings, bool *needsDialog) const
{
    ConnectionChoice c;
    if (settings.hasConnection()) {
        c = settings.connection();
    } else {
        c.hostLocally = true;
        c.username = osUserName();
    }
    if (m_url) {
        c.url = ConnectionChoice::normalizedUrl(*m_url);
        c.hostLocally = false;
    }
    if (m_user)
        c.username = m_user->trimmed();
    if (m_room)
        c.room = m_room->trimmed();
    else if (c.room.isEmpty())
        c.room = DefaultRoom;
    if (needsDialog)
        *needsDialog = !c.validate().isEmpty();
    return c;
}

QList<ConnectionChoice> LaunchOptions::resolveServers(const AppSettings &settings, bool *needsDialog) const
{
    const ConnectionChoice first = resolve(settings, nullptr);
    QList<ConnectionChoice> result;
    if (m_servers.isEmpty()) {
        result.append(first);
        result.append(settings.servers());
    } else {
        for (const QList<QUrl> &urls : m_servers) {
            ConnectionChoice server = first;
            server.hostLocally = false;
            server.url = urls.constFirst();
            server.otherUrls = urls.mid(1);
            result.append(server);
        }
    }
    result = AppSettings::distinctServers(result);
    if (needsDialog) {
        *needsDialog = std::any_of(result.cbegin(), result.cend(),
                                   [](const ConnectionChoice &c) { return !c.validate().isEmpty(); });
    }
    return result;
}

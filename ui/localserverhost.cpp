// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserverhost.h"

#include "chatserver.h"

#include <QHostAddress>
#include <QNetworkInterface>

LocalServerHost::LocalServerHost(QObject *parent)
    : QObject(parent)
{}

LocalServerHost::~LocalServerHost() = default;

bool LocalServerHost::start(quint16 preferredPort, bool onNetwork)
{
    stop();
    m_onNetwork = onNetwork;
    ServerConfig config;
    config.host = onNetwork ? QStringLiteral("0.0.0.0") : QStringLiteral("127.0.0.1");
    config.port = preferredPort;
    // A server for people the user invited: the room list is how they find each other's rooms.
    config.publicRoomsList = true;
    // Open mode, whatever natter-server's defaults become: a local chat needs no accounts.
    config.accounts = false;
    m_server = std::make_unique<ChatServer>(config);
    if (m_server->listen())
        return true;
    const QString firstError = m_server->errorString();
    if (preferredPort != 0) {
        // The preferred port is busy (perhaps another Natter): any free port will do.
        config.port = 0;
        m_server = std::make_unique<ChatServer>(config);
        if (m_server->listen())
            return true;
    }
    m_error = tr("Could not start a local server: %1")
                  .arg(m_server->errorString().isEmpty() ? firstError : m_server->errorString());
    m_server.reset();
    return false;
}

void LocalServerHost::stop()
{
    if (m_server)
        m_server->close();
    m_server.reset();
}

bool LocalServerHost::isRunning() const
{
    return m_server && m_server->isListening();
}

quint16 LocalServerHost::port() const
{
    return m_server ? m_server->port() : 0;
}

QUrl LocalServerHost::url() const
{
    if (!isRunning())
        return {};
    QUrl u;
    u.setScheme(QStringLiteral("ws"));
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(port());
    u.setPath(QStringLiteral("/"));
    return u;
}

QUrl LocalServerHost::lanUrl() const
{
    if (!isRunning() || !m_onNetwork)
        return {};
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : addresses) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback() &&
            !address.isLinkLocal()) {
            QUrl u = url();
            u.setHost(address.toString());
            return u;
        }
    }
    return {};
}

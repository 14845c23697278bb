// SPDX-License-Identifier: GPL-3.0-or-later
#include "applauncher.h"

#include "appsettings.h"
#include "chatclient.h"
#include "chatsession.h"
#include "filetransfers.h"
#include "localserverhost.h"
#include "loginflow.h"
#include "mainwindow.h"
#include "messagecache.h"
#include "preferencesdialog.h"
#include "serverconnection.h"
#include "serverpane.h"
#include "serverspage.h"
#include "tokenstore.h"

#include <QStatusBar>

AppLauncher::AppLauncher(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<AppSettings>())
    , m_cache(new MessageCache(this))
    , m_host(new LocalServerHost(this))
    , m_tokens(new TokenStore(m_settings->tokenPolicy(), this))
    , m_preferredPort(LocalServerHost::DefaultPort)
{
    // The first server exists from the start, so that its parts can be set up before start().
    createServer();
}

AppLauncher::~AppLauncher()
{
    // The window refers to the clients: it goes first.
    m_window.reset();
    qDeleteAll(m_servers);
}

ChatClient *AppLauncher::client() const
{
    return m_servers.constFirst()->client();
}

FileTransfers *AppLauncher::transfers() const
{
    return m_servers.constFirst()->transfers();
}

LoginFlow *AppLauncher::login() const
{
    return m_servers.constFirst()->login();
}

ServerConnection *AppLauncher::createServer()
{
    // Preferences → Connection and → Files, the same for every server.
    auto *server = new ServerConnection(m_settings->clientSettings(), m_tokens);
    FileTransfers *transfers = server->transfers();
    transfers->setMaxIncomingBytes(m_settings->maxIncomingFileBytes());
    transfers->setAutoAcceptBytes(m_settings->autoAcceptFileBytes());
    transfers->setDownloadDir(m_settings->downloadDir());
    if (m_cache->isOpen())
        server->client()->setCache(m_cache);
    m_servers.append(server);
    m_choices.append(ConnectionChoice{});
    return server;
}

bool AppLauncher::start(const ConnectionChoice &choice)
{
    return start(QList<ConnectionChoice>{choice}, true);
}

bool AppLauncher::start(const QList<ConnectionChoice> &servers, bool remember)
{
    if (servers.isEmpty())
        return false;
    m_remember = remember;
    if (remember) {
        m_settings->setConnection(servers.constFirst());
        if (servers.size() > 1)
            m_settings->setServers(servers);
    }
    ServerConnection *first = m_servers.constFirst();
    m_window =
        std::make_unique<MainWindow>(first->client(), m_settings.get(), first->transfers(), first->login());
    // Without a cache the app works as before: only what the server sends is shown.
    connect(m_cache, &MessageCache::warning, m_window.get(),
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 8000); });
    if (m_cache->open(m_settings->cachePath())) {
        m_cache->setLimits(m_settings->cacheLimits());
        first->client()->setCache(m_cache);
    } else {
        m_window->statusBar()->showMessage(tr("No message cache: %1").arg(m_cache->errorString()), 8000);
    }
    m_window->setCache(m_cache);
    connect(m_window.get(), &MainWindow::connectionChangeRequested, this, &AppLauncher::changeServer);
    connect(m_window.get(), &MainWindow::preferencesCreated, this, &AppLauncher::addServersPage);
    bool ok = connectTo(first, servers.constFirst());
    m_choices.first() = servers.constFirst();
    for (qsizetype i = 1; i < servers.size(); ++i) {
        if (indexOf(servers.at(i)) < 0)
            ok = addServer(servers.at(i)) >= 0 && ok;
    }
    m_window->show();
    return ok;
}

int AppLauncher::indexOf(const ConnectionChoice &choice) const
{
    const QString key = AppSettings::serverKey(choice.url, choice.hostLocally);
    for (int i = 0; i < m_choices.size(); ++i) {
        const ConnectionChoice &open = m_choices.at(i);
        if (open.hostLocally == choice.hostLocally &&
            AppSettings::serverKey(open.url, open.hostLocally) == key)
            return i;
    }
    return -1;
}

int AppLauncher::addServer(const ConnectionChoice &choice)
{
    if (!m_window || indexOf(choice) >= 0)
        return -1;
    ServerConnection *server = createServer();
    const int index = m_window->addServer(server->client(), server->transfers(), server->login());
    m_choices.last() = choice;
    if (!connectTo(server, choice))
        return index;
    return index;
}

void AppLauncher::changeServer(int index, const ConnectionChoice &choice)
{
    ServerConnection *server = m_servers.value(index);
    if (!server || !m_window)
        return;
    if (choice.hostLocally && m_hosted && m_hosted != server) {
        // One "This computer": it is open already, so it is shown rather than opened twice.
        m_window->setCurrentServer(int(m_servers.indexOf(m_hosted)));
        m_window->statusBar()->showMessage(tr("This computer is open already"), 8000);
        return;
    }
    const ConnectionChoice was = m_choices.at(index);
    m_choices[index] = choice;
    if (m_remember) {
        // The saved entry follows the server it was (the first is the remembered connection too).
        QList<ConnectionChoice> saved = m_settings->servers();
        bool found = false;
        for (ConnectionChoice &entry : saved) {
            if (!found && AppSettings::sameServer(entry, was)) {
                entry = choice;
                found = true;
            }
        }
        if (!found)
            saved.insert(qMin(qsizetype(index), saved.size()), choice);
        m_settings->setServers(saved);
    }
    connectTo(server, choice);
}

void AppLauncher::removeServer(int index)
{
    if (index < 0 || index >= m_servers.size() || m_servers.size() == 1 || !m_window)
        return;
    m_window->removeServer(index);
    ServerConnection *server = m_servers.takeAt(index);
    m_choices.removeAt(index);
    server->client()->disconnectFromServer();
    if (server == m_hosted) {
        m_host->stop();
        m_hosted = nullptr;
    }
    server->deleteLater();
}

bool AppLauncher::connectTo(ServerConnection *server, const ConnectionChoice &choice)
{
    const int index = int(m_servers.indexOf(server));
    QUrl url = choice.url;
    if (choice.hostLocally) {
        // One hosted server: "This computer" moves to this one.
        if (m_hosted && m_hosted != server)
            m_window->setHostedUrl({}, {}, int(m_servers.indexOf(m_hosted)));
        if (!m_host->isRunning() && !m_host->start(m_preferredPort)) {
            m_error = m_host->errorString();
            m_window->statusBar()->showMessage(m_error);
            m_window->setHostedUrl({}, {}, index);
            m_hosted = nullptr;
            return false;
        }
        m_hosted = server;
        url = m_host->url();
        m_window->setHostedUrl(url, m_host->lanUrl(), index);
    } else if (server == m_hosted) {
        m_host->stop();
        m_hosted = nullptr;
        m_window->setHostedUrl({}, {}, index);
    }
    if (choice.hostLocally)
        server->client()->connectToServer(url, choice.username,
                                          choice.room); // open mode: no login, no keyring
    else
        server->login()->connectToServer(choice.urls(), choice.username, choice.room);
    // What the cache holds shows while the connection comes up (offline reading), with the
    // outbox the connect has just loaded for this user and server.
    m_window->server(index)->session()->showCached(url, choice.room);
    return true;
}

void AppLauncher::addServersPage(PreferencesDialog *dialog)
{
    auto *page = new ServersPage(m_settings.get());
    dialog->addPage(page, tr("Servers"));
    // The page edits the saved list and says which entry changed; the list as it was tells which
    // open server that was (a `--server` run may have others open).
    auto saved = std::make_shared<QList<ConnectionChoice>>(m_settings->servers());
    connect(page, &ServersPage::serverAdded, this, [this, saved](const ConnectionChoice &server) {
        addServer(server);
        *saved = m_settings->servers();
    });
    connect(page, &ServersPage::serverChanged, this,
            [this, saved](int index, const ConnectionChoice &server) {
                const int open = indexOf(saved->value(index));
                if (open >= 0)
                    changeServer(open, server);
                else
                    addServer(server);
                *saved = m_settings->servers();
            });
    connect(page, &ServersPage::serverRemoved, this, [this, saved](int index) {
        if (index >= 0 && index < saved->size())
            removeServer(indexOf(saved->at(index)));
        *saved = m_settings->servers();
    });
}

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
#include "tokenstore.h"

#include <QStatusBar>

AppLauncher::AppLauncher(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<AppSettings>())
    , m_cache(new MessageCache(this))
    , m_client(new ChatClient(m_settings->clientSettings(), this)) // Preferences → Connection
    , m_transfers(new FileTransfers(m_client->channel(), this))
    , m_host(new LocalServerHost(this))
    , m_tokens(new TokenStore(m_settings->tokenPolicy(), this))
    , m_login(new LoginFlow(m_client, m_tokens, this))
    , m_preferredPort(LocalServerHost::DefaultPort)
{}

AppLauncher::~AppLauncher()
{
    // The window refers to the client: it goes first.
    m_window.reset();
}

bool AppLauncher::start(const ConnectionChoice &choice)
{
    m_settings->setConnection(choice);
    m_transfers->setMaxIncomingBytes(m_settings->maxIncomingFileBytes());
    m_transfers->setAutoAcceptBytes(m_settings->autoAcceptFileBytes());
    m_transfers->setDownloadDir(m_settings->downloadDir());
    m_window = std::make_unique<MainWindow>(m_client, m_settings.get(), m_transfers, m_login);
    // Without a cache the app works as before: only what the server sends is shown.
    connect(m_cache, &MessageCache::warning, m_window.get(),
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 8000); });
    if (m_cache->open(m_settings->cachePath())) {
        m_cache->setLimits(m_settings->cacheLimits());
        m_client->setCache(m_cache);
    } else {
        m_window->statusBar()->showMessage(tr("No message cache: %1").arg(m_cache->errorString()), 8000);
    }
    m_window->setCache(m_cache);
    connect(m_window.get(), &MainWindow::hostLocallyRequested, this,
            [this](const QString &user, const QString &room) {
                ConnectionChoice c;
                c.hostLocally = true;
                c.username = user;
                c.room = room;
                connectTo(c);
            });
    const bool ok = connectTo(choice);
    m_window->show();
    return ok;
}

bool AppLauncher::connectTo(const ConnectionChoice &choice)
{
    QUrl url = choice.url;
    if (choice.hostLocally) {
        if (!m_host->isRunning() && !m_host->start(m_preferredPort)) {
            m_error = m_host->errorString();
            m_window->statusBar()->showMessage(m_error);
            m_window->setHostedUrl({});
            return false;
        }
        url = m_host->url();
        m_window->setHostedUrl(url, m_host->lanUrl());
    } else {
        m_host->stop();
        m_window->setHostedUrl({});
    }
    if (choice.hostLocally)
        m_client->connectToServer(url, choice.username, choice.room); // open mode: no login, no keyring
    else
        m_login->connectToServer(url, choice.username, choice.room);
    // What the cache holds shows while the connection comes up (offline reading), with the
    // outbox the connect has just loaded for this user and server.
    m_window->session()->showCached(url, choice.room);
    return true;
}

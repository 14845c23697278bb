// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// An in-process accounts-mode server (natter-server --accounts --registration open) with its user
// database in a directory the test owns, cheap password derivations, and clocks the test moves.

#include "accountservice.h"
#include "chatserver.h"
#include "serverfixture.h"
#include "userstore.h"

#include <QDateTime>

#include <memory>

class AccountsServer
{
public:
    static constexpr int CheapIterations = 1000;

    // The login throttle's clock: it stands still unless the test moves it, so the delays never
    // run out by themselves.
    qint64 throttleNow = 0;
    // Added to the wall clock token expiry is judged by.
    qint64 wallShiftMs = 0;

    // False when the database or the port cannot be opened. Starting again replaces the server.
    bool start(const QString &dataDir, bool authAtHandshake = false)
    {
        m_server.reset();
        m_accounts.reset();
        m_dataDir = dataDir;
        AccountService::Settings settings;
        settings.dataDir = dataDir;
        settings.iterations = CheapIterations;
        settings.registrationOpen = true;
        settings.throttleClock = [this] {
            return throttleNow;
        };
        settings.wallClock = [this] {
            return QDateTime::currentMSecsSinceEpoch() + wallShiftMs;
        };
        m_accounts = std::make_unique<AccountService>(settings);
        if (!m_accounts->open())
            return false;
        ServerConfig config = testServerConfig();
        config.accounts = true;
        config.registrationOpen = true;
        config.authAtHandshake = authAtHandshake;
        config.dataDir = dataDir;
        config.revocationCheckMs = 20; // `user passwd` ends live sessions at once
        m_server = std::make_unique<ChatServer>(config);
        m_server->setAuthenticator(m_accounts.get());
        return m_server->listen();
    }

    bool addUser(const QString &name, const QString &password)
    {
        UserStore::Options options;
        options.iterations = CheapIterations;
        UserStore store(m_dataDir, options);
        return store.open() && store.addUser(name, password) == UserStore::Result::Ok;
    }

    // As `natter-server user passwd` does it, from outside the server: its sessions end (4003).
    bool setPassword(const QString &name, const QString &password)
    {
        UserStore::Options options;
        options.iterations = CheapIterations;
        UserStore store(m_dataDir, options);
        return store.open() && store.setPassword(name, password) == UserStore::Result::Ok;
    }

    QUrl url() const { return m_server->url(); }
    int derivations() const { return m_accounts->derivationsStarted(); }

private:
    QString m_dataDir;
    std::unique_ptr<AccountService> m_accounts;
    std::unique_ptr<ChatServer> m_server; // goes first: it uses the service
};

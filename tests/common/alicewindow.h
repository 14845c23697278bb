// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "appsettings.h"
#include "chatclient.h"
#include "chatserver.h"
#include "clientfixture.h"
#include "mainwindow.h"
#include "messageview.h"
#include "serverfixture.h"
#include "userlistmodel.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

//! The usual setting of a desktop test: an in-process server, Alice's main window on it and Bob's
//! client beside her, both in "general". Header-only, like the other UI helpers.
struct AliceWindow
{
    std::unique_ptr<ChatServer> server;
    std::unique_ptr<ChatClient> client; // Alice's
    std::unique_ptr<AppSettings> settings;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<ChatClient> bob;

    // True once both sessions are ready and Alice's window lists Bob. A `size` resizes the window.
    bool open(const QTemporaryDir &dir, const ServerConfig &config, const QSize &size = {},
              int timeoutMs = 15000)
    {
        server = startTestServer(config);
        client = std::make_unique<ChatClient>(fastClientSettings(dir, QStringLiteral("alice")));
        settings = std::make_unique<AppSettings>();
        window = std::make_unique<MainWindow>(client.get(), settings.get());
        window->messageView()->setOpensLinks(false);
        if (size.isValid())
            window->resize(size);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return false;
        client->connectToServer(server->url(), QStringLiteral("alice"), QStringLiteral("general"));
        bob = std::make_unique<ChatClient>(fastClientSettings(dir, QStringLiteral("bob")));
        bob->connectToServer(server->url(), QStringLiteral("bob"), QStringLiteral("general"));
        return QTest::qWaitFor(
            [this] {
                return client->isSessionReady() && bob->isSessionReady() &&
                       window->userModel()->users().contains(QStringLiteral("bob"));
            },
            timeoutMs);
    }

    // Alice (again, as after quitting the app) with a new client, settings read anew and a new
    // window, connecting to the server; true once the window is exposed.
    bool startAlice(const QTemporaryDir &dir)
    {
        window.reset(); // first: it uses the client and the settings
        client = std::make_unique<ChatClient>(fastClientSettings(dir, QStringLiteral("alice")));
        settings = std::make_unique<AppSettings>();
        window = std::make_unique<MainWindow>(client.get(), settings.get());
        window->messageView()->setOpensLinks(false);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return false;
        client->connectToServer(server->url(), QStringLiteral("alice"), QStringLiteral("general"));
        return true;
    }

    // The window first (it uses the client and the settings), the server last.
    void close()
    {
        window.reset();
        bob.reset();
        client.reset();
        settings.reset();
        server.reset();
    }
};

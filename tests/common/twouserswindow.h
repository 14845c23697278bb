// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "appsettings.h"
#include "filetransfers.h"
#include "mainwindow.h"
#include "messageview.h"
#include "serverfixture.h"
#include "transferpresenter.h"
#include "twousers.h"
#include "userlistmodel.h"

#include <QTest>

#include <memory>

//! TwoUsers with file transfers and Alice's main window on them: the setting of the desktop tests
//! that send files. As in the app, received files stay private until the user saves them; links
//! and files are reported rather than opened.
struct TwoUsersWindow
{
    std::unique_ptr<TwoUsers> users; // the server; alice, whose window it is; bob
    std::unique_ptr<AppSettings> settings;
    std::unique_ptr<MainWindow> window;

    // A fresh server and users, progress reported often enough for a test to see it.
    void prepare()
    {
        FileTransfers::Settings files;
        files.progressIntervalMs = 50;
        users = std::make_unique<TwoUsers>(testServerConfig(), files);
        users->alice.transfers->setDownloadDir(QString());
        users->bob.transfers->setDownloadDir(QString());
    }

    // True once both users are in "general" and Alice's window lists Bob.
    bool open(int timeoutMs)
    {
        settings = std::make_unique<AppSettings>();
        window = std::make_unique<MainWindow>(users->alice.client.get(), settings.get(),
                                              users->alice.transfers.get());
        window->messageView()->setOpensLinks(false);
        window->transferPresenter()->setOpensFiles(false);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return false;
        return users->login() &&
               QTest::qWaitFor(
                   [this] { return window->userModel()->users().contains(QStringLiteral("bob")); },
                   timeoutMs);
    }

    void close() // the window first: it uses the users' clients and the settings
    {
        window.reset();
        settings.reset();
        users.reset();
    }
};

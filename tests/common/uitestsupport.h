// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the desktop app's tests: settings that never touch the user's, and fast clients.

#include "chatclient.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace UiTest {

// Sends QSettings and QStandardPaths to a throw-away test location, unique to this process.
inline void isolateSettings(const QString &testName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(
        QStringLiteral("natter-test-%1").arg(QCoreApplication::applicationPid()));
    QCoreApplication::setApplicationName(testName);
    QSettings().clear();
}

// Client settings with every interval short enough for a test, and the outbox in `dir`.
inline ChatClient::Settings fastClientSettings(const QTemporaryDir &dir, const QString &name)
{
    ChatClient::Settings s;
    s.initialDelayMs = 100;
    s.maxDelayMs = 400;
    s.jitter = 0;
    s.connectTimeoutMs = 3000;
    s.minUptimeMs = 200;
    s.pingIntervalMs = 200;
    s.pongTimeoutMs = 5000;
    s.typingThrottleMs = 0;
    s.typingExpiryMs = 5000;
    s.outboxPath = dir.filePath(QStringLiteral("outbox-%1.json").arg(name));
    s.outboxSaveDelayMs = 0;
    s.wakeCheckIntervalMs = 0;
    s.watchNetwork = false;
    return s;
}

} // namespace UiTest

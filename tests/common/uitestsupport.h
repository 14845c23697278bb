// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the desktop app's tests: settings that never touch the user's, and what a view shows.

#include "messagemodel.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QStringList>

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

// The text of every row of a message model, in order.
inline QStringList texts(const MessageModel *model)
{
    QStringList result;
    for (int i = 0; i < model->rowCount(); ++i)
        result.append(model->index(i).data(MessageModel::TextRole).toString());
    return result;
}

} // namespace UiTest

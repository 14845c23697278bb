// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the desktop app's tests: settings that never touch the user's, and what a view shows.

#include "messagemodel.h"
#include "messageview.h"

#include <QAction>
#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QStringList>
#include <QTest>

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

// The first row of a message model showing `text`, or -1.
inline int rowWithText(const QAbstractItemModel *model, const QString &text)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->index(i, 0).data(MessageModel::TextRole).toString() == text)
            return i;
    }
    return -1;
}

// The action of `actions` (a menu's, say) whose text is `text`, or null.
inline QAction *actionWithText(const QList<QAction *> &actions, const QString &text)
{
    for (QAction *a : actions) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

// How many users reacted with `emoji` to the message at `index`.
inline int reactionCount(const QModelIndex &index, const QString &emoji)
{
    const auto reactions = index.data(MessageModel::ReactionsRole).value<QList<Protocol::Reaction>>();
    for (const Protocol::Reaction &r : reactions) {
        if (r.emoji == emoji)
            return int(r.users.size());
    }
    return 0;
}

// Shows `view` of `model` as a window of `size`, links reported rather than opened; true once the
// window is exposed, so its rows can be laid out and clicked.
inline bool showView(MessageView &view, MessageModel &model, const QSize &size)
{
    view.setOpensLinks(false);
    view.setModel(&model);
    view.resize(size);
    view.show();
    return QTest::qWaitForWindowExposed(&view);
}

} // namespace UiTest

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

//! One external command run to completion: what it printed and how it ended, described for
//! failure messages.
struct CommandResult
{
    QString commandLine;
    bool finished = false; // false when it could not start, crashed or timed out
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    bool succeeded() const { return finished && exitCode == 0; }
    QString describe() const;

    // A tool on PATH, or a message naming the Debian package that provides it.
    static QString findTool(const QString &name);
    static QByteArray missingTool(const QString &name, const QString &debianPackage);

    static CommandResult
    run(const QString &program, const QStringList &arguments, int timeoutMs = 60000,
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
};

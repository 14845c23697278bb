// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandresult.h"

#include <QProcess>
#include <QStandardPaths>

QString CommandResult::describe() const
{
    QString text = commandLine + QLatin1String(": ");
    text += finished ? QStringLiteral("exit code %1").arg(exitCode) : QStringLiteral("did not finish");
    if (!out.isEmpty())
        text += QLatin1String("\n--- stdout ---\n") + QString::fromUtf8(out.right(4000));
    if (!err.isEmpty())
        text += QLatin1String("\n--- stderr ---\n") + QString::fromUtf8(err.right(4000));
    return text;
}

CommandResult CommandResult::run(const QString &program, const QStringList &arguments, int timeoutMs,
                                 const QProcessEnvironment &environment)
{
    CommandResult result;
    result.commandLine = (QStringList{program} + arguments).join(QLatin1Char(' '));
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    process.closeWriteChannel();
    if (!process.waitForStarted(timeoutMs)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.out = process.readAllStandardOutput();
        result.err =
            process.readAllStandardError() + "\n(killed after " + QByteArray::number(timeoutMs) + " ms)";
        return result;
    }
    result.finished = process.exitStatus() == QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QString CommandResult::findTool(const QString &name)
{
    return QStandardPaths::findExecutable(name);
}

QByteArray CommandResult::missingTool(const QString &name, const QString &debianPackage)
{
    return QStringLiteral("%1 is not installed: install the Debian package %2 (tools/dev.sh deps does)")
        .arg(name, debianPackage)
        .toUtf8();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "waituntil.h"

#include <QByteArray>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

//! The real natter-server executable as one node of a test: started with `arguments`, its
//! WebSocket URL read from what it prints. Header-only and free of Q_OBJECT.
class NodeProcess
{
public:
    explicit NodeProcess(const QString &program)
        : m_program(program)
    {}
    ~NodeProcess() { kill(); }
    Q_DISABLE_COPY_MOVE(NodeProcess)

    // Starts it and waits for "natter-server listening on URL"; the URL, or an empty one.
    QUrl start(const QStringList &arguments)
    {
        m_output.clear();
        m_process.setProgram(m_program);
        m_process.setArguments(arguments);
        m_process.setStandardErrorFile(QProcess::nullDevice()); // a log line per connect
        m_process.start();
        const QRegularExpression re(QStringLiteral("natter-server listening on (wss?://\\S+)"));
        QRegularExpressionMatch match;
        waitUntil(
            [&] {
                m_output += m_process.readAllStandardOutput();
                match = re.match(QString::fromUtf8(m_output));
                return match.hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            20000);
        m_url = match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
        return m_url;
    }
    QUrl url() const { return m_url; }
    QByteArray output()
    {
        m_output += m_process.readAllStandardOutput();
        return m_output;
    }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    // SIGTERM: the node closes its connections and exits.
    void stop()
    {
        if (!isRunning())
            return;
        m_process.terminate();
        m_process.waitForFinished(20000);
    }
    // SIGKILL: a node that dies.
    void kill()
    {
        if (!isRunning())
            return;
        m_process.kill();
        m_process.waitForFinished(20000);
    }

private:
    QString m_program;
    QProcess m_process;
    QByteArray m_output;
    QUrl m_url;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QTest>
#include <QUrl>

#include <functional>

//! A natter-server or natter-cli child process whose stdout lines the test can wait for.
//! natter-cli prints one JSON event per line; they are parsed as they arrive.
class ChildProcess
{
public:
    ChildProcess()
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readLines(); });
    }
    ~ChildProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool start(const QString &program, const QStringList &args)
    {
        m_lines.clear();
        m_events.clear();
        m_process.start(program, args);
        return m_process.waitForStarted(10000);
    }

    // Written through at once: the test waits on other processes without running an event loop.
    void write(const QString &line)
    {
        m_process.write(line.toUtf8() + '\n');
        m_process.waitForBytesWritten(5000);
    }
    void closeInput() { m_process.closeWriteChannel(); }
    void kill() // SIGKILL: no chance to clean up
    {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
    bool waitForExit(int ms = 15000) { return m_process.waitForFinished(ms); }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    QByteArray readStderr() { return m_process.readAllStandardError(); }
    QProcess &process() { return m_process; }

    const QList<QByteArray> &lines() const { return m_lines; }
    const QList<QJsonObject> &events() const { return m_events; }

    // Events of one kind, optionally filtered.
    QList<QJsonObject> events(const QString &name,
                              const std::function<bool(const QJsonObject &)> &pred = {}) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &e : m_events) {
            if (e.value(QLatin1String("event")).toString() == name && (!pred || pred(e)))
                out.append(e);
        }
        return out;
    }

    // Waits until at least `count` matching events were printed; events arrive through the event loop.
    bool waitForEvents(const QString &name, int count = 1, int timeoutMs = 15000,
                       const std::function<bool(const QJsonObject &)> &pred = {})
    {
        QElapsedTimer timer;
        timer.start();
        while (events(name, pred).size() < count) {
            if (timer.elapsed() > timeoutMs || m_process.state() == QProcess::NotRunning)
                return events(name, pred).size() >= count;
            m_process.waitForReadyRead(50);
            readLines();
        }
        return true;
    }

    bool waitForLine(const QByteArray &prefix, int timeoutMs = 15000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            for (const QByteArray &l : m_lines) {
                if (l.startsWith(prefix))
                    return true;
            }
            if (m_process.state() == QProcess::NotRunning)
                return false;
            m_process.waitForReadyRead(50);
            readLines();
        }
        return false;
    }

private:
    void readLines()
    {
        m_buffer += m_process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(nl);
            m_buffer.remove(0, nl + 1);
            m_lines.append(line);
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject())
                m_events.append(doc.object());
        }
    }

    QProcess m_process;
    QByteArray m_buffer;
    QList<QByteArray> m_lines;
    QList<QJsonObject> m_events;
};

//! natter-server as a child process on 127.0.0.1; `port` 0 picks a free one.
class ServerProcess : public ChildProcess
{
public:
    bool start(quint16 port = 0, const QStringList &extra = {})
    {
        if (!ChildProcess::start(QStringLiteral(NATTER_SERVER_PATH),
                                 QStringList{QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                                             QStringLiteral("--port"), QString::number(port)} +
                                     extra))
            return false;
        if (!waitForLine("natter-server listening on "))
            return false;
        for (const QByteArray &l : lines()) {
            if (l.startsWith("natter-server listening on "))
                m_url = QUrl(QString::fromUtf8(l.mid(int(qstrlen("natter-server listening on ")))).trimmed());
        }
        return m_url.isValid();
    }
    QUrl url() const { return m_url; }

private:
    QUrl m_url;
};

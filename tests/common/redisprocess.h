// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "waituntil.h"

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

#include <csignal>

//! A real redis-server for one test: on a port that was free, with its data (an append-only file,
//! fsynced on every write) in `dir`. stop() and start() again keep the data, as an operator's
//! restart does; pause() freezes it (SIGSTOP), the half-dead broker no socket error reveals.
//! Header-only and free of Q_OBJECT. Skip the test when available() is false.
class RedisProcess
{
public:
    explicit RedisProcess(const QString &dir)
        : m_dir(dir)
    {
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, 0))
            m_port = probe.serverPort(); // closed again below: redis-server takes it
    }
    ~RedisProcess() { kill(); }
    Q_DISABLE_COPY_MOVE(RedisProcess)

    static QString executable() { return QStandardPaths::findExecutable(QStringLiteral("redis-server")); }
    static bool available() { return !executable().isEmpty(); }

    quint16 port() const { return m_port; }
    QString url(int db = 0) const { return QStringLiteral("redis://127.0.0.1:%1/%2").arg(m_port).arg(db); }

    // Starts it and waits until it answers PING.
    bool start()
    {
        m_process.setProgram(executable());
        m_process.setArguments(
            {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
             QStringLiteral("127.0.0.1"), QStringLiteral("--dir"), m_dir, QStringLiteral("--save"), QString(),
             QStringLiteral("--appendonly"), QStringLiteral("yes"), QStringLiteral("--appendfsync"),
             QStringLiteral("always"), QStringLiteral("--daemonize"), QStringLiteral("no"),
             // DEBUG SLEEP: a broker busy for a while without being frozen (tst_redislink).
             QStringLiteral("--enable-debug-command"), QStringLiteral("local")});
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setStandardOutputFile(m_dir + QStringLiteral("/redis.log"), QIODevice::Append);
        m_process.start();
        if (!m_process.waitForStarted())
            return false;
        return waitUntil([this] { return call({"PING"}) == "+PONG\r\n"; }, 20000);
    }
    // SIGTERM: Redis writes what it holds and exits.
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        resume();
        m_process.terminate();
        m_process.waitForFinished(20000);
    }
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(20000);
    }
    void pause() { ::kill(pid_t(m_process.processId()), SIGSTOP); }
    void resume() { ::kill(pid_t(m_process.processId()), SIGCONT); }

    // One command on a connection of its own; the raw RESP reply ("" if there was none).
    QByteArray call(const QList<QByteArray> &args) const
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!socket.waitForConnected(2000))
            return {};
        QByteArray request = '*' + QByteArray::number(args.size()) + "\r\n";
        for (const QByteArray &a : args)
            request += '$' + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
        socket.write(request);
        QByteArray reply;
        while (complete(reply, 0) < 0 && socket.waitForReadyRead(5000))
            reply += socket.readAll();
        return reply;
    }

private:
    // Where the RESP value starting at `at` ends, or -1 while it is incomplete.
    static qsizetype complete(const QByteArray &r, qsizetype at)
    {
        const qsizetype eol = r.indexOf("\r\n", at);
        if (at >= r.size() || eol < 0)
            return -1;
        const qint64 n = r.mid(at + 1, eol - at - 1).toLongLong();
        switch (r.at(at)) {
        case '$':
            return n < 0 ? eol + 2 : (r.size() >= eol + 2 + n + 2 ? eol + 2 + n + 2 : -1);
        case '*': {
            qsizetype next = eol + 2;
            for (qint64 i = 0; i < n && next >= 0; ++i)
                next = complete(r, next);
            return n < 0 ? eol + 2 : next;
        }
        default: // + - :
            return eol + 2;
        }
    }

    QString m_dir;
    quint16 m_port = 0;
    QProcess m_process;
};

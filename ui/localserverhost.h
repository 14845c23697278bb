// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QUrl>

#include <memory>

class ChatServer;

//! Runs natter-server's core inside the app when the user hosts the chat: on the preferred port
//! (8080) or, when that is busy, on a free one.
class LocalServerHost : public QObject
{
    Q_OBJECT
public:
    static constexpr quint16 DefaultPort = 8080;

    explicit LocalServerHost(QObject *parent = nullptr);
    ~LocalServerHost() override;

    // onNetwork = false listens on 127.0.0.1 only; true on every interface.
    bool start(quint16 preferredPort = DefaultPort, bool onNetwork = false);
    void stop();
    bool isRunning() const;
    quint16 port() const;
    QUrl url() const;    // for this computer
    QUrl lanUrl() const; // for others on the network (empty when listening on loopback only)
    QString errorString() const { return m_error; }
    ChatServer *server() const { return m_server.get(); }

private:
    std::unique_ptr<ChatServer> m_server;
    bool m_onNetwork = false;
    QString m_error;
};

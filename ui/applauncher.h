// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionchoice.h"

#include <QObject>

#include <memory>

class AppSettings;
class ChatClient;
class FileTransfers;
class LocalServerHost;
class LoginFlow;
class MainWindow;
class MessageCache;
class TokenStore;

//! Puts the desktop app together: the settings, the chat client with its file transfers and its
//! login (LoginFlow, TokenStore), the message cache, a hosted server when the user chats locally,
//! and the main window. Keeps main() down to parsing the command line.
class AppLauncher : public QObject
{
    Q_OBJECT
public:
    explicit AppLauncher(QObject *parent = nullptr);
    ~AppLauncher() override;

    AppSettings *settings() const { return m_settings.get(); }
    ChatClient *client() const { return m_client; }
    FileTransfers *transfers() const { return m_transfers; }
    LocalServerHost *host() const { return m_host; }
    TokenStore *tokenStore() const { return m_tokens; } // under the policy the settings name
    MainWindow *window() const { return m_window.get(); }
    MessageCache *cache() const { return m_cache; } // open, or without a file when it could not be

    // Connects (hosting first if asked), creates and shows the window. False with errorString()
    // when hosting failed; the window is shown even then, offline, so the user can pick a server.
    bool start(const ConnectionChoice &choice);
    QString errorString() const { return m_error; }

    // The port tried first when hosting (8080 in the product; tests pass 0).
    void setPreferredHostPort(quint16 port) { m_preferredPort = port; }

private:
    bool connectTo(const ConnectionChoice &choice);

    std::unique_ptr<AppSettings> m_settings;
    MessageCache *m_cache;
    ChatClient *m_client;
    FileTransfers *m_transfers;
    LocalServerHost *m_host;
    TokenStore *m_tokens;
    LoginFlow *m_login;
    std::unique_ptr<MainWindow> m_window;
    quint16 m_preferredPort;
    QString m_error;
};

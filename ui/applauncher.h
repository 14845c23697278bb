// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionchoice.h"

#include <QList>
#include <QObject>

#include <memory>

class AppSettings;
class ChatClient;
class FileTransfers;
class LocalServerHost;
class LoginFlow;
class MainWindow;
class MessageCache;
class PreferencesDialog;
class ServerConnection;
class TokenStore;

//! Puts the desktop app together: the settings, one ServerConnection (chat client, file transfers,
//! login) per server the user talks to, side by side, the message cache they share, a hosted
//! server when the user chats on "This computer", and the main window. Keeps main() down to
//! parsing the command line.
class AppLauncher : public QObject
{
    Q_OBJECT
public:
    explicit AppLauncher(QObject *parent = nullptr);
    ~AppLauncher() override;

    AppSettings *settings() const { return m_settings.get(); }
    // The first server's parts.
    ChatClient *client() const;
    FileTransfers *transfers() const;
    LoginFlow *login() const;
    int serverCount() const { return int(m_servers.size()); }
    ServerConnection *server(int index) const { return m_servers.value(index); }
    LocalServerHost *host() const { return m_host; }
    TokenStore *tokenStore() const { return m_tokens; } // under the policy the settings name
    MainWindow *window() const { return m_window.get(); }
    MessageCache *cache() const { return m_cache; } // open, or without a file when it could not be

    // Connects (hosting first if asked), creates and shows the window. False with errorString()
    // when hosting failed; the window is shown even then, offline, so the user can pick a server.
    // One server: remembered as the connection to open next time.
    bool start(const ConnectionChoice &choice);
    // Several side by side; `remember` saves them as the list to open next time (not for a
    // `--server` run).
    bool start(const QList<ConnectionChoice> &servers, bool remember);
    QString errorString() const { return m_error; }

    // Opens another server at once (Preferences → Servers); its index.
    int addServer(const ConnectionChoice &choice);
    // Connects server `index` elsewhere (Chat → Connect To…, Preferences → Servers).
    void changeServer(int index, const ConnectionChoice &choice);
    // Disconnects and closes server `index` (the last one stays).
    void removeServer(int index);
    int indexOf(const ConnectionChoice &choice) const; // -1 when it is not open

    // The port tried first when hosting (8080 in the product; tests pass 0).
    void setPreferredHostPort(quint16 port) { m_preferredPort = port; }

private:
    ServerConnection *createServer();
    bool connectTo(ServerConnection *server, const ConnectionChoice &choice);
    void addServersPage(PreferencesDialog *dialog);

    std::unique_ptr<AppSettings> m_settings;
    MessageCache *m_cache;
    LocalServerHost *m_host;
    TokenStore *m_tokens;
    QList<ServerConnection *> m_servers;
    QList<ConnectionChoice> m_choices;    // what each server was opened with
    ServerConnection *m_hosted = nullptr; // the server on "This computer"
    bool m_remember = true;               // false for a `--server` run: nothing is saved
    std::unique_ptr<MainWindow> m_window;
    quint16 m_preferredPort;
    QString m_error;
};

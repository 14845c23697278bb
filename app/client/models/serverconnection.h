// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"

#include <QObject>

class FileTransfers;
class LoginFlow;
class TokenStore;

//! Everything the app keeps per server it talks to: the ChatClient, the FileTransfers on its
//! session and the LoginFlow that logs it in (with the app's one TokenStore). The app opens one
//! per server, side by side; the window shows each through a pane of its own.
class ServerConnection : public QObject
{
    Q_OBJECT
public:
    ServerConnection(const ChatClient::Settings &settings, TokenStore *tokens, QObject *parent = nullptr);
    ~ServerConnection() override;

    ChatClient *client() const { return m_client; }
    FileTransfers *transfers() const { return m_transfers; }
    LoginFlow *login() const { return m_login; }

private:
    ChatClient *m_client;
    FileTransfers *m_transfers;
    LoginFlow *m_login;
};

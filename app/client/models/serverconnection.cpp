// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverconnection.h"

#include "filetransfers.h"
#include "loginflow.h"

ServerConnection::ServerConnection(const ChatClient::Settings &settings, TokenStore *tokens, QObject *parent)
    : QObject(parent)
    , m_client(new ChatClient(settings, this))
    , m_transfers(new FileTransfers(m_client->channel(), this))
    , m_login(new LoginFlow(m_client, tokens, this))
{}

// The transfers and the login refer to the client: they go first.
ServerConnection::~ServerConnection()
{
    delete m_login;
    delete m_transfers;
}

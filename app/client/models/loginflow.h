// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"
#include "tokenstore.h"

#include <QObject>
#include <QUrl>

#include <deque>

//! Keeps a ChatClient logged in to an accounts server across runs (PROTOCOL.md 2, *Identity*):
//! the stored token is loaded before connecting, a new one is stored once the server hands it
//! out, and a rejected or revoked one is removed. Whatever only the user can answer (a password,
//! where to keep the token) comes out as a signal for the window to ask; no widgets here.
class LoginFlow : public QObject
{
    Q_OBJECT
public:
    LoginFlow(ChatClient *client, TokenStore *store, QObject *parent = nullptr);

    bool canLogOut() const;           // logged in to an accounts server
    bool registrationAllowed() const; // the server's last `connected` said anyone may register
    QString storageProblem() const;   // why the keyring cannot keep the token; empty when it can

public slots:
    // Loads the token stored for `username` on `url`, gives it to the client, then connects.
    void connectToServer(const QUrl &url, const QString &username, const QString &room);
    // The same for a server at several addresses (ChatClient::connectToServer): the first names it.
    void connectToServer(const QList<QUrl> &urls, const QString &username, const QString &room);
    void logIn(const QString &username, const QString &password, bool createAccount);
    void logOut();
    // The user's answer to storageChoiceNeeded(): a token waiting for it is stored there.
    void setStoragePolicy(TokenStore::Policy policy);

signals:
    // The client waits for the user to log in (ChatClient::loginRequired).
    void loginNeeded(ChatClient::LoginProblem problem, const QString &reason, qint64 retryAfterMs);
    // A login the user asked for ended without the server's verdict (refused here, or the
    // connection failed): the user may try again.
    void loginInterrupted(const QString &reason);
    // Logged in, and the token is stored (or waits for storageChoiceNeeded's answer).
    void loggedIn(const QString &account);
    // The keyring cannot keep the token (no keyring service): ask for another policy.
    void storageChoiceNeeded(const QString &reason);
    void storageFailed(const QString &reason);
    void canLogOutChanged(bool canLogOut);

private:
    enum class Op {
        Load,
        Save,
        Resave, // setPolicy() saving a token the keyring refused
        Remove
    };
    void request(Op op, const QString &key);
    Op answered(const QString &key); // the oldest request for `key`; a re-save when none
    void onLoaded(const QString &key, const QString &token);
    void onNoToken(const QString &key);
    void onAuthenticated(const QString &account, const QString &token);
    void onLoginRequired(ChatClient::LoginProblem problem, const QString &reason, qint64 retryAfterMs);
    void onLoggedOut();
    void onStateChanged(ChatClient::State state, const QString &reason);
    void finishLoad(const QString &token);
    QString currentKey() const;

    ChatClient *m_client;
    TokenStore *m_store;
    struct Target
    {
        QList<QUrl> urls; // the first names the server
        QString username;
        QString room;
    };
    Target m_target;          // what connectToServer() asked for, while its token loads
    QString m_loadingKey;     // the key whose load the connection waits for
    QString m_key;            // the account logged in now, as TokenStore names it
    QString m_storedToken;    // what the store holds under m_key: no need to save it again
    QString m_account;        // logged in as (what loggedIn() reports once the token is stored)
    QString m_storageProblem; // the keyring's last "no service here"
    std::deque<std::pair<QString, Op>> m_requests; // TokenStore answers each request once
    bool m_registration = false;
    bool m_loggingIn = false; // a login the user asked for waits for the server
    bool m_canLogOut = false;
};

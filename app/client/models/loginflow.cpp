// SPDX-License-Identifier: GPL-3.0-or-later
#include "loginflow.h"

#include <QTimer>

#include <algorithm>

LoginFlow::LoginFlow(ChatClient *client, TokenStore *store, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_store(store)
{
    connect(
        client, &ChatClient::authenticated, this,
        [this](const QString &account, const QString &token, qint64) { onAuthenticated(account, token); });
    connect(client, &ChatClient::loginRequired, this, &LoginFlow::onLoginRequired);
    connect(client, &ChatClient::loggedOut, this, &LoginFlow::onLoggedOut);
    connect(client, &ChatClient::stateChanged, this, &LoginFlow::onStateChanged);

    connect(store, &TokenStore::tokenLoaded, this, &LoginFlow::onLoaded);
    connect(store, &TokenStore::tokenMissing, this, [this](const QString &key) {
        if (answered(key) == Op::Load)
            onNoToken(key);
    });
    connect(store, &TokenStore::saved, this, [this](const QString &key) {
        if (answered(key) == Op::Save)
            emit loggedIn(m_account);
    });
    connect(store, &TokenStore::removed, this, [this](const QString &key) { answered(key); });
    connect(store, &TokenStore::keyringUnavailable, this, [this](const QString &key, const QString &reason) {
        m_storageProblem = reason;
        switch (answered(key)) {
        case Op::Load:
            onNoToken(key);
            break;
        case Op::Save:
            // The store keeps the token for this run and saves it where the user then says.
            emit storageChoiceNeeded(reason);
            emit loggedIn(m_account);
            break;
        case Op::Resave:
        case Op::Remove:
            break; // a keyring that is not there holds nothing to remove
        }
    });
    connect(store, &TokenStore::failed, this, [this](const QString &key, const QString &reason) {
        const Op op = answered(key);
        emit storageFailed(reason);
        if (op == Op::Load)
            onNoToken(key);
        else if (op == Op::Save)
            emit loggedIn(m_account);
    });
}

bool LoginFlow::canLogOut() const
{
    return m_client->state() == ChatClient::State::Connected && !m_client->account().isEmpty();
}

bool LoginFlow::registrationAllowed() const
{
    return m_registration;
}

QString LoginFlow::storageProblem() const
{
    return m_storageProblem;
}

void LoginFlow::connectToServer(const QUrl &url, const QString &username, const QString &room)
{
    connectToServer(QList<QUrl>{url}, username, room);
}

void LoginFlow::connectToServer(const QList<QUrl> &urls, const QString &username, const QString &room)
{
    const QUrl url = urls.value(0);
    m_target = {urls, username, room};
    m_key.clear();
    m_storedToken.clear();
    if (username.isEmpty()) {
        finishLoad({});
        return;
    }
    m_loadingKey = TokenStore::key(url, username);
    request(Op::Load, m_loadingKey);
    m_store->load(m_loadingKey);
}

void LoginFlow::logIn(const QString &username, const QString &password, bool createAccount)
{
    // ChatClient refuses at once (no server, a name it cannot send, already logged in) with
    // requestRefused; anything later is the server's answer.
    m_loggingIn = true;
    QString refusal;
    const auto watch = connect(m_client, &ChatClient::requestRefused, this,
                               [&refusal](const QString &why) { refusal = why; });
    m_client->logIn(username, password, createAccount);
    disconnect(watch);
    if (!refusal.isEmpty()) {
        m_loggingIn = false;
        emit loginInterrupted(refusal);
    }
}

void LoginFlow::logOut()
{
    m_client->logOut();
}

void LoginFlow::setStoragePolicy(TokenStore::Policy policy)
{
    m_storageProblem.clear();
    m_store->setPolicy(policy);
}

void LoginFlow::request(Op op, const QString &key)
{
    m_requests.emplace_back(key, op);
}

LoginFlow::Op LoginFlow::answered(const QString &key)
{
    const auto it = std::find_if(m_requests.begin(), m_requests.end(),
                                 [&key](const auto &request) { return request.first == key; });
    if (it == m_requests.end())
        return Op::Resave; // setPolicy() saved a waiting token again
    const Op op = it->second;
    m_requests.erase(it);
    return op;
}

void LoginFlow::onLoaded(const QString &key, const QString &token)
{
    if (answered(key) != Op::Load || key != m_loadingKey)
        return;
    m_key = key;
    m_storedToken = token;
    finishLoad(token);
}

void LoginFlow::onNoToken(const QString &key)
{
    // A load that failed counts as missing; an answer to an older load is no longer wanted.
    if (key == m_loadingKey)
        finishLoad({});
}

void LoginFlow::finishLoad(const QString &token)
{
    m_loadingKey.clear();
    // Also when empty: a token from an earlier login in this run belongs to another name.
    m_client->setToken(m_target.urls.value(0), token);
    m_client->connectToServer(m_target.urls, m_target.username, m_target.room);
}

QString LoginFlow::currentKey() const
{
    return m_key.isEmpty() ? TokenStore::key(m_client->url(), m_client->username()) : m_key;
}

void LoginFlow::onAuthenticated(const QString &account, const QString &token)
{
    m_loggingIn = false;
    m_account = account;
    const QString key = TokenStore::key(m_client->url(), account);
    if (key == m_key && token == m_storedToken) {
        emit loggedIn(account); // resumed with the stored token: nothing new to keep
        return;
    }
    m_key = key;
    m_storedToken = token;
    request(Op::Save, key);
    m_store->save(key, token);
}

void LoginFlow::onLoginRequired(ChatClient::LoginProblem problem, const QString &reason, qint64 retryAfterMs)
{
    m_loggingIn = false;
    if (problem == ChatClient::LoginProblem::TokenRejected ||
        problem == ChatClient::LoginProblem::SessionEnded) {
        // The client forgot the token; a stored copy would only be rejected again next run.
        const QString key = currentKey();
        m_storedToken.clear();
        request(Op::Remove, key);
        m_store->remove(key);
    }
    emit loginNeeded(problem, reason, retryAfterMs);
}

void LoginFlow::onLoggedOut()
{
    const QString key = currentKey();
    m_key.clear();
    m_storedToken.clear();
    m_account.clear();
    request(Op::Remove, key);
    m_store->remove(key);
    // Back to the server's login question, so that the user sees the way back in. Queued: the
    // client is still inside its handling of the server's `loggedOut`.
    QTimer::singleShot(0, this, [this] {
        if (m_client->state() == ChatClient::State::Disconnected && !m_client->url().isEmpty())
            m_client->connectToServer(m_client->urls(), m_client->username(), m_client->room());
    });
}

void LoginFlow::onStateChanged(ChatClient::State state, const QString &reason)
{
    using State = ChatClient::State;
    if (state == State::Authenticating)
        m_registration = m_client->serverInfo().registration; // gone once the connection is
    if (m_loggingIn &&
        (state == State::Reconnecting || state == State::Disconnected || state == State::GaveUp)) {
        m_loggingIn = false;
        emit loginInterrupted(reason);
    }
    if (canLogOut() != m_canLogOut) {
        m_canLogOut = !m_canLogOut;
        emit canLogOutChanged(m_canLogOut);
    }
}

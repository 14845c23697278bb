// SPDX-License-Identifier: GPL-3.0-or-later
#include "loginpresenter.h"

#include "appsettings.h"
#include "chatclient.h"
#include "logindialog.h"
#include "loginflow.h"

LoginPresenter::LoginPresenter(LoginFlow *flow, ChatClient *client, AppSettings *settings,
                               QWidget *dialogParent, QObject *parent)
    : QObject(parent)
    , m_flow(flow)
    , m_client(client)
    , m_settings(settings)
    , m_dialogParent(dialogParent)
{
    // LoginFlow decides when to ask; the dialog asks, and says what the server answered.
    connect(flow, &LoginFlow::loginNeeded, this,
            [this](ChatClient::LoginProblem problem, const QString &reason, qint64 retryAfterMs) {
                openDialog()->showLoginProblem(problem, reason, retryAfterMs);
            });
    connect(flow, &LoginFlow::loginInterrupted, this, [this](const QString &reason) {
        if (m_dialog)
            m_dialog->showError(tr("The login did not reach the server: %1").arg(reason));
    });
    // Comes before loggedIn, so that the dialog stays open for the choice.
    connect(flow, &LoginFlow::storageChoiceNeeded, this,
            [this](const QString &reason) { openDialog()->offerStorageChoice(reason); });
    connect(flow, &LoginFlow::storageFailed, this,
            [this](const QString &reason) { emit problem(tr("Your login: %1").arg(reason)); });
    connect(flow, &LoginFlow::loggedIn, this, [this](const QString &account) {
        if (m_dialog)
            m_dialog->loginSucceeded();
        // The next start loads the token of the account the user logged in as, on this server's
        // entry (a server opened for one run has none).
        ConnectionChoice me;
        me.hostLocally = false;
        me.url = m_client->url();
        QList<ConnectionChoice> saved = m_settings->servers();
        bool changed = false;
        for (ConnectionChoice &server : saved) {
            if (AppSettings::sameServer(server, me) && server.username != account) {
                server.username = account;
                changed = true;
            }
        }
        if (changed)
            m_settings->setServers(saved);
    });
}

LoginPresenter::~LoginPresenter()
{
    closeDialog();
}

LoginDialog *LoginPresenter::dialog() const
{
    return m_dialog;
}

void LoginPresenter::askToLogIn()
{
    openDialog()->showLoginProblem(ChatClient::LoginProblem::NoCredentials, {}, 0);
    m_dialog->raise();
    m_dialog->activateWindow();
}

void LoginPresenter::closeDialog()
{
    if (m_dialog)
        m_dialog->reject();
}

LoginDialog *LoginPresenter::openDialog()
{
    if (m_dialog)
        return m_dialog;
    m_dialog = new LoginDialog(m_client->url().toDisplayString(), m_client->username(), m_dialogParent);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog->setRegistrationAllowed(m_flow->registrationAllowed());
    connect(m_dialog, &LoginDialog::loginRequested, m_flow, &LoginFlow::logIn);
    connect(m_dialog, &LoginDialog::storagePolicyChosen, this, [this](TokenStore::Policy policy) {
        m_flow->setStoragePolicy(policy);
        m_settings->setTokenPolicy(policy);
    });
    if (!m_flow->storageProblem().isEmpty())
        m_dialog->offerStorageChoice(m_flow->storageProblem());
    // Window-modal and not exec(): the client's answers reach the dialog while it is open.
    m_dialog->open();
    return m_dialog;
}

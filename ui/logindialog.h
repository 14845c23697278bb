// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"
#include "tokenstore.h"

#include <QDialog>
#include <QTimer>

class QDialogButtonBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;

//! Asks for an account's name and password on a server in accounts mode, shows what the server
//! answered, and, where no keyring service runs, asks where the login may be kept.
//!
//! It only asks: the caller sends the login and reports the outcome back through the slots. The
//! password lives in its field until the login is over (so a wrong one can be retyped over) and
//! is cleared then; it is never kept anywhere else.
class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LoginDialog(const QString &server, const QString &name = QString(), QWidget *parent = nullptr);

    // The name as the user typed it, without surrounding spaces.
    QString userName() const;
    QString errorText() const;

public slots:
    // "Create account" is offered only where the server allows registration.
    void setRegistrationAllowed(bool allowed);
    void showWrongCredentials();
    void showNameTaken();
    void showSessionEnded();
    void showSessionExpired(); // the stored login was refused: it expired or was revoked
    void showRetryAfter(int seconds);
    void showError(const QString &message); // anything else the server or the connection said
    // Why the client waits for a login (ChatClient::loginRequired), each with the step it asks for.
    void showLoginProblem(ChatClient::LoginProblem problem, const QString &reason, qint64 retryAfterMs);
    // One second of a retry countdown passed (a timer calls it; tests call it).
    void tick();
    // The keyring cannot keep the login: say so and let the user choose a file or nothing.
    void offerStorageChoice(const QString &reason = QString());
    // Logged in: the password is forgotten and the dialog closes (after the storage choice, if
    // one is open).
    void loginSucceeded();

signals:
    void loginRequested(const QString &name, const QString &password, bool createAccount);
    void storagePolicyChosen(TokenStore::Policy policy);

protected:
    void done(int result) override;

private:
    void request(bool createAccount);
    void chooseStorage(TokenStore::Policy policy);
    void setBusy(bool busy);
    void updateButtons();
    void showProblem(const QString &text, QLineEdit *next);
    QString countdownText() const;

    QLabel *m_server;
    QLineEdit *m_name;
    QLineEdit *m_password;
    QLabel *m_error;
    QFrame *m_storage;
    QLabel *m_storageText;
    QPushButton *m_keepInFile;
    QPushButton *m_keepNothing;
    QDialogButtonBox *m_buttons;
    QPushButton *m_login;
    QPushButton *m_create;
    QTimer m_countdown;
    int m_retryLeft = 0;
    bool m_busy = false;
    bool m_registrationAllowed = false;
    bool m_succeeded = false;
};

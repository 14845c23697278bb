// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

class AppSettings;
class ChatClient;
class LoginDialog;
class LoginFlow;
class QWidget;

//! Asks the user what LoginFlow needs: one LoginDialog, window-modal over `dialogParent`, that
//! shows each of the server's answers where the next step is, and the choice of where the token
//! goes when no keyring runs (remembered in AppSettings).
class LoginPresenter : public QObject
{
    Q_OBJECT
public:
    LoginPresenter(LoginFlow *flow, ChatClient *client, AppSettings *settings, QWidget *dialogParent,
                   QObject *parent = nullptr);
    ~LoginPresenter() override; // closes its dialog: it names a server no longer shown

    LoginDialog *dialog() const; // while one is open

public slots:
    void askToLogIn(); // the user asked (the status bar's "Log in")
    void closeDialog();

signals:
    void problem(const QString &message); // for the status bar: nothing to answer

private:
    LoginDialog *openDialog();

    LoginFlow *m_flow;
    ChatClient *m_client;
    AppSettings *m_settings;
    QWidget *m_dialogParent;
    QPointer<LoginDialog> m_dialog;
};

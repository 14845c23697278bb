// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class AppSettings;
class ChatClient;
class QLabel;
class QLineEdit;
class QPushButton;

//! Preferences → Name: the name others see. Renaming applies at once, on the live connection when
//! there is one (the server may refuse it, say when someone else holds the name: the page shows
//! why and the old name stays), and is the name Natter connects with from then on. On a server
//! with accounts the name is the account, and the page says so instead.
class IdentityPage : public QWidget
{
    Q_OBJECT
public:
    IdentityPage(AppSettings *settings, ChatClient *client, QWidget *parent = nullptr);

    QLineEdit *name() const { return m_name; }
    QPushButton *renameButton() const { return m_rename; }
    QLabel *status() const { return m_status; }       // the outcome of the last rename
    QLabel *accountNote() const { return m_account; } // shown on a server with accounts

public slots:
    void rename(); // to what the name field holds

private:
    void refresh();
    void finish(const QString &message, bool refused);

    AppSettings *m_settings;
    QPointer<ChatClient> m_client;
    QLineEdit *m_name;
    QPushButton *m_rename;
    QLabel *m_status;
    QLabel *m_account;
    QString m_pending;     // the name asked for, until the client or the server answers
    bool m_asking = false; // inside ChatClient::setUsername(): its own refusals are this rename's
    void keep(const QString &name);
};

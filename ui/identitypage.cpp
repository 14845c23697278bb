// SPDX-License-Identifier: GPL-3.0-or-later
#include "identitypage.h"

#include "appsettings.h"
#include "chatclient.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

IdentityPage::IdentityPage(AppSettings *settings, ChatClient *client, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_client(client)
    , m_name(new QLineEdit)
    , m_rename(new QPushButton(tr("Rename")))
    , m_status(new QLabel)
    , m_account(new QLabel)
{
    setObjectName(QStringLiteral("identityPage"));
    m_name->setAccessibleName(tr("Your name"));
    m_rename->setAccessibleName(tr("Rename yourself"));
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Rename result"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_account->setWordWrap(true);
    m_account->setAccessibleName(tr("Account"));
    auto *explanation = new QLabel(tr("The name others see you as, and the one Natter connects with."));
    explanation->setWordWrap(true);

    auto *row = new QHBoxLayout;
    row->addWidget(m_name, 1);
    row->addWidget(m_rename);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), row);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_account);
    layout->addStretch(1);

    connect(m_rename, &QPushButton::clicked, this, &IdentityPage::rename);
    connect(m_name, &QLineEdit::returnPressed, this, &IdentityPage::rename);
    if (client) {
        connect(client, &ChatClient::usernameChanged, this, [this](const QString &name) {
            if (m_pending.isEmpty()) {
                refresh();
                return;
            }
            keep(name);
            // Not connected: the client takes the name at once, and the server judges it then.
            finish(m_client->state() == ChatClient::State::Connected
                       ? tr("Your name is now %1.").arg(name)
                       : tr("Natter asks for the name %1 when it connects.").arg(name),
                   false);
        });
        connect(client, &ChatClient::nameRefused, this, [this](const QString &name, const QString &reason) {
            if (!m_pending.isEmpty() && Protocol::sameName(name, m_pending))
                finish(reason, true);
        });
        // A name the client itself refuses (empty, too long...), and one the server finds invalid;
        // nothing else that goes wrong meanwhile is this rename's answer.
        connect(client, &ChatClient::requestRefused, this, [this](const QString &reason) {
            if (m_asking)
                finish(reason, true);
        });
        connect(client, &ChatClient::serverError, this, [this](const Protocol::Error &error) {
            if (!m_pending.isEmpty() &&
                error.code == Protocol::errorCodeName(Protocol::ErrorCode::InvalidName))
                finish(error.message, true);
        });
        connect(client, &ChatClient::connectedToServer, this, &IdentityPage::refresh);
        connect(client, &ChatClient::stateChanged, this, [this](ChatClient::State state) {
            // The answer went with the connection; the client asks for that name on reconnecting.
            if (!m_pending.isEmpty() && state != ChatClient::State::Connected) {
                const QString name = m_pending;
                keep(name);
                finish(tr("Natter asks for the name %1 when it connects.").arg(name), false);
            }
            refresh();
        });
    }
    refresh();
}

void IdentityPage::rename()
{
    const QString name = m_name->text().trimmed();
    if (!m_client || m_client->isAccountsServer() || !m_pending.isEmpty() || name.isEmpty() ||
        name == m_client->username())
        return;
    m_pending = name;
    m_status->setText(tr("Renaming…"));
    m_rename->setEnabled(false);
    m_asking = true;
    m_client->setUsername(name); // answered by one of the signals connected above
    m_asking = false;
}

void IdentityPage::keep(const QString &name)
{
    ConnectionChoice choice = m_settings->connection();
    choice.username = name;
    choice.room.clear(); // the last room stays as it is
    m_settings->setConnection(choice);
}

void IdentityPage::finish(const QString &message, bool refused)
{
    m_pending.clear();
    m_rename->setEnabled(true);
    m_status->setText(refused ? tr("Not renamed: %1").arg(message) : message);
    m_name->setModified(false); // shows the name held now: the old one after a refusal
    refresh();
}

void IdentityPage::refresh()
{
    if (!m_pending.isEmpty())
        return;
    const bool accounts = m_client && m_client->isAccountsServer();
    m_name->setReadOnly(accounts);
    m_rename->setVisible(!accounts);
    m_account->setVisible(accounts);
    if (accounts) {
        m_name->setText(m_client->account());
        m_account->setText(tr("On this server your name is your account, %1. To be someone else, log out "
                              "and log in with another account.")
                               .arg(m_client->account()));
    } else {
        // Not over what the user is typing (a reconnect refreshes too).
        if (!m_name->isModified())
            m_name->setText(m_client ? m_client->username() : m_settings->connection().username);
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverspage.h"

#include "appsettings.h"
#include "connectdialog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace {
const QString DefaultRoom = QStringLiteral("general");
}

ServersPage::ServersPage(AppSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_servers(settings->servers())
    , m_list(new QListWidget)
    , m_add(new QPushButton(tr("&Add…")))
    , m_edit(new QPushButton(tr("&Edit…")))
    , m_remove(new QPushButton(tr("&Remove")))
    , m_problem(new QLabel)
    , m_asker([this](const ConnectionChoice &initial) { return ConnectDialog::ask(initial, this); })
{
    setObjectName(QStringLiteral("serversPage"));
    m_list->setAccessibleName(tr("Servers"));
    m_add->setAccessibleName(tr("Add a server"));
    m_edit->setAccessibleName(tr("Edit the chosen server"));
    m_remove->setAccessibleName(tr("Remove the chosen server"));
    m_problem->setWordWrap(true);
    m_problem->setAccessibleName(tr("Server problem"));
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->hide();
    auto *explanation = new QLabel(tr("Natter connects to all of these servers side by side. Changes "
                                      "apply at once."));
    explanation->setWordWrap(true);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(row, 1);
    layout->addWidget(m_problem);
    setTabOrder(m_list, m_add);
    setTabOrder(m_add, m_edit);
    setTabOrder(m_edit, m_remove);

    connect(m_add, &QPushButton::clicked, this, &ServersPage::addServer);
    connect(m_edit, &QPushButton::clicked, this, &ServersPage::editCurrent);
    connect(m_remove, &QPushButton::clicked, this, &ServersPage::removeCurrent);
    connect(m_list, &QListWidget::itemActivated, this, &ServersPage::editCurrent);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        m_edit->setEnabled(row >= 0);
        m_remove->setEnabled(row >= 0);
    });
    refresh();
}

void ServersPage::addServer()
{
    ConnectionChoice initial;
    initial.hostLocally = false;
    // Most people are the same person everywhere.
    initial.username = m_servers.isEmpty() ? m_settings->connection().username : m_servers.first().username;
    initial.room = DefaultRoom;
    const std::optional<ConnectionChoice> server = m_asker(initial);
    if (!server)
        return;
    if (const QString why = refusal(*server, -1); !why.isEmpty()) {
        showProblem(why);
        return;
    }
    m_servers.append(*server);
    save();
    m_list->setCurrentRow(int(m_servers.size()) - 1);
    emit serverAdded(*server);
}

void ServersPage::editCurrent()
{
    const int index = m_list->currentRow();
    if (index < 0 || index >= m_servers.size())
        return;
    const std::optional<ConnectionChoice> server = m_asker(m_servers.at(index));
    if (!server)
        return;
    if (const QString why = refusal(*server, index); !why.isEmpty()) {
        showProblem(why);
        return;
    }
    m_servers[index] = *server;
    save();
    m_list->setCurrentRow(index);
    emit serverChanged(index, *server);
}

void ServersPage::removeCurrent()
{
    const int index = m_list->currentRow();
    if (index < 0 || index >= m_servers.size())
        return;
    m_servers.removeAt(index);
    save();
    m_list->setCurrentRow(std::min(index, int(m_servers.size()) - 1));
    emit serverRemoved(index);
}

QString ServersPage::refusal(const ConnectionChoice &server, int index) const
{
    for (int i = 0; i < m_servers.size(); ++i) {
        if (i == index || !AppSettings::sameServer(m_servers.at(i), server))
            continue;
        if (server.hostLocally)
            return tr("Natter hosts one server on this computer, and it is in the list already.");
        return tr("%1 is in the list already.").arg(AppSettings::serverDisplayName(server));
    }
    return {};
}

void ServersPage::save()
{
    m_problem->clear();
    m_problem->hide();
    m_settings->setServers(m_servers);
    m_servers = m_settings->servers();
    refresh();
}

void ServersPage::refresh()
{
    const int row = m_list->currentRow();
    m_list->clear();
    for (const ConnectionChoice &server : m_servers) {
        const QString address = server.hostLocally ? tr("Hosted by Natter") : server.url.toString();
        QString details = tr("%1 as %2").arg(address, server.username);
        if (!server.hostLocally && !server.otherUrls.isEmpty())
            details += QLatin1Char('\n') +
                       tr("Other addresses: %1").arg(ConnectionChoice::urlsText(server.otherUrls));
        auto *item =
            new QListWidgetItem(AppSettings::serverDisplayName(server) + QLatin1Char('\n') + details);
        item->setToolTip(details);
        m_list->addItem(item);
    }
    m_list->setCurrentRow(std::min(row, int(m_servers.size()) - 1));
    m_edit->setEnabled(m_list->currentRow() >= 0);
    m_remove->setEnabled(m_list->currentRow() >= 0);
}

void ServersPage::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->show();
}

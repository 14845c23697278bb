// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionchoice.h"

#include <QList>
#include <QWidget>

#include <functional>
#include <optional>

class AppSettings;
class QLabel;
class QListWidget;
class QPushButton;

//! Preferences → Servers: the servers Natter connects to side by side. Adding, editing and removing
//! one saves the list at once (AppSettings::setServers) and says so with a signal, for the window to
//! open or close that connection. The page edits the saved list and shows it, also in a run whose
//! servers came from the command line (--server): those are for that run only, the saved list is
//! what the user keeps.
class ServersPage : public QWidget
{
    Q_OBJECT
public:
    // Asks for a server, starting from `initial`; nothing when cancelled.
    using Asker = std::function<std::optional<ConnectionChoice>(const ConnectionChoice &initial)>;

    explicit ServersPage(AppSettings *settings, QWidget *parent = nullptr);

    QList<ConnectionChoice> servers() const { return m_servers; } // as saved, in the list's order
    QListWidget *list() const { return m_list; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *removeButton() const { return m_remove; }
    QLabel *problem() const { return m_problem; } // why the last add or edit was refused
    // ConnectDialog::ask unless replaced (tests).
    void setAsker(Asker asker) { m_asker = std::move(asker); }

public slots:
    void addServer();
    void editCurrent();
    void removeCurrent();

signals:
    void serverAdded(const ConnectionChoice &server);
    void serverChanged(int index, const ConnectionChoice &server);
    void serverRemoved(int index);

private:
    // Why `server` cannot be at `index` (-1: added) of the list, or empty.
    QString refusal(const ConnectionChoice &server, int index) const;
    void save();
    void refresh();
    void showProblem(const QString &text);

    AppSettings *m_settings;
    QList<ConnectionChoice> m_servers;
    QListWidget *m_list;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QLabel *m_problem;
    Asker m_asker;
};

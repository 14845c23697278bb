// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSystemTrayIcon>

//! Natter in the system tray: the app's icon with the number of unread messages on it (and in the
//! tooltip), desktop notifications, and a menu to show the window, turn on Do Not Disturb or quit.
class TrayIcon : public QSystemTrayIcon
{
    Q_OBJECT
public:
    TrayIcon(const QIcon &base, QObject *parent = nullptr);

    int unread() const { return m_unread; }
    // `base` with `unread` in a red badge on its lower right (999+ past that); `base` at 0.
    static QIcon badged(const QIcon &base, int unread);

public slots:
    void setUnread(int unread);

private:
    QIcon m_base;
    int m_unread = 0;
};

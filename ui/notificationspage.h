// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAction;
class QCheckBox;

//! Preferences → Notifications: Do Not Disturb for the whole app (the same action as the View
//! menu's and the tray's), and where each room's level is set.
class NotificationsPage : public QWidget
{
    Q_OBJECT
public:
    NotificationsPage(QAction *doNotDisturb, QWidget *parent = nullptr);

    QCheckBox *doNotDisturb() const { return m_doNotDisturb; }

private:
    QCheckBox *m_doNotDisturb;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "notificationspage.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QVBoxLayout>

NotificationsPage::NotificationsPage(QAction *doNotDisturb, QWidget *parent)
    : QWidget(parent)
    , m_doNotDisturb(new QCheckBox(tr("&Do not disturb: no desktop notifications from any room")))
{
    setObjectName(QStringLiteral("notificationsPage"));
    m_doNotDisturb->setChecked(doNotDisturb->isChecked());
    connect(m_doNotDisturb, &QCheckBox::toggled, doNotDisturb, &QAction::setChecked);
    connect(doNotDisturb, &QAction::toggled, m_doNotDisturb, &QCheckBox::setChecked);

    auto *perRoom = new QLabel(tr("Each room notifies all its messages, only those that mention you, or "
                                  "nothing: choose in the room's menu in the rooms list. Unread messages "
                                  "are counted either way."));
    perRoom->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_doNotDisturb);
    layout->addWidget(perRoom);
    layout->addStretch(1);
}

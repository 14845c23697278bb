// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomlistdock.h"

#include "protocol.h"
#include "roomdelegate.h"
#include "roomlistmodel.h"

#include <QActionGroup>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QVBoxLayout>

RoomListDock::RoomListDock(RoomListModel *model, QWidget *parent)
    : QDockWidget(tr("Rooms"), parent)
    , m_model(model)
    , m_view(new QListView)
    , m_joinEdit(new QLineEdit)
    , m_joinButton(new QPushButton(tr("Join")))
{
    setObjectName(QStringLiteral("roomsDock"));
    setAccessibleName(tr("Rooms"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);

    m_view->setModel(model);
    m_view->setItemDelegate(new RoomDelegate(m_view));
    m_view->setAccessibleName(tr("Room list"));
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setFocusPolicy(Qt::NoFocus);
    connect(m_view, &QListView::clicked, this, [this](const QModelIndex &index) {
        emit joinRequested(index.data(RoomListModel::NameRole).toString());
    });

    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu *menu = createContextMenu(m_view->indexAt(pos));
        if (!menu)
            return;
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_view->viewport()->mapToGlobal(pos));
    });

    m_joinEdit->setPlaceholderText(tr("Room name"));
    m_joinEdit->setToolTip(tr("Join a room, or create it by joining"));
    m_joinEdit->setAccessibleName(tr("Room name to join"));
    m_joinEdit->setClearButtonEnabled(true);
    m_joinButton->setAccessibleName(tr("Join room"));
    m_joinButton->setEnabled(false);
    connect(m_joinEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        const auto checked = Protocol::validateName(text, Protocol::Limits{}.maxRoomChars, tr("Room name"));
        const auto *error = std::get_if<Protocol::DecodeError>(&checked);
        m_joinButton->setEnabled(!error);
        m_joinEdit->setToolTip(error && !text.isEmpty() ? error->message
                                                        : tr("Join a room, or create it by joining"));
    });
    connect(m_joinEdit, &QLineEdit::returnPressed, this, &RoomListDock::joinTyped);
    connect(m_joinButton, &QPushButton::clicked, this, &RoomListDock::joinTyped);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 6);
    layout->addWidget(m_view);
    auto *row = new QHBoxLayout;
    row->setContentsMargins(6, 0, 6, 0);
    row->addWidget(m_joinEdit);
    row->addWidget(m_joinButton);
    layout->addLayout(row);
    setWidget(content);
}

QMenu *RoomListDock::createContextMenu(const QModelIndex &index)
{
    if (!index.isValid())
        return nullptr;
    const QString room = index.data(RoomListModel::NameRole).toString();
    const auto current = index.data(RoomListModel::NotifyRole).value<RoomListModel::Notify>();
    auto *menu = new QMenu(m_view);
    menu->addSection(tr("Notify me about"));
    auto *group = new QActionGroup(menu);
    const auto add = [&](RoomListModel::Notify level, const QString &text, const QString &name) {
        QAction *action = menu->addAction(text);
        action->setObjectName(name);
        action->setCheckable(true);
        action->setChecked(level == current);
        group->addAction(action);
        // The model may be gone or reordered by then: the room is named, not indexed.
        connect(action, &QAction::triggered, m_model,
                [model = m_model, room, level] { model->setNotifyLevel(room, level); });
    };
    add(RoomListModel::Notify::All, tr("&All messages"), QStringLiteral("notifyAllAction"));
    add(RoomListModel::Notify::Mentions, tr("&Mentions only"), QStringLiteral("notifyMentionsAction"));
    add(RoomListModel::Notify::Nothing, tr("&Nothing"), QStringLiteral("notifyNothingAction"));
    return menu;
}

void RoomListDock::joinTyped()
{
    const auto checked =
        Protocol::validateName(m_joinEdit->text(), Protocol::Limits{}.maxRoomChars, tr("Room name"));
    if (const auto *name = std::get_if<QString>(&checked)) {
        emit joinRequested(*name);
        m_joinEdit->clear();
    }
}

void RoomListDock::selectNext(int step)
{
    const int count = m_model->rowCount();
    if (count == 0)
        return;
    const int current = m_model->rowOf(m_model->currentRoom());
    const int next = current < 0 ? 0 : (current + step + count) % count;
    if (next != current)
        emit joinRequested(m_model->nameAt(next));
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomlistdock.h"

#include "protocol.h"
#include "roomdelegate.h"
#include "roomlistmodel.h"
#include "serverroomsmodel.h"

#include <QActionGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

RoomListDock::RoomListDock(ServerRoomsModel *model, QWidget *parent)
    : QDockWidget(tr("Rooms"), parent)
    , m_model(model)
    , m_view(new QTreeView)
    , m_delegate(new RoomDelegate(m_view))
    , m_joinEdit(new QLineEdit)
    , m_joinButton(new QPushButton(tr("Join")))
{
    setObjectName(QStringLiteral("roomsDock"));
    setAccessibleName(tr("Rooms"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);

    m_view->setModel(model);
    m_view->setItemDelegate(m_delegate);
    m_delegate->setCurrentServer(m_currentServer);
    m_view->setAccessibleName(tr("Room list"));
    m_view->setHeaderHidden(true);
    m_view->header()->setAccessibleName(tr("Room list header")); // hidden, but still an item view
    m_view->setRootIsDecorated(true);
    m_view->setIndentation(14);
    m_view->setUniformRowHeights(false);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // The highlight is the room shown (RoomDelegate); keyboard users move the view's current row,
    // which has its focus frame, and selecting would paint a second highlight in the branch area.
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setFrameShape(QFrame::NoFrame);
    // Reachable with Tab for keyboard users; a click joins without taking the composer's focus.
    m_view->setFocusPolicy(Qt::TabFocus);
    m_view->installEventFilter(this);
    m_view->viewport()->installEventFilter(this);
    m_view->expandAll();
    connect(m_view, &QTreeView::clicked, this, &RoomListDock::joinAt);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &RoomListDock::currentRowChanged);
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                if (!parent.isValid()) {
                    for (int row = first; row <= last; ++row)
                        m_view->expand(m_model->index(row, 0));
                } else if (m_model->rowCount(parent) == last - first + 1) {
                    m_view->expand(parent); // its first rooms
                }
            });
    connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &parent, int first, int last) {
                if (!parent.isValid())
                    serversRemoved(first, last);
            });
    connect(model, &QAbstractItemModel::modelReset, m_view, &QTreeView::expandAll);

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

void RoomListDock::setCurrentServer(int server)
{
    if (server == m_currentServer)
        return;
    m_currentServer = server;
    m_delegate->setCurrentServer(server);
    m_view->viewport()->update();
}

QMenu *RoomListDock::createContextMenu(const QModelIndex &index)
{
    RoomListModel *rooms = m_model->rooms(m_model->serverOf(index));
    if (!rooms || index.data(ServerRoomsModel::IsServerRole).toBool())
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
        connect(action, &QAction::triggered, rooms,
                [rooms, room, level] { rooms->setNotifyLevel(room, level); });
    };
    add(RoomListModel::Notify::All, tr("&All messages"), QStringLiteral("notifyAllAction"));
    add(RoomListModel::Notify::Mentions, tr("&Mentions only"), QStringLiteral("notifyMentionsAction"));
    add(RoomListModel::Notify::Nothing, tr("&Nothing"), QStringLiteral("notifyNothingAction"));
    return menu;
}

bool RoomListDock::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport()) {
        if (event->type() == QEvent::MouseButtonPress)
            m_pressed = true;
        else if (event->type() == QEvent::MouseButtonRelease)
            m_pressed = false;
    } else if (watched == m_view && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && m_view->currentIndex().isValid()) {
            joinAt(m_view->currentIndex());
            return true;
        }
    }
    return QDockWidget::eventFilter(watched, event);
}

void RoomListDock::joinTyped()
{
    const auto checked =
        Protocol::validateName(m_joinEdit->text(), Protocol::Limits{}.maxRoomChars, tr("Room name"));
    const auto *name = std::get_if<QString>(&checked);
    if (!name || m_currentServer < 0 || m_currentServer >= m_model->serverCount())
        return;
    emit joinRequested(m_currentServer, *name);
    m_joinEdit->clear();
}

void RoomListDock::joinAt(const QModelIndex &index)
{
    const int server = m_model->serverOf(index);
    if (server < 0 || index.data(ServerRoomsModel::IsServerRole).toBool())
        return;
    emit joinRequested(server, index.data(RoomListModel::NameRole).toString());
}

void RoomListDock::currentRowChanged(const QModelIndex &index)
{
    // Moving onto another server's room switches there; within the shown server, Enter joins (a
    // click has its own signal).
    if (m_pressed || m_following || m_model->serverOf(index) == m_currentServer)
        return;
    joinAt(index);
}

void RoomListDock::serversRemoved(int first, int last)
{
    if (m_currentServer > last)
        setCurrentServer(m_currentServer - (last - first + 1));
    else if (m_currentServer >= first)
        setCurrentServer(-1); // the window names the next one
}

void RoomListDock::selectNext(int step)
{
    QVector<QModelIndex> rows; // every room row, server after server
    for (int server = 0; server < m_model->serverCount(); ++server) {
        const QModelIndex parent = m_model->serverIndex(server);
        for (int row = 0; row < m_model->rowCount(parent); ++row)
            rows.append(m_model->index(row, 0, parent));
    }
    const int count = int(rows.size());
    if (count == 0)
        return;
    const RoomListModel *rooms = m_model->rooms(m_currentServer);
    const int current =
        rooms ? int(rows.indexOf(m_model->roomIndex(m_currentServer, rooms->currentRoom()))) : -1;
    const int next = current < 0 ? 0 : ((current + step) % count + count) % count;
    if (next == current)
        return;
    m_following = true;
    m_view->setCurrentIndex(rows.at(next));
    m_following = false;
    joinAt(rows.at(next));
}

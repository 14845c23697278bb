// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageview.h"

#include "emojichoices.h"
#include "imageviewer.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageviewaccessible.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QStyleOptionFocusRect>

#include <algorithm>
#include <memory>
#include <utility>

namespace {
constexpr int PinSlackPx = 4;   // this close to the bottom still counts as "at the bottom"
constexpr int TopSlackPx = 40;  // this close to the top asks for older messages
constexpr int FrameMs = 33;     // rows streaming in are laid out at most this often
constexpr int MaxFrameMs = 250; // and at least this often
constexpr int LayoutShare = 8;  // a frame lasts at least this many times the last layout
} // namespace

MessageView::MessageView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
    , m_newButton(new QPushButton(this))
    , m_unreadButton(new QPushButton(tr("↑ First unread"), this))
    , m_olderLabel(new QLabel(tr("Loading older messages…"), this))
{
    // Its rows and their painted buttons, for screen readers (once for all views).
    static const bool accessible = [] {
        QAccessible::installFactory(&MessageViewAccessible::create);
        return true;
    }();
    Q_UNUSED(accessible)
    setItemDelegate(m_delegate);
    setAccessibleName(tr("Messages"));
    setSelectionMode(QAbstractItemView::NoSelection);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(false);
    setWordWrap(true);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalScrollBar()->setSingleStep(20);
    m_pendingTimer.setSingleShot(true);
    connect(&m_pendingTimer, &QTimer::timeout, this, &MessageView::layOutPendingRows);

    m_newButton->setAccessibleName(tr("Jump to new messages"));
    m_newButton->setCursor(Qt::PointingHandCursor);
    m_newButton->hide();
    m_olderLabel->setAccessibleName(tr("Loading older messages"));
    m_olderLabel->setAutoFillBackground(true);
    m_olderLabel->setMargin(4);
    m_olderLabel->hide();
    connect(m_newButton, &QPushButton::clicked, this, &MessageView::jumpToBottom);
    m_unreadButton->setObjectName(QStringLiteral("firstUnreadButton"));
    m_unreadButton->setAccessibleName(tr("Jump to the first unread message"));
    m_unreadButton->setCursor(Qt::PointingHandCursor);
    m_unreadButton->hide();
    connect(m_unreadButton, &QPushButton::clicked, this, &MessageView::jumpToFirstUnread);

    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onScrolled);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &MessageView::onRangeChanged);
    connect(m_delegate, &MessageDelegate::retryRequested, this, &MessageView::retryRequested);
    connect(m_delegate, &MessageDelegate::reactionToggled, this,
            [this](qint64 seq, const QString &emoji, bool add) {
                if (m_conversation)
                    emit reactionRequested(seq, emoji, add);
            });
    connect(m_delegate, &MessageDelegate::replyPreviewClicked, this, [this](qint64 seq) {
        if (!showSeq(seq))
            emit messageWanted(seq);
    });
    connect(m_delegate, &MessageDelegate::rowActionClicked, this, &MessageView::onRowAction);
    connect(m_delegate, &MessageDelegate::transferButtonClicked, this, &MessageView::requestTransferAction);
    connect(m_delegate, &MessageDelegate::thumbnailChanged, this, &MessageView::onThumbnailChanged);
    connect(m_delegate, &MessageDelegate::imageClicked, this, [this](const QString &path) {
        emit imageActivated(path);
        if (!m_opensImages)
            return;
        auto *viewer = new ImageViewer(path, this);
        viewer->setAttribute(Qt::WA_DeleteOnClose);
        viewer->show();
    });
    connect(m_delegate, &MessageDelegate::linkActivated, this, [this](const QUrl &url) {
        emit linkActivated(url);
        if (m_opensLinks)
            QDesktopServices::openUrl(url);
    });
}

void MessageView::setModel(QAbstractItemModel *model)
{
    if (this->model())
        disconnect(this->model(), nullptr, this, nullptr);
    m_pendingFirst = m_pendingLast = -1;
    m_pendingTimer.stop();
    m_delegate->invalidate();
    QListView::setModel(model);
    emit modelChanged();
    if (!model)
        return;
    // Heights are cached by row, so anything that shifts rows invalidates them.
    auto invalidate = [this] {
        m_delegate->invalidate();
    };
    connect(model, &QAbstractItemModel::rowsRemoved, this, invalidate);
    connect(model, &QAbstractItemModel::modelReset, this, invalidate);
    connect(model, &QAbstractItemModel::layoutChanged, this, invalidate);
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, &MessageView::rememberAnchor);
    connect(model, &QAbstractItemModel::dataChanged, this, &MessageView::onDataChanged);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_delegate->setHighlighted({});
        m_moreAbove = true;
        m_pendingFirst = m_pendingLast = -1; // the reset lays out everything anyway
        m_pendingTimer.stop();
        m_pinned = true;
        m_newCount = 0;
        updateNewMessagesButton();
    });
}

void MessageView::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                const QList<int> &roles)
{
    // An edit, a deletion or reactions change a row's height; QListView keeps the old one until
    // it lays out again. Such changes come one row at a time.
    static const QList<int> sizing{
        Qt::DisplayRole,           MessageModel::TextRole,      MessageModel::EditedRole,
        MessageModel::DeletedRole, MessageModel::ReactionsRole, MessageModel::FirstUnreadRole};
    const bool resizes = roles.isEmpty() || std::any_of(roles.cbegin(), roles.cend(),
                                                        [](int role) { return sizing.contains(role); });
    if (roles.contains(MessageModel::FirstUnreadRole))
        QTimer::singleShot(0, this, &MessageView::updateFirstUnreadButton); // once it is laid out
    if (!resizes || !topLeft.isValid())
        return;
    if (bottomRight.row() - topLeft.row() > 64) {
        m_delegate->invalidate();
        scheduleDelayedItemsLayout();
        return;
    }
    bool changed = false;
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
        changed = m_delegate->refreshHeight(model()->index(row, 0)) || changed;
    if (changed) {
        layOutPendingRows();
        scheduleDelayedItemsLayout();
    }
}

void MessageView::onThumbnailChanged(const QModelIndex &index)
{
    if (m_delegate->refreshHeight(index)) {
        layOutPendingRows();
        scheduleDelayedItemsLayout();
    } else {
        update(index);
    }
}

QRect MessageView::thumbnailRect(const QModelIndex &index) const
{
    return m_delegate->thumbnailRect(optionFor(index), index);
}

QStyleOptionViewItem MessageView::optionFor(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    return option;
}

QRect MessageView::reactionChipRect(const QModelIndex &index, const QString &emoji) const
{
    return m_delegate->reactionChipRect(optionFor(index), index, emoji);
}

void MessageView::setConversationEnabled(bool enabled)
{
    m_conversation = enabled;
    m_delegate->setRowActionsEnabled(enabled);
    viewport()->update();
}

QRect MessageView::rowActionRect(const QModelIndex &index, MessageDelegate::RowAction action) const
{
    return m_delegate->rowActionRect(optionFor(index), index, action);
}

void MessageView::onRowAction(qint64 seq, MessageDelegate::RowAction action, const QRect &at)
{
    if (!m_conversation)
        return;
    switch (action) {
    case MessageDelegate::RowAction::Reply:
        emit replyRequested(seq);
        break;
    case MessageDelegate::RowAction::React: {
        auto *messages = qobject_cast<MessageModel *>(model());
        const int row = messages ? messages->rowOfSeq(seq) : -1;
        QMenu *menu = row >= 0 ? createReactMenu(model()->index(row, 0)) : nullptr;
        if (!menu)
            break;
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(viewport()->mapToGlobal(at.bottomLeft()));
        break;
    }
    case MessageDelegate::RowAction::Edit:
        emit editRequested(seq);
        break;
    case MessageDelegate::RowAction::Delete:
        emit deleteRequested(seq);
        break;
    case MessageDelegate::RowAction::None:
        break;
    }
}

QVector<MessageDelegate::Button> MessageView::buttons(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != model())
        return {};
    return m_delegate->buttons(optionFor(index), index);
}

bool MessageView::pressButton(const QModelIndex &index, const MessageDelegate::Button &button)
{
    if (!index.isValid() || index.model() != model())
        return false;
    // Scrolling to the top can load older messages above at once (olderMessagesWanted), which
    // shifts the rows: follow the message, not its row.
    const QPersistentModelIndex target(index);
    // On screen first, as for a click: the React picker opens below its button.
    layOutPendingRows();
    executeDelayedItemsLayout();
    scrollTo(target);
    if (!target.isValid())
        return false;
    for (const MessageDelegate::Button &b : buttons(target)) {
        if (b.sameAs(button)) {
            m_delegate->press(target, b);
            return true;
        }
    }
    return false;
}

QMenu *MessageView::createReactMenu(const QModelIndex &index)
{
    const qint64 seq = index.data(MessageModel::SeqRole).toLongLong();
    if (!m_conversation || !MessageDelegate::rowActions(index).contains(MessageDelegate::RowAction::React))
        return nullptr;
    auto *menu = new QMenu(tr("Re&act"), this);
    menu->setObjectName(QStringLiteral("reactPicker"));
    const QStringList own = index.data(MessageModel::OwnReactionsRole).toStringList();
    // The row's own chips too, so that each can be toggled without the mouse.
    QStringList emojis = EmojiChoices::offered();
    const auto reactions = index.data(MessageModel::ReactionsRole).value<QList<Protocol::Reaction>>();
    for (const Protocol::Reaction &reaction : reactions) {
        if (!emojis.contains(reaction.emoji))
            emojis.append(reaction.emoji);
    }
    for (const QString &emoji : std::as_const(emojis)) {
        const bool mine = own.contains(emoji);
        QAction *a = menu->addAction(emoji, this,
                                     [this, seq, emoji, mine] { emit reactionRequested(seq, emoji, !mine); });
        a->setCheckable(true);
        a->setChecked(mine); // choosing it again takes the reaction back
    }
    return menu;
}

QRect MessageView::replyPreviewRect(const QModelIndex &index) const
{
    return m_delegate->replyPreviewRect(optionFor(index), index);
}

bool MessageView::showSeq(qint64 seq)
{
    auto *messages = qobject_cast<MessageModel *>(model());
    const int row = messages ? messages->rowOfSeq(seq) : -1;
    if (row < 0)
        return false;
    showFound(row);
    return true;
}

void MessageView::setTextScale(qreal scale)
{
    scale = std::clamp(scale, MinTextScale, MaxTextScale);
    if (qFuzzyCompare(scale, m_textScale))
        return;
    m_textScale = scale;
    QFont scaled = QApplication::font(this);
    scaled.setPointSizeF(scaled.pointSizeF() * scale);
    setFont(scaled);
    // Heights are cached by row for the old font.
    m_delegate->invalidate();
    scheduleDelayedItemsLayout();
    emit textScaleChanged(scale);
}

void MessageView::jumpToBottom()
{
    m_pinned = true;
    m_newCount = 0;
    scrollToBottom();
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    updateNewMessagesButton();
}

void MessageView::rememberAnchor(const QModelIndex &parent, int start)
{
    m_anchor = QPersistentModelIndex();
    // Appended rows (the stream) leave the rows above alone: they keep their layout batching.
    if (m_pinned || parent.isValid() || start >= model()->rowCount())
        return;
    layOutPendingRows();
    executeDelayedItemsLayout();
    const QModelIndex first = indexAt(QPoint(viewport()->width() / 2, 0));
    if (first.isValid()) {
        m_anchor = first;
        m_anchorTop = visualRect(first).top();
    }
}

void MessageView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    const QPersistentModelIndex anchor = std::exchange(m_anchor, QPersistentModelIndex());
    if (anchor.isValid() && anchor.row() > end && !parent.isValid()) {
        // Above what the user reads (scroll-back): it stays at the same place on screen.
        layOutPendingRows();
        m_delegate->rowsInserted(start, end - start + 1);
        QListView::rowsInserted(parent, start, end);
        executeDelayedItemsLayout();
        QScrollBar *bar = verticalScrollBar();
        bar->setValue(bar->value() + visualRect(anchor).top() - m_anchorTop);
        m_sinceRows.start();
        if (!m_topCheckQueued) {
            m_topCheckQueued = true;
            QMetaObject::invokeMethod(this, &MessageView::checkTop, Qt::QueuedConnection);
        }
        return;
    }
    if (start < model()->rowCount() - (end - start + 1))
        m_delegate->rowsInserted(start, end - start + 1);
    if (!m_pinned) {
        m_newCount += end - start + 1;
        updateNewMessagesButton();
    }
    const qint64 frameMs = qBound(qint64(FrameMs), LayoutShare * m_layoutNs / 1000000, qint64(MaxFrameMs));
    const bool appended =
        start == (m_pendingFirst < 0 ? model()->rowCount() - (end - start + 1) : m_pendingLast + 1);
    if (appended && !parent.isValid() && m_sinceRows.isValid() && m_sinceRows.elapsed() < frameMs) {
        if (m_pendingFirst < 0) {
            m_pendingFirst = start;
            m_pendingTimer.start(int(frameMs - m_sinceRows.elapsed()));
        }
        m_pendingLast = end;
        return;
    }
    layOutPendingRows();
    QListView::rowsInserted(parent, start, end);
    m_sinceRows.start();
}

void MessageView::rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end)
{
    layOutPendingRows(); // QListView must know every row before any goes
    QListView::rowsAboutToBeRemoved(parent, start, end);
}

void MessageView::doItemsLayout()
{
    QElapsedTimer clock;
    clock.start();
    QListView::doItemsLayout();
    m_layoutNs = clock.nsecsElapsed();
}

void MessageView::layOutPendingRows()
{
    if (m_pendingFirst < 0)
        return;
    m_pendingTimer.stop();
    const int first = std::exchange(m_pendingFirst, -1);
    QListView::rowsInserted({}, first, m_pendingLast);
    m_sinceRows.start();
}

void MessageView::onScrolled(int value)
{
    // Only a user's scroll changes pinning; range changes below re-pin programmatically.
    m_pinned = value >= verticalScrollBar()->maximum() - PinSlackPx;
    if (m_pinned && m_newCount > 0) {
        m_newCount = 0;
        updateNewMessagesButton();
    }
    if (value <= TopSlackPx)
        checkTop();
    updateFirstUnreadButton();
}

bool MessageView::jumpToFirstUnread()
{
    auto *messages = qobject_cast<MessageModel *>(model());
    const int row =
        messages && messages->firstUnread() > 0 ? messages->rowOfSeq(messages->firstUnread()) : -1;
    if (row < 0)
        return false;
    m_pinned = false;
    scrollTo(model()->index(row, 0), QAbstractItemView::PositionAtTop);
    updateFirstUnreadButton();
    return true;
}

void MessageView::updateFirstUnreadButton()
{
    auto *messages = qobject_cast<MessageModel *>(model());
    const int row =
        messages && messages->firstUnread() > 0 ? messages->rowOfSeq(messages->firstUnread()) : -1;
    const bool above = row >= 0 && visualRect(model()->index(row, 0)).bottom() < 0;
    if (above) {
        m_unreadButton->adjustSize();
        m_unreadButton->move(width() - m_unreadButton->width() - 12 - verticalScrollBar()->width(), 8);
        m_unreadButton->raise();
    }
    m_unreadButton->setVisible(above);
}

void MessageView::onRangeChanged(int, int max)
{
    if (m_pinned)
        verticalScrollBar()->setValue(max);
    if (max == 0 && !m_topCheckQueued) {
        // Everything fits: the top is in view without scrolling, so older messages may fill it.
        m_topCheckQueued = true;
        QMetaObject::invokeMethod(this, &MessageView::checkTop, Qt::QueuedConnection);
    }
    updateFirstUnreadButton();
}

void MessageView::checkTop()
{
    m_topCheckQueued = false;
    if (!model() || model()->rowCount() == 0 || !m_moreAbove || m_loadingOlder)
        return;
    if (verticalScrollBar()->value() <= TopSlackPx)
        emit olderMessagesWanted();
}

void MessageView::setLoadingOlder(bool loading)
{
    m_loadingOlder = loading;
    m_olderLabel->setVisible(loading);
    if (loading) {
        placeOlderIndicator();
        m_olderLabel->raise();
    }
}

void MessageView::setMoreAbove(bool more)
{
    m_moreAbove = more;
}

void MessageView::placeOlderIndicator()
{
    m_olderLabel->adjustSize();
    m_olderLabel->move((width() - m_olderLabel->width()) / 2, 4);
}

void MessageView::showFound(int row)
{
    const QModelIndex index = model() ? model()->index(row, 0) : QModelIndex();
    if (!index.isValid())
        return;
    layOutPendingRows();
    executeDelayedItemsLayout();
    m_delegate->setHighlighted(index);
    setCurrentIndex(index);
    m_pinned = false;
    scrollTo(index, QAbstractItemView::PositionAtCenter);
    viewport()->update();
}

void MessageView::paintEvent(QPaintEvent *event)
{
    QListView::paintEvent(event);
    // The current row, when the keyboard is here: a focus frame, as other lists draw.
    const QModelIndex current = currentIndex();
    if (hasFocus() && current.isValid()) {
        QStyleOptionFocusRect focus;
        focus.initFrom(this);
        focus.rect = visualRect(current).adjusted(1, 1, -1, -1);
        focus.backgroundColor = palette().color(QPalette::Base);
        if (focus.rect.intersects(viewport()->rect())) {
            QPainter painter(viewport());
            style()->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, &painter, this);
        }
    }
    if (!m_painted && model() && model()->rowCount() > 0) {
        m_painted = true;
        emit firstRowsPainted(model()->rowCount());
    }
}

void MessageView::updateNewMessagesButton()
{
    if (m_newCount <= 0) {
        m_newButton->hide();
        return;
    }
    m_newButton->setText(tr("↓ %n new message(s)", nullptr, m_newCount));
    m_newButton->adjustSize();
    placeNewMessagesButton();
    m_newButton->show();
    m_newButton->raise();
}

void MessageView::placeNewMessagesButton()
{
    const QSize size = m_newButton->sizeHint();
    m_newButton->resize(size);
    m_newButton->move((width() - size.width()) / 2, height() - size.height() - 12);
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    const bool pinned = m_pinned;
    m_delegate->setWidth(viewport()->width());
    QListView::resizeEvent(event);
    placeNewMessagesButton();
    placeOlderIndicator();
    if (pinned)
        jumpToBottom();
}

void MessageView::mouseMoveEvent(QMouseEvent *event)
{
    QListView::mouseMoveEvent(event);
    const QModelIndex index = indexAt(event->position().toPoint());
    bool pointing = false;
    auto button = MessageDelegate::TransferAction::None;
    if (index.isValid()) {
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        option.rect = visualRect(index);
        const QPoint pos = event->position().toPoint();
        button = m_delegate->transferActionAt(option, index, pos);
        pointing = button != MessageDelegate::TransferAction::None ||
                   m_delegate->linkAt(option, index, pos).isValid() ||
                   (m_conversation && !m_delegate->reactionChipAt(option, index, pos).isEmpty()) ||
                   m_delegate->replyPreviewRect(option, index).contains(pos) ||
                   m_delegate->thumbnailRect(option, index).contains(pos) ||
                   (m_delegate->hitsDeliveryMarker(option, index, pos) &&
                    index.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>() ==
                        MessageModel::Delivery::Failed);
    }
    if (m_conversation && index.isValid()) {
        QStyleOptionViewItem option = optionFor(index);
        pointing = pointing || m_delegate->rowActionAt(option, index, event->position().toPoint()) !=
                                   MessageDelegate::RowAction::None;
        update(index); // the hover bar follows the mouse over its buttons
    }
    viewport()->setCursor(pointing ? Qt::PointingHandCursor : Qt::ArrowCursor);
    const bool onButton = button != MessageDelegate::TransferAction::None;
    if (button != m_hoveredButton || (onButton && index != m_hoveredButtonRow)) {
        if (m_hoveredButtonRow.isValid())
            update(m_hoveredButtonRow);
        m_hoveredButton = button;
        m_hoveredButtonRow = onButton ? QPersistentModelIndex(index) : QPersistentModelIndex();
        if (m_hoveredButtonRow.isValid())
            update(m_hoveredButtonRow);
    }
}

QPoint MessageView::contextMenuAnchor(const QContextMenuEvent *event) const
{
    if (event->reason() == QContextMenuEvent::Keyboard && currentIndex().isValid())
        return visualRect(currentIndex()).center();
    return event->pos();
}

void MessageView::contextMenuEvent(QContextMenuEvent *event)
{
    const QPoint anchor = contextMenuAnchor(event);
    std::unique_ptr<QMenu> menu(createContextMenu(anchor));
    if (menu)
        menu->exec(viewport()->mapToGlobal(anchor));
}

QMenu *MessageView::createContextMenu(const QPoint &pos)
{
    const QModelIndex index = indexAt(pos);
    if (!index.isValid())
        return nullptr;
    auto *menu = new QMenu(this);
    const QString text = index.data(MessageModel::TextRole).toString();
    menu->addAction(tr("Copy Text"), this, [text] { QApplication::clipboard()->setText(text); });

    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    const QUrl url = m_delegate->linkAt(option, index, pos);
    if (url.isValid()) {
        menu->addAction(tr("Open Link"), this, [this, url] { emit m_delegate->linkActivated(url); });
        menu->addAction(tr("Copy Link Address"), this,
                        [url] { QApplication::clipboard()->setText(url.toString()); });
    }

    addButtonActions(menu, index);
    if (index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::Transfer) {
        addTransferActions(menu, index);
        return menu;
    }

    addConversationActions(menu, index);
    const auto delivery = index.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>();
    const QString id = index.data(MessageModel::IdRole).toString();
    if (delivery == MessageModel::Delivery::Failed || delivery == MessageModel::Delivery::Queued) {
        menu->addSeparator();
        QAction *retry =
            menu->addAction(delivery == MessageModel::Delivery::Failed ? tr("Retry Sending") : tr("Send Now"),
                            this, [this, id] { emit retryRequested(id); });
        retry->setObjectName(QStringLiteral("retryAction"));
        QAction *discard =
            menu->addAction(tr("Discard Message"), this, [this, id] { emit discardRequested(id); });
        discard->setObjectName(QStringLiteral("discardAction"));
    }
    return menu;
}

QRect MessageView::transferButtonRect(const QModelIndex &index, MessageDelegate::TransferAction action) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    return m_delegate->transferButtonRect(option, index, action);
}

void MessageView::requestTransferAction(const QString &id, MessageDelegate::TransferAction action)
{
    switch (action) {
    case MessageDelegate::TransferAction::Cancel:
        emit cancelTransferRequested(id);
        break;
    case MessageDelegate::TransferAction::Save:
        emit saveTransferRequested(id);
        break;
    case MessageDelegate::TransferAction::Open:
        emit openTransferRequested(id);
        break;
    case MessageDelegate::TransferAction::None:
        break;
    }
}

void MessageView::addButtonActions(QMenu *menu, const QModelIndex &index)
{
    // The painted buttons the rest of the menu does not offer: the keyboard reaches them here.
    const QPersistentModelIndex row(index);
    for (const MessageDelegate::Button &button : buttons(index)) {
        QString text;
        QString name;
        if (button.kind == MessageDelegate::Button::Kind::Quote) {
            text = tr("Show &Original Message");
            name = QStringLiteral("showOriginalAction");
        } else if (button.kind == MessageDelegate::Button::Kind::Image) {
            text = tr("&View Image");
            name = QStringLiteral("viewImageAction");
        } else {
            continue;
        }
        QAction *a = menu->addAction(text, this, [this, row, button] { pressButton(row, button); });
        a->setObjectName(name);
    }
}

void MessageView::addConversationActions(QMenu *menu, const QModelIndex &index)
{
    const qint64 seq = index.data(MessageModel::SeqRole).toLongLong();
    if (!m_conversation || seq <= 0 ||
        index.data(MessageModel::KindRole).value<MessageModel::Kind>() != MessageModel::Kind::Chat ||
        index.data(MessageModel::DeletedRole).toBool())
        return;
    menu->addSeparator();
    QAction *reply = menu->addAction(tr("&Reply"), this, [this, seq] { emit replyRequested(seq); });
    reply->setObjectName(QStringLiteral("replyAction"));
    QMenu *react = createReactMenu(index);
    react->setParent(menu, react->windowFlags()); // goes with the context menu
    menu->addMenu(react);
    react->menuAction()->setObjectName(QStringLiteral("reactMenu"));
    if (!index.data(MessageModel::MineRole).toBool())
        return;
    QAction *edit = menu->addAction(tr("&Edit"), this, [this, seq] { emit editRequested(seq); });
    edit->setObjectName(QStringLiteral("editAction"));
    QAction *remove = menu->addAction(tr("&Delete…"), this, [this, seq] { emit deleteRequested(seq); });
    remove->setObjectName(QStringLiteral("deleteAction"));
}

void MessageView::addTransferActions(QMenu *menu, const QModelIndex &index)
{
    const QString id = index.data(MessageModel::IdRole).toString();
    const QVector<MessageDelegate::TransferAction> actions = MessageDelegate::transferActions(index);
    if (!actions.isEmpty())
        menu->addSeparator();
    for (const MessageDelegate::TransferAction action : actions) {
        QString text;
        QString name;
        switch (action) {
        case MessageDelegate::TransferAction::Cancel:
            text = tr("Cancel Transfer");
            name = QStringLiteral("cancelTransferAction");
            break;
        case MessageDelegate::TransferAction::Save:
            text = tr("Save As…");
            name = QStringLiteral("saveTransferAction");
            break;
        case MessageDelegate::TransferAction::Open:
            text = tr("Open File");
            name = QStringLiteral("openTransferAction");
            break;
        case MessageDelegate::TransferAction::None:
            continue;
        }
        QAction *a = menu->addAction(text, this, [this, id, action] { requestTransferAction(id, action); });
        a->setObjectName(name);
    }
    const QString path = index.data(MessageModel::SavedPathRole).toString().isEmpty()
                             ? index.data(MessageModel::LocalPathRole).toString()
                             : index.data(MessageModel::SavedPathRole).toString();
    if (!path.isEmpty()) {
        menu->addAction(tr("Copy File Path"), this, [path] { QApplication::clipboard()->setText(path); });
    }
}

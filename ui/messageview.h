// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagedelegate.h"

#include <QElapsedTimer>
#include <QListView>
#include <QPersistentModelIndex>
#include <QTimer>
#include <QUrl>

class QContextMenuEvent;
class QLabel;
class QMenu;
class QPushButton;

//! The message list: stays pinned to the newest message unless the user scrolled up, in which case
//! a "N new messages" button offers the jump back down. Links open on click; the user's own
//! queued or failed messages can be retried or discarded from the context menu. File transfer rows
//! ask for cancel, save and open through their painted buttons and the context menu.
//!
//! QListView lays out every row again for each insertion. While messages stream in, rows appended
//! within one frame of the last layout are handed to it together when the frame is over, so a busy
//! room with a long history costs one layout per frame, not one per event-loop pass. A frame is
//! stretched when laying out the history takes long, so layout never takes most of a burst.
//!
//! Scrolled to the top, it asks for older messages (olderMessagesWanted); rows inserted above the
//! first visible one leave that one where it was on screen, so scroll-back never jumps.
class MessageView : public QListView
{
    Q_OBJECT
public:
    explicit MessageView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    MessageDelegate *messageDelegate() const { return m_delegate; }

    bool isPinnedToBottom() const { return m_pinned; }
    int newMessageCount() const { return m_newCount; }
    QPushButton *newMessagesButton() const { return m_newButton; }
    // Shown while the first unread message (MessageModel::FirstUnreadRole) is above the screen.
    QPushButton *firstUnreadButton() const { return m_unreadButton; }
    QLabel *olderIndicator() const { return m_olderLabel; }
    // Tests turn this off so that clicking a link does not start a browser.
    void setOpensLinks(bool open) { m_opensLinks = open; }
    // Tests turn this off so that clicking a thumbnail does not open the viewer.
    void setOpensImages(bool open) { m_opensImages = open; }
    // Where the row's image thumbnail is painted, in viewport coordinates (empty while none is).
    QRect thumbnailRect(const QModelIndex &index) const;
    // The context menu for the row at pos (viewport coordinates), or null; the caller owns it.
    QMenu *createContextMenu(const QPoint &pos);
    // Where a context menu belongs (viewport coordinates): at the mouse, or, when it was asked for
    // from the keyboard (Menu key, Shift+F10), on the current row, so transfers work without a mouse.
    QPoint contextMenuAnchor(const QContextMenuEvent *event) const;
    // Where the row's painted transfer button is, in viewport coordinates (empty if not offered).
    QRect transferButtonRect(const QModelIndex &index, MessageDelegate::TransferAction action) const;
    // Conversation (a server with the feature): Reply, React, Edit and Delete in the context menu,
    // reaction chips that toggle. Off: none of it is offered.
    void setConversationEnabled(bool enabled);
    bool isConversationEnabled() const { return m_conversation; }
    // Where the row's reaction chip for `emoji` and its quoted reply are (viewport coordinates).
    QRect reactionChipRect(const QModelIndex &index, const QString &emoji) const;
    QRect replyPreviewRect(const QModelIndex &index) const;
    QRect rowActionRect(const QModelIndex &index, MessageDelegate::RowAction action) const;
    // The row's painted buttons (viewport coordinates): transfer buttons, thumbnail, hover bar,
    // reaction chips, quoted reply. Assistive technology sees each as a button (MessageViewAccessible).
    QVector<MessageDelegate::Button> buttons(const QModelIndex &index) const;
    // Does what a click on the row's button does; false when the row does not offer it (any more).
    bool pressButton(const QModelIndex &index, const MessageDelegate::Button &button);
    // The React picker for the message numbered `seq` (the caller owns it; null when not offered).
    QMenu *createReactMenu(const QModelIndex &index);
    // Scrolls to the message numbered `seq` and marks it; false when it is not shown.
    bool showSeq(qint64 seq);
    static constexpr qreal MinTextScale = 0.5;
    static constexpr qreal MaxTextScale = 3.0;
    qreal textScale() const { return m_textScale; }

public slots:
    void jumpToBottom();
    // Scrolls the first unread message to the top; false when none is marked or shown.
    bool jumpToFirstUnread();
    // While older messages are on their way, a note at the top says so.
    void setLoadingOlder(bool loading);
    // Off once the room's first message is shown: the top asks for nothing more.
    void setMoreAbove(bool more);
    // Scrolls `row` to the middle, makes it the current row and draws it highlighted.
    void showFound(int row);
    // The messages' text size, relative to the application's font (1.0); kept within 0.5–3.
    void setTextScale(qreal scale);

signals:
    void linkActivated(const QUrl &url);
    void imageActivated(const QString &path); // its thumbnail was clicked
    void retryRequested(const QString &id);
    void discardRequested(const QString &id);
    void cancelTransferRequested(const QString &id);
    void saveTransferRequested(const QString &id);
    void openTransferRequested(const QString &id);
    void olderMessagesWanted();
    void modelChanged(); // setModel() replaced the model
    // The user asked for the message numbered `seq` (a reply's quote), which is not shown yet.
    void messageWanted(qint64 seq);
    // Conversation, on the message numbered `seq`:
    void replyRequested(qint64 seq);
    void editRequested(qint64 seq);
    void deleteRequested(qint64 seq);
    void reactionRequested(qint64 seq, const QString &emoji, bool add);
    void firstRowsPainted(int rows); // once, when rows first reach the screen
    void textScaleChanged(qreal scale);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override;
    void doItemsLayout() override;
    void paintEvent(QPaintEvent *event) override;

private:
    void layOutPendingRows();
    void rememberAnchor(const QModelIndex &parent, int start);
    void checkTop();
    void placeOlderIndicator();
    void onScrolled(int value);
    void onRangeChanged(int min, int max);
    void updateNewMessagesButton();
    void placeNewMessagesButton();
    void updateFirstUnreadButton();
    void requestTransferAction(const QString &id, MessageDelegate::TransferAction action);
    void addTransferActions(QMenu *menu, const QModelIndex &index);
    void addConversationActions(QMenu *menu, const QModelIndex &index);
    void addButtonActions(QMenu *menu, const QModelIndex &index);
    void onRowAction(qint64 seq, MessageDelegate::RowAction action, const QRect &at);
    void onThumbnailChanged(const QModelIndex &index);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    QStyleOptionViewItem optionFor(const QModelIndex &index) const;

    MessageDelegate *m_delegate = nullptr;
    QPushButton *m_newButton = nullptr;
    QPushButton *m_unreadButton = nullptr;
    QLabel *m_olderLabel = nullptr;
    bool m_moreAbove = true;
    qreal m_textScale = 1.0;
    bool m_loadingOlder = false;
    bool m_painted = false;
    bool m_topCheckQueued = false;
    QPersistentModelIndex m_anchor; // the first visible row when rows are about to come
    int m_anchorTop = 0;            // and its top in viewport coordinates then
    bool m_pinned = true;
    bool m_opensLinks = true;
    bool m_opensImages = true;
    bool m_conversation = false;
    int m_newCount = 0;
    int m_pendingFirst = -1; // appended rows QListView has not been told about yet
    int m_pendingLast = -1;
    QTimer m_pendingTimer;                    // tells it at the end of the frame
    QElapsedTimer m_sinceRows;                // since it was last told
    qint64 m_layoutNs = 0;                    // what laying out every row took the last time
    QPersistentModelIndex m_hoveredButtonRow; // repainted as the mouse enters and leaves its buttons
    MessageDelegate::TransferAction m_hoveredButton = MessageDelegate::TransferAction::None;
};

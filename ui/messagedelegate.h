// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "markdowndocument.h"

#include <QCache>
#include <QFont>
#include <QMultiHash>
#include <QPalette>
#include <QPersistentModelIndex>
#include <QStyledItemDelegate>
#include <QUrl>
#include <QVector>

class ImageThumbnailer;
class QTextLayout;

//! Paints one message row (time, sender, wrapped text, delivery state) and a date separator above
//! the first message of a day; a file transfer row is a card with its name, size, a progress bar
//! and painted buttons (Cancel, Save…, Open). Row heights are cached, so a relayout of 100,000 rows
//! is cheap. A chat message that may hold Markdown is drawn from a MarkdownDocument (a bounded
//! cache keeps the recent ones); every other message keeps the plain QTextLayout path.
class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    enum class TransferAction {
        None,
        Cancel,
        Save,
        Open,
    };
    Q_ENUM(TransferAction)

    // The small bar a hovered chat message shows (conversation servers only).
    enum class RowAction {
        None,
        Reply,
        React,
        Edit,   // own messages only
        Delete, // own messages only
    };
    Q_ENUM(RowAction)

    // A button painted in a row (the mouse clicks it; assistive technology and the context menu
    // press it through MessageView::pressButton, the same way).
    struct Button
    {
        enum class Kind {
            Transfer, // `transfer`
            Image,    // the thumbnail: opens the viewer
            Action,   // the hover bar's `action`
            Reaction, // the chip of `emoji`: toggles the user's reaction
            Quote,    // the quoted reply: shows the original
        };
        Kind kind = Kind::Transfer;
        TransferAction transfer = TransferAction::None;
        RowAction action = RowAction::None;
        QString emoji;
        QRect rect; // where it is painted, in view coordinates
        bool sameAs(const Button &other) const
        {
            return kind == other.kind && transfer == other.transfer && action == other.action &&
                   emoji == other.emoji;
        }
    };

    explicit MessageDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // The view tells the delegate its width: rows wrap to it.
    void setWidth(int width);
    int width() const { return m_width; }
    // Forget cached heights (rows removed, model reset, font changed).
    void invalidate();
    // The row's content changed: true when its cached height is no longer right.
    bool refreshHeight(const QModelIndex &index);
    // Rows inserted before others: the cached heights move down with their rows.
    void rowsInserted(int first, int count);
    // A row drawn as found (a search result shown in its room); invalid for none.
    void setHighlighted(const QPersistentModelIndex &index) { m_highlighted = index; }
    QPersistentModelIndex highlighted() const { return m_highlighted; }

    // The link under a point in view coordinates within the row's rect, if any.
    QUrl linkAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const;
    // Whether a point hits the row's delivery marker (click to retry a failed message).
    bool hitsDeliveryMarker(const QStyleOptionViewItem &option, const QModelIndex &index,
                            const QPoint &pos) const;
    // The buttons a transfer row offers in its current state, left to right (none on other rows).
    static QVector<TransferAction> transferActions(const QModelIndex &index);
    // Where a transfer row's button is painted (empty when the row does not offer it).
    QRect transferButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                             TransferAction action) const;
    TransferAction transferActionAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                    const QPoint &pos) const;
    static QString transferActionText(TransferAction action);
    // Images: the local file of an upload, or of a completed download, whose name says it is an
    // image; empty on other rows. Its thumbnail is painted in the card once decoded.
    static QString imagePath(const QModelIndex &index);
    ImageThumbnailer *thumbnailer() const { return m_thumbnails; }
    // Where the row's thumbnail is painted (empty while there is none), in view coordinates.
    QRect thumbnailRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    // The formatted text the row is drawn from, at the row's width in `option`; null when the row
    // is drawn as plain text (no Markdown in it, a deleted message, a notice or a file).
    const MarkdownDocument *document(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    // What a chat row shows as its text: "(edited)" after an edited one, "message deleted" for a
    // tombstone.
    static QString displayText(const QModelIndex &index);
    // Conversation: where the row's reaction chip for `emoji` is, and which chip or quoted reply
    // (the one line above a reply) is under a point; all in view coordinates.
    QRect reactionChipRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                           const QString &emoji) const;
    QString reactionChipAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                           const QPoint &pos) const;
    QRect replyPreviewRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    // The hover bar: offered only while enabled, on numbered chat messages that are not deleted.
    void setRowActionsEnabled(bool enabled) { m_rowActions = enabled; }
    static QVector<RowAction> rowActions(const QModelIndex &index);
    QRect rowActionRect(const QStyleOptionViewItem &option, const QModelIndex &index, RowAction action) const;
    RowAction rowActionAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                          const QPoint &pos) const;
    static QString rowActionTip(RowAction action);
    static QString transferActionTip(TransferAction action);
    // Who reacted with `emoji` (the chip's tooltip).
    static QString reactionTip(const QModelIndex &index, const QString &emoji);

    // The row's buttons, in the order a click looks for them (the first under the mouse wins).
    QVector<Button> buttons(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    // Does what a click on `button` does: emits the signal below that stands for it.
    void press(const QModelIndex &index, const Button &button);
    // What assistive technology calls the button, and the longer description (its tooltip).
    static QString buttonName(const QModelIndex &index, const Button &button);
    static QString buttonDescription(const QModelIndex &index, const Button &button);

signals:
    // The user clicked a reaction chip: `add` when the user had not reacted with it.
    void reactionToggled(qint64 seq, const QString &emoji, bool add);
    void replyPreviewClicked(qint64 replyTo);
    // `at`: the button's rect, in view coordinates (a picker opens below it).
    void rowActionClicked(qint64 seq, MessageDelegate::RowAction action, const QRect &at);
    void linkActivated(const QUrl &url);
    void retryRequested(const QString &id);
    void transferButtonClicked(const QString &id, MessageDelegate::TransferAction action);
    void imageClicked(const QString &path);
    // A thumbnail the row waited for was decoded or refused: its height may have changed.
    void thumbnailChanged(const QModelIndex &index);

private:
    struct Geometry
    {
        QRect separator; // empty unless first of day
        QRect unread;    // the "New messages" line; empty unless the first unread row
        QRect time;
        QRect sender;
        QRect reply; // the quoted line above a reply; empty on other rows
        QRect text;
        QRect chips; // reaction chips under the text; empty without reactions
        QRect marker;
    };
    struct TransferGeometry
    {
        QRect card;
        QRect icon;
        QRect name;
        QRect progress; // empty once the transfer is over
        QRect status;
        QRect thumbnail; // under the name and status; empty without a decoded image
        QVector<QPair<TransferAction, QRect>> buttons;
    };
    struct DocumentKey
    {
        // Not the width: a resize or a zoom lays a cached document out again (setTextWidth)
        // instead of parsing its Markdown again, which costs far more for hostile text.
        QString text;
        bool edited;
        friend bool operator==(const DocumentKey &a, const DocumentKey &b)
        {
            return a.edited == b.edited && a.text == b.text;
        }
        friend size_t qHash(const DocumentKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.text, key.edited);
        }
    };
    static bool isFormatted(const QModelIndex &index, const QString &text);
    MarkdownDocument *documentFor(const QModelIndex &index, int width) const;
    int formattedHeight(const QModelIndex &index, const QString &text, int width) const;
    void updatePalette(const QPalette &palette) const;
    void updateMetrics(const QFont &font) const;
    QVector<QPair<QString, QRect>> chipRects(const QModelIndex &index, const QRect &area) const;
    int chipsHeight(const QModelIndex &index, int width) const;
    int chipHeight() const { return m_lineHeight + 4; }
    void paintChips(QPainter *painter, const Geometry &g, const QStyleOptionViewItem &option,
                    const QModelIndex &index) const;
    QVector<QPair<RowAction, QRect>> rowActionRects(const Geometry &g, const QModelIndex &index) const;
    void paintRowActions(QPainter *painter, const Geometry &g, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const;
    void paintReply(QPainter *painter, const QRect &rect, const QStyleOptionViewItem &option,
                    const QModelIndex &index) const;
    Geometry geometry(const QRect &rect, const QModelIndex &index) const;
    TransferGeometry transferGeometry(const Geometry &g, const QModelIndex &index) const;
    int transferHeight() const;
    void paintTransfer(QPainter *painter, const Geometry &g, const QStyleOptionViewItem &option,
                       const QModelIndex &index) const;
    void paintSender(QPainter *painter, const QRect &rect, const QString &sender, const QPalette &pal) const;
    int computeHeight(const QModelIndex &index) const;
    int textHeight(const QString &text, const QFont &font, int width) const;
    qreal asciiWidth(const QString &text, const QFont &font) const; // -1: not printable ASCII
    void layoutText(QTextLayout &layout, int width) const;
    // A message without Markdown: wrapped text, its links underlined, "(edited)" muted.
    void paintPlainText(QPainter *painter, const QRect &rect, const QModelIndex &index, const QColor &color,
                        const QPalette &pal) const;
    void paintUnreadLine(QPainter *painter, const QRect &rect, const QStyleOptionViewItem &option) const;
    void paintSeparator(QPainter *painter, const QRect &rect, const QStyleOptionViewItem &option,
                        const QModelIndex &index) const;
    void paintMarker(QPainter *painter, const QRect &rect, const QModelIndex &index,
                     const QStyleOptionViewItem &option) const;

    void onThumbnailReady(const QString &path);

    ImageThumbnailer *m_thumbnails = nullptr;
    mutable QMultiHash<QString, QPersistentModelIndex> m_waiting; // rows painted before their thumbnail
    int m_width = 400;
    mutable QFont m_font;
    mutable QFont m_boldFont;
    mutable QFont m_systemFont;
    mutable bool m_metricsValid = false;
    mutable int m_lineHeight = 0;
    mutable int m_timeWidth = 0;
    mutable int m_senderWidth = 0;
    mutable int m_separatorHeight = 0;
    QPersistentModelIndex m_highlighted;
    bool m_rowActions = false;
    mutable QVector<int> m_heights;                            // by row; 0 = not computed yet
    mutable QCache<DocumentKey, MarkdownDocument> m_documents; // formatted messages, by text
    mutable QPalette m_palette;                                // what the documents are coloured with
    mutable QVector<qreal> m_advances;       // printable ASCII in m_font, filled when first needed
    mutable QVector<qreal> m_systemAdvances; // the same in m_systemFont
    // The widest of the fonts a formatted line uses for printable ASCII, outside code (0 to 0x7f)
    // and in code (0x80 on), filled when first needed; a formatted line's height, without and
    // with code in it.
    mutable QVector<qreal> m_formattedAdvances;
    mutable int m_formattedLine[2] = {0, 0};
};

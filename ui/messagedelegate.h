#pragma once

#include <QFont>
#include <QStyledItemDelegate>
#include <QUrl>
#include <QVector>

class QTextLayout;

//! Paints one message row (time, sender, wrapped text, delivery state) and a date separator above
//! the first message of a day. Row heights are cached, so a relayout of 100,000 rows is cheap.
class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
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

    // The link under a point in view coordinates within the row's rect, if any.
    QUrl linkAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const;
    // Whether a point hits the row's delivery marker (click to retry a failed message).
    bool hitsDeliveryMarker(const QStyleOptionViewItem &option, const QModelIndex &index,
                            const QPoint &pos) const;

signals:
    void linkActivated(const QUrl &url);
    void retryRequested(const QString &id);

private:
    struct Geometry
    {
        QRect separator; // empty unless first of day
        QRect time;
        QRect sender;
        QRect text;
        QRect marker;
    };
    void updateMetrics(const QFont &font) const;
    Geometry geometry(const QRect &rect, const QModelIndex &index) const;
    int computeHeight(const QModelIndex &index) const;
    int textHeight(const QString &text, const QFont &font, int width) const;
    void layoutText(QTextLayout &layout, int width) const;
    void paintSeparator(QPainter *painter, const QRect &rect, const QStyleOptionViewItem &option,
                        const QModelIndex &index) const;
    void paintMarker(QPainter *painter, const QRect &rect, const QModelIndex &index,
                     const QStyleOptionViewItem &option) const;

    int m_width = 400;
    mutable QFont m_font;
    mutable QFont m_boldFont;
    mutable QFont m_systemFont;
    mutable bool m_metricsValid = false;
    mutable int m_lineHeight = 0;
    mutable int m_timeWidth = 0;
    mutable int m_senderWidth = 0;
    mutable int m_separatorHeight = 0;
    mutable QVector<int> m_heights; // by row; 0 = not computed yet
};

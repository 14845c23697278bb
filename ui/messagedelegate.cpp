#include "messagedelegate.h"

#include "linkfinder.h"
#include "messagemodel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>
#include <QToolTip>

namespace {

constexpr int HMargin = 10;
constexpr int VPad = 3;
constexpr int Gap = 10;
constexpr int MarkerWidth = 18;

QColor senderColor(const QString &name, const QPalette &palette)
{
    // Stable per name, and readable on both light and dark backgrounds.
    const int hue = int(qHash(name) % 360);
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    return QColor::fromHsl(hue, 150, dark ? 170 : 90);
}

QString dayLabel(qint64 timestamp)
{
    const QDate day = QDateTime::fromMSecsSinceEpoch(timestamp).date();
    const QDate today = QDate::currentDate();
    if (day == today)
        return MessageDelegate::tr("Today");
    if (day == today.addDays(-1))
        return MessageDelegate::tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

QString deliveryText(MessageModel::Delivery delivery)
{
    switch (delivery) {
    case MessageModel::Delivery::Queued:
        return MessageDelegate::tr("Queued: will be sent when connected");
    case MessageModel::Delivery::Sent:
        return MessageDelegate::tr("Sent, waiting for the server");
    case MessageModel::Delivery::Acknowledged:
        return MessageDelegate::tr("Delivered");
    case MessageModel::Delivery::Failed:
        return MessageDelegate::tr("Not sent. Click to retry, or right-click to discard");
    case MessageModel::Delivery::None:
        break;
    }
    return {};
}

} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

void MessageDelegate::setWidth(int width)
{
    if (width == m_width)
        return;
    m_width = width;
    invalidate();
}

void MessageDelegate::invalidate()
{
    m_heights.clear();
}

void MessageDelegate::updateMetrics(const QFont &font) const
{
    if (m_metricsValid && font == m_font)
        return;
    m_font = font;
    m_boldFont = font;
    m_boldFont.setBold(true);
    m_systemFont = font;
    m_systemFont.setItalic(true);
    const QFontMetrics fm(font);
    const QFontMetrics bold(m_boldFont);
    m_lineHeight = fm.lineSpacing();
    m_timeWidth = fm.horizontalAdvance(QStringLiteral("88:88"));
    m_senderWidth = bold.horizontalAdvance(QLatin1Char('M')) * 8;
    m_separatorHeight = fm.height() + 2 * 6;
    m_metricsValid = true;
    m_heights.clear();
}

MessageDelegate::Geometry MessageDelegate::geometry(const QRect &rect, const QModelIndex &index) const
{
    Geometry g;
    int top = rect.top();
    if (index.data(MessageModel::FirstOfDayRole).toBool()) {
        g.separator = QRect(rect.left(), top, rect.width(), m_separatorHeight);
        top += m_separatorHeight;
    }
    const int bottom = rect.bottom() - VPad;
    int x = rect.left() + HMargin;
    g.time = QRect(x, top + VPad, m_timeWidth, m_lineHeight);
    x += m_timeWidth + Gap;
    g.sender = QRect(x, top + VPad, m_senderWidth, m_lineHeight);
    x += m_senderWidth + Gap;
    const int right = rect.right() - HMargin;
    g.marker = QRect(right - MarkerWidth + 1, top + VPad, MarkerWidth, m_lineHeight);
    g.text = QRect(QPoint(x, top + VPad), QPoint(g.marker.left() - Gap / 2, bottom));
    return g;
}

void MessageDelegate::layoutText(QTextLayout &layout, int width) const
{
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(textOption);
    layout.beginLayout();
    qreal y = 0;
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(qMax(width, 20));
        line.setPosition(QPointF(0, y));
        y += m_lineHeight;
    }
    layout.endLayout();
}

int MessageDelegate::textHeight(const QString &text, const QFont &font, int width) const
{
    // Fast path for the usual one-line message: no QTextLayout needed.
    if (!text.contains(QLatin1Char('\n')) && QFontMetrics(font).horizontalAdvance(text) <= width)
        return m_lineHeight;
    QString display = text;
    display.replace(QLatin1Char('\n'), QChar::LineSeparator);
    QTextLayout layout(display, font);
    layoutText(layout, width);
    return qMax(1, layout.lineCount()) * m_lineHeight;
}

int MessageDelegate::computeHeight(const QModelIndex &index) const
{
    const Geometry g = geometry(QRect(0, 0, m_width, 1000), index);
    const bool system =
        index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::System;
    const int h = textHeight(index.data(MessageModel::TextRole).toString(), system ? m_systemFont : m_font,
                             g.text.width());
    return (g.separator.isEmpty() ? 0 : g.separator.height()) + VPad * 2 + h;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    updateMetrics(option.font);
    const int row = index.row();
    if (row >= m_heights.size())
        m_heights.resize(qMax(row + 1, int(index.model()->rowCount())));
    int &height = m_heights[row];
    if (height == 0)
        height = computeHeight(index);
    // Narrower than the view so that no horizontal scroll bar ever appears.
    return QSize(qMax(1, m_width - 4), height);
}

void MessageDelegate::paintSeparator(QPainter *painter, const QRect &rect, const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    const QString label = dayLabel(index.data(MessageModel::TimestampRole).toLongLong());
    QFont font = m_boldFont;
    painter->setFont(font);
    const int labelWidth = QFontMetrics(font).horizontalAdvance(label) + 24;
    const QRect labelRect(rect.center().x() - labelWidth / 2, rect.top() + 4, labelWidth, rect.height() - 8);
    QColor line = option.palette.color(QPalette::Mid);
    painter->setPen(line);
    const int y = rect.center().y();
    painter->drawLine(rect.left() + HMargin, y, labelRect.left() - 4, y);
    painter->drawLine(labelRect.right() + 4, y, rect.right() - HMargin, y);
    painter->setPen(Qt::NoPen);
    painter->setBrush(option.palette.color(QPalette::AlternateBase));
    painter->drawRoundedRect(labelRect, labelRect.height() / 2.0, labelRect.height() / 2.0);
    painter->setPen(option.palette.color(QPalette::PlaceholderText));
    painter->drawText(labelRect, Qt::AlignCenter, label);
}

void MessageDelegate::paintMarker(QPainter *painter, const QRect &rect, const QModelIndex &index,
                                  const QStyleOptionViewItem &option) const
{
    const auto delivery = index.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>();
    if (delivery == MessageModel::Delivery::None)
        return;
    const int s = qMin(rect.height(), 14);
    const QRectF box(rect.center().x() - s / 2.0, rect.center().y() - s / 2.0, s, s);
    const QColor muted = option.palette.color(QPalette::PlaceholderText);
    const QColor accent = option.palette.color(QPalette::Highlight);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setBrush(Qt::NoBrush);
    auto check = [&](qreal dx, const QColor &color) {
        QPainterPath path;
        path.moveTo(box.left() + dx + s * 0.05, box.top() + s * 0.55);
        path.lineTo(box.left() + dx + s * 0.3, box.top() + s * 0.8);
        path.lineTo(box.left() + dx + s * 0.75, box.top() + s * 0.25);
        painter->setPen(QPen(color, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        painter->drawPath(path);
    };
    switch (delivery) {
    case MessageModel::Delivery::Queued:
        painter->setPen(QPen(muted, 1.4));
        painter->drawEllipse(box.adjusted(1, 1, -1, -1));
        painter->drawLine(box.center(), QPointF(box.center().x(), box.top() + 3.5));
        painter->drawLine(box.center(), QPointF(box.right() - 3.5, box.center().y()));
        break;
    case MessageModel::Delivery::Sent:
        check(0, muted);
        break;
    case MessageModel::Delivery::Acknowledged:
        check(-s * 0.15, accent);
        check(s * 0.2, accent);
        break;
    case MessageModel::Delivery::Failed:
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xd0, 0x3a, 0x2f));
        painter->drawEllipse(box);
        painter->setPen(QPen(Qt::white, 2, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(QPointF(box.center().x(), box.top() + 3),
                          QPointF(box.center().x(), box.bottom() - 6));
        painter->drawPoint(QPointF(box.center().x(), box.bottom() - 3));
        break;
    case MessageModel::Delivery::None:
        break;
    }
    painter->restore();
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    updateMetrics(option.font);
    const Geometry g = geometry(option.rect, index);
    const bool system =
        index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::System;
    const bool own = index.data(MessageModel::OwnRole).toBool();
    const auto delivery = index.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>();
    const QPalette &pal = option.palette;

    painter->save();
    if (!g.separator.isEmpty())
        paintSeparator(painter, g.separator, option, index);

    QRect body = option.rect;
    body.setTop(g.time.top() - VPad);
    if (option.state & QStyle::State_MouseOver)
        painter->fillRect(body, pal.color(QPalette::AlternateBase));
    else if (own)
        painter->fillRect(body, pal.color(QPalette::AlternateBase).darker(102));

    const QDateTime when =
        QDateTime::fromMSecsSinceEpoch(index.data(MessageModel::TimestampRole).toLongLong());
    painter->setFont(m_font);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    painter->drawText(g.time, Qt::AlignLeft | Qt::AlignVCenter, when.toString(QStringLiteral("HH:mm")));

    QString text = index.data(MessageModel::TextRole).toString();
    if (system) {
        painter->setFont(m_systemFont);
        painter->drawText(g.sender, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("•"));
    } else {
        const QString sender = index.data(MessageModel::SenderRole).toString();
        painter->setFont(m_boldFont);
        painter->setPen(senderColor(sender, pal));
        const QString elided = QFontMetrics(m_boldFont).elidedText(sender, Qt::ElideRight, g.sender.width());
        painter->drawText(g.sender, Qt::AlignRight | Qt::AlignVCenter, elided);
    }

    text.replace(QLatin1Char('\n'), QChar::LineSeparator);
    QTextLayout layout(text, system ? m_systemFont : m_font);
    const QVector<LinkFinder::Link> links = system ? QVector<LinkFinder::Link>() : LinkFinder::find(text);
    QVector<QTextLayout::FormatRange> formats;
    for (const auto &link : links) {
        QTextLayout::FormatRange range;
        range.start = link.start;
        range.length = link.length;
        range.format.setForeground(pal.color(QPalette::Link));
        range.format.setFontUnderline(true);
        formats.append(range);
    }
    layout.setFormats(formats);
    layoutText(layout, g.text.width());
    QColor textColor = pal.color(system ? QPalette::PlaceholderText : QPalette::Text);
    if (delivery == MessageModel::Delivery::Queued || delivery == MessageModel::Delivery::Failed)
        textColor.setAlphaF(0.6);
    painter->setPen(textColor);
    layout.draw(painter, g.text.topLeft());

    if (own)
        paintMarker(painter, g.marker, index, option);
    painter->restore();
}

QUrl MessageDelegate::linkAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                             const QPoint &pos) const
{
    updateMetrics(option.font);
    if (index.data(MessageModel::KindRole).value<MessageModel::Kind>() != MessageModel::Kind::Chat)
        return {};
    const Geometry g = geometry(option.rect, index);
    if (!g.text.contains(pos))
        return {};
    QString text = index.data(MessageModel::TextRole).toString();
    if (LinkFinder::find(text).isEmpty())
        return {};
    text.replace(QLatin1Char('\n'), QChar::LineSeparator);
    QTextLayout layout(text, m_font);
    layoutText(layout, g.text.width());
    const QPointF local = pos - g.text.topLeft();
    for (int i = 0; i < layout.lineCount(); ++i) {
        const QTextLine line = layout.lineAt(i);
        if (local.y() < line.y() || local.y() >= line.y() + m_lineHeight)
            continue;
        if (local.x() > line.naturalTextWidth())
            return {};
        return LinkFinder::linkAt(text, line.xToCursor(local.x(), QTextLine::CursorOnCharacter));
    }
    return {};
}

bool MessageDelegate::hitsDeliveryMarker(const QStyleOptionViewItem &option, const QModelIndex &index,
                                         const QPoint &pos) const
{
    updateMetrics(option.font);
    return index.data(MessageModel::OwnRole).toBool() && geometry(option.rect, index).marker.contains(pos);
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                  const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() != Qt::LeftButton)
            return false;
        const QPoint pos = mouse->position().toPoint();
        const QUrl url = linkAt(option, index, pos);
        if (url.isValid()) {
            emit linkActivated(url);
            return true;
        }
        if (hitsDeliveryMarker(option, index, pos) &&
            index.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>() ==
                MessageModel::Delivery::Failed) {
            emit retryRequested(index.data(MessageModel::IdRole).toString());
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    QString tip;
    const QUrl url = linkAt(option, index, event->pos());
    if (url.isValid()) {
        tip = url.toDisplayString();
    } else if (hitsDeliveryMarker(option, index, event->pos())) {
        tip = deliveryText(index.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>());
    } else {
        const QDateTime when =
            QDateTime::fromMSecsSinceEpoch(index.data(MessageModel::TimestampRole).toLongLong());
        tip = QLocale().toString(when, QLocale::LongFormat);
    }
    QToolTip::showText(event->globalPos(), tip, view);
    return true;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagedelegate.h"

#include "imagethumbnailer.h"
#include "linkfinder.h"
#include "markdowndocument.h"
#include "messagemodel.h"
#include "transfertext.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QStyleOptionButton>
#include <QStyleOptionProgressBar>
#include <QTextLayout>
#include <QToolTip>
#include <QtMath>

namespace {

constexpr int HMargin = 10;
constexpr int VPad = 3;
constexpr int Gap = 10;
constexpr int MarkerWidth = 18;
constexpr int CardPad = 6;
constexpr int CardMaxWidth = 620;
constexpr int ButtonGap = 6;
constexpr int ChipGap = 4;
constexpr int ChipPad = 6;
constexpr int CachedDocuments = 500; // a few screens of formatted messages; each is a few KiB

bool isChat(const QModelIndex &index)
{
    return index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::Chat;
}

QList<Protocol::Reaction> reactionsOf(const QModelIndex &index)
{
    return index.data(MessageModel::ReactionsRole).value<QList<Protocol::Reaction>>();
}

QString rowActionGlyph(MessageDelegate::RowAction action)
{
    switch (action) {
    case MessageDelegate::RowAction::Reply:
        return QStringLiteral("↩");
    case MessageDelegate::RowAction::React:
        return QStringLiteral("☺");
    case MessageDelegate::RowAction::Edit:
        return QStringLiteral("✎");
    case MessageDelegate::RowAction::Delete:
        return QStringLiteral("✕");
    case MessageDelegate::RowAction::None:
        break;
    }
    return {};
}

QString chipText(const Protocol::Reaction &reaction)
{
    return QStringLiteral("%1 %2").arg(reaction.emoji).arg(reaction.users.size());
}

bool isTransfer(const QModelIndex &index)
{
    return index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::Transfer;
}

QStyle *styleOf(const QStyleOptionViewItem &option)
{
    return option.widget ? option.widget->style() : QApplication::style();
}

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
    , m_thumbnails(new ImageThumbnailer(this))
    , m_documents(CachedDocuments)
{
    connect(m_thumbnails, &ImageThumbnailer::thumbnailReady, this, &MessageDelegate::onThumbnailReady);
}

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

bool MessageDelegate::refreshHeight(const QModelIndex &index)
{
    const int row = index.row();
    if (row < 0 || row >= m_heights.size() || m_heights.at(row) == 0 || !m_metricsValid)
        return false;
    const int height = computeHeight(index);
    if (height == m_heights.at(row))
        return false;
    m_heights[row] = height;
    return true;
}

QString MessageDelegate::displayText(const QModelIndex &index)
{
    if (!isChat(index))
        return index.data(MessageModel::TextRole).toString();
    if (index.data(MessageModel::DeletedRole).toBool())
        return tr("message deleted");
    const QString text = index.data(MessageModel::TextRole).toString();
    if (index.data(MessageModel::EditedRole).toLongLong() > 0)
        return text + QLatin1Char(' ') + tr("(edited)");
    return text;
}

void MessageDelegate::rowsInserted(int first, int count)
{
    if (first >= m_heights.size() || count <= 0)
        return;
    m_heights.insert(first, count, 0);
    if (first + count < m_heights.size())
        m_heights[first + count] = 0; // its date separator may have come or gone
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
    m_advances.clear();
    m_systemAdvances.clear();
    m_formattedAdvances.clear();
    m_formattedLine[0] = m_formattedLine[1] = 0;
    m_metricsValid = true;
    m_heights.clear();
    m_documents.clear();
}

void MessageDelegate::updatePalette(const QPalette &palette) const
{
    // Documents carry the colours of code boxes and links: a new palette (a theme switch) needs
    // new ones. Heights do not change.
    if (palette.cacheKey() == m_palette.cacheKey())
        return;
    m_palette = palette;
    m_documents.clear();
}

bool MessageDelegate::isFormatted(const QModelIndex &index, const QString &text)
{
    return isChat(index) && !index.data(MessageModel::DeletedRole).toBool() &&
           MarkdownDocument::mayBeFormatted(text);
}

MarkdownDocument *MessageDelegate::documentFor(const QModelIndex &index, int width) const
{
    const QString text = index.data(MessageModel::TextRole).toString();
    if (!isFormatted(index, text))
        return nullptr;
    DocumentKey key{text, index.data(MessageModel::EditedRole).toLongLong() > 0};
    if (MarkdownDocument *cached = m_documents.object(key)) {
        if (!qFuzzyCompare(cached->textWidth(), qreal(qMax(width, 20))))
            cached->setTextWidth(qMax(width, 20));
        return cached;
    }
    auto *document = new MarkdownDocument(text, m_font, m_palette);
    if (key.edited)
        document->appendNote(tr("(edited)"), m_palette.color(QPalette::PlaceholderText));
    document->setTextWidth(qMax(width, 20));
    m_documents.insert(std::move(key), document);
    return document;
}

const MarkdownDocument *MessageDelegate::document(const QStyleOptionViewItem &option,
                                                  const QModelIndex &index) const
{
    updateMetrics(option.font);
    updatePalette(option.palette);
    return documentFor(index, geometry(option.rect, index).text.width());
}

MessageDelegate::Geometry MessageDelegate::geometry(const QRect &rect, const QModelIndex &index) const
{
    Geometry g;
    int top = rect.top();
    if (index.data(MessageModel::FirstOfDayRole).toBool()) {
        g.separator = QRect(rect.left(), top, rect.width(), m_separatorHeight);
        top += m_separatorHeight;
    }
    if (index.data(MessageModel::FirstUnreadRole).toBool()) {
        g.unread = QRect(rect.left(), top, rect.width(), m_separatorHeight);
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
    if (!isChat(index))
        return g;
    if (index.data(MessageModel::ReplyToRole).toLongLong() > 0) {
        g.reply = QRect(g.text.left(), g.text.top(), g.text.width(), m_lineHeight);
        g.text.setTop(g.reply.bottom() + 1);
        g.time.translate(0, m_lineHeight);
        g.sender.translate(0, m_lineHeight);
        g.marker.translate(0, m_lineHeight);
    }
    const int chips = chipsHeight(index, g.text.width());
    if (chips > 0) {
        g.chips = QRect(g.text.left(), g.text.bottom() - chips + 1, g.text.width(), chips);
        g.text.setBottom(g.chips.top() - 1);
    }
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

qreal MessageDelegate::asciiWidth(const QString &text, const QFont &font) const
{
    // Sum of cached advances: no shaping, which would cost more than the rest of a message's
    // way from the socket to the model. Kerning and ligatures only narrow plain ASCII text.
    QVector<qreal> &advances = &font == &m_systemFont ? m_systemAdvances : m_advances;
    if (advances.isEmpty()) {
        const QFontMetricsF fm(font);
        advances.resize(0x7f);
        for (char16_t c = 0x20; c < 0x7f; ++c)
            advances[c] = fm.horizontalAdvance(QChar(c));
    }
    qreal width = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u >= 0x7f)
            return -1;
        width += advances.at(u);
    }
    return width;
}

int MessageDelegate::textHeight(const QString &text, const QFont &font, int width) const
{
    // Fast paths for the usual one-line message: no QTextLayout needed. Printable ASCII that
    // clearly fits is measured from cached advances; the rest, and a close call, is shaped.
    const qreal quick = asciiWidth(text, font);
    if (quick >= 0 && quick * 1.02 + 2 <= width)
        return m_lineHeight;
    if (!text.contains(QLatin1Char('\n')) && QFontMetrics(font).horizontalAdvance(text) <= width)
        return m_lineHeight;
    QString display = text;
    display.replace(QLatin1Char('\n'), QChar::LineSeparator);
    QTextLayout layout(display, font);
    layoutText(layout, width);
    return qMax(1, layout.lineCount()) * m_lineHeight;
}

int MessageDelegate::formattedHeight(const QModelIndex &index, const QString &text, int width) const
{
    // The usual formatted message is one short line: one line high, known without building its
    // document (20 to 30 µs each, which a relayout of 100,000 rows would feel).
    if (MarkdownDocument::isInlineLine(text)) {
        if (m_formattedAdvances.isEmpty()) {
            QFont italic = m_font;
            italic.setItalic(true);
            QFont boldItalic = m_boldFont;
            boldItalic.setItalic(true);
            const QFontMetricsF fonts[] = {QFontMetricsF(m_font), QFontMetricsF(m_boldFont),
                                           QFontMetricsF(italic), QFontMetricsF(boldItalic)};
            const QFontMetricsF code(MarkdownDocument::codeFont(m_font));
            m_formattedAdvances.resize(2 * 0x80);
            for (char16_t c = 0x20; c < 0x7f; ++c) {
                for (const QFontMetricsF &fm : fonts)
                    m_formattedAdvances[c] = qMax(m_formattedAdvances.at(c), fm.horizontalAdvance(QChar(c)));
                m_formattedAdvances[0x80 + c] =
                    qMax(m_formattedAdvances.at(c), code.horizontalAdvance(QChar(c)));
            }
        }
        // Between single backticks in the code font; with "``" somewhere, where code is cannot be
        // told this simply, so every character counts at its widest.
        const bool anyCode = text.contains(QLatin1String("``"));
        bool code = false;
        qreal bound = 0;
        for (const QChar c : text) {
            if (c == QLatin1Char('`'))
                code = !code;
            bound += m_formattedAdvances.at((anyCode || code ? 0x80 : 0) + c.unicode());
        }
        if (index.data(MessageModel::EditedRole).toLongLong() > 0)
            bound += QFontMetricsF(m_font).horizontalAdvance(QLatin1Char(' ') + tr("(edited)"));
        if (bound * 1.02 + 2 <= width) {
            const bool hasCode = text.contains(QLatin1Char('`'));
            int &line = m_formattedLine[hasCode];
            if (line == 0) { // measured on a document like theirs
                const MarkdownDocument sample(hasCode ? QStringLiteral("**b** *i* `c`")
                                                      : QStringLiteral("**b** *i*"),
                                              m_font, m_palette);
                line = qMax(m_lineHeight, qCeil(sample.size().height()));
            }
            return line;
        }
    }
    return qMax(m_lineHeight, qCeil(documentFor(index, width)->size().height()));
}

QVector<QPair<QString, QRect>> MessageDelegate::chipRects(const QModelIndex &index, const QRect &area) const
{
    QVector<QPair<QString, QRect>> rects;
    const QList<Protocol::Reaction> reactions = reactionsOf(index);
    if (reactions.isEmpty())
        return rects;
    const QFontMetrics fm(m_font);
    int x = area.left();
    int y = area.top() + ChipGap / 2;
    for (const Protocol::Reaction &reaction : reactions) {
        const int w = fm.horizontalAdvance(chipText(reaction)) + 2 * ChipPad;
        if (x > area.left() && x + w > area.right()) { // wraps to the next line
            x = area.left();
            y += chipHeight() + ChipGap;
        }
        rects.append({reaction.emoji, QRect(x, y, w, chipHeight())});
        x += w + ChipGap;
    }
    return rects;
}

int MessageDelegate::chipsHeight(const QModelIndex &index, int width) const
{
    if (index.data(MessageModel::DeletedRole).toBool())
        return 0;
    const QVector<QPair<QString, QRect>> rects = chipRects(index, QRect(0, 0, width, 1000));
    if (rects.isEmpty())
        return 0;
    return rects.constLast().second.bottom() + 1 + ChipGap / 2;
}

int MessageDelegate::transferHeight() const
{
    return 2 * m_lineHeight + 2 * CardPad;
}

int MessageDelegate::computeHeight(const QModelIndex &index) const
{
    const Geometry g = geometry(QRect(0, 0, m_width, 1000), index);
    if (isTransfer(index))
        return g.separator.height() + g.unread.height() + VPad * 2 + transferGeometry(g, index).card.height();
    const bool system =
        index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::System;
    const bool deleted = !system && index.data(MessageModel::DeletedRole).toBool();
    const QString text = index.data(MessageModel::TextRole).toString();
    const int h =
        isFormatted(index, text)
            ? formattedHeight(index, text, g.text.width())
            : textHeight(displayText(index), system || deleted ? m_systemFont : m_font, g.text.width());
    const int extra = g.reply.height() + g.chips.height();
    return g.separator.height() + g.unread.height() + VPad * 2 + h + extra;
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

void MessageDelegate::paintUnreadLine(QPainter *painter, const QRect &rect,
                                      const QStyleOptionViewItem &option) const
{
    // Where reading stopped: a line in the accent colour, its label at the right.
    const QString label = tr("New messages");
    const QColor accent = option.palette.color(QPalette::Highlight);
    painter->setFont(m_boldFont);
    const int labelWidth = QFontMetrics(m_boldFont).horizontalAdvance(label);
    const QRect labelRect(rect.right() - HMargin - labelWidth, rect.top(), labelWidth, rect.height());
    painter->setPen(QPen(accent, 1.5));
    const int y = rect.center().y();
    painter->drawLine(rect.left() + HMargin, y, labelRect.left() - 8, y);
    painter->drawText(labelRect, Qt::AlignVCenter | Qt::AlignRight, label);
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
    updatePalette(option.palette);
    const Geometry g = geometry(option.rect, index);
    const bool system =
        index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::System;
    const bool own = index.data(MessageModel::OwnRole).toBool();
    const auto delivery = index.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>();
    const QPalette &pal = option.palette;

    painter->save();
    if (!g.separator.isEmpty())
        paintSeparator(painter, g.separator, option, index);
    if (!g.unread.isEmpty())
        paintUnreadLine(painter, g.unread, option);

    QRect body = option.rect;
    body.setTop(g.time.top() - VPad);
    if (m_highlighted.isValid() && m_highlighted == index)
        painter->fillRect(body, pal.color(QPalette::Highlight).lighter(170));
    else if (!system && index.data(MessageModel::MentionsMeRole).toBool())
        painter->fillRect(body, QColor(0xf2, 0xb7, 0x05, 60)); // a mention of the user: amber
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(body, pal.color(QPalette::AlternateBase));
    else if (own)
        painter->fillRect(body, pal.color(QPalette::AlternateBase).darker(102));

    const QDateTime when =
        QDateTime::fromMSecsSinceEpoch(index.data(MessageModel::TimestampRole).toLongLong());
    painter->setFont(m_font);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    painter->drawText(g.time, Qt::AlignLeft | Qt::AlignVCenter, when.toString(QStringLiteral("HH:mm")));

    if (isTransfer(index)) {
        paintSender(painter, g.sender, index.data(MessageModel::SenderRole).toString(), pal);
        paintTransfer(painter, g, option, index);
        painter->restore();
        return;
    }

    if (!g.reply.isEmpty())
        paintReply(painter, g.reply, option, index);
    if (index.data(MessageModel::DeletedRole).toBool()) {
        paintSender(painter, g.sender, index.data(MessageModel::SenderRole).toString(), pal);
        painter->setFont(m_systemFont);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(g.text, Qt::AlignLeft | Qt::AlignTop, displayText(index));
        painter->restore();
        return;
    }
    if (system) {
        painter->setFont(m_systemFont);
        painter->drawText(g.sender, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("•"));
    } else {
        paintSender(painter, g.sender, index.data(MessageModel::SenderRole).toString(), pal);
    }
    QColor textColor = pal.color(system ? QPalette::PlaceholderText : QPalette::Text);
    if (delivery == MessageModel::Delivery::Queued || delivery == MessageModel::Delivery::Failed)
        textColor.setAlphaF(0.6);

    if (const MarkdownDocument *document = documentFor(index, g.text.width())) {
        painter->save();
        painter->translate(g.text.topLeft());
        painter->setClipRect(QRect(QPoint(0, 0), g.text.size()));
        document->draw(painter, textColor, pal);
        painter->restore();
    } else {
        paintPlainText(painter, g.text, index, textColor, pal);
    }

    if (!g.chips.isEmpty())
        paintChips(painter, g, option, index);
    if (own)
        paintMarker(painter, g.marker, index, option);
    if (option.state & QStyle::State_MouseOver)
        paintRowActions(painter, g, option, index);
    painter->restore();
}

void MessageDelegate::paintPlainText(QPainter *painter, const QRect &rect, const QModelIndex &index,
                                     const QColor &color, const QPalette &pal) const
{
    const bool system =
        index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::System;
    QString text = index.data(MessageModel::TextRole).toString();
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
    if (!system && index.data(MessageModel::EditedRole).toLongLong() > 0) {
        QTextLayout::FormatRange range; // the "(edited)" suffix, muted
        range.start = int(text.size()) + 1;
        range.length = int(tr("(edited)").size());
        range.format.setForeground(pal.color(QPalette::PlaceholderText));
        formats.append(range);
        text = text + QLatin1Char(' ') + tr("(edited)");
        layout.setText(text);
    }
    layout.setFormats(formats);
    layoutText(layout, rect.width());
    painter->setPen(color);
    layout.draw(painter, rect.topLeft());
}

void MessageDelegate::paintReply(QPainter *painter, const QRect &rect, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QString preview = index.data(MessageModel::ReplyPreviewRole).toString();
    if (preview.isEmpty())
        preview = tr("an earlier message");
    const QPalette &pal = option.palette;
    painter->fillRect(QRect(rect.left(), rect.top() + 2, 3, rect.height() - 4), pal.color(QPalette::Mid));
    painter->setFont(m_systemFont);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    const QRect textRect = rect.adjusted(8, 0, 0, 0);
    const QString line =
        QFontMetrics(m_systemFont).elidedText(tr("↪ %1").arg(preview), Qt::ElideRight, textRect.width());
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, line);
}

void MessageDelegate::paintChips(QPainter *painter, const Geometry &g, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    const QPalette &pal = option.palette;
    const QList<Protocol::Reaction> reactions = reactionsOf(index);
    const QStringList own = index.data(MessageModel::OwnReactionsRole).toStringList();
    const QVector<QPair<QString, QRect>> rects = chipRects(index, g.chips);
    painter->setFont(m_font);
    painter->setRenderHint(QPainter::Antialiasing);
    for (int i = 0; i < rects.size() && i < reactions.size(); ++i) {
        const QRectF r = QRectF(rects.at(i).second).adjusted(0.5, 0.5, -0.5, -0.5);
        const bool mine = own.contains(reactions.at(i).emoji);
        const QColor accent = pal.color(QPalette::Highlight);
        QColor fill = mine ? accent : pal.color(QPalette::Button);
        fill.setAlpha(mine ? 60 : 255);
        painter->setPen(QPen(mine ? accent : pal.color(QPalette::Mid), 1));
        painter->setBrush(fill);
        painter->drawRoundedRect(r, r.height() / 2, r.height() / 2);
        painter->setPen(pal.color(QPalette::Text));
        painter->drawText(rects.at(i).second, Qt::AlignCenter, chipText(reactions.at(i)));
    }
    painter->setRenderHint(QPainter::Antialiasing, false);
}

QVector<MessageDelegate::RowAction> MessageDelegate::rowActions(const QModelIndex &index)
{
    if (!isChat(index) || index.data(MessageModel::SeqRole).toLongLong() <= 0 ||
        index.data(MessageModel::DeletedRole).toBool())
        return {};
    if (index.data(MessageModel::MineRole).toBool())
        return {RowAction::Reply, RowAction::React, RowAction::Edit, RowAction::Delete};
    return {RowAction::Reply, RowAction::React};
}

QString MessageDelegate::rowActionTip(RowAction action)
{
    switch (action) {
    case RowAction::Reply:
        return tr("Reply");
    case RowAction::React:
        return tr("React");
    case RowAction::Edit:
        return tr("Edit");
    case RowAction::Delete:
        return tr("Delete");
    case RowAction::None:
        break;
    }
    return {};
}

QVector<QPair<MessageDelegate::RowAction, QRect>>
MessageDelegate::rowActionRects(const Geometry &g, const QModelIndex &index) const
{
    QVector<QPair<RowAction, QRect>> rects;
    if (!m_rowActions)
        return rects;
    const QVector<RowAction> actions = rowActions(index);
    // Right-aligned at the top of the message, over the end of its first line.
    const int size = m_lineHeight + 4;
    int x = g.marker.left() - Gap / 2 - size * int(actions.size());
    const int y = g.time.top() - 2;
    for (const RowAction action : actions) {
        rects.append({action, QRect(x, y, size, size)});
        x += size;
    }
    return rects;
}

void MessageDelegate::paintRowActions(QPainter *painter, const Geometry &g,
                                      const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVector<QPair<RowAction, QRect>> rects = rowActionRects(g, index);
    if (rects.isEmpty())
        return;
    const QPalette &pal = option.palette;
    const QRect bar = rects.constFirst().second.united(rects.constLast().second);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(pal.color(QPalette::Mid), 1));
    painter->setBrush(pal.color(QPalette::Base));
    painter->drawRoundedRect(QRectF(bar).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    painter->setRenderHint(QPainter::Antialiasing, false);
    QPoint mouse(-1, -1);
    if (auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        mouse = view->viewport()->mapFromGlobal(QCursor::pos());
    painter->setFont(m_font);
    for (const auto &[action, rect] : rects) {
        if (rect.contains(mouse))
            painter->fillRect(rect.adjusted(1, 1, -1, -1), pal.color(QPalette::AlternateBase));
        painter->setPen(pal.color(QPalette::Text));
        painter->drawText(rect, Qt::AlignCenter, rowActionGlyph(action));
    }
}

QRect MessageDelegate::rowActionRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                                     RowAction action) const
{
    updateMetrics(option.font);
    for (const auto &[a, rect] : rowActionRects(geometry(option.rect, index), index)) {
        if (a == action)
            return rect;
    }
    return {};
}

MessageDelegate::RowAction MessageDelegate::rowActionAt(const QStyleOptionViewItem &option,
                                                        const QModelIndex &index, const QPoint &pos) const
{
    updateMetrics(option.font);
    for (const auto &[action, rect] : rowActionRects(geometry(option.rect, index), index)) {
        if (rect.contains(pos))
            return action;
    }
    return RowAction::None;
}

QRect MessageDelegate::reactionChipRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                                        const QString &emoji) const
{
    updateMetrics(option.font);
    if (!isChat(index))
        return {};
    const Geometry g = geometry(option.rect, index);
    for (const auto &[e, rect] : chipRects(index, g.chips)) {
        if (e == emoji)
            return rect;
    }
    return {};
}

QString MessageDelegate::reactionChipAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                        const QPoint &pos) const
{
    updateMetrics(option.font);
    if (!isChat(index))
        return {};
    const Geometry g = geometry(option.rect, index);
    if (!g.chips.contains(pos))
        return {};
    for (const auto &[emoji, rect] : chipRects(index, g.chips)) {
        if (rect.contains(pos))
            return emoji;
    }
    return {};
}

QRect MessageDelegate::replyPreviewRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    updateMetrics(option.font);
    return isChat(index) ? geometry(option.rect, index).reply : QRect();
}

void MessageDelegate::paintSender(QPainter *painter, const QRect &rect, const QString &sender,
                                  const QPalette &pal) const
{
    painter->setFont(m_boldFont);
    painter->setPen(senderColor(sender, pal));
    const QString elided = QFontMetrics(m_boldFont).elidedText(sender, Qt::ElideRight, rect.width());
    painter->drawText(rect, Qt::AlignRight | Qt::AlignVCenter, elided);
}

QVector<MessageDelegate::TransferAction> MessageDelegate::transferActions(const QModelIndex &index)
{
    if (!isTransfer(index))
        return {};
    const auto state = index.data(MessageModel::TransferStateRole).value<TransferInfo::State>();
    const bool download = index.data(MessageModel::TransferDirectionRole).value<TransferInfo::Direction>() ==
                          TransferInfo::Direction::Download;
    switch (state) {
    case TransferInfo::State::Queued:
    case TransferInfo::State::Active:
    case TransferInfo::State::Interrupted:
        return {TransferAction::Cancel};
    case TransferInfo::State::Completed:
        if (download)
            return {TransferAction::Save, TransferAction::Open};
        return {};
    case TransferInfo::State::Failed:
    case TransferInfo::State::Cancelled:
        return {};
    }
    return {};
}

QString MessageDelegate::transferActionTip(TransferAction action)
{
    switch (action) {
    case TransferAction::Cancel:
        return tr("Stop this transfer");
    case TransferAction::Save:
        return tr("Save a copy of the received file");
    case TransferAction::Open:
        return tr("Open the received file");
    case TransferAction::None:
        break;
    }
    return {};
}

QString MessageDelegate::transferActionText(TransferAction action)
{
    switch (action) {
    case TransferAction::Cancel:
        return tr("Cancel");
    case TransferAction::Save:
        return tr("Save…");
    case TransferAction::Open:
        return tr("Open");
    case TransferAction::None:
        break;
    }
    return {};
}

MessageDelegate::TransferGeometry MessageDelegate::transferGeometry(const Geometry &g,
                                                                    const QModelIndex &index) const
{
    TransferGeometry t;
    const int right = qMin(g.marker.right(), g.text.left() + CardMaxWidth);
    // The head: icon, name, status and buttons, as on every file; a thumbnail goes below it.
    const QRect head(QPoint(g.text.left(), g.time.top()),
                     QSize(qMax(right - g.text.left() + 1, 120), transferHeight()));
    t.card = head;
    const QString image = imagePath(index);
    const QSize thumb = image.isEmpty() ? QSize() : m_thumbnails->cached(image).size();
    if (!thumb.isEmpty()) {
        const QSize fitted =
            thumb.width() > head.width() - 2 * CardPad
                ? thumb.scaled(head.width() - 2 * CardPad, thumb.height(), Qt::KeepAspectRatio)
                : thumb;
        t.thumbnail = QRect(QPoint(head.left() + CardPad, head.bottom() + 1), fitted);
        t.card.setHeight(head.height() + fitted.height() + CardPad);
    }
    const int iconSize = qMin(2 * m_lineHeight, 32);
    t.icon = QRect(head.left() + CardPad, head.center().y() - iconSize / 2 + 1, iconSize, iconSize);

    const QFontMetrics fm(m_font);
    const int buttonHeight = qMin(m_lineHeight + 10, head.height() - 4);
    int x = t.card.right() - CardPad;
    const QVector<TransferAction> actions = transferActions(index);
    for (auto it = actions.crbegin(); it != actions.crend(); ++it) {
        const int w = qMax(fm.horizontalAdvance(transferActionText(*it)) + 24, 64);
        const QRect button(x - w + 1, head.center().y() - buttonHeight / 2 + 1, w, buttonHeight);
        t.buttons.prepend({*it, button});
        x = button.left() - ButtonGap;
    }
    const int left = t.icon.right() + 1 + Gap;
    const int contentRight = t.buttons.isEmpty() ? t.card.right() - CardPad : x - Gap + ButtonGap;
    const int width = qMax(contentRight - left + 1, 20);
    const int top = t.card.top() + CardPad;
    t.name = QRect(left, top, width, m_lineHeight);
    const QRect second(left, top + m_lineHeight, width, m_lineHeight);
    const auto state = index.data(MessageModel::TransferStateRole).value<TransferInfo::State>();
    const bool running = state == TransferInfo::State::Queued || state == TransferInfo::State::Active ||
                         state == TransferInfo::State::Interrupted;
    if (running) {
        const int barWidth = qMin(200, width / 2);
        const int barHeight = qMax(6, m_lineHeight / 2);
        t.progress = QRect(left, second.center().y() - barHeight / 2 + 1, barWidth, barHeight);
        t.status =
            QRect(t.progress.right() + 1 + Gap, second.top(), qMax(width - barWidth - Gap, 0), m_lineHeight);
    } else {
        t.status = second;
    }
    return t;
}

void MessageDelegate::paintTransfer(QPainter *painter, const Geometry &g, const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    const TransferGeometry t = transferGeometry(g, index);
    const QPalette &pal = option.palette;
    QStyle *style = styleOf(option);
    const auto state = index.data(MessageModel::TransferStateRole).value<TransferInfo::State>();

    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(pal.color(QPalette::Mid), 1));
    painter->setBrush(pal.color(QPalette::Base));
    painter->drawRoundedRect(QRectF(t.card).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter->setRenderHint(QPainter::Antialiasing, false);

    style->standardIcon(QStyle::SP_FileIcon, nullptr, option.widget)
        .paint(painter, t.icon, Qt::AlignCenter,
               state == TransferInfo::State::Completed ? QIcon::Normal : QIcon::Disabled);

    const QString size = TransferText::size(index.data(MessageModel::FileSizeRole).toLongLong());
    const QFontMetrics bold(m_boldFont);
    const QFontMetrics fm(m_font);
    const int sizeWidth = fm.horizontalAdvance(size);
    const QString name = bold.elidedText(index.data(MessageModel::FileNameRole).toString(), Qt::ElideMiddle,
                                         qMax(t.name.width() - sizeWidth - Gap, 20));
    painter->setFont(m_boldFont);
    painter->setPen(pal.color(QPalette::Text));
    painter->drawText(t.name, Qt::AlignLeft | Qt::AlignVCenter, name);
    painter->setFont(m_font);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    painter->drawText(t.name.adjusted(bold.horizontalAdvance(name) + Gap, 0, 0, 0),
                      Qt::AlignLeft | Qt::AlignVCenter, size);

    if (!t.progress.isEmpty()) {
        QStyleOptionProgressBar bar;
        bar.direction = option.direction;
        bar.fontMetrics = fm;
        bar.rect = t.progress;
        bar.palette = pal;
        bar.state = QStyle::State_Horizontal;
        if (state != TransferInfo::State::Interrupted)
            bar.state |= QStyle::State_Enabled;
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(index.data(MessageModel::ProgressRole).toDouble() * 1000);
        bar.textVisible = false;
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
    }

    QString status = index.data(MessageModel::TransferStatusRole).toString();
    const QString saved = index.data(MessageModel::SavedPathRole).toString();
    if (!saved.isEmpty())
        status = tr("Saved to %1").arg(saved);
    const QString image = imagePath(index);
    if (!image.isEmpty()) {
        // Only visible rows get here, so only they are decoded.
        const QImage thumb = m_thumbnails->thumbnail(image);
        const ImageThumbnailer::Status known = m_thumbnails->status(image);
        if (known == ImageThumbnailer::Status::Pending && !m_waiting.contains(image, index))
            m_waiting.insert(image, QPersistentModelIndex(index));
        else if (known == ImageThumbnailer::Status::TooLarge)
            status = tr("%1 · image too large to preview").arg(status);
        if (!thumb.isNull() && !t.thumbnail.isEmpty())
            painter->drawImage(t.thumbnail, thumb);
    }
    painter->setPen(state == TransferInfo::State::Failed ? QColor(0xd0, 0x3a, 0x2f)
                                                         : pal.color(QPalette::PlaceholderText));
    painter->drawText(t.status, Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(status, Qt::ElideMiddle, t.status.width()));

    QPoint mouse(-1, -1);
    if (auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        mouse = view->viewport()->mapFromGlobal(QCursor::pos());
    for (const auto &[action, rect] : t.buttons) {
        QStyleOptionButton button;
        button.rect = rect;
        button.text = transferActionText(action);
        button.palette = pal;
        button.fontMetrics = fm;
        button.state = QStyle::State_Enabled | QStyle::State_Raised;
        if ((option.state & QStyle::State_MouseOver) && rect.contains(mouse))
            button.state |= QStyle::State_MouseOver;
        style->drawControl(QStyle::CE_PushButton, &button, painter, option.widget);
    }
}

QString MessageDelegate::imagePath(const QModelIndex &index)
{
    if (!isTransfer(index) ||
        !ImageThumbnailer::looksLikeImage(index.data(MessageModel::FileNameRole).toString()))
        return {};
    // A sent image is on disk from the start; a received one once its download completed.
    const bool upload = index.data(MessageModel::TransferDirectionRole).value<TransferInfo::Direction>() ==
                        TransferInfo::Direction::Upload;
    if (!upload && index.data(MessageModel::TransferStateRole).value<TransferInfo::State>() !=
                       TransferInfo::State::Completed)
        return {};
    const QString local = index.data(MessageModel::LocalPathRole).toString();
    return local.isEmpty() ? index.data(MessageModel::SavedPathRole).toString() : local;
}

QRect MessageDelegate::thumbnailRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    updateMetrics(option.font);
    if (!isTransfer(index))
        return {};
    return transferGeometry(geometry(option.rect, index), index).thumbnail;
}

void MessageDelegate::onThumbnailReady(const QString &path)
{
    const QList<QPersistentModelIndex> rows = m_waiting.values(path);
    m_waiting.remove(path);
    for (const QPersistentModelIndex &row : rows) {
        if (row.isValid())
            emit thumbnailChanged(row);
    }
}

QRect MessageDelegate::transferButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                                          TransferAction action) const
{
    updateMetrics(option.font);
    if (!isTransfer(index))
        return {};
    const TransferGeometry t = transferGeometry(geometry(option.rect, index), index);
    for (const auto &[a, rect] : t.buttons) {
        if (a == action)
            return rect;
    }
    return {};
}

MessageDelegate::TransferAction MessageDelegate::transferActionAt(const QStyleOptionViewItem &option,
                                                                  const QModelIndex &index,
                                                                  const QPoint &pos) const
{
    updateMetrics(option.font);
    if (!isTransfer(index))
        return TransferAction::None;
    const TransferGeometry t = transferGeometry(geometry(option.rect, index), index);
    for (const auto &[action, rect] : t.buttons) {
        if (rect.contains(pos))
            return action;
    }
    return TransferAction::None;
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
    if (const MarkdownDocument *document = documentFor(index, g.text.width()))
        return document->linkAt(pos - g.text.topLeft());
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
    return index.data(MessageModel::OwnRole).toBool() && !isTransfer(index) &&
           geometry(option.rect, index).marker.contains(pos);
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
        for (const Button &button : buttons(option, index)) {
            if (button.rect.contains(pos)) {
                press(index, button);
                return true;
            }
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

QString MessageDelegate::reactionTip(const QModelIndex &index, const QString &emoji)
{
    for (const Protocol::Reaction &reaction : reactionsOf(index)) {
        if (reaction.emoji != emoji)
            continue;
        constexpr int MaxNamed = 10; // a message may carry 1,000 reactions
        QStringList names = reaction.users.mid(0, MaxNamed);
        if (reaction.users.size() > MaxNamed)
            names.append(tr("%n other(s)", nullptr, int(reaction.users.size()) - MaxNamed));
        return tr("%1 reacted with %2").arg(QLocale().createSeparatedList(names), emoji);
    }
    return {};
}

QVector<MessageDelegate::Button> MessageDelegate::buttons(const QStyleOptionViewItem &option,
                                                          const QModelIndex &index) const
{
    updateMetrics(option.font);
    QVector<Button> result;
    const Geometry g = geometry(option.rect, index);
    if (isTransfer(index)) {
        const TransferGeometry t = transferGeometry(g, index);
        for (const auto &[action, rect] : t.buttons) {
            Button b;
            b.kind = Button::Kind::Transfer;
            b.transfer = action;
            b.rect = rect;
            result.append(b);
        }
        if (!t.thumbnail.isEmpty()) {
            Button b;
            b.kind = Button::Kind::Image;
            b.rect = t.thumbnail;
            result.append(b);
        }
        return result;
    }
    for (const auto &[action, rect] : rowActionRects(g, index)) {
        Button b;
        b.kind = Button::Kind::Action;
        b.action = action;
        b.rect = rect;
        result.append(b);
    }
    // Chips toggle only where conversation is offered (the same switch as the hover bar).
    if (m_rowActions && isChat(index) && index.data(MessageModel::SeqRole).toLongLong() > 0 &&
        !g.chips.isEmpty()) {
        for (const auto &[emoji, rect] : chipRects(index, g.chips)) {
            Button b;
            b.kind = Button::Kind::Reaction;
            b.emoji = emoji;
            b.rect = rect;
            result.append(b);
        }
    }
    if (isChat(index) && !g.reply.isEmpty()) {
        Button b;
        b.kind = Button::Kind::Quote;
        b.rect = g.reply;
        result.append(b);
    }
    return result;
}

void MessageDelegate::press(const QModelIndex &index, const Button &button)
{
    const qint64 seq = index.data(MessageModel::SeqRole).toLongLong();
    switch (button.kind) {
    case Button::Kind::Transfer:
        emit transferButtonClicked(index.data(MessageModel::IdRole).toString(), button.transfer);
        break;
    case Button::Kind::Image:
        emit imageClicked(imagePath(index));
        break;
    case Button::Kind::Action:
        emit rowActionClicked(seq, button.action, button.rect);
        break;
    case Button::Kind::Reaction: {
        const bool mine = index.data(MessageModel::OwnReactionsRole).toStringList().contains(button.emoji);
        emit reactionToggled(seq, button.emoji, !mine);
        break;
    }
    case Button::Kind::Quote:
        emit replyPreviewClicked(index.data(MessageModel::ReplyToRole).toLongLong());
        break;
    }
}

QString MessageDelegate::buttonName(const QModelIndex &index, const Button &button)
{
    switch (button.kind) {
    case Button::Kind::Transfer:
        return transferActionText(button.transfer);
    case Button::Kind::Image:
        return tr("View Image");
    case Button::Kind::Action:
        return rowActionTip(button.action);
    case Button::Kind::Reaction:
        for (const Protocol::Reaction &reaction : reactionsOf(index)) {
            if (reaction.emoji == button.emoji)
                return tr("React %1 (%2)").arg(reaction.emoji).arg(reaction.users.size());
        }
        break;
    case Button::Kind::Quote:
        return tr("Show the message this one answers");
    }
    return {};
}

QString MessageDelegate::buttonDescription(const QModelIndex &index, const Button &button)
{
    switch (button.kind) {
    case Button::Kind::Transfer:
        return transferActionTip(button.transfer);
    case Button::Kind::Image:
        return index.data(MessageModel::FileNameRole).toString();
    case Button::Kind::Action:
        break;
    case Button::Kind::Reaction:
        return reactionTip(index, button.emoji);
    case Button::Kind::Quote: {
        QString preview = index.data(MessageModel::ReplyPreviewRole).toString();
        return preview.isEmpty() ? tr("an earlier message") : preview;
    }
    }
    return {};
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    QString tip;
    const QUrl url = linkAt(option, index, event->pos());
    const TransferAction action = transferActionAt(option, index, event->pos());
    const QString chip = reactionChipAt(option, index, event->pos());
    const RowAction rowAction = rowActionAt(option, index, event->pos());
    if (rowAction != RowAction::None) {
        tip = rowActionTip(rowAction);
    } else if (!chip.isEmpty()) {
        tip = reactionTip(index, chip);
    } else if (replyPreviewRect(option, index).contains(event->pos())) {
        tip = tr("Show the message this one answers");
    } else if (action != TransferAction::None) {
        tip = transferActionTip(action);
    } else if (isTransfer(index)) {
        QStringList lines{index.data(MessageModel::FileNameRole).toString(),
                          TransferText::size(index.data(MessageModel::FileSizeRole).toLongLong()),
                          index.data(MessageModel::TransferStatusRole).toString()};
        const QString saved = index.data(MessageModel::SavedPathRole).toString();
        if (!saved.isEmpty())
            lines.append(tr("Saved to %1").arg(saved));
        tip = lines.join(QLatin1Char('\n'));
    } else if (url.isValid()) {
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

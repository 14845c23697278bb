// SPDX-License-Identifier: GPL-3.0-or-later
#include "searchresultdelegate.h"

#include "searchresultsmodel.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>
#include <QPoint>
#include <QTextLayout>

namespace {
constexpr int Pad = 4;
constexpr int Lead = 24; // characters of context kept before the first match
} // namespace

QString SearchResultDelegate::snippet(const QString &text, const QVariantList &matches,
                                      QList<QPair<int, int>> *shown)
{
    int from = 0;
    if (!matches.isEmpty()) {
        const int first = matches.constFirst().toPoint().x();
        if (first > Lead)
            from = first - Lead;
    }
    QString line = text.mid(from);
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    int shift = -from;
    if (from > 0) {
        line.prepend(QChar(0x2026));
        shift += 1;
    }
    if (shown) {
        shown->clear();
        for (const QVariant &v : matches) {
            const QPoint m = v.toPoint();
            const int start = m.x() + shift;
            if (m.x() >= from && m.y() > 0 && start + m.y() <= line.size())
                shown->append({start, m.y()});
        }
    }
    return line;
}

QSize SearchResultDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return {option.rect.width(), 2 * option.fontMetrics.height() + 3 * Pad};
}

void SearchResultDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette &pal = opt.palette;
    const QRect r = opt.rect.adjusted(Pad * 2, Pad, -Pad * 2, -Pad);
    const int lineHeight = opt.fontMetrics.height();

    const QDateTime when =
        QDateTime::fromMSecsSinceEpoch(index.data(SearchResultsModel::TimestampRole).toLongLong());
    const QString header = tr("#%1 · %2 · %3")
                               .arg(index.data(SearchResultsModel::RoomRole).toString(),
                                    QLocale().toString(when, QLocale::ShortFormat),
                                    index.data(SearchResultsModel::SenderRole).toString());
    painter->save();
    painter->setFont(opt.font);
    painter->setPen(selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::PlaceholderText));
    painter->drawText(QRect(r.left(), r.top(), r.width(), lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                      opt.fontMetrics.elidedText(header, Qt::ElideRight, r.width()));

    QList<QPair<int, int>> matches;
    const QString line = snippet(index.data(SearchResultsModel::TextRole).toString(),
                                 index.data(SearchResultsModel::MatchesRole).toList(), &matches);
    QList<QTextLayout::FormatRange> formats;
    for (const auto &m : matches) {
        QTextLayout::FormatRange range;
        range.start = m.first;
        range.length = m.second;
        range.format.setFontWeight(QFont::Bold);
        range.format.setBackground(selected ? pal.color(QPalette::Base)
                                            : pal.color(QPalette::Highlight).lighter(160));
        range.format.setForeground(pal.color(QPalette::Text));
        formats.append(range);
    }
    QTextLayout layout(line, opt.font);
    layout.setFormats(formats);
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::NoWrap);
    layout.setTextOption(textOption);
    layout.beginLayout();
    QTextLine textLine = layout.createLine();
    if (textLine.isValid())
        textLine.setLineWidth(r.width());
    layout.endLayout();
    painter->setPen(selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
    painter->setClipRect(r);
    layout.draw(painter, QPointF(r.left(), r.top() + lineHeight + Pad));
    painter->restore();
}

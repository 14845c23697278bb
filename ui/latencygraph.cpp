// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencygraph.h"

#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

LatencyGraph::LatencyGraph(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Latency graph"));
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void LatencyGraph::setCompact(bool compact)
{
    m_compact = compact;
    updateGeometry();
    update();
}

void LatencyGraph::setWindowMs(qint64 ms)
{
    m_windowMs = qMax<qint64>(1000, ms);
    update();
}

QSize LatencyGraph::sizeHint() const
{
    return m_compact ? QSize(90, 18) : QSize(320, 120);
}

QSize LatencyGraph::minimumSizeHint() const
{
    return m_compact ? QSize(40, 12) : QSize(160, 60);
}

void LatencyGraph::addSample(double ms, qint64 at)
{
    if (!std::isfinite(ms) || ms < 0)
        return;
    const qint64 when = at > 0 ? at : QDateTime::currentMSecsSinceEpoch();
    m_samples.append(Sample{when, ms});
    prune(when);
    update();
}

void LatencyGraph::clear()
{
    m_samples.clear();
    update();
}

void LatencyGraph::prune(qint64 now)
{
    const qint64 cutoff = now - m_windowMs;
    int drop = 0;
    while (drop < m_samples.size() && m_samples.at(drop).at < cutoff)
        ++drop;
    if (drop > 0)
        m_samples.remove(0, drop);
}

LatencyGraph::Stats LatencyGraph::computeStats(QVector<double> values)
{
    Stats s;
    s.count = int(values.size());
    if (values.isEmpty())
        return s;
    std::sort(values.begin(), values.end());
    s.min = values.constFirst();
    double sum = 0;
    for (double v : std::as_const(values))
        sum += v;
    s.mean = sum / values.size();
    // Nearest-rank percentile.
    const int rank = int(std::ceil(0.95 * values.size()));
    s.p95 = values.at(qBound(0, rank - 1, int(values.size()) - 1));
    return s;
}

LatencyGraph::Stats LatencyGraph::stats() const
{
    QVector<double> values;
    values.reserve(m_samples.size());
    for (const Sample &s : m_samples)
        values.append(s.ms);
    return computeStats(values);
}

void LatencyGraph::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    QRectF area = QRectF(rect()).adjusted(1, 1, -1, -1);
    if (!m_compact) {
        p.fillRect(rect(), pal.color(QPalette::Base));
        p.setPen(pal.color(QPalette::Mid));
        p.drawRect(area);
        area.adjust(36, 8, -8, -8);
    }
    const Stats st = stats();
    if (m_samples.isEmpty()) {
        if (!m_compact) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(rect(), Qt::AlignCenter, tr("No measurements yet"));
        }
        return;
    }
    const qint64 now = qMax(QDateTime::currentMSecsSinceEpoch(), m_samples.constLast().at);
    // Until the samples fill the window, stretch them across it (at least 30 s) rather than
    // drawing a stub at the right edge.
    const qint64 span =
        qBound<qint64>(qMin<qint64>(30000, m_windowMs), now - m_samples.constFirst().at, m_windowMs);
    const qint64 start = now - span;
    double top = 1;
    for (const Sample &s : m_samples)
        top = qMax(top, s.ms);
    top *= 1.15;
    auto xOf = [&](qint64 t) {
        return area.left() + area.width() * double(t - start) / double(span);
    };
    auto yOf = [&](double ms) {
        return area.bottom() - area.height() * (ms / top);
    };

    if (!m_compact) {
        const QColor guide = pal.color(QPalette::PlaceholderText);
        const struct
        {
            double value;
            QString label;
            Qt::PenStyle style;
        } lines[] = {{st.p95, tr("p95"), Qt::DashLine},
                     {st.mean, tr("mean"), Qt::DotLine},
                     {st.min, tr("min"), Qt::DotLine}};
        QFont small = font();
        small.setPointSizeF(small.pointSizeF() * 0.8);
        p.setFont(small);
        for (const auto &line : lines) {
            const double y = yOf(line.value);
            p.setPen(QPen(guide, 1, line.style));
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
            p.drawText(QRectF(0, y - 8, area.left() - 4, 16), Qt::AlignRight | Qt::AlignVCenter,
                       QString::number(qRound(line.value)));
        }
    }

    QPainterPath path;
    QPainterPath fill;
    bool first = true;
    for (const Sample &s : m_samples) {
        const QPointF pt(xOf(s.at), yOf(s.ms));
        if (first) {
            path.moveTo(pt);
            fill.moveTo(pt.x(), area.bottom());
            fill.lineTo(pt);
            first = false;
        } else {
            path.lineTo(pt);
            fill.lineTo(pt);
        }
    }
    fill.lineTo(xOf(m_samples.constLast().at), area.bottom());
    fill.closeSubpath();
    QColor accent = pal.color(QPalette::Highlight);
    QColor shade = accent;
    shade.setAlphaF(0.18);
    p.fillPath(fill, shade);
    p.setPen(QPen(accent, m_compact ? 1.2 : 1.6));
    p.drawPath(path);
    const QPointF last(xOf(m_samples.constLast().at), yOf(m_samples.constLast().ms));
    p.setBrush(accent);
    p.drawEllipse(last, 2, 2);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencygraph.h"

#include "latencymonitor.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

LatencyGraph::LatencyGraph(LatencyMonitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
{
    setAccessibleName(tr("Latency graph"));
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    if (monitor)
        connect(monitor, &LatencyMonitor::sampleAdded, this, [this](LatencyMonitor::Kind kind) {
            if (kind == LatencyMonitor::Kind::App)
                update();
        });
}

void LatencyGraph::setCompact(bool compact)
{
    m_compact = compact;
    updateGeometry();
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

QRectF LatencyGraph::plotArea() const
{
    const QRectF area = QRectF(rect()).adjusted(1, 1, -1, -1);
    // Room on the left for the guides' labels.
    return m_compact ? area : area.adjusted(36, 8, -8, -8);
}

double LatencyGraph::topMs() const
{
    const QList<double> samples = m_monitor ? m_monitor->samples(LatencyMonitor::Kind::App) : QList<double>();
    const double max = samples.isEmpty() ? 0 : *std::max_element(samples.cbegin(), samples.cend());
    return qMax(1.0, max * 1.15);
}

double LatencyGraph::yOf(double ms, double top) const
{
    const QRectF area = plotArea();
    return area.bottom() - area.height() * ms / top;
}

QVector<QPointF> LatencyGraph::linePoints() const
{
    QVector<QPointF> points;
    const QList<double> samples = m_monitor ? m_monitor->samples(LatencyMonitor::Kind::App) : QList<double>();
    const double top = topMs();
    const QRectF area = plotArea();
    // Pings go out at a fixed interval, so samples are spaced evenly; the first ones are stretched
    // across the whole width rather than drawn as a stub at the right edge.
    const int gaps = int(samples.size()) - 1;
    points.reserve(samples.size());
    for (int i = 0; i < samples.size(); ++i) {
        const double x = gaps > 0 ? area.left() + area.width() * i / gaps : area.right();
        points.append(QPointF(x, yOf(samples.at(i), top)));
    }
    return points;
}

void LatencyGraph::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const QRectF area = plotArea();
    if (!m_compact) {
        p.fillRect(rect(), pal.color(QPalette::Base));
        p.setPen(pal.color(QPalette::Mid));
        p.drawRect(QRectF(rect()).adjusted(1, 1, -1, -1));
    }
    const QVector<QPointF> points = linePoints();
    if (points.isEmpty()) {
        if (!m_compact) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(rect(), Qt::AlignCenter, tr("No measurements yet"));
        }
        return;
    }

    if (!m_compact) {
        const LatencyMonitor::Stats st = m_monitor->stats(LatencyMonitor::Kind::App);
        const double top = topMs();
        const QColor guide = pal.color(QPalette::PlaceholderText);
        const struct
        {
            double value;
            Qt::PenStyle style;
        } lines[] = {{st.p95, Qt::DashLine}, {st.mean, Qt::DotLine}, {st.min, Qt::DotLine}};
        QFont small = font();
        small.setPointSizeF(small.pointSizeF() * 0.8);
        p.setFont(small);
        for (const auto &line : lines) {
            const double y = yOf(line.value, top);
            p.setPen(QPen(guide, 1, line.style));
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
            p.drawText(QRectF(0, y - 8, area.left() - 4, 16), Qt::AlignRight | Qt::AlignVCenter,
                       QString::number(qRound(line.value)));
        }
    }

    QPainterPath path(points.constFirst());
    QPainterPath fill(QPointF(points.constFirst().x(), area.bottom()));
    for (const QPointF &pt : points) {
        path.lineTo(pt);
        fill.lineTo(pt);
    }
    fill.lineTo(points.constLast().x(), area.bottom());
    fill.closeSubpath();
    QColor accent = pal.color(QPalette::Highlight);
    QColor shade = accent;
    shade.setAlphaF(0.18);
    p.fillPath(fill, shade);
    p.setPen(QPen(accent, m_compact ? 1.2 : 1.6));
    p.drawPath(path);
    p.setBrush(accent);
    p.drawEllipse(points.constLast(), 2, 2);
}

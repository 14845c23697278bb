// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QVector>
#include <QWidget>

class LatencyMonitor;

//! A small live graph of the round-trip times LatencyMonitor keeps (its samples and its stats:
//! min, mean and p95), oldest at the left. Compact mode (for the status bar) draws only the line.
class LatencyGraph : public QWidget
{
    Q_OBJECT
public:
    explicit LatencyGraph(LatencyMonitor *monitor, QWidget *parent = nullptr);

    void setCompact(bool compact);
    // Where the line runs, one point per sample, oldest first, in widget coordinates.
    QVector<QPointF> linePoints() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QRectF plotArea() const;
    double topMs() const; // the value at the top edge
    double yOf(double ms, double top) const;

    QPointer<LatencyMonitor> m_monitor;
    bool m_compact = false;
};

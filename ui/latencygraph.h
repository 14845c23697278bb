// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QVector>
#include <QWidget>

//! A small live graph of round-trip times over the last few minutes, with min, mean and p95.
//! Compact mode (for the status bar) draws only the line.
class LatencyGraph : public QWidget
{
    Q_OBJECT
public:
    struct Sample
    {
        qint64 at = 0; // ms since the epoch
        double ms = 0;
    };
    struct Stats
    {
        int count = 0;
        double min = 0;
        double mean = 0;
        double p95 = 0;
    };

    explicit LatencyGraph(QWidget *parent = nullptr);

    void setCompact(bool compact);
    void setWindowMs(qint64 ms); // how far back the graph reaches; default 5 minutes
    QVector<Sample> samples() const { return m_samples; }
    Stats stats() const;
    static Stats computeStats(QVector<double> values);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    void addSample(double ms, qint64 at = 0); // at = 0: now
    void clear();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void prune(qint64 now);

    QVector<Sample> m_samples;
    qint64 m_windowMs = 5 * 60 * 1000;
    bool m_compact = false;
};

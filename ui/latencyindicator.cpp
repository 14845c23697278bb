// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencyindicator.h"

#include "chatclient.h"
#include "latencygraph.h"
#include "latencymonitor.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>

LatencyIndicator::LatencyIndicator(ChatClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_label(new QLabel(tr("— ms")))
    , m_graph(new LatencyGraph(client->latency()))
{
    setAccessibleName(tr("Latency"));
    m_label->setAccessibleName(tr("Current latency"));
    m_label->setMinimumWidth(m_label->fontMetrics().horizontalAdvance(QStringLiteral("9999 ms")));
    m_label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_graph->setCompact(true);
    m_graph->setFixedSize(90, 18);
    setCursor(Qt::PointingHandCursor);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_graph);

    connect(client->latency(), &LatencyMonitor::sampleAdded, this,
            [this](LatencyMonitor::Kind kind, double ms) {
                if (kind == LatencyMonitor::Kind::App)
                    onSample(ms);
            });
    connect(client, &ChatClient::stateChanged, this, [this](ChatClient::State state) {
        if (state != ChatClient::State::Connected)
            m_label->setText(tr("— ms"));
        updateTip();
    });
    updateTip();
}

QString LatencyIndicator::text() const
{
    return m_label->text();
}

void LatencyIndicator::onSample(double ms)
{
    // Sub-10 ms round trips (a LAN, this computer) deserve a decimal; beyond that it is noise.
    m_label->setText(tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 1 : 0));
    updateTip();
}

void LatencyIndicator::updateTip()
{
    const LatencyMonitor::Stats s = m_client->latency()->stats(LatencyMonitor::Kind::App);
    if (s.count == 0) {
        setToolTip(tr("Round-trip latency: no measurements yet"));
        return;
    }
    setToolTip(
        tr("Round-trip latency (last %n sample(s))\ncurrent %1 ms · min %2 ms · mean %3 ms\np95 %4 ms · "
           "jitter %5 ms\nClick for connection details",
           nullptr, s.count)
            .arg(s.current, 0, 'f', 1)
            .arg(s.min, 0, 'f', 1)
            .arg(s.mean, 0, 'f', 1)
            .arg(s.p95, 0, 'f', 1)
            .arg(s.jitter, 0, 'f', 1));
}

void LatencyIndicator::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        emit clicked();
    QWidget::mouseReleaseEvent(event);
}

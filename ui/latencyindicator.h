// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class ChatClient;
class LatencyGraph;
class QLabel;

//! Always-visible latency: the current round trip and a small graph of the last few minutes; the
//! tooltip has min, mean, p95 and jitter. A click asks for the connection details.
class LatencyIndicator : public QWidget
{
    Q_OBJECT
public:
    explicit LatencyIndicator(ChatClient *client, QWidget *parent = nullptr);

    QString text() const;
    LatencyGraph *graph() const { return m_graph; }

signals:
    void clicked();

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void onSample(double ms);
    void updateTip();

    ChatClient *m_client;
    QLabel *m_label;
    LatencyGraph *m_graph;
};

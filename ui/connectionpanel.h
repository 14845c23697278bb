// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QTimer>
#include <QUrl>

class ChatClient;
class LatencyGraph;
class QLabel;
class QListWidget;
class QPushButton;

//! Connection details: the server and its features, uptime, pongs, the hosted address, a larger
//! latency graph with its statistics, and the recent connection history.
class ConnectionPanel : public QDockWidget
{
    Q_OBJECT
public:
    explicit ConnectionPanel(ChatClient *client, QWidget *parent = nullptr);

    void setHostedUrl(const QUrl &url, const QUrl &lanUrl = {});
    QStringList history() const;
    LatencyGraph *graph() const { return m_graph; }

public slots:
    void refresh();

private:
    void addHistory(const QString &line);
    void onStateChanged(int state, const QString &reason);

    ChatClient *m_client;
    Protocol::Connected m_info;
    QLabel *m_server;
    QLabel *m_software;
    QLabel *m_features;
    QLabel *m_state;
    QLabel *m_uptime;
    QLabel *m_pongs;
    QLabel *m_hosted;
    QLabel *m_stats;
    LatencyGraph *m_graph;
    QListWidget *m_history;
    QPushButton *m_reconnect;
    QPushButton *m_disconnect;
    QElapsedTimer m_connectedFor;
    QElapsedTimer m_sinceSample;
    QTimer m_tick;
};

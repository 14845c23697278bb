// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

//! Tells ChatClient when retrying at once is worth it: the system reports the network is back
//! (QNetworkInformation, when a backend exists), or the machine woke from sleep (a periodic
//! timer that fired far too late by the wall clock).
class ConnectivityWatcher : public QObject
{
    Q_OBJECT
public:
    // checkIntervalMs <= 0 disables wake detection.
    explicit ConnectivityWatcher(int checkIntervalMs = 5000, int slackMs = 15000, bool watchNetwork = true,
                                 QObject *parent = nullptr);

    bool hasNetworkBackend() const { return m_networkBackend; }
    // Wall clock in ms; replaceable so tests can simulate a sleep.
    void setClock(std::function<qint64()> clock);

signals:
    void networkRestored();
    void networkLost();
    void wokeUp(qint64 lateByMs);

private:
    void tick();

    QTimer m_tickTimer;
    std::function<qint64()> m_clock;
    qint64 m_lastTick = 0;
    int m_interval = 0;
    int m_slack = 0;
    bool m_networkBackend = false;
    bool m_online = true;
};

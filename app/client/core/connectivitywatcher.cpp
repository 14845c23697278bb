// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectivitywatcher.h"

#include <QDateTime>
#include <QNetworkInformation>

ConnectivityWatcher::ConnectivityWatcher(int checkIntervalMs, int slackMs, bool watchNetwork, QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_interval(checkIntervalMs)
    , m_slack(qMax(1, slackMs))
{
    if (m_interval > 0) {
        m_tickTimer.setInterval(m_interval);
        connect(&m_tickTimer, &QTimer::timeout, this, &ConnectivityWatcher::tick);
        m_lastTick = m_clock();
        m_tickTimer.start();
    }

    // QNetworkInformation is optional: many systems (containers, minimal installs) have no backend.
    if (watchNetwork && !QNetworkInformation::availableBackends().isEmpty() &&
        (QNetworkInformation::instance() ||
         QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability))) {
        QNetworkInformation *info = QNetworkInformation::instance();
        m_networkBackend = info != nullptr;
        if (info) {
            m_online = info->reachability() == QNetworkInformation::Reachability::Online ||
                       info->reachability() == QNetworkInformation::Reachability::Unknown;
            connect(info, &QNetworkInformation::reachabilityChanged, this,
                    [this](QNetworkInformation::Reachability r) {
                        const bool online = r == QNetworkInformation::Reachability::Online;
                        if (online && !m_online)
                            emit networkRestored();
                        else if (!online && m_online && r != QNetworkInformation::Reachability::Unknown)
                            emit networkLost();
                        m_online = online || r == QNetworkInformation::Reachability::Unknown;
                    });
        }
    }
}

void ConnectivityWatcher::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    m_lastTick = m_clock();
}

void ConnectivityWatcher::tick()
{
    // The monotonic clock stops while the machine sleeps; the wall clock does not. A tick that
    // arrives far later than scheduled by the wall clock means we just woke up.
    const qint64 now = m_clock();
    const qint64 late = now - m_lastTick - m_interval;
    m_lastTick = now;
    if (late > m_slack)
        emit wokeUp(late);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencymonitor.h"

#include "sessionchannel.h"

#include <algorithm>
#include <cmath>

namespace {
// Pings that never got an answer are forgotten beyond this many.
constexpr int MaxPending = 64;

template<typename K>
void forgetOldest(QHash<K, qint64> &pending)
{
    while (pending.size() > MaxPending) {
        auto oldest = pending.begin();
        for (auto it = pending.begin(); it != pending.end(); ++it) {
            if (it.value() < oldest.value())
                oldest = it;
        }
        pending.erase(oldest);
    }
}
} // namespace

LatencyMonitor::LatencyMonitor(SessionChannel *channel, QObject *parent)
    : QObject(parent)
    , m_channel(channel)
{
    connect(channel, &SessionChannel::pongReceived, this, &LatencyMonitor::onPong);
    connect(channel, &SessionChannel::protocolPongReceived, this, &LatencyMonitor::onProtocolPong);
    m_clock.start();
    m_pingTimer.setInterval(m_interval);
    connect(&m_pingTimer, &QTimer::timeout, this, &LatencyMonitor::pingNow);
    m_deadlineTimer.setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &LatencyMonitor::checkDeadline);
}

void LatencyMonitor::setInterval(int ms)
{
    m_interval = qMax(1, ms);
    m_pingTimer.setInterval(m_interval);
}

void LatencyMonitor::setTimeout(int ms)
{
    m_timeout = qMax(1, ms);
    if (m_running)
        checkDeadline(); // a shorter timeout may have passed already; a longer one waits longer
}

void LatencyMonitor::setClock(std::function<qint64()> nowNs)
{
    m_now = std::move(nowNs);
}

qint64 LatencyMonitor::nowNs() const
{
    return m_now ? m_now() : m_clock.nsecsElapsed();
}

void LatencyMonitor::setSampleLimit(int n)
{
    m_sampleLimit = qMax(1, n);
    while (m_appSamples.size() > m_sampleLimit)
        m_appSamples.removeFirst();
    while (m_protoSamples.size() > m_sampleLimit)
        m_protoSamples.removeFirst();
}

void LatencyMonitor::start()
{
    stop();
    m_running = true;
    m_lastAppPongNs = nowNs();
    m_deadlineTimer.start(m_timeout);
    m_pingTimer.start();
    pingNow();
}

void LatencyMonitor::stop()
{
    m_running = false;
    m_pingTimer.stop();
    m_deadlineTimer.stop();
    m_appPending.clear();
    m_protoPending.clear();
}

void LatencyMonitor::pingNow()
{
    if (!m_running)
        return;
    const qint64 now = nowNs();
    if (const qint64 id = m_channel->sendPing()) {
        m_appPending.insert(id, now);
        forgetOldest(m_appPending);
    }
    const QByteArray payload = QByteArray::number(++m_protoCounter);
    if (m_channel->sendProtocolPing(payload)) {
        m_protoPending.insert(payload, now);
        forgetOldest(m_protoPending);
    }
}

void LatencyMonitor::onPong(qint64 pingId)
{
    if (!m_running)
        return;
    // Any pong on this channel proves the connection alive; only our own pings are samples.
    const qint64 now = nowNs();
    m_lastAppPongNs = now;
    m_deadlineTimer.start(m_timeout);
    const auto it = m_appPending.constFind(pingId);
    if (it == m_appPending.cend())
        return;
    const double rtt = double(now - it.value()) / 1e6;
    m_appPending.erase(it);
    addSample(Kind::App, rtt);
}

void LatencyMonitor::onProtocolPong(const QByteArray &payload)
{
    const auto it = m_protoPending.constFind(payload);
    if (it == m_protoPending.cend())
        return;
    const double rtt = double(nowNs() - it.value()) / 1e6;
    m_protoPending.erase(it);
    addSample(Kind::Protocol, rtt);
}

void LatencyMonitor::checkDeadline()
{
    if (!m_running)
        return;
    const qint64 silentMs = (nowNs() - m_lastAppPongNs) / 1000000;
    if (silentMs + 1 < m_timeout) {
        m_deadlineTimer.start(int(m_timeout - silentMs));
        return;
    }
    stop();
    emit connectionDead(silentMs);
}

void LatencyMonitor::addSample(Kind kind, double rttMs)
{
    QList<double> &list = kind == Kind::App ? m_appSamples : m_protoSamples;
    list.append(rttMs);
    if (list.size() > m_sampleLimit)
        list.removeFirst();
    emit sampleAdded(kind, rttMs);
}

QList<double> LatencyMonitor::samples(Kind kind) const
{
    return kind == Kind::App ? m_appSamples : m_protoSamples;
}

void LatencyMonitor::clearSamples()
{
    m_appSamples.clear();
    m_protoSamples.clear();
}

LatencyMonitor::Stats LatencyMonitor::stats(Kind kind) const
{
    return computeStats(samples(kind));
}

LatencyMonitor::Stats LatencyMonitor::computeStats(const QList<double> &samples)
{
    Stats s;
    s.count = int(samples.size());
    if (samples.isEmpty())
        return s;
    s.current = samples.last();
    double sum = 0;
    double diffs = 0;
    for (int i = 0; i < samples.size(); ++i) {
        sum += samples.at(i);
        if (i > 0)
            diffs += std::abs(samples.at(i) - samples.at(i - 1));
    }
    s.mean = sum / samples.size();
    s.jitter = samples.size() > 1 ? diffs / (samples.size() - 1) : 0.0;
    QList<double> sorted = samples;
    std::sort(sorted.begin(), sorted.end());
    s.min = sorted.first();
    // Nearest-rank percentile.
    const int rank = int(std::ceil(0.95 * sorted.size()));
    s.p95 = sorted.at(std::clamp(rank - 1, 0, int(sorted.size()) - 1));
    return s;
}

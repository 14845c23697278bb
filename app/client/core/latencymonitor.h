// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

class SessionChannel;

//! Measures round trips on one connection: an app-level `ping` at a fixed interval (its id from
//! the channel's ping id space, so no other ping's pong is ever taken for one of these), and a
//! WebSocket protocol ping whose pong is matched by payload. Keeps the last N samples of each and
//! declares the connection dead when no app pong came for too long.
class LatencyMonitor : public QObject
{
    Q_OBJECT
public:
    enum class Kind {
        App,      // `ping`/`pong` JSON messages: what the user's messages experience
        Protocol, // WebSocket ping/pong control frames
    };
    Q_ENUM(Kind)

    struct Stats
    {
        int count = 0;
        double current = 0; // ms, the latest sample
        double min = 0;
        double mean = 0;
        double p95 = 0;
        double jitter = 0; // mean absolute difference between consecutive samples
    };

    explicit LatencyMonitor(SessionChannel *channel, QObject *parent = nullptr);

    void setInterval(int ms);   // default 5000
    void setTimeout(int ms);    // default 35000: no app pong for this long = dead
    void setSampleLimit(int n); // default 120 per kind
    // Replaces the monotonic clock (nanoseconds) behind RTTs and the dead-connection deadline,
    // so tests can move time instead of waiting. The timers still run on real time.
    void setClock(std::function<qint64()> nowNs);
    int interval() const { return m_interval; }
    int timeout() const { return m_timeout; }

    // Starts pinging through the channel (its session open); stop() forgets what is in flight.
    void start();
    void stop();
    bool isRunning() const { return m_running; }

    // Sends both pings now (and keeps the regular schedule).
    void pingNow();

    Stats stats(Kind kind = Kind::App) const;
    QList<double> samples(Kind kind = Kind::App) const; // oldest first
    void clearSamples();

    static Stats computeStats(const QList<double> &samples);

signals:
    void sampleAdded(LatencyMonitor::Kind kind, double rttMs);
    void connectionDead(qint64 silentMs);

private:
    void addSample(Kind kind, double rttMs);
    void onPong(qint64 pingId);
    void onProtocolPong(const QByteArray &payload);
    void checkDeadline();
    qint64 nowNs() const;

    SessionChannel *m_channel;
    bool m_running = false;
    QTimer m_pingTimer;
    QTimer m_deadlineTimer;
    QElapsedTimer m_clock;                    // monotonic, for RTTs
    std::function<qint64()> m_now;            // overrides m_clock when set
    qint64 m_lastAppPongNs = 0;               // m_clock time of the last app pong (or start)
    QHash<qint64, qint64> m_appPending;       // ping id -> m_clock ns at send
    QHash<QByteArray, qint64> m_protoPending; // ping payload -> m_clock ns at send
    quint64 m_protoCounter = 0;
    int m_interval = 5000;
    int m_timeout = 35000;
    int m_sampleLimit = 120;
    QList<double> m_appSamples;
    QList<double> m_protoSamples;
};

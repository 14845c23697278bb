// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionpage.h"

#include "appsettings.h"
#include "chatclient.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {
constexpr int MaxSeconds = AppSettings::MaxNetworkSeconds;

int seconds(int ms)
{
    return qMax(1, (ms + 500) / 1000);
}
} // namespace

ConnectionPage::ConnectionPage(AppSettings *settings, ChatClient *client, QWidget *parent)
    : ConnectionPage(settings, client ? QList<ChatClient *>{client} : QList<ChatClient *>{}, parent)
{}

ConnectionPage::ConnectionPage(AppSettings *settings, const QList<ChatClient *> &clients, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_initialDelay(new QSpinBox)
    , m_maxDelay(new QSpinBox)
    , m_backoff(new QDoubleSpinBox)
    , m_pingInterval(new QSpinBox)
    , m_pongTimeout(new QSpinBox)
    , m_samples(new QSpinBox)
    , m_restore(new QPushButton(tr("Restore Defaults")))
{
    setObjectName(QStringLiteral("connectionPage"));
    for (ChatClient *c : clients)
        m_clients.append(c);
    for (QSpinBox *box : {m_initialDelay, m_maxDelay, m_pingInterval, m_pongTimeout}) {
        box->setRange(1, MaxSeconds);
        box->setSuffix(tr(" s"));
    }
    m_pongTimeout->setRange(2, 2 * MaxSeconds);
    m_initialDelay->setAccessibleName(tr("First wait before reconnecting"));
    m_maxDelay->setAccessibleName(tr("Longest wait before reconnecting"));
    m_backoff->setAccessibleName(tr("Wait growth per attempt"));
    m_backoff->setRange(1.0, 10.0);
    m_backoff->setDecimals(1);
    m_backoff->setSingleStep(0.5);
    m_backoff->setPrefix(QStringLiteral("× "));
    m_pingInterval->setAccessibleName(tr("Latency ping interval"));
    m_pongTimeout->setAccessibleName(tr("Connection lost after no answer for"));
    m_samples->setAccessibleName(tr("Latency samples kept"));
    m_samples->setRange(AppSettings::MinLatencySamples, AppSettings::MaxLatencySamples);
    m_restore->setAccessibleName(tr("Restore default connection settings"));

    const ChatClient::Settings current =
        clients.isEmpty() ? settings->clientSettings() : clients.first()->settings();
    m_initialDelay->setValue(seconds(current.initialDelayMs));
    m_maxDelay->setValue(seconds(current.maxDelayMs));
    m_backoff->setValue(current.backoffFactor);
    m_pingInterval->setValue(seconds(current.pingIntervalMs));
    m_pongTimeout->setValue(seconds(current.pongTimeoutMs));
    m_samples->setValue(current.latencySamples);
    keepConsistent();

    auto *explanation = new QLabel(tr("Most networks need none of this. Changes apply to the connection "
                                      "at once."));
    explanation->setWordWrap(true);
    auto *reconnect = new QGroupBox(tr("Reconnecting"));
    auto *reconnectForm = new QFormLayout(reconnect);
    reconnectForm->addRow(tr("&First wait:"), m_initialDelay);
    reconnectForm->addRow(tr("&Each further wait grows:"), m_backoff);
    reconnectForm->addRow(tr("&Longest wait:"), m_maxDelay);
    auto *latency = new QGroupBox(tr("Latency"));
    auto *latencyForm = new QFormLayout(latency);
    latencyForm->addRow(tr("&Ping every:"), m_pingInterval);
    latencyForm->addRow(tr("Connection &lost after no answer for:"), m_pongTimeout);
    latencyForm->addRow(tr("&Samples kept:"), m_samples);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addWidget(reconnect);
    layout->addWidget(latency);
    layout->addWidget(m_restore, 0, Qt::AlignLeft);
    layout->addStretch(1);

    for (QSpinBox *box : {m_initialDelay, m_maxDelay, m_pingInterval, m_pongTimeout, m_samples})
        connect(box, &QSpinBox::valueChanged, this, &ConnectionPage::apply);
    connect(m_backoff, &QDoubleSpinBox::valueChanged, this, &ConnectionPage::apply);
    connect(m_restore, &QPushButton::clicked, this, &ConnectionPage::restoreDefaults);
}

void ConnectionPage::restoreDefaults()
{
    const ChatClient::Settings defaults;
    // One change, applied once, rather than a step per box through inconsistent states.
    m_restoring = true;
    m_maxDelay->setMinimum(1);
    m_pongTimeout->setMinimum(2);
    m_initialDelay->setValue(seconds(defaults.initialDelayMs));
    m_maxDelay->setValue(seconds(defaults.maxDelayMs));
    m_backoff->setValue(defaults.backoffFactor);
    m_pingInterval->setValue(seconds(defaults.pingIntervalMs));
    m_pongTimeout->setValue(seconds(defaults.pongTimeoutMs));
    m_samples->setValue(defaults.latencySamples);
    m_restoring = false;
    apply();
}

void ConnectionPage::keepConsistent()
{
    // Raising a minimum moves the value with it (and that applies too).
    m_maxDelay->setMinimum(m_initialDelay->value());
    // Only pongs restart the deadline: allow for one late pong (AppSettings::bounded()).
    m_pongTimeout->setMinimum(2 * m_pingInterval->value());
}

void ConnectionPage::apply()
{
    if (m_restoring)
        return;
    keepConsistent();
    ChatClient::Settings s = m_settings->clientSettings();
    s.initialDelayMs = m_initialDelay->value() * 1000;
    s.maxDelayMs = m_maxDelay->value() * 1000;
    s.backoffFactor = m_backoff->value();
    s.pingIntervalMs = m_pingInterval->value() * 1000;
    s.pongTimeoutMs = m_pongTimeout->value() * 1000;
    s.latencySamples = m_samples->value();
    m_settings->setClientSettings(s);
    for (ChatClient *client : std::as_const(m_clients)) {
        if (client) {
            client->setReconnectSettings(s.initialDelayMs, s.maxDelayMs, s.backoffFactor);
            client->setLatencySettings(s.pingIntervalMs, s.pongTimeoutMs, s.latencySamples);
        }
    }
}

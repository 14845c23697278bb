// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionpanel.h"

#include "chatclient.h"
#include "latencygraph.h"
#include "latencymonitor.h"

#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

constexpr int MaxHistory = 50;

QString duration(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60)
        return ConnectionPanel::tr("%n s", nullptr, int(s));
    if (s < 3600)
        return ConnectionPanel::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return ConnectionPanel::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QLabel *valueLabel(const QString &accessibleName)
{
    auto *label = new QLabel;
    label->setAccessibleName(accessibleName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

ConnectionPanel::ConnectionPanel(ChatClient *client, QWidget *parent)
    : QDockWidget(tr("Connection"), parent)
    , m_client(client)
    , m_server(valueLabel(tr("Server address")))
    , m_software(valueLabel(tr("Server software")))
    , m_features(valueLabel(tr("Server features")))
    , m_state(valueLabel(tr("Connection state")))
    , m_uptime(valueLabel(tr("Connection uptime")))
    , m_pongs(valueLabel(tr("Pongs")))
    , m_hosted(valueLabel(tr("Hosted server address")))
    , m_stats(valueLabel(tr("Latency statistics")))
    , m_graph(new LatencyGraph(client->latency()))
    , m_history(new QListWidget)
    , m_reconnect(new QPushButton(tr("Reconnect Now")))
    , m_disconnect(new QPushButton(tr("Disconnect")))
{
    setObjectName(QStringLiteral("connectionDock"));
    setAccessibleName(tr("Connection details"));
    m_graph->setMinimumHeight(100);
    m_history->setAccessibleName(tr("Connection history"));
    m_history->setMaximumHeight(130);
    m_history->setWordWrap(true);
    m_history->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_reconnect->setAccessibleName(tr("Reconnect now"));
    m_disconnect->setAccessibleName(tr("Disconnect"));
    m_hosted->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);

    auto *form = new QFormLayout;
    form->addRow(tr("Server:"), m_server);
    form->addRow(tr("Software:"), m_software);
    form->addRow(tr("Features:"), m_features);
    form->addRow(tr("State:"), m_state);
    form->addRow(tr("Uptime:"), m_uptime);
    form->addRow(tr("Pongs:"), m_pongs);
    form->addRow(tr("Hosting:"), m_hosted);
    form->addRow(tr("Latency:"), m_stats);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_reconnect);
    buttons->addWidget(m_disconnect);
    buttons->addStretch();
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(form);
    layout->addWidget(m_graph, 1);
    layout->addWidget(new QLabel(tr("History:")));
    layout->addWidget(m_history);
    layout->addLayout(buttons);
    content->setMinimumWidth(320);
    setWidget(content);
    setHostedUrl({});

    connect(m_reconnect, &QPushButton::clicked, client, &ChatClient::reconnectNow);
    connect(m_disconnect, &QPushButton::clicked, client, &ChatClient::disconnectFromServer);
    connect(client, &ChatClient::connectedToServer, this, [this](const Protocol::Connected &info) {
        m_info = info;
        refresh();
    });
    connect(client, &ChatClient::stateChanged, this,
            [this](ChatClient::State state, const QString &reason) { onStateChanged(int(state), reason); });
    connect(client, &ChatClient::reconnectScheduled, this, [this](int attempt, qint64 delayMs) {
        addHistory(tr("Reconnect attempt %1 scheduled in %2").arg(attempt).arg(duration(delayMs + 999)));
    });
    connect(client->latency(), &LatencyMonitor::sampleAdded, this, [this](LatencyMonitor::Kind kind) {
        if (kind != LatencyMonitor::Kind::App)
            return;
        m_sinceSample.start();
        refresh();
    });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ConnectionPanel::refresh);
    m_tick.start();
    refresh();
}

void ConnectionPanel::setHostedUrl(const QUrl &url, const QUrl &lanUrl)
{
    if (url.isEmpty()) {
        m_hosted->setText(tr("Not hosting a server"));
    } else if (!lanUrl.isEmpty() && lanUrl != url) {
        m_hosted->setText(tr("%1 (others on your network: %2)").arg(url.toString(), lanUrl.toString()));
    } else {
        m_hosted->setText(url.toString());
    }
}

QStringList ConnectionPanel::history() const
{
    QStringList lines;
    for (int i = 0; i < m_history->count(); ++i)
        lines.append(m_history->item(i)->text());
    return lines;
}

void ConnectionPanel::addHistory(const QString &line)
{
    m_history->insertItem(0, QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
    while (m_history->count() > MaxHistory)
        delete m_history->takeItem(m_history->count() - 1);
}

void ConnectionPanel::onStateChanged(int state, const QString &reason)
{
    const auto s = ChatClient::State(state);
    if (s == ChatClient::State::Connected) {
        m_connectedFor.start();
        m_sinceSample.start();
    } else {
        m_connectedFor.invalidate();
    }
    QString line = ChatClient::stateName(s);
    if (!reason.isEmpty())
        line += QStringLiteral(": ") + reason;
    addHistory(line);
    refresh();
}

void ConnectionPanel::refresh()
{
    const bool connected = m_client->state() == ChatClient::State::Connected;
    const QUrl node = m_client->currentUrl();
    if (m_client->url().isEmpty())
        m_server->setText(tr("None"));
    else if (node != m_client->url()) // another address of the server is in use
        m_server->setText(tr("%1\nvia %2").arg(m_client->url().toString(), node.toString()));
    else
        m_server->setText(m_client->url().toString());
    if (!m_info.server.isEmpty())
        m_software->setText(tr("%1, protocol %2").arg(m_info.server).arg(m_info.protocol));
    else
        m_software->setText(m_info.clientId.isEmpty() ? tr("Unknown") : tr("Base server (no extensions)"));
    const QStringList features = m_client->serverFeatures();
    QString featureText;
    for (int i = 0; i < features.size(); ++i) // three to a line: the dock is narrow
        featureText += (i == 0       ? QString()
                        : i % 3 == 0 ? QStringLiteral(",\n")
                                     : QStringLiteral(", ")) +
                       features.at(i);
    m_features->setText(features.isEmpty() ? tr("None (base protocol)") : featureText);
    m_state->setText(ChatClient::stateName(m_client->state()));
    m_uptime->setText(connected && m_connectedFor.isValid() ? duration(m_connectedFor.elapsed())
                                                            : tr("Not connected"));

    const LatencyMonitor *latency = m_client->latency();
    if (connected && m_sinceSample.isValid()) {
        const qint64 silent = m_sinceSample.elapsed();
        const int missed =
            latency->interval() > 0 ? int(qMax<qint64>(0, silent / latency->interval() - 1)) : 0;
        m_pongs->setText(tr("last %1 ago, %n missed", nullptr, missed).arg(duration(silent)));
    } else {
        m_pongs->setText(tr("—"));
    }
    const LatencyMonitor::Stats s = latency->stats(LatencyMonitor::Kind::App);
    if (s.count == 0) {
        m_stats->setText(tr("No measurements yet"));
    } else {
        m_stats->setText(tr("current %1 ms · min %2 · mean %3\np95 %4 · jitter %5 ms")
                             .arg(s.current, 0, 'f', 1)
                             .arg(s.min, 0, 'f', 1)
                             .arg(s.mean, 0, 'f', 1)
                             .arg(s.p95, 0, 'f', 1)
                             .arg(s.jitter, 0, 'f', 1));
    }
    m_reconnect->setEnabled(m_client->state() != ChatClient::State::Connecting && !m_client->url().isEmpty());
    m_disconnect->setEnabled(m_client->state() != ChatClient::State::Disconnected);
}

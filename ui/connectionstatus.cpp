// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionstatus.h"

#include "chatclient.h"
#include "outbox.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include <cmath>

ConnectionStatus::ConnectionStatus(ChatClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_dot(new QLabel)
    , m_label(new QLabel)
    , m_degraded(new QLabel)
    , m_retry(new QPushButton)
{
    setAccessibleName(tr("Connection status"));
    m_label->setAccessibleName(tr("Connection state"));
    m_dot->setAccessibleName(tr("Connection indicator"));
    m_retry->setAccessibleName(tr("Retry connecting"));
    m_retry->setFlat(true);
    m_retry->setCursor(Qt::PointingHandCursor);
    m_label->setTextFormat(Qt::PlainText);
    m_degraded->setAccessibleName(tr("Server status"));
    m_degraded->setTextFormat(Qt::PlainText);
    m_degraded->setStyleSheet(QStringLiteral("color: #b36b00"));
    m_degraded->hide();
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot);
    layout->addWidget(m_label);
    layout->addWidget(m_retry);
    layout->addWidget(m_degraded);
    layout->addStretch();

    connect(m_retry, &QPushButton::clicked, this, [this] {
        // Reconnecting cannot help where only a password can.
        if (m_client->state() == ChatClient::State::LoginRequired)
            emit loginRequested();
        else
            m_client->reconnectNow();
    });
    connect(client, &ChatClient::stateChanged, this, &ConnectionStatus::refresh);
    connect(client, &ChatClient::reconnectScheduled, this, &ConnectionStatus::refresh);
    connect(client, &ChatClient::sessionRestored, this, &ConnectionStatus::refresh);
    connect(client, &ChatClient::serverStatusChanged, this, &ConnectionStatus::refresh);
    connect(client->outbox(), &Outbox::countChanged, this, &ConnectionStatus::refresh);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ConnectionStatus::refresh);
    refresh();
}

QString ConnectionStatus::text() const
{
    return m_label->text();
}

QString ConnectionStatus::degradedNotice() const
{
    return m_degraded->isHidden() ? QString() : m_degraded->text();
}

void ConnectionStatus::refresh()
{
    const int queued = m_client->outbox()->count();
    const QString host = m_client->currentUrl().authority(); // the node in use, of several
    QString text;
    QString color;
    QString button;
    switch (m_client->state()) {
    case ChatClient::State::Connected:
        color = QStringLiteral("#2e9d4f");
        text = m_client->isSessionReady() ? tr("Connected to %1").arg(host) : tr("Joining on %1…").arg(host);
        break;
    case ChatClient::State::Connecting:
        color = QStringLiteral("#d99a00");
        text = m_client->attempt() > 0
                   ? tr("Connecting to %1 (attempt %2)…").arg(host).arg(m_client->attempt())
                   : tr("Connecting to %1…").arg(host);
        break;
    case ChatClient::State::Authenticating:
        color = QStringLiteral("#d99a00");
        text = tr("Logging in to %1…").arg(host);
        break;
    case ChatClient::State::LoginRequired:
        color = QStringLiteral("#d03a2f");
        text = tr("Not logged in to %1").arg(host);
        button = tr("Log in");
        break;
    case ChatClient::State::Reconnecting: {
        color = QStringLiteral("#d99a00");
        const qint64 ms = m_client->nextAttemptIn();
        const int seconds = ms < 0 ? 0 : int(std::ceil(ms / 1000.0));
        text = tr("Reconnecting in %n s (attempt %1)", nullptr, seconds).arg(m_client->attempt());
        button = tr("Retry now");
        break;
    }
    case ChatClient::State::Closing:
        color = QStringLiteral("#8a8a8a");
        text = tr("Disconnecting…");
        break;
    case ChatClient::State::Disconnected:
        color = QStringLiteral("#8a8a8a");
        text = tr("Offline");
        button = tr("Connect");
        break;
    case ChatClient::State::GaveUp:
        color = QStringLiteral("#d03a2f");
        text = tr("Gave up reconnecting to %1").arg(host);
        button = tr("Retry");
        break;
    }
    if (queued > 0 && m_client->state() != ChatClient::State::Connected)
        text += QStringLiteral(" · ") + tr("%n message(s) queued", nullptr, queued);
    else if (queued > 0)
        text += QStringLiteral(" · ") + tr("sending %n message(s)", nullptr, queued);

    m_dot->setText(QStringLiteral("<span style=\"color:%1\">●</span>").arg(color));
    m_label->setText(text);
    m_retry->setText(button);
    m_retry->setAccessibleName(
        m_client->state() == ChatClient::State::LoginRequired ? tr("Log in") : tr("Retry connecting"));
    m_retry->setVisible(!button.isEmpty());
    // Only a connected server's word counts; a new connection starts out ok.
    const bool degraded = m_client->state() == ChatClient::State::Connected && m_client->isServerDegraded();
    const QString reason = m_client->serverStatusReason();
    m_degraded->setText(!degraded ? QString()
                        : reason.isEmpty()
                            ? tr("Server degraded — messages wait in the outbox")
                            : tr("Server degraded: %1 — messages wait in the outbox").arg(reason));
    m_degraded->setVisible(degraded);
    if (m_client->state() == ChatClient::State::Reconnecting) {
        if (!m_tick.isActive())
            m_tick.start();
    } else {
        m_tick.stop();
    }
}

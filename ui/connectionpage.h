// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class AppSettings;
class ChatClient;
class QDoubleSpinBox;
class QPushButton;
class QSpinBox;

//! Preferences → Connection (advanced): how the client waits between reconnect attempts and how
//! it measures latency. Changes apply at once: to the settings and to the running ChatClient.
class ConnectionPage : public QWidget
{
    Q_OBJECT
public:
    ConnectionPage(AppSettings *settings, ChatClient *client, QWidget *parent = nullptr);
    // Each server's: what is changed applies to all of them at once.
    ConnectionPage(AppSettings *settings, const QList<ChatClient *> &clients, QWidget *parent = nullptr);

    // Seconds, but for the factor and the number of samples.
    QSpinBox *initialDelay() const { return m_initialDelay; }
    QSpinBox *maxDelay() const { return m_maxDelay; }
    QDoubleSpinBox *backoffFactor() const { return m_backoff; }
    QSpinBox *pingInterval() const { return m_pingInterval; }
    QSpinBox *pongTimeout() const { return m_pongTimeout; }
    QSpinBox *latencySamples() const { return m_samples; }
    QPushButton *restoreButton() const { return m_restore; }

public slots:
    void restoreDefaults();

private:
    void keepConsistent(); // the longest wait is never below the first, a pong waits longer than a ping
    void apply();

    AppSettings *m_settings;
    QList<QPointer<ChatClient>> m_clients;
    QSpinBox *m_initialDelay;
    QSpinBox *m_maxDelay;
    QDoubleSpinBox *m_backoff;
    QSpinBox *m_pingInterval;
    QSpinBox *m_pongTimeout;
    QSpinBox *m_samples;
    QPushButton *m_restore;
    bool m_restoring = false;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTimer>
#include <QWidget>

class ChatClient;
class QLabel;
class QPushButton;

//! The status bar's connection part: connected; "Reconnecting in N s (attempt k)" with "Retry now"
//! (the countdown ticks every second); offline with the number of queued messages; gave up, with
//! "Retry"; not logged in, with "Log in" (loginRequested(): the window asks for the password).
//! While the server says it is degraded (it stores nothing new), a notice says that messages wait
//! in the outbox.
class ConnectionStatus : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionStatus(ChatClient *client, QWidget *parent = nullptr);

    QString text() const;
    // The degraded notice, or empty while the server is ok.
    QString degradedNotice() const;
    QPushButton *retryButton() const { return m_retry; }

public slots:
    void refresh();

signals:
    void loginRequested();

private:
    ChatClient *m_client;
    QLabel *m_dot;
    QLabel *m_label;
    QLabel *m_degraded;
    QPushButton *m_retry;
    QTimer m_tick;
};

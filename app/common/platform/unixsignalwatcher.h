// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

//! Turns SIGINT/SIGTERM (and any other signals asked for) into a Qt signal delivered in the
//! event loop, through a socket pair (the self-pipe trick), so shutdown code runs safely.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

    bool isValid() const { return m_notifier != nullptr; }

signals:
    void signalReceived(int signalNumber);

private:
    void readPending();

    QList<int> m_signals;
    QSocketNotifier *m_notifier = nullptr;
};

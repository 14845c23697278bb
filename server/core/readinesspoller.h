// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>

class QSocketNotifier;
class WsConnection;

//! Which of the server's connections can be read or written, from one epoll(7) set: the event
//! loop watches the epoll descriptor alone (one QSocketNotifier), however many clients there
//! are. Qt's own dispatcher polls every notifier on every pass, which at 10,000 idle clients cost
//! more per message than the message itself (docs/DESIGN.md, *Capacity*); epoll's cost is in
//! proportion to the connections that are ready. Level-triggered, like a QSocketNotifier, so a
//! connection that leaves input unread is told again on the next pass.
class ReadinessPoller : public QObject
{
    Q_OBJECT

public:
    explicit ReadinessPoller(QObject *parent = nullptr);
    ~ReadinessPoller() override;

    // False if epoll is not available (the connection then keeps its own notifier).
    bool watch(int fd, WsConnection *connection);
    // What the connection wants to hear about; a change costs one epoll_ctl.
    void setInterest(int fd, bool read, bool write);
    // Before the descriptor is closed.
    void forget(int fd);
    int watched() const { return int(m_connections.size()); }

private:
    struct Watch
    {
        WsConnection *connection;
        quint32 events;
    };
    bool ensureOpen();
    void onReady();

    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    QHash<int, Watch> m_connections; // by descriptor: a stale event finds nothing, or the new owner
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "readinesspoller.h"

#include "wsconnection.h"

#include <QSocketNotifier>

#include <array>

#include <sys/epoll.h>
#include <unistd.h>

namespace {
// Events taken per pass of the event loop; more stay ready for the next pass.
constexpr int MaxEventsPerPass = 256;
} // namespace

ReadinessPoller::ReadinessPoller(QObject *parent)
    : QObject(parent)
{}

ReadinessPoller::~ReadinessPoller()
{
    delete m_notifier;
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool ReadinessPoller::ensureOpen()
{
    if (m_epoll >= 0)
        return true;
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0)
        return false;
    // Made on first use, so it belongs to the thread the server runs in (it may have been moved).
    m_notifier = new QSocketNotifier(qintptr(m_epoll), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ReadinessPoller::onReady);
    return true;
}

bool ReadinessPoller::watch(int fd, WsConnection *connection)
{
    if (!ensureOpen())
        return false;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0)
        return false;
    m_connections.insert(fd, {connection, EPOLLIN});
    return true;
}

void ReadinessPoller::setInterest(int fd, bool read, bool write)
{
    const auto it = m_connections.find(fd);
    if (it == m_connections.end())
        return;
    const quint32 events = (read ? quint32(EPOLLIN) : 0u) | (write ? quint32(EPOLLOUT) : 0u);
    if (events == it->events)
        return;
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) == 0)
        it->events = events;
}

void ReadinessPoller::forget(int fd)
{
    if (m_connections.remove(fd))
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void ReadinessPoller::onReady()
{
    std::array<epoll_event, MaxEventsPerPass> events;
    const int n = ::epoll_wait(m_epoll, events.data(), int(events.size()), 0);
    for (int i = 0; i < n; ++i) {
        // Looked up now: an earlier event of this batch may have ended that connection (its
        // descriptor forgotten), and a new one may even have the same number (harmless: it is
        // asked to read and finds nothing, or what is really there).
        const auto it = m_connections.constFind(events[size_t(i)].data.fd);
        if (it == m_connections.cend())
            continue;
        WsConnection *connection = it->connection;
        const quint32 ready = events[size_t(i)].events;
        if (ready & (EPOLLOUT | EPOLLERR))
            connection->onWritable();
        if (!(ready & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            continue;
        const auto still = m_connections.constFind(events[size_t(i)].data.fd); // onWritable may end it
        if (still != m_connections.cend() && still->connection == connection)
            connection->onReadable();
    }
}

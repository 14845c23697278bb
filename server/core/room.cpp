// SPDX-License-Identifier: GPL-3.0-or-later
#include "room.h"

#include "serversession.h"

#include <QUuid>

Room::Room(const QString &name, int historyLimit)
    : m_name(name)
    , m_key(Protocol::nameKey(name))
    , m_epoch(QUuid::createUuid().toString(QUuid::Id128).left(16))
    , m_historyLimit(qMax(0, historyLimit))
{}

Room::Room(const QString &name, int historyLimit, const QString &epoch, qint64 lastSeq,
           const QList<Protocol::ChatMessage> &recent)
    : m_name(name)
    , m_key(Protocol::nameKey(name))
    , m_epoch(epoch)
    , m_historyLimit(qMax(0, historyLimit))
    , m_lastSeq(lastSeq)
    , m_reservedSeq(lastSeq)
{
    for (const Protocol::ChatMessage &m : recent.mid(qMax<qsizetype>(0, recent.size() - m_historyLimit)))
        hold(m);
}

QStringList Room::userNames() const
{
    QStringList names;
    names.reserve(m_members.size());
    for (const ServerSession *s : m_members)
        names.append(s->username());
    return names;
}

void Room::addMember(ServerSession *session)
{
    // Sessions leave before they join again, so no duplicate check (it would make joins O(n)).
    m_members.append(session);
}

void Room::removeMember(ServerSession *session)
{
    m_members.removeOne(session);
}

namespace {
qint64 sizeOf(const Protocol::ChatMessage &m)
{
    constexpr qint64 Overhead = 64; // the struct and the strings' headers
    return Overhead + qint64(sizeof(QChar)) * (m.user.size() + m.text.size() + m.id.size());
}
} // namespace

qint64 Room::append(Protocol::ChatMessage message)
{
    message.seq = reserveSeq();
    commit(std::move(message));
    return m_lastSeq;
}

void Room::commit(Protocol::ChatMessage message)
{
    m_lastSeq = message.seq;
    hold(std::move(message));
}

void Room::hold(Protocol::ChatMessage message)
{
    if (m_historyLimit <= 0)
        return;
    if (m_history.size() >= m_historyLimit)
        m_historyBytes -= sizeOf(m_history.takeFirst());
    m_historyBytes += sizeOf(message);
    m_history.append(std::move(message));
}

void Room::trimHistory(qint64 minTimestamp, qint64 maxCount)
{
    while (!m_history.isEmpty() &&
           (m_history.first().timestamp < minTimestamp || (maxCount > 0 && m_history.size() > maxCount)))
        m_historyBytes -= sizeOf(m_history.takeFirst());
}

void Room::broadcast(const QString &text, const ServerSession *except) const
{
    // A copy, because a send can fail synchronously and tear a member down mid-loop.
    const QList<ServerSession *> members = m_members;
    const QByteArray utf8 = text.toUtf8(); // once for the room, not once per member
    for (ServerSession *s : members) {
        if (s != except)
            s->sendUtf8(utf8);
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "room.h"

#include "serversession.h"

#include <QUuid>

#include <algorithm>

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
        hold(m, {}); // its author is in the store
}

QStringList Room::userNames() const
{
    QStringList names;
    names.reserve(userCount());
    for (const ServerSession *s : m_members)
        names.append(s->username());
    for (const QString &name : m_remote)
        names.append(name);
    return names;
}

bool Room::addRemote(const QString &session, const QString &name)
{
    const auto it = m_remote.constFind(session);
    if (it != m_remote.cend() && *it == name)
        return false;
    removeRemote(session); // under another name before
    m_remote.insert(session, name);
    m_remoteByName.insert(Protocol::nameKey(name), session);
    return true;
}

bool Room::removeRemote(const QString &session)
{
    const auto it = m_remote.constFind(session);
    if (it == m_remote.cend())
        return false;
    m_remoteByName.remove(Protocol::nameKey(*it), session);
    m_remote.erase(it);
    return true;
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
    qint64 chars = m.user.size() + m.text.size() + m.id.size();
    for (const Protocol::Reaction &r : m.reactions) {
        chars += r.emoji.size();
        for (const QString &user : r.users)
            chars += user.size() + 8;
    }
    for (const QString &name : m.mentions)
        chars += name.size() + 8;
    return Overhead + qint64(sizeof(QChar)) * chars;
}
} // namespace

qint64 Room::append(Protocol::ChatMessage message, const QString &author)
{
    message.seq = reserveSeq();
    commit(std::move(message), author);
    return m_lastSeq;
}

void Room::commit(Protocol::ChatMessage message, const QString &author)
{
    m_lastSeq = message.seq;
    hold(std::move(message), author);
}

void Room::afterDelivered(qint64 seq, std::function<void()> then)
{
    if (seq <= m_lastSeq) {
        then();
        return;
    }
    m_afterDelivered.emplace(seq, std::move(then));
}

void Room::deliveredUpTo(qint64 seq)
{
    while (!m_afterDelivered.empty() && m_afterDelivered.begin()->first <= seq) {
        auto then = std::move(m_afterDelivered.begin()->second);
        m_afterDelivered.erase(m_afterDelivered.begin());
        then();
    }
}

void Room::hold(Protocol::ChatMessage message, const QString &author)
{
    if (m_historyLimit <= 0)
        return;
    if (m_history.size() >= m_historyLimit) {
        m_historyBytes -= sizeOf(m_history.takeFirst());
        m_authors.removeFirst();
    }
    m_historyBytes += sizeOf(message);
    m_history.append(std::move(message));
    m_authors.append(author);
}

const Protocol::ChatMessage *Room::held(qint64 seq) const
{
    if (m_history.isEmpty())
        return nullptr;
    Q_ASSERT(m_authors.size() == m_history.size());
    // Usually contiguous, so the offset finds it; a gap (a number the store refused) falls back
    // to a search, and a wrong guess is never returned.
    const qint64 index = seq - m_history.constFirst().seq;
    if (index >= 0 && index < m_history.size() && m_history.at(index).seq == seq)
        return &m_history.at(index);
    const auto it = std::lower_bound(m_history.cbegin(), m_history.cend(), seq,
                                     [](const Protocol::ChatMessage &m, qint64 s) { return m.seq < s; });
    return it != m_history.cend() && it->seq == seq ? &*it : nullptr;
}

QString Room::heldAuthor(qint64 seq) const
{
    const Protocol::ChatMessage *m = held(seq);
    return m ? m_authors.at(m - m_history.constData()) : QString();
}

const Room::Change *Room::pendingChange(qint64 seq) const
{
    const auto it = m_changes.constFind(seq);
    return it == m_changes.constEnd() ? nullptr : &it.value();
}

void Room::beginChange(const Protocol::ChatMessage &message, const QString &author, qint64 version,
                       const QByteArray &revision)
{
    Change &change = m_changes[message.seq];
    change.message = message;
    change.author = author;
    change.version = version;
    change.revision = revision;
    ++change.writes;
}

void Room::endChange(qint64 seq)
{
    const auto it = m_changes.find(seq);
    if (it != m_changes.end() && --it->writes <= 0)
        m_changes.erase(it);
}

void Room::applyChange(const Protocol::ChatMessage &message)
{
    const Protocol::ChatMessage *m = held(message.seq);
    if (!m)
        return;
    const qsizetype index = m - m_history.constData();
    m_historyBytes += sizeOf(message) - sizeOf(m_history.at(index));
    m_history[index] = message;
}

void Room::trimHistory(qint64 minTimestamp, qint64 maxCount)
{
    while (!m_history.isEmpty() &&
           (m_history.first().timestamp < minTimestamp || (maxCount > 0 && m_history.size() > maxCount))) {
        m_historyBytes -= sizeOf(m_history.takeFirst());
        m_authors.removeFirst();
    }
}

QStringList Room::mentionsIn(const QString &text, int max) const
{
    QStringList found;
    if (!text.contains(QLatin1Char('@')) || max <= 0)
        return found;
    QHash<QString, QString> names; // key -> name, for the members at this moment
    qsizetype longest = 0;
    for (const ServerSession *s : m_members) {
        names.insert(s->usernameKey(), s->username());
        longest = qMax(longest, s->username().size());
    }
    // A candidate is at most as long as the longest member's name, plus room for another normal
    // form or case of it (NFKC and case folding change lengths a little), and never more than
    // a name's 32 code points. The characters looked up per message are capped, so a text of
    // `@` and punctuation costs a bounded amount of normalising, however it is built.
    constexpr qsizetype MaxUnits = 64;
    const qsizetype maxUnits = qMin(MaxUnits, longest + 8);
    constexpr int MaxAts = 100;
    constexpr qsizetype MaxUnitsLookedUp = 4096;
    qsizetype lookedUp = 0;
    int ats = 0;
    for (qsizetype at = text.indexOf(QLatin1Char('@')); at >= 0 && found.size() < max && ats < MaxAts;
         at = text.indexOf(QLatin1Char('@'), at + 1), ++ats) {
        const qsizetype start = at + 1;
        const qsizetype last = qMin<qsizetype>(text.size(), start + maxUnits);
        for (qsizetype end = last; end > start; --end) {
            // Ends at the text's end, or before a character that cannot continue the name.
            if (end < text.size()) {
                const QChar next = text.at(end);
                if (!next.isSpace() && !next.isPunct())
                    continue;
            }
            lookedUp += end - start;
            if (lookedUp > MaxUnitsLookedUp)
                return found;
            const auto it =
                names.constFind(Protocol::nameKey(QStringView(text).mid(start, end - start).toString()));
            if (it == names.constEnd())
                continue;
            if (!found.contains(it.value()))
                found.append(it.value());
            break;
        }
    }
    return found;
}

void Room::broadcast(const QByteArray &utf8, const ServerSession *except) const
{
    // A copy, because a send can fail synchronously and tear a member down mid-loop.
    const QList<ServerSession *> members = m_members;
    for (ServerSession *s : members) {
        if (s != except)
            s->sendUtf8(utf8);
    }
}

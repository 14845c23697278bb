// SPDX-License-Identifier: GPL-3.0-or-later
#include "outbox.h"

#include "enumname.h"
#include "jsontree.h"
#include "protocol.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUuid>

#include <algorithm>

namespace {
constexpr int FileVersion = 1;

qint64 textBytes(const QString &text)
{
    return text.toUtf8().size();
}
} // namespace

Outbox::Outbox(QObject *parent)
    : QObject(parent)
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(250);
    connect(&m_saveTimer, &QTimer::timeout, this, &Outbox::saveNow);
}

Outbox::~Outbox()
{
    if (m_dirty)
        saveNow();
}

void Outbox::setLimits(int maxMessages, qint64 maxBytes)
{
    m_maxMessages = qMax(1, maxMessages);
    m_maxBytes = qMax<qint64>(1, maxBytes);
}

void Outbox::setSaveDelay(int ms)
{
    m_saveTimer.setInterval(qMax(0, ms));
}

void Outbox::setPath(const QString &path)
{
    if (path == m_path)
        return;
    if (m_dirty)
        saveNow();
    if (!m_path.isEmpty()) {
        // Those entries belong to the previous file (another user or server): they stay there.
        const QList<Entry> old = std::exchange(m_entries, {});
        m_bytes = 0;
        for (const Entry &e : old)
            emit entryRemoved(e.id);
        if (!old.isEmpty())
            emit countChanged(0);
    }
    m_lock.reset();
    m_path.clear();
    if (path.isEmpty())
        return;

    QDir().mkpath(QFileInfo(path).absolutePath());
    auto lock = std::make_unique<QLockFile>(path + QStringLiteral(".lock"));
    lock->setStaleLockTime(0); // only a dead owner makes a lock stale, never its age
    if (!lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        if (lock->error() == QLockFile::LockFailedError && lock->getLockInfo(&pid, &host, &app)) {
            emit warning(tr("The outbox %1 is in use by another process (%2, pid %3); this session keeps "
                            "its messages in memory only")
                             .arg(path, app)
                             .arg(pid));
        } else {
            emit warning(tr("Cannot use the outbox %1 (no write access to its directory); this session "
                            "keeps its messages in memory only")
                             .arg(path));
        }
        return;
    }
    m_lock = std::move(lock);
    m_path = path;
    load();
}

void Outbox::load()
{
    if (m_path.isEmpty())
        return;
    QFile file(m_path);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        emit warning(tr("Cannot read the outbox %1: %2").arg(m_path, file.errorString()));
        return;
    }
    const QByteArray data = file.readAll();
    file.close();

    // JsonTree, as for every message: one grammar and one rule on repeated names everywhere.
    const QString text = QString::fromUtf8(data);
    JsonTree tree;
    QString problem;
    QList<Entry> loaded;
    const int entries = tree.parse(text) ? tree.member(tree.root(), QLatin1String("entries")) : -1;
    if (!tree.error().isEmpty()) {
        problem = tr("%1 at offset %2").arg(tree.error()).arg(tree.errorOffset());
    } else if (entries < 0 || tree.node(entries).kind() != JsonTree::Kind::Array) {
        problem = tr("no \"entries\" array");
    } else {
        for (int o = tree.node(entries).child(); o >= 0; o = tree.node(o).next()) {
            auto string = [&tree, o](const char *key) {
                const int m = tree.member(o, QLatin1String(key));
                return m >= 0 && tree.node(m).kind() == JsonTree::Kind::String ? tree.string(m) : QString();
            };
            auto number = [&tree, o](const char *key) {
                const int m = tree.member(o, QLatin1String(key));
                return m >= 0 ? qint64(tree.node(m).number()) : 0;
            };
            Entry e;
            e.id = string("id");
            e.room = string("room");
            e.text = string("text");
            e.createdAt = number("createdAt");
            e.replyTo = qMax<qint64>(0, number("replyTo"));
            e.firstSentAt = number("firstSentAt");
            e.error = string("error");
            // Sent entries were never acknowledged: they go out again (the server deduplicates).
            e.state = string("state") == EnumName::of(DeliveryState::Failed) ? DeliveryState::Failed
                                                                             : DeliveryState::Queued;
            if (e.id.isEmpty() || e.room.isEmpty() || e.text.isEmpty()) {
                problem = tr("an entry lacks its id, room or text");
                break;
            }
            loaded.append(e);
        }
    }

    if (!problem.isEmpty()) {
        const QString backup = m_path + QStringLiteral(".corrupt-") +
                               QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss"));
        QFile::remove(backup);
        const bool kept = QFile::copy(m_path, backup);
        emit warning(
            kept ? tr("The outbox %1 is corrupt (%2); it was moved to %3 and the outbox starts empty")
                       .arg(m_path, problem, backup)
                 : tr("The outbox %1 is corrupt (%2) and could not be backed up").arg(m_path, problem));
        if (kept)
            QFile::remove(m_path);
        return;
    }

    // Entries already in memory (added before the path was known) stay after the persisted ones.
    QList<Entry> merged = loaded;
    for (const Entry &e : std::as_const(m_entries)) {
        const bool inFile =
            std::any_of(loaded.cbegin(), loaded.cend(), [&](const Entry &l) { return l.id == e.id; });
        if (!inFile)
            merged.append(e);
    }
    m_entries = merged;
    m_bytes = 0;
    for (const Entry &e : std::as_const(m_entries))
        m_bytes += textBytes(e.text);
    for (const Entry &e : std::as_const(loaded))
        emit entryAdded(e);
    if (!loaded.isEmpty())
        emit countChanged(count());
}

bool Outbox::saveNow()
{
    m_saveTimer.stop();
    if (m_path.isEmpty()) {
        m_dirty = false;
        return true;
    }
    QJsonArray array;
    for (const Entry &e : std::as_const(m_entries)) {
        QJsonObject o{{QLatin1String("id"), e.id},
                      {QLatin1String("room"), e.room},
                      {QLatin1String("text"), e.text},
                      {QLatin1String("createdAt"), double(e.createdAt)},
                      {QLatin1String("state"),
                       EnumName::of(e.state == DeliveryState::Failed ? e.state : DeliveryState::Queued)}};
        if (!e.error.isEmpty())
            o.insert(QLatin1String("error"), e.error);
        if (e.firstSentAt != 0)
            o.insert(QLatin1String("firstSentAt"), double(e.firstSentAt));
        if (e.replyTo > 0)
            o.insert(QLatin1String("replyTo"), double(e.replyTo));
        array.append(o);
    }
    const QJsonObject root{{QLatin1String("version"), FileVersion}, {QLatin1String("entries"), array}};

    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    // Unsent messages are private: readable by their owner only, whatever the umask.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(QJsonDocument(root).toJson(QJsonDocument::Compact)) < 0 || !file.commit()) {
        emit warning(tr("Cannot write the outbox %1: %2").arg(m_path, file.errorString()));
        return false;
    }
    m_dirty = false;
    emit saved(count());
    return true;
}

void Outbox::scheduleSave()
{
    m_dirty = true;
    if (m_saveTimer.interval() == 0)
        saveNow();
    else if (!m_saveTimer.isActive())
        m_saveTimer.start();
}

QString Outbox::add(const QString &room, const QString &text, QString *error, qint64 replyTo)
{
    const qint64 size = textBytes(text);
    QString refusal;
    if (count() >= m_maxMessages)
        refusal = tr("The outbox is full (%1 messages waiting); message not accepted").arg(count());
    else if (m_bytes + size > m_maxBytes)
        refusal = tr("The outbox is full (%1 bytes waiting, limit %2); message not accepted")
                      .arg(m_bytes)
                      .arg(m_maxBytes);
    if (!refusal.isEmpty()) {
        if (error)
            *error = refusal;
        return {};
    }
    Entry e;
    e.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    e.room = room;
    e.text = text;
    e.replyTo = qMax<qint64>(0, replyTo);
    e.createdAt = QDateTime::currentMSecsSinceEpoch();
    m_entries.append(e);
    m_bytes += size;
    scheduleSave();
    emit entryAdded(e);
    emit countChanged(count());
    return e.id;
}

int Outbox::indexOf(const QString &id) const
{
    // Acks arrive in sending order, so the entry is nearly always at the front.
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).id == id)
            return i;
    }
    return -1;
}

const Outbox::Entry *Outbox::find(const QString &id) const
{
    const int i = indexOf(id);
    return i < 0 ? nullptr : &m_entries.at(i);
}

int Outbox::countInState(DeliveryState state) const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [state](const Entry &e) { return e.state == state; }));
}

void Outbox::setState(int index, DeliveryState state, const QString &error)
{
    Entry &e = m_entries[index];
    if (e.state == state && e.error == error)
        return;
    const bool persisted = (e.state == DeliveryState::Failed) != (state == DeliveryState::Failed);
    e.state = state;
    e.error = error;
    if (persisted)
        scheduleSave();
    emit deliveryStateChanged(e.id, state);
}

void Outbox::removeAt(int index)
{
    const QString id = m_entries.at(index).id;
    m_bytes -= textBytes(m_entries.at(index).text);
    m_entries.removeAt(index);
    scheduleSave();
    emit entryRemoved(id);
    emit countChanged(count());
}

int Outbox::sendQueued(const QString &room, const std::function<bool(const Entry &)> &send)
{
    int sent = 0;
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry &e = m_entries.at(i);
        // Entries written before the server told us its spelling of the room still belong to it.
        if (e.state != DeliveryState::Queued || !Protocol::sameName(e.room, room))
            continue;
        if (!send(e))
            break;
        if (m_entries.at(i).firstSentAt == 0) {
            m_entries[i].firstSentAt = QDateTime::currentMSecsSinceEpoch();
            scheduleSave();
        }
        setState(i, DeliveryState::Sent);
        ++sent;
    }
    return sent;
}

void Outbox::markSent(const QString &id)
{
    const int i = indexOf(id);
    if (i >= 0)
        setState(i, DeliveryState::Sent);
}

void Outbox::acknowledge(const QString &id, qint64 seq, qint64 timestamp)
{
    const int i = indexOf(id);
    if (i < 0)
        return;
    m_entries[i].state = DeliveryState::Acknowledged;
    m_entries[i].seq = seq;
    m_entries[i].acknowledgedAt = timestamp;
    emit deliveryStateChanged(id, DeliveryState::Acknowledged);
    // A slot may have changed the list meanwhile.
    const int j = indexOf(id);
    if (j >= 0)
        removeAt(j);
}

void Outbox::markWritten(const QString &id)
{
    const int i = indexOf(id);
    if (i >= 0 && m_entries.at(i).state == DeliveryState::Sent)
        removeAt(i);
}

void Outbox::markFailed(const QString &id, const QString &reason)
{
    const int i = indexOf(id);
    if (i >= 0)
        setState(i, DeliveryState::Failed, reason);
}

void Outbox::requeueSent()
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).state == DeliveryState::Sent)
            setState(i, DeliveryState::Queued);
    }
}

void Outbox::failPending(const QString &reason)
{
    for (int i = 0; i < m_entries.size(); ++i) {
        const DeliveryState s = m_entries.at(i).state;
        if (s == DeliveryState::Queued || s == DeliveryState::Sent)
            setState(i, DeliveryState::Failed, reason);
    }
}

int Outbox::failUnconfirmed(qint64 windowMs, const QString &reason)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    int n = 0;
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry &e = m_entries.at(i);
        const qint64 age = now - e.firstSentAt;
        if (e.state == DeliveryState::Queued && e.firstSentAt != 0 && (age >= windowMs || age < 0)) {
            setState(i, DeliveryState::Failed, reason);
            ++n;
        }
    }
    return n;
}

bool Outbox::retry(const QString &id)
{
    const int i = indexOf(id);
    if (i < 0 || m_entries.at(i).state != DeliveryState::Failed)
        return false;
    m_entries[i].firstSentAt = 0; // a new first send, as far as the window is concerned
    scheduleSave();
    setState(i, DeliveryState::Queued);
    return true;
}

int Outbox::retryAll()
{
    int n = 0;
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).state == DeliveryState::Failed) {
            setState(i, DeliveryState::Queued);
            ++n;
        }
    }
    return n;
}

bool Outbox::discard(const QString &id)
{
    const int i = indexOf(id);
    if (i < 0 || m_entries.at(i).state == DeliveryState::Sent)
        return false;
    removeAt(i);
    return true;
}

void Outbox::clear()
{
    if (m_entries.isEmpty())
        return;
    const QList<Entry> old = m_entries;
    m_entries.clear();
    m_bytes = 0;
    scheduleSave();
    for (const Entry &e : old)
        emit entryRemoved(e.id);
    emit countChanged(0);
}

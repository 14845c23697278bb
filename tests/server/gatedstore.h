// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlitemessagestore.h"

#include <QSemaphore>

#include <atomic>
#include <memory>

// A real SqliteMessageStore whose writer's handle waits at a gate the test opens, and fails on
// demand as a full disk would: so batches pile up behind a write that then fails.
//! For tests: the writer's side waits at `gate` (one permit per write) and fails the next
//! `failures` writes, so a test decides when batches are written and which fail.
class GatedStore : public MessageStore
{
public:
    explicit GatedStore(const QString &dir)
        : m_real(dir)
    {}
    bool open() { return m_real.open(); }

    std::unique_ptr<MessageStore> openAnother() const override
    {
        return std::make_unique<Writer>(*this, m_real.openAnother());
    }
    std::optional<RoomRecord> room(const QString &key) override { return m_real.room(key); }
    bool write(const QList<Entry> &entries) override { return m_real.write(entries); }
    std::optional<Stored> message(const QString &key, qint64 seq) override
    {
        return m_real.message(key, seq);
    }
    QList<Protocol::ChatMessage> after(const QString &key, qint64 since, int limit) override
    {
        return m_real.after(key, since, limit);
    }
    QList<Protocol::ChatMessage> before(const QString &key, qint64 before, int limit) override
    {
        return m_real.before(key, before, limit);
    }
    int prune(const Retention &retention, qint64 nowMs, int limit) override
    {
        return m_real.prune(retention, nowMs, limit);
    }
    QList<IdRecord> recentIds(qint64 sinceMs, int limit) override { return m_real.recentIds(sinceMs, limit); }
    QString errorString() const override { return m_real.errorString(); }

    mutable QSemaphore gate;             // one permit per write
    mutable std::atomic<int> entered{0}; // writes begun
    mutable std::atomic<int> written{0}; // writes that reached the file
    mutable std::atomic<bool> lastFailed{false};
    mutable std::atomic<int> failures{0}; // the next writes that fail

private:
    class Writer : public MessageStore
    {
    public:
        Writer(const GatedStore &owner, std::unique_ptr<MessageStore> real)
            : m_owner(owner)
            , m_real(std::move(real))
        {}
        std::unique_ptr<MessageStore> openAnother() const override { return nullptr; }
        std::optional<RoomRecord> room(const QString &) override { return std::nullopt; }
        bool write(const QList<Entry> &entries) override
        {
            ++m_owner.entered;
            m_owner.gate.acquire();
            if (m_owner.failures > 0) {
                --m_owner.failures;
                m_owner.lastFailed = true;
                return false;
            }
            m_owner.lastFailed = false;
            ++m_owner.written;
            return m_real->write(entries);
        }
        std::optional<Stored> message(const QString &, qint64) override { return std::nullopt; }
        QList<Protocol::ChatMessage> after(const QString &, qint64, int) override { return {}; }
        QList<Protocol::ChatMessage> before(const QString &, qint64, int) override { return {}; }
        int prune(const Retention &, qint64, int) override { return 0; }
        QList<IdRecord> recentIds(qint64, int) override { return {}; }
        QString errorString() const override
        {
            return m_owner.lastFailed ? QStringLiteral("disk full (test)") : m_real->errorString();
        }

    private:
        const GatedStore &m_owner;
        std::unique_ptr<MessageStore> m_real;
    };

    SqliteMessageStore m_real;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

#include <functional>

class QHostAddress;

//! Slows down password guessing: after a few failed logins, the next attempt for the same account,
//! or from the same address, must wait a delay that doubles with each further failure, up to a
//! cap. Per account, so a distributed attack on one name is slowed; per address, so one machine
//! trying many names is. IPv6 addresses count per /64, which is what one machine usually holds.
//! A success clears the account's count; an address's count only expires, so an attacker who owns
//! one account cannot log into it to wash the address clean. Memory is bounded: past the cap,
//! expired entries go first, then the ones whose last failure is oldest.
class LoginThrottle
{
public:
    struct Settings
    {
        int freeAccountFailures = 3;  // failures in a row an account gets without a delay
        int freeAddressFailures = 10; // more for an address: people behind one NAT share it
        qint64 baseDelayMs = 1000;    // the first delay; each further failure doubles it
        qint64 maxDelayMs = 5 * 60 * 1000;
        qint64 forgetAfterMs = 60 * 60 * 1000; // an entry this long without a failure is forgotten
        int maxTracked = 100000;               // accounts and addresses each (about 100 bytes per entry)
    };
    using Clock = std::function<qint64()>; // monotonic milliseconds

    LoginThrottle();
    // `clock` empty: a monotonic clock started here.
    explicit LoginThrottle(const Settings &settings, Clock clock = {});

    // Milliseconds until an attempt for `accountKey` from `address` may be judged; 0: now.
    // `accountKey` is the name's key (UserStore::nameKey), known account or not, so the delay
    // tells nothing about which names exist.
    qint64 delayFor(const QString &accountKey, const QHostAddress &address) const;
    void failed(const QString &accountKey, const QHostAddress &address);
    void succeeded(const QString &accountKey, const QHostAddress &address);

    int trackedAccounts() const { return int(m_accounts.size()); }
    int trackedAddresses() const { return int(m_addresses.size()); }

    // What an address counts as: itself for IPv4 (also IPv4-mapped IPv6), its /64 for IPv6.
    static QString addressKey(const QHostAddress &address);

private:
    struct Entry
    {
        int failures = 0;
        qint64 lastFailureMs = 0;
    };
    using Table = QHash<QString, Entry>;

    qint64 now() const;
    qint64 waitFor(const Table &table, const QString &key, int freeFailures, qint64 now) const;
    void addFailure(Table &table, const QString &key, qint64 now);
    void makeRoom(Table &table, qint64 now);

    Settings m_settings;
    Clock m_clock;
    Table m_accounts;
    Table m_addresses;
};

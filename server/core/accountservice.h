// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "authenticator.h"
#include "loginthrottle.h"
#include "passwordhasher.h"
#include "userdatabase.h"

#include <QHash>
#include <QObject>

#include <memory>

//! Accounts mode's logins: the login path from a session's `auth` through LoginThrottle, the
//! PasswordHasher (off the event loop) and the UserDatabase (UserStore, or RedisUserStore in a
//! cluster), and back to the session. Lives on the server's thread, which owns the database's
//! connection. While the database cannot be reached, logins are refused as busy (retryAfterMs)
//! and no session is ended for it.
class AccountService : public QObject, public Authenticator
{
    Q_OBJECT

public:
    struct Settings
    {
        QString dataDir;
        bool registrationOpen = false;
        int iterations = PasswordRecord::DefaultIterations;
        // Password derivations queued or running server-wide; beyond it `auth` is refused with
        // retryAfterMs, so a flood queues no more than this much work (64 × 0.12 s of one core).
        int maxPendingChecks = 64;
        qint64 busyRetryMs = 1000;
        int hasherThreads = 1;
        LoginThrottle::Settings throttle{};
        LoginThrottle::Clock throttleClock{}; // tests drive the delays with it
        qint64 tokenLifetimeMs = UserDatabase::Options{}.tokenLifetimeMs;
        std::function<qint64()> wallClock{}; // ms since the epoch, for token expiry; empty: the system's
        // Makes the user database from the options above; empty: UserStore in dataDir.
        std::function<std::unique_ptr<UserDatabase>(const UserDatabase::Options &)> database{};
    };

    explicit AccountService(const Settings &settings, QObject *parent = nullptr);
    ~AccountService() override;

    // Opens the user database; false with errorString() when it cannot be used.
    bool open();
    QString errorString() const { return m_store->errorString(); }

    bool registrationOpen() const override { return m_settings.registrationOpen; }
    void authenticate(const Protocol::Auth &auth, const QHostAddress &peer, QObject *receiver,
                      Done done) override;
    std::optional<Outcome> resume(const QString &token) override;
    void logout(const QString &token) override;
    QStringList revoked(const QStringList &tokens) override;

    // Password derivations started (checks and new records): what a flood made the server do.
    int derivationsStarted() const { return m_derivations; }
    int pendingDerivations() const { return m_hasher.pending(); }

private:
    void login(const Protocol::Auth &auth, const QHostAddress &peer, QObject *receiver, Done done);
    void registerAccount(const Protocol::Auth &auth, const QHostAddress &peer, QObject *receiver, Done done);
    Outcome loggedIn(const UserDatabase::Account &account);
    Outcome failed(qint64 retryAfterMs = 0) const;
    Outcome busy() const; // Failed, with busyRetryMs: the server cannot check a password now

    Settings m_settings;
    std::unique_ptr<UserDatabase> m_store;
    LoginThrottle m_throttle;
    PasswordHasher m_hasher; // last: its destructor waits for running derivations
    qint64 m_dataVersion = -1;
    QHash<QString, qint64> m_expiries; // live sessions' tokens, looked up since the last data change
    int m_derivations = 0;
};

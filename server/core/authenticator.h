// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QStringList>

#include <functional>
#include <optional>

class QHostAddress;
class QObject;

//! What the chat core asks of accounts mode (PROTOCOL.md 2, *Identity*), so that the core links
//! neither Qt SQL nor libcrypto: AccountService (natter_server_accounts) is the implementation,
//! handed to ChatServer::setAuthenticator() by whoever runs a server in accounts mode.
class Authenticator
{
public:
    struct Outcome
    {
        enum class Kind {
            LoggedIn,
            Failed,             // authFailed: one answer for every reason, maybe with retryAfterMs
            RegistrationClosed, // registrationClosed
            NameTaken,          // nameTaken: registering a name that has an account
            InvalidName,        // invalidName: registering a name that is not one
            BadPassword,        // badField: registering an empty or over-long password
        };
        Kind kind = Kind::Failed;
        qint64 accountId = 0;
        QString username; // the account's name as stored
        QString token;
        qint64 expiresAt = 0;
        qint64 retryAfterMs = 0;
        bool busy = false; // Failed because the server cannot take the check now, not the login
    };
    using Done = std::function<void(const Outcome &)>;

    virtual ~Authenticator() = default;

    virtual bool registrationOpen() const = 0;
    // Judges `auth` off the event loop where a password is involved; `done` runs later on
    // `receiver`'s thread, and never once `receiver` is gone. A token is judged at once.
    virtual void authenticate(const Protocol::Auth &auth, const QHostAddress &peer, QObject *receiver,
                              Done done) = 0;
    // A token's account, at once (one indexed lookup): for the upgrade request. Failed and busy
    // when the user database cannot be reached now; nullopt when the token is no live one.
    virtual std::optional<Outcome> resume(const QString &token) = 0;
    virtual void logout(const QString &token) = 0;
    // Those of `tokens` that are no longer live (revoked by an operator, expired). Cheap when the
    // user database has not changed since the last call.
    virtual QStringList revoked(const QStringList &tokens) = 0;
};

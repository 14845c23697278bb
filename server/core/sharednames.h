// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

//! The shared half of NameRegistry (PROTOCOL.md 2, *Scale-out*): with several nodes, a held name
//! is held across all of them. Implemented over Redis by ClusterBus; null when the server runs
//! alone. Names are given by Protocol::nameKey, sessions by ServerSession::id() (this node's),
//! tokens by their SHA-256 in hex, never in clear.
class SharedNames
{
public:
    enum class Claim {
        Held,        // the name is this session's now (taken over if another held it)
        Taken,       // another session holds it and the token is not its token
        Unreachable, // the shared store could not be asked
    };
    virtual ~SharedNames() = default;
    // Holds `key` for `session` with a new token (`tokenHash`) if nobody holds it, this session
    // holds it, or `presentedHash` is the holder's. A holder on another node is told to close.
    virtual Claim claim(const QString &key, const QString &session, const QByteArray &tokenHash,
                        const QByteArray &presentedHash) = 0;
    // `session` no longer holds `key`: frees it unless someone else holds it meanwhile.
    virtual void release(const QString &key, const QString &session) = 0;
};

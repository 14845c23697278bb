// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

class ServerSession;
class SharedNames;

//! Open mode's held names (PROTOCOL.md 2, *Identity*): each name key is held by at most one live
//! session, with the token that lets its holder take it back. One entry per session at most, so
//! it is bounded by the number of connections. With several nodes (setShared), a name is also
//! claimed in the shared store, so it is held across all of them.
class NameRegistry
{
public:
    // The cluster's side, not owned; null when the server runs alone.
    void setShared(SharedNames *shared) { m_shared = shared; }
    bool isShared() const { return m_shared != nullptr; }

    struct Claim
    {
        enum Outcome {
            Held,
            Taken,
            Unreachable
        } outcome = Taken;
        QString token;                      // Held: the new name token
        ServerSession *displaced = nullptr; // Held: this node's previous holder, to be closed
    };
    // Gives `name` to `session` if nobody else holds it, or `presentedToken` is its holder's
    // (here or, when shared, on another node, which closes that holder itself).
    Claim claim(const QString &name, ServerSession *session, const QString &presentedToken);

    struct Held
    {
        ServerSession *session = nullptr;
        QByteArray tokenHash; // SHA-256 in hex, as the shared store keeps it
    };
    // Every name held on this node, by key (the cluster refreshes them).
    QHash<QString, Held> held() const;
    // Forgets `session`'s name here only: another node took it over.
    void dropLocally(ServerSession *session);

    // The session holding `name` (compared by Protocol::nameKey), or null.
    ServerSession *holder(const QString &name) const;
    ServerSession *holderByKey(const QString &key) const { return m_byKey.value(key).session; }
    // Whether `token` is the one issued to the current holder of `name`, in constant time.
    bool tokenMatches(const QString &name, const QString &token) const;
    void release(ServerSession *session);

private:
    void holdWith(const QString &key, ServerSession *session, const QByteArray &token);

    struct Entry
    {
        ServerSession *session = nullptr;
        QByteArray token;
    };
    QHash<QString, Entry> m_byKey;
    QHash<ServerSession *, QString> m_keyOf;
    SharedNames *m_shared = nullptr;
};

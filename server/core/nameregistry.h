// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

class ServerSession;

//! Open mode's held names (PROTOCOL.md 2, *Identity*): each name key is held by at most one live
//! session, with the token that lets its holder take it back. One entry per session at most, so
//! it is bounded by the number of connections.
class NameRegistry
{
public:
    // The session holding `name` (compared by Protocol::nameKey), or null.
    ServerSession *holder(const QString &name) const;
    // Whether `token` is the one issued to the current holder of `name`, in constant time.
    bool tokenMatches(const QString &name, const QString &token) const;
    // Gives `name` to `session` (releasing its previous name) and returns a fresh name token.
    // The caller has checked that nobody else holds it, or released that holder.
    QString hold(const QString &name, ServerSession *session);
    void release(ServerSession *session);

private:
    struct Entry
    {
        ServerSession *session = nullptr;
        QByteArray token;
    };
    QHash<QString, Entry> m_byKey;
    QHash<ServerSession *, QString> m_keyOf;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "nameregistry.h"

#include "protocol.h"
#include "serversession.h"
#include "sharednames.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <array>

namespace {
constexpr int TokenWords = 8; // 256 bits

QByteArray newToken()
{
    std::array<quint32, TokenWords> words;
    QRandomGenerator::system()->fillRange(words.data(), TokenWords);
    return QByteArray(reinterpret_cast<const char *>(words.data()), int(sizeof(words)))
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// Takes as long for a near miss as for a far one, so a guesser learns nothing from timing.
bool equalInConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// The shared store sees a token's hash only: whoever reads Redis cannot take a name with it.
QByteArray tokenHash(const QByteArray &token)
{
    return token.isEmpty() ? QByteArray()
                           : QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex();
}
} // namespace

ServerSession *NameRegistry::holder(const QString &name) const
{
    return m_byKey.value(Protocol::nameKey(name)).session;
}

bool NameRegistry::tokenMatches(const QString &name, const QString &token) const
{
    const auto it = m_byKey.constFind(Protocol::nameKey(name));
    return it != m_byKey.cend() && !token.isEmpty() && equalInConstantTime(it->token, token.toUtf8());
}

void NameRegistry::holdWith(const QString &key, ServerSession *session, const QByteArray &token)
{
    // The same name again (another spelling) stays claimed in the shared store.
    if (m_keyOf.value(session) == key)
        dropLocally(session);
    else
        release(session);
    m_byKey.insert(key, Entry{session, token});
    m_keyOf.insert(session, key);
}

NameRegistry::Claim NameRegistry::claim(const QString &name, ServerSession *session,
                                        const QString &presentedToken)
{
    Claim out;
    const QString key = Protocol::nameKey(name);
    ServerSession *local = holder(name);
    if (local && local != session && !tokenMatches(name, presentedToken))
        return out; // held here: no need to ask the others
    const QByteArray token = newToken();
    if (m_shared) {
        switch (m_shared->claim(key, session->id(), tokenHash(token), tokenHash(presentedToken.toUtf8()))) {
        case SharedNames::Claim::Held:
            break;
        case SharedNames::Claim::Taken:
            return out;
        case SharedNames::Claim::Unreachable:
            out.outcome = Claim::Unreachable;
            return out;
        }
    }
    if (local && local != session) {
        dropLocally(local); // the shared store has its new holder already
        out.displaced = local;
    }
    holdWith(key, session, token);
    out.outcome = Claim::Held;
    out.token = QString::fromLatin1(token);
    return out;
}

QHash<QString, NameRegistry::Held> NameRegistry::held() const
{
    QHash<QString, Held> out;
    for (auto it = m_byKey.cbegin(); it != m_byKey.cend(); ++it)
        out.insert(it.key(), Held{it->session, tokenHash(it->token)});
    return out;
}

void NameRegistry::release(ServerSession *session)
{
    const auto it = m_keyOf.constFind(session);
    if (it == m_keyOf.cend())
        return;
    if (m_shared)
        m_shared->release(*it, session->id());
    dropLocally(session);
}

void NameRegistry::dropLocally(ServerSession *session)
{
    const auto it = m_keyOf.constFind(session);
    if (it == m_keyOf.cend())
        return;
    const auto held = m_byKey.constFind(*it);
    if (held != m_byKey.cend() && held->session == session)
        m_byKey.erase(held);
    m_keyOf.erase(it);
}

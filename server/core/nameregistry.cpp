// SPDX-License-Identifier: GPL-3.0-or-later
#include "nameregistry.h"

#include "protocol.h"

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

QString NameRegistry::hold(const QString &name, ServerSession *session)
{
    release(session);
    const QString key = Protocol::nameKey(name);
    const QByteArray token = newToken();
    m_byKey.insert(key, Entry{session, token});
    m_keyOf.insert(session, key);
    return QString::fromLatin1(token);
}

void NameRegistry::release(ServerSession *session)
{
    const auto it = m_keyOf.constFind(session);
    if (it == m_keyOf.cend())
        return;
    const auto held = m_byKey.constFind(*it);
    if (held != m_byKey.cend() && held->session == session)
        m_byKey.erase(held);
    m_keyOf.erase(it);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "userdatabase.h"
#include "protocol.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace {
constexpr int TokenBytes = 32;
constexpr auto TokenEncoding = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
} // namespace

QString UserDatabase::nameKey(const QString &name)
{
    // The same key as held names: Protocol::nameKey ends in NFKC, as the keys stored since 0.1 do.
    return Protocol::nameKey(name);
}

std::optional<QString> UserDatabase::validName(const QString &name, QString *error)
{
    auto result = Protocol::validateName(name, Protocol::Limits{}.maxNameChars, QStringLiteral("User name"));
    if (const auto *problem = std::get_if<Protocol::DecodeError>(&result)) {
        if (error)
            *error = problem->message;
        return std::nullopt;
    }
    return std::get<QString>(result);
}

std::optional<QString> UserDatabase::storedName(const QString &name) const
{
    const LoginAttempt attempt = beginLogin(name);
    if (attempt.id == 0)
        return std::nullopt;
    return attempt.name;
}

std::optional<UserDatabase::Account> UserDatabase::verifyPassword(const QString &name,
                                                                  const QString &password)
{
    const LoginAttempt attempt = beginLogin(name);
    return finishLogin(attempt, PasswordRecord::check(attempt.record, password, iterations()));
}

QList<std::optional<qint64>> UserDatabase::tokenExpiries(const QStringList &tokens) const
{
    QList<std::optional<qint64>> out(tokens.size());
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        out[i] = tokenExpiry(tokens.at(i));
        if (!out.at(i) && unavailable())
            break; // the rest would fail as fast and tell nothing more
    }
    return out;
}

QString UserDatabase::newToken()
{
    QByteArray bytes(TokenBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + bytes.size()));
    return QString::fromLatin1(bytes.toBase64(TokenEncoding));
}

QByteArray UserDatabase::tokenHash(const QString &token)
{
    if (token.size() != 43)
        return {};
    const QByteArray text = token.toLatin1();
    const auto bytes =
        QByteArray::fromBase64Encoding(text, TokenEncoding | QByteArray::AbortOnBase64DecodingErrors);
    // Re-encoding must give the same text, so a token has exactly one spelling.
    if (!bytes || bytes.decoded.size() != TokenBytes || bytes.decoded.toBase64(TokenEncoding) != text)
        return {};
    return QCryptographicHash::hash(*bytes, QCryptographicHash::Sha256);
}

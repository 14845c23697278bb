// SPDX-License-Identifier: GPL-3.0-or-later
#include "passwordrecord.h"

#include <QRandomGenerator>
#include <QStringList>

#include <openssl/evp.h>

namespace PasswordRecord {
namespace {

constexpr int SaltBytes = 16;
constexpr int KeyBytes = 32;
const QLatin1String Scheme("pbkdf2-sha256");

struct Parsed
{
    int iterations = 0;
    QByteArray salt;
    QByteArray key;
};

// The same password typed as NFC or NFD (macOS input, some keyboards) must derive the same key.
QByteArray passwordBytes(const QString &password)
{
    return password.normalized(QString::NormalizationForm_C).toUtf8();
}

// OpenSSL's PBKDF2 rather than QPasswordDigestor: the same function, bit for bit (a test checks),
// but about six times less CPU per login (SHA extensions, HMAC pads computed once; bench_login), so
// the server sustains that many more logins while an attacker's cost per guess stays the same.
QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    const QByteArray bytes = passwordBytes(password);
    QByteArray key(KeyBytes, Qt::Uninitialized);
    const int ok = PKCS5_PBKDF2_HMAC(
        bytes.constData(), int(bytes.size()), reinterpret_cast<const unsigned char *>(salt.constData()),
        int(salt.size()), iterations, EVP_sha256(), KeyBytes, reinterpret_cast<unsigned char *>(key.data()));
    if (ok != 1)
        key.fill('\0'); // never equal to a stored key: the comparison below fails
    return key;
}

QString format(int iterations, const QByteArray &salt, const QByteArray &key)
{
    return QStringLiteral("%1$%2$%3$%4")
        .arg(Scheme)
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(key.toBase64()));
}

bool parse(const QString &record, Parsed *out)
{
    const QStringList parts = record.split(QLatin1Char('$'));
    if (parts.size() != 4 || parts.at(0) != Scheme)
        return false;
    bool ok = false;
    const int iterations = parts.at(1).toInt(&ok);
    if (!ok || iterations < 1 || iterations > MaxIterations)
        return false;
    const auto salt =
        QByteArray::fromBase64Encoding(parts.at(2).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    const auto key =
        QByteArray::fromBase64Encoding(parts.at(3).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || !key || salt.decoded.isEmpty() || key.decoded.size() != KeyBytes)
        return false;
    out->iterations = iterations;
    out->salt = *salt;
    out->key = *key;
    return true;
}

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + count));
    return bytes;
}

} // namespace

QString create(const QString &password, int iterations)
{
    const QByteArray salt = randomBytes(SaltBytes);
    return format(iterations, salt, derive(password, salt, iterations));
}

Check check(const QString &record, const QString &password, int wantedIterations)
{
    Parsed parsed;
    if (!parse(record, &parsed)) {
        parse(dummy(wantedIterations), &parsed);
        derive(password, parsed.salt, parsed.iterations);
        return {};
    }
    Check result;
    result.matches = constantTimeEquals(derive(password, parsed.salt, parsed.iterations), parsed.key);
    if (result.matches && parsed.iterations < wantedIterations)
        result.upgraded = create(password, wantedIterations);
    return result;
}

QString dummy(int iterations)
{
    // A fixed salt and an all-zero key: finding a password that derives to it is as hard as
    // inverting SHA-256.
    return format(iterations, QByteArray(SaltBytes, '\x5a'), QByteArray(KeyBytes, '\0'));
}

int iterations(const QString &record)
{
    Parsed parsed;
    return parse(record, &parsed) ? parsed.iterations : 0;
}

bool acceptable(const QString &password)
{
    return !password.isEmpty() && passwordBytes(password).size() <= MaxPasswordBytes;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace PasswordRecord

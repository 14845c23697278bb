// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

//! A stored password: `pbkdf2-sha256$<iterations>$<salt, base64>$<key, base64>`, PBKDF2-HMAC-SHA256
//! (OpenSSL's) with a 16-byte random salt and a 32-byte key. The record names its own parameters, so the
//! iteration count can be raised later and older records still verify (and are then rehashed).
//! Every function here is pure and thread-safe: PasswordHasher runs them off the event loop.
namespace PasswordRecord {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
constexpr int DefaultIterations = 600000;
// Records claiming more are refused unread, so a damaged database cannot stall a login for hours.
constexpr int MaxIterations = 100000000;
// Longer passwords are refused: the key derivation must stay a bounded amount of work.
constexpr int MaxPasswordBytes = 1024;

struct Check
{
    bool matches = false;
    // Set when the password matched a record weaker than asked for: the same password, hashed
    // again at the wanted iteration count, to be stored in place of the old record.
    QString upgraded;
};

// A new record with a fresh salt from QRandomGenerator::system(). Slow: one full derivation.
QString create(const QString &password, int iterations);
// Derives the key for `password` with the record's parameters and compares in constant time.
// An unreadable record is checked against a dummy one, so it costs the same and never matches.
Check check(const QString &record, const QString &password, int wantedIterations);
// A record no password matches, which costs as much to check as a real one at `iterations`:
// what an unknown user's login is checked against, so its timing does not tell the name is free.
QString dummy(int iterations);
// The iteration count a record names, or 0 when it is not a record this code can read.
int iterations(const QString &record);
// Whether `password` may be stored at all (not empty, at most MaxPasswordBytes of UTF-8).
bool acceptable(const QString &password);
// Compares in time that depends only on the lengths, never on where the first difference is.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace PasswordRecord

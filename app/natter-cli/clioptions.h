// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"
#include "messagecache.h"

#include <QList>
#include <QSslCertificate>

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

//! natter-cli's exit statuses (docs/CLI.md, Exit status): a script can tell what to fix.
namespace CliExit {
constexpr int Ok = 0;
constexpr int BadArguments = 2;
constexpr int LoginNeeded = 3;         // the server wants a login and no (untried) password was given
constexpr int WrongCredentials = 4;    // the server refused the name and password
constexpr int RetryLater = 5;          // too many failed logins: the server said when to try again
constexpr int RegistrationRefused = 6; // --register: the server would not create the account
constexpr int NoCache = 7;             // --search: the message cache cannot be opened
} // namespace CliExit

//! natter-cli's command line, parsed and checked: everything CliSession needs to start.
struct CliOptions
{
    QUrl url;         // the server's identity: the first --url
    QList<QUrl> urls; // every --url, url first: the addresses reconnects go round
    QString user;
    QString room;
    ChatClient::Settings settings;
    int flushTimeoutMs = 10000; // on end of input: how long to wait for the outbox to drain (and
                                // for transfers to make progress)
    QString downloadDir;        // received files go here; empty: files are not received at all
    QList<QSslCertificate> trustedCertificates; // wss://: accepted although they fail verification
    qint64 maxDownloadBytes = 0;                // larger incoming files are refused; 0 = the server's limit
    int progressIntervalMs = 500;               // at most one progress event per transfer this often
    // Accounts mode: from --password-file or NATTER_PASSWORD (PasswordSource), checked at start;
    // sent only when the server wants a login and no stored token did it.
    std::optional<QString> password;
    bool registerAccount = false; // --register: the first login creates the account
    QString tokenDir;             // session tokens (TokenStore, Policy::File); empty = the app data dir
    // The local message cache (MessageCache): empty with --no-cache.
    QString cachePath = MessageCache::defaultPath();
    MessageCache::Limits cacheLimits;
    // --search WORDS: print what the cache holds of the server that matches, and exit (no
    // connection, no --user needed).
    std::optional<QString> search;

    // Parses `arguments` (argv, program name first). Handles --help and --version itself (prints
    // and sets *exitCode = 0). On bad arguments prints a clear message to stderr, sets *exitCode
    // non-zero and returns nullopt.
    static std::optional<CliOptions> parse(const QStringList &arguments, int *exitCode);
};

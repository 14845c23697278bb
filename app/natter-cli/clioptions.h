// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"

#include <QList>
#include <QSslCertificate>

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

//! natter-cli's command line, parsed and checked: everything CliSession needs to start.
struct CliOptions
{
    QUrl url;
    QString user;
    QString room;
    ChatClient::Settings settings;
    int flushTimeoutMs = 10000; // on end of input: how long to wait for the outbox to drain (and
                                // for transfers to make progress)
    QString downloadDir;        // received files go here; empty: files are not received at all
    QList<QSslCertificate> trustedCertificates; // wss://: accepted although they fail verification
    qint64 maxDownloadBytes = 0;                // larger incoming files are refused; 0 = the server's limit
    int progressIntervalMs = 500;               // at most one progress event per transfer this often
    // Accounts mode: from --password-file or NATTER_PASSWORD (PasswordSource), checked at start.
    // Not sent yet: the login step of ChatClient will use it.
    std::optional<QString> password;

    // Parses `arguments` (argv, program name first). Handles --help and --version itself (prints
    // and sets *exitCode = 0). On bad arguments prints a clear message to stderr, sets *exitCode
    // non-zero and returns nullopt.
    static std::optional<CliOptions> parse(const QStringList &arguments, int *exitCode);
};

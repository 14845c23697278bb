// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionchoice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <optional>

class AppSettings;

//! The desktop app's command line (--url, --server, --user, --room, --help, --version) and how it
//! combines with the saved settings into the connections to open at start.
class LaunchOptions
{
    Q_DECLARE_TR_FUNCTIONS(LaunchOptions)

public:
    LaunchOptions();

    // False (with errorText()) on an unknown option, a missing value, a --server that is no
    // server address, or --url and --server together.
    bool parse(const QStringList &arguments);
    QString errorText() const { return m_error.isEmpty() ? m_parser.errorText() : m_error; }
    bool helpRequested() const;
    bool versionRequested() const;
    QCommandLineParser &parser() { return m_parser; }

    std::optional<QString> url() const { return m_url; }
    std::optional<QString> user() const { return m_user; }
    std::optional<QString> room() const { return m_room; }
    // Every --server, normalized (ConnectionChoice::normalizedUrls), in the order given: each a
    // server's addresses, the first naming it.
    QList<QList<QUrl>> servers() const { return m_servers; }

    // Command line over saved settings over first-start defaults (host locally, the OS user name,
    // room "general"). *needsDialog is set when the result is not usable as it stands.
    ConnectionChoice resolve(const AppSettings &settings, bool *needsDialog) const;

    // All the servers to connect to. With --server: exactly those, for this run only (the user name
    // and room as resolve() finds them). Without: resolve()'s connection first, then the other saved
    // servers (AppSettings::servers()). *needsDialog as for resolve(), for any of them.
    QList<ConnectionChoice> resolveServers(const AppSettings &settings, bool *needsDialog) const;

    static QString osUserName(); // a valid Natter name from the OS account, or empty

private:
    QCommandLineParser m_parser;
    QCommandLineOption m_urlOption;
    QCommandLineOption m_serverOption;
    QCommandLineOption m_userOption;
    QCommandLineOption m_roomOption;
    QCommandLineOption m_helpOption;
    QCommandLineOption m_versionOption;
    std::optional<QString> m_url;
    std::optional<QString> m_user;
    std::optional<QString> m_room;
    QList<QList<QUrl>> m_servers;
    QString m_error; // ours, when the parser found nothing wrong
};

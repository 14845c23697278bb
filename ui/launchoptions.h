// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionchoice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <optional>

class AppSettings;

//! The desktop app's command line (--url, --user, --room, --help, --version) and how it combines
//! with the saved settings into the connection to open at start.
class LaunchOptions
{
    Q_DECLARE_TR_FUNCTIONS(LaunchOptions)

public:
    LaunchOptions();

    // False (with errorText()) on an unknown option or a missing value.
    bool parse(const QStringList &arguments);
    QString errorText() const { return m_parser.errorText(); }
    bool helpRequested() const;
    bool versionRequested() const;
    QCommandLineParser &parser() { return m_parser; }

    std::optional<QString> url() const { return m_url; }
    std::optional<QString> user() const { return m_user; }
    std::optional<QString> room() const { return m_room; }

    // Command line over saved settings over first-start defaults (host locally, the OS user name,
    // room "general"). *needsDialog is set when the result is not usable as it stands.
    ConnectionChoice resolve(const AppSettings &settings, bool *needsDialog) const;

    static QString osUserName(); // a valid Natter name from the OS account, or empty

private:
    QCommandLineParser m_parser;
    QCommandLineOption m_urlOption;
    QCommandLineOption m_userOption;
    QCommandLineOption m_roomOption;
    QCommandLineOption m_helpOption;
    QCommandLineOption m_versionOption;
    std::optional<QString> m_url;
    std::optional<QString> m_user;
    std::optional<QString> m_room;
};

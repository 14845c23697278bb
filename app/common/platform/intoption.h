// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCommandLineOption>
#include <QString>

#include <optional>

class QCommandLineParser;

//! An integer command-line option of natter-cli or natter-server: a range, and a default that is
//! the settings struct's own. The --help text ends with that default, so it cannot drift from it.
class IntOption
{
public:
    // `help` without the default (it is appended); `fallback` read from a default-built struct.
    IntOption(const char *name, const char *help, qint64 fallback, qint64 min, qint64 max,
              const char *valueName = "n");

    QString name() const { return m_name; }
    qint64 fallback() const { return m_fallback; }
    QCommandLineOption commandLineOption() const;
    // The value given, or the default when the option is absent; nullopt when it is not an
    // integer within the range, with *error saying so in a sentence for the user.
    std::optional<qint64> read(const QCommandLineParser &parser, QString *error) const;

private:
    QString m_name;
    QString m_help;
    QString m_valueName;
    qint64 m_fallback;
    qint64 m_min;
    qint64 m_max;
};

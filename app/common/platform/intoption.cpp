// SPDX-License-Identifier: GPL-3.0-or-later
#include "intoption.h"

#include <QCommandLineParser>

IntOption::IntOption(const char *name, const char *help, qint64 fallback, qint64 min, qint64 max,
                     const char *valueName)
    : m_name(QString::fromLatin1(name))
    , m_help(QString::fromUtf8(help))
    , m_valueName(QString::fromLatin1(valueName))
    , m_fallback(fallback)
    , m_min(min)
    , m_max(max)
{}

QCommandLineOption IntOption::commandLineOption() const
{
    return QCommandLineOption(m_name, QStringLiteral("%1 (default %2).").arg(m_help).arg(m_fallback),
                              m_valueName);
}

std::optional<qint64> IntOption::read(const QCommandLineParser &parser, QString *error) const
{
    if (!parser.isSet(m_name))
        return m_fallback;
    bool ok = false;
    const qint64 value = parser.value(m_name).toLongLong(&ok);
    if (ok && value >= m_min && value <= m_max)
        return value;
    if (error)
        *error = QStringLiteral("--%1 must be an integer from %2 to %3, got '%4'")
                     .arg(m_name)
                     .arg(m_min)
                     .arg(m_max)
                     .arg(parser.value(m_name));
    return std::nullopt;
}

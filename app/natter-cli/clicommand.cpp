// SPDX-License-Identifier: GPL-3.0-or-later
#include "clicommand.h"

CliCommand CliCommand::parse(QStringView line)
{
    CliCommand c;
    if (line.trimmed().isEmpty())
        return c;
    // "//text" sends "/text"; any other leading slash starts a command.
    if (line.startsWith(QLatin1Char('/')) && !line.startsWith(QLatin1String("//"))) {
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        c.kind = Kind::Command;
        c.name = line.mid(1, space < 0 ? -1 : space - 1).toString();
        c.argument = space < 0 ? QString() : line.mid(space + 1).trimmed().toString();
        return c;
    }
    c.kind = Kind::Chat;
    c.text = (line.startsWith(QLatin1String("//")) ? line.mid(1) : line).toString();
    return c;
}

std::optional<QByteArray> takeCliLine(QByteArray &buffer)
{
    const qsizetype newline = buffer.indexOf('\n');
    if (newline < 0)
        return std::nullopt;
    QByteArray line = buffer.left(newline);
    buffer.remove(0, newline + 1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

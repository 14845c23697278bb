// SPDX-License-Identifier: GPL-3.0-or-later
// natter-cli's input: stdin bytes cut into lines (takeCliLine) and each line parsed into nothing,
// a chat line or a command (CliCommand::parse), as docs/CLI.md "Input" describes.
//
// Properties:
//  - lines never hold '\n'; the lines and their terminators put back together are the input;
//  - a blank line is Empty and nothing else is;
//  - a command is "/" + name + (" " + something that trims to the argument); names hold no space;
//  - chat is the line itself, or the line without its first '/' when it starts with "//";
//  - escaping a chat text the documented way ("/x" is written "//x") parses back to that text,
//    and "/name argument" parses back to that command.
#include "clicommand.h"
#include "fuzzcheck.h"

namespace {

QString escapeChat(const QString &text)
{
    return text.startsWith(QLatin1Char('/')) ? QLatin1Char('/') + text : text;
}

void checkLine(const QString &line)
{
    const CliCommand c = CliCommand::parse(line);
    FUZZ_CHECK((c.kind == CliCommand::Kind::Empty) == line.trimmed().isEmpty(), line);
    switch (c.kind) {
    case CliCommand::Kind::Empty:
        FUZZ_CHECK(c.text.isEmpty() && c.name.isEmpty() && c.argument.isEmpty(), line);
        return;
    case CliCommand::Kind::Command: {
        FUZZ_CHECK(line.startsWith(QLatin1Char('/')) && !line.startsWith(QLatin1String("//")), line);
        FUZZ_CHECK(!c.name.contains(QLatin1Char(' ')), c.name);
        const QString head = QLatin1Char('/') + c.name;
        FUZZ_CHECK(line.startsWith(head), line);
        const QString rest = line.mid(head.size());
        FUZZ_CHECK(rest.isEmpty() ? c.argument.isEmpty()
                                  : rest.startsWith(QLatin1Char(' ')) && rest.mid(1).trimmed() == c.argument,
                   line);
        FUZZ_CHECK(c.argument == c.argument.trimmed(), c.argument);
        // Written back the canonical way, it is the same command.
        const QString canonical = c.argument.isEmpty() ? head : head + QLatin1Char(' ') + c.argument;
        const CliCommand again = CliCommand::parse(canonical);
        FUZZ_CHECK(again.kind == CliCommand::Kind::Command && again.name == c.name &&
                       again.argument == c.argument,
                   canonical);
        return;
    }
    case CliCommand::Kind::Chat: {
        FUZZ_CHECK(!c.text.isEmpty(), line);
        if (line.startsWith(QLatin1String("//")))
            FUZZ_CHECK(c.text == line.mid(1), line);
        else
            FUZZ_CHECK(c.text == line && !line.startsWith(QLatin1Char('/')), line);
        const CliCommand again = CliCommand::parse(escapeChat(c.text));
        FUZZ_CHECK(again.kind == CliCommand::Kind::Chat && again.text == c.text, c.text);
        return;
    }
    }
    FUZZ_CHECK(false, QStringLiteral("unknown kind"));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const QByteArray input = fuzzBytes(data, size);
    QByteArray buffer = input;
    QByteArray rebuilt;
    while (const std::optional<QByteArray> line = takeCliLine(buffer)) {
        FUZZ_CHECK(!line->contains('\n'), QString::fromUtf8(*line));
        rebuilt += *line;
        // The terminator that was cut: "\r\n" when the line lost a '\r', else "\n".
        const bool hadCr = input.mid(rebuilt.size(), 2) == "\r\n";
        rebuilt += hadCr ? "\r\n" : "\n";
        FUZZ_CHECK(input.startsWith(rebuilt), QString::fromUtf8(*line));
        checkLine(QString::fromUtf8(*line));
    }
    FUZZ_CHECK(!buffer.contains('\n'), QString());
    FUZZ_CHECK(rebuilt + buffer == input, QString());
    // End of input: a last line without a newline still counts.
    if (!buffer.isEmpty())
        checkLine(QString::fromUtf8(buffer));
    return 0;
}

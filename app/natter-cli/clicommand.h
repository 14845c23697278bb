// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

//! One line of natter-cli's input, parsed (docs/CLI.md, Input): nothing, a chat line or a
//! slash command. Pure, so that it can be tested and fuzzed without a session.
struct CliCommand
{
    enum class Kind {
        Empty,   // blank: ignored
        Chat,    // `text` goes to the current room; "//text" sends "/text"
        Command, // "/name argument"
    };
    Kind kind = Kind::Empty;
    QString text;     // Chat
    QString name;     // Command: what follows '/', up to the first space
    QString argument; // Command: the rest of the line, trimmed

    static CliCommand parse(QStringView line);
};

//! Takes the next complete line (up to '\n', without it or a '\r' before it) out of `buffer`;
//! nothing when `buffer` holds no '\n' yet.
std::optional<QByteArray> takeCliLine(QByteArray &buffer);

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class JsonLineWriter;
class MessageCache;
struct CliOptions;

//! natter-cli's search through the local message cache, for `/search WORDS` in a session and
//! for the one-shot `--search WORDS` (docs/CLI.md): one `searchResult` line per hit, newest
//! first, then one `searchDone` line. Needs no connection.
class CliSearch
{
public:
    static constexpr int MaxHits = 200;

    // Prints the hits of `query` among `server`'s cached messages; returns how many.
    static int print(JsonLineWriter *out, const MessageCache &cache, const QString &server,
                     const QString &query);
    // --search: opens the cache of `options`, prints and returns the exit status.
    static int run(const CliOptions &options);
};

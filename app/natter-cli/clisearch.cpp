// SPDX-License-Identifier: GPL-3.0-or-later
#include "clisearch.h"

#include "clioptions.h"
#include "jsonlinewriter.h"
#include "messagecache.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <cstdio>
#include <unistd.h>

int CliSearch::print(JsonLineWriter *out, const MessageCache &cache, const QString &server,
                     const QString &query)
{
    QElapsedTimer timer;
    timer.start();
    const QList<MessageCache::Hit> hits = cache.search(server, query, MaxHits);
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    const double now = double(Protocol::nowMs());
    for (const MessageCache::Hit &hit : hits) {
        const Protocol::ChatMessage &m = hit.message;
        QJsonArray matches;
        for (const auto &match : hit.matches)
            matches.append(QJsonArray{match.first, match.second});
        QJsonObject o{{QStringLiteral("event"), QStringLiteral("searchResult")},
                      {QStringLiteral("room"), m.room},
                      {QStringLiteral("seq"), double(m.seq)},
                      {QStringLiteral("user"), m.user},
                      {QStringLiteral("text"), m.text},
                      {QStringLiteral("timestamp"), double(m.timestamp)},
                      {QStringLiteral("matches"), matches},
                      {QStringLiteral("time"), now}};
        if (!m.id.isEmpty())
            o.insert(QStringLiteral("id"), m.id);
        out->write(o);
    }
    out->write(QJsonObject{{QStringLiteral("event"), QStringLiteral("searchDone")},
                           {QStringLiteral("query"), query},
                           {QStringLiteral("count"), int(hits.size())},
                           {QStringLiteral("limit"), MaxHits},
                           {QStringLiteral("searchMs"), std::round(ms * 100) / 100},
                           {QStringLiteral("time"), now}});
    return int(hits.size());
}

int CliSearch::run(const CliOptions &options)
{
    MessageCache cache;
    if (!cache.open(options.cachePath)) {
        std::fprintf(stderr, "natter-cli: cannot open the message cache %s: %s\n",
                     qPrintable(options.cachePath), qPrintable(cache.errorString()));
        return CliExit::NoCache;
    }
    JsonLineWriter out(STDOUT_FILENO);
    print(&out, cache, MessageCache::serverKey(options.url), *options.search);
    out.flush();
    return CliExit::Ok;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test): full-text search in the local message cache (MessageCache) holding
// COUNT messages of chat-like text in 20 rooms over a year, one in ten Japanese or Chinese.
// Times MessageCache::search() (200 hits at most, newest first, as the app asks) for a Latin
// word, a CJK substring of 3+ characters, a 2-character Chinese word and a 1-character one, and the
// worst cases (a word found nowhere; two Latin letters, which no index answers);
// prints median and p95 of each against the 50 ms goal, and a last JSON line for tools/bench.sh.
//   bench_search [--count N] [--runs R] [--path FILE]
// --path keeps the cache there (filled only when it does not hold COUNT messages yet), so that
// natter-cli can be timed on the same file.

#include "messagecache.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {
const QString Server = MessageCache::serverKey(QUrl(QStringLiteral("ws://bench.example:8080/")));

// Common chat words, most frequent first (a Zipf-like pick favours the start of the list).
const char *const kWords[] = {
    "the",        "to",        "I",        "you",      "a",          "and",         "it",        "is",
    "of",         "in",        "that",     "for",      "on",         "we",          "this",      "be",
    "have",       "ok",        "with",     "not",      "just",       "but",         "can",       "do",
    "so",         "will",      "are",      "at",       "what",       "yes",         "no",        "was",
    "if",         "me",        "there",    "now",      "think",      "get",         "know",      "thanks",
    "good",       "about",     "one",      "like",     "see",        "go",          "time",      "today",
    "meeting",    "build",     "test",     "release",  "server",     "lunch",       "tomorrow",  "review",
    "merge",      "branch",    "deploy",   "coffee",   "weekend",    "problem",     "issue",     "fixed",
    "broken",     "please",    "check",    "update",   "later",      "morning",     "ticket",    "design",
    "customer",   "laptop",    "network",  "database", "cache",      "search",      "window",    "report",
    "budget",     "holiday",   "birthday", "football", "weather",    "train",       "airport",   "invoice",
    "password",   "keyboard",  "monitor",  "printer",  "kubernetes", "refactoring", "benchmark", "latency",
    "throughput", "migration", "postgres", "sqlite"};
const char *const kCjk[] = {"今天天气很好，我们去公园吧",
                            "明天的天气预报说会下雨",
                            "会议改到下午三点",
                            "我已经把代码合并了",
                            "服务器又出问题了",
                            "周末一起吃饭吗",
                            "这个版本什么时候发布",
                            "测试都通过了",
                            "谢谢大家的帮助",
                            "明日は東京で会議があります",
                            "東京タワーに行きました",
                            "お疲れさまでした",
                            "ビルドが壊れています",
                            "レビューをお願いします",
                            "今日は雨が降っています",
                            "新しいサーバーを用意しました",
                            "週末は京都に行きます",
                            "ランチに行きませんか",
                            "資料を共有しました",
                            "了解です、ありがとうございます"};

QString chatText(QRandomGenerator &rng)
{
    if (rng.bounded(10) == 0) {
        QString t = QString::fromUtf8(kCjk[rng.bounded(int(std::size(kCjk)))]);
        if (rng.bounded(3) == 0)
            t += QString::fromUtf8(kCjk[rng.bounded(int(std::size(kCjk)))]);
        return t;
    }
    const int n = 3 + rng.bounded(14);
    QStringList words;
    for (int i = 0; i < n; ++i) {
        // Squared uniform: index density falls off like a (gentle) Zipf curve.
        const double u = rng.generateDouble();
        words.append(QString::fromLatin1(kWords[int(u * u * double(std::size(kWords)))]));
    }
    return words.join(QLatin1Char(' '));
}

struct Stats
{
    double median = 0;
    double p95 = 0;
    int hits = 0;
};

Stats timeQuery(const MessageCache &cache, const QString &query, int runs)
{
    QList<double> ms;
    Stats s;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        s.hits = int(cache.search(Server, query).size());
        ms.append(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    s.median = ms.at(ms.size() / 2);
    s.p95 = ms.at(qMin(ms.size() - 1, int(ms.size() * 95 / 100)));
    return s;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions(
        {{QStringLiteral("count"), QStringLiteral("Messages in the cache."), QStringLiteral("N"),
          QStringLiteral("1000000")},
         {QStringLiteral("runs"), QStringLiteral("Runs of each query."), QStringLiteral("R"),
          QStringLiteral("31")},
         {QStringLiteral("path"), QStringLiteral("Cache file to fill or reuse."), QStringLiteral("FILE")}});
    parser.process(app);
    const int count = parser.value(QStringLiteral("count")).toInt();
    const int runs = qMax(1, parser.value(QStringLiteral("runs")).toInt());
    QTemporaryDir tmp;
    const QString path = parser.isSet(QStringLiteral("path")) ? parser.value(QStringLiteral("path"))
                                                              : tmp.filePath(QStringLiteral("cache.sqlite"));

    MessageCache cache;
    if (!cache.open(path)) {
        std::fprintf(stderr, "bench_search: %s\n", qPrintable(cache.errorString()));
        return 1;
    }
    cache.setLimits({0, 0});
    qint64 held = 0;
    for (const auto &r : cache.rooms(Server))
        held += r.count;
    double fillSeconds = 0;
    if (held != count) {
        cache.clear();
        QRandomGenerator rng(12);
        const qint64 now = Protocol::nowMs();
        const qint64 span = qint64(360) * 24 * 3600 * 1000;
        constexpr int Rooms = 20;
        QList<QList<Protocol::ChatMessage>> batches(Rooms);
        QElapsedTimer fill;
        fill.start();
        for (int i = 0; i < count; ++i) {
            const int room = rng.bounded(Rooms);
            Protocol::ChatMessage m;
            m.user = QStringLiteral("user%1").arg(rng.bounded(40));
            m.text = chatText(rng);
            m.timestamp = now - span + span * i / qMax(1, count);
            m.id = QStringLiteral("m-%1").arg(i);
            m.seq = i + 1; // one numbering over all rooms: gaps inside each room, as after absences
            batches[room].append(m);
            if (batches[room].size() == 500 || i == count - 1) {
                for (int r = 0; r < Rooms; ++r) {
                    if (batches[r].isEmpty())
                        continue;
                    cache.addMessages(Server, QStringLiteral("room-%1").arg(r), QStringLiteral("epoch"),
                                      batches[r]);
                    batches[r].clear();
                }
                cache.flush();
            }
        }
        fillSeconds = double(fill.elapsed()) / 1000.0;
        std::printf("filled %d messages in %.1f s (%.0f messages/s), cache %.0f MiB\n", count, fillSeconds,
                    count / qMax(0.001, fillSeconds), double(cache.sizeBytes()) / 1048576.0);
    }
    std::printf("cache: %s, %.0f MiB, %d messages\n", qPrintable(path), double(cache.sizeBytes()) / 1048576.0,
                count);

    const struct
    {
        const char *key;
        const char *label;
        QString query;
    } queries[] = {
        {"latin", "Latin word", QStringLiteral("deploy")},
        {"latinRare", "rare Latin substring", QStringLiteral("kubernet")},
        {"latinTwo", "two Latin words", QStringLiteral("merge branch")},
        {"cjk3", "CJK substring, 4 chars", QStringLiteral("天气预报")},
        {"ja3", "Japanese substring, 3 chars", QStringLiteral("サーバ")},
        {"cjk2", "2-char Chinese word", QStringLiteral("天气")},
        {"cjk1", "1-char CJK", QStringLiteral("雨")},
        {"common", "very common Latin word", QStringLiteral("the")},
        {"none", "word found nowhere", QStringLiteral("xyzzy")},
        // The worst case: one or two Latin letters have no index, so the table is scanned.
        {"latinShort", "2 Latin letters, found nowhere", QStringLiteral("qz")},
    };
    QJsonObject result{{QStringLiteral("messages"), count},
                       {QStringLiteral("runs"), runs},
                       {QStringLiteral("cacheMiB"), double(cache.sizeBytes()) / 1048576.0}};
    for (const auto &q : queries) {
        timeQuery(cache, q.query, 2); // warm the page cache
        const Stats s = timeQuery(cache, q.query, runs);
        std::printf("search %-28s %-12s median %7.2f ms, p95 %7.2f ms, %3d hits  (goal: under 50 ms) %s\n",
                    q.label, qPrintable(q.query), s.median, s.p95, s.hits, s.median < 50 ? "ok" : "MISSED");
        result.insert(QLatin1String(q.key), QJsonObject{{QStringLiteral("query"), q.query},
                                                        {QStringLiteral("medianMs"), s.median},
                                                        {QStringLiteral("p95Ms"), s.p95},
                                                        {QStringLiteral("hits"), s.hits}});
    }
    if (fillSeconds > 0)
        result.insert(QStringLiteral("fillSeconds"), fillSeconds);
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

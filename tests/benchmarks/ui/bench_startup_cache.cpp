// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the message cache that tools/bench.sh's `startup` area launches natter against:
//   bench_startup_cache PATH SERVER-URL [MESSAGES] [ROOMS]
// MESSAGES (default 100,000) spread over ROOMS rooms (default 10), numbered from 1 in each room,
// one second apart and ending now (so no age limit prunes them), through MessageCache itself.
#include "messagecache.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QUrl>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 3) {
        fprintf(stderr, "usage: bench_startup_cache PATH SERVER-URL [MESSAGES] [ROOMS]\n");
        return 2;
    }
    const QString path = args.at(1);
    const QString server = MessageCache::serverKey(QUrl(args.at(2)));
    const int total = args.size() > 3 ? args.at(3).toInt() : 100000;
    const int rooms = args.size() > 4 ? qMax(1, args.at(4).toInt()) : 10;

    QElapsedTimer clock;
    clock.start();
    MessageCache cache;
    if (!cache.open(path)) {
        fprintf(stderr, "bench_startup_cache: %s\n", qPrintable(cache.errorString()));
        return 1;
    }
    MessageCache::Limits unlimited;
    unlimited.maxBytes = 0;
    unlimited.maxAgeDays = 0;
    cache.setLimits(unlimited);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    constexpr int Batch = 1000;
    QList<QList<Protocol::ChatMessage>> batches(rooms);
    QList<qint64> seqs(rooms, 0);
    for (int i = 0; i < total; ++i) {
        const int r = i % rooms;
        Protocol::ChatMessage m;
        m.room = QStringLiteral("room%1").arg(r);
        m.user = QStringLiteral("user%1").arg(i % 37);
        m.text =
            QStringLiteral("Message %1 in %2: the quick brown fox jumps over the lazy dog, 日本語のテキスト")
                .arg(i)
                .arg(m.room);
        m.timestamp = now - qint64(total - i) * 1000;
        m.seq = ++seqs[r];
        m.id = QStringLiteral("bench-%1").arg(i);
        batches[r].append(m);
        if (batches[r].size() == Batch || i + rooms >= total) {
            cache.addMessages(server, m.room, QStringLiteral("bench"), std::exchange(batches[r], {}));
            cache.flush();
        }
    }
    cache.flush();
    printf("bench_startup_cache: %d messages in %d rooms, %lld bytes, in %lld ms\n", total, rooms,
           static_cast<long long>(cache.sizeBytes()), static_cast<long long>(clock.elapsed()));
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagecache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using Protocol::ChatMessage;

//! The local cache on a real SQLite file: storage, gaps, epochs, search (Latin and CJK),
//! bounds, clearing, damage and sharing.
class TestMessageCache : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const QString S = QStringLiteral("ws://chat.example:80/");
    const QString R = QStringLiteral("general");
    int m_file = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("c%1/cache.sqlite").arg(++m_file)); }

    static ChatMessage msg(qint64 seq, const QString &text, qint64 ts = 0,
                           const QString &user = QStringLiteral("bob"))
    {
        ChatMessage m;
        m.seq = seq;
        m.text = text;
        m.user = user;
        m.timestamp = ts ? ts : Protocol::nowMs() - 1000000 + seq;
        m.id = QStringLiteral("id-%1").arg(seq);
        return m;
    }
    static QList<ChatMessage> range(qint64 from, qint64 to)
    {
        QList<ChatMessage> out;
        for (qint64 s = from; s <= to; ++s)
            out.append(msg(s, QStringLiteral("message %1").arg(s)));
        return out;
    }
    static QList<qint64> seqs(const QList<ChatMessage> &list)
    {
        QList<qint64> out;
        for (const ChatMessage &m : list)
            out.append(m.seq);
        return out;
    }
    static QList<qint64> seqRange(qint64 from, qint64 to)
    {
        QList<qint64> out;
        for (qint64 s = from; s <= to; ++s)
            out.append(s);
        return out;
    }
    static QStringList sorted(QStringList list)
    {
        list.sort();
        return list;
    }
    static QStringList texts(const QList<MessageCache::Hit> &hits)
    {
        QStringList out;
        for (const auto &h : hits)
            out.append(h.message.text);
        out.sort();
        return out;
    }

private slots:
    void serverKeyNamesOneServerOnce()
    {
        QCOMPARE(MessageCache::serverKey(QUrl(QStringLiteral("ws://Host/"))),
                 MessageCache::serverKey(QUrl(QStringLiteral("ws://host:80"))));
        QCOMPARE(MessageCache::serverKey(QUrl(QStringLiteral("wss://u:p@Host/chat?x=1#f"))),
                 QStringLiteral("wss://host:443/chat"));
        QVERIFY(MessageCache::serverKey(QUrl(QStringLiteral("ws://host:8080/"))) !=
                MessageCache::serverKey(QUrl(QStringLiteral("ws://host:80/"))));
    }

    void storesAndReadsBack()
    {
        MessageCache cache;
        const QString path = freshPath();
        QVERIFY2(cache.open(path), qPrintable(cache.errorString()));
        QCOMPARE(QFileInfo(path).permissions() & 0x0077, QFileDevice::Permissions());
        QVERIFY(!(QFileInfo(QFileInfo(path).absolutePath()).permissions() &
                  (QFileDevice::ReadOther | QFileDevice::ReadGroup)));
        cache.addMessages(S, R, QStringLiteral("e1"), range(1, 10));
        // Reads see what is queued at once.
        QCOMPARE(seqs(cache.latest(S, R, 3)), (QList<qint64>{8, 9, 10}));
        const auto all = cache.latest(S, R, 100);
        QCOMPARE(all.size(), 10);
        QCOMPARE(all.constFirst().text, QStringLiteral("message 1"));
        QCOMPARE(all.constFirst().id, QStringLiteral("id-1"));
        QCOMPARE(all.constFirst().room, R);
        const auto summary = cache.room(S, R);
        QCOMPARE(summary.epoch, QStringLiteral("e1"));
        QCOMPARE(summary.lastSeq, 10);
        QCOMPARE(summary.lastContiguousSeq, 10);
        QCOMPARE(summary.count, 10);
        QCOMPARE(summary.last.text, QStringLiteral("message 10"));
        // Other servers and rooms are apart.
        QVERIFY(cache.latest(QStringLiteral("ws://other:80/"), R, 10).isEmpty());
        QVERIFY(cache.latest(S, QStringLiteral("random"), 10).isEmpty());
    }

    void duplicatesReplaceAndSeqlessAreSkipped()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        cache.addMessages(S, R, QStringLiteral("e"), range(1, 5));
        cache.flush();
        cache.addMessages(S, R, QStringLiteral("e"),
                          {msg(3, QStringLiteral("edited three")), msg(0, QStringLiteral("no seq"))});
        QCOMPARE(cache.room(S, R).count, 5);
        QCOMPARE(cache.around(S, R, 3, 0).constFirst().text, QStringLiteral("edited three"));
        QVERIFY(cache.search(S, QStringLiteral("message 3")).isEmpty());
        QCOMPARE(cache.search(S, QStringLiteral("edited")).size(), 1);
        QVERIFY(cache.search(S, QStringLiteral("no seq")).isEmpty());
    }

    void absentFieldsAreStoredEmpty()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        ChatMessage m = msg(1, QStringLiteral("no id, no epoch"));
        m.id = QString();
        cache.addMessages(S, R, QString(), {m});
        const auto summary = cache.room(S, R);
        QCOMPARE(summary.count, 1);
        QVERIFY(summary.epoch.isEmpty());
        QVERIFY(summary.last.id.isEmpty());
        cache.addMessages(S, R, QString(), {msg(2, QStringLiteral("two"))}); // same (empty) epoch
        QCOMPARE(cache.room(S, R).count, 2);
    }

    void beforeStopsAtGapsAndAroundReachesBothSides()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        cache.addMessages(S, R, QStringLiteral("e"), range(1, 20));
        cache.addMessages(S, R, QStringLiteral("e"), range(31, 40)); // 21..30 missing
        QCOMPARE(seqs(cache.before(S, R, 36, 3)), (QList<qint64>{33, 34, 35}));
        QCOMPARE(seqs(cache.before(S, R, 36, 50)), seqRange(31, 35));
        QVERIFY(cache.before(S, R, 31, 10).isEmpty()); // 30 is not there: ask the server
        QCOMPARE(seqs(cache.before(S, R, 21, 5)), seqRange(16, 20));
        QVERIFY(cache.before(S, R, 1, 5).isEmpty());
        QCOMPARE(seqs(cache.around(S, R, 10, 2)), (QList<qint64>{8, 9, 10, 11, 12}));
        QCOMPARE(seqs(cache.around(S, R, 20, 2)), (QList<qint64>{18, 19, 20, 31, 32}));
        const auto summary = cache.room(S, R);
        QCOMPARE(summary.lastSeq, 40);
        QCOMPARE(summary.lastContiguousSeq, 20);
        QCOMPARE(summary.count, 30);
    }

    void anotherEpochDropsTheRoom()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        cache.addMessages(S, R, QStringLiteral("old"), range(1, 50));
        cache.addMessages(S, QStringLiteral("other"), QStringLiteral("old"), range(1, 5));
        cache.addMessages(S, R, QStringLiteral("new"), range(1, 3));
        const auto summary = cache.room(S, R);
        QCOMPARE(summary.epoch, QStringLiteral("new"));
        QCOMPARE(summary.count, 3);
        QCOMPARE(summary.lastSeq, 3);
        QCOMPARE(cache.search(S, QStringLiteral("message 4")).size(), 1); // only "other"'s
        QCOMPARE(cache.room(S, QStringLiteral("other")).count, 5);
        // An empty batch in a new epoch still says the old seqs are gone.
        cache.addMessages(S, R, QStringLiteral("newer"), {});
        QCOMPARE(cache.room(S, R).count, 0);
        QCOMPARE(cache.room(S, R).epoch, QStringLiteral("newer"));
    }

    void roomsNewestActivityFirst()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        const qint64 now = Protocol::nowMs();
        cache.addMessages(S, QStringLiteral("a"), QStringLiteral("e"),
                          {msg(1, QStringLiteral("x"), now - 3000)});
        cache.addMessages(S, QStringLiteral("b"), QStringLiteral("e"),
                          {msg(1, QStringLiteral("y"), now - 1000)});
        cache.addMessages(S, QStringLiteral("c"), QStringLiteral("e"),
                          {msg(1, QStringLiteral("z"), now - 2000)});
        cache.addMessages(S, QStringLiteral("empty"), QStringLiteral("e"), {});
        QStringList names;
        for (const auto &r : cache.rooms(S))
            names.append(r.room);
        QCOMPARE(names, (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a"),
                                     QStringLiteral("empty")}));
    }

    void searchFindsLatinCaseInsensitively()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        cache.addMessages(
            S, R, QStringLiteral("e"),
            {msg(1, QStringLiteral("Deploying the NEW release tonight")), msg(2, QStringLiteral("lunch?")),
             msg(3, QStringLiteral("the release notes are up")), msg(4, QStringLiteral("100% done_ok"))});
        cache.addMessages(S, QStringLiteral("ops"), QStringLiteral("e"),
                          {msg(1, QStringLiteral("release blocked"))});
        cache.addMessages(QStringLiteral("ws://elsewhere:80/"), R, QStringLiteral("e"),
                          {msg(1, QStringLiteral("release"))});
        QCOMPARE(texts(cache.search(S, QStringLiteral("RELEASE"))),
                 sorted({QStringLiteral("Deploying the NEW release tonight"),
                         QStringLiteral("release blocked"), QStringLiteral("the release notes are up")}));
        // Substrings, several words (all must occur, in any order).
        QCOMPARE(texts(cache.search(S, QStringLiteral("ploy  new"))),
                 sorted({QStringLiteral("Deploying the NEW release tonight")}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("notes release"))),
                 sorted({QStringLiteral("the release notes are up")}));
        // Short words and LIKE's wildcards are taken literally.
        QCOMPARE(texts(cache.search(S, QStringLiteral("up"))),
                 sorted({QStringLiteral("the release notes are up")}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("0%"))), sorted({QStringLiteral("100% done_ok")}));
        QVERIFY(cache.search(S, QStringLiteral("e%")).isEmpty());
        QCOMPARE(cache.search(S, QStringLiteral("\"release")).size(), 0); // a quote is just a character
        QVERIFY(cache.search(S, QStringLiteral("   ")).isEmpty());
        const auto hits = cache.search(S, QStringLiteral("release blocked"));
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.constFirst().message.room, QStringLiteral("ops"));
        QCOMPARE(hits.constFirst().matches, (QList<QPair<int, int>>{{0, 7}, {8, 7}}));
        QCOMPARE(cache.search(S, QStringLiteral("release"), 1).size(), 1);
    }

    // One or two Latin letters have no index: such a query looks through the newest messages
    // only (a bound on what typing the first letters costs), and a longer word finds any.
    void shortLatinQueriesLookThroughTheNewestOnly()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        cache.setUnindexedScanLimit(10);
        QList<ChatMessage> messages{msg(1, QStringLiteral("ok then"))};
        for (qint64 s = 2; s <= 30; ++s)
            messages.append(msg(s, QStringLiteral("filler %1").arg(s)));
        messages.append(msg(31, QStringLiteral("ok again")));
        cache.addMessages(S, R, QStringLiteral("e"), messages);
        QCOMPARE(texts(cache.search(S, QStringLiteral("ok"))), QStringList{QStringLiteral("ok again")});
        QCOMPARE(texts(cache.search(S, QStringLiteral("ok the"))), QStringList{QStringLiteral("ok then")});
        cache.setUnindexedScanLimit(100);
        QCOMPARE(texts(cache.search(S, QStringLiteral("ok"))).size(), 2);
    }

    void searchFindsJapaneseAndChineseSubstrings()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        const QString ja1 = QStringLiteral("明日は東京で会議があります");
        const QString ja2 = QStringLiteral("東京タワーに行きました");
        const QString zh1 = QStringLiteral("今天天气很好，我们去公园吧");
        const QString zh2 = QStringLiteral("明天的天气预报说会下雨");
        const QString zh3 = QStringLiteral("天");
        cache.addMessages(S, R, QStringLiteral("e"),
                          {msg(1, ja1), msg(2, ja2), msg(3, zh1), msg(4, zh2), msg(5, zh3),
                           msg(6, QStringLiteral("mixed: deploy 東京 tomorrow"))});
        QCOMPARE(texts(cache.search(S, QStringLiteral("東京で会議"))), sorted({ja1}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("タワー"))), sorted({ja2}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("東京"))),
                 sorted({QStringLiteral("mixed: deploy 東京 tomorrow"), ja2, ja1}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("天气"))), sorted({zh1, zh2}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("天气预报"))), sorted({zh2}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("公园"))), sorted({zh1}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("雨"))), sorted({zh2}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("天"))), sorted({zh2, zh3, zh1}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("天气 公园"))), sorted({zh1}));
        QCOMPARE(texts(cache.search(S, QStringLiteral("deploy 東京"))),
                 sorted({QStringLiteral("mixed: deploy 東京 tomorrow")}));
        QVERIFY(cache.search(S, QStringLiteral("京東")).isEmpty());
        const auto hits = cache.search(S, QStringLiteral("天气"));
        for (const auto &h : hits)
            QCOMPARE(h.message.text.mid(h.matches.constFirst().first, 2), QStringLiteral("天气"));
    }

    void boundsByAgeAndSize()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        const qint64 day = 24 * 3600 * 1000;
        const qint64 now = Protocol::nowMs();
        cache.addMessages(S, R, QStringLiteral("e"),
                          {msg(1, QStringLiteral("ancient"), now - 40 * day),
                           msg(2, QStringLiteral("old"), now - 20 * day),
                           msg(3, QStringLiteral("fresh"), now - day)});
        cache.setLimits({0, 30});
        QCOMPARE(seqs(cache.latest(S, R, 10)), (QList<qint64>{2, 3}));
        QVERIFY(cache.search(S, QStringLiteral("ancient")).isEmpty());
        // New messages past the age are pruned after their commit too.
        cache.addMessages(S, R, QStringLiteral("e"), {msg(4, QStringLiteral("backdated"), now - 31 * day)});
        cache.flush();
        QCOMPARE(seqs(cache.latest(S, R, 10)), (QList<qint64>{2, 3}));

        // Size: fill well past a 1 MiB limit; the file stays under it, keeping the newest.
        cache.setLimits({1024 * 1024, 0});
        const QString filler = QString(400, QLatin1Char('x'));
        for (int batch = 0; batch < 20; ++batch) {
            QList<ChatMessage> list;
            for (int i = 0; i < 100; ++i) {
                const qint64 seq = 10 + batch * 100 + i;
                list.append(msg(seq, QStringLiteral("%1 %2").arg(seq).arg(filler), now - 10 * day + seq));
            }
            cache.addMessages(S, QStringLiteral("big"), QStringLiteral("e"), list);
            cache.flush();
            QVERIFY2(cache.sizeBytes() <= 1024 * 1024, qPrintable(QString::number(cache.sizeBytes())));
        }
        const auto summary = cache.room(S, QStringLiteral("big"));
        QCOMPARE(summary.lastSeq, 2009);
        QVERIFY(summary.count > 100);
        QVERIFY(summary.count < 2000);
        QCOMPARE(summary.lastContiguousSeq, summary.lastSeq);
        const QString path = cache.path();
        cache.close(); // checkpoints the log into the file
        QVERIFY(QFileInfo(path).size() <= 1024 * 1024);
    }

    void clearForgetsEverything()
    {
        MessageCache cache;
        QVERIFY(cache.open(freshPath()));
        cache.addMessages(S, R, QStringLiteral("e"), range(1, 500));
        cache.flush();
        QSignalSpy cleared(&cache, &MessageCache::cleared);
        cache.clear();
        QCOMPARE(cleared.size(), 1);
        QVERIFY(cache.rooms(S).isEmpty());
        QVERIFY(cache.search(S, QStringLiteral("message")).isEmpty());
        QFile file(cache.path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("message 42"));
        // Still usable afterwards.
        cache.addMessages(S, R, QStringLiteral("e"), range(1, 2));
        QCOMPARE(cache.room(S, R).count, 2);
        QCOMPARE(cache.search(S, QStringLiteral("message 2")).size(), 1);
    }

    void reopenKeepsEverything()
    {
        const QString path = freshPath();
        {
            MessageCache cache;
            QVERIFY(cache.open(path));
            cache.addMessages(S, R, QStringLiteral("e"), range(1, 30));
            cache.addMessages(S, QStringLiteral("日本語"), QStringLiteral("e2"),
                              {msg(7, QStringLiteral("天气"))});
        } // queued, committed by the destructor
        MessageCache cache;
        QVERIFY(cache.open(path));
        QCOMPARE(cache.rooms(S).size(), 2);
        QCOMPARE(cache.room(S, R).lastContiguousSeq, 30);
        QCOMPARE(cache.room(S, QStringLiteral("日本語")).epoch, QStringLiteral("e2"));
        QCOMPARE(cache.search(S, QStringLiteral("天气")).size(), 1);
    }

    void corruptFileIsMovedAside()
    {
        const QString path = freshPath();
        QDir().mkpath(QFileInfo(path).absolutePath());
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(8192, 'z'));
        }
        MessageCache cache;
        QSignalSpy warnings(&cache, &MessageCache::warning);
        QVERIFY2(cache.open(path), qPrintable(cache.errorString()));
        QCOMPARE(warnings.size(), 1);
        const QStringList aside = QDir(QFileInfo(path).absolutePath())
                                      .entryList({QStringLiteral("cache.sqlite.corrupt-*")}, QDir::Files);
        QCOMPARE(aside.size(), 1);
        QVERIFY(warnings.constFirst().constFirst().toString().contains(aside.constFirst()));
        cache.addMessages(S, R, QStringLiteral("e"), range(1, 3));
        QCOMPARE(cache.room(S, R).count, 3);
    }

    void unusablePlaceFailsWithoutHarm()
    {
        MessageCache cache;
        QVERIFY(!cache.open(QStringLiteral("/proc/natter-no/cache.sqlite")));
        QVERIFY(!cache.errorString().isEmpty());
        QVERIFY(!cache.isOpen());
        cache.addMessages(S, R, QStringLiteral("e"), range(1, 3)); // ignored, no crash
        QVERIFY(cache.latest(S, R, 10).isEmpty());
    }

    void twoInstancesShareOneFile()
    {
        const QString path = freshPath();
        MessageCache a, b;
        QVERIFY(a.open(path));
        QVERIFY(b.open(path));
        a.addMessages(S, R, QStringLiteral("e"), range(1, 10));
        a.flush();
        QCOMPARE(b.room(S, R).count, 10);
        b.addMessages(S, R, QStringLiteral("e"), range(11, 20));
        b.flush();
        QCOMPARE(a.room(S, R).lastContiguousSeq, 20);
        QCOMPARE(a.search(S, QStringLiteral("message 15")).size(), 1);
    }

    void commitsOncePerEventLoopPass()
    {
        const QString path = freshPath();
        MessageCache writer, reader;
        QVERIFY(writer.open(path));
        QVERIFY(reader.open(path));
        writer.addMessages(S, R, QStringLiteral("e"), range(1, 2));
        writer.addMessages(S, R, QStringLiteral("e"), range(3, 4));
        QCOMPARE(reader.room(S, R).count, 0); // still queued in the writer
        QTRY_COMPARE(reader.room(S, R).count, 4);
    }
};

QTEST_GUILESS_MAIN(TestMessageCache)
#include "tst_messagecache.moc"

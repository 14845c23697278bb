// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatserver.h"
#include "gatedstore.h"
#include "protocol.h"
#include "serverfixture.h"
#include "sqlitemessagestore.h"
#include "wsprobe.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

// Durable history (PROTOCOL.md 2): a ChatServer with a SqliteMessageStore in a temporary
// directory, restarted on the same directory; and the real natter-server killed with SIGKILL in
// the middle of a burst.
class TestServerStorage : public QObject
{
    Q_OBJECT

private:
    // The store is declared first, so the server (which uses it) goes first.
    struct StoredServer
    {
        std::unique_ptr<SqliteMessageStore> store;
        std::unique_ptr<ChatServer> server;
        QUrl url() const { return server->url(); }
        void stop()
        {
            server.reset();
            store.reset();
        }
    };

    static StoredServer startStored(const QString &dir, const ServerConfig &config = testServerConfig(),
                                    qint64 maxBytes = 0)
    {
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
        StoredServer s;
        s.store = std::make_unique<SqliteMessageStore>(dir, SqliteMessageStore::Options{maxBytes});
        if (!s.store->open())
            qFatal("cannot open the message store: %s", qPrintable(s.store->errorString()));
        s.server = std::make_unique<ChatServer>(config);
        s.server->setMessageStore(s.store.get());
        if (!s.server->listen())
            qFatal("cannot listen: %s", qPrintable(s.server->errorString()));
        return s;
    }

    static QList<qint64> seqsOf(const QJsonValue &messages)
    {
        QList<qint64> out;
        for (const QJsonValue &m : messages.toArray())
            out.append(m.toObject().value(QLatin1String("seq")).toInteger());
        return out;
    }
    static QList<qint64> range(qint64 first, qint64 last)
    {
        QList<qint64> out;
        for (qint64 s = first; s <= last; ++s)
            out.append(s);
        return out;
    }
    static QByteArray historyBefore(const QString &room, qint64 before, const QString &epoch = {})
    {
        return Protocol::encode(Protocol::ClientMessage(Protocol::HistoryBefore{room, before, epoch}));
    }
    // Sends `n` chat messages with ids prefix-1 .. prefix-n and waits for their acks.
    static bool chat(WsProbe &probe, const QString &prefix, int n, const QString &text = QStringLiteral("hi"))
    {
        const int before = probe.count(QStringLiteral("ack"));
        for (int i = 1; i <= n; ++i)
            probe.send(Protocol::SendChat{text, QStringLiteral("%1-%2").arg(prefix).arg(i)});
        return waitUntil([&] { return probe.count(QStringLiteral("ack")) >= before + n; });
    }
    static QUrl waitForUrl(QProcess &process)
    {
        const QRegularExpression re(QStringLiteral("^natter-server listening on (wss?://\\S+)$"));
        QByteArray out;
        const bool seen = QTest::qWaitFor(
            [&] {
                out += process.readAllStandardOutput();
                return out.contains('\n') || process.state() == QProcess::NotRunning;
            },
            20000);
        if (!seen)
            return {};
        const auto m = re.match(QString::fromUtf8(out.left(out.indexOf('\n'))).trimmed());
        return m.hasMatch() ? QUrl(m.captured(1)) : QUrl();
    }

private slots:
    void aRestartKeepsEveryRoomItsNumberingAndEpoch()
    {
        QTemporaryDir dir;
        StoredServer s = startStored(dir.path());
        QString generalEpoch;
        QString randomEpoch;
        {
            WsProbe alice;
            WsProbe bob;
            QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("General")));
            QVERIFY(bob.login(s.url(), QStringLiteral("bob"), QStringLiteral("general")));
            generalEpoch =
                bob.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("epoch")).toString();
            QVERIFY(chat(alice, QStringLiteral("g"), 3));
            QVERIFY(waitUntil([&] { return bob.count(QStringLiteral("chatMessage")) == 3; }));
            QVERIFY(alice.join(QStringLiteral("Random")));
            randomEpoch =
                alice.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("epoch")).toString();
            QVERIFY(chat(alice, QStringLiteral("r"), 2));
        }
        s.stop();
        s = startStored(dir.path());

        // Bob saw seq 1 before the restart: he gets exactly 2 and 3, in the same epoch.
        WsProbe bob;
        QVERIFY(bob.login(s.url(), QStringLiteral("bob")));
        QVERIFY(bob.join(QStringLiteral("general"), 1, generalEpoch));
        const QJsonObject joined = bob.all(QStringLiteral("roomJoined")).constLast();
        QCOMPARE(joined.value(QLatin1String("room")).toString(), QStringLiteral("General"));
        QCOMPARE(joined.value(QLatin1String("epoch")).toString(), generalEpoch);
        QCOMPARE(joined.value(QLatin1String("lastSeq")).toInteger(), 3);
        QCOMPARE(seqsOf(joined.value(QLatin1String("history"))), QList<qint64>({2, 3}));
        QVERIFY(!joined.contains(QLatin1String("historyTruncated")));
        QVERIFY(!joined.contains(QLatin1String("historyMore")));

        WsProbe alice;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice")));
        QVERIFY(alice.join(QStringLiteral("random"), 0, randomEpoch));
        const QJsonObject random = alice.all(QStringLiteral("roomJoined")).constLast();
        QCOMPARE(random.value(QLatin1String("epoch")).toString(), randomEpoch);
        QCOMPARE(seqsOf(random.value(QLatin1String("history"))), QList<qint64>({1, 2}));

        // The numbering goes on where it was.
        QVERIFY(alice.join(QStringLiteral("general")));
        QVERIFY(chat(alice, QStringLiteral("g-after"), 1));
        QCOMPARE(alice.all(QStringLiteral("ack")).constLast().value(QLatin1String("seq")).toInteger(), 4);
        const auto live = bob.waitFor(QStringLiteral("chatMessage"));
        QVERIFY(live);
        QCOMPARE(live->value(QLatin1String("seq")).toInteger(), 4);

        // A resend of a message stored before the restart is a duplicate, not a new message.
        alice.send(Protocol::SendChat{QStringLiteral("again"), QStringLiteral("g-1")});
        QVERIFY(waitUntil([&] { return alice.count(QStringLiteral("ack")) == 2; }));
        const QJsonObject dup = alice.all(QStringLiteral("ack")).constLast();
        QVERIFY(dup.value(QLatin1String("duplicate")).toBool());
        QCOMPARE(dup.value(QLatin1String("seq")).toInteger(), 1);
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("chatMessage")), 1);
    }

    // A file sent to a room is part of its stored history (PROTOCOL.md 5.4): after a restart a
    // newcomer learns who sent what, in its place among the chat messages.
    void aSentFileIsInTheStoredHistoryAfterARestart()
    {
        QTemporaryDir dir;
        StoredServer s = startStored(dir.path());
        {
            WsProbe alice;
            WsProbe bob;
            QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
            QVERIFY(bob.login(s.url(), QStringLiteral("bob"), QStringLiteral("general")));
            QVERIFY(chat(alice, QStringLiteral("here it comes"), 1));
            const QByteArray data(1000, 'x');
            alice.send(Protocol::FileStart{QStringLiteral("plan.txt"), data.size(),
                                           QStringLiteral("text/plain"), QStringLiteral("t-plan")});
            QVERIFY(alice.waitFor(QStringLiteral("fileAccepted")));
            alice.sendBinary(Protocol::encodeChunk(0, data));
            alice.send(Protocol::FileEnd{});
            QVERIFY(alice.waitFor(QStringLiteral("fileComplete")));
            QVERIFY(waitUntil([&] { return bob.count(QStringLiteral("chatMessage")) == 2; })); // stored
        }
        s.stop();
        s = startStored(dir.path());
        WsProbe carol;
        QVERIFY(carol.login(s.url(), QStringLiteral("carol"), QStringLiteral("general")));
        const QJsonArray history =
            carol.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("history")).toArray();
        QCOMPARE(seqsOf(history), QList<qint64>({1, 2}));
        QVERIFY(!history.at(0).toObject().contains(QLatin1String("file")));
        const QJsonObject file = history.at(1).toObject().value(QLatin1String("file")).toObject();
        QCOMPARE(file.value(QLatin1String("name")).toString(), QStringLiteral("plan.txt"));
        QCOMPARE(file.value(QLatin1String("size")).toInteger(), 1000);
        QCOMPARE(file.value(QLatin1String("mimeType")).toString(), QStringLiteral("text/plain"));
        QCOMPARE(file.value(QLatin1String("transferId")).toString(), QStringLiteral("t-plan"));
        QCOMPARE(history.at(1).toObject().value(QLatin1String("user")).toString(), QStringLiteral("alice"));
    }

    // Replies, edits, reactions and deletions of messages no longer in memory go through the store
    // (PROTOCOL.md 3): two reactions in one pass both count (the second builds on the first, not
    // on what was stored before it), and a restart serves everything in its current form.
    void conversationChangesAreStored()
    {
        QTemporaryDir dir;
        ServerConfig config = testServerConfig();
        config.historyLimit = 2; // seq 1 and 2 only in the store
        {
            StoredServer s = startStored(dir.path(), config);
            WsProbe alice, bob, carol;
            QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
            QVERIFY(bob.login(s.url(), QStringLiteral("bob"), QStringLiteral("general")));
            QVERIFY(carol.login(s.url(), QStringLiteral("carol"), QStringLiteral("general")));
            QVERIFY(chat(alice, QStringLiteral("m"), 4));
            bob.send(Protocol::React{1, QStringLiteral("👍"), true});
            carol.send(Protocol::React{1, QStringLiteral("👍"), true});
            QVERIFY(waitUntil([&] { return alice.count(QStringLiteral("reactions")) == 2; }));
            const QJsonArray users = alice.all(QStringLiteral("reactions"))
                                         .constLast()
                                         .value(QLatin1String("reactions"))
                                         .toArray()
                                         .at(0)
                                         .toObject()
                                         .value(QLatin1String("users"))
                                         .toArray();
            QCOMPARE(users.size(), 2);
            alice.send(Protocol::EditMessage{1, QStringLiteral("first, edited")});
            QVERIFY(bob.waitFor(QStringLiteral("messageEdited")));
            alice.send(Protocol::DeleteMessage{2});
            QVERIFY(bob.waitFor(QStringLiteral("messageDeleted")));
            bob.send(Protocol::SendChat{QStringLiteral("about the first"), QStringLiteral("r-1"), 1});
            QVERIFY(bob.waitFor(QStringLiteral("ack")));
            bob.send(Protocol::EditMessage{1, QStringLiteral("not mine")});
            QCOMPARE(bob.waitFor(QStringLiteral("error"))->value(QLatin1String("code")).toString(),
                     QStringLiteral("notAuthor"));
        }
        StoredServer s = startStored(dir.path(), config);
        WsProbe dave;
        QVERIFY(dave.login(s.url(), QStringLiteral("dave"), QStringLiteral("general")));
        dave.send(Protocol::HistoryBefore{QStringLiteral("general"), 6, {}});
        const auto page = dave.waitFor(QStringLiteral("historyBefore"));
        QVERIFY(page);
        const QJsonArray messages = page->value(QLatin1String("messages")).toArray();
        QCOMPARE(seqsOf(messages), range(1, 5));
        const QJsonObject first = messages.at(0).toObject();
        QCOMPARE(first.value(QLatin1String("text")).toString(), QStringLiteral("first, edited"));
        QVERIFY(first.value(QLatin1String("edited")).toInteger() > 0);
        QCOMPARE(first.value(QLatin1String("reactions"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1String("users"))
                     .toArray()
                     .size(),
                 2);
        const QJsonObject second = messages.at(1).toObject();
        QVERIFY(second.value(QLatin1String("deleted")).toInteger() > 0);
        QCOMPARE(second.value(QLatin1String("text")).toString(), QString());
        QCOMPARE(messages.at(4).toObject().value(QLatin1String("replyTo")).toInteger(), 1);

        // After the restart the authors are read from the store: alice still owns hers.
        WsProbe alice;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice.send(Protocol::EditMessage{3, QStringLiteral("third, edited")});
        QVERIFY(alice.waitFor(QStringLiteral("messageEdited")));
        WsProbe mallory;
        QVERIFY(mallory.login(s.url(), QStringLiteral("mallory"), QStringLiteral("general")));
        mallory.send(Protocol::DeleteMessage{4});
        QCOMPARE(mallory.waitFor(QStringLiteral("error"))->value(QLatin1String("code")).toString(),
                 QStringLiteral("notAuthor"));
    }

    // A row whose author the store does not know (written by hand, or by a tool) belongs to no
    // one: nobody may edit or delete it, while reactions still work.
    void aMessageWithoutARecordedAuthorIsNobodys()
    {
        QTemporaryDir dir;
        {
            StoredServer s = startStored(dir.path());
            WsProbe alice;
            QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
            QVERIFY(chat(alice, QStringLiteral("m"), 1));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("edit"));
            db.setDatabaseName(QDir(dir.path()).filePath(SqliteMessageStore::fileName()));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("UPDATE messages SET user_key = '' WHERE seq = 1")));
            QCOMPARE(q.numRowsAffected(), 1);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("edit"));
        StoredServer s = startStored(dir.path());
        WsProbe alice;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice.send(Protocol::EditMessage{1, QStringLiteral("mine?")});
        QCOMPARE(alice.waitFor(QStringLiteral("error"))->value(QLatin1String("code")).toString(),
                 QStringLiteral("notAuthor"));
        alice.send(Protocol::DeleteMessage{1});
        QCOMPARE(alice.waitFor(QStringLiteral("error"))->value(QLatin1String("code")).toString(),
                 QStringLiteral("notAuthor"));
        alice.send(Protocol::React{1, QStringLiteral("👍"), true});
        QVERIFY(alice.waitFor(QStringLiteral("reactions")));
    }

    void sinceOlderThanMemoryIsServedFromTheStoreInPages()
    {
        QTemporaryDir dir;
        ServerConfig config = testServerConfig();
        config.historyLimit = 5; // in memory
        config.historyPageMessages = 6;
        StoredServer s = startStored(dir.path(), config);
        WsProbe alice;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(chat(alice, QStringLiteral("m"), 20));
        const QString epoch =
            alice.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("epoch")).toString();

        WsProbe bob;
        QVERIFY(bob.login(s.url(), QStringLiteral("bob")));
        QVERIFY(bob.join(QStringLiteral("general"), 2, epoch));
        QJsonObject page = bob.all(QStringLiteral("roomJoined")).constLast();
        QList<qint64> seen = seqsOf(page.value(QLatin1String("history")));
        QVERIFY(!page.contains(QLatin1String("historyTruncated")));
        bool more = page.value(QLatin1String("historyMore")).toBool();
        while (more) {
            bob.send(Protocol::HistoryRequest{QStringLiteral("general"), seen.constLast(), epoch});
            const auto next = bob.waitFor(QStringLiteral("history"));
            QVERIFY(next);
            QVERIFY(!next->contains(QLatin1String("truncated")));
            seen += seqsOf(next->value(QLatin1String("messages")));
            more = next->value(QLatin1String("more")).toBool();
        }
        QCOMPARE(seen, range(3, 20));
    }

    void historyBeforePagesBackToTheFirstMessage_data()
    {
        QTest::addColumn<bool>("stored");
        QTest::newRow("store") << true;
        QTest::newRow("memory") << false;
    }
    void historyBeforePagesBackToTheFirstMessage()
    {
        QFETCH(bool, stored);
        QTemporaryDir dir;
        ServerConfig config = testServerConfig();
        config.historyLimit = 10;
        config.historyPageMessages = 7;
        StoredServer s;
        if (stored) {
            s = startStored(dir.path(), config);
        } else {
            s.server = startTestServer(config);
        }
        WsProbe alice;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(chat(alice, QStringLiteral("m"), 40));

        WsProbe bob;
        QVERIFY(bob.login(s.url(), QStringLiteral("bob"), QStringLiteral("general")));
        const QJsonObject joined = bob.all(QStringLiteral("roomJoined")).constLast();
        const QString epoch = joined.value(QLatin1String("epoch")).toString();
        QList<qint64> seen = seqsOf(joined.value(QLatin1String("history")));
        QCOMPARE(seen, range(34, 40));
        bool more = true;
        int requests = 0;
        while (more && requests++ < 20) {
            bob.sendRaw(historyBefore(QStringLiteral("General"), seen.constFirst(), epoch));
            const auto page = bob.waitFor(QStringLiteral("historyBefore"));
            QVERIFY(page);
            QCOMPARE(page->value(QLatin1String("before")).toInteger(), seen.constFirst());
            QCOMPARE(page->value(QLatin1String("lastSeq")).toInteger(), 40);
            QCOMPARE(page->value(QLatin1String("epoch")).toString(), epoch);
            const QList<qint64> older = seqsOf(page->value(QLatin1String("messages")));
            // Each page ends right before what the client has, seq contiguous.
            QVERIFY(!older.isEmpty());
            QCOMPARE(older, range(older.constFirst(), seen.constFirst() - 1));
            QVERIFY(older.size() <= 7);
            seen = older + seen;
            more = page->value(QLatin1String("more")).toBool();
        }
        // With a store, back to the very first message; in memory, to the oldest one held.
        QCOMPARE(seen, range(stored ? 1 : 31, 40));
        // Nothing before the first: an empty page.
        bob.sendRaw(historyBefore(QStringLiteral("general"), seen.constFirst(), epoch));
        const auto empty = bob.waitFor(QStringLiteral("historyBefore"));
        QVERIFY(empty);
        QVERIFY(empty->value(QLatin1String("messages")).toArray().isEmpty());
        QVERIFY(!empty->value(QLatin1String("more")).toBool());
    }

    void historyBeforeRefusesWhatIsNotAsked()
    {
        QTemporaryDir dir;
        StoredServer s = startStored(dir.path());
        WsProbe alice;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(chat(alice, QStringLiteral("m"), 3));
        const QString epoch =
            alice.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("epoch")).toString();

        const QList<QPair<QByteArray, QString>> bad{
            {R"({"type":"historyBefore","room":"general","before":-5})", QStringLiteral("badField")},
            {R"({"type":"historyBefore","room":"general","before":0})", QStringLiteral("badField")},
            {R"({"type":"historyBefore","room":"general","before":1.5})", QStringLiteral("badField")},
            {R"({"type":"historyBefore","room":"general","before":"3"})", QStringLiteral("badField")},
            {R"({"type":"historyBefore","room":"general","before":1e300})", QStringLiteral("badField")},
            {R"({"type":"historyBefore","room":"general"})", QStringLiteral("missingField")},
            {R"({"type":"historyBefore","before":3})", QStringLiteral("missingField")},
            {R"({"type":"historyBefore","room":"elsewhere","before":3})", QStringLiteral("notInRoom")},
        };
        for (const auto &[json, code] : bad) {
            alice.sendRaw(json);
            const auto error = alice.waitFor(QStringLiteral("error"));
            QVERIFY2(error, json.constData());
            QCOMPARE(error->value(QLatin1String("code")).toString(), code);
        }
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("historyBefore")), 0);

        // A huge `before` is the newest page.
        alice.sendRaw(historyBefore(QStringLiteral("general"), qint64(1) << 53, epoch));
        auto page = alice.waitFor(QStringLiteral("historyBefore"));
        QVERIFY(page);
        QCOMPARE(page->value(QLatin1String("before")).toInteger(), 4);
        QCOMPARE(seqsOf(page->value(QLatin1String("messages"))), QList<qint64>({1, 2, 3}));

        // Seqs of another epoch name nothing: an empty, truncated page with the room's epoch.
        alice.sendRaw(historyBefore(QStringLiteral("general"), 3, QStringLiteral("0000000000000000")));
        page = alice.waitFor(QStringLiteral("historyBefore"));
        QVERIFY(page);
        QVERIFY(page->value(QLatin1String("truncated")).toBool());
        QVERIFY(page->value(QLatin1String("messages")).toArray().isEmpty());
        QCOMPARE(page->value(QLatin1String("epoch")).toString(), epoch);

        // Not a member: nothing of the room, whoever asks.
        WsProbe mallory;
        QVERIFY(mallory.login(s.url(), QStringLiteral("mallory")));
        mallory.sendRaw(historyBefore(QStringLiteral("general"), 4));
        const auto error = mallory.waitFor(QStringLiteral("error"));
        QVERIFY(error);
        QCOMPARE(error->value(QLatin1String("code")).toString(), QStringLiteral("notInRoom"));
        // It names the request, so a client knows its page is not coming.
        QCOMPARE(error->value(QLatin1String("request")).toString(), QStringLiteral("historyBefore"));
        QVERIFY(mallory.settle());
        QCOMPARE(mallory.count(QStringLiteral("historyBefore")), 0);
    }

    void historyBeforeKeepsToTheHistoryBudget()
    {
        QTemporaryDir dir;
        ServerConfig config = testServerConfig();
        config.rateScale = 1;
        config.historyBytesRate = {2000, 4000};
        StoredServer s = startStored(dir.path(), config);
        WsProbe alice;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        for (int i = 1; i <= 20; ++i) // within the chat rate's burst
            alice.send(Protocol::SendChat{QString(100, u'x'), QStringLiteral("m-%1").arg(i)});
        QVERIFY(waitUntil([&] { return alice.count(QStringLiteral("ack")) == 20; }));

        WsProbe bob;
        QVERIFY(bob.login(s.url(), QStringLiteral("bob"), QStringLiteral("general")));
        // A loop asking again and again is refused, then closed like any other flood.
        for (int i = 0; i < 200; ++i)
            bob.sendRaw(historyBefore(QStringLiteral("general"), 21));
        QVERIFY(bob.waitForDisconnected());
        QCOMPARE(int(bob.socket().closeCode()), 1008);
        const QList<QJsonObject> errors = bob.all(QStringLiteral("error"));
        QVERIFY(!errors.isEmpty());
        QCOMPARE(errors.first().value(QLatin1String("code")).toString(), QStringLiteral("rateLimited"));
        QCOMPARE(errors.first().value(QLatin1String("request")).toString(), QStringLiteral("historyBefore"));
        QVERIFY(errors.first().value(QLatin1String("retryAfterMs")).toInteger() > 0);
        // What was sent stayed within the budget's burst and one page.
        QVERIFY(bob.count(QStringLiteral("historyBefore")) < 10);
    }

    void retentionRemovesOldMessagesInTheBackground()
    {
        QTemporaryDir dir;
        ServerConfig config = testServerConfig();
        config.historyMaxMessages = 5;
        config.retentionIntervalMs = 20;
        config.retentionBatch = 2; // several passes for one round
        StoredServer s = startStored(dir.path(), config);
        WsProbe alice;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(chat(alice, QStringLiteral("m"), 12));

        SqliteMessageStore reader(dir.path()); // a second connection, as an operator's would be
        QVERIFY(reader.open());
        QTRY_COMPARE(reader.after(QStringLiteral("general"), 0, 100).size(), 5);
        QCOMPARE(reader.after(QStringLiteral("general"), 0, 100).constFirst().seq, 8);

        // What retention removed is no longer held, in memory either.
        WsProbe bob;
        QVERIFY(bob.login(s.url(), QStringLiteral("bob")));
        QVERIFY(bob.join(QStringLiteral("general"), 0));
        const QJsonObject joined = bob.all(QStringLiteral("roomJoined")).constLast();
        QVERIFY(joined.value(QLatin1String("historyTruncated")).toBool());
        QCOMPARE(seqsOf(joined.value(QLatin1String("history"))), range(8, 12));
        QCOMPARE(joined.value(QLatin1String("lastSeq")).toInteger(), 12);
        bob.sendRaw(historyBefore(QStringLiteral("general"), 8));
        const auto page = bob.waitFor(QStringLiteral("historyBefore"));
        QVERIFY(page);
        QVERIFY(page->value(QLatin1String("messages")).toArray().isEmpty());
    }

    void aFullStoreRefusesNewMessagesAndLosesNothingAcknowledged()
    {
        QTemporaryDir dir;
        // SQLite's max_page_count (--history-max-bytes) stands in for a full disk: a loop-mounted
        // small filesystem needs privileges, and chmod does not stop root or an open file.
        StoredServer s = startStored(dir.path(), testServerConfig(), 96 * 1024);
        WsProbe alice;
        WsProbe bob;
        QVERIFY(alice.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(s.url(), QStringLiteral("bob"), QStringLiteral("general")));
        const QString text(4000, u'x');
        QStringList acked;
        QString refused;
        for (int i = 1; i <= 100 && refused.isEmpty(); ++i) {
            const QString id = QStringLiteral("m-%1").arg(i);
            alice.send(Protocol::SendChat{text, id});
            QVERIFY(waitUntil([&] {
                return alice.count(QStringLiteral("ack")) + alice.count(QStringLiteral("error")) == i;
            }));
            if (alice.count(QStringLiteral("error")) > 0)
                refused = id;
            else
                acked.append(
                    alice.all(QStringLiteral("ack")).constLast().value(QLatin1String("id")).toString());
        }
        QVERIFY(acked.size() >= 3);
        QVERIFY(!refused.isEmpty());
        const QJsonObject error = alice.all(QStringLiteral("error")).constFirst();
        QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("storeFailed"));
        QCOMPARE(error.value(QLatin1String("id")).toString(), refused);
        // Refused again while full, each with its own id; the connection stays.
        alice.send(Protocol::SendChat{text, QStringLiteral("later")});
        QVERIFY(waitUntil([&] { return alice.count(QStringLiteral("error")) == 2; }));
        QCOMPARE(alice.all(QStringLiteral("error")).constLast().value(QLatin1String("id")).toString(),
                 QStringLiteral("later"));

        // Bob got exactly what was acknowledged, and nothing refused.
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("chatMessage")), acked.size());
        // Reads go on: a joiner gets the stored history and the numbering did not move.
        WsProbe carol;
        QVERIFY(carol.login(s.url(), QStringLiteral("carol"), QStringLiteral("general")));
        const QJsonObject joined = carol.all(QStringLiteral("roomJoined")).constLast();
        QCOMPARE(joined.value(QLatin1String("lastSeq")).toInteger(), acked.size());
        carol.sendRaw(historyBefore(QStringLiteral("general"), 2));
        const auto page = carol.waitFor(QStringLiteral("historyBefore"));
        QVERIFY(page);
        QCOMPARE(seqsOf(page->value(QLatin1String("messages"))), QList<qint64>({1}));

        // After a restart without the bound: every acknowledged message, once, nothing else.
        s.stop();
        s = startStored(dir.path());
        SqliteMessageStore reader(dir.path());
        QVERIFY(reader.open());
        QStringList stored;
        for (const Protocol::ChatMessage &m : reader.after(QStringLiteral("general"), 0, 1000))
            stored.append(m.id);
        QCOMPARE(stored, acked);
        WsProbe alice2;
        QVERIFY(alice2.login(s.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(chat(alice2, QStringLiteral("after"), 1));
        QCOMPARE(alice2.all(QStringLiteral("ack")).constLast().value(QLatin1String("seq")).toInteger(),
                 acked.size() + 1);
    }

    // A disk slower than the chat: the server holds at most maxUnwrittenMessages for it and
    // refuses the rest at once, without numbering them.
    void messagesWaitingForASlowDiskAreBounded()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
        QTemporaryDir dir;
        GatedStore store(dir.path());
        QVERIFY(store.open());
        ServerConfig config = testServerConfig();
        config.maxUnwrittenMessages = 3;
        ChatServer server(config);
        server.setMessageStore(&store);
        QVERIFY(server.listen());
        WsProbe alice;
        WsProbe bob;
        QVERIFY(alice.login(server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server.url(), QStringLiteral("bob"), QStringLiteral("general")));
        for (int i = 1; i <= 5; ++i)
            alice.send(Protocol::SendChat{QStringLiteral("hi"), QStringLiteral("m-%1").arg(i)});
        QVERIFY(waitUntil([&] { return alice.count(QStringLiteral("error")) == 2; }));
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("ack")), 0); // the disk has not written anything yet
        for (const QJsonObject &error : alice.all(QStringLiteral("error")))
            QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("storeFailed"));
        QCOMPARE(alice.all(QStringLiteral("error")).constLast().value(QLatin1String("id")).toString(),
                 QStringLiteral("m-5"));

        store.gate.release(100);
        QVERIFY(waitUntil([&] { return alice.count(QStringLiteral("ack")) == 3; }));
        QVERIFY(chat(alice, QStringLiteral("later"), 1));
        QList<qint64> seqs;
        for (const QJsonObject &ack : alice.all(QStringLiteral("ack")))
            seqs.append(ack.value(QLatin1String("seq")).toInteger());
        QCOMPARE(seqs, range(1, 4)); // the refused ones took no number
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("chatMessage")), 4);
    }

    void historyOptionsAreChecked_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("age not a duration")
            << QStringList{"--history-max-age", "soon"} << "--history-max-age";
        QTest::newRow("age with a bad unit")
            << QStringList{"--history-max-age", "10w"} << "--history-max-age";
        QTest::newRow("negative age") << QStringList{"--history-max-age", "-1d"} << "--history-max-age";
        QTest::newRow("count not a number")
            << QStringList{"--history-max-messages", "many"} << "--history-max-messages";
        QTest::newRow("negative bytes") << QStringList{"--history-max-bytes", "-5"} << "--history-max-bytes";
    }
    void historyOptionsAreChecked()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        QTemporaryDir dir;
        QProcess server;
        server.start(QStringLiteral(NATTER_SERVER_PATH),
                     args + QStringList{QStringLiteral("--port"), QStringLiteral("0"),
                                        QStringLiteral("--data-dir"), dir.path()});
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(server.exitCode(), 2);
        QVERIFY2(server.readAllStandardError().contains(named.toUtf8()), qPrintable(named));
    }

    // Without --data-dir history stays in memory, as before: no store in the state directory.
    void withoutADataDirNothingIsStored()
    {
        QTemporaryDir state;
        QProcess server;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("STATE_DIRECTORY"), state.path());
        server.setProcessEnvironment(environment);
        server.start(QStringLiteral(NATTER_SERVER_PATH),
                     {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                      QStringLiteral("0"), QStringLiteral("--history-max-age"), QStringLiteral("90d")});
        const QUrl url = waitForUrl(server);
        QVERIFY2(url.isValid(), server.readAllStandardError().constData());
        WsProbe alice;
        QVERIFY(alice.login(url, QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(chat(alice, QStringLiteral("m"), 1));
        QVERIFY(!QFileInfo::exists(QDir(state.path()).filePath(SqliteMessageStore::fileName())));
        server.kill();
        server.waitForFinished(10000);
    }

    // Two servers on one data directory would number the same rooms independently: the second
    // refuses to start and names the first; once the first is gone (even killed), it starts.
    void aSecondServerOnTheSameDataDirRefusesToStart()
    {
        QTemporaryDir dir;
        const QStringList args{QStringLiteral("--host"),     QStringLiteral("127.0.0.1"),
                               QStringLiteral("--port"),     QStringLiteral("0"),
                               QStringLiteral("--data-dir"), dir.path()};
        QProcess first;
        first.start(QStringLiteral(NATTER_SERVER_PATH), args);
        QVERIFY2(waitForUrl(first).isValid(), first.readAllStandardError().constData());

        QProcess second;
        second.start(QStringLiteral(NATTER_SERVER_PATH), args);
        QVERIFY(second.waitForFinished(10000));
        QCOMPARE(second.exitCode(), 1);
        const QByteArray said = second.readAllStandardError();
        QVERIFY2(said.contains("in use by another natter-server (pid " +
                               QByteArray::number(first.processId()) + ")"),
                 said.constData());

        ::kill(pid_t(first.processId()), SIGKILL);
        QVERIFY(waitUntil([&] { return first.state() == QProcess::NotRunning; }));
        QProcess third;
        third.start(QStringLiteral(NATTER_SERVER_PATH), args);
        const QUrl url = waitForUrl(third);
        QVERIFY2(url.isValid(), third.readAllStandardError().constData());
        WsProbe alice;
        QVERIFY(alice.login(url, QStringLiteral("alice"), QStringLiteral("general")));
        third.kill();
        third.waitForFinished(10000);
    }

    void everyAcknowledgedMessageSurvivesKill9Once()
    {
        QTemporaryDir dir;
        const QStringList args{QStringLiteral("--host"),
                               QStringLiteral("127.0.0.1"),
                               QStringLiteral("--port"),
                               QStringLiteral("0"),
                               QStringLiteral("--data-dir"),
                               dir.path(),
                               QStringLiteral("--rate-limit-percent"),
                               QStringLiteral("0")};
        constexpr int Burst = 3000;
        QSet<QString> acked;
        QHash<QString, qint64> ackedSeq;
        {
            QProcess server;
            server.start(QStringLiteral(NATTER_SERVER_PATH), args);
            const QUrl url = waitForUrl(server);
            QVERIFY2(url.isValid(), server.readAllStandardError().constData());
            WsProbe alice;
            QVERIFY(alice.login(url, QStringLiteral("alice"), QStringLiteral("general")));
            // A window of messages in flight, topped up on each ack, and the kill comes from the
            // ack handler itself: the server dies mid-stream with some acknowledged and some
            // not, however fast it writes (a burst sent at once may be committed in one pass).
            constexpr int Window = 64;
            constexpr int KillAfterAcks = 300;
            int sent = 0;
            int acks = 0;
            bool killed = false;
            const auto sendNext = [&] {
                alice.send(Protocol::SendChat{QStringLiteral("burst %1").arg(sent),
                                              QStringLiteral("b-%1").arg(sent)});
                ++sent;
            };
            QObject context;
            QObject::connect(
                &alice.socket(), &QWebSocket::textMessageReceived, &context, [&](const QString &text) {
                    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
                    if (killed || o.value(QLatin1String("type")).toString() != QLatin1String("ack"))
                        return;
                    if (++acks == KillAfterAcks) {
                        ::kill(pid_t(server.processId()), SIGKILL);
                        killed = true;
                    } else if (sent < Burst) {
                        sendNext();
                    }
                });
            while (sent < Window)
                sendNext();
            QVERIFY(waitUntil([&] { return killed; }, 30000));
            // The loop may have seen it end already, and waitForFinished() fails on a finished one.
            QVERIFY(waitUntil([&] { return server.state() == QProcess::NotRunning; }, 10000));
            QVERIFY(alice.waitForDisconnected());
            for (const QJsonObject &ack : alice.all(QStringLiteral("ack"))) {
                const QString id = ack.value(QLatin1String("id")).toString();
                acked.insert(id);
                ackedSeq.insert(id, ack.value(QLatin1String("seq")).toInteger());
            }
            qInfo("%d of %d acknowledged before the kill", int(acked.size()), Burst);
            QVERIFY(acked.size() < Burst); // else the kill came too late to prove anything
        }

        QProcess server;
        server.start(QStringLiteral(NATTER_SERVER_PATH), args);
        const QUrl url = waitForUrl(server);
        QVERIFY2(url.isValid(), server.readAllStandardError().constData());
        // Everything stored, paged in from the first message: each seq once, no gap.
        const auto readAll = [&](WsProbe &probe, QHash<QString, qint64> *seqOf) {
            probe.send(Protocol::JoinRoom{QStringLiteral("general"), 0, {}});
            auto joined = probe.waitFor(QStringLiteral("roomJoined"));
            if (!joined)
                return false;
            const QString epoch = joined->value(QLatin1String("epoch")).toString();
            QJsonArray messages = joined->value(QLatin1String("history")).toArray();
            bool more = joined->value(QLatin1String("historyMore")).toBool();
            qint64 expected = 1;
            while (true) {
                for (const QJsonValue &v : messages) {
                    const QJsonObject m = v.toObject();
                    if (m.value(QLatin1String("seq")).toInteger() != expected++)
                        return false;
                    const QString id = m.value(QLatin1String("id")).toString();
                    if (seqOf->contains(id))
                        return false; // a duplicate
                    seqOf->insert(id, m.value(QLatin1String("seq")).toInteger());
                }
                if (!more)
                    return true;
                probe.send(Protocol::HistoryRequest{QStringLiteral("general"), expected - 1, epoch});
                const auto page = probe.waitFor(QStringLiteral("history"));
                if (!page)
                    return false;
                messages = page->value(QLatin1String("messages")).toArray();
                more = page->value(QLatin1String("more")).toBool();
            }
        };
        WsProbe bob;
        QVERIFY(bob.login(url, QStringLiteral("bob")));
        QHash<QString, qint64> stored;
        QVERIFY(readAll(bob, &stored));
        for (const QString &id : std::as_const(acked)) {
            QVERIFY2(stored.contains(id), qPrintable(id));
            QCOMPARE(stored.value(id), ackedSeq.value(id));
        }

        // The client resends the whole burst with the same ids, as an outbox would after a
        // reconnect: what was stored is a duplicate (ids read back), the rest is new; once each.
        WsProbe alice;
        QVERIFY(alice.login(url, QStringLiteral("alice"), QStringLiteral("general")));
        for (int i = 0; i < Burst; ++i)
            alice.send(Protocol::SendChat{QStringLiteral("burst %1").arg(i), QStringLiteral("b-%1").arg(i)});
        QVERIFY(waitUntil([&] { return alice.count(QStringLiteral("ack")) == Burst; }, 30000));
        int duplicates = 0;
        for (const QJsonObject &ack : alice.all(QStringLiteral("ack"))) {
            const bool duplicate = ack.value(QLatin1String("duplicate")).toBool();
            const QString id = ack.value(QLatin1String("id")).toString();
            QCOMPARE(duplicate, stored.contains(id));
            if (duplicate) {
                ++duplicates;
                QCOMPARE(ack.value(QLatin1String("seq")).toInteger(), stored.value(id));
            }
        }
        QCOMPARE(duplicates, stored.size());
        WsProbe carol;
        QVERIFY(carol.login(url, QStringLiteral("carol")));
        QHash<QString, qint64> all;
        QVERIFY(readAll(carol, &all));
        QCOMPARE(all.size(), Burst);
        server.kill();
        server.waitForFinished(10000);
    }
};

QTEST_MAIN(TestServerStorage)
#include "tst_serverstorage.moc"

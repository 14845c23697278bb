// SPDX-License-Identifier: GPL-3.0-or-later
#include "clusterbus.h"
#include "clusterfixture.h"
#include "historywriter.h"
#include "redismessagestore.h"

#include <QtTest>

using namespace Protocol;

//! RedisMessageStore against a real redis-server, as two nodes use it: one numbering per room
//! whoever writes, one epoch per room whoever opens it first, message ids shared, changed
//! messages read in their new form, pages by seq, and an outage failing fast.
class TestRedisMessageStore : public QObject
{
    Q_OBJECT

private:
    ClusterFixture m_cluster;

    RedisMessageStore::Options options() const
    {
        RedisMessageStore::Options o;
        o.url.host = QStringLiteral("127.0.0.1");
        o.url.port = m_cluster.redis().port();
        return o;
    }
    static MessageStore::Entry entry(const QString &text, const QString &id = {},
                                     const QString &user = QStringLiteral("alice"))
    {
        MessageStore::Entry e{QStringLiteral("lobby"), QStringLiteral("Lobby"), QStringLiteral("e1"), user,
                              ChatMessage{user, text, 1000, id, 0, QStringLiteral("Lobby")}};
        return e;
    }

private slots:
    void init() { m_cluster.init(); }
    void cleanup() { m_cluster.cleanup(); }

    void twoNodesNumberOneRoomAsOne()
    {
        RedisMessageStore a(options()), b(options());
        QVERIFY(a.open() && b.open());
        for (int i = 0; i < 5; ++i) {
            QVERIFY(a.write({entry(QStringLiteral("a%1").arg(i)), entry(QStringLiteral("a%1'").arg(i))}));
            const QList<MessageStore::Numbered> fromA = a.takeNumbering();
            QCOMPARE(fromA.size(), 2);
            QVERIFY(b.write({entry(QStringLiteral("b%1").arg(i), {}, QStringLiteral("bob"))}));
            const QList<MessageStore::Numbered> fromB = b.takeNumbering();
            QCOMPARE(fromB.constFirst().seq, fromA.constLast().seq + 1);
        }
        const QList<ChatMessage> all = b.after(QStringLiteral("lobby"), 0, 100);
        QCOMPARE(all.size(), 15);
        for (int i = 0; i < all.size(); ++i)
            QCOMPARE(all.at(i).seq, i + 1);
        QCOMPARE(all.at(2).text, QStringLiteral("b0"));
        QCOMPARE(a.room(QStringLiteral("lobby"))->lastSeq, 15);
        // Pages: after a seq, and the newest before one.
        QCOMPARE(a.after(QStringLiteral("lobby"), 13, 100).size(), 2);
        const QList<ChatMessage> older = a.before(QStringLiteral("lobby"), 10, 3);
        QCOMPARE(older.size(), 3);
        QCOMPARE(older.constFirst().seq, 7);
        QCOMPARE(older.constLast().seq, 9);
        QCOMPARE(a.message(QStringLiteral("lobby"), 3)->userKey, QStringLiteral("bob"));
        QVERIFY(!a.message(QStringLiteral("lobby"), 99));
    }

    void theFirstNodeToOpenARoomGivesItsEpoch()
    {
        RedisMessageStore a(options()), b(options());
        QVERIFY(a.open() && b.open());
        QVERIFY(!a.room(QStringLiteral("new")));
        QCOMPARE(a.createRoom(QStringLiteral("new"), QStringLiteral("New"), QStringLiteral("first"))->epoch,
                 QStringLiteral("first"));
        const auto second =
            b.createRoom(QStringLiteral("new"), QStringLiteral("NEW"), QStringLiteral("second"));
        QCOMPARE(second->epoch, QStringLiteral("first"));
        QCOMPARE(second->name, QStringLiteral("New"));
    }

    void anIdUsedBeforeIsADuplicateOnAnyNode()
    {
        RedisMessageStore a(options()), b(options());
        QVERIFY(a.open() && b.open());
        QVERIFY(a.write({entry(QStringLiteral("once"), QStringLiteral("id-1"))}));
        const qint64 seq = a.takeNumbering().constFirst().seq;
        QVERIFY(b.write({entry(QStringLiteral("once"), QStringLiteral("id-1"))}));
        const MessageStore::Numbered again = b.takeNumbering().constFirst();
        QVERIFY(again.duplicate);
        QCOMPARE(again.seq, seq);
        // Another user's message with the same id is its own message.
        QVERIFY(b.write({entry(QStringLiteral("mine"), QStringLiteral("id-1"), QStringLiteral("bob"))}));
        QVERIFY(!b.takeNumbering().constFirst().duplicate);
        QCOMPARE(a.after(QStringLiteral("lobby"), 0, 10).size(), 2);
    }

    void aChangedMessageIsReadInItsNewForm()
    {
        RedisMessageStore a(options()), b(options());
        QVERIFY(a.open() && b.open());
        QVERIFY(a.write({entry(QStringLiteral("frist")), entry(QStringLiteral("second"))}));
        MessageStore::Entry edit = entry(QStringLiteral("first"));
        edit.message.seq = 1;
        edit.message.edited = 2000;
        edit.update = true;
        edit.nextRevision = "1 t"; // the first change of a message never changed
        QVERIFY(a.write({edit}));
        const QList<ChatMessage> all = b.after(QStringLiteral("lobby"), 0, 10);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).text, QStringLiteral("first"));
        QCOMPARE(all.at(0).edited, 2000);
        QCOMPARE(all.at(0).seq, 1);
        QCOMPARE(b.message(QStringLiteral("lobby"), 1)->message.text, QStringLiteral("first"));
    }

    void aChangeIsWrittenOnlyOnTheVersionItWasReadFromAndADeletionIsFinal()
    {
        RedisMessageStore a(options()), b(options());
        QVERIFY(a.open() && b.open());
        QVERIFY(a.write({entry(QStringLiteral("one"))}));
        const QString lobby = QStringLiteral("lobby");
        int writes = 0;
        const auto change = [&writes](const MessageStore::Stored &read,
                                      const std::function<void(ChatMessage &)> &apply) {
            MessageStore::Entry e{QStringLiteral("lobby"),
                                  QStringLiteral("Lobby"),
                                  QStringLiteral("e1"),
                                  read.userKey,
                                  read.message,
                                  true};
            apply(e.message);
            e.revision = read.revision;
            e.nextRevision = QByteArray::number(read.version + 1) + " tag" + QByteArray::number(++writes);
            e.origin = QStringLiteral("session");
            e.announcement = R"({"type":"messageEdited"})";
            return e;
        };
        const auto outcome = [](RedisMessageStore &store, const MessageStore::Entry &e) {
            const bool written = store.write({e});
            const QList<MessageStore::Numbered> numbering = store.takeNumbering();
            return written && numbering.size() == 1 ? numbering.constFirst().refused
                                                    : MessageStore::Refusal(-1);
        };
        // Both nodes read the never changed message: version 0.
        const MessageStore::Stored readByA = *a.message(lobby, 1);
        const MessageStore::Stored readByB = *b.message(lobby, 1);
        QCOMPARE(readByA.version, 0);
        QCOMPARE(readByB.version, 0);
        QVERIFY(readByA.revision.isEmpty());
        const MessageStore::Entry byA =
            change(readByA, [](ChatMessage &m) { m.text = QStringLiteral("by a"); });
        QCOMPARE(outcome(a, byA), MessageStore::Refusal::None);
        // A change B built on a change of its own that never got through (a node's pending
        // change) expects version 1 too, but not A's version 1: refused.
        MessageStore::Stored imagined = readByB;
        imagined.version = 1;
        imagined.revision = "1 imagined";
        QCOMPARE(outcome(b, change(imagined, [](ChatMessage &m) { m.text = QStringLiteral("by b"); })),
                 MessageStore::Refusal::Stale);
        // B's change was computed from what A changed meanwhile: refused, and nothing written.
        QCOMPARE(outcome(b, change(readByB,
                                   [](ChatMessage &m) {
                                       m.reactions = {Reaction{QStringLiteral("x"), {QStringLiteral("bob")}}};
                                   })),
                 MessageStore::Refusal::Stale);
        const MessageStore::Stored reread = *b.message(lobby, 1);
        QCOMPARE(reread.version, 1);
        QCOMPARE(reread.revision, byA.nextRevision);
        QCOMPARE(reread.message.text, QStringLiteral("by a"));
        QVERIFY(reread.message.reactions.isEmpty());
        // Read again and applied again, it is written on top.
        QCOMPARE(outcome(b, change(reread,
                                   [](ChatMessage &m) {
                                       m.reactions = {Reaction{QStringLiteral("x"), {QStringLiteral("bob")}}};
                                   })),
                 MessageStore::Refusal::None);
        // A deletes; a change B read before, and a change read after, are both refused.
        const MessageStore::Stored beforeDeletion = *b.message(lobby, 1);
        QCOMPARE(beforeDeletion.version, 2);
        QCOMPARE(outcome(a, change(*a.message(lobby, 1), [](ChatMessage &m) { makeTombstone(m, 3000); })),
                 MessageStore::Refusal::None);
        QCOMPARE(outcome(b, change(beforeDeletion, [](ChatMessage &m) { m.text = QStringLiteral("back"); })),
                 MessageStore::Refusal::Deleted);
        const MessageStore::Stored deleted = *b.message(lobby, 1);
        QCOMPARE(deleted.version, 3);
        QCOMPARE(outcome(b, change(deleted, [](ChatMessage &m) { m.text = QStringLiteral("back"); })),
                 MessageStore::Refusal::Deleted);
        const ChatMessage tombstone = a.after(lobby, 0, 10).constFirst();
        QCOMPARE(tombstone.deleted, 3000);
        QVERIFY(tombstone.text.isEmpty());
        QVERIFY(tombstone.reactions.isEmpty());
        QCOMPARE(a.message(lobby, 1)->version, 3);
    }

    void streamsAreBoundedAndForeignEntriesSkipped()
    {
        RedisMessageStore::Options o = options();
        o.maxMessagesPerRoom = 10;
        RedisMessageStore a(o);
        QVERIFY(a.open());
        QList<MessageStore::Entry> many;
        for (int i = 0; i < 250; ++i)
            many.append(entry(QStringLiteral("m%1").arg(i)));
        QVERIFY(a.write(many));
        // Trimmed approximately: Redis drops whole blocks (100 entries by default), never below
        // what was asked.
        const qint64 kept =
            m_cluster.redis().call({"XLEN", "natter:room:lobby:log"}).mid(1).trimmed().toLongLong();
        QVERIFY2(kept >= 10 && kept <= 150, QByteArray::number(kept));
        // An entry that is not a message (another program, another version) is skipped.
        m_cluster.redis().call({"XADD", "natter:room:lobby:log", "251-0", "m", "not json", "u", "x"});
        const QList<ChatMessage> page = a.after(QStringLiteral("lobby"), 245, 100);
        QCOMPARE(page.size(), 5);
        QCOMPARE(page.constLast().seq, 250);
    }

    void aFlushedScriptCacheOrALostCounterDoesNotWedgeTheStore()
    {
        RedisMessageStore a(options());
        QVERIFY(a.open());
        const std::unique_ptr<MessageStore> writer = a.openAnother();
        QVERIFY(writer->write({entry(QStringLiteral("one")), entry(QStringLiteral("two"))}));
        // An operator flushes the scripts: a batch fails whole (nothing crashes), the next works.
        QCOMPARE(m_cluster.redis().call({"SCRIPT", "FLUSH"}), QByteArray("+OK\r\n"));
        QVERIFY(!writer->write(
            {entry(QStringLiteral("x")), entry(QStringLiteral("y")), entry(QStringLiteral("z"))}));
        QVERIFY(writer->write({entry(QStringLiteral("three"))}));
        QCOMPARE(writer->takeNumbering().constFirst().seq, 3);
        // The room's counter is lost (evicted, deleted): numbering goes on after the stream.
        m_cluster.redis().call({"DEL", "natter:room:lobby:meta"});
        QVERIFY(writer->write({entry(QStringLiteral("four"))}));
        QCOMPARE(writer->takeNumbering().constFirst().seq, 4);
        QCOMPARE(a.after(QStringLiteral("lobby"), 0, 10).size(), 4);
    }

    void aFailedEntryFailsAloneAndTheBatchesAfterItStand()
    {
        // One room's log is not a stream (an operator's mistake): its messages fail, and only they.
        QCOMPARE(m_cluster.redis().call({"SET", "natter:room:broken:log", "not a stream"}),
                 QByteArray("+OK\r\n"));
        MessageStore::Entry broken = entry(QStringLiteral("lost"));
        broken.roomKey = QStringLiteral("broken");
        RedisMessageStore a(options());
        QVERIFY(a.open());
        const std::unique_ptr<MessageStore> writer = a.openAnother();
        QVERIFY(writer->write({entry(QStringLiteral("one")), broken, entry(QStringLiteral("two"))}));
        QVERIFY2(writer->errorString().contains(QLatin1String("WRONGTYPE")),
                 qPrintable(writer->errorString()));
        const QList<MessageStore::Numbered> numbering = writer->takeNumbering();
        QCOMPARE(numbering.size(), 3);
        QVERIFY(numbering.at(0).stored && numbering.at(2).stored);
        QVERIFY(!numbering.at(1).stored);
        QCOMPARE(numbering.at(2).seq, 2);

        // Through the HistoryWriter: the stored messages of a half-failed batch are acknowledged
        // (they were published: refusing them would make their senders send them twice), and
        // the batch after it is written as usual.
        HistoryWriter history(a);
        QList<std::pair<bool, qint64>> done;
        const auto add = [&](const MessageStore::Entry &e) {
            history.add(e, [&](bool stored, const MessageStore::Entry &written) {
                done.append({stored, written.message.seq});
            });
        };
        add(entry(QStringLiteral("three")));
        add(broken);
        add(entry(QStringLiteral("four")));
        QTRY_COMPARE(done.size(), 3);
        QCOMPARE(done.at(0), std::make_pair(true, qint64(3)));
        QVERIFY(!done.at(1).first);
        QCOMPARE(done.at(2), std::make_pair(true, qint64(4)));
        QVERIFY(history.healthy());
        add(entry(QStringLiteral("five")));
        QTRY_COMPARE(done.size(), 4);
        QCOMPARE(done.at(3), std::make_pair(true, qint64(5)));
        const QList<ChatMessage> all = a.after(QStringLiteral("lobby"), 0, 10);
        QCOMPARE(all.size(), 5);
        QCOMPARE(all.constLast().text, QStringLiteral("five"));
    }

    void aFrozenBrokerIsNotWaitedForOnTheEventLoop()
    {
        // The loop's handle skips Redis while the cluster's commands link finds it frozen: a
        // join or a history page fails at once instead of holding every client for a timeout.
        RedisMessageStore loop(options());
        QVERIFY(loop.open());
        ClusterBus::Options o;
        o.url = options().url;
        o.connectMs = 300;
        o.commandMs = 300;
        o.keepaliveMs = 100;
        ClusterBus bus(o, loop);
        QSignalSpy health(&bus, &ClusterBus::healthChanged);
        bus.start();
        QTRY_VERIFY(bus.healthy());
        QVERIFY(loop.createRoom(QStringLiteral("lobby"), QStringLiteral("Lobby"), QStringLiteral("e1")));
        m_cluster.redis().pause(); // SIGSTOP: the socket stays open, nothing answers
        QTRY_VERIFY(!bus.healthy());
        QVERIFY(!loop.room(QStringLiteral("lobby")));
        QVERIFY(loop.lastCallFailed());
        QVERIFY2(loop.errorString().endsWith(QLatin1String("unreachable")), qPrintable(loop.errorString()));
        m_cluster.redis().resume();
        QTRY_VERIFY(bus.healthy());
        QCOMPARE(loop.room(QStringLiteral("lobby"))->epoch, QStringLiteral("e1"));
    }

    void anOutageFailsFastAndWritesResumeWhenRedisIsBack()
    {
        RedisMessageStore a(options());
        QVERIFY(a.open());
        const std::unique_ptr<MessageStore> writer = a.openAnother();
        QVERIFY(writer->write({entry(QStringLiteral("before"))}));
        m_cluster.redis().stop();
        QVERIFY(!writer->write({entry(QStringLiteral("during"))}));
        QVERIFY2(writer->errorString().contains(QLatin1String("Redis")), qPrintable(writer->errorString()));
        QVERIFY(!a.room(QStringLiteral("lobby")));
        QVERIFY(m_cluster.redis().start());
        // The writer's handle connects again with its next write.
        QVERIFY(writer->write({entry(QStringLiteral("after"))}));
        QCOMPARE(writer->takeNumbering().constFirst().seq, 2);
    }
};

QTEST_GUILESS_MAIN(TestRedisMessageStore)
#include "tst_redismessagestore.moc"

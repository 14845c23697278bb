// SPDX-License-Identifier: GPL-3.0-or-later
#include "seenmessages.h"

#include <QTest>

namespace {
Protocol::ChatMessage message(const QString &room, qint64 seq, const QString &id = {})
{
    Protocol::ChatMessage m;
    m.room = room;
    m.seq = seq;
    m.id = id;
    m.user = QStringLiteral("bob");
    m.text = QStringLiteral("hi");
    return m;
}
} // namespace

//! The one place that decides whether a server message is new: by room seq, by id, and across a
//! server restart (the room epoch).
class TestSeenMessages : public QObject
{
    Q_OBJECT

private slots:
    void seqsTellOldFromNewPerRoom()
    {
        SeenMessages seen;
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 1)));
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 2)));
        QVERIFY(!seen.isNew(message(QStringLiteral("a"), 2)));
        QVERIFY(!seen.isNew(message(QStringLiteral("a"), 1)));
        QVERIFY(seen.isNew(message(QStringLiteral("b"), 1))); // another room counts on its own
        QCOMPARE(seen.lastSeq(QStringLiteral("a")), 2);
        seen.own(QStringLiteral("a"), 3);
        QVERIFY(!seen.isNew(message(QStringLiteral("a"), 3))); // our own message, acknowledged
    }

    void idsCatchRepeatsUnderAnotherSeqAndMessagesWithoutOne()
    {
        SeenMessages seen;
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 1, QStringLiteral("x"))));
        QVERIFY(!seen.isNew(message(QStringLiteral("a"), 2, QStringLiteral("x"))));
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 0, QStringLiteral("y"))));
        QVERIFY(!seen.isNew(message(QStringLiteral("a"), 0, QStringLiteral("y"))));
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 0))); // a base server: nothing to go by
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 0)));
    }

    void aNewEpochStartsTheRoomAgain()
    {
        SeenMessages seen;
        seen.joining(QStringLiteral("a"), QStringLiteral("e1"), 0);
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 5)));
        seen.joining(QStringLiteral("a"), QStringLiteral("e1"), 5); // a rejoin: same numbering
        QVERIFY(!seen.isNew(message(QStringLiteral("a"), 5)));
        seen.joining(QStringLiteral("a"), QStringLiteral("e2"), 9); // the server restarted
        QCOMPARE(seen.epoch(QStringLiteral("a")), QStringLiteral("e2"));
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 1)));
        // Without epochs, a lastSeq below what was seen says the same.
        seen.joining(QStringLiteral("b"), {}, std::nullopt);
        QVERIFY(seen.isNew(message(QStringLiteral("b"), 7)));
        seen.joining(QStringLiteral("b"), {}, 2);
        QVERIFY(seen.isNew(message(QStringLiteral("b"), 1)));
        seen.caughtUp(QStringLiteral("b"), 4);
        QVERIFY(!seen.isNew(message(QStringLiteral("b"), 4)));
    }

    void trackedRoomsAreBounded()
    {
        SeenMessages seen;
        seen.joining(QStringLiteral("mine"), {}, 3); // as ChatClient does on roomJoined
        seen.caughtUp(QStringLiteral("mine"), 3);
        for (int i = 0; i < SeenMessages::MaxRooms; ++i)
            seen.isNew(message(QStringLiteral("room %1").arg(i), 1));
        // A room past the bound is not tracked by seq (its id still is)...
        QVERIFY(seen.isNew(message(QStringLiteral("one too many"), 1)));
        QCOMPARE(seen.lastSeq(QStringLiteral("one too many")), 0);
        // ...while a room this client joined keeps its place.
        QVERIFY(!seen.isNew(message(QStringLiteral("mine"), 3)));
        QVERIFY(seen.isNew(message(QStringLiteral("mine"), 4)));
        QVERIFY(!seen.isNew(message(QStringLiteral("mine"), 4)));
    }

    void rememberedIdsAreBounded()
    {
        SeenMessages seen;
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 0, QStringLiteral("first"))));
        for (int i = 0; i < SeenMessages::MaxRememberedIds; ++i)
            QVERIFY(seen.isNew(message(QStringLiteral("a"), 0, QString::number(i))));
        // The oldest id was forgotten to make room; the newest are still known.
        QVERIFY(seen.isNew(message(QStringLiteral("a"), 0, QStringLiteral("first"))));
        QVERIFY(!seen.isNew(
            message(QStringLiteral("a"), 0, QString::number(SeenMessages::MaxRememberedIds - 1))));
    }
};

QTEST_GUILESS_MAIN(TestSeenMessages)
#include "tst_seenmessages.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "room.h"

#include <QTest>

// Room::held() decides whose message an edit or deletion touches, so it must never answer with
// a neighbour of the message asked for.
class TestRoom : public QObject
{
    Q_OBJECT

private:
    static Protocol::ChatMessage message(qint64 seq)
    {
        Protocol::ChatMessage m{QStringLiteral("alice"),  QStringLiteral("m%1").arg(seq), 1, {}, seq,
                                QStringLiteral("general")};
        return m;
    }

private slots:
    // History read back from a store may skip a number (a row removed by hand or by a tool).
    void aHeldMessageIsFoundByItsOwnNumberAcrossAGap()
    {
        const QList<Protocol::ChatMessage> recent{message(1), message(2), message(4), message(5)};
        Room room(QStringLiteral("general"), 100, QStringLiteral("epoch"), 5, recent);
        for (qint64 seq : {1, 2, 4, 5}) {
            const Protocol::ChatMessage *m = room.held(seq);
            QVERIFY2(m, qPrintable(QString::number(seq)));
            QCOMPARE(m->seq, seq);
            QCOMPARE(m->text, QStringLiteral("m%1").arg(seq));
        }
        QVERIFY(!room.held(3));
        QVERIFY(!room.held(6));
        QVERIFY(!room.held(0));
        QVERIFY(!room.held(-1));
    }

    void authorsStayWithTheirMessagesAsHistoryIsTrimmed()
    {
        Room room(QStringLiteral("general"), 3);
        const QStringList authors{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                  QStringLiteral("d"), QStringLiteral("e")};
        for (const QString &author : authors)
            room.append(message(0), author);
        QVERIFY(!room.held(2));
        QCOMPARE(room.heldAuthor(2), QString());
        QCOMPARE(room.heldAuthor(3), QStringLiteral("c"));
        QCOMPARE(room.heldAuthor(5), QStringLiteral("e"));
        room.trimHistory(0, 1);
        QCOMPARE(room.heldAuthor(4), QString());
        QCOMPARE(room.heldAuthor(5), QStringLiteral("e"));
    }
};

QTEST_APPLESS_MAIN(TestRoom)
#include "tst_room.moc"

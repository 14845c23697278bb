// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

class TestRoomListModel : public QObject
{
    Q_OBJECT

private slots:
    void roomsAreSortedAndUnique()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.addRoom(QStringLiteral("random"));
        model.addRoom(QStringLiteral("General"));
        model.addRoom(QStringLiteral("random"));
        model.addRoom(QString());
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(model.names(), (QStringList{QStringLiteral("General"), QStringLiteral("random")}));
        QCOMPARE(model.index(0).data(RoomListModel::UserCountRole).toInt(), -1);
    }

    void serverListSetsCountsAndKeepsKnownRooms()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addRoom(QStringLiteral("mine"));
        model.setServerRooms({{QStringLiteral("general"), 3}, {QStringLiteral("random"), 1}});
        QCOMPARE(model.names(),
                 (QStringList{QStringLiteral("general"), QStringLiteral("mine"), QStringLiteral("random")}));
        QCOMPARE(model.userCount(QStringLiteral("general")), 3);
        QCOMPARE(model.userCount(QStringLiteral("mine")), 0); // known but empty: not listed by the server

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setServerRooms({{QStringLiteral("general"), 2}});
        QCOMPARE(model.userCount(QStringLiteral("general")), 2);
        QCOMPARE(model.userCount(QStringLiteral("random")), 0);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(
            model.index(model.rowOf(QStringLiteral("general"))).data(RoomListModel::UserCountRole).toInt(),
            2);
    }

    void unreadCountsFollowTheServersLastSeqInOtherRooms()
    {
        RoomListModel model;
        model.setCurrentRoom(QStringLiteral("general"));
        // Never visited: nothing to count, whatever the server says.
        model.setServerRooms({{QStringLiteral("general"), 2, 10}, {QStringLiteral("random"), 1, 7}});
        QCOMPARE(model.unread(QStringLiteral("random")), 0);

        // Read general up to 10, then move on: general counts what comes after 10.
        model.markRead(QStringLiteral("general"), 10);
        model.setCurrentRoom(QStringLiteral("random"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setServerRooms({{QStringLiteral("general"), 2, 13}, {QStringLiteral("random"), 2, 7}});
        QCOMPARE(model.unread(QStringLiteral("general")), 3);
        QCOMPARE(model.index(model.rowOf(QStringLiteral("general"))).data(RoomListModel::UnreadRole).toInt(),
                 3);
        QVERIFY(changed.count() >= 1);
        // The current room is not counted from seqs.
        QCOMPARE(model.unread(QStringLiteral("random")), 0);

        // A restarted server numbers from 1 again: never a negative count.
        model.setServerRooms({{QStringLiteral("general"), 1, 2}});
        QCOMPARE(model.unread(QStringLiteral("general")), 0);

        // With epochs the restart is known: everything in the room's new life is unread.
        model.markRead(QStringLiteral("general"), 10, QStringLiteral("old-life"));
        model.setServerRooms({{QStringLiteral("general"), 1, 12, QStringLiteral("old-life")}});
        QCOMPARE(model.unread(QStringLiteral("general")), 2);
        model.setServerRooms({{QStringLiteral("general"), 1, 4, QStringLiteral("new-life")}});
        QCOMPARE(model.unread(QStringLiteral("general")), 4);
    }

    void unreadCountsRiseAndClear()
    {
        RoomListModel model;
        model.setCurrentRoom(QStringLiteral("general"));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.index(0).data(RoomListModel::CurrentRole).toBool());

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.incrementUnread(QStringLiteral("general"));
        model.incrementUnread(QStringLiteral("general"));
        QCOMPARE(model.unread(QStringLiteral("general")), 2);
        QCOMPARE(model.index(0).data(RoomListModel::UnreadRole).toInt(), 2);
        QCOMPARE(changed.count(), 2);
        QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(RoomListModel::UnreadRole));

        model.clearUnread(QStringLiteral("general"));
        QCOMPARE(model.unread(QStringLiteral("general")), 0);
        QCOMPARE(changed.count(), 3);
        model.clearUnread(QStringLiteral("general"));
        QCOMPARE(changed.count(), 3);
    }

    void currentRoomMovesWithSignals()
    {
        RoomListModel model;
        model.setCurrentRoom(QStringLiteral("a"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setCurrentRoom(QStringLiteral("b"));
        QCOMPARE(model.currentRoom(), QStringLiteral("b"));
        QVERIFY(!model.index(model.rowOf(QStringLiteral("a"))).data(RoomListModel::CurrentRole).toBool());
        QVERIFY(model.index(model.rowOf(QStringLiteral("b"))).data(RoomListModel::CurrentRole).toBool());
        QVERIFY(changed.count() >= 1);
        model.setUserCount(QStringLiteral("b"), 4);
        QCOMPARE(model.userCount(QStringLiteral("b")), 4);
    }
};

QTEST_GUILESS_MAIN(TestRoomListModel)
#include "tst_roomlistmodel.moc"

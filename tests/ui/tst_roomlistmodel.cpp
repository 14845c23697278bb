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

    void serverListSetsCounts()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setServerRooms({{QStringLiteral("general"), 3}, {QStringLiteral("random"), 1}});
        QCOMPARE(model.names(), (QStringList{QStringLiteral("general"), QStringLiteral("random")}));
        QCOMPARE(model.userCount(QStringLiteral("general")), 3);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setServerRooms({{QStringLiteral("general"), 2}, {QStringLiteral("random"), 1}});
        QCOMPARE(model.userCount(QStringLiteral("general")), 2);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(
            model.index(model.rowOf(QStringLiteral("general"))).data(RoomListModel::UserCountRole).toInt(),
            2);
    }

    void roomsTheServerNoLongerListsAreGoneExceptTheCurrentOne()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addRoom(QStringLiteral("from last time"));
        model.setCurrentRoom(QStringLiteral("here"));
        model.setServerRooms({{QStringLiteral("general"), 3},
                              {QStringLiteral("here"), 1},
                              {QStringLiteral("random"), 1},
                              {QStringLiteral("zoo"), 1}});
        QCOMPARE(model.names(), (QStringList{QStringLiteral("general"), QStringLiteral("here"),
                                             QStringLiteral("random"), QStringLiteral("zoo")}));

        // The server dropped random and zoo (emptied and evicted), and, in a stale list, here.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.incrementUnread(QStringLiteral("random"));
        model.setServerRooms({{QStringLiteral("general"), 3}});
        QCOMPARE(model.names(), (QStringList{QStringLiteral("general"), QStringLiteral("here")}));
        QCOMPARE(model.rowOf(QStringLiteral("random")), -1);
        QCOMPARE(model.unread(QStringLiteral("random")), 0);
        QCOMPARE(model.totalUnread(), 0);
        QCOMPARE(model.userCount(QStringLiteral("here")), 1); // the user is still in it
        QCOMPARE(removed.count(), 1);                         // random and zoo are one run of rows
        QCOMPARE(removed.at(0).at(1).toInt(), 2);
        QCOMPARE(removed.at(0).at(2).toInt(), 3);
        QCOMPARE(reset.count(), 0);
    }

    void rowsStayFoundThroughInsertionsAndRemovals()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto listOf = [](const QStringList &names) {
            QVector<RoomListModel::Room> rooms;
            for (const QString &name : names)
                rooms.append({name, 1});
            return rooms;
        };
        auto checkRows = [&model] {
            for (int row = 0; row < model.rowCount(); ++row) {
                if (model.rowOf(model.nameAt(row)) != row)
                    return false;
            }
            return true;
        };
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setServerRooms(listOf({"m", "c", "x", "a"}));
        QCOMPARE(inserted.count(), 1); // a new list is one insertion, counts included
        QCOMPARE(changed.count(), 0);
        QVERIFY(checkRows());

        model.addRoom(QStringLiteral("B"));
        inserted.clear();
        model.setServerRooms(listOf({"m", "c", "x", "a", "B", "b", "d", "e", "y", "z"}));
        QCOMPARE(model.names(), (QStringList{"a", "B", "b", "c", "d", "e", "m", "x", "y", "z"}));
        QCOMPARE(inserted.count(), 3); // b; d and e; y and z
        QVERIFY(checkRows());

        model.setServerRooms(listOf({"a", "d", "z"}));
        QCOMPARE(model.names(), (QStringList{"a", "d", "z"}));
        QVERIFY(checkRows());
        QCOMPARE(model.rowOf(QStringLiteral("m")), -1);

        // Nothing new: no signal at all.
        QSignalSpy any(&model, &QAbstractItemModel::layoutChanged);
        inserted.clear();
        changed.clear();
        model.setServerRooms(listOf({"z", "d", "a"}));
        QCOMPARE(inserted.count() + changed.count() + any.count(), 0);
    }

    void readPositionsOfUnlistedRoomsWaitForTheRoom()
    {
        RoomListModel model;
        // Saved from an earlier run: remembered, but no room appears for it.
        model.markRead(QStringLiteral("general"), 5);
        QCOMPARE(model.rowCount(), 0);
        model.setServerRooms({{QStringLiteral("general"), 2, 8}});
        QCOMPARE(model.unread(QStringLiteral("general")), 3);
        QCOMPARE(model.totalUnread(), 3);
        // Gone and back: still counted from where the user read.
        model.setServerRooms({});
        QCOMPARE(model.rowCount(), 0);
        model.setServerRooms({{QStringLiteral("general"), 1, 9}});
        QCOMPARE(model.unread(QStringLiteral("general")), 4);
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

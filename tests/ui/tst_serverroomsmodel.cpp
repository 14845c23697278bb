// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomlistmodel.h"
#include "serverroomsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

// RoomListModel neither resets nor relayouts itself; a model that does, with the same rows.
class ResettingRooms : public RoomListModel
{
public:
    void reset()
    {
        beginResetModel();
        endResetModel();
    }
    void relayout()
    {
        emit layoutAboutToBeChanged();
        emit layoutChanged();
    }
};

class TestServerRoomsModel : public QObject
{
    Q_OBJECT

    static QStringList roomsUnder(const ServerRoomsModel &model, int server)
    {
        QStringList names;
        const QModelIndex parent = model.serverIndex(server);
        for (int row = 0; row < model.rowCount(parent); ++row)
            names.append(model.index(row, 0, parent).data(RoomListModel::NameRole).toString());
        return names;
    }

private slots:
    void serversHoldTheirRoomsAsTheyChange()
    {
        RoomListModel alpha;
        RoomListModel beta;
        alpha.addRoom(QStringLiteral("general"));
        ServerRoomsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.addServer(QStringLiteral("alpha.example"), &alpha), 0);
        QCOMPARE(model.addServer(QStringLiteral("beta.example"), &beta), 1);
        QCOMPARE(model.serverCount(), 2);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.serverIndex(0).data().toString(), QStringLiteral("alpha.example"));
        QCOMPARE(model.serverIndex(1).data().toString(), QStringLiteral("beta.example"));
        QCOMPARE(roomsUnder(model, 0), QStringList{QStringLiteral("general")});
        QCOMPARE(roomsUnder(model, 1), QStringList{});

        alpha.addRoom(QStringLiteral("random"));
        beta.addRoom(QStringLiteral("lounge"));
        beta.addRoom(QStringLiteral("attic"));
        QCOMPARE(roomsUnder(model, 0), (QStringList{QStringLiteral("general"), QStringLiteral("random")}));
        QCOMPARE(roomsUnder(model, 1), (QStringList{QStringLiteral("attic"), QStringLiteral("lounge")}));

        // The server's list drops a room and lists a new one, with counts.
        beta.setServerRooms({{QStringLiteral("lounge"), 4}, {QStringLiteral("cellar"), 2}});
        QCOMPARE(roomsUnder(model, 1), (QStringList{QStringLiteral("cellar"), QStringLiteral("lounge")}));
        QCOMPARE(model.roomIndex(1, QStringLiteral("lounge")).data(RoomListModel::UserCountRole).toInt(), 4);
        QCOMPARE(roomsUnder(model, 0), (QStringList{QStringLiteral("general"), QStringLiteral("random")}));
        QCOMPARE(model.roomIndex(0, QStringLiteral("lounge")), QModelIndex());

        // A user count changes on one server only.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        alpha.setUserCount(QStringLiteral("random"), 7);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), model.roomIndex(0, QStringLiteral("random")));
        QCOMPARE(model.roomIndex(0, QStringLiteral("random")).data(RoomListModel::UserCountRole).toInt(), 7);

        // A room the server no longer lists goes; the rest of the tree stays.
        alpha.setServerRooms({{QStringLiteral("random"), 7}});
        QCOMPARE(roomsUnder(model, 0), QStringList{QStringLiteral("random")});
        QCOMPARE(roomsUnder(model, 1), (QStringList{QStringLiteral("cellar"), QStringLiteral("lounge")}));

        model.setServerName(1, QStringLiteral("Beta"));
        model.setServerState(1, QStringLiteral("Reconnecting…"));
        QCOMPARE(model.serverIndex(1).data().toString(), QStringLiteral("Beta"));
        QCOMPARE(model.serverIndex(1).data(ServerRoomsModel::ServerStateRole).toString(),
                 QStringLiteral("Reconnecting…"));
        QVERIFY(model.serverIndex(1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Beta")));
        QVERIFY(
            model.serverIndex(1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Reconnecting…")));
    }

    void indexesMapBothWays()
    {
        RoomListModel alpha;
        RoomListModel beta;
        alpha.addRoom(QStringLiteral("general"));
        beta.addRoom(QStringLiteral("general"));
        beta.addRoom(QStringLiteral("lounge"));
        ServerRoomsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.addServer(QStringLiteral("alpha"), &alpha);
        model.addServer(QStringLiteral("beta"), &beta);

        const QModelIndex lounge = beta.index(beta.rowOf(QStringLiteral("lounge")));
        const QModelIndex mapped = model.mapFromRooms(lounge);
        QVERIFY(mapped.isValid());
        QCOMPARE(mapped, model.roomIndex(1, QStringLiteral("lounge")));
        QCOMPARE(mapped.parent(), model.serverIndex(1));
        QCOMPARE(model.mapToRooms(mapped), lounge);
        QCOMPARE(model.serverOf(mapped), 1);
        QCOMPARE(model.serverOf(model.serverIndex(1)), 1);
        QCOMPARE(model.serverOf({}), -1);
        QCOMPARE(model.serverOfRooms(&beta), 1);
        QCOMPARE(model.rooms(1), &beta);
        // The same name on two servers is two rows.
        QCOMPARE(model.mapToRooms(model.roomIndex(0, QStringLiteral("general"))),
                 alpha.index(alpha.rowOf(QStringLiteral("general"))));
        QCOMPARE(model.mapToRooms(model.serverIndex(0)), QModelIndex());
        QCOMPARE(model.mapFromRooms({}), QModelIndex());
        RoomListModel stranger;
        stranger.addRoom(QStringLiteral("general"));
        QCOMPARE(model.mapFromRooms(stranger.index(0)), QModelIndex());
        QCOMPARE(model.serverOfRooms(&stranger), -1);
    }

    void removingAServerLeavesTheOthersAndItsModel()
    {
        RoomListModel alpha;
        RoomListModel beta;
        RoomListModel gamma;
        alpha.addRoom(QStringLiteral("general"));
        beta.addRoom(QStringLiteral("lounge"));
        gamma.addRoom(QStringLiteral("attic"));
        ServerRoomsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.addServer(QStringLiteral("alpha"), &alpha);
        model.addServer(QStringLiteral("beta"), &beta);
        model.addServer(QStringLiteral("gamma"), &gamma);
        const QPersistentModelIndex attic = model.roomIndex(2, QStringLiteral("attic"));

        model.removeServer(1);
        QCOMPARE(model.serverCount(), 2);
        QCOMPARE(model.serverIndex(1).data().toString(), QStringLiteral("gamma"));
        QCOMPARE(model.serverOfRooms(&beta), -1);
        // A room row kept across the removal is still gamma's.
        QVERIFY(attic.isValid());
        QCOMPARE(model.serverOf(attic), 1);
        QCOMPARE(attic.data(RoomListModel::NameRole).toString(), QStringLiteral("attic"));
        QCOMPARE(roomsUnder(model, 1), QStringList{QStringLiteral("attic")});

        // Beta's model is no longer followed.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        beta.addRoom(QStringLiteral("cellar"));
        QCOMPARE(inserted.count(), 0);
        gamma.addRoom(QStringLiteral("cellar"));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(roomsUnder(model, 1), (QStringList{QStringLiteral("attic"), QStringLiteral("cellar")}));
        QCOMPARE(roomsUnder(model, 0), QStringList{QStringLiteral("general")});
    }

    // Rooms deleted before their server was removed take the server with them, not a dangling row.
    void aServerGoesWithItsRooms()
    {
        RoomListModel alpha;
        auto *beta = new RoomListModel;
        alpha.addRoom(QStringLiteral("general"));
        beta->addRoom(QStringLiteral("lounge"));
        ServerRoomsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.addServer(QStringLiteral("alpha"), &alpha);
        model.addServer(QStringLiteral("beta"), beta);
        delete beta;
        QCOMPARE(model.serverCount(), 1);
        QCOMPARE(model.serverIndex(0).data().toString(), QStringLiteral("alpha"));
        QCOMPARE(roomsUnder(model, 0), QStringList{QStringLiteral("general")});
    }

    void aResetOfOneServersRoomsIsFollowed()
    {
        ResettingRooms alpha;
        ResettingRooms beta;
        alpha.addRoom(QStringLiteral("general"));
        beta.addRoom(QStringLiteral("lounge"));
        ServerRoomsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.addServer(QStringLiteral("alpha"), &alpha);
        model.addServer(QStringLiteral("beta"), &beta);
        const QPersistentModelIndex general = model.roomIndex(0, QStringLiteral("general"));

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        beta.reset();
        QCOMPARE(roomsUnder(model, 1), QStringList{QStringLiteral("lounge")});
        // Only beta's rows went and came back: alpha's are as they were.
        QCOMPARE(reset.count(), 0);
        QVERIFY(general.isValid());
        QCOMPARE(roomsUnder(model, 0), QStringList{QStringLiteral("general")});

        beta.addRoom(QStringLiteral("attic"));
        const QPersistentModelIndex lounge = model.roomIndex(1, QStringLiteral("lounge"));
        beta.relayout();
        QCOMPARE(lounge.data(RoomListModel::NameRole).toString(), QStringLiteral("lounge"));
        QCOMPARE(roomsUnder(model, 1), (QStringList{QStringLiteral("attic"), QStringLiteral("lounge")}));

        // Resets and relayouts while rooms come and go on both servers.
        alpha.addRoom(QStringLiteral("random"));
        beta.reset();
        alpha.reset();
        beta.setServerRooms({{QStringLiteral("cellar"), 1}});
        alpha.relayout();
        QCOMPARE(roomsUnder(model, 0), (QStringList{QStringLiteral("general"), QStringLiteral("random")}));
        QCOMPARE(roomsUnder(model, 1), QStringList{QStringLiteral("cellar")});
    }

    void aServersUnreadIsTheSumOfItsRooms()
    {
        RoomListModel alpha;
        RoomListModel beta;
        ServerRoomsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.addServer(QStringLiteral("alpha"), &alpha);
        model.addServer(QStringLiteral("beta"), &beta);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const auto serverRowChanged = [&](int server) {
            for (const auto &args : std::as_const(changed)) {
                if (args.at(0).value<QModelIndex>() == model.serverIndex(server))
                    return true;
            }
            return false;
        };

        beta.incrementUnread(QStringLiteral("lounge"), 3); // a new room with unread messages
        beta.incrementUnread(QStringLiteral("attic"));
        QCOMPARE(model.serverIndex(1).data(RoomListModel::UnreadRole).toInt(), 4);
        QCOMPARE(model.serverIndex(0).data(RoomListModel::UnreadRole).toInt(), 0);
        QVERIFY(serverRowChanged(1));
        QVERIFY(!serverRowChanged(0));
        QCOMPARE(model.roomIndex(1, QStringLiteral("lounge")).data(RoomListModel::UnreadRole).toInt(), 3);

        changed.clear();
        beta.clearUnread(QStringLiteral("lounge"));
        QVERIFY(serverRowChanged(1));
        QCOMPARE(model.serverIndex(1).data(RoomListModel::UnreadRole).toInt(), 1);
        QVERIFY(model.serverIndex(1)
                    .data(Qt::AccessibleTextRole)
                    .toString()
                    .contains(QStringLiteral("1 unread")));

        // A room with unread messages that goes takes them from the total.
        beta.setServerRooms({{QStringLiteral("lounge"), 1}});
        QCOMPARE(model.serverIndex(1).data(RoomListModel::UnreadRole).toInt(), 0);
    }

    void roomRowsForwardEveryRole()
    {
        RoomListModel alpha;
        ServerRoomsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.addServer(QStringLiteral("alpha"), &alpha);
        alpha.setServerRooms({{QStringLiteral("general"), 5}});
        alpha.setCurrentRoom(QStringLiteral("general"));
        alpha.incrementUnread(QStringLiteral("random"), 2);
        alpha.incrementMentions(QStringLiteral("random"));
        alpha.setNotifyLevel(QStringLiteral("random"), RoomListModel::Notify::Mentions);

        const QModelIndex random = model.roomIndex(0, QStringLiteral("random"));
        const QModelIndex source = alpha.index(alpha.rowOf(QStringLiteral("random")));
        for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::AccessibleTextRole),
                         int(RoomListModel::NameRole), int(RoomListModel::UserCountRole),
                         int(RoomListModel::UnreadRole), int(RoomListModel::CurrentRole),
                         int(RoomListModel::MentionsRole), int(RoomListModel::NotifyRole)})
            QCOMPARE(random.data(role), source.data(role));
        QCOMPARE(random.data(RoomListModel::MentionsRole).toInt(), 1);
        QCOMPARE(random.data(RoomListModel::NotifyRole).value<RoomListModel::Notify>(),
                 RoomListModel::Notify::Mentions);
        QVERIFY(model.roomIndex(0, QStringLiteral("general")).data(RoomListModel::CurrentRole).toBool());
        QCOMPARE(model.roomIndex(0, QStringLiteral("general")).data(Qt::DisplayRole).toString(),
                 QStringLiteral("general"));
        QCOMPARE(random.data(ServerRoomsModel::IsServerRole).toBool(), false);
        QCOMPARE(model.serverIndex(0).data(ServerRoomsModel::IsServerRole).toBool(), true);
        QCOMPARE(model.rowCount(random), 0);
        QVERIFY(model.flags(model.serverIndex(0)) & Qt::ItemIsSelectable);
        QVERIFY(model.roleNames().contains(ServerRoomsModel::ServerStateRole));
        QVERIFY(model.roleNames().contains(RoomListModel::NotifyRole));
    }
};

QTEST_GUILESS_MAIN(TestServerRoomsModel)
#include "tst_serverroomsmodel.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "userlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

class TestUserListModel : public QObject
{
    Q_OBJECT

private slots:
    void rosterThenJoinsAndLeaves()
    {
        UserListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSelfName(QStringLiteral("alice"));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setUsers({QStringLiteral("bob"), QStringLiteral("alice")});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1).data(UserListModel::NameRole).toString(), QStringLiteral("alice"));
        QVERIFY(model.index(1).data(UserListModel::SelfRole).toBool());
        QVERIFY(!model.index(0).data(UserListModel::SelfRole).toBool());
        QVERIFY(model.index(1).data(Qt::DisplayRole).toString().contains(QStringLiteral("alice")));

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.addUser(QStringLiteral("carol"));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 2);

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QVERIFY(model.removeUser(QStringLiteral("bob")));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.users(), (QStringList{QStringLiteral("alice"), QStringLiteral("carol")}));
        QVERIFY(!model.removeUser(QStringLiteral("nobody")));
        QCOMPARE(removed.count(), 1);
    }

    void sameNameTwiceLeavesOneBehind()
    {
        UserListModel model;
        model.addUser(QStringLiteral("sam"));
        model.addUser(QStringLiteral("sam"));
        QVERIFY(model.removeUser(QStringLiteral("sam")));
        QCOMPARE(model.users(), QStringList{QStringLiteral("sam")});
    }

    void selfNameChangeUpdatesRows()
    {
        UserListModel model;
        model.setUsers({QStringLiteral("a"), QStringLiteral("b")});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setSelfName(QStringLiteral("b"));
        QCOMPARE(changed.count(), 1);
        QVERIFY(model.index(1).data(UserListModel::SelfRole).toBool());
    }
};

QTEST_GUILESS_MAIN(TestUserListModel)
#include "tst_userlistmodel.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagemodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QtTest>

namespace {

MessageModel::Message chat(const QString &sender, const QString &text, qint64 ts, const QString &id = {},
                           qint64 seq = 0)
{
    MessageModel::Message m;
    m.sender = sender;
    m.text = text;
    m.timestamp = ts;
    m.id = id;
    m.seq = seq;
    return m;
}

qint64 at(int year, int month, int day, int hour)
{
    return QDateTime(QDate(year, month, day), QTime(hour, 0)).toMSecsSinceEpoch();
}

} // namespace

class TestMessageModel : public QObject
{
    Q_OBJECT

private slots:
    void appendInsertsOneRowAtTheEndWithAllRoles()
    {
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        QVERIFY(model.append(
            chat(QStringLiteral("bob"), QStringLiteral("hi"), at(2025, 3, 1, 10), QStringLiteral("b-1"), 7)));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 0);

        const QModelIndex idx = model.index(0);
        QCOMPARE(idx.data(MessageModel::SenderRole).toString(), QStringLiteral("bob"));
        QCOMPARE(idx.data(MessageModel::TextRole).toString(), QStringLiteral("hi"));
        QCOMPARE(idx.data(Qt::DisplayRole).toString(), QStringLiteral("hi"));
        QCOMPARE(idx.data(MessageModel::TimestampRole).toLongLong(), at(2025, 3, 1, 10));
        QCOMPARE(idx.data(MessageModel::IdRole).toString(), QStringLiteral("b-1"));
        QCOMPARE(idx.data(MessageModel::SeqRole).toLongLong(), 7);
        QCOMPARE(idx.data(MessageModel::OwnRole).toBool(), false);
        QCOMPARE(idx.data(MessageModel::KindRole).value<MessageModel::Kind>(), MessageModel::Kind::Chat);
        QCOMPARE(idx.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>(),
                 MessageModel::Delivery::None);
        QCOMPARE(model.lastSeq(), 7);

        model.appendSystem(QStringLiteral("carol joined"), at(2025, 3, 1, 11));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(model.index(1).data(MessageModel::KindRole).value<MessageModel::Kind>(),
                 MessageModel::Kind::System);
    }

    void rolesAreNamed()
    {
        MessageModel model;
        const auto names = model.roleNames();
        QCOMPARE(names.value(MessageModel::SenderRole), QByteArray("sender"));
        QCOMPARE(names.value(MessageModel::DeliveryRole), QByteArray("delivery"));
    }

    void duplicateIdsAreShownOnce()
    {
        // History after a reconnect repeats messages already on screen.
        MessageModel model;
        QVERIFY(model.append(chat(QStringLiteral("bob"), QStringLiteral("hi"), 1000, QStringLiteral("x"))));
        QVERIFY(!model.append(chat(QStringLiteral("bob"), QStringLiteral("hi"), 1000, QStringLiteral("x"))));
        QCOMPARE(model.rowCount(), 1);

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const int added = model.append(QVector<MessageModel::Message>{
            chat(QStringLiteral("bob"), QStringLiteral("hi"), 1000, QStringLiteral("x")),
            chat(QStringLiteral("bob"), QStringLiteral("two"), 2000, QStringLiteral("y")),
            chat(QStringLiteral("bob"), QStringLiteral("two"), 2000, QStringLiteral("y")),
            chat(QStringLiteral("eve"), QStringLiteral("three"), 3000, QStringLiteral("z"))});
        QCOMPARE(added, 2);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 1); // one insertion for the whole batch
        QCOMPARE(model.rowOfId(QStringLiteral("z")), 2);
        // Messages without an id (a base server) are never merged.
        QVERIFY(model.append(chat(QStringLiteral("bob"), QStringLiteral("same"), 5, {})));
        QVERIFY(model.append(chat(QStringLiteral("bob"), QStringLiteral("same"), 5, {})));
        QCOMPARE(model.rowCount(), 5);
    }

    void firstMessageOfEachDayStartsASeparator()
    {
        MessageModel model;
        model.append(chat(QStringLiteral("a"), QStringLiteral("1"), at(2025, 3, 1, 10)));
        model.append(chat(QStringLiteral("a"), QStringLiteral("2"), at(2025, 3, 1, 18)));
        model.append(chat(QStringLiteral("a"), QStringLiteral("3"), at(2025, 3, 2, 9)));
        model.append(QVector<MessageModel::Message>{
            chat(QStringLiteral("a"), QStringLiteral("4"), at(2025, 3, 2, 10)),
            chat(QStringLiteral("a"), QStringLiteral("5"), at(2025, 3, 4, 10))});
        QList<bool> firsts;
        for (int i = 0; i < model.rowCount(); ++i)
            firsts.append(model.index(i).data(MessageModel::FirstOfDayRole).toBool());
        QCOMPARE(firsts, (QList<bool>{true, false, true, false, true}));
    }

    void ownMessagesFollowTheirDeliveryState()
    {
        MessageModel model;
        auto own = chat(QStringLiteral("me"), QStringLiteral("hello"), 1000, QStringLiteral("m-1"));
        own.own = true;
        own.delivery = MessageModel::Delivery::Queued;
        model.append(own);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        QVERIFY(model.setDelivery(QStringLiteral("m-1"), MessageModel::Delivery::Sent));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
        QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(MessageModel::DeliveryRole));
        QVERIFY(
            !model.setDelivery(QStringLiteral("m-1"), MessageModel::Delivery::Sent)); // no change, no signal
        QCOMPARE(changed.count(), 1);
        QVERIFY(!model.setDelivery(QStringLiteral("unknown"), MessageModel::Delivery::Failed));

        QVERIFY(model.acknowledge(QStringLiteral("m-1"), 42, 5000));
        const QModelIndex idx = model.index(0);
        QCOMPARE(idx.data(MessageModel::DeliveryRole).value<MessageModel::Delivery>(),
                 MessageModel::Delivery::Acknowledged);
        QCOMPARE(idx.data(MessageModel::SeqRole).toLongLong(), 42);
        QCOMPARE(idx.data(MessageModel::TimestampRole).toLongLong(), 5000);
        QCOMPARE(model.lastSeq(), 42);
    }

    void discardRemovesTheRowAndKeepsIdsConsistent()
    {
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(chat(QStringLiteral("a"), QStringLiteral("1"), at(2025, 3, 1, 10), QStringLiteral("1")));
        model.append(chat(QStringLiteral("a"), QStringLiteral("2"), at(2025, 3, 2, 10), QStringLiteral("2")));
        model.append(chat(QStringLiteral("a"), QStringLiteral("3"), at(2025, 3, 2, 11), QStringLiteral("3")));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        QVERIFY(model.remove(QStringLiteral("2")));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOfId(QStringLiteral("3")), 1);
        QCOMPARE(model.rowOfId(QStringLiteral("2")), -1);
        // "3" is now the first message of 2 March.
        QVERIFY(model.index(1).data(MessageModel::FirstOfDayRole).toBool());
        QVERIFY(!model.remove(QStringLiteral("2")));

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.lastSeq(), 0);
        QCOMPARE(model.rowOfId(QStringLiteral("1")), -1);
    }
};

QTEST_GUILESS_MAIN(TestMessageModel)
#include "tst_messagemodel.moc"

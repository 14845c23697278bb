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

QStringList rowTexts(const MessageModel &model)
{
    QStringList texts;
    for (int i = 0; i < model.rowCount(); ++i)
        texts.append(model.message(i).text);
    return texts;
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

        model.append(
            chat(QStringLiteral("bob"), QStringLiteral("hi"), at(2025, 3, 1, 10), QStringLiteral("b-1"), 7));
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

    void historyIsOneInsertion()
    {
        MessageModel model;
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.append(QVector<MessageModel::Message>{
            chat(QStringLiteral("bob"), QStringLiteral("one"), 1000, QStringLiteral("x")),
            chat(QStringLiteral("bob"), QStringLiteral("two"), 2000, QStringLiteral("y")),
            chat(QStringLiteral("eve"), QStringLiteral("three"), 3000, QStringLiteral("z"))});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        QCOMPARE(model.rowOfId(QStringLiteral("z")), 2);
    }

    // A burst from the network becomes one insertion per event-loop pass, and anything else that
    // changes the model in between keeps arrival order.
    void streamedMessagesAreInsertedOncePerPass()
    {
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 100; ++i)
            model.queueAppend(chat(QStringLiteral("bob"), QString::number(i), 1000 + i, QString::number(i)));
        QCOMPARE(model.rowCount(), 0); // not yet: the view would lay out a hundred times
        QTRY_COMPARE(model.rowCount(), 100);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowOfId(QStringLiteral("99")), 99);

        model.queueAppend(chat(QStringLiteral("bob"), QStringLiteral("first"), 5000, QStringLiteral("f")));
        model.appendSystem(QStringLiteral("carol joined"), 5001);
        QCOMPARE(model.rowCount(), 102);
        QCOMPARE(model.index(100).data(MessageModel::TextRole).toString(), QStringLiteral("first"));
        QCOMPARE(model.index(101).data(MessageModel::TextRole).toString(), QStringLiteral("carol joined"));

        model.queueAppend(chat(QStringLiteral("bob"), QStringLiteral("gone"), 6000, QStringLiteral("g")));
        model.clear(); // what was queued belonged to the room being left
        QCOMPARE(model.rowCount(), 0);
        model.queueAppend(chat(QStringLiteral("bob"), QStringLiteral("after"), 7000, QStringLiteral("a")));
        QTRY_COMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(MessageModel::TextRole).toString(), QStringLiteral("after"));
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
        QCOMPARE(model.rowOfId(QStringLiteral("1")), -1);
    }

    void olderMessagesArePrependedInOneInsertion()
    {
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(
            {chat(QStringLiteral("bob"), QStringLiteral("three"), at(2026, 3, 2, 9), QStringLiteral("c"), 3),
             chat(QStringLiteral("bob"), QStringLiteral("four"), at(2026, 3, 2, 10), QStringLiteral("d"),
                  4)});
        QVERIFY(model.index(0).data(MessageModel::FirstOfDayRole).toBool());
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // The older page is from the same day: the old first row no longer starts it.
        model.prepend(
            {chat(QStringLiteral("amy"), QStringLiteral("one"), at(2026, 3, 2, 7), QStringLiteral("a"), 1),
             chat(QStringLiteral("amy"), QStringLiteral("two"), at(2026, 3, 2, 8), QStringLiteral("b"), 2)});
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 1);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0).data(MessageModel::TextRole).toString(), QStringLiteral("one"));
        QVERIFY(model.index(0).data(MessageModel::FirstOfDayRole).toBool());
        QVERIFY(!model.index(2).data(MessageModel::FirstOfDayRole).toBool());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 2);
        // Ids and seqs find their rows after the shift.
        QCOMPARE(model.rowOfId(QStringLiteral("d")), 3);
        QCOMPARE(model.rowOfId(QStringLiteral("a")), 0);
        QCOMPARE(model.rowOfSeq(3), 2);
        QCOMPARE(model.firstSeq(), 1);
        QCOMPARE(model.lastSeq(), 4);
        model.prepend({});
        QCOMPARE(inserted.size(), 1);
    }

    void rowOfSeqSkipsRowsWithoutOne()
    {
        MessageModel model;
        QVector<MessageModel::Message> rows;
        for (int i = 1; i <= 500; ++i) {
            rows.append(chat(QStringLiteral("bob"), QString::number(i), at(2026, 3, 2, 9), {}, i * 2));
            if (i % 7 == 0) {
                MessageModel::Message system;
                system.kind = MessageModel::Kind::System;
                system.text = QStringLiteral("someone joined");
                rows.append(system);
            }
        }
        model.append(rows);
        for (int seq = 1; seq <= 1002; ++seq) {
            const int row = model.rowOfSeq(seq);
            if (seq % 2 == 1 || seq > 1000) {
                QCOMPARE(row, -1);
            } else {
                QVERIFY(row >= 0);
                QCOMPARE(model.message(row).seq, seq);
            }
        }
        QCOMPARE(model.rowOfSeq(0), -1);
    }

    void missedMessagesGoBeforeTheOwnStillWaiting()
    {
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(
            chat(QStringLiteral("bob"), QStringLiteral("seen"), at(2026, 3, 2, 9), QStringLiteral("s"), 5));
        MessageModel::Message waiting =
            chat(QStringLiteral("me"), QStringLiteral("waiting"), at(2026, 3, 2, 12), QStringLiteral("w"));
        waiting.own = true;
        waiting.delivery = MessageModel::Delivery::Queued;
        model.append(waiting);
        model.insertBeforePending({chat(QStringLiteral("bob"), QStringLiteral("missed"), at(2026, 3, 2, 10),
                                        QStringLiteral("m"), 6)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1).data(MessageModel::TextRole).toString(), QStringLiteral("missed"));
        QCOMPARE(model.index(2).data(MessageModel::TextRole).toString(), QStringLiteral("waiting"));
        QCOMPARE(model.rowOfId(QStringLiteral("w")), 2);
        // Acknowledged meanwhile (seq 8): a later page of history numbered before it goes before it.
        model.acknowledge(QStringLiteral("w"), 8, at(2026, 3, 2, 12));
        model.insertBeforePending({chat(QStringLiteral("bob"), QStringLiteral("late page"),
                                        at(2026, 3, 2, 11), QStringLiteral("p"), 7)});
        QCOMPARE(rowTexts(model), QStringList({"seen", "missed", "late page", "waiting"}));
        // Nothing waiting and nothing numbered later: they simply go at the end.
        model.insertBeforePending({chat(QStringLiteral("bob"), QStringLiteral("later"), at(2026, 3, 2, 13),
                                        QStringLiteral("l"), 9)});
        QCOMPARE(rowTexts(model), QStringList({"seen", "missed", "late page", "waiting", "later"}));
    }

    // Conversation changes land on the row with that seq only; unknown seqs, system lines and
    // tombstones are left alone, whatever the network claims.
    void conversationChangesTouchOneRow()
    {
        MessageModel model;
        QAbstractItemModelTester tester(&model);
        model.setSelfName(QStringLiteral("Alice"));
        model.append({chat(QStringLiteral("bob"), QStringLiteral("one"), 1000, QStringLiteral("a"), 1),
                      chat(QStringLiteral("alice"), QStringLiteral("two"), 2000, QStringLiteral("b"), 2)});
        MessageModel::Message reply =
            chat(QStringLiteral("bob"), QStringLiteral("@Alice three"), 3000, QStringLiteral("c"), 3);
        reply.editConv().replyTo = 1;
        reply.editConv().mentions = {QStringLiteral("alice")};
        model.append(reply);
        model.appendSystem(QStringLiteral("bob left the room"), 4000);

        QCOMPARE(model.index(2).data(MessageModel::ReplyPreviewRole).toString(), QStringLiteral("bob: one"));
        QVERIFY(model.index(2).data(MessageModel::MentionsMeRole).toBool()); // by name key
        QVERIFY(model.index(1).data(MessageModel::MineRole).toBool());
        QVERIFY(!model.index(0).data(MessageModel::MineRole).toBool());
        QCOMPARE(model.lastEditableOwnRow(), 1);
        QVERIFY(!model.index(3).data(MessageModel::ReplyToRole).isValid()); // a system line has none

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(!model.applyEdit(99, QStringLiteral("x"), 5000, {}));
        QVERIFY(!model.applyDelete(0, 5000));
        QVERIFY(!model.setReactions(-1, {}));
        QVERIFY(changed.isEmpty());

        QVERIFY(model.applyEdit(1, QStringLiteral("one!"), 5000, {}));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.constLast().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.constLast().at(1).toModelIndex().row(), 0);
        QCOMPARE(model.index(0).data(MessageModel::EditedRole).toLongLong(), 5000);
        QCOMPARE(model.index(2).data(MessageModel::ReplyPreviewRole).toString(), QStringLiteral("bob: one!"));

        QVERIFY(
            model.setReactions(2, {{QStringLiteral("👍"), {QStringLiteral("bob"), QStringLiteral("ALICE")}}}));
        QCOMPARE(model.index(1).data(MessageModel::OwnReactionsRole).toStringList(),
                 QStringList{QStringLiteral("👍")});

        QVERIFY(model.applyDelete(2, 6000));
        QVERIFY(model.index(1).data(MessageModel::DeletedRole).toBool());
        QVERIFY(model.index(1).data(MessageModel::TextRole).toString().isEmpty());
        QVERIFY(model.index(1).data(MessageModel::OwnReactionsRole).toStringList().isEmpty());
        QCOMPARE(model.lastEditableOwnRow(), -1); // the only own message is a tombstone
        // A tombstone stays one: a late edit or reaction does not bring it back.
        QVERIFY(!model.applyEdit(2, QStringLiteral("back"), 7000, {}));
        QVERIFY(!model.setReactions(2, {{QStringLiteral("👍"), {QStringLiteral("bob")}}}));
        QVERIFY(model.index(1).data(MessageModel::TextRole).toString().isEmpty());

        // A long, multi-line message is quoted on one bounded line.
        model.append(chat(QStringLiteral("bob"), QString(5000, QLatin1Char('x')) + QStringLiteral("\nmore"),
                          8000, QStringLiteral("d"), 5));
        const QString preview = MessageModel::preview(model.message(model.rowCount() - 1));
        QVERIFY(preview.size() < 200);
        QVERIFY(!preview.contains(QLatin1Char('\n')));
    }
};

QTEST_GUILESS_MAIN(TestMessageModel)
#include "tst_messagemodel.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// File transfers as rows of the message model, and the words they are shown with.
#include "apptranslations.h"
#include "messagemodel.h"
#include "transfertext.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

namespace {

TransferInfo download(const QString &id, qint64 size, qint64 done = 0)
{
    TransferInfo t;
    t.id = id;
    t.direction = TransferInfo::Direction::Download;
    t.state = TransferInfo::State::Active;
    t.name = QStringLiteral("photo.jpg");
    t.size = size;
    t.done = done;
    t.peer = QStringLiteral("bob");
    t.room = QStringLiteral("general");
    t.startedMs = 1763770000000;
    return t;
}

MessageModel::Message chat(const QString &text, const QString &id = {})
{
    MessageModel::Message m;
    m.sender = QStringLiteral("carol");
    m.text = text;
    m.id = id;
    m.timestamp = 1763769000000;
    return m;
}

} // namespace

class TestTransferRows : public QObject
{
    Q_OBJECT

private:
    AppTranslations m_translations;

private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void sizesAndSpeedsReadLikeAPerson()
    {
        QCOMPARE(TransferText::size(0), QStringLiteral("0 bytes"));
        QCOMPARE(TransferText::size(1), QStringLiteral("1 byte"));
        QCOMPARE(TransferText::size(1023), QStringLiteral("1023 bytes"));
        QCOMPARE(TransferText::size(1024), QStringLiteral("1.0 KiB"));
        QCOMPARE(TransferText::size(qint64(12.4 * 1024 * 1024)), QStringLiteral("12.4 MiB"));
        QCOMPARE(TransferText::size(3LL * 1024 * 1024 * 1024), QStringLiteral("3.0 GiB"));
        QCOMPARE(TransferText::speed(3.2 * 1024 * 1024), QStringLiteral("3.2 MiB/s"));
        QCOMPARE(TransferText::speed(0), QString()); // no speed yet: say nothing rather than "0 B/s"
        QCOMPARE(TransferText::remaining(10 * 1024 * 1024, 1024 * 1024), QStringLiteral("10 s left"));
        QCOMPARE(TransferText::remaining(600LL * 1024 * 1024, 1024 * 1024), QStringLiteral("10 min left"));
        QCOMPARE(TransferText::remaining(1000, 0), QString());
    }

    void statusSaysWhatHappenedAndWhy()
    {
        TransferInfo t = download(QStringLiteral("d-1"), 4 * 1024 * 1024, 1024 * 1024);
        t.bytesPerSecond = 1024 * 1024;
        QCOMPARE(TransferText::status(t), QStringLiteral("1.0 MiB of 4.0 MiB · 1.0 MiB/s · 3 s left"));
        QCOMPARE(TransferText::progress(t), 0.25);
        t.state = TransferInfo::State::Failed;
        t.error = QStringLiteral("disk full");
        QCOMPARE(TransferText::status(t), QStringLiteral("Failed: disk full"));
        t.state = TransferInfo::State::Cancelled;
        t.error = QStringLiteral("cancelled by bob");
        QCOMPARE(TransferText::status(t), QStringLiteral("Cancelled: cancelled by bob"));
        t.state = TransferInfo::State::Completed;
        QCOMPARE(TransferText::status(t), QStringLiteral("Received"));
        t.direction = TransferInfo::Direction::Upload;
        QCOMPARE(TransferText::status(t), QStringLiteral("Sent"));

        TransferInfo empty = download(QStringLiteral("d-2"), 0);
        QCOMPARE(TransferText::progress(empty), 0.0);
        empty.state = TransferInfo::State::Completed;
        QCOMPARE(TransferText::progress(empty), 1.0);
    }

    void aTransferIsInsertedOnceAndUpdatedInPlace()
    {
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(chat(QStringLiteral("before"), QStringLiteral("m-1")));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        TransferInfo t = download(QStringLiteral("d-1"), 1000);
        model.updateTransfer(t);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowOfId(QStringLiteral("d-1")), 1);
        const QModelIndex idx = model.index(1);
        QCOMPARE(idx.data(MessageModel::KindRole).value<MessageModel::Kind>(), MessageModel::Kind::Transfer);
        QCOMPARE(idx.data(MessageModel::SenderRole).toString(), QStringLiteral("bob"));
        QCOMPARE(idx.data(MessageModel::OwnRole).toBool(), false);
        QCOMPARE(idx.data(MessageModel::TextRole).toString(), QStringLiteral("photo.jpg"));
        QCOMPARE(idx.data(MessageModel::TimestampRole).toLongLong(), t.startedMs);
        QCOMPARE(idx.data(MessageModel::FileNameRole).toString(), QStringLiteral("photo.jpg"));
        QCOMPARE(idx.data(MessageModel::FileSizeRole).toLongLong(), 1000);
        QCOMPARE(idx.data(MessageModel::BytesDoneRole).toLongLong(), 0);
        QCOMPARE(idx.data(MessageModel::TransferDirectionRole).value<TransferInfo::Direction>(),
                 TransferInfo::Direction::Download);
        QCOMPARE(idx.data(MessageModel::TransferStateRole).value<TransferInfo::State>(),
                 TransferInfo::State::Active);
        QVERIFY(model.transfer(1));
        QVERIFY(!model.transfer(0));

        t.done = 500;
        t.bytesPerSecond = 2048;
        model.updateTransfer(t);
        QCOMPARE(model.rowCount(), 2); // no second row for the same transfer
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(idx.data(MessageModel::BytesDoneRole).toLongLong(), 500);
        QCOMPARE(idx.data(MessageModel::ProgressRole).toDouble(), 0.5);
        QCOMPARE(idx.data(MessageModel::SpeedRole).toDouble(), 2048.0);
        QVERIFY(idx.data(MessageModel::TransferStatusRole).toString().contains(QStringLiteral("2.0 KiB/s")));

        t.state = TransferInfo::State::Completed;
        t.done = 1000;
        t.localPath = QStringLiteral("/tmp/received/photo.jpg");
        model.updateTransfer(t);
        QCOMPARE(idx.data(MessageModel::TransferStateRole).value<TransferInfo::State>(),
                 TransferInfo::State::Completed);
        QCOMPARE(idx.data(MessageModel::LocalPathRole).toString(), t.localPath);
        QVERIFY(model.setTransferSavedPath(QStringLiteral("d-1"), QStringLiteral("/home/a/photo.jpg")));
        QCOMPARE(idx.data(MessageModel::SavedPathRole).toString(), QStringLiteral("/home/a/photo.jpg"));
        QVERIFY(!model.setTransferSavedPath(QStringLiteral("m-1"), QStringLiteral("/x")));

        // Chat rows have no transfer data.
        QVERIFY(!model.index(0).data(MessageModel::FileNameRole).isValid());
    }

    void ownUploadsShowTheGivenSender()
    {
        MessageModel model;
        TransferInfo t = download(QStringLiteral("u-1"), 10);
        t.direction = TransferInfo::Direction::Upload;
        t.peer = QStringLiteral("general");
        model.updateTransfer(t, QStringLiteral("alice"));
        QCOMPARE(model.index(0).data(MessageModel::SenderRole).toString(), QStringLiteral("alice"));
        QVERIFY(model.index(0).data(MessageModel::OwnRole).toBool());
    }

    void aTransferNeverReplacesAChatMessage()
    {
        MessageModel model;
        model.append(chat(QStringLiteral("said"), QStringLiteral("same-id")));
        model.updateTransfer(download(QStringLiteral("same-id"), 10));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(MessageModel::TextRole).toString(), QStringLiteral("said"));
        QVERIFY(!model.transfer(0));
        model.updateTransfer(download(QString(), 10)); // no id: nothing to key it by
        QCOMPARE(model.rowCount(), 1);
    }

    void removingAndClearingForgetTransfers()
    {
        MessageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.updateTransfer(download(QStringLiteral("d-1"), 10));
        model.updateTransfer(download(QStringLiteral("d-2"), 20));
        QVERIFY(model.remove(QStringLiteral("d-1")));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.transfer(0)->id, QStringLiteral("d-2"));
        model.clear();
        model.updateTransfer(download(QStringLiteral("d-2"), 20));
        QCOMPARE(model.rowCount(), 1); // shown again after a clear (a room switch)
        QCOMPARE(model.index(0).data(MessageModel::FileSizeRole).toLongLong(), 20);
    }
};

QTEST_GUILESS_MAIN(TestTransferRows)
#include "tst_transferrows.moc"

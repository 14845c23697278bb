// SPDX-License-Identifier: GPL-3.0-or-later
// Image previews: thumbnails decoded off the GUI thread under a size cap, refusals of bombs and of
// files that only look like images, and the thumbnail in a real window's file card.
#include "appsettings.h"
#include "apptranslations.h"
#include "chatclient.h"
#include "filetransfers.h"
#include "imagethumbnailer.h"
#include "imageviewer.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageview.h"
#include "transferpresenter.h"
#include "twousers.h"
#include "uitestsupport.h"
#include "userlistmodel.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QSignalSpy>
#include <QtEndian>
#include <QtTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;
using State = TransferInfo::State;

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : data) {
        crc ^= quint8(byte);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray chunk(const char *type, const QByteArray &body)
{
    QByteArray out(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(body.size()), out.data());
    const QByteArray typed = QByteArray(type) + body;
    out += typed;
    QByteArray crc(4, Qt::Uninitialized);
    qToBigEndian<quint32>(crc32(typed), crc.data());
    return out + crc;
}

// A PNG whose header claims width × height RGBA pixels, followed by a little garbage "data": what
// a decompression bomb looks like to a reader that trusts the header.
QByteArray craftedPng(quint32 width, quint32 height)
{
    QByteArray ihdr(13, '\0');
    qToBigEndian<quint32>(width, ihdr.data());
    qToBigEndian<quint32>(height, ihdr.data() + 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 6; // RGBA
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) +
           chunk("IDAT", QByteArray("\x78\x9c garbage that inflates to nothing", 36)) + chunk("IEND", {});
}

// The process's peak resident set, in KiB.
qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// The n-th row of the model that is a file transfer (the room may show notices too).
QPersistentModelIndex transferRow(const MessageModel *model, int n)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->transfer(i) && n-- == 0)
            return model->index(i);
    }
    return {};
}

QImage solidImage(const QSize &size, const QColor &color)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    return image;
}

} // namespace

class TestImagePreview : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    AppTranslations m_translations;
    int m_files = 0;

    QString makeFile(const QString &name, const QByteArray &data)
    {
        const QString dir = m_dir.filePath(QStringLiteral("src-%1").arg(++m_files));
        QDir().mkpath(dir);
        const QString path = QDir(dir).filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QString makePng(const QString &name, const QImage &image)
    {
        const QString path = makeFile(name, {});
        if (!image.save(path, "PNG"))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_imagepreview"));
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_dir.isValid());
    }

    void smallPngGetsAThumbnailOffTheGuiThread()
    {
        const QString path = makePng(QStringLiteral("photo.png"), solidImage({640, 480}, Qt::red));
        ImageThumbnailer thumbnailer;
        QSignalSpy ready(&thumbnailer, &ImageThumbnailer::thumbnailReady);
        QCOMPARE(thumbnailer.status(path), ImageThumbnailer::Status::None);
        // Asking does not decode: the answer comes back through the event loop.
        QVERIFY(thumbnailer.thumbnail(path).isNull());
        QCOMPARE(thumbnailer.status(path), ImageThumbnailer::Status::Pending);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, Timeout);
        QCOMPARE(ready.at(0).at(0).toString(), path);
        QCOMPARE(thumbnailer.status(path), ImageThumbnailer::Status::Ready);
        const QImage thumb = thumbnailer.thumbnail(path);
        QCOMPARE(thumb.size(), QSize(320, 240));
        QCOMPARE(thumb.pixelColor(160, 120), QColor(Qt::red));
        QVERIFY(thumbnailer.isCached(path));

        // A tall one keeps its aspect; a small one is not scaled up.
        const QString tall = makePng(QStringLiteral("tall.png"), solidImage({100, 1000}, Qt::blue));
        const QString tiny = makePng(QStringLiteral("tiny.png"), solidImage({16, 8}, Qt::green));
        QCOMPARE(ImageThumbnailer::decode(tall, ImageThumbnailer::thumbnailBound()).image.size(),
                 QSize(24, 240));
        QCOMPARE(ImageThumbnailer::decode(tiny, ImageThumbnailer::thumbnailBound()).image.size(),
                 QSize(16, 8));

        // Another file at the same path is another thumbnail: the key has the size and time.
        QFile::remove(path);
        QVERIFY(solidImage({200, 100}, Qt::blue).save(path, "PNG"));
        QVERIFY(thumbnailer.thumbnail(path).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(thumbnailer.status(path), ImageThumbnailer::Status::Ready, Timeout);
        QCOMPARE(thumbnailer.thumbnail(path).size(), QSize(200, 100));
    }

    void bombIsRefusedWithoutGrowing()
    {
        const QString path = makeFile(QStringLiteral("bomb.png"), craftedPng(20000, 20000));
        QCOMPARE(QImageReader(path).size(), QSize(20000, 20000)); // the header is believable
        ImageThumbnailer thumbnailer;
        qint64 before = peakRssKiB();
        QVERIFY(before > 0);
        QVERIFY(thumbnailer.thumbnail(path).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(thumbnailer.status(path), ImageThumbnailer::Status::TooLarge, Timeout);
        QVERIFY(thumbnailer.thumbnail(path).isNull());
        QCOMPARE(thumbnailer.status(path), ImageThumbnailer::Status::TooLarge); // not decoded again

        qint64 after = peakRssKiB();
        qInfo("thumbnailer: peak RSS before %lld KiB, after %lld KiB (1.6 GB if decoded)", before, after);
        QVERIFY2(after - before < 4 * 1024, "the refused image grew the process by 4 MiB or more");

        // The viewer refuses it the same way, politely. (A first dialog sets up fonts and style.)
        ImageViewer(makePng(QStringLiteral("warm-up.png"), solidImage({8, 8}, Qt::gray)));
        before = peakRssKiB();
        ImageViewer viewer(path);
        QVERIFY(viewer.image().isNull());
        QCOMPARE(viewer.note(), QStringLiteral("This image is too large to preview."));
        after = peakRssKiB();
        qInfo("viewer: peak RSS before %lld KiB, after %lld KiB", before, after);
        QVERIFY2(after - before < 4 * 1024, "the refused image grew the process by 4 MiB or more");
    }

    void fileThatOnlyLooksLikeAnImageIsRefused()
    {
        const QString path = makeFile(QStringLiteral("notes.png"), "these are notes, not pixels\n");
        ImageThumbnailer thumbnailer;
        QVERIFY(thumbnailer.thumbnail(path).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(thumbnailer.status(path), ImageThumbnailer::Status::NotImage, Timeout);
        QVERIFY(!thumbnailer.isCached(path));
        QCOMPARE(ImageThumbnailer::decode(makeFile(QStringLiteral("empty.jpg"), {}), {320, 240}).status,
                 ImageThumbnailer::Status::NotImage);
        QVERIFY(ImageThumbnailer::looksLikeImage(QStringLiteral("Holiday.JPG")));
        QVERIFY(!ImageThumbnailer::looksLikeImage(QStringLiteral("minutes.odt")));
    }

    void viewerFitsOrShowsFullSize()
    {
        const QString path = makePng(QStringLiteral("wide.png"), solidImage({1600, 400}, Qt::darkGreen));
        ImageViewer viewer(path);
        QCOMPARE(viewer.image().size(), QSize(1600, 400));
        QVERIFY(viewer.note().isEmpty());
        QVERIFY(viewer.isFitting());
        viewer.setFitting(false);
        QVERIFY(!viewer.isFitting());
    }

    void sentAndReceivedImagesShowThumbnailsInTheirCards()
    {
        FileTransfers::Settings files;
        files.progressIntervalMs = 50;
        TwoUsers users(testServerConfig(), files);
        users.alice.transfers->setDownloadDir(QString());
        users.bob.transfers->setDownloadDir(QString());
        AppSettings settings;
        MainWindow window(users.alice.client.get(), &settings, users.alice.transfers.get());
        MessageView *view = window.messageView();
        view->setOpensImages(false);
        window.transferPresenter()->setOpensFiles(false);
        window.resize(900, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(users.login());
        QTRY_VERIFY_WITH_TIMEOUT(window.userModel()->users().contains(QStringLiteral("bob")), Timeout);
        MessageModel *model = window.messageModel();
        ImageThumbnailer *thumbnailer = view->messageDelegate()->thumbnailer();

        // Sent: from the local file at once, while the upload may still be running.
        const QString sent = makePng(QStringLiteral("sent.png"), solidImage({400, 300}, Qt::red));
        window.transferPresenter()->sendFiles({sent});
        QTRY_VERIFY_WITH_TIMEOUT(transferRow(model, 0).isValid(), Timeout);
        const QPersistentModelIndex up = transferRow(model, 0);
        QCOMPARE(MessageDelegate::imagePath(up), sent);
        QTRY_VERIFY_WITH_TIMEOUT(thumbnailer->isCached(sent), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!view->thumbnailRect(up).isEmpty(), Timeout);
        QCOMPARE(view->thumbnailRect(up).size(), QSize(320, 240));
        // The row grew to hold it, and the thumbnail is what is painted there.
        QTRY_VERIFY_WITH_TIMEOUT(view->visualRect(up).contains(view->thumbnailRect(up)), Timeout);
        QCOMPARE(view->viewport()->grab().toImage().pixelColor(view->thumbnailRect(up).center()),
                 QColor(Qt::red));

        // Clicking it asks for the viewer.
        QSignalSpy activated(view, &MessageView::imageActivated);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->thumbnailRect(up).center());
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), sent);

        // Received: once the download completed.
        const QString got = makePng(QStringLiteral("got.png"), solidImage({240, 480}, Qt::blue));
        QVERIFY(!users.bob.transfers->sendFile(got).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(transferRow(model, 1).isValid(), Timeout);
        const QPersistentModelIndex down = transferRow(model, 1);
        QTRY_COMPARE_WITH_TIMEOUT(down.data(MessageModel::TransferStateRole).value<State>(), State::Completed,
                                  Timeout);
        const QString local = down.data(MessageModel::LocalPathRole).toString();
        QVERIFY(!local.isEmpty());
        QCOMPARE(MessageDelegate::imagePath(down), local);
        view->scrollTo(down);
        QTRY_VERIFY_WITH_TIMEOUT(thumbnailer->isCached(local), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(view->thumbnailRect(down).size(), QSize(120, 240), Timeout);
        view->scrollTo(down);
        QTRY_VERIFY_WITH_TIMEOUT(view->viewport()->rect().contains(view->thumbnailRect(down)), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(
            view->viewport()->grab().toImage().pixelColor(view->thumbnailRect(down).center()),
            QColor(Qt::blue), Timeout);
    }

    void refusedImageKeepsThePlainCardWithANote()
    {
        FileTransfers::Settings files;
        TwoUsers users(testServerConfig(), files);
        AppSettings settings;
        MainWindow window(users.alice.client.get(), &settings, users.alice.transfers.get());
        window.messageView()->setOpensImages(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(users.login());
        QTRY_VERIFY_WITH_TIMEOUT(window.userModel()->users().contains(QStringLiteral("bob")), Timeout);
        const QString bomb = makeFile(QStringLiteral("bomb.png"), craftedPng(20000, 20000));
        window.transferPresenter()->sendFiles({bomb});
        MessageModel *model = window.messageModel();
        QTRY_VERIFY_WITH_TIMEOUT(transferRow(model, 0).isValid(), Timeout);
        const QPersistentModelIndex row = transferRow(model, 0);
        ImageThumbnailer *thumbnailer = window.messageView()->messageDelegate()->thumbnailer();
        QTRY_COMPARE_WITH_TIMEOUT(thumbnailer->status(bomb), ImageThumbnailer::Status::TooLarge, Timeout);
        QVERIFY(window.messageView()->thumbnailRect(row).isEmpty());
    }
};

QTEST_MAIN(TestImagePreview)
#include "tst_imagepreview.moc"

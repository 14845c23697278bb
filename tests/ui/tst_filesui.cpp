// SPDX-License-Identifier: GPL-3.0-or-later
// Files in the desktop app: transfer rows and their buttons, and sending by drop, paste and the
// attach button, against a real in-process server with real clients and FileTransfers.
#include "appsettings.h"
#include "apptranslations.h"
#include "chatclient.h"
#include "chatsession.h"
#include "composer.h"
#include "confirmation.h"
#include "filepicker.h"
#include "filespage.h"
#include "filetransfers.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageview.h"
#include "preferencesdialog.h"
#include "roomlistmodel.h"
#include "transferpresenter.h"
#include "twouserswindow.h"
#include "uitestsupport.h"
#include "userlistmodel.h"
#include "waituntil.h"

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QMimeData>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QtTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;
using Action = MessageDelegate::TransferAction;
using State = TransferInfo::State;

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray data(int(size), Qt::Uninitialized);
    QRandomGenerator gen(seed);
    for (char &c : data)
        c = char(gen.bounded(256));
    return data;
}

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

TransferInfo info(const QString &id, TransferInfo::Direction direction, State state)
{
    TransferInfo t;
    t.id = id;
    t.direction = direction;
    t.state = state;
    t.name = QStringLiteral("report-%1.pdf").arg(id);
    t.size = 3 * 1024 * 1024;
    t.done = state == State::Completed ? t.size : t.size / 3;
    t.bytesPerSecond = state == State::Active ? 1024 * 1024 : 0;
    t.peer = QStringLiteral("bob");
    t.room = QStringLiteral("general");
    return t;
}

// The rows of the model that are transfers, in order.
QList<TransferInfo> transferRows(const MessageModel *model)
{
    QList<TransferInfo> rows;
    for (int i = 0; i < model->rowCount(); ++i) {
        if (const TransferInfo *t = model->transfer(i))
            rows.append(*t);
    }
    return rows;
}

} // namespace

class TestFilesUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    AppTranslations m_translations;
    TwoUsersWindow m_w;
    int m_files = 0;

    // Alice's window with files, connected and in "general"; Bob in the same room, also with files.
    bool openWindowWithBob() { return m_w.open(Timeout); }

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

    // Drags `mime` over a widget and drops it there, as a file manager would.
    static bool dropOn(QWidget *target, const QMimeData *mime)
    {
        const QPoint pos = target->rect().center();
        QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        if (!enter.isAccepted())
            return false;
        QDropEvent drop(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &drop);
        return drop.isAccepted();
    }

    static std::unique_ptr<QMimeData> fileUrls(const QStringList &paths)
    {
        auto mime = std::make_unique<QMimeData>();
        QList<QUrl> urls;
        for (const QString &path : paths)
            urls.append(QUrl::fromLocalFile(path));
        mime->setUrls(urls);
        return mime;
    }

    void click(const QModelIndex &index, Action action)
    {
        MessageView *view = m_w.window->messageView();
        view->scrollTo(index);
        const QRect button = view->transferButtonRect(index, action);
        QVERIFY2(!button.isEmpty(), "the row offers no such button");
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, button.center());
    }

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_filesui"));
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_dir.isValid());
    }

    void init() { m_w.prepare(); }

    void cleanup()
    {
        m_w.close();
        QApplication::clipboard()->clear();
    }

    void transferButtonsFollowTheState()
    {
        MessageModel model;
        MessageView view;
        QVERIFY(UiTest::showView(view, model, QSize(700, 400)));
        MessageModel::Message chat;
        chat.sender = QStringLiteral("carol");
        chat.text = QStringLiteral("a line of chat");
        chat.timestamp = QDateTime::currentMSecsSinceEpoch();
        model.append(chat);
        model.updateTransfer(info(QStringLiteral("run"), TransferInfo::Direction::Download, State::Active));
        model.updateTransfer(
            info(QStringLiteral("got"), TransferInfo::Direction::Download, State::Completed));
        model.updateTransfer(info(QStringLiteral("sent"), TransferInfo::Direction::Upload, State::Completed),
                             QStringLiteral("alice"));
        TransferInfo failed = info(QStringLiteral("bad"), TransferInfo::Direction::Upload, State::Failed);
        failed.error = QStringLiteral("the server refused it: too large");
        model.updateTransfer(failed, QStringLiteral("alice"));
        const QModelIndex running = model.index(1), received = model.index(2), sent = model.index(3),
                          broken = model.index(4);
        QTRY_VERIFY_WITH_TIMEOUT(view.visualRect(broken).height() > 0, Timeout);

        // A transfer row is a two-line card, whatever its state.
        QVERIFY(view.visualRect(running).height() >= 2 * QFontMetrics(view.font()).lineSpacing());
        QCOMPARE(view.visualRect(received).height(), view.visualRect(sent).height());

        QCOMPARE(MessageDelegate::transferActions(running), QVector<Action>{Action::Cancel});
        QCOMPARE(MessageDelegate::transferActions(received), (QVector<Action>{Action::Save, Action::Open}));
        QVERIFY(MessageDelegate::transferActions(sent).isEmpty());
        QVERIFY(MessageDelegate::transferActions(broken).isEmpty());
        QVERIFY(MessageDelegate::transferActions(model.index(0)).isEmpty());
        QCOMPARE(sent.data(MessageModel::TransferStatusRole).toString(), QStringLiteral("Sent"));
        QCOMPARE(broken.data(MessageModel::TransferStatusRole).toString(),
                 QStringLiteral("Failed: the server refused it: too large"));

        // Buttons sit inside their row, apart from each other.
        const QRect cancel = view.transferButtonRect(running, Action::Cancel);
        const QRect save = view.transferButtonRect(received, Action::Save);
        const QRect open = view.transferButtonRect(received, Action::Open);
        QVERIFY(view.visualRect(running).contains(cancel));
        QVERIFY(view.visualRect(received).contains(save) && view.visualRect(received).contains(open));
        QVERIFY(!save.intersects(open));
        QVERIFY(view.transferButtonRect(running, Action::Save).isEmpty());
        QVERIFY(view.transferButtonRect(sent, Action::Cancel).isEmpty());

        QSignalSpy cancelled(&view, &MessageView::cancelTransferRequested);
        QSignalSpy saved(&view, &MessageView::saveTransferRequested);
        QSignalSpy opened(&view, &MessageView::openTransferRequested);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, cancel.center());
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(cancelled.at(0).at(0).toString(), QStringLiteral("run"));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, save.center());
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, open.center());
        QCOMPARE(saved.count(), 1);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toString(), QStringLiteral("got"));
        // Clicking elsewhere on the card does nothing.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                          view.visualRect(running).topLeft() + QPoint(3, 3));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.visualRect(sent).center());
        QCOMPARE(cancelled.count() + saved.count() + opened.count(), 3);

        // The context menu offers the same.
        std::unique_ptr<QMenu> menu(view.createContextMenu(view.visualRect(running).center()));
        QVERIFY(menu);
        auto *cancelAction = menu->findChild<QAction *>(QStringLiteral("cancelTransferAction"));
        QVERIFY(cancelAction);
        cancelAction->trigger();
        QCOMPARE(cancelled.count(), 2);
        menu.reset(view.createContextMenu(view.visualRect(received).center()));
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("saveTransferAction")));
        // From the keyboard (Menu key) the menu is for the current row, wherever the mouse is.
        view.setCurrentIndex(received);
        QContextMenuEvent fromKeyboard(QContextMenuEvent::Keyboard, QPoint(1, 1),
                                       view.mapToGlobal(QPoint(1, 1)));
        QCOMPARE(view.contextMenuAnchor(&fromKeyboard), view.visualRect(received).center());
        QContextMenuEvent fromMouse(QContextMenuEvent::Mouse, QPoint(1, 1), view.mapToGlobal(QPoint(1, 1)));
        QCOMPARE(view.contextMenuAnchor(&fromMouse), QPoint(1, 1));
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("openTransferAction")));
        QVERIFY(!menu->findChild<QAction *>(QStringLiteral("cancelTransferAction")));

        // Once finished, the running row's button is gone and a click there does nothing.
        TransferInfo done = info(QStringLiteral("run"), TransferInfo::Direction::Download, State::Cancelled);
        done.error = QStringLiteral("cancelled by the sender");
        model.updateTransfer(done);
        QVERIFY(view.transferButtonRect(running, Action::Cancel).isEmpty());
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, cancel.center());
        QCOMPARE(cancelled.count(), 2);
        QCOMPARE(running.data(MessageModel::TransferStatusRole).toString(),
                 QStringLiteral("Cancelled: cancelled by the sender"));

        // Every state paints.
        QImage image(view.viewport()->size(), QImage::Format_ARGB32);
        view.viewport()->render(&image);
    }

    void droppedFileArrivesAtThePeer()
    {
        QVERIFY(openWindowWithBob());
        const QByteArray data = randomBytes(300 * 1024 + 17, 1);
        const QString path = makeFile(QStringLiteral("holiday photo.jpg"), data);
        QSignalSpy bobGot(m_w.users->bob.transfers.get(), &FileTransfers::transferFinished);

        // Dropped on the message list, which passes it to the window.
        auto mime = fileUrls({path});
        QVERIFY(dropOn(m_w.window->messageView()->viewport(), mime.get()));
        MessageModel *model = m_w.window->messageModel();
        QCOMPARE(transferRows(model).size(), 1);
        const QString id = transferRows(model).at(0).id;
        const QModelIndex row = model->index(model->rowOfId(id));
        QCOMPARE(row.data(MessageModel::FileNameRole).toString(), QStringLiteral("holiday photo.jpg"));
        QCOMPARE(row.data(MessageModel::FileSizeRole).toLongLong(), data.size());
        QCOMPARE(row.data(MessageModel::SenderRole).toString(), QStringLiteral("alice"));
        QVERIFY(row.data(MessageModel::OwnRole).toBool());

        QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        QVERIFY(waitUntil([&] { return !m_w.users->bob.completedDownload().id.isEmpty(); }, Timeout));
        const TransferInfo got = m_w.users->bob.completedDownload();
        QCOMPARE(got.name, QStringLiteral("holiday photo.jpg"));
        QCOMPARE(got.peer, QStringLiteral("alice"));
        QCOMPARE(contents(got.localPath), data);
        QTRY_COMPARE_WITH_TIMEOUT(row.data(MessageModel::TransferStateRole).value<State>(), State::Completed,
                                  Timeout);
        QCOMPARE(row.data(MessageModel::TransferStatusRole).toString(), QStringLiteral("Sent"));
        QCOMPARE(row.data(MessageModel::ProgressRole).toDouble(), 1.0);
        // Progress changed the row in place: no second row for the same file.
        QCOMPARE(transferRows(model).size(), 1);
        QVERIFY(!changed.isEmpty());
        for (const QList<QVariant> &args : std::as_const(changed))
            QCOMPARE(args.at(0).value<QModelIndex>().row(), row.row());
        QCOMPARE(inserted.count(), 0);
    }

    void transfersComeBackWithTheirRoom()
    {
        QVERIFY(openWindowWithBob());
        const QByteArray data = randomBytes(1024, 8);
        QVERIFY(!m_w.users->bob.transfers->sendFile(makeFile(QStringLiteral("agenda.txt"), data)).isEmpty());
        MessageModel *model = m_w.window->messageModel();
        QTRY_COMPARE_WITH_TIMEOUT(transferRows(model).size(), 1, Timeout);
        const QString id = transferRows(model).at(0).id;
        QTRY_COMPARE_WITH_TIMEOUT(m_w.users->alice.transfers->transfer(id).state, State::Completed, Timeout);
        m_w.users->bob.client->sendMessage(QStringLiteral("said after the file"));
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::texts(model).contains(QStringLiteral("said after the file")),
                                 Timeout);

        m_w.window->joinRoom(QStringLiteral("random"));
        QTRY_COMPARE_WITH_TIMEOUT(m_w.window->session()->shownRoom(), QStringLiteral("random"), Timeout);
        QVERIFY(transferRows(model).isEmpty());
        m_w.window->joinRoom(QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(m_w.window->session()->shownRoom(), QStringLiteral("general"), Timeout);
        // The received file is still there to save, below the room's history.
        QTRY_COMPARE_WITH_TIMEOUT(transferRows(model).size(), 1, Timeout);
        QCOMPARE(transferRows(model).at(0).id, id);
        QCOMPARE(model->index(model->rowOfId(id)).data(MessageModel::TransferStateRole).value<State>(),
                 State::Completed);
        QVERIFY(model->rowOfId(id) > UiTest::texts(model).indexOf(QStringLiteral("said after the file")));
        QCOMPARE(MessageDelegate::transferActions(model->index(model->rowOfId(id))),
                 (QVector<Action>{Action::Save, Action::Open}));

        // Where it was saved is remembered across room switches too.
        const QString target = m_dir.filePath(QStringLiteral("kept/agenda.txt"));
        FilePicker::setNextSaveAnswer(target);
        click(model->index(model->rowOfId(id)), Action::Save);
        QCOMPARE(contents(target), data);
        m_w.window->joinRoom(QStringLiteral("random"));
        QTRY_VERIFY_WITH_TIMEOUT(transferRows(model).isEmpty(), Timeout);
        m_w.window->joinRoom(QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(transferRows(model).size(), 1, Timeout);
        QCOMPARE(model->index(model->rowOfId(id)).data(MessageModel::SavedPathRole).toString(), target);
    }

    // The user sets up to which size files arrive without asking; a larger one says it waits
    // for Save… (and the notification says so too), and saving it answers the question.
    void largerFilesAskFirst()
    {
        QVERIFY(openWindowWithBob());
        m_w.window->showPreferences(); // Preferences → Files
        QVERIFY(m_w.window->preferencesDialog());
        auto *files =
            qobject_cast<FilesPage *>(m_w.window->preferencesDialog()->page(QStringLiteral("filesPage")));
        QVERIFY(files);
        files->autoAcceptLimit()->setValue(1);
        QCOMPARE(m_w.settings->autoAcceptFileBytes(), 1024 * 1024);
        m_w.window->preferencesDialog()->close();
        QSignalSpy notified(m_w.window->session(), &ChatSession::notificationRequested);
        m_w.window->session()->setWindowActive(false);
        QVERIFY(!m_w.users->bob.transfers
                     ->sendFile(makeFile(QStringLiteral("big.bin"), randomBytes(2 * 1024 * 1024, 12)))
                     .isEmpty());
        MessageModel *model = m_w.window->messageModel();
        QTRY_COMPARE_WITH_TIMEOUT(transferRows(model).size(), 1, Timeout);
        const QString id = transferRows(model).at(0).id;
        QTRY_COMPARE_WITH_TIMEOUT(m_w.users->alice.transfers->transfer(id).state, State::Completed, Timeout);
        const QModelIndex row = model->index(model->rowOfId(id));
        QVERIFY2(row.data(MessageModel::TransferStatusRole).toString().contains(QStringLiteral("Save…")),
                 qPrintable(row.data(MessageModel::TransferStatusRole).toString()));
        QCOMPARE(notified.size(), 1);
        QVERIFY(notified.first().at(1).toString().contains(QStringLiteral("Save…")));

        FilePicker::setNextSaveAnswer(m_dir.filePath(QStringLiteral("kept-big.bin")));
        m_w.window->transferPresenter()->saveTransfer(id);
        QVERIFY(!m_w.users->alice.transfers->transfer(id).awaitingAnswer);
        QVERIFY(!model->index(model->rowOfId(id))
                     .data(MessageModel::TransferStatusRole)
                     .toString()
                     .contains(QStringLiteral("Save…")));
    }

    void clearingFinishedTransfersTakesTheirRowsAway()
    {
        QVERIFY(openWindowWithBob());
        MessageModel *model = m_w.window->messageModel();
        // A file in and a file out, both finished, with a line of chat between them.
        QVERIFY(
            !m_w.users->bob.transfers->sendFile(makeFile(QStringLiteral("agenda.txt"), randomBytes(1024, 9)))
                 .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(transferRows(model).size(), 1, Timeout);
        const QString received = transferRows(model).at(0).id;
        QTRY_COMPARE_WITH_TIMEOUT(m_w.users->alice.transfers->transfer(received).state, State::Completed,
                                  Timeout);
        m_w.users->bob.client->sendMessage(QStringLiteral("said between the files"));
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::texts(model).contains(QStringLiteral("said between the files")),
                                 Timeout);
        m_w.window->transferPresenter()->sendFiles(
            {makeFile(QStringLiteral("minutes.txt"), randomBytes(2048, 10))});
        QCOMPARE(transferRows(model).size(), 2);
        const QString sent = transferRows(model).at(1).id;
        QTRY_COMPARE_WITH_TIMEOUT(m_w.users->alice.transfers->transfer(sent).state, State::Completed,
                                  Timeout);
        // A third waits in the queue (the server is gone): not finished, so it stays.
        m_w.users->server->abortAllClients();
        m_w.users->server->close();
        QTRY_VERIFY_WITH_TIMEOUT(m_w.users->alice.client->state() != ChatClient::State::Connected, Timeout);
        m_w.window->transferPresenter()->sendFiles(
            {makeFile(QStringLiteral("later.txt"), randomBytes(100, 11))});
        QCOMPARE(transferRows(model).size(), 3);
        const QString waiting = transferRows(model).at(2).id;
        QVERIFY(!transferRows(model).at(2).isFinished());

        auto *clear = m_w.window->findChild<QAction *>(QStringLiteral("clearTransfersAction"));
        QVERIFY(clear);
        clear->trigger();
        QCOMPARE(transferRows(model).size(), 1);
        QCOMPARE(transferRows(model).at(0).id, waiting);
        QCOMPARE(model->rowOfId(received), -1);
        QCOMPARE(model->rowOfId(sent), -1);
        QVERIFY(UiTest::texts(model).contains(QStringLiteral("said between the files")));
        // Gone from FileTransfers too, so showing the room again does not bring them back.
        QCOMPARE(m_w.users->alice.transfers->transfers().size(), 1);
        QCOMPARE(m_w.users->alice.transfers->transfers().at(0).id, waiting);
    }

    void severalFilesQueueUpFromTheAttachButton()
    {
        QVERIFY(openWindowWithBob());
        QToolButton *attach = m_w.window->attachButton();
        QVERIFY(attach);
        QVERIFY(!attach->accessibleName().isEmpty());
        QVERIFY(!attach->text().isEmpty());
        const QByteArray a = randomBytes(200 * 1024, 2), b = randomBytes(5, 3), c = QByteArray();
        const QStringList paths{makeFile(QStringLiteral("a.bin"), a), makeFile(QStringLiteral("b.txt"), b),
                                makeFile(QStringLiteral("empty"), c)};

        FilePicker::setNextOpenAnswer(paths);
        QTest::mouseClick(attach, Qt::LeftButton);
        MessageModel *model = m_w.window->messageModel();
        QCOMPARE(transferRows(model).size(), 3);
        QVERIFY(waitUntil([&] { return !m_w.users->bob.completedDownload(2).id.isEmpty(); }, Timeout));
        // They went one after the other, in the order picked, each intact.
        QCOMPARE(m_w.users->bob.completedDownload(0).name, QStringLiteral("a.bin"));
        QCOMPARE(contents(m_w.users->bob.completedDownload(0).localPath), a);
        QCOMPARE(contents(m_w.users->bob.completedDownload(1).localPath), b);
        QCOMPARE(m_w.users->bob.completedDownload(2).size, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const TransferInfo &t : transferRows(model)) {
                    if (t.state != State::Completed)
                        return false;
                }
                return true;
            }(),
            Timeout);

        // Cancelling the picker sends nothing.
        FilePicker::setNextOpenAnswer(QStringList());
        QTest::mouseClick(attach, Qt::LeftButton);
        QCOMPARE(transferRows(model).size(), 3);
    }

    void foldersAndMissingFilesAreRefusedClearly()
    {
        QVERIFY(openWindowWithBob());
        const QString folder = m_dir.filePath(QStringLiteral("Holiday Photos"));
        QVERIFY(QDir().mkpath(folder));
        const QString missing = m_dir.filePath(QStringLiteral("gone.txt"));
        auto mime = fileUrls({folder, missing});
        QVERIFY(dropOn(m_w.window.get(), mime.get()));
        MessageModel *model = m_w.window->messageModel();
        QVERIFY(transferRows(model).isEmpty());
        const QStringList lines = UiTest::texts(model);
        QVERIFY2(lines.filter(QStringLiteral("“Holiday Photos” is a folder")).size() == 1,
                 qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY2(lines.filter(QStringLiteral("Could not send “gone.txt”")).size() == 1,
                 qPrintable(lines.join(QLatin1Char('|'))));

        // Text (or a web link) is no file: the window does not take it.
        QMimeData text;
        text.setText(QStringLiteral("just words"));
        text.setUrls({QUrl(QStringLiteral("https://example.org/a.png"))});
        QVERIFY(!dropOn(m_w.window.get(), &text));
    }

    void cancelButtonStopsAnUpload()
    {
        QVERIFY(openWindowWithBob());
        // With the server gone the upload waits in the queue, so the click lands on a live transfer.
        m_w.users->server->abortAllClients();
        m_w.users->server->close();
        QTRY_VERIFY_WITH_TIMEOUT(m_w.users->alice.client->state() != ChatClient::State::Connected, Timeout);
        const QString path = makeFile(QStringLiteral("notes.txt"), randomBytes(1000, 4));
        auto mime = fileUrls({path});
        QVERIFY(dropOn(m_w.window->composer()->viewport(), mime.get()));
        QVERIFY(m_w.window->composer()->toPlainText().isEmpty()); // not pasted in as a path
        MessageModel *model = m_w.window->messageModel();
        QCOMPARE(transferRows(model).size(), 1);
        const QModelIndex row = model->index(model->rowOfId(transferRows(model).at(0).id));
        QVERIFY(row.data(MessageModel::TransferStateRole).value<State>() != State::Completed);
        QTRY_VERIFY_WITH_TIMEOUT(m_w.window->messageView()->visualRect(row).height() > 0, Timeout);

        click(row, Action::Cancel);
        QCOMPARE(row.data(MessageModel::TransferStateRole).value<State>(), State::Cancelled);
        QVERIFY(
            row.data(MessageModel::TransferStatusRole).toString().startsWith(QStringLiteral("Cancelled")));
        QCOMPARE(m_w.users->alice.transfers->transfer(transferRows(model).at(0).id).state, State::Cancelled);
    }

    void quittingWithARunningTransferAsksFirst()
    {
        QVERIFY(openWindowWithBob());
        // With the server gone the upload stays queued: a transfer that quitting would abandon.
        m_w.users->server->abortAllClients();
        m_w.users->server->close();
        QTRY_VERIFY_WITH_TIMEOUT(m_w.users->alice.client->state() != ChatClient::State::Connected, Timeout);
        auto mime = fileUrls({makeFile(QStringLiteral("draft.txt"), randomBytes(100, 5))});
        QVERIFY(dropOn(m_w.window.get(), mime.get()));
        QCOMPARE(m_w.users->alice.transfers->unfinishedCount(TransferInfo::Direction::Upload), 1);

        Confirmation::setNextAnswer(false);
        QVERIFY(!m_w.window->close());
        QVERIFY(m_w.window->isVisible());
        QCOMPARE(m_w.users->alice.transfers->unfinishedCount(TransferInfo::Direction::Upload), 1);

        Confirmation::setNextAnswer(true);
        QVERIFY(m_w.window->close());
        QVERIFY(!m_w.window->isVisible());
    }

    void quittingWithNothingRunningDoesNotAsk()
    {
        QVERIFY(openWindowWithBob());
        Confirmation::setNextAnswer(false); // would refuse, if it were asked
        QVERIFY(m_w.window->close());
        Confirmation::setNextAnswer(std::nullopt);
    }

    void pastedImageAndFilesAreSent()
    {
        QVERIFY(openWindowWithBob());
        QImage image(64, 48, QImage::Format_RGB32);
        image.fill(QColor(10, 120, 200));
        QApplication::clipboard()->setImage(image);
        Composer *composer = m_w.window->composer();
        composer->setFocus();
        QTest::keyClick(composer, Qt::Key_V, Qt::ControlModifier);
        QVERIFY(composer->toPlainText().isEmpty());
        MessageModel *model = m_w.window->messageModel();
        QCOMPARE(transferRows(model).size(), 1);
        const QString name = transferRows(model).at(0).name;
        QVERIFY2(QRegularExpression(QStringLiteral("^pasted-image-\\d{8}-\\d{6}(-\\d+)?\\.png$"))
                     .match(name)
                     .hasMatch(),
                 qPrintable(name));

        QVERIFY(waitUntil([&] { return !m_w.users->bob.completedDownload().id.isEmpty(); }, Timeout));
        QImage got(m_w.users->bob.completedDownload().localPath, "PNG");
        QCOMPARE(got.size(), image.size());
        QCOMPARE(got.pixelColor(5, 5), QColor(10, 120, 200));

        // Files copied in a file manager are sent as files; plain text is still pasted as text.
        const QByteArray data = randomBytes(4096, 5);
        QApplication::clipboard()->setMimeData(
            fileUrls({makeFile(QStringLiteral("copied.dat"), data)}).release());
        QTest::keyClick(composer, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(transferRows(model).size(), 2);
        QVERIFY(
            waitUntil([&] { return m_w.users->bob.completedDownload().name == QStringLiteral("copied.dat"); },
                      Timeout));
        QCOMPARE(contents(m_w.users->bob.completedDownload().localPath), data);

        QApplication::clipboard()->setText(QStringLiteral("plain words"));
        QTest::keyClick(composer, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(composer->toPlainText(), QStringLiteral("plain words"));
        QCOMPARE(transferRows(model).size(), 2);
    }

    void receivedFileCanBeSavedAndOpened()
    {
        QVERIFY(openWindowWithBob());
        const QByteArray data = randomBytes(150 * 1024, 6);
        QSignalSpy notified(m_w.window.get(), &MainWindow::notified);
        QVERIFY(!m_w.users->bob.transfers->sendFile(makeFile(QStringLiteral("minutes.odt"), data)).isEmpty());

        MessageModel *model = m_w.window->messageModel();
        QTRY_COMPARE_WITH_TIMEOUT(transferRows(model).size(), 1, Timeout);
        const QModelIndex row = model->index(model->rowOfId(transferRows(model).at(0).id));
        QCOMPARE(row.data(MessageModel::SenderRole).toString(), QStringLiteral("bob"));
        QVERIFY(!row.data(MessageModel::OwnRole).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(row.data(MessageModel::TransferStateRole).value<State>(), State::Completed,
                                  Timeout);
        QCOMPARE(row.data(MessageModel::TransferStatusRole).toString(), QStringLiteral("Received"));
        // Seen at once in the active window: neither unread nor notified.
        QCOMPARE(m_w.window->roomModel()->unread(QStringLiteral("general")), 0);
        QCOMPARE(notified.count(), 0);

        // Save… asks where (the dialog itself asks before replacing), then copies it there.
        const QString target = m_dir.filePath(QStringLiteral("saved/minutes copy.odt"));
        QVERIFY(QDir().mkpath(QFileInfo(target).absolutePath()));
        QFile existing(target);
        QVERIFY(existing.open(QIODevice::WriteOnly) && existing.write("old") == 3);
        existing.close();
        FilePicker::setNextSaveAnswer(target);
        click(row, Action::Save);
        QCOMPARE(contents(target), data);
        QCOMPARE(row.data(MessageModel::SavedPathRole).toString(), target);

        // Cancelling the save dialog changes nothing.
        FilePicker::setNextSaveAnswer(QString());
        click(row, Action::Save);
        QCOMPARE(row.data(MessageModel::SavedPathRole).toString(), target);

        // Open opens the saved copy.
        QSignalSpy opened(m_w.window->transferPresenter(), &TransferPresenter::fileOpened);
        click(row, Action::Open);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toUrl(), QUrl::fromLocalFile(target));

        // A save that fails (here: onto a folder) says why, and the earlier copy stays recorded.
        FilePicker::setNextSaveAnswer(QFileInfo(target).absolutePath());
        click(row, Action::Save);
        QVERIFY(UiTest::texts(model).filter(QStringLiteral("Could not save “minutes.odt”")).size() == 1);
        QCOMPARE(row.data(MessageModel::SavedPathRole).toString(), target);
    }

    void incomingFileWhileInactiveCountsAsUnread()
    {
        QVERIFY(openWindowWithBob());
        QWidget other;
        other.show();
        other.activateWindow();
        QTRY_VERIFY_WITH_TIMEOUT(!m_w.window->isActiveWindow(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!m_w.window->session()->isWindowActive(), Timeout);

        QSignalSpy notified(m_w.window.get(), &MainWindow::notified);
        QVERIFY(
            !m_w.users->bob.transfers->sendFile(makeFile(QStringLiteral("slides.pdf"), randomBytes(2048, 7)))
                 .isEmpty());
        RoomListModel *rooms = m_w.window->roomModel();
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(QStringLiteral("general")), 1, Timeout);
        // The file's entry in the room's history (PROTOCOL.md 5.4) follows the stream: it is the
        // same file, not a second arrival.
        QTRY_COMPARE_WITH_TIMEOUT(m_w.users->alice.client->lastSeq(QStringLiteral("general")), 1, Timeout);
        QCOMPARE(rooms->unread(QStringLiteral("general")), 1);
        int rowsOfTheFile = 0;
        for (int r = 0; r < m_w.window->messageModel()->rowCount(); ++r)
            rowsOfTheFile +=
                m_w.window->messageModel()->message(r).text.contains(QStringLiteral("slides.pdf"));
        QCOMPARE(rowsOfTheFile, 1);
        QCOMPARE(notified.count(), 1);
        QVERIFY(notified.at(0).at(0).toString().contains(QStringLiteral("bob")));
        QVERIFY(notified.at(0).at(1).toString().contains(QStringLiteral("slides.pdf")));
        QVERIFY(m_w.window->windowTitle().startsWith(QStringLiteral("(1)")));

        m_w.window->activateWindow();
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(QStringLiteral("general")), 0, Timeout);
    }

    // Away in another room while Bob sent a file: back in "general", the room's history says he
    // sent it (the bytes are gone), once; Alice's own upload is not listed twice either.
    void aFileSentWhileAwayIsInTheRoomsHistory()
    {
        QVERIFY(openWindowWithBob());
        ChatClient *alice = m_w.users->alice.client.get();
        alice->joinRoom(QStringLiteral("random"));
        QTRY_COMPARE_WITH_TIMEOUT(alice->joinedRoom(), QStringLiteral("random"), Timeout);
        QSignalSpy bobDone(m_w.users->bob.transfers.get(), &FileTransfers::transferFinished);
        QVERIFY(
            !m_w.users->bob.transfers->sendFile(makeFile(QStringLiteral("notes.txt"), randomBytes(3000, 9)))
                 .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(bobDone.count(), 1, Timeout);
        QCOMPARE(bobDone.at(0).at(0).value<TransferInfo>().state, TransferInfo::State::Completed);

        alice->joinRoom(QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(alice->joinedRoom(), QStringLiteral("general"), Timeout);
        MessageModel *messages = m_w.window->messageModel();
        QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 1, Timeout);
        QCOMPARE(messages->message(0).kind, MessageModel::Kind::Chat);
        QCOMPARE(messages->message(0).sender, QStringLiteral("bob"));
        QVERIFY2(messages->message(0).text.startsWith(QStringLiteral("📎 notes.txt")),
                 qPrintable(messages->message(0).text));
        QCOMPARE(messages->message(0).seq, 1);
    }
};

QTEST_MAIN(TestFilesUi)
#include "tst_filesui.moc"

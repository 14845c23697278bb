// SPDX-License-Identifier: GPL-3.0-or-later
// The main window against a real in-process server and real clients.
#include "aboutdialog.h"
#include "appsettings.h"
#include "apptranslations.h"
#include "chatclient.h"
#include "chatsession.h"
#include "clientfixture.h"
#include "composer.h"
#include "confirmation.h"
#include "connectionpanel.h"
#include "connectionstatus.h"
#include "latencygraph.h"
#include "latencyindicator.h"
#include "latencymonitor.h"
#include "mainwindow.h"
#include "messagemodel.h"
#include "messageview.h"
#include "outbox.h"
#include "roomlistdock.h"
#include "roomlistmodel.h"
#include "serverfixture.h"
#include "serverroomsmodel.h"
#include "shortcutsdialog.h"
#include "tlstestserver.h"
#include "trayicon.h"
#include "typingindicator.h"
#include "uitestsupport.h"
#include "userlistmodel.h"

#include <QAbstractButton>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTreeView>
#include <QtTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    AppTranslations m_translations;
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChatClient> m_bob;
    quint16 m_port = 0;

    bool startServer(quint16 port)
    {
        ServerConfig config = testServerConfig();
        config.port = port;
        m_server = startTestServer(config);
        m_port = m_server->port();
        return true;
    }

    // Alice's window, connected and in "general".
    bool openWindow(ChatClient::Settings settings)
    {
        m_client = std::make_unique<ChatClient>(settings);
        m_settings = std::make_unique<AppSettings>();
        m_window = std::make_unique<MainWindow>(m_client.get(), m_settings.get());
        m_window->messageView()->setOpensLinks(false);
        m_window->show();
        if (!QTest::qWaitForWindowExposed(m_window.get()))
            return false;
        m_client->connectToServer(m_server->url(), QStringLiteral("alice"), QStringLiteral("general"));
        return QTest::qWaitFor([this] { return m_client->isSessionReady(); }, Timeout);
    }

    bool openWindow() { return openWindow(fastClientSettings(m_dir, QStringLiteral("alice"))); }

    std::unique_ptr<ChatClient> peer(const QString &name, ChatClient::Settings settings = {})
    {
        if (settings.outboxPath.isEmpty())
            settings = fastClientSettings(m_dir, name);
        auto client = std::make_unique<ChatClient>(settings);
        client->connectToServer(m_server->url(), name, QStringLiteral("general"));
        return client;
    }

    bool joinBob()
    {
        m_bob = peer(QStringLiteral("bob"));
        return QTest::qWaitFor(
            [this] {
                return m_bob->isSessionReady() &&
                       m_window->userModel()->users().contains(QStringLiteral("bob"));
            },
            Timeout);
    }

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_mainwindow"));
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_dir.isValid());
    }

    void init() { QVERIFY(startServer(0)); }

    void cleanup()
    {
        m_window.reset();
        m_bob.reset();
        m_client.reset();
        m_settings.reset();
        m_server.reset();
    }

    void sentAndReceivedMessagesAppear()
    {
        QVERIFY(openWindow());
        QVERIFY(joinBob());
        QSignalSpy bobGot(m_bob.get(), &ChatClient::messageReceived);

        Composer *composer = m_window->composer();
        QVERIFY(composer->placeholderText().contains(QStringLiteral("#general")));
        composer->setFocus();
        QTest::keyClicks(composer, QStringLiteral("hello bob"));
        QTest::keyClick(composer, Qt::Key_Return);
        QVERIFY(composer->toPlainText().isEmpty());

        MessageModel *model = m_window->messageModel();
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::rowWithText(model, QStringLiteral("hello bob")) >= 0, Timeout);
        const int own = UiTest::rowWithText(model, QStringLiteral("hello bob"));
        QVERIFY(model->index(own).data(MessageModel::OwnRole).toBool());
        QCOMPARE(model->index(own).data(MessageModel::SenderRole).toString(), QStringLiteral("alice"));
        QTRY_COMPARE_WITH_TIMEOUT(
            model->index(own).data(MessageModel::DeliveryRole).value<MessageModel::Delivery>(),
            MessageModel::Delivery::Acknowledged, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bobGot.count(), 1, Timeout);
        QCOMPARE(bobGot.at(0).at(0).value<Protocol::ChatMessage>().text, QStringLiteral("hello bob"));

        m_bob->sendMessage(QStringLiteral("hi alice, see https://example.org/x"));
        QAbstractItemModel *viewModel = m_window->messageView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(
            UiTest::rowWithText(viewModel, QStringLiteral("hi alice, see https://example.org/x")) >= 0,
            Timeout);
        const QModelIndex received = viewModel->index(
            UiTest::rowWithText(viewModel, QStringLiteral("hi alice, see https://example.org/x")), 0);
        QCOMPARE(received.data(MessageModel::SenderRole).toString(), QStringLiteral("bob"));
        QVERIFY(!received.data(MessageModel::OwnRole).toBool());
        QVERIFY(received.data(MessageModel::TimestampRole).toLongLong() > 0);
        // The row is laid out in the view, at the bottom, where the user looks.
        QTRY_VERIFY_WITH_TIMEOUT(m_window->messageView()->visualRect(received).isValid(), Timeout);
        QVERIFY(m_window->messageView()->isPinnedToBottom());
    }

    void shiftEnterAddsALineAndEmptyIsNotSent()
    {
        QVERIFY(openWindow());
        Composer *composer = m_window->composer();
        QSignalSpy submitted(composer, &Composer::submitted);
        QTest::keyClick(composer, Qt::Key_Return);
        QCOMPARE(submitted.count(), 0);
        QTest::keyClicks(composer, QStringLiteral("line one"));
        QTest::keyClick(composer, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(composer, QStringLiteral("line two"));
        QCOMPARE(submitted.count(), 0);
        QCOMPARE(composer->toPlainText(), QStringLiteral("line one\nline two"));
        QTest::keyClick(composer, Qt::Key_Enter);
        QCOMPARE(submitted.count(), 1);
        QCOMPARE(submitted.at(0).at(0).toString(), QStringLiteral("line one\nline two"));
        QTRY_VERIFY_WITH_TIMEOUT(
            UiTest::rowWithText(m_window->messageModel(), QStringLiteral("line one\nline two")) >= 0,
            Timeout);
    }

    // A message the client refuses is not lost: the composer keeps it and the window says why.
    void aRefusedMessageStaysInTheComposer()
    {
        QVERIFY(openWindow());
        Composer *composer = m_window->composer();
        const QString tooLong = QString(Protocol::Limits{}.maxTextBytes + 1, QLatin1Char('x'));
        composer->setPlainText(tooLong);
        QSignalSpy added(m_client->outbox(), &Outbox::entryAdded);
        QTest::keyClick(composer, Qt::Key_Return); // handled synchronously, refusal included
        QCOMPARE(composer->toPlainText(), tooLong);
        QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("too long")),
                 qPrintable(m_window->statusBar()->currentMessage()));
        QCOMPARE(added.count(), 0);
        // Shortened, it goes, and only then is the composer emptied.
        composer->setPlainText(QStringLiteral("short enough"));
        QTest::keyClick(composer, Qt::Key_Return);
        QVERIFY(composer->toPlainText().isEmpty());
        QVERIFY(UiTest::rowWithText(m_window->messageModel(), QStringLiteral("short enough")) >= 0);
    }

    void typingIndicatorAppearsAndExpires()
    {
        ChatClient::Settings settings = fastClientSettings(m_dir, QStringLiteral("alice"));
        settings.typingExpiryMs = 400;
        QVERIFY(openWindow(settings));
        QVERIFY(joinBob());
        TypingIndicator *typing = m_window->typingIndicator();
        QVERIFY(typing->text().isEmpty());
        // What the indicator says at each change, however briefly it is shown: the window's
        // connection ran first, so the label is up to date when this one runs.
        QStringList shown;
        const QMetaObject::Connection watch = connect(m_client.get(), &ChatClient::typingChanged, typing,
                                                      [&] { shown.append(typing->text()); });
        m_bob->notifyTyping();
        QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 2, Timeout);
        QCOMPARE(shown, (QStringList{QStringLiteral("bob is typing…"), QString()}));
        QVERIFY(typing->text().isEmpty());
        disconnect(watch);

        // Typing in the composer reaches the others.
        QSignalSpy bobSees(m_bob.get(), &ChatClient::typingChanged);
        QTest::keyClicks(m_window->composer(), QStringLiteral("h"));
        QTRY_VERIFY_WITH_TIMEOUT(!bobSees.isEmpty() &&
                                     bobSees.last().at(0).toStringList().contains(QStringLiteral("alice")),
                                 Timeout);
    }

    void userListFollowsJoinsAndLeaves()
    {
        QVERIFY(openWindow());
        UserListModel *users = m_window->userModel();
        QCOMPARE(users->users(), QStringList{QStringLiteral("alice")});
        QVERIFY(joinBob());
        auto carol = peer(QStringLiteral("carol"));
        QTRY_COMPARE_WITH_TIMEOUT(
            users->users(),
            (QStringList{QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->roomModel()->userCount(QStringLiteral("general")), 3, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            UiTest::texts(m_window->messageModel()).contains(QStringLiteral("carol joined the room")),
            Timeout);

        carol->disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(users->users(),
                                  (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            UiTest::texts(m_window->messageModel()).contains(QStringLiteral("carol left the room")), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->roomModel()->userCount(QStringLiteral("general")), 2, Timeout);
    }

    void roomsListAndJoinByClick()
    {
        QVERIFY(openWindow());
        auto dave = std::make_unique<ChatClient>(fastClientSettings(m_dir, QStringLiteral("dave")));
        dave->connectToServer(m_server->url(), QStringLiteral("dave"), QStringLiteral("random"));
        // Someone stays in "general", so the server keeps listing it after alice leaves (empty
        // rooms are not listed, and the rooms list drops what the server no longer lists).
        auto erin = std::make_unique<ChatClient>(fastClientSettings(m_dir, QStringLiteral("erin")));
        QVERIFY(connectAndJoin(*erin, m_server->url(), QStringLiteral("erin"), QStringLiteral("general")));
        RoomListModel *rooms = m_window->roomModel();
        QTRY_VERIFY_WITH_TIMEOUT(rooms->rowOf(QStringLiteral("random")) >= 0, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->userCount(QStringLiteral("random")), 1, Timeout);

        QTreeView *view = m_window->roomDock()->view();
        const QModelIndex random =
            m_window->roomDock()->model()->mapFromRooms(rooms->index(rooms->rowOf(QStringLiteral("random"))));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(random).center());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("random"), Timeout);
        QVERIFY(
            rooms->index(rooms->rowOf(QStringLiteral("random"))).data(RoomListModel::CurrentRole).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->userModel()->users(),
                                  (QStringList{QStringLiteral("dave"), QStringLiteral("alice")}), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->windowTitle().contains(QStringLiteral("#random")), Timeout);
        // The last room is remembered for the next start.
        QCOMPARE(m_settings->lastRoom(), QStringLiteral("random"));

        // Joining by name from the dock's field.
        m_window->roomDock()->joinEdit()->setText(QStringLiteral("  lounge "));
        QTest::keyClick(m_window->roomDock()->joinEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("lounge"), Timeout);

        // Keyboard: previous room, the row above ("general", still listed: erin is in it).
        QTest::keyClick(m_window.get(), Qt::Key_PageUp, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("general"), Timeout);
    }

    void aRoomLeftBehindCountsWhatArrivesThere()
    {
        QVERIFY(openWindow());
        QVERIFY(joinBob());
        m_bob->sendMessage(QStringLiteral("before alice leaves"));
        MessageModel *messages = m_window->messageModel();
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::rowWithText(messages, QStringLiteral("before alice leaves")) >= 0,
                                 Timeout);

        m_client->joinRoom(QStringLiteral("random"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("random"), Timeout);
        m_bob->sendMessage(QStringLiteral("one"));
        m_bob->sendMessage(QStringLiteral("two"));
        m_bob->sendMessage(QStringLiteral("three"));
        RoomListModel *rooms = m_window->roomModel();
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(QStringLiteral("general")), 3, Timeout);
        QCOMPARE(rooms->unread(QStringLiteral("random")), 0);

        // Going back shows them and clears the count.
        m_client->joinRoom(QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("general"), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(QStringLiteral("general")), 0, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::rowWithText(messages, QStringLiteral("three")) >= 0, Timeout);
    }

    void untrustedCertificateIsTrustedOnlyWhenTheUserSaysSo()
    {
        TlsTest::TlsServer tls;
        QVERIFY(tls.listen());
        m_client = std::make_unique<ChatClient>(fastClientSettings(m_dir, QStringLiteral("alice")));
        m_settings = std::make_unique<AppSettings>();
        m_window = std::make_unique<MainWindow>(m_client.get(), m_settings.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy rejected(m_client.get(), &ChatClient::certificateRejected);

        // Declined: the client stays stopped and nothing is remembered.
        Confirmation::setNextAnswer(false);
        m_client->connectToServer(tls.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), ChatClient::State::GaveUp, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->connectionStatus()->text().startsWith(QStringLiteral("Gave up")),
                                 Timeout);
        QVERIFY(!m_window->connectionStatus()->retryButton()->isHidden());
        QVERIFY(m_settings->trustedCertificates().isEmpty());
        QCOMPARE(tls.accepted, 0);

        // Accepted: trusted, remembered, and connected.
        Confirmation::setNextAnswer(true);
        m_client->reconnectNow();
        QTRY_VERIFY_WITH_TIMEOUT(m_client->isSessionReady(), Timeout);
        QCOMPARE(m_settings->trustedCertificates(),
                 QList<QByteArray>{TlsTest::TlsServer::certificate().toPem()});
        QCOMPARE(rejected.size(), 2);
    }

    void readPositionsOutliveTheApp()
    {
        // Alice reads general, moves to random and quits; bob keeps talking in general. When
        // she starts again (in random), general shows what she has not read.
        QVERIFY(openWindow());
        QVERIFY(joinBob());
        m_bob->sendMessage(QStringLiteral("read this"));
        QTRY_VERIFY_WITH_TIMEOUT(
            UiTest::rowWithText(m_window->messageModel(), QStringLiteral("read this")) >= 0, Timeout);
        m_client->joinRoom(QStringLiteral("random"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("random"), Timeout);
        QVERIFY(m_window->close());
        m_window.reset();
        m_client.reset();

        m_bob->sendMessage(QStringLiteral("missed 1"));
        m_bob->sendMessage(QStringLiteral("missed 2"));
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->outbox()->isEmpty(), Timeout);

        m_client = std::make_unique<ChatClient>(fastClientSettings(m_dir, QStringLiteral("alice")));
        m_settings = std::make_unique<AppSettings>();
        m_window = std::make_unique<MainWindow>(m_client.get(), m_settings.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_client->connectToServer(m_server->url(), QStringLiteral("alice"), QStringLiteral("random"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->roomModel()->unread(QStringLiteral("general")), 2, Timeout);
        QCOMPARE(m_window->roomModel()->unread(QStringLiteral("random")), 0);
    }

    // The rooms list's context menu sets what a room notifies; the choice outlives the app.
    void roomMenuSetsNotificationsThatOutliveTheApp()
    {
        QVERIFY(openWindow());
        RoomListModel *rooms = m_window->roomModel();
        const QString general = QStringLiteral("general");
        QTRY_VERIFY_WITH_TIMEOUT(rooms->rowOf(general) >= 0, Timeout);
        std::unique_ptr<QMenu> menu(m_window->roomDock()->createContextMenu(
            m_window->roomDock()->model()->mapFromRooms(rooms->index(rooms->rowOf(general)))));
        QVERIFY(menu);
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("notifyAllAction"))->isChecked());
        menu->findChild<QAction *>(QStringLiteral("notifyMentionsAction"))->trigger();
        QCOMPARE(rooms->notifyLevel(general), RoomListModel::Notify::Mentions);
        QVERIFY(rooms->index(rooms->rowOf(general))
                    .data(Qt::AccessibleTextRole)
                    .toString()
                    .endsWith(QStringLiteral("notifies mentions only")));
        const QString key = AppSettings::serverKey(m_server->url(), false);
        QCOMPARE(m_settings->notifyLevels(key).value(general), RoomListModel::Notify::Mentions);
        menu.reset();
        QVERIFY(m_window->close());
        m_window.reset();
        m_client.reset();
        m_settings.reset();

        QVERIFY(openWindow());
        rooms = m_window->roomModel();
        QTRY_COMPARE_WITH_TIMEOUT(rooms->notifyLevel(general), RoomListModel::Notify::Mentions, Timeout);
        menu.reset(m_window->roomDock()->createContextMenu(
            m_window->roomDock()->model()->mapFromRooms(rooms->index(rooms->rowOf(general)))));
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("notifyMentionsAction"))->isChecked());
        menu->findChild<QAction *>(QStringLiteral("notifyAllAction"))->trigger();
        QCOMPARE(rooms->notifyLevel(general), RoomListModel::Notify::All);
        QVERIFY(m_settings->notifyLevels(key).isEmpty());
    }

    // Back in a room, a "New messages" line marks where reading stopped; a button and Shift+PgUp
    // jump to it, Escape marks the room read; away from the window, the first arrival is marked.
    void theUnreadLineMarksWhereReadingStopped()
    {
        QVERIFY(openWindow());
        QVERIFY(joinBob());
        m_bob->sendMessage(QStringLiteral("read before leaving"));
        MessageModel *messages = m_window->messageModel();
        MessageView *view = m_window->messageView();
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::rowWithText(messages, QStringLiteral("read before leaving")) >= 0,
                                 Timeout);
        QCOMPARE(messages->firstUnread(), 0);

        m_client->joinRoom(QStringLiteral("random"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("random"), Timeout);
        const int missed = 60; // more than a screen, so the line is above the newest
        for (int i = 1; i <= missed; ++i)
            m_bob->sendMessage(QStringLiteral("missed %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->roomModel()->unread(QStringLiteral("general")), missed, Timeout);

        m_client->joinRoom(QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("general"), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::rowWithText(messages, QStringLiteral("missed %1").arg(missed)) >= 0,
                                 Timeout);
        const int first = UiTest::rowWithText(messages, QStringLiteral("missed 1"));
        QVERIFY(first >= 0);
        QCOMPARE(messages->firstUnread(), messages->index(first).data(MessageModel::SeqRole).toLongLong());
        int marked = 0;
        for (int row = 0; row < messages->rowCount(); ++row)
            marked += messages->index(row).data(MessageModel::FirstUnreadRole).toBool() ? 1 : 0;
        QCOMPARE(marked, 1);
        QVERIFY(messages->index(first).data(MessageModel::FirstUnreadRole).toBool());
        // The line takes room above its message.
        QVERIFY(view->sizeHintForIndex(messages->index(first)).height() >
                view->sizeHintForIndex(messages->index(first + 1)).height());

        // The newest is in view, the line far above: the button takes the user there.
        QTRY_VERIFY_WITH_TIMEOUT(view->firstUnreadButton()->isVisible(), Timeout);
        QTest::mouseClick(view->firstUnreadButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view->visualRect(messages->index(first)).top(), 0, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!view->firstUnreadButton()->isVisible(), Timeout);
        view->jumpToBottom();
        QTest::keyClick(m_window.get(), Qt::Key_PageUp, Qt::ShiftModifier);
        QTRY_COMPARE_WITH_TIMEOUT(view->visualRect(messages->index(first)).top(), 0, Timeout);

        // Escape: read. The line goes.
        QTest::keyClick(m_window->composer(), Qt::Key_Escape);
        QCOMPARE(messages->firstUnread(), 0);
        QVERIFY(!messages->index(first).data(MessageModel::FirstUnreadRole).toBool());

        // Away from the window, the first message that arrives is where reading resumes.
        QWidget other;
        other.show();
        other.activateWindow();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isActiveWindow(), Timeout);
        m_bob->sendMessage(QStringLiteral("while away"));
        m_bob->sendMessage(QStringLiteral("and more"));
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::rowWithText(messages, QStringLiteral("and more")) >= 0, Timeout);
        const int away = UiTest::rowWithText(messages, QStringLiteral("while away"));
        QCOMPARE(messages->firstUnread(), messages->index(away).data(MessageModel::SeqRole).toLongLong());
    }

    // Do Not Disturb (View menu, and the tray's) silences every room and is remembered; the
    // latest notification, clicked, brings the window up at its message.
    void doNotDisturbAndNotificationsLeadToTheirMessage()
    {
        QVERIFY(openWindow());
        QVERIFY(joinBob());
        QWidget other;
        other.setWindowTitle(QStringLiteral("another app"));
        other.show();
        other.activateWindow();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isActiveWindow(), Timeout);
        RoomListModel *rooms = m_window->roomModel();
        QSignalSpy notified(m_window.get(), &MainWindow::notified);

        QAction *dnd = m_window->doNotDisturbAction();
        QVERIFY(dnd && dnd->isCheckable() && !dnd->isChecked());
        dnd->trigger();
        m_bob->sendMessage(QStringLiteral("quiet please, @alice"));
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(QStringLiteral("general")), 1, Timeout);
        QCOMPARE(notified.size(), 0); // counted in the step that would notify: none was asked for
        QVERIFY(m_settings->doNotDisturb());

        dnd->trigger();
        m_bob->sendMessage(QStringLiteral("now you hear me"));
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
        QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("now you hear me"));
        QVERIFY(!m_settings->doNotDisturb());

        // Scrolled away from it, the click brings the message back into view, marked.
        m_window->messageView()->setCurrentIndex(m_window->messageModel()->index(0));
        m_window->openNotifiedMessage();
        const int row = UiTest::rowWithText(m_window->messageModel(), QStringLiteral("now you hear me"));
        QVERIFY(row >= 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->messageView()->currentIndex().row(), row, Timeout);
    }

    // Ctrl+Plus, Ctrl+Minus and Ctrl+0 scale the messages' text, and the size outlives the app.
    void textSizeScalesTheMessagesAndIsRemembered()
    {
        QVERIFY(openWindow());
        QVERIFY(joinBob());
        m_bob->sendMessage(QStringLiteral("a line to measure"));
        QTRY_VERIFY_WITH_TIMEOUT(
            UiTest::rowWithText(m_window->messageModel(), QStringLiteral("a line to measure")) >= 0, Timeout);
        MessageView *view = m_window->messageView();
        const QModelIndex line = m_window->messageModel()->index(
            UiTest::rowWithText(m_window->messageModel(), QStringLiteral("a line to measure")));
        const qreal base = view->font().pointSizeF();
        const int baseHeight = view->sizeHintForIndex(line).height();

        QTest::keyClick(m_window.get(), Qt::Key_Plus, Qt::ControlModifier);
        QTest::keyClick(m_window.get(), Qt::Key_Plus, Qt::ControlModifier);
        QVERIFY(qAbs(view->textScale() - 1.2) < 1e-9);
        QVERIFY(view->font().pointSizeF() > base);
        QTRY_VERIFY_WITH_TIMEOUT(view->sizeHintForIndex(line).height() > baseHeight, Timeout);
        QTest::keyClick(m_window.get(), Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(qAbs(view->textScale() - 1.1) < 1e-9);
        QVERIFY(qAbs(m_settings->textScale() - 1.1) < 1e-9);

        // The next run starts at that size; Ctrl+0 goes back to the default.
        QVERIFY(m_window->close());
        m_window.reset();
        m_client.reset();
        m_settings.reset();
        QVERIFY(openWindow());
        view = m_window->messageView();
        QVERIFY(qAbs(view->textScale() - 1.1) < 1e-9);
        QTest::keyClick(m_window.get(), Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(view->textScale(), 1.0);
        QCOMPARE(view->font().pointSizeF(), base);
        // Bounded both ways.
        for (int i = 0; i < 40; ++i)
            QTest::keyClick(m_window.get(), Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(view->textScale(), MessageView::MinTextScale);
        m_settings->setTextScale(1.0);
    }

    // Help → Keyboard Shortcuts lists the window's actions with their keys, from the actions.
    void theShortcutsListIsTheActionsOwn()
    {
        QVERIFY(openWindow());
        m_window->findChild<QAction *>(QStringLiteral("shortcutsAction"))->trigger();
        auto *dialog = m_window->findChild<ShortcutsDialog *>(QStringLiteral("shortcutsDialog"));
        QVERIFY(dialog);
        QTableWidget *table = dialog->table();
        QHash<QString, QString> keys;
        for (int row = 0; row < table->rowCount(); ++row)
            keys.insert(table->item(row, 0)->text(), table->item(row, 1)->text());
        QCOMPARE(keys.value(QStringLiteral("Mark Room as Read")),
                 QKeySequence(Qt::Key_Escape).toString(QKeySequence::NativeText));
        QCOMPARE(keys.value(QStringLiteral("Jump to First Unread")),
                 QKeySequence(Qt::SHIFT | Qt::Key_PageUp).toString(QKeySequence::NativeText));
        QVERIFY(keys.contains(QStringLiteral("Find Messages…")));
        QVERIFY(keys.contains(QStringLiteral("Keyboard Shortcuts")));
        // Every action with a shortcut is there, once.
        int withKeys = 0;
        for (const QAction *action : m_window->findChildren<QAction *>())
            withKeys += !action->shortcuts().isEmpty() && !action->text().isEmpty() ? 1 : 0;
        QCOMPARE(table->rowCount(), withKeys);
        dialog->close();
    }

    // The tray icon carries the unread count in a badge.
    void trayIconShowsTheUnreadCount()
    {
        QPixmap plain(64, 64);
        plain.fill(Qt::darkBlue);
        const QIcon base(plain);
        QCOMPARE(TrayIcon::badged(base, 0).cacheKey(), base.cacheKey());
        const QImage three = TrayIcon::badged(base, 3).pixmap(64, 64).toImage();
        const QImage many = TrayIcon::badged(base, 1200).pixmap(64, 64).toImage();
        // The badge is red at the lower right; the upper left is the icon itself.
        QCOMPARE(three.pixelColor(60, 50), QColor(0xd0, 0x3a, 0x2f));
        QCOMPARE(three.pixelColor(4, 4), QColor(Qt::darkBlue));
        QVERIFY(many != three); // "999+" is drawn, not "3"
    }

    void readPositionsOfTheHostedServerSurviveANewPort()
    {
        // Alice hosts the chat in the app, reads general and quits. Her next run hosts again, on
        // whichever port is free then: what bob wrote there meanwhile shows as unread in general.
        auto openHosted = [this](const QString &room) {
            m_client = std::make_unique<ChatClient>(fastClientSettings(m_dir, QStringLiteral("alice")));
            m_settings = std::make_unique<AppSettings>();
            m_window = std::make_unique<MainWindow>(m_client.get(), m_settings.get());
            m_window->setHostedUrl(m_server->url());
            m_window->show();
            m_client->connectToServer(m_server->url(), QStringLiteral("alice"), room);
            return QTest::qWaitFor([this] { return m_client->isSessionReady(); }, Timeout);
        };
        QVERIFY(openHosted(QStringLiteral("general")));
        QVERIFY(joinBob());
        m_bob->sendMessage(QStringLiteral("read this"));
        QTRY_VERIFY_WITH_TIMEOUT(
            UiTest::rowWithText(m_window->messageModel(), QStringLiteral("read this")) >= 0, Timeout);
        m_client->joinRoom(QStringLiteral("random"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->shownRoom(), QStringLiteral("random"), Timeout);
        QVERIFY(m_window->close());
        m_window.reset();
        m_client.reset();
        m_bob.reset();

        // The next server starts while the old one still holds its port, so the port differs.
        const quint16 oldPort = m_port;
        std::unique_ptr<ChatServer> old = std::move(m_server);
        QVERIFY(startServer(0));
        old.reset();
        QVERIFY(m_port != oldPort);
        m_bob = peer(QStringLiteral("bob"));
        for (const QString &text :
             {QStringLiteral("new 1"), QStringLiteral("new 2"), QStringLiteral("new 3")})
            m_bob->sendMessage(text);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->isSessionReady() && m_bob->outbox()->isEmpty(), Timeout);

        QVERIFY(openHosted(QStringLiteral("random")));
        // Read up to 1 of the old server's numbering; the new one has 3, all of them new: the rooms
        // list carries the new epoch, so the old position does not count against them.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->roomModel()->unread(QStringLiteral("general")), 3, Timeout);
    }

    void inactiveWindowCountsUnreadAndNotifies()
    {
        QVERIFY(openWindow());
        QVERIFY(joinBob());
        QWidget other;
        other.setWindowTitle(QStringLiteral("another app"));
        other.show();
        other.activateWindow();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isActiveWindow(), Timeout);
        QVERIFY(!m_window->session()->isWindowActive());

        QSignalSpy notified(m_window.get(), &MainWindow::notified);
        m_bob->sendMessage(QStringLiteral("are you there?"));
        m_bob->sendMessage(QStringLiteral("hello?"));
        RoomListModel *rooms = m_window->roomModel();
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(QStringLiteral("general")), 2, Timeout);
        QCOMPARE(
            rooms->index(rooms->rowOf(QStringLiteral("general"))).data(RoomListModel::UnreadRole).toInt(), 2);
        // One notification per burst: both messages are told of, the latest with its text.
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty() &&
                                     notified.last().at(1).toString().startsWith(QStringLiteral("hello?")),
                                 Timeout);
        QVERIFY(notified.first().at(0).toString().contains(QStringLiteral("bob")));
        if (notified.count() == 1)
            QCOMPARE(notified.first().at(1).toString(), QStringLiteral("hello? (and 1 more)"));
        else
            QCOMPARE(notified.first().at(1).toString(), QStringLiteral("are you there?"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->windowTitle().startsWith(QStringLiteral("(2)")), Timeout);

        m_window->activateWindow();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isActiveWindow(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(QStringLiteral("general")), 0, Timeout);
    }

    void statusBarFollowsAServerRestart()
    {
        QVERIFY(openWindow());
        ConnectionStatus *status = m_window->connectionStatus();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Connected to")), Timeout);
        QVERIFY(status->retryButton()->isHidden());

        const quint16 port = m_port;
        // A crash: connections drop without a close frame, and nobody listens any more.
        m_server->abortAllClients();
        m_server->close();
        m_server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Reconnecting in")), Timeout);
        QVERIFY(status->text().contains(QStringLiteral("(attempt ")));
        QVERIFY(!status->retryButton()->isHidden());
        QCOMPARE(status->retryButton()->text(), QStringLiteral("Retry now"));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->connectionPanel()->history().isEmpty(), Timeout);

        QVERIFY(startServer(port));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Connected to")), Timeout);
        QVERIFY(status->retryButton()->isHidden());

        // "Disconnect" leaves us offline, with no further attempts.
        m_client->disconnectFromServer();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Offline")), Timeout);
    }

    void latencyValueAppears()
    {
        QVERIFY(openWindow());
        LatencyIndicator *latency = m_window->latencyIndicator();
        QTRY_VERIFY_WITH_TIMEOUT(latency->text().endsWith(QStringLiteral(" ms")) &&
                                     latency->text() != QStringLiteral("— ms"),
                                 Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(latency->toolTip().contains(QStringLiteral("p95")), Timeout);

        // Both graphs draw the monitor's own samples: one point each, oldest at the left, a longer
        // round trip higher up.
        QTRY_VERIFY_WITH_TIMEOUT(m_client->latency()->samples().size() >= 3, Timeout);
        const QList<double> samples = m_client->latency()->samples();
        for (const LatencyGraph *graph : {m_window->connectionPanel()->graph(), latency->graph()}) {
            const QVector<QPointF> points = graph->linePoints();
            QCOMPARE(points.size(), samples.size());
            for (int i = 0; i < points.size(); ++i) {
                QVERIFY(QRectF(graph->rect()).contains(points.at(i)));
                if (i > 0)
                    QVERIFY(points.at(i).x() > points.at(i - 1).x());
                for (int j = 0; j < i; ++j) {
                    if (samples.at(i) != samples.at(j))
                        QCOMPARE(points.at(i).y() < points.at(j).y(), samples.at(i) > samples.at(j));
                }
            }
        }
    }

    void queuedMessageIsAcknowledgedAfterReconnect()
    {
        QVERIFY(openWindow());
        const quint16 port = m_port;
        m_server->abortAllClients();
        m_server->close();
        m_server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(m_client->state() != ChatClient::State::Connected, Timeout);

        QTest::keyClicks(m_window->composer(), QStringLiteral("sent while offline"));
        QTest::keyClick(m_window->composer(), Qt::Key_Return);
        MessageModel *model = m_window->messageModel();
        QTRY_VERIFY_WITH_TIMEOUT(UiTest::rowWithText(model, QStringLiteral("sent while offline")) >= 0,
                                 Timeout);
        const int row = UiTest::rowWithText(model, QStringLiteral("sent while offline"));
        QCOMPARE(model->index(row).data(MessageModel::DeliveryRole).value<MessageModel::Delivery>(),
                 MessageModel::Delivery::Queued);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->connectionStatus()->text().contains(QStringLiteral("1 message queued")), Timeout);

        QVERIFY(startServer(port));
        QTRY_COMPARE_WITH_TIMEOUT(
            model->index(row).data(MessageModel::DeliveryRole).value<MessageModel::Delivery>(),
            MessageModel::Delivery::Acknowledged, Timeout);
        QCOMPARE(UiTest::texts(model).count(QStringLiteral("sent while offline")), 1);
    }

    void failedMessageCanBeRetriedOrDiscarded()
    {
        QVERIFY(openWindow());
        const quint16 port = m_port;
        m_server->abortAllClients();
        m_server->close();
        m_server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(m_client->state() != ChatClient::State::Connected, Timeout);
        const QString keep = m_client->sendMessage(QStringLiteral("keep me"));
        const QString drop = m_client->sendMessage(QStringLiteral("drop me"));
        m_client->outbox()->failPending(QStringLiteral("test"));
        MessageModel *model = m_window->messageModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->index(model->rowOfId(drop))
                                      .data(MessageModel::DeliveryRole)
                                      .value<MessageModel::Delivery>(),
                                  MessageModel::Delivery::Failed, Timeout);

        MessageView *view = m_window->messageView();
        const QRect dropRect = view->visualRect(model->index(model->rowOfId(drop)));
        std::unique_ptr<QMenu> menu(view->createContextMenu(dropRect.center()));
        QVERIFY(menu);
        auto *discard = menu->findChild<QAction *>(QStringLiteral("discardAction"));
        QVERIFY(discard);
        discard->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowOfId(drop), -1, Timeout);
        QVERIFY(!UiTest::texts(model).contains(QStringLiteral("drop me")));

        const QRect keepRect = view->visualRect(model->index(model->rowOfId(keep)));
        menu.reset(view->createContextMenu(keepRect.center()));
        auto *retry = menu->findChild<QAction *>(QStringLiteral("retryAction"));
        QVERIFY(retry);
        retry->trigger();
        QVERIFY(startServer(port));
        QTRY_COMPARE_WITH_TIMEOUT(model->index(model->rowOfId(keep))
                                      .data(MessageModel::DeliveryRole)
                                      .value<MessageModel::Delivery>(),
                                  MessageModel::Delivery::Acknowledged, Timeout);
    }

    void undecodableServerMessageIsShown()
    {
        QVERIFY(openWindow());
        // ChatClient drops what it cannot decode; the user must still learn that something was lost.
        emit m_client->protocolError(QStringLiteral("Invalid JSON: unterminated string at offset 9"));
        QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("unterminated string")));
    }

    void hostedAddressIsShown()
    {
        QVERIFY(openWindow());
        QVERIFY(m_window->hostedLabel()->isHidden());
        m_window->setHostedUrl(m_server->url());
        QVERIFY(!m_window->hostedLabel()->isHidden());
        QVERIFY(m_window->hostedLabel()->text().contains(m_server->url().toString()));
    }

    void aboutShowsTheVersionWithoutBlocking()
    {
        QVERIFY(openWindow());
        m_window->showAbout();
        QVERIFY(m_window->aboutDialog());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->aboutDialog()->isVisible(), Timeout);
        QVERIFY(m_window->aboutDialog()->text().contains(QStringLiteral(NATTER_VERSION)));
        m_window->aboutDialog()->close();
    }

    void interactiveWidgetsHaveAccessibleNames()
    {
        QVERIFY(openWindow());
        const QList<QWidget *> widgets = m_window->findChildren<QWidget *>();
        QStringList unnamed;
        for (QWidget *w : widgets) {
            const bool interactive = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) ||
                                     qobject_cast<QAbstractItemView *>(w) ||
                                     qobject_cast<QPlainTextEdit *>(w);
            // Qt's own helpers (dock title buttons, line-edit clear buttons) name themselves.
            if (!interactive || w->objectName().startsWith(QLatin1String("qt_")) ||
                qobject_cast<QLineEdit *>(w->parentWidget()) || w->inherits("QDockWidgetTitleButton"))
                continue;
            if (w->accessibleName().isEmpty())
                unnamed.append(QString::fromLatin1(w->metaObject()->className()));
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

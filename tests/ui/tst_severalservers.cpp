// SPDX-License-Identifier: GPL-3.0-or-later
// Several servers side by side in one window (issue 16): each its own ChatClient, pane, state and
// rooms, listed under their server; one server going away leaves the other working.
#include "applauncher.h"
#include "appsettings.h"
#include "apptranslations.h"
#include "chatclient.h"
#include "chatserver.h"
#include "chatsession.h"
#include "composer.h"
#include "connectdialog.h"
#include "connectionstatus.h"
#include "latencyindicator.h"
#include "localserverhost.h"
#include "mainwindow.h"
#include "messagemodel.h"
#include "preferencesdialog.h"
#include "roomlistdock.h"
#include "roomlistmodel.h"
#include "serverconnection.h"
#include "serverfixture.h"
#include "serverpane.h"
#include "serverroomsmodel.h"
#include "serverspage.h"
#include "uitestsupport.h"
#include "userlistdock.h"
#include "userlistmodel.h"
#include "wsprobe.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QStatusBar>
#include <QTcpServer>
#include <QTreeView>
#include <QtTest>

using namespace Protocol;

class TestSeveralServers : public QObject
{
    Q_OBJECT

private:
    static constexpr int Timeout = 10000;
    AppTranslations m_translations;

    static ConnectionChoice remote(const ChatServer &server, const QString &room)
    {
        ConnectionChoice c;
        c.hostLocally = false;
        c.url = server.url();
        c.username = QStringLiteral("alice");
        c.room = room;
        return c;
    }

    static QLineEdit *namedEdit(QWidget *parent, const QString &accessibleName)
    {
        for (QLineEdit *edit : parent->findChildren<QLineEdit *>()) {
            if (edit->accessibleName() == accessibleName)
                return edit;
        }
        return nullptr;
    }

    // Types `text` into server `index`'s composer and sends it with Enter.
    static void say(MainWindow *window, int index, const QString &text)
    {
        window->setCurrentServer(index);
        Composer *composer = window->server(index)->composer();
        QTest::keyClicks(composer, text);
        QTest::keyClick(composer, Qt::Key_Return);
    }

    static bool shows(ServerPane *pane, const QString &text)
    {
        MessageModel *model = pane->messageModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row).data(MessageModel::TextRole).toString() == text)
                return true;
        }
        return false;
    }

    // The server status notices the status bar shows (the user sees them).
    static QStringList degradedNotices(MainWindow *window)
    {
        QStringList out;
        for (QLabel *label : window->statusBar()->findChildren<QLabel *>()) {
            if (label->accessibleName() == QLatin1String("Server status") && label->isVisible())
                out.append(label->text());
        }
        return out;
    }

    // Two servers with bob in a room of each, and alice's app open on both (for this run).
    struct NorthAndSouth
    {
        std::unique_ptr<ChatServer> north = startTestServer();
        std::unique_ptr<ChatServer> south = startTestServer();
        WsProbe bobNorth;
        WsProbe bobSouth;
        AppLauncher launcher; // goes first, before the servers

        bool start()
        {
            return north && south &&
                   bobNorth.login(north->url(), QStringLiteral("bob"), QStringLiteral("lobby")) &&
                   bobSouth.login(south->url(), QStringLiteral("bob"), QStringLiteral("garden")) &&
                   launcher.start(
                       {remote(*north, QStringLiteral("lobby")), remote(*south, QStringLiteral("garden"))},
                       false);
        }
    };

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_severalservers"));
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void init() { QSettings().clear(); }

    void twoServersSideBySide()
    {
        NorthAndSouth both;
        QVERIFY(both.start());
        auto &[north, south, bobNorth, bobSouth, launcher] = both;
        MainWindow *window = launcher.window();
        QCOMPARE(launcher.serverCount(), 2);
        QCOMPARE(window->serverCount(), 2);
        ChatClient *first = launcher.server(0)->client();
        ChatClient *second = launcher.server(1)->client();
        QVERIFY(first != second);
        QTRY_VERIFY_WITH_TIMEOUT(first->isSessionReady() && second->isSessionReady(), Timeout);
        QCOMPARE(first->url(), north->url());
        QCOMPARE(second->url(), south->url());
        QTRY_COMPARE_WITH_TIMEOUT(window->server(0)->session()->shownRoom(), QStringLiteral("lobby"),
                                  Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(window->server(1)->session()->shownRoom(), QStringLiteral("garden"),
                                  Timeout);

        // The rooms list holds each server's rooms under it, with its name and state.
        ServerRoomsModel *tree = window->roomDock()->model();
        QCOMPARE(tree->serverCount(), 2);
        QCOMPARE(tree->serverName(0), QStringLiteral("127.0.0.1:%1").arg(north->port()));
        QCOMPARE(tree->serverName(1), QStringLiteral("127.0.0.1:%1").arg(south->port()));
        QTRY_VERIFY_WITH_TIMEOUT(tree->roomIndex(0, QStringLiteral("lobby")).isValid(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(tree->roomIndex(1, QStringLiteral("garden")).isValid(), Timeout);
        QVERIFY(!tree->roomIndex(0, QStringLiteral("garden")).isValid());
        QVERIFY(!tree->roomIndex(1, QStringLiteral("lobby")).isValid());
        QCOMPARE(tree->roomIndex(1, QStringLiteral("garden")).parent(), tree->serverIndex(1));
        QTRY_COMPARE_WITH_TIMEOUT(tree->serverIndex(0).data(ServerRoomsModel::ServerStateRole).toString(),
                                  QStringLiteral("Connected"), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(tree->serverIndex(1).data(ServerRoomsModel::ServerStateRole).toString(),
                                  QStringLiteral("Connected"), Timeout);
        // Clicking a room of the other server selects that server.
        QCOMPARE(window->currentServerIndex(), 0);
        QTreeView *view = window->roomDock()->view();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(tree->roomIndex(1, QStringLiteral("garden"))).center());
        QCOMPARE(window->currentServerIndex(), 1);
        QCOMPARE(window->session(), window->server(1)->session());
        QCOMPARE(window->userDock()->model(), window->server(1)->userModel());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(tree->roomIndex(0, QStringLiteral("lobby"))).center());
        QCOMPARE(window->currentServerIndex(), 0);

        // A message on each reaches its own room, and only there.
        say(window, 0, QStringLiteral("hello north"));
        QVERIFY(bobNorth.waitFor(QStringLiteral("chatMessage")));
        QCOMPARE(
            bobNorth.all(QStringLiteral("chatMessage")).constLast().value(QLatin1String("text")).toString(),
            QStringLiteral("hello north"));
        say(window, 1, QStringLiteral("hello south"));
        QVERIFY(bobSouth.waitFor(QStringLiteral("chatMessage")));
        QCOMPARE(
            bobSouth.all(QStringLiteral("chatMessage")).constLast().value(QLatin1String("text")).toString(),
            QStringLiteral("hello south"));
        bobNorth.send(SendChat{QStringLiteral("north answers"), {}});
        bobSouth.send(SendChat{QStringLiteral("south answers"), {}});
        QTRY_VERIFY_WITH_TIMEOUT(shows(window->server(0), QStringLiteral("north answers")), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(shows(window->server(1), QStringLiteral("south answers")), Timeout);
        QVERIFY(!shows(window->server(0), QStringLiteral("south answers")));
        QVERIFY(!shows(window->server(1), QStringLiteral("north answers")));
        QVERIFY(bobNorth.settle() && bobSouth.settle());
        QCOMPARE(bobNorth.count(QStringLiteral("chatMessage")), 1); // alice's: none from the south
        QCOMPARE(bobSouth.count(QStringLiteral("chatMessage")), 1);

        // A notification from a server not shown names it, and clicking it selects that server.
        window->setCurrentServer(0);
        QSignalSpy notified(window, &MainWindow::notified);
        bobSouth.send(SendChat{QStringLiteral("psst, south"), {}});
        QTRY_VERIFY_WITH_TIMEOUT(shows(window->server(1), QStringLiteral("psst, south")), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
        QVERIFY2(notified.constLast().at(0).toString().endsWith(QStringLiteral(" on ") +
                                                                window->server(1)->displayName()),
                 qPrintable(notified.constLast().at(0).toString()));
        QCOMPARE(notified.constLast().at(1).toString(), QStringLiteral("psst, south"));
        window->openNotifiedMessage();
        QCOMPARE(window->currentServerIndex(), 1);
        QCOMPARE(window->session()->shownRoom(), QStringLiteral("garden"));

        // The status bar shows the selected server's connection.
        window->setCurrentServer(1);
        QCOMPARE(window->connectionStatus(), window->server(1)->connectionStatus());
        QVERIFY(window->server(1)->connectionStatus()->isVisible());
        QVERIFY(!window->server(0)->connectionStatus()->isVisible());
        QVERIFY(window->server(1)->latencyIndicator()->isVisible());
        QVERIFY(!window->server(0)->latencyIndicator()->isVisible());

        // The south goes away: its own state says so, while the north keeps working.
        south.reset();
        QTRY_VERIFY_WITH_TIMEOUT(second->state() != ChatClient::State::Connected, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            !window->server(1)->connectionStatus()->text().startsWith(QStringLiteral("Connected")), Timeout);
        QVERIFY2(window->connectionStatus()->text().contains(QStringLiteral("Reconnecting")) ||
                     window->connectionStatus()->text().contains(QStringLiteral("Connecting")),
                 qPrintable(window->connectionStatus()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(tree->serverIndex(1).data(ServerRoomsModel::ServerStateRole).toString() !=
                                     QStringLiteral("Connected"),
                                 Timeout);
        QCOMPARE(tree->serverIndex(0).data(ServerRoomsModel::ServerStateRole).toString(),
                 QStringLiteral("Connected"));
        QCOMPARE(first->state(), ChatClient::State::Connected);
        QVERIFY(window->server(0)->connectionStatus()->text().startsWith(QStringLiteral("Connected")));
        bobNorth.send(SendChat{QStringLiteral("still here"), {}});
        QTRY_VERIFY_WITH_TIMEOUT(shows(window->server(0), QStringLiteral("still here")), Timeout);
        say(window, 0, QStringLiteral("me too"));
        QVERIFY(bobNorth.waitFor(QStringLiteral("chatMessage")));
        QCOMPARE(
            bobNorth.all(QStringLiteral("chatMessage")).constLast().value(QLatin1String("text")).toString(),
            QStringLiteral("me too"));
        window->close();
    }

    // Only the selected server's room is in view: another server's messages count as unread and
    // notify, the selected one's do not; Do Not Disturb holds for a server opened later too.
    void onlyTheSelectedServerIsInView()
    {
        NorthAndSouth both;
        QVERIFY(both.start());
        auto &[north, south, bobNorth, bobSouth, launcher] = both;
        MainWindow *window = launcher.window();
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window));
        QTRY_VERIFY_WITH_TIMEOUT(launcher.server(0)->client()->isSessionReady() &&
                                     launcher.server(1)->client()->isSessionReady(),
                                 Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(window->server(1)->session()->shownRoom(), QStringLiteral("garden"),
                                  Timeout);
        window->setCurrentServer(1);
        QSignalSpy notified(window, &MainWindow::notified);
        bobNorth.send(SendChat{QStringLiteral("to the background"), {}});
        bobSouth.send(SendChat{QStringLiteral("in view"), {}});
        QTRY_VERIFY_WITH_TIMEOUT(shows(window->server(0), QStringLiteral("to the background")), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(shows(window->server(1), QStringLiteral("in view")), Timeout);
        // Counting and notifying wait for the next pass of the event loop (a burst counts once):
        // delivering what is posted is the barrier.
        QCoreApplication::sendPostedEvents();
        QCOMPARE(window->server(0)->roomModel()->unread(QStringLiteral("lobby")), 1);
        QCOMPARE(window->server(1)->roomModel()->unread(QStringLiteral("garden")), 0);
        QCOMPARE(notified.size(), 1); // the background one
        QVERIFY(notified.constFirst().at(1).toString().contains(QStringLiteral("to the background")));

        // Do Not Disturb, then a third server: it is quiet too, and not in view either.
        auto east = startTestServer();
        window->doNotDisturbAction()->setChecked(true);
        QCOMPARE(launcher.addServer(remote(*east, QStringLiteral("porch"))), 2);
        QVERIFY(window->server(2)->session()->doNotDisturb());
        QVERIFY(!window->server(2)->session()->isWindowActive());
        QVERIFY(window->server(1)->session()->isWindowActive());
        notified.clear();
        bobNorth.send(SendChat{QStringLiteral("shh"), {}});
        QTRY_VERIFY_WITH_TIMEOUT(shows(window->server(0), QStringLiteral("shh")), Timeout);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(window->server(0)->roomModel()->unread(QStringLiteral("lobby")), 2);
        QCOMPARE(notified.size(), 0); // counted in the same pass that would have notified
        window->close();
    }

    // A degraded server says so in the status bar while it is the selected one: messages wait in
    // the outbox. The notice follows the selection and goes when the server is ok again.
    void degradedServerShowsInTheStatusBar()
    {
        NorthAndSouth both;
        QVERIFY(both.start());
        auto &[north, south, bobNorth, bobSouth, launcher] = both;
        MainWindow *window = launcher.window();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY_WITH_TIMEOUT(launcher.server(0)->client()->isSessionReady() &&
                                     launcher.server(1)->client()->isSessionReady(),
                                 Timeout);
        window->setCurrentServer(0);
        const QString notice = QStringLiteral("Server degraded: disk full — messages wait in the outbox");
        QCOMPARE(degradedNotices(window), QStringList());

        north->setDegraded(QStringLiteral("disk full"));
        QTRY_COMPARE_WITH_TIMEOUT(degradedNotices(window), QStringList{notice}, Timeout);
        window->setCurrentServer(1); // south is fine: north's notice is not its
        QCOMPARE(degradedNotices(window), QStringList());
        window->setCurrentServer(0);
        QCOMPARE(degradedNotices(window), QStringList{notice});

        north->setDegraded({});
        QTRY_COMPARE_WITH_TIMEOUT(degradedNotices(window), QStringList(), Timeout);
        window->close();
    }

    // Chat → Connect To… moves the selected server through the launcher: the saved list follows,
    // and "This computer" is never opened twice.
    void connectToMovesTheSelectedServer()
    {
        auto north = startTestServer();
        auto south = startTestServer();
        auto east = startTestServer();
        AppLauncher launcher;
        launcher.setPreferredHostPort(0);
        ConnectionChoice local;
        local.hostLocally = true;
        local.username = QStringLiteral("alice");
        local.room = QStringLiteral("general");
        QVERIFY(launcher.start(
            {remote(*north, QStringLiteral("lobby")), remote(*south, QStringLiteral("garden")), local},
            true));
        MainWindow *window = launcher.window();
        QCOMPARE(AppSettings().servers().size(), 3);
        ChatClient *second = launcher.server(1)->client();
        QTRY_VERIFY_WITH_TIMEOUT(second->isSessionReady(), Timeout);
        window->setCurrentServer(1);
        ConnectDialog::setNextAnswer(remote(*east, QStringLiteral("porch")));
        window->changeConnection();
        QTRY_VERIFY_WITH_TIMEOUT(second->url() == east->url() && second->isSessionReady(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(south->clientCount(), 0, Timeout);
        const QList<ConnectionChoice> saved = AppSettings().servers();
        QCOMPARE(saved.size(), 3);
        QCOMPARE(saved.at(0).url, north->url());
        QCOMPARE(saved.at(1).url, east->url());
        QVERIFY(saved.at(2).hostLocally);

        // "This computer" asked for again from another server: the open one is shown instead.
        ConnectDialog::setNextAnswer(local);
        window->changeConnection();
        QCOMPARE(window->currentServerIndex(), 2);
        QCOMPARE(launcher.server(1)->client()->url(), east->url());
        QCOMPARE(AppSettings().servers().size(), 3);
        window->close();
    }

    // Servers are opened and closed while the app runs; the last one stays.
    void serversComeAndGo()
    {
        auto north = startTestServer();
        auto south = startTestServer();
        AppLauncher launcher;
        QVERIFY(launcher.start({remote(*north, QStringLiteral("lobby"))}, false));
        QCOMPARE(launcher.serverCount(), 1);
        QCOMPARE(launcher.addServer(remote(*south, QStringLiteral("garden"))), 1);
        QCOMPARE(launcher.addServer(remote(*south, QStringLiteral("garden"))), -1); // already open
        QCOMPARE(launcher.window()->serverCount(), 2);
        ChatClient *second = launcher.server(1)->client();
        QTRY_VERIFY_WITH_TIMEOUT(second->isSessionReady(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(south->clientCount(), 1, Timeout);
        launcher.window()->setCurrentServer(1);
        launcher.removeServer(1);
        QCOMPARE(launcher.serverCount(), 1);
        QCOMPARE(launcher.window()->serverCount(), 1);
        QCOMPARE(launcher.window()->currentServerIndex(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(south->clientCount(), 0, Timeout); // it left the south
        launcher.removeServer(0);
        QCOMPARE(launcher.serverCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(launcher.client()->isSessionReady(), Timeout);
        launcher.window()->close();
    }

    // Preferences → Servers opens, moves and closes servers at once, and the list is kept.
    void thePreferencesServersPageAppliesAtOnce()
    {
        auto north = startTestServer();
        auto south = startTestServer();
        auto east = startTestServer();
        AppLauncher launcher;
        QVERIFY(launcher.start(remote(*north, QStringLiteral("lobby"))));
        MainWindow *window = launcher.window();
        window->showPreferences();
        auto *page = window->preferencesDialog()->findChild<ServersPage *>();
        QVERIFY(page);
        std::optional<ConnectionChoice> answer = remote(*south, QStringLiteral("garden"));
        page->setAsker([&answer](const ConnectionChoice &) { return answer; });

        page->addServer();
        QCOMPARE(launcher.serverCount(), 2);
        QCOMPARE(window->serverCount(), 2);
        QCOMPARE(window->roomDock()->model()->serverCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(launcher.server(1)->client()->isSessionReady(), Timeout);
        QCOMPARE(launcher.server(1)->client()->url(), south->url());
        QCOMPARE(AppSettings().servers().size(), 2);

        // Edited: the same pane connects to the new address.
        ChatClient *second = launcher.server(1)->client();
        answer = remote(*east, QStringLiteral("porch"));
        page->list()->setCurrentRow(1);
        page->editCurrent();
        QCOMPARE(launcher.serverCount(), 2);
        QCOMPARE(launcher.server(1)->client(), second);
        QTRY_VERIFY_WITH_TIMEOUT(second->isSessionReady() && second->url() == east->url(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(south->clientCount(), 0, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(window->roomDock()->model()->serverName(1),
                                  QStringLiteral("127.0.0.1:%1").arg(east->port()), Timeout);

        // Removed: closed, and gone from what opens next time.
        page->list()->setCurrentRow(1);
        page->removeCurrent();
        QCOMPARE(launcher.serverCount(), 1);
        QCOMPARE(window->serverCount(), 1);
        QCOMPARE(window->roomDock()->model()->serverCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(east->clientCount(), 0, Timeout);
        QCOMPARE(AppSettings().servers().size(), 1);
        QCOMPARE(AppSettings().servers().constFirst().url, north->url());
        window->close();
    }

    // Preferences → Servers keeps a server's other addresses (nodes of one deployment): saved with
    // the list, shown again when the server is edited, and given to its ChatClient, which logs in
    // through the second when nothing answers at the first.
    void otherAddressesRoundTripThroughTheServersPage()
    {
        auto north = startTestServer();
        auto south = startTestServer();
        QTcpServer probe; // a port where nothing listens once it is closed
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QUrl dead(QStringLiteral("ws://127.0.0.1:%1").arg(probe.serverPort()));
        probe.close();
        AppLauncher launcher;
        QVERIFY(launcher.start(remote(*north, QStringLiteral("lobby"))));
        MainWindow *window = launcher.window();
        window->showPreferences();
        auto *page = window->preferencesDialog()->findChild<ServersPage *>();
        QVERIFY(page);

        // What the user types into the server's dialog: two addresses, the second one live.
        ConnectionChoice typed;
        {
            ConnectionChoice initial;
            initial.hostLocally = false;
            initial.username = QStringLiteral("alice");
            initial.room = QStringLiteral("garden");
            ConnectDialog dialog(initial);
            QLineEdit *address = namedEdit(&dialog, QStringLiteral("Server address"));
            QLineEdit *others = namedEdit(&dialog, QStringLiteral("Other addresses of this server"));
            QVERIFY(address && others);
            QTest::keyClicks(address, dead.toString());
            QTest::keyClicks(others, QStringLiteral("http://nowhere"));
            QVERIFY(!dialog.isAcceptable());
            QVERIFY2(dialog.errorText().contains(QStringLiteral("http://nowhere")),
                     qPrintable(dialog.errorText()));
            others->clear();
            QTest::keyClicks(others, south->url().toString());
            QVERIFY(dialog.isAcceptable());
            typed = dialog.choice();
        }
        QCOMPARE(typed.otherUrls, QList<QUrl>{south->url()});
        page->setAsker([&typed](const ConnectionChoice &) { return typed; });
        page->addServer();
        QCOMPARE(launcher.serverCount(), 2);
        ChatClient *second = launcher.server(1)->client();
        // After the login flow has looked for a stored token.
        QTRY_COMPARE_WITH_TIMEOUT(second->urls(), (QList<QUrl>{dead, south->url()}), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(second->isSessionReady(), Timeout);
        QCOMPARE(second->currentUrl(), south->url());
        QCOMPARE(second->url(), dead); // still known by its first address
        window->setCurrentServer(1);
        QTRY_VERIFY_WITH_TIMEOUT(
            window->server(1)->connectionStatus()->text().contains(south->url().authority()), Timeout);

        // Saved with the list, and there again when the page is opened anew.
        QCOMPARE(AppSettings().servers().value(1).otherUrls, QList<QUrl>{south->url()});
        AppSettings settings;
        ServersPage reopened(&settings);
        std::optional<ConnectionChoice> shown;
        reopened.setAsker([&shown](const ConnectionChoice &initial) {
            shown = initial;
            return std::optional<ConnectionChoice>();
        });
        reopened.list()->setCurrentRow(1);
        reopened.editCurrent();
        QVERIFY(shown);
        QCOMPARE(shown->url, dead);
        QCOMPARE(shown->otherUrls, QList<QUrl>{south->url()});
        ConnectDialog dialog(*shown);
        QCOMPARE(namedEdit(&dialog, QStringLiteral("Other addresses of this server"))->text(),
                 south->url().toString());
        window->close();
    }

    // The server the app hosts itself is "This computer", beside a remote one.
    void theHostedServerIsThisComputer()
    {
        auto north = startTestServer();
        AppLauncher launcher;
        launcher.setPreferredHostPort(0);
        ConnectionChoice local;
        local.hostLocally = true;
        local.username = QStringLiteral("alice");
        local.room = QStringLiteral("general");
        QVERIFY(launcher.start({remote(*north, QStringLiteral("lobby")), local}, false));
        QVERIFY(launcher.host()->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(launcher.server(1)->client()->isSessionReady(), Timeout);
        QCOMPARE(launcher.window()->server(1)->displayName(), QStringLiteral("This computer"));
        QVERIFY(launcher.window()->server(0)->displayName().startsWith(QStringLiteral("127.0.0.1:")));
        QVERIFY(!launcher.window()->hostedLabel()->isHidden());
        launcher.removeServer(1);
        QVERIFY(!launcher.host()->isRunning());
        QVERIFY(launcher.window()->hostedLabel()->isHidden());
        launcher.window()->close();
    }
};

QTEST_MAIN(TestSeveralServers)
#include "tst_severalservers.moc"

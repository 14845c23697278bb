// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's parts on their own: message view, delegate, dialogs, start-up options, hosting.
#include "applauncher.h"
#include "appsettings.h"
#include "apptranslations.h"
#include "chatclient.h"
#include "chatserver.h"
#include "composer.h"
#include "connectdialog.h"
#include "connectionstatus.h"
#include "launchoptions.h"
#include "localserverhost.h"
#include "mainwindow.h"
#include "mentioncompleter.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageview.h"
#include "roomlistdock.h"
#include "roomlistmodel.h"
#include "searchresultdelegate.h"
#include "serverroomsmodel.h"
#include "storagepage.h"
#include "transferpresenter.h"
#include "uitestsupport.h"
#include "userlistmodel.h"

#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTreeView>
#include <QtTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;

MessageModel::Message chat(const QString &text, qint64 ts = 1763770000000)
{
    MessageModel::Message m;
    m.sender = QStringLiteral("bob");
    m.text = text;
    m.timestamp = ts;
    return m;
}

} // namespace

class TestWidgets : public QObject
{
    Q_OBJECT

private:
    AppTranslations m_translations;

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_widgets"));
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void init() { QSettings().clear(); }

    void viewStaysPinnedUnlessScrolledUp()
    {
        MessageModel model;
        MessageView view;
        QVERIFY(UiTest::showView(view, model, QSize(400, 300)));
        for (int i = 0; i < 200; ++i)
            model.append(chat(QStringLiteral("message %1").arg(i)));
        QScrollBar *bar = view.verticalScrollBar();
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bar->value(), bar->maximum(), Timeout);
        QVERIFY(view.isPinnedToBottom());
        QVERIFY(view.newMessagesButton()->isHidden());

        // The user scrolls up: new messages no longer move the view, a button counts them.
        bar->setValue(0);
        QVERIFY(!view.isPinnedToBottom());
        model.append(chat(QStringLiteral("new one")));
        model.append(chat(QStringLiteral("new two")));
        QCOMPARE(view.newMessageCount(), 2);
        QVERIFY(!view.newMessagesButton()->isHidden());
        QCOMPARE(view.newMessagesButton()->text(), QStringLiteral("↓ 2 new messages"));
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0, Timeout);
        QCOMPARE(bar->value(), 0);

        QTest::mouseClick(view.newMessagesButton(), Qt::LeftButton);
        QVERIFY(view.isPinnedToBottom());
        QVERIFY(view.newMessagesButton()->isHidden());
        QTRY_COMPARE_WITH_TIMEOUT(bar->value(), bar->maximum(), Timeout);
    }

    void olderRowsAboveLeaveTheFirstVisibleMessageInPlace()
    {
        MessageModel model;
        MessageView view;
        QVERIFY(UiTest::showView(view, model, QSize(400, 300)));
        QVector<MessageModel::Message> rows;
        for (int i = 100; i < 300; ++i)
            rows.append(chat(QStringLiteral("message %1").arg(i)));
        model.append(rows);
        QScrollBar *bar = view.verticalScrollBar();
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0, Timeout);

        // The user scrolls up to the top: the view asks for older messages, once per arrival there.
        QSignalSpy wanted(&view, &MessageView::olderMessagesWanted);
        bar->setValue(bar->minimum() + 10);
        QTRY_VERIFY_WITH_TIMEOUT(wanted.size() >= 1, Timeout);
        const QModelIndex first = view.indexAt(QPoint(view.viewport()->width() / 2, 0));
        QVERIFY(first.isValid());
        const QPersistentModelIndex anchor(first);
        const int top = view.visualRect(first).top();
        const QString text = first.data(MessageModel::TextRole).toString();

        // A page arrives (several lines long each, so its height differs from its row count).
        view.setLoadingOlder(true);
        QVERIFY(view.olderIndicator()->isVisible());
        QVector<MessageModel::Message> older;
        for (int i = 50; i < 100; ++i)
            older.append(chat(QStringLiteral("older message %1 ").arg(i).repeated(i % 3 + 1)));
        model.prepend(older);
        view.setLoadingOlder(false);
        QVERIFY(!view.olderIndicator()->isVisible());
        QCOMPARE(anchor.row(), first.row() + 50);
        QCOMPARE(anchor.data(MessageModel::TextRole).toString(), text);
        QCOMPARE(view.visualRect(anchor).top(), top);
        QVERIFY(!view.isPinnedToBottom());
        QVERIFY(bar->value() > 10);

        // At the start of the room the top asks for nothing more; a queued call after the view's
        // own check proves it ran.
        view.setMoreAbove(false);
        wanted.clear();
        bar->setValue(0);
        bool passed = false;
        QMetaObject::invokeMethod(
            &view, [&passed] { passed = true; }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(passed, Timeout);
        QCOMPARE(wanted.size(), 0);
    }

    void searchSnippetsStartNearTheFirstMatch()
    {
        QList<QPair<int, int>> shown;
        // Short: the whole text, matches where they were; a line break becomes a space.
        QCOMPARE(SearchResultDelegate::snippet(QStringLiteral("a fox\nran"), {QPoint(2, 3)}, &shown),
                 QStringLiteral("a fox ran"));
        QCOMPARE(shown, (QList<QPair<int, int>>{{2, 3}}));
        // Long: an ellipsis, then some context before the first match; matches move with the text.
        const QString text = QString(100, QLatin1Char('x')) + QStringLiteral("東京") +
                             QString(10, QLatin1Char('y')) + QStringLiteral("東京");
        const QString line = SearchResultDelegate::snippet(text, {QPoint(100, 2), QPoint(112, 2)}, &shown);
        QVERIFY(line.startsWith(QChar(0x2026)));
        QCOMPARE(shown.size(), 2);
        QCOMPARE(line.mid(shown.at(0).first, shown.at(0).second), QStringLiteral("東京"));
        QCOMPARE(line.mid(shown.at(1).first, shown.at(1).second), QStringLiteral("東京"));
        // Ranges past the text (a hostile or stale hit) are left out.
        SearchResultDelegate::snippet(QStringLiteral("abc"), {QPoint(2, 5), QPoint(-1, 1)}, &shown);
        QVERIFY(shown.isEmpty());
    }

    void storagePageWithoutACacheSaysSo()
    {
        AppSettings settings;
        StoragePage page(&settings, nullptr);
        QVERIFY(!page.clearButton()->isEnabled());
        QVERIFY(page.currentSize()->text().contains(QStringLiteral("No cache")));
        page.ageLimit()->setValue(7);
        QCOMPARE(settings.cacheLimits().maxAgeDays, 7);
        page.sizeLimit()->setValue(0);
        QCOMPARE(settings.cacheLimits().maxBytes, qint64(0));
        QCOMPARE(page.sizeLimit()->text(), QStringLiteral("No limit"));
    }

    void clickingALinkActivatesIt()
    {
        MessageModel model;
        MessageView view;
        QVERIFY(UiTest::showView(view, model, QSize(500, 200)));
        model.append(chat(QStringLiteral("look: https://example.org/page and more")));
        const QModelIndex index = model.index(0);
        QTRY_VERIFY_WITH_TIMEOUT(view.visualRect(index).height() > 0, Timeout);

        QStyleOptionViewItem option;
        option.initFrom(view.viewport());
        option.font = view.font();
        option.rect = view.visualRect(index);
        // Find a point on the link by asking the delegate along the first text line.
        QPoint onLink;
        for (int x = option.rect.left(); x < option.rect.right() && onLink.isNull(); x += 2) {
            for (int y = option.rect.top(); y < option.rect.bottom() && onLink.isNull(); y += 3) {
                if (view.messageDelegate()->linkAt(option, index, QPoint(x, y)).isValid())
                    onLink = QPoint(x, y);
            }
        }
        QVERIFY(!onLink.isNull());
        QSignalSpy activated(&view, &MessageView::linkActivated);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, onLink);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toUrl(), QUrl(QStringLiteral("https://example.org/page")));

        // Clicking plain text does nothing.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(option.rect.left() + 2, onLink.y()));
        QCOMPARE(activated.count(), 1);
    }

    // Typing `@` and the start of a name offers the room's members; Enter takes one without
    // sending, and the text carries the whole name for the server to mark.
    void mentionsCompleteMemberNames()
    {
        UserListModel members;
        members.setUsers({QStringLiteral("alice"), QStringLiteral("Alan"), QStringLiteral("bob")});
        Composer composer;
        MentionCompleter completer(&composer, &members, UserListModel::NameRole);
        QSignalSpy submitted(&composer, &Composer::submitted);
        // While names are offered, keys go to the popup, as QApplication delivers them.
        const auto keyTarget = [&composer]() -> QWidget * {
            QWidget *popup = QApplication::activePopupWidget();
            return popup ? popup : &composer;
        };
        composer.show();
        QVERIFY(QTest::qWaitForWindowActive(&composer));

        QTest::keyClicks(&composer, QStringLiteral("lunch @AL"));
        QTRY_VERIFY(completer.isOffering());
        QTest::keyClick(keyTarget(), Qt::Key_Down); // alice
        QTest::keyClick(keyTarget(), Qt::Key_Down); // Alan
        QTest::keyClick(keyTarget(), Qt::Key_Return);
        QTRY_VERIFY(!completer.isOffering());
        QCOMPARE(composer.toPlainText(), QStringLiteral("lunch @Alan "));
        QCOMPARE(submitted.count(), 0);

        QTest::keyClicks(&composer, QStringLiteral("and @b"));
        QTRY_VERIFY(completer.isOffering());
        QTest::keyClick(keyTarget(), Qt::Key_Tab);
        QTRY_COMPARE(composer.toPlainText(), QStringLiteral("lunch @Alan and @bob "));
        QVERIFY(composer.hasFocus());

        // Nobody by that name, an address, and Escape: nothing offered or nothing taken.
        composer.clearMessage();
        QTest::keyClicks(&composer, QStringLiteral("@zed"));
        QVERIFY(!completer.isOffering());
        QTest::keyClicks(&composer, QStringLiteral(" mail me@al"));
        QVERIFY(!completer.isOffering());
        QTest::keyClicks(&composer, QStringLiteral(" @a"));
        QTRY_VERIFY(completer.isOffering());
        QTest::keyClick(keyTarget(), Qt::Key_Escape);
        QTRY_VERIFY(!completer.isOffering());
        QCOMPARE(composer.toPlainText(), QStringLiteral("@zed mail me@al @a"));
        QTest::keyClick(&composer, Qt::Key_Return);
        QCOMPARE(submitted.count(), 1);
    }

    void longTextWrapsToTallerRows()
    {
        MessageModel model;
        MessageView view;
        QVERIFY(UiTest::showView(view, model, QSize(400, 300)));
        model.append(chat(QStringLiteral("short")));
        model.append(chat(QStringLiteral("a long message ").repeated(20)));
        model.append(chat(QStringLiteral("two\nlines")));
        model.append(chat(QStringLiteral("short again")));
        QTRY_VERIFY_WITH_TIMEOUT(view.visualRect(model.index(3)).height() > 0, Timeout);
        const int one = view.visualRect(model.index(3)).height();
        // The first row also carries the day's date separator.
        QVERIFY(view.visualRect(model.index(0)).height() > one);
        QVERIFY(view.visualRect(model.index(1)).height() > 2 * one - 10);
        QVERIFY(view.visualRect(model.index(2)).height() > one);
        // The first row of the day carries the date separator above it.
        QVERIFY(model.index(0).data(MessageModel::FirstOfDayRole).toBool());
    }

    void connectDialogValidatesNames()
    {
        ConnectionChoice initial;
        initial.hostLocally = false;
        initial.url = QUrl(QStringLiteral("ws://127.0.0.1:9/"));
        initial.username = QStringLiteral("alice");
        initial.room = QStringLiteral("general");
        ConnectDialog dialog(initial);
        QVERIFY(dialog.isAcceptable());
        QVERIFY(dialog.errorText().isEmpty());

        const QList<QLineEdit *> edits = dialog.findChildren<QLineEdit *>();
        QCOMPARE(edits.size(), 4); // the address, other addresses, name and room
        QLineEdit *url = edits.at(0);
        QLineEdit *user = edits.at(2);
        QLineEdit *room = edits.at(3);
        user->setText(QStringLiteral("   "));
        QVERIFY(!dialog.isAcceptable());
        QVERIFY(!dialog.errorText().isEmpty());
        user->setText(QStringLiteral("x").repeated(33));
        QVERIFY(!dialog.isAcceptable());
        user->setText(QStringLiteral("bad\tname"));
        QVERIFY(!dialog.isAcceptable());
        user->setText(QStringLiteral(" carol "));
        QVERIFY(dialog.isAcceptable());
        QCOMPARE(dialog.choice().username, QStringLiteral("carol"));

        room->setText(QString());
        QVERIFY(!dialog.isAcceptable());
        room->setText(QStringLiteral("random"));
        url->setText(QStringLiteral("http://example.org"));
        QVERIFY(!dialog.isAcceptable());
        QVERIFY(dialog.errorText().contains(QStringLiteral("ws://")));
        url->setText(QStringLiteral("chat.example.org:8080"));
        QVERIFY(dialog.isAcceptable());
        QCOMPARE(dialog.choice().url, QUrl(QStringLiteral("ws://chat.example.org:8080")));
    }

    void connectDialogCanBePreAnswered()
    {
        ConnectionChoice answer;
        answer.hostLocally = true;
        answer.username = QStringLiteral("zed");
        answer.room = QStringLiteral("r");
        ConnectDialog::setNextAnswer(answer);
        const auto got = ConnectDialog::ask(ConnectionChoice{});
        QVERIFY(got);
        QCOMPARE(got->username, QStringLiteral("zed"));
        ConnectDialog::setNextAnswer(std::nullopt); // "cancel"
        QVERIFY(!ConnectDialog::ask(ConnectionChoice{}));
    }

    void commandLineOverridesSavedSettings()
    {
        {
            AppSettings saved;
            ConnectionChoice c;
            c.hostLocally = false;
            c.url = QUrl(QStringLiteral("ws://saved.example:1/"));
            c.username = QStringLiteral("saved");
            c.room = QStringLiteral("savedroom");
            saved.setConnection(c);
        }
        AppSettings settings;
        LaunchOptions plain;
        QVERIFY(plain.parse({QStringLiteral("natter")}));
        bool needsDialog = true;
        ConnectionChoice c = plain.resolve(settings, &needsDialog);
        QVERIFY(!needsDialog);
        QVERIFY(!c.hostLocally);
        QCOMPARE(c.url, QUrl(QStringLiteral("ws://saved.example:1/")));
        QCOMPARE(c.username, QStringLiteral("saved"));
        QCOMPARE(c.room, QStringLiteral("savedroom"));

        LaunchOptions options;
        QVERIFY(options.parse({QStringLiteral("natter"), QStringLiteral("--url"),
                               QStringLiteral("ws://cli.example:2"), QStringLiteral("--user"),
                               QStringLiteral("cli"), QStringLiteral("--room"), QStringLiteral("cliroom")}));
        c = options.resolve(settings, &needsDialog);
        QVERIFY(!needsDialog);
        QCOMPARE(c.url, QUrl(QStringLiteral("ws://cli.example:2")));
        QCOMPARE(c.username, QStringLiteral("cli"));
        QCOMPARE(c.room, QStringLiteral("cliroom"));

        LaunchOptions bad;
        QVERIFY(bad.parse({QStringLiteral("natter"), QStringLiteral("--user"), QStringLiteral("  ")}));
        bad.resolve(settings, &needsDialog);
        QVERIFY(needsDialog); // an invalid name is asked for, not used

        LaunchOptions unknown;
        QVERIFY(!unknown.parse({QStringLiteral("natter"), QStringLiteral("--bogus")}));
        QVERIFY(!unknown.errorText().isEmpty());
    }

    void serverOptionsAreTheServersOfThisRun()
    {
        {
            AppSettings saved;
            ConnectionChoice hosted;
            hosted.hostLocally = true;
            hosted.username = QStringLiteral("saved");
            hosted.room = QStringLiteral("savedroom");
            ConnectionChoice other;
            other.hostLocally = false;
            other.url = QUrl(QStringLiteral("ws://other.example:3"));
            other.username = QStringLiteral("otto");
            other.room = QStringLiteral("o");
            saved.setServers({hosted, other});
        }
        const AppSettings settings;
        LaunchOptions options;
        QVERIFY(options.parse(
            {QStringLiteral("natter"), QStringLiteral("--server"), QStringLiteral("a.example:1"),
             QStringLiteral("--server"), QStringLiteral("wss://B.example/chat"), QStringLiteral("--server"),
             QStringLiteral("ws://a.example:1/"), QStringLiteral("--room"), QStringLiteral("cliroom"),
             QStringLiteral("--server"), QStringLiteral("ws://n1.example:7, n2.example:7")}));
        using Urls = QList<QUrl>;
        QCOMPARE(options.servers(), (QList<Urls>{Urls{QUrl(QStringLiteral("ws://a.example:1"))},
                                                 Urls{QUrl(QStringLiteral("wss://b.example/chat"))},
                                                 Urls{QUrl(QStringLiteral("ws://a.example:1/"))},
                                                 Urls{QUrl(QStringLiteral("ws://n1.example:7")),
                                                      QUrl(QStringLiteral("ws://n2.example:7"))}}));
        bool needsDialog = true;
        const QList<ConnectionChoice> servers = options.resolveServers(settings, &needsDialog);
        QVERIFY(!needsDialog);
        // Exactly those (the same server once), as the saved user, in the room asked for; a
        // comma-separated --server is one server whose reconnects go round its addresses.
        QCOMPARE(servers.size(), 3);
        QVERIFY(!servers.at(0).hostLocally);
        QCOMPARE(servers.at(0).url, QUrl(QStringLiteral("ws://a.example:1")));
        QVERIFY(servers.at(0).otherUrls.isEmpty());
        QCOMPARE(servers.at(1).url, QUrl(QStringLiteral("wss://b.example/chat")));
        QCOMPARE(servers.at(2).urls(), (Urls{QUrl(QStringLiteral("ws://n1.example:7")),
                                             QUrl(QStringLiteral("ws://n2.example:7"))}));
        for (const ConnectionChoice &c : servers) {
            QCOMPARE(c.username, QStringLiteral("saved"));
            QCOMPARE(c.room, QStringLiteral("cliroom"));
        }
        // For this run only: the saved list is as it was.
        QCOMPARE(settings.servers().size(), 2);
        QVERIFY(settings.servers().at(0).hostLocally);

        // Without --server: resolve()'s server first (--url's, say), then the other saved ones.
        LaunchOptions plain;
        QVERIFY(plain.parse({QStringLiteral("natter"), QStringLiteral("--user"), QStringLiteral("cli")}));
        QList<ConnectionChoice> all = plain.resolveServers(settings, &needsDialog);
        QVERIFY(!needsDialog);
        QCOMPARE(all.size(), 2);
        QVERIFY(all.at(0).hostLocally);
        QCOMPARE(all.at(0).username, QStringLiteral("cli"));
        QCOMPARE(all.at(0).room, QStringLiteral("savedroom"));
        QCOMPARE(all.at(1).url, QUrl(QStringLiteral("ws://other.example:3")));
        QCOMPARE(all.at(1).username, QStringLiteral("otto"));
        LaunchOptions url;
        QVERIFY(url.parse(
            {QStringLiteral("natter"), QStringLiteral("--url"), QStringLiteral("ws://cli.example:2")}));
        all = url.resolveServers(settings, &needsDialog);
        QCOMPARE(all.size(), 3);
        QCOMPARE(all.at(0).url, QUrl(QStringLiteral("ws://cli.example:2")));
        QCOMPARE(all.at(0).username, QStringLiteral("saved"));
        QVERIFY(all.at(1).hostLocally);
        QCOMPARE(all.at(2).url, QUrl(QStringLiteral("ws://other.example:3")));
        // The saved server named by --url is not listed twice.
        LaunchOptions same;
        QVERIFY(same.parse(
            {QStringLiteral("natter"), QStringLiteral("--url"), QStringLiteral("OTHER.example:3")}));
        all = same.resolveServers(settings, &needsDialog);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).url, QUrl(QStringLiteral("ws://other.example:3")));
        QCOMPARE(all.at(0).username, QStringLiteral("saved"));
        QVERIFY(all.at(1).hostLocally);
    }

    void badServerOptionsAreRefused()
    {
        LaunchOptions both;
        QVERIFY(!both.parse({QStringLiteral("natter"), QStringLiteral("--url"),
                             QStringLiteral("ws://a.example:1"), QStringLiteral("--server"),
                             QStringLiteral("ws://b.example:2")}));
        QVERIFY2(both.errorText().contains(QStringLiteral("--server for each server, or --url for one")),
                 qPrintable(both.errorText()));
        LaunchOptions invalid;
        QVERIFY(!invalid.parse({QStringLiteral("natter"), QStringLiteral("--server"),
                                QStringLiteral("ws://a.example:1"), QStringLiteral("--server"),
                                QStringLiteral("http://b.example")}));
        QVERIFY2(invalid.errorText().contains(QStringLiteral("http://b.example")),
                 qPrintable(invalid.errorText()));
        QVERIFY(invalid.servers().isEmpty());
        // One bad address spoils its server's list.
        LaunchOptions badNode;
        QVERIFY(!badNode.parse({QStringLiteral("natter"), QStringLiteral("--server"),
                                QStringLiteral("ws://a.example:1,http://b.example")}));
        QVERIFY2(badNode.errorText().contains(QStringLiteral("http://b.example")),
                 qPrintable(badNode.errorText()));
        LaunchOptions commas;
        QVERIFY(!commas.parse({QStringLiteral("natter"), QStringLiteral("--server"), QStringLiteral(" , ")}));
        LaunchOptions empty;
        QVERIFY(!empty.parse({QStringLiteral("natter"), QStringLiteral("--server"), QStringLiteral(" ")}));
        QVERIFY(!empty.errorText().isEmpty());
        LaunchOptions missing;
        QVERIFY(!missing.parse({QStringLiteral("natter"), QStringLiteral("--server")}));
        QVERIFY(!missing.errorText().isEmpty());
        // --help tells of it.
        LaunchOptions help;
        QVERIFY(help.parse({QStringLiteral("natter"), QStringLiteral("--help")}));
        QVERIFY(help.helpRequested());
        QVERIFY(help.parser().helpText().contains(QStringLiteral("--server <url>")));
    }

    void firstStartHostsLocallyAsTheOsUser()
    {
        AppSettings settings;
        QVERIFY(!settings.hasConnection());
        qputenv("USER", "newcomer");
        LaunchOptions options;
        QVERIFY(options.parse({QStringLiteral("natter")}));
        bool needsDialog = true;
        const ConnectionChoice c = options.resolve(settings, &needsDialog);
        QVERIFY(!needsDialog);
        QVERIFY(c.hostLocally);
        QCOMPARE(c.username, QStringLiteral("newcomer"));
        QCOMPARE(c.room, QStringLiteral("general"));
    }

    void firstStartWithoutUserVariablesUsesTheHomeFolderName()
    {
        AppSettings settings;
        const QByteArray user = qgetenv("USER"), logname = qgetenv("LOGNAME"), username = qgetenv("USERNAME");
        qunsetenv("USER");
        qunsetenv("LOGNAME");
        qunsetenv("USERNAME");
        LaunchOptions options;
        QVERIFY(options.parse({QStringLiteral("natter")}));
        bool needsDialog = true;
        const ConnectionChoice c = options.resolve(settings, &needsDialog);
        qputenv("USER", user);
        qputenv("LOGNAME", logname);
        qputenv("USERNAME", username);
        QCOMPARE(c.username, QDir::home().dirName());
        QVERIFY(!needsDialog);
        QVERIFY(c.hostLocally);
    }

    void hostingFallsBackToAFreePort()
    {
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
        LocalServerHost host;
        QVERIFY2(host.start(busy.serverPort()), qPrintable(host.errorString()));
        QVERIFY(host.isRunning());
        QVERIFY(host.port() != 0);
        QVERIFY(host.port() != busy.serverPort());
        QCOMPARE(host.url().host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(host.url().port(), int(host.port()));
        host.stop();
        QVERIFY(!host.isRunning());
    }

    void launcherHostsAndConnects()
    {
        AppLauncher launcher;
        launcher.setPreferredHostPort(0);
        ConnectionChoice c;
        c.hostLocally = true;
        c.username = QStringLiteral("host");
        c.room = QStringLiteral("general");
        QVERIFY(launcher.start(c));
        QVERIFY(launcher.host()->isRunning());
        // Files are set up too: received, shown, and sent by the attach button or a drop.
        QVERIFY(launcher.transfers());
        QVERIFY(launcher.transfers()->acceptsIncoming());
        QVERIFY(launcher.window()->transferPresenter());
        QCOMPARE(launcher.window()->transferPresenter()->transfers(), launcher.transfers());
        QVERIFY(launcher.window()->attachButton());
        QVERIFY(launcher.window()->acceptDrops());
        QTRY_VERIFY_WITH_TIMEOUT(launcher.client()->isSessionReady(), Timeout);
        // The hosted server is an open one: a local chat needs no accounts, and asks no password.
        QVERIFY(!launcher.host()->server()->config().accounts);
        QCOMPARE(launcher.client()->serverInfo().auth, Protocol::AuthMode::Open);
        QVERIFY(!launcher.window()->loginDialog());
        QVERIFY(launcher.window()->isVisible());
        QVERIFY(!launcher.window()->hostedLabel()->isHidden());
        QVERIFY(launcher.window()->hostedLabel()->text().contains(launcher.host()->url().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(
            launcher.window()->connectionStatus()->text().startsWith(QStringLiteral("Connected")), Timeout);
        // The choice is remembered for the next start.
        AppSettings saved;
        QVERIFY(saved.hasConnection());
        QVERIFY(saved.connection().hostLocally);
        QCOMPARE(saved.connection().username, QStringLiteral("host"));
    }

    // Two servers' rooms, each under its server's name; switching rooms by keyboard crosses from
    // one server to the next, and the join field and the room menu act on their own server.
    void roomDockShowsEachServersRoomsUnderIt()
    {
        RoomListModel alpha;
        RoomListModel beta;
        alpha.addRoom(QStringLiteral("general"));
        alpha.addRoom(QStringLiteral("lounge"));
        alpha.addRoom(QStringLiteral("random"));
        beta.addRoom(QStringLiteral("lounge"));
        beta.addRoom(QStringLiteral("attic"));
        beta.incrementUnread(QStringLiteral("attic"), 2);
        ServerRoomsModel servers;
        servers.addServer(QStringLiteral("alpha.example"), &alpha);
        RoomListDock dock(&servers);
        servers.addServer(QStringLiteral("beta.example"), &beta); // added to a shown dock
        servers.setServerState(1, QStringLiteral("Reconnecting…"));
        dock.resize(260, 400);
        dock.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dock));
        QTreeView *view = dock.view();

        // Top to bottom: alpha, its rooms, beta, its rooms.
        const QList<QModelIndex> order{servers.serverIndex(0),
                                       servers.roomIndex(0, QStringLiteral("general")),
                                       servers.roomIndex(0, QStringLiteral("lounge")),
                                       servers.roomIndex(0, QStringLiteral("random")),
                                       servers.serverIndex(1),
                                       servers.roomIndex(1, QStringLiteral("attic")),
                                       servers.roomIndex(1, QStringLiteral("lounge"))};
        QTRY_VERIFY(view->isExpanded(servers.serverIndex(1)));
        QVERIFY(view->isExpanded(servers.serverIndex(0)));
        int above = -1;
        for (const QModelIndex &index : order) {
            const QRect rect = view->visualRect(index);
            QVERIFY(index.isValid());
            QVERIFY(!rect.isEmpty());
            QVERIFY(view->viewport()->rect().contains(rect.center()));
            QVERIFY(rect.top() > above);
            above = rect.top();
        }
        QCOMPARE(servers.serverIndex(1).data(RoomListModel::UnreadRole).toInt(), 2);

        // Next after server 0's last room is server 1's first.
        alpha.setCurrentRoom(QStringLiteral("random"));
        QCOMPARE(dock.currentServer(), 0);
        QSignalSpy join(&dock, &RoomListDock::joinRequested);
        dock.selectNext(+1);
        QCOMPARE(join.count(), 1);
        QCOMPARE(join.at(0).at(0).toInt(), 1);
        QCOMPARE(join.at(0).at(1).toString(), QStringLiteral("attic"));
        join.clear();
        dock.selectNext(-1);
        QCOMPARE(join.count(), 1);
        QCOMPARE(join.at(0).at(0).toInt(), 0);
        QCOMPARE(join.at(0).at(1).toString(), QStringLiteral("lounge"));

        // The window has switched to server 1: the join field joins there.
        dock.setCurrentServer(1);
        beta.setCurrentRoom(QStringLiteral("attic"));
        join.clear();
        dock.joinEdit()->setText(QStringLiteral(" cellar "));
        QTest::keyClick(dock.joinEdit(), Qt::Key_Return);
        QCOMPARE(join.count(), 1);
        QCOMPARE(join.at(0).at(0).toInt(), 1);
        QCOMPARE(join.at(0).at(1).toString(), QStringLiteral("cellar"));
        // Backwards from server 1's first room is server 0's last.
        join.clear();
        dock.selectNext(-1);
        QCOMPARE(join.count(), 1);
        QCOMPARE(join.at(0).at(0).toInt(), 0);
        QCOMPARE(join.at(0).at(1).toString(), QStringLiteral("random"));

        // A click on another server's room asks for it, once; a click on a server joins nothing.
        join.clear();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(servers.roomIndex(0, QStringLiteral("general"))).center());
        QCOMPARE(join.count(), 1);
        QCOMPARE(join.at(0).at(0).toInt(), 0);
        QCOMPARE(join.at(0).at(1).toString(), QStringLiteral("general"));
        join.clear();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(servers.serverIndex(0)).center());
        QCOMPARE(join.count(), 0);
        // So does moving the keyboard's row onto another server's room; on this server's, Enter joins.
        view->setCurrentIndex(servers.roomIndex(0, QStringLiteral("lounge")));
        QCOMPARE(join.count(), 1);
        QCOMPARE(join.at(0).at(0).toInt(), 0);
        QCOMPARE(join.at(0).at(1).toString(), QStringLiteral("lounge"));
        join.clear();
        view->setCurrentIndex(servers.roomIndex(1, QStringLiteral("lounge")));
        QCOMPARE(join.count(), 0);
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(join.count(), 1);
        QCOMPARE(join.at(0).at(0).toInt(), 1);
        QCOMPARE(join.at(0).at(1).toString(), QStringLiteral("lounge"));

        // The room menu on server 1's "lounge" sets server 1's level only.
        std::unique_ptr<QMenu> menu(dock.createContextMenu(servers.roomIndex(1, QStringLiteral("lounge"))));
        QVERIFY(menu);
        menu->findChild<QAction *>(QStringLiteral("notifyMentionsAction"))->trigger();
        QCOMPARE(beta.notifyLevel(QStringLiteral("lounge")), RoomListModel::Notify::Mentions);
        QCOMPARE(alpha.notifyLevel(QStringLiteral("lounge")), RoomListModel::Notify::All);
        QCOMPARE(servers.roomIndex(1, QStringLiteral("lounge"))
                     .data(RoomListModel::NotifyRole)
                     .value<RoomListModel::Notify>(),
                 RoomListModel::Notify::Mentions);
        menu.reset(dock.createContextMenu(servers.roomIndex(0, QStringLiteral("lounge"))));
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("notifyAllAction"))->isChecked());
        QVERIFY(!dock.createContextMenu(servers.serverIndex(1)));
    }

    void pluralsReadRight()
    {
        QCOMPARE(QCoreApplication::translate("ConnectionStatus", "%n message(s) queued", nullptr, 1),
                 QStringLiteral("1 message queued"));
        QCOMPARE(QCoreApplication::translate("ConnectionStatus", "%n message(s) queued", nullptr, 3),
                 QStringLiteral("3 messages queued"));
        QCOMPARE(QCoreApplication::translate("x", "plain"), QStringLiteral("plain"));
    }
};

QTEST_MAIN(TestWidgets)
#include "tst_widgets.moc"

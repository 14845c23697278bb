// SPDX-License-Identifier: GPL-3.0-or-later
// Preferences → Servers on its own (the window adds it and opens what it announces).
// Preferences → Name, Files and Connection, in the app as AppLauncher puts it together, against a
// real in-process server: every change through the page's widgets applies at once to the running
// client and transfers, and a new run (a new AppSettings, a new AppLauncher) starts with it.
#include "accountsserver.h"
#include "applauncher.h"
#include "appsettings.h"
#include "apptranslations.h"
#include "chatclient.h"
#include "clientfixture.h"
#include "connectionpage.h"
#include "filepicker.h"
#include "filespage.h"
#include "filetransfers.h"
#include "identitypage.h"
#include "latencymonitor.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "reconnectpolicy.h"
#include "serverfixture.h"
#include "serverspage.h"
#include "tokenstore.h"
#include "uitestsupport.h"

#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {
ConnectionChoice remoteServer(const QString &url, const QString &user = QStringLiteral("alice"))
{
    ConnectionChoice c;
    c.hostLocally = false;
    c.url = QUrl(url);
    c.username = user;
    c.room = QStringLiteral("general");
    return c;
}

ConnectionChoice hostedServer()
{
    ConnectionChoice c;
    c.hostLocally = true;
    c.username = QStringLiteral("alice");
    c.room = QStringLiteral("general");
    return c;
}

QStringList urlsOf(const QList<ConnectionChoice> &servers)
{
    QStringList result;
    for (const ConnectionChoice &c : servers)
        result.append(c.hostLocally ? QStringLiteral("here") : c.url.toString());
    return result;
}

constexpr int Timeout = 15000;
constexpr qint64 MiB = 1024 * 1024;
const QString General = QStringLiteral("general");
} // namespace

class TestPreferences : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    AppTranslations m_translations;
    std::unique_ptr<ChatServer> m_server;

    std::unique_ptr<AppLauncher> launch()
    {
        auto launcher = std::make_unique<AppLauncher>();
        ConnectionChoice choice;
        choice.hostLocally = false;
        choice.url = m_server->url();
        choice.username = QStringLiteral("alice");
        choice.room = General;
        launcher->start(choice);
        return launcher;
    }

    // Opens Preferences (Ctrl+,) in `launcher`'s window and shows the page named `objectName`.
    template<typename Page>
    static Page *openPage(AppLauncher &launcher, const QString &objectName)
    {
        launcher.window()->showPreferences();
        PreferencesDialog *dialog = launcher.window()->preferencesDialog();
        if (!dialog || !QTest::qWaitForWindowExposed(dialog))
            return nullptr;
        auto *page = qobject_cast<Page *>(dialog->page(objectName));
        if (page)
            dialog->showPage(page);
        return page;
    }

    static void type(QLineEdit *edit, const QString &text)
    {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Delete);
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Return);
    }

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_preferences"));
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        QSettings().clear();
        AppSettings settings;
        settings.setCachePath(
            m_dir.filePath(QStringLiteral("cache-%1.sqlite").arg(QTest::currentTestFunction())));
        settings.setTokenPolicy(TokenStore::Policy::Nothing); // an open server: no keyring wanted
        settings.sync();
        m_server = startTestServer();
    }

    void cleanup() { m_server.reset(); }

    void filesPageAppliesAtOnceAndAtTheNextStart()
    {
        const QString downloads = m_dir.filePath(QStringLiteral("downloads"));
        QVERIFY(QDir().mkpath(downloads));
        {
            auto app = launch();
            QTRY_VERIFY_WITH_TIMEOUT(app->client()->isSessionReady(), Timeout);
            auto *page = openPage<FilesPage>(*app, QStringLiteral("filesPage"));
            QVERIFY(page);
            // What FileTransfers does without a setting: files wait to be saved; 25 MiB without
            // asking; the server's size limit.
            QVERIFY(page->downloadFolder()->text().isEmpty());
            QCOMPARE(page->autoAcceptLimit()->value(), 25);
            QCOMPARE(page->maxIncoming()->value(), 0);
            QCOMPARE(page->maxIncoming()->text(), QStringLiteral("As the server allows"));

            // Choose… picks the folder: the running transfers move files there from now on.
            FilePicker::setNextDirectoryAnswer(downloads);
            QTest::mouseClick(page->chooseButton(), Qt::LeftButton);
            QCOMPARE(app->transfers()->downloadDir(), downloads);
            QCOMPARE(AppSettings().downloadDir(), downloads);

            // A folder that is not there is refused, and the one before stays.
            type(page->downloadFolder(), m_dir.filePath(QStringLiteral("nowhere")));
            QVERIFY(app->window()->preferencesDialog()->isVisible()); // Return did not close it
            QVERIFY(page->folderProblem()->isVisibleTo(page));
            QVERIFY2(page->folderProblem()->text().contains(QStringLiteral("There is no folder")),
                     qPrintable(page->folderProblem()->text()));
            QCOMPARE(app->transfers()->downloadDir(), downloads);
            // Emptied: files wait to be saved again; typed back, the folder is used again.
            type(page->downloadFolder(), QString());
            QVERIFY(page->folderProblem()->isHidden());
            QCOMPARE(app->transfers()->downloadDir(), QString());
            QCOMPARE(AppSettings().downloadDir(), QString());
            type(page->downloadFolder(), downloads);
            QCOMPARE(app->transfers()->downloadDir(), downloads);

            page->autoAcceptLimit()->setValue(3);
            page->maxIncoming()->setValue(10);
            QCOMPARE(app->transfers()->settings().autoAcceptBytes, 3 * MiB);
            QCOMPARE(app->transfers()->maxIncomingBytes(), 10 * MiB);
            QCOMPARE(AppSettings().autoAcceptFileBytes(), 3 * MiB);
            QCOMPARE(AppSettings().maxIncomingFileBytes(), 10 * MiB);
            // 0 asks about nothing.
            page->autoAcceptLimit()->setValue(0);
            QCOMPARE(app->transfers()->settings().autoAcceptBytes, 0);
            QCOMPARE(page->autoAcceptLimit()->text(), QStringLiteral("Any size, never ask"));
            page->autoAcceptLimit()->setValue(3);
            QVERIFY(app->window()->close());
        }
        // The next run starts with all of it.
        auto again = launch();
        QCOMPARE(again->transfers()->downloadDir(), downloads);
        QCOMPARE(again->transfers()->settings().autoAcceptBytes, 3 * MiB);
        QCOMPARE(again->transfers()->maxIncomingBytes(), 10 * MiB);
        auto *page = openPage<FilesPage>(*again, QStringLiteral("filesPage"));
        QVERIFY(page);
        QCOMPARE(page->downloadFolder()->text(), QDir::toNativeSeparators(downloads));
        QCOMPARE(page->autoAcceptLimit()->value(), 3);
        QCOMPARE(page->maxIncoming()->value(), 10);
    }

    void connectionPageAppliesToTheLiveClient()
    {
        auto app = launch();
        ChatClient *client = app->client();
        QTRY_VERIFY_WITH_TIMEOUT(client->isSessionReady(), Timeout);
        auto *page = openPage<ConnectionPage>(*app, QStringLiteral("connectionPage"));
        QVERIFY(page);
        const ChatClient::Settings defaults;
        QCOMPARE(page->initialDelay()->value() * 1000, defaults.initialDelayMs);
        QCOMPARE(page->maxDelay()->value() * 1000, defaults.maxDelayMs);
        QCOMPARE(page->backoffFactor()->value(), defaults.backoffFactor);
        QCOMPARE(page->pingInterval()->value() * 1000, defaults.pingIntervalMs);
        QCOMPARE(page->pongTimeout()->value() * 1000, defaults.pongTimeoutMs);
        QCOMPARE(page->latencySamples()->value(), defaults.latencySamples);

        // Sane values only: a ping at least every second, a pong timeout longer than the ping
        // interval, a longest wait no shorter than the first.
        page->pingInterval()->setValue(0);
        QCOMPARE(page->pingInterval()->value(), 1);
        page->pingInterval()->setValue(40);
        QCOMPARE(page->pongTimeout()->value(), 80); // no answer for two pings, at least
        QCOMPARE(client->settings().pongTimeoutMs, 80000);
        page->initialDelay()->setValue(45);
        QCOMPARE(page->maxDelay()->value(), 45);
        page->backoffFactor()->setValue(0.5);
        QCOMPARE(page->backoffFactor()->value(), 1.0);
        // Restore Defaults undoes it all, on the client too.
        QTest::mouseClick(page->restoreButton(), Qt::LeftButton);
        QCOMPARE(page->pingInterval()->value() * 1000, defaults.pingIntervalMs);
        QCOMPARE(page->pongTimeout()->value() * 1000, defaults.pongTimeoutMs);
        QCOMPARE(page->maxDelay()->value() * 1000, defaults.maxDelayMs);
        QCOMPARE(client->settings().pingIntervalMs, defaults.pingIntervalMs);
        QCOMPARE(client->settings().initialDelayMs, defaults.initialDelayMs);
        QCOMPARE(client->latency()->timeout(), defaults.pongTimeoutMs);

        page->pingInterval()->setValue(2);
        page->pongTimeout()->setValue(20);
        page->latencySamples()->setValue(50);
        page->initialDelay()->setValue(3);
        page->maxDelay()->setValue(10);
        page->backoffFactor()->setValue(1.5);
        // The live connection pings at the new pace.
        QCOMPARE(client->latency()->interval(), 2000);
        QCOMPARE(client->latency()->timeout(), 20000);
        QVERIFY(client->latency()->isRunning());
        QCOMPARE(client->settings().latencySamples, 50);

        // The server goes away: the first wait is the new one (within the jitter).
        QSignalSpy scheduled(client, &ChatClient::reconnectScheduled);
        m_server->close(); // shut down: it asks its clients to come back later
        QVERIFY(scheduled.wait(Timeout));
        const ReconnectPolicy policy({3000, 1.5, 10000, defaults.jitter, 0});
        QCOMPARE(scheduled.at(0).at(0).toInt(), 1);
        const qint64 delay = scheduled.at(0).at(1).toLongLong();
        QVERIFY2(delay >= policy.minDelay(1) && delay <= policy.maxDelay(1),
                 qPrintable(QString::number(delay)));
        QVERIFY(client->nextAttemptIn() >= 0);
        QVERIFY(client->nextAttemptIn() <= policy.maxDelay(1));

        // Stored, and the next run's client starts with them.
        const ChatClient::Settings stored = AppSettings().clientSettings();
        QCOMPARE(stored.initialDelayMs, 3000);
        QCOMPARE(stored.maxDelayMs, 10000);
        QCOMPARE(stored.backoffFactor, 1.5);
        QCOMPARE(stored.pingIntervalMs, 2000);
        QCOMPARE(stored.pongTimeoutMs, 20000);
        QCOMPARE(stored.latencySamples, 50);
        AppLauncher next;
        QCOMPARE(next.client()->settings().initialDelayMs, 3000);
        QCOMPARE(next.client()->settings().backoffFactor, 1.5);
        QCOMPARE(next.client()->latency()->interval(), 2000);
        QCOMPARE(next.client()->latency()->timeout(), 20000);
    }

    // A hand-edited or damaged settings file gets the page's bounds, not a ping every millisecond,
    // a wait of days or a connection declared dead before its first pong could come back.
    void absurdStoredConnectionSettingsAreBounded()
    {
        QSettings raw;
        raw.setValue(QStringLiteral("network/initialDelayMs"), 1);
        raw.setValue(QStringLiteral("network/maxDelayMs"), 900000000);
        raw.setValue(QStringLiteral("network/backoffFactor"), QStringLiteral("nan"));
        raw.setValue(QStringLiteral("network/pingIntervalMs"), 0.5);
        raw.setValue(QStringLiteral("network/pongTimeoutMs"), 1);
        raw.setValue(QStringLiteral("network/latencySamples"), 999999999);
        raw.sync();
        const ChatClient::Settings s = AppSettings().clientSettings();
        QCOMPARE(s.initialDelayMs, 1000);
        QCOMPARE(s.maxDelayMs, AppSettings::MaxNetworkSeconds * 1000);
        QCOMPARE(s.backoffFactor, 2.0);
        QCOMPARE(s.pingIntervalMs, 1000);
        QCOMPARE(s.pongTimeoutMs, 2000);
        QCOMPARE(s.latencySamples, AppSettings::MaxLatencySamples);
        // The app starts with those.
        AppLauncher launcher;
        QCOMPARE(launcher.client()->latency()->interval(), 1000);
        QCOMPARE(launcher.client()->latency()->timeout(), 2000);
    }

    void renameAppliesOnTheLiveConnection()
    {
        ChatClient bob(fastClientSettings(m_dir, QStringLiteral("bob")));
        QVERIFY(connectAndJoin(bob, m_server->url(), QStringLiteral("bob")));
        auto app = launch();
        ChatClient *client = app->client();
        QTRY_VERIFY_WITH_TIMEOUT(client->isSessionReady(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(bob.roomUsers().contains(QStringLiteral("alice")), Timeout);
        auto *page = openPage<IdentityPage>(*app, QStringLiteral("identityPage"));
        QVERIFY(page);
        QCOMPARE(page->name()->text(), QStringLiteral("alice"));
        QVERIFY(page->accountNote()->isHidden());

        // Renamed: what she says next reaches Bob under the new name, and it is the one Natter
        // connects with from now on. (The protocol tells the room of no rename: Bob's roster
        // learns it when she joins again.)
        type(page->name(), QStringLiteral("alicia"));
        QVERIFY(app->window()->preferencesDialog()->isVisible()); // Return renamed, it did not close
        QTRY_COMPARE_WITH_TIMEOUT(page->status()->text(), QStringLiteral("Your name is now alicia."),
                                  Timeout);
        QCOMPARE(client->username(), QStringLiteral("alicia"));
        QList<Protocol::ChatMessage> bobGot;
        connect(&bob, &ChatClient::messageReceived, this,
                [&bobGot](const Protocol::ChatMessage &m) { bobGot.append(m); });
        QVERIFY(!client->sendMessage(QStringLiteral("new name, same me")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(bobGot.size(), 1, Timeout);
        QCOMPARE(bobGot.at(0).user, QStringLiteral("alicia"));
        QCOMPARE(bobGot.at(0).text, QStringLiteral("new name, same me"));
        QCOMPARE(AppSettings().connection().username, QStringLiteral("alicia"));
        QCOMPARE(AppSettings().connection().room, General);

        // Bob's name is his while he is connected: the server's refusal shows, the old name stays.
        type(page->name(), QStringLiteral("bob"));
        QTRY_VERIFY_WITH_TIMEOUT(page->status()->text().startsWith(QStringLiteral("Not renamed")), Timeout);
        QVERIFY2(page->status()->text().contains(QStringLiteral("in use by someone else")),
                 qPrintable(page->status()->text()));
        QCOMPARE(page->name()->text(), QStringLiteral("alicia"));
        QCOMPARE(client->username(), QStringLiteral("alicia"));
        QVERIFY(settleClient(*client));
        QCOMPARE(AppSettings().connection().username, QStringLiteral("alicia"));
        QVERIFY(settleClient(bob));
        QCOMPARE(bob.username(), QStringLiteral("bob"));
        QVERIFY(page->renameButton()->isEnabled());

        // A name the protocol does not allow is refused before it goes out.
        type(page->name(), QString(40, QLatin1Char('x')));
        QVERIFY(page->status()->text().startsWith(QStringLiteral("Not renamed")));
        QCOMPARE(page->name()->text(), QStringLiteral("alicia"));
        QCOMPARE(AppSettings().connection().username, QStringLiteral("alicia"));

        // Whatever else goes wrong while a rename waits for its answer is not that answer.
        type(page->name(), QStringLiteral("ali"));
        QCOMPARE(page->status()->text(), QStringLiteral("Renaming…"));
        QSignalSpy refused(client, &ChatClient::requestRefused);
        client->leaveRoom();
        client->leaveRoom(); // refused at once: not in a room
        QCOMPARE(refused.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(page->status()->text(), QStringLiteral("Your name is now ali."), Timeout);
        QCOMPARE(AppSettings().connection().username, QStringLiteral("ali"));

        // Renamed while offline: the client takes it now, the server judges it on connecting.
        client->disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), ChatClient::State::Disconnected, Timeout);
        type(page->name(), QStringLiteral("alice"));
        QCOMPARE(page->status()->text(), QStringLiteral("Natter asks for the name alice when it connects."));
        QCOMPARE(AppSettings().connection().username, QStringLiteral("alice"));
        QVERIFY(page->renameButton()->isEnabled());
    }

    void serversPageAddsEditsAndRemovesAtOnce()
    {
        {
            AppSettings saved;
            saved.setConnection(remoteServer(QStringLiteral("ws://first.example:8080")));
        }
        AppSettings settings;
        ServersPage page(&settings);
        QCOMPARE(page.list()->count(), 1);
        QVERIFY(page.list()->item(0)->text().startsWith(QStringLiteral("first.example:8080\n")));
        QVERIFY(page.list()->item(0)->toolTip().contains(QStringLiteral("ws://first.example:8080")));
        QVERIFY(page.list()->item(0)->toolTip().contains(QStringLiteral("alice")));
        // Nothing chosen: nothing to edit or remove.
        QVERIFY(!page.editButton()->isEnabled());
        QVERIFY(!page.removeButton()->isEnabled());

        QList<ConnectionChoice> asked; // what the dialog started from
        std::optional<ConnectionChoice> answer;
        page.setAsker([&](const ConnectionChoice &initial) {
            asked.append(initial);
            return answer;
        });
        QSignalSpy added(&page, &ServersPage::serverAdded);
        QSignalSpy changed(&page, &ServersPage::serverChanged);
        QSignalSpy removed(&page, &ServersPage::serverRemoved);

        // Add…, cancelled: nothing changes.
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.at(0).username, QStringLiteral("alice")); // the same person, most likely
        QCOMPARE(page.list()->count(), 1);
        QCOMPARE(added.size(), 0);

        // Add… "This computer", then a second server.
        answer = hostedServer();
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        answer = remoteServer(QStringLiteral("wss://second.example/chat"), QStringLiteral("al"));
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        QCOMPARE(added.size(), 2);
        QVERIFY(added.at(0).at(0).value<ConnectionChoice>().hostLocally);
        QCOMPARE(added.at(1).at(0).value<ConnectionChoice>().url,
                 QUrl(QStringLiteral("wss://second.example/chat")));
        QCOMPARE(page.list()->count(), 3);
        QVERIFY(page.list()->item(1)->text().startsWith(QStringLiteral("This computer\n")));
        QVERIFY(page.list()->item(2)->text().startsWith(QStringLiteral("second.example/chat\n")));
        QCOMPARE(page.list()->currentRow(), 2); // the new one
        QCOMPARE(urlsOf(AppSettings().servers()),
                 (QStringList{QStringLiteral("ws://first.example:8080"), QStringLiteral("here"),
                              QStringLiteral("wss://second.example/chat")}));
        QVERIFY(page.problem()->isHidden());

        // A server in the list already, spelt differently, and a second "This computer": refused.
        answer = remoteServer(QStringLiteral("ws://FIRST.example:8080/"));
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        QVERIFY(page.problem()->isVisibleTo(&page));
        QCOMPARE(page.problem()->text(), QStringLiteral("first.example:8080 is in the list already."));
        answer = hostedServer();
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        QVERIFY(page.problem()->text().contains(QStringLiteral("one server on this computer")));
        QCOMPARE(added.size(), 2);
        QCOMPARE(AppSettings().servers().size(), 3);

        // Edit… the second server: the dialog starts from it, the change is saved and announced.
        page.list()->setCurrentRow(2);
        QVERIFY(page.editButton()->isEnabled());
        answer = remoteServer(QStringLiteral("wss://second.example:8443/chat"), QStringLiteral("alf"));
        QTest::mouseClick(page.editButton(), Qt::LeftButton);
        QCOMPARE(asked.last().url, QUrl(QStringLiteral("wss://second.example/chat")));
        QCOMPARE(asked.last().username, QStringLiteral("al"));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toInt(), 2);
        QCOMPARE(changed.at(0).at(1).value<ConnectionChoice>().username, QStringLiteral("alf"));
        QVERIFY(page.problem()->isHidden());
        QVERIFY(page.list()->item(2)->text().startsWith(QStringLiteral("second.example:8443/chat\n")));
        QCOMPARE(AppSettings().servers().at(2).username, QStringLiteral("alf"));
        // Edited into another server of the list: refused; kept as it is, it is no duplicate of itself.
        answer = hostedServer();
        QTest::mouseClick(page.editButton(), Qt::LeftButton);
        QVERIFY(page.problem()->isVisibleTo(&page));
        QCOMPARE(changed.size(), 1);
        answer = asked.last();
        QTest::mouseClick(page.editButton(), Qt::LeftButton);
        QCOMPARE(changed.size(), 2);
        QVERIFY(page.problem()->isHidden());

        // Editing the first server changes the primary connection too.
        page.list()->setCurrentRow(0);
        answer = remoteServer(QStringLiteral("ws://first.example:9090"), QStringLiteral("alice2"));
        QTest::mouseClick(page.editButton(), Qt::LeftButton);
        QCOMPARE(changed.last().at(0).toInt(), 0);
        QCOMPARE(AppSettings().connection().url, QUrl(QStringLiteral("ws://first.example:9090")));
        QCOMPARE(AppSettings().connection().username, QStringLiteral("alice2"));

        // Remove, without asking: the next server becomes the first and the primary connection.
        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(0).toInt(), 0);
        QCOMPARE(page.list()->count(), 2);
        QCOMPARE(urlsOf(AppSettings().servers()),
                 (QStringList{QStringLiteral("here"), QStringLiteral("wss://second.example:8443/chat")}));
        QVERIFY(AppSettings().connection().hostLocally);
        QCOMPARE(page.list()->currentRow(), 0);
        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        QCOMPARE(removed.size(), 3);
        QCOMPARE(page.list()->count(), 0);
        QVERIFY(!page.removeButton()->isEnabled());
        QVERIFY(!page.editButton()->isEnabled());
        QVERIFY(AppSettings().servers().isEmpty());
        // A new page (the next run) shows what was saved.
        QCOMPARE(ServersPage(&settings).list()->count(), 0);
    }

    void serversPageWorksFromTheKeyboard()
    {
        AppSettings settings;
        settings.setServers({remoteServer(QStringLiteral("ws://a.example:1")), hostedServer()});
        ServersPage page(&settings);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.list()->setFocus();
        QTRY_VERIFY(page.list()->hasFocus());
        QTest::keyClick(page.list(), Qt::Key_Home); // chooses the first server
        QCOMPARE(page.list()->currentRow(), 0);
        QVERIFY(page.removeButton()->isEnabled());
        QTest::keyClick(page.list(), Qt::Key_Tab);
        QVERIFY(page.addButton()->hasFocus());
        QTest::keyClick(page.addButton(), Qt::Key_Tab);
        QVERIFY(page.editButton()->hasFocus());
        QTest::keyClick(page.editButton(), Qt::Key_Tab);
        QVERIFY(page.removeButton()->hasFocus());
        QTest::keyClick(page.removeButton(), Qt::Key_Backtab);
        QVERIFY(page.editButton()->hasFocus());

        // Space on Edit… edits the chosen server, Return on a server too.
        int asks = 0;
        page.setAsker([&asks](const ConnectionChoice &initial) {
            ++asks;
            return std::optional<ConnectionChoice>(initial);
        });
        QSignalSpy changed(&page, &ServersPage::serverChanged);
        QTest::keyClick(page.editButton(), Qt::Key_Space);
        QCOMPARE(changed.size(), 1);
        page.list()->setFocus();
        QTest::keyClick(page.list(), Qt::Key_Down);
        QTest::keyClick(page.list(), Qt::Key_Return);
        QCOMPARE(asks, 2);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(1).at(0).toInt(), 1);
    }

    void accountsServerNameIsTheAccount()
    {
        QTemporaryDir data;
        AccountsServer server;
        QVERIFY(server.start(data.path()));
        QVERIFY(server.addUser(QStringLiteral("carol"), QStringLiteral("secret")));
        ChatClient client(fastClientSettings(m_dir, QStringLiteral("carol")));
        AppSettings settings;
        IdentityPage page(&settings, &client);
        QVERIFY(!page.name()->isReadOnly()); // not connected: nothing says accounts yet
        client.connectToServer(server.url(), QStringLiteral("carol"), General);
        client.logIn(QStringLiteral("carol"), QStringLiteral("secret"));
        QTRY_VERIFY_WITH_TIMEOUT(client.isSessionReady(), Timeout);
        QVERIFY(client.isAccountsServer());
        QCOMPARE(page.name()->text(), QStringLiteral("carol"));
        QVERIFY(page.name()->isReadOnly());
        QVERIFY(page.renameButton()->isHidden());
        QVERIFY(!page.accountNote()->isHidden());
        QVERIFY(page.accountNote()->text().contains(QStringLiteral("your name is your account, carol")));
    }
};

QTEST_MAIN(TestPreferences)
#include "tst_preferences.moc"

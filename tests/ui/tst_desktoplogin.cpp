// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's login against an in-process accounts server: the app as AppLauncher puts it
// together, its tokens in a temporary directory, and a session bus that leads nowhere, so that no
// keyring service on this machine is ever asked.
#include "accountsserver.h"
#include "applauncher.h"
#include "appsettings.h"
#include "apptranslations.h"
#include "chatclient.h"
#include "clientfixture.h"
#include "connectionstatus.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFrame>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using Problem = ChatClient::LoginProblem;

namespace {
constexpr int Timeout = 10000;
const QString Name = QStringLiteral("ana");
const QString Password = QStringLiteral("correct horse");

template<typename T>
T *part(QWidget *parent, const char *name)
{
    return parent ? parent->findChild<T *>(QLatin1String(name)) : nullptr;
}
} // namespace

class TestDesktopLogin : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    AppTranslations m_translations;
    int m_runs = 0;
    QString m_tokens;
    std::unique_ptr<AccountsServer> m_server;
    std::unique_ptr<AppLauncher> m_app;

    // Starts the app as the user left it: a server, a name, and the tokens in m_tokens.
    void startApp()
    {
        m_app = std::make_unique<AppLauncher>();
        m_app->tokenStore()->setDirectory(m_tokens);
        ConnectionChoice choice;
        choice.hostLocally = false;
        choice.url = m_server->url();
        choice.username = Name;
        choice.room = QStringLiteral("general");
        m_app->start(choice);
    }

    LoginDialog *dialog() const { return m_app->window()->loginDialog(); }

    QString tokenFile() const
    {
        return m_app->tokenStore()->filePath(TokenStore::key(m_server->url(), Name));
    }

    // Types `password` into the open login dialog and presses its "Log in".
    bool typePassword(const QString &password)
    {
        auto *field = part<QLineEdit>(dialog(), "password");
        auto *login = part<QPushButton>(dialog(), "login");
        if (!field || !login || !dialog()->isVisible())
            return false;
        QTest::keyClicks(field, password);
        if (!login->isEnabled())
            return false;
        login->click();
        return true;
    }

    // The first start: the dialog asks, the password gets in.
    bool firstLogIn()
    {
        startApp();
        if (!QTest::qWaitFor([this] { return dialog() && dialog()->isVisible(); }, Timeout))
            return false;
        return typePassword(Password) &&
               QTest::qWaitFor([this] { return m_app->client()->isSessionReady() && !dialog(); }, Timeout);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        UiTest::isolateSettings(QStringLiteral("tst_desktoplogin"));
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
    }
    void init()
    {
        ++m_runs;
        m_tokens = m_dir.filePath(QStringLiteral("tokens%1").arg(m_runs));
        QSettings().clear();
        AppSettings().setTokenPolicy(TokenStore::Policy::File); // as if chosen on an earlier run
        m_server = std::make_unique<AccountsServer>();
        QVERIFY(m_server->start(m_dir.filePath(QStringLiteral("data%1").arg(m_runs))));
        QVERIFY(m_server->addUser(Name, Password));
    }
    void cleanup()
    {
        m_app.reset();
        m_server.reset();
    }

    void firstStartAsksAndStoresTheToken()
    {
        startApp();
        QTRY_VERIFY_WITH_TIMEOUT(dialog() && dialog()->isVisible(), Timeout);
        QCOMPARE(dialog()->userName(), Name);
        QVERIFY(dialog()->errorText().isEmpty()); // nothing went wrong: it only asks
        QCOMPARE(dialog()->focusWidget(), part<QLineEdit>(dialog(), "password"));
        QVERIFY(part<QPushButton>(dialog(), "createAccount")->isVisible()); // registration is open
        QVERIFY(m_app->window()->connectionStatus()->text().startsWith(QStringLiteral("Not logged in")));

        QVERIFY(typePassword(Password));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->isSessionReady(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog(), Timeout);
        QCOMPARE(m_app->client()->joinedRoom(), QStringLiteral("general"));
        QVERIFY(QFile::exists(tokenFile()));
        // 0600: the "User" bits only repeat the owner's for the file's owner.
        QCOMPARE(QFile::permissions(tokenFile()) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        QFile file(tokenFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains(m_app->client()->token().toUtf8()));
        QVERIFY(m_app->window()->findChild<QAction *>(QStringLiteral("logOutAction"))->isEnabled());
    }

    void aRestartLogsInWithoutAsking()
    {
        QVERIFY(firstLogIn());
        const int derivations = m_server->derivations();
        m_app.reset();

        startApp();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->isSessionReady(), Timeout);
        QCOMPARE(m_app->client()->account(), Name);
        QVERIFY(!dialog());
        QCOMPARE(m_server->derivations(), derivations); // the token did it, not a password
        QVERIFY(m_app->window()->connectionStatus()->text().startsWith(QStringLiteral("Connected")));
    }

    void logOutRevokesAndForgets()
    {
        QVERIFY(firstLogIn());
        const QString token = m_app->client()->token();
        QVERIFY(!token.isEmpty());
        auto *logOut = m_app->window()->findChild<QAction *>(QStringLiteral("logOutAction"));
        QVERIFY(logOut && logOut->isEnabled());
        logOut->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(tokenFile()), Timeout);
        // The way back in is there at once.
        QTRY_VERIFY_WITH_TIMEOUT(dialog() && dialog()->isVisible(), Timeout);
        QVERIFY(!logOut->isEnabled());

        ChatClient old(fastClientSettings(m_dir));
        old.setToken(m_server->url(), token);
        QSignalSpy refused(&old, &ChatClient::loginRequired);
        old.connectToServer(m_server->url(), Name, QStringLiteral("general"));
        QVERIFY(refused.wait(Timeout));
        QCOMPARE(refused.constFirst().at(0).value<Problem>(), Problem::TokenRejected);
    }

    void anEndedSessionSaysSoAndAsksForTheNewPassword()
    {
        QVERIFY(firstLogIn());
        QVERIFY(m_server->setPassword(Name, QStringLiteral("new horse")));
        QTRY_VERIFY_WITH_TIMEOUT(dialog() && dialog()->isVisible(), Timeout);
        QCOMPARE(dialog()->errorText(), QStringLiteral("Your session ended; log in again."));
        QCOMPARE(dialog()->focusWidget(), part<QLineEdit>(dialog(), "password"));
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(tokenFile()), Timeout); // revoked: worth nothing

        QVERIFY(typePassword(QStringLiteral("new horse")));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->isSessionReady(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(tokenFile()), Timeout);
    }

    void aWrongPasswordKeepsTheDialogForAnotherTry()
    {
        startApp();
        QTRY_VERIFY_WITH_TIMEOUT(dialog() && dialog()->isVisible(), Timeout);
        QVERIFY(typePassword(QStringLiteral("wrong")));
        QTRY_COMPARE_WITH_TIMEOUT(dialog()->errorText(), QStringLiteral("The name or password is not right."),
                                  Timeout);
        QVERIFY(dialog()->isVisible());
        auto *password = part<QLineEdit>(dialog(), "password");
        QCOMPARE(dialog()->focusWidget(), password);
        QCOMPARE(password->selectedText(), QStringLiteral("wrong")); // typing replaces it
        QVERIFY(!QFile::exists(tokenFile()));

        QVERIFY(typePassword(Password));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->isSessionReady(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog(), Timeout);
        QVERIFY(QFile::exists(tokenFile()));
    }

    void cancelLeavesTheLogInButton()
    {
        startApp();
        QTRY_VERIFY_WITH_TIMEOUT(dialog() && dialog()->isVisible(), Timeout);
        dialog()->reject();
        QTRY_VERIFY(!dialog());
        ConnectionStatus *status = m_app->window()->connectionStatus();
        QVERIFY(status->text().startsWith(QStringLiteral("Not logged in")));
        QCOMPARE(m_app->client()->state(), ChatClient::State::LoginRequired);
        QPushButton *button = status->retryButton();
        QVERIFY(button->isVisible());
        QCOMPARE(button->text(), QStringLiteral("Log in"));
        button->click();
        QVERIFY(dialog() && dialog()->isVisible());
        QVERIFY(typePassword(Password));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->isSessionReady(), Timeout);
    }

    void withoutAKeyringTheFileIsOfferedAndUsed()
    {
        AppSettings().setTokenPolicy(TokenStore::Policy::Keyring); // the default
        startApp();
        QTRY_VERIFY_WITH_TIMEOUT(dialog() && dialog()->isVisible(), Timeout);
        auto *storage = part<QFrame>(dialog(), "storageChoice");
        QVERIFY(storage->isVisible()); // the keyring's absence is known from the load already

        // Logging in first: the dialog stays until the user says where the token goes.
        QVERIFY(typePassword(Password));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->isSessionReady(), Timeout);
        // The flow says "logged in" once it has dealt with the token, which may come after the
        // session is ready: then the password is gone from the dialog.
        QTRY_VERIFY_WITH_TIMEOUT(part<QLineEdit>(dialog(), "password")->text().isEmpty(), Timeout);
        QVERIFY(dialog() && dialog()->isVisible());
        QVERIFY(storage->isVisible());
        QVERIFY(!QFile::exists(tokenFile()));

        part<QPushButton>(dialog(), "keepInFile")->click();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(tokenFile()), Timeout);
        QTRY_VERIFY(!dialog());
        QCOMPARE(AppSettings().tokenPolicy(), TokenStore::Policy::File);
        QCOMPARE(m_app->tokenStore()->policy(), TokenStore::Policy::File);
    }
};

int main(int argc, char **argv)
{
    // No keyring service, whatever runs on this machine: a session bus address that leads nowhere.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/natter-test/no-session-bus");
    QApplication app(argc, argv);
    TestDesktopLogin test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_desktoplogin.moc"

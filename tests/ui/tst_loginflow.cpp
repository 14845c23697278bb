// SPDX-License-Identifier: GPL-3.0-or-later
// LoginFlow against an in-process accounts server, with the token store's file in a temporary
// directory (D-Bus leads nowhere, so the keyring is missing whatever runs on this machine).
#include "accountsserver.h"
#include "clientfixture.h"
#include "loginflow.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using Problem = ChatClient::LoginProblem;

namespace {
constexpr int Timeout = 10000;
const QString Name = QStringLiteral("ana");
const QString Password = QStringLiteral("correct horse");
} // namespace

class TestLoginFlow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_runs = 0;
    QString m_tokens;
    std::unique_ptr<AccountsServer> m_server;

    // One run of the app: a client, its token store and the flow between them.
    struct Run
    {
        std::unique_ptr<ChatClient> client;
        std::unique_ptr<TokenStore> store;
        std::unique_ptr<LoginFlow> flow;
    };

    Run run(TokenStore::Policy policy = TokenStore::Policy::File)
    {
        Run r;
        r.client = std::make_unique<ChatClient>(fastClientSettings(m_dir));
        r.store = std::make_unique<TokenStore>(policy);
        r.store->setDirectory(m_tokens);
        r.flow = std::make_unique<LoginFlow>(r.client.get(), r.store.get());
        return r;
    }

    static void stop(Run &r)
    {
        r.flow.reset(); // it listens to the other two
        r.store.reset();
        r.client.reset();
    }

    // Connects `r` and logs in through the flow; true once the token is stored.
    bool logIn(Run &r)
    {
        QSignalSpy needed(r.flow.get(), &LoginFlow::loginNeeded);
        QSignalSpy loggedIn(r.flow.get(), &LoginFlow::loggedIn);
        r.flow->connectToServer(m_server->url(), Name, QStringLiteral("general"));
        if (!needed.wait(Timeout) || needed.constLast().at(0).value<Problem>() != Problem::NoCredentials)
            return false;
        r.flow->logIn(Name, Password, false);
        return loggedIn.wait(Timeout) && loggedIn.constLast().at(0).toString() == Name;
    }

    QString tokenFile() const
    {
        TokenStore paths;
        paths.setDirectory(m_tokens);
        return paths.filePath(TokenStore::key(m_server->url(), Name));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
    }
    void init()
    {
        ++m_runs;
        m_tokens = m_dir.filePath(QStringLiteral("tokens%1").arg(m_runs));
        m_server = std::make_unique<AccountsServer>();
        QVERIFY(m_server->start(m_dir.filePath(QStringLiteral("data%1").arg(m_runs))));
        QVERIFY(m_server->addUser(Name, Password));
    }
    void cleanup() { m_server.reset(); }

    void theTokenIsStoredAndTheNextRunResumesWithIt()
    {
        Run first = run();
        QSignalSpy canLogOut(first.flow.get(), &LoginFlow::canLogOutChanged);
        QVERIFY(!first.flow->canLogOut());
        QVERIFY(logIn(first));
        QVERIFY(first.flow->registrationAllowed());
        QVERIFY(QFile::exists(tokenFile()));
        // 0600: the "User" bits only repeat the owner's for the file's owner.
        QCOMPARE(QFile::permissions(tokenFile()) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        QTRY_VERIFY_WITH_TIMEOUT(first.client->isSessionReady(), Timeout);
        QVERIFY(first.flow->canLogOut());
        QCOMPARE(canLogOut.constLast().at(0).toBool(), true);
        const int derivations = m_server->derivations();
        const QString token = first.client->token();
        stop(first);

        Run second = run();
        QSignalSpy needed(second.flow.get(), &LoginFlow::loginNeeded);
        QSignalSpy saved(second.store.get(), &TokenStore::saved);
        second.flow->connectToServer(m_server->url(), Name, QStringLiteral("general"));
        QTRY_VERIFY_WITH_TIMEOUT(second.client->isSessionReady(), Timeout);
        QCOMPARE(second.client->account(), Name);
        QCOMPARE(second.client->token(), token);
        QCOMPARE(m_server->derivations(), derivations); // no password was checked
        QCOMPARE(needed.count(), 0);
        QCOMPARE(saved.count(), 0); // the same token: nothing to write again
    }

    void logOutRevokesForgetsAndAsksAgain()
    {
        Run r = run();
        QVERIFY(logIn(r));
        QTRY_VERIFY_WITH_TIMEOUT(r.flow->canLogOut(), Timeout);
        const QString token = r.client->token();
        QSignalSpy removed(r.store.get(), &TokenStore::removed);
        QSignalSpy needed(r.flow.get(), &LoginFlow::loginNeeded);
        r.flow->logOut();
        QVERIFY(removed.wait(Timeout));
        QVERIFY(!QFile::exists(tokenFile()));
        // The way back in is the server's question again.
        QTRY_COMPARE_WITH_TIMEOUT(needed.count(), 1, Timeout);
        QCOMPARE(needed.constFirst().at(0).value<Problem>(), Problem::NoCredentials);
        QVERIFY(!r.flow->canLogOut());

        // The server no longer takes the old token.
        ChatClient old(fastClientSettings(m_dir));
        old.setToken(m_server->url(), token);
        QSignalSpy refused(&old, &ChatClient::loginRequired);
        old.connectToServer(m_server->url(), Name, QStringLiteral("general"));
        QVERIFY(refused.wait(Timeout));
        QCOMPARE(refused.constFirst().at(0).value<Problem>(), Problem::TokenRejected);
    }

    void aRejectedStoredTokenIsRemoved()
    {
        Run r = run();
        QSignalSpy saved(r.store.get(), &TokenStore::saved);
        r.store->save(TokenStore::key(m_server->url(), Name), QString(43, u'q'));
        QVERIFY(saved.wait(Timeout));
        QVERIFY(QFile::exists(tokenFile()));
        QSignalSpy needed(r.flow.get(), &LoginFlow::loginNeeded);
        QSignalSpy removed(r.store.get(), &TokenStore::removed);
        r.flow->connectToServer(m_server->url(), Name, QStringLiteral("general"));
        QVERIFY(needed.wait(Timeout));
        QCOMPARE(needed.constFirst().at(0).value<Problem>(), Problem::TokenRejected);
        QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, Timeout);
        QVERIFY(!QFile::exists(tokenFile()));

        // A wrong password is the user's to retype: the flow passes it on and stores nothing.
        r.flow->logIn(Name, QStringLiteral("wrong"), false);
        QVERIFY(needed.wait(Timeout));
        QCOMPARE(needed.constLast().at(0).value<Problem>(), Problem::WrongCredentials);
        QVERIFY(!QFile::exists(tokenFile()));
    }

    void withoutAKeyringTheUserChoosesAndNothingIsLost()
    {
        Run r = run(TokenStore::Policy::Keyring);
        QSignalSpy needed(r.flow.get(), &LoginFlow::loginNeeded);
        r.flow->connectToServer(m_server->url(), Name, QStringLiteral("general"));
        QVERIFY(needed.wait(Timeout));
        // Known from the failed load already, so the window can ask before the login.
        QVERIFY(!r.flow->storageProblem().isEmpty());

        QSignalSpy choice(r.flow.get(), &LoginFlow::storageChoiceNeeded);
        QSignalSpy loggedIn(r.flow.get(), &LoginFlow::loggedIn);
        r.flow->logIn(Name, Password, false);
        QVERIFY(loggedIn.wait(Timeout));
        QCOMPARE(choice.count(), 1); // before loggedIn, so a dialog stays open to ask
        QVERIFY(!QFile::exists(tokenFile()));

        QSignalSpy saved(r.store.get(), &TokenStore::saved);
        r.flow->setStoragePolicy(TokenStore::Policy::File);
        QVERIFY(saved.wait(Timeout));
        QVERIFY(r.flow->storageProblem().isEmpty());
        QVERIFY(QFile::exists(tokenFile()));
        QCOMPARE(loggedIn.count(), 1);
    }

    void aLoginTheClientRefusesComesBackAtOnce()
    {
        Run r = run();
        QSignalSpy needed(r.flow.get(), &LoginFlow::loginNeeded);
        r.flow->connectToServer(m_server->url(), Name, QStringLiteral("general"));
        QVERIFY(needed.wait(Timeout));
        QSignalSpy interrupted(r.flow.get(), &LoginFlow::loginInterrupted);
        r.flow->logIn(Name, QString(), false); // no password
        QCOMPARE(interrupted.count(), 1);
    }
};

int main(int argc, char **argv)
{
    // No keyring service, whatever runs on this machine: a session bus address that leads nowhere.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/natter-test/no-session-bus");
    qunsetenv("DISPLAY");
    QCoreApplication app(argc, argv);
    TestLoginFlow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_loginflow.moc"

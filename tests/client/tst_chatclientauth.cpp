// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountsserver.h"
#include "chatclient.h"
#include "clientfixture.h"
#include "fakeserver.h"
#include "serverfixture.h"
#include "userstore.h"
#include "wsprobe.h"

#include <QTemporaryDir>
#include <QtTest>

using State = ChatClient::State;
using Problem = ChatClient::LoginProblem;

namespace {
constexpr int Timeout = 10000;

QList<State> states(const QSignalSpy &spy)
{
    QList<State> out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).value<State>());
    return out;
}

Problem problemOf(const QSignalSpy &loginRequired)
{
    return loginRequired.constLast().at(0).value<Problem>();
}
} // namespace

// ChatClient's login step (PROTOCOL.md 2, *Identity*) against an in-process accounts-mode
// server with its user database in a temporary directory: Connecting → Authenticating →
// Connected, the token resumed on every reconnect, and LoginRequired (no reconnect loop)
// whenever only the user can help.
class TestChatClientAuth : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_data;
    int m_dirs = 0;
    std::unique_ptr<AccountsServer> m_server;

    bool startServer(bool authAtHandshake = false) { return m_server->start(m_data, authAtHandshake); }

    bool addUser(const QString &name, const QString &password) { return m_server->addUser(name, password); }

    // Logs `client` in with a password and waits for the session in "general".
    bool logIn(ChatClient &client, const QString &name, const QString &password, bool create = false)
    {
        QSignalSpy restored(&client, &ChatClient::sessionRestored);
        if (client.url().isEmpty())
            client.connectToServer(m_server->url(), name, QStringLiteral("general"));
        client.logIn(name, password, create);
        return restored.wait(Timeout) || restored.count() > 0;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
    }
    void init()
    {
        m_data = m_dir.filePath(QStringLiteral("data%1").arg(++m_dirs));
        m_server = std::make_unique<AccountsServer>();
        QVERIFY(startServer());
    }
    void cleanup() { m_server.reset(); }

    void withoutCredentialsItAsksInsteadOfRetrying()
    {
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        client.connectToServer(m_server->url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::NoCredentials);
        QCOMPARE(states(stateSpy),
                 (QList<State>{State::Connecting, State::Authenticating, State::LoginRequired}));
        // Waiting for the user: no retry is scheduled.
        QCOMPARE(client.state(), State::LoginRequired);
        QCOMPARE(client.nextAttemptIn(), -1);
    }

    void firstLoginCreatesTheAccountAndTheSessionFollows()
    {
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy authenticated(&client, &ChatClient::authenticated);
        client.connectToServer(m_server->url(), QStringLiteral("Ana"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::LoginRequired, Timeout);
        QVERIFY(logIn(client, QStringLiteral("Ana"), QStringLiteral("correct horse"), true));
        QCOMPARE(authenticated.count(), 1);
        QCOMPARE(authenticated.at(0).at(0).toString(), QStringLiteral("Ana"));
        const QString token = authenticated.at(0).at(1).toString();
        QCOMPARE(token.size(), 43); // 256 bits of base64url
        QVERIFY(authenticated.at(0).at(2).toLongLong() > Protocol::nowMs());
        QCOMPARE(client.token(), token);
        QCOMPARE(client.account(), QStringLiteral("Ana"));
        QCOMPARE(states(stateSpy).mid(3),
                 (QList<State>{State::Connecting, State::Authenticating, State::Connected}));

        // The session is a real one: another account sees the chat, from "Ana".
        QVERIFY(addUser(QStringLiteral("bob"), QStringLiteral("hunter2 hunter2")));
        ChatClient bob(fastClientSettings(m_dir));
        QVERIFY(logIn(bob, QStringLiteral("bob"), QStringLiteral("hunter2 hunter2")));
        QSignalSpy received(&bob, &ChatClient::messageReceived);
        client.sendMessage(QStringLiteral("hello bob"));
        QVERIFY(received.wait(Timeout));
        const auto message = received.constFirst().at(0).value<Protocol::ChatMessage>();
        QCOMPARE(message.user, QStringLiteral("Ana"));
        QCOMPARE(message.text, QStringLiteral("hello bob"));
    }

    void reconnectsResumeWithTheTokenWithoutAPassword()
    {
        QVERIFY(addUser(QStringLiteral("ana"), QStringLiteral("correct horse")));
        ChatClient client(fastClientSettings(m_dir));
        QVERIFY(logIn(client, QStringLiteral("ana"), QStringLiteral("correct horse")));
        const int derivations = m_server->derivations();
        const QString token = client.token();

        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy authenticated(&client, &ChatClient::authenticated);
        QSignalSpy restored(&client, &ChatClient::sessionRestored);
        client.reconnectNow();
        QVERIFY(restored.wait(Timeout));
        // The token in the upgrade logged it in: no `auth`, no password check.
        QCOMPARE(states(stateSpy), (QList<State>{State::Connecting, State::Connected}));
        QCOMPARE(authenticated.count(), 1);
        QCOMPARE(authenticated.at(0).at(1).toString(), token);
        QCOMPARE(m_server->derivations(), derivations);

        // A new client with the stored token (the app restarted) does the same.
        ChatClient again(fastClientSettings(m_dir));
        again.setToken(m_server->url(), token);
        QVERIFY(connectAndJoin(again, m_server->url(), QStringLiteral("ana")));
        QCOMPARE(again.account(), QStringLiteral("ana"));
        QCOMPARE(m_server->derivations(), derivations);
    }

    void aTokenIsNeverShownToAnotherServer()
    {
        ChatClient client(fastClientSettings(m_dir));
        client.setToken(QUrl(QStringLiteral("ws://elsewhere.example:9000")), QString(43, u'q'));
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        client.connectToServer(m_server->url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        // Nothing was presented, so nothing was rejected: this server simply wants a login.
        QCOMPARE(problemOf(loginRequired), Problem::NoCredentials);
        QVERIFY(client.token().isEmpty());
    }

    void aWrongPasswordIsAStateNotAReconnectStorm()
    {
        QVERIFY(addUser(QStringLiteral("ana"), QStringLiteral("correct horse")));
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        client.connectToServer(m_server->url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        client.logIn(QStringLiteral("ana"), QStringLiteral("wrong"));
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::WrongCredentials);
        QCOMPARE(client.state(), State::LoginRequired);
        QCOMPARE(client.nextAttemptIn(), -1);
        // The password was tried once: one derivation for it, one connection after the first.
        QCOMPARE(states(stateSpy).count(State::Authenticating), 2);
        QCOMPARE(m_server->derivations(), 1);

        // An unknown user gets the same answer.
        client.logIn(QStringLiteral("nobody"), QStringLiteral("wrong"));
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::WrongCredentials);
        QCOMPARE(loginRequired.constLast().at(1).toString(), loginRequired.at(1).at(1).toString());

        // Then the right one.
        QVERIFY(logIn(client, QStringLiteral("ana"), QStringLiteral("correct horse")));
        QCOMPARE(client.state(), State::Connected);
    }

    void afterFailuresTheServerSaysWhenToTryAgain()
    {
        QVERIFY(addUser(QStringLiteral("ana"), QStringLiteral("correct horse")));
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        client.connectToServer(m_server->url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        // The throttle's clock stands still, so each failure's delay is still running at the next.
        for (int i = 0; i < 8 && problemOf(loginRequired) != Problem::RetryLater; ++i) {
            client.logIn(QStringLiteral("ana"), QStringLiteral("wrong"));
            QVERIFY(loginRequired.wait(Timeout));
        }
        QCOMPARE(problemOf(loginRequired), Problem::RetryLater);
        const qint64 retryAfter = loginRequired.constLast().at(2).toLongLong();
        QVERIFY(retryAfter > 0);
        QVERIFY2(loginRequired.constLast().at(1).toString().contains(QStringLiteral("try again")),
                 qPrintable(loginRequired.constLast().at(1).toString()));
        // Once the wait is over the right password gets in.
        m_server->throttleNow += retryAfter;
        QVERIFY(logIn(client, QStringLiteral("ana"), QStringLiteral("correct horse")));
    }

    void aRejectedTokenAsksForThePasswordOnce()
    {
        ChatClient client(fastClientSettings(m_dir));
        client.setToken(m_server->url(), QString(43, u'q'));
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        client.connectToServer(m_server->url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::TokenRejected);
        QVERIFY(client.token().isEmpty());
        QCOMPARE(states(stateSpy),
                 (QList<State>{State::Connecting, State::Authenticating, State::LoginRequired}));
        // Asked again, it has nothing to present and says so: it never loops on the dead token.
        client.reconnectNow();
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::NoCredentials);
    }

    void registrationProblemsAreTold()
    {
        QVERIFY(addUser(QStringLiteral("ana"), QStringLiteral("correct horse")));
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        client.connectToServer(m_server->url(), QStringLiteral("ANA"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        client.logIn(QStringLiteral("ANA"), QStringLiteral("another horse"), true);
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::NameTaken);
    }

    void atHandshakeTheTokenGoesInTheUpgradeAndThePasswordToLogin()
    {
        QVERIFY(addUser(QStringLiteral("ana"), QStringLiteral("correct horse")));
        QVERIFY(startServer(true));
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        client.connectToServer(m_server->url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        // Refused with 401 before any WebSocket: a login is needed, not a retry.
        QCOMPARE(problemOf(loginRequired), Problem::NoCredentials);
        QCOMPARE(states(stateSpy), (QList<State>{State::Connecting, State::LoginRequired}));

        QVERIFY(logIn(client, QStringLiteral("ana"), QStringLiteral("correct horse")));
        QCOMPARE(client.account(), QStringLiteral("ana"));
        // The reconnect presents the token in the upgrade, on the normal path.
        stateSpy.clear();
        QSignalSpy restored(&client, &ChatClient::sessionRestored);
        client.reconnectNow();
        QVERIFY(restored.wait(Timeout));
        QCOMPARE(states(stateSpy), (QList<State>{State::Connecting, State::Connected}));

        // A token the server does not know is refused at the upgrade too.
        ChatClient stale(fastClientSettings(m_dir));
        stale.setToken(m_server->url(), QString(43, u'q'));
        QSignalSpy staleRequired(&stale, &ChatClient::loginRequired);
        stale.connectToServer(m_server->url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(staleRequired.wait(Timeout));
        QCOMPARE(problemOf(staleRequired), Problem::TokenRejected);
        QVERIFY(stale.token().isEmpty());
    }

    void logOutRevokesTheToken()
    {
        QVERIFY(addUser(QStringLiteral("ana"), QStringLiteral("correct horse")));
        ChatClient client(fastClientSettings(m_dir));
        QVERIFY(logIn(client, QStringLiteral("ana"), QStringLiteral("correct horse")));
        const QString token = client.token();
        QSignalSpy loggedOut(&client, &ChatClient::loggedOut);
        client.logOut();
        QVERIFY(loggedOut.wait(Timeout));
        QCOMPARE(client.state(), State::Disconnected);
        QVERIFY(client.token().isEmpty());

        // The server forgot it too: the same token is refused.
        ChatClient again(fastClientSettings(m_dir));
        again.setToken(m_server->url(), token);
        QSignalSpy loginRequired(&again, &ChatClient::loginRequired);
        again.connectToServer(m_server->url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::TokenRejected);
    }

    void aChangedPasswordEndsTheSession()
    {
        QVERIFY(addUser(QStringLiteral("ana"), QStringLiteral("correct horse")));
        ChatClient client(fastClientSettings(m_dir));
        QVERIFY(logIn(client, QStringLiteral("ana"), QStringLiteral("correct horse")));
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        QVERIFY(m_server->setPassword(QStringLiteral("ana"), QStringLiteral("new horse")));
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::SessionEnded);
        QCOMPARE(client.state(), State::LoginRequired);
        QVERIFY(client.token().isEmpty());
        QVERIFY(logIn(client, QStringLiteral("ana"), QStringLiteral("new horse")));
    }

    void anExpiredTokenEndsTheSessionItOpened()
    {
        QVERIFY(addUser(QStringLiteral("ana"), QStringLiteral("correct horse")));
        ChatClient client(fastClientSettings(m_dir));
        QVERIFY(logIn(client, QStringLiteral("ana"), QStringLiteral("correct horse")));
        QSignalSpy authenticated(&client, &ChatClient::authenticated);
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        // Nothing changes in the database: the server notices the expiry by itself.
        m_server->wallShiftMs = qint64(31) * 24 * 3600 * 1000;
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::SessionEnded);
        QVERIFY(client.token().isEmpty());
        QCOMPARE(authenticated.count(), 0);
    }

    // A hostile or broken server cannot log the client in, nor make it loop.
    void aServerCannotClaimALoginTheClientNeverMade()
    {
        FakeServer server;
        server.authMode = Protocol::AuthMode::Accounts;
        server.claimedAccount = QStringLiteral("mallory");
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy authenticated(&client, &ChatClient::authenticated);
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        client.connectToServer(server.url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::NoCredentials);
        QCOMPARE(authenticated.count(), 0);
        QVERIFY(client.account().isEmpty());
    }

    void anUnaskedAuthOkIsIgnored()
    {
        FakeServer server; // an open server
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        QVERIFY(connectAndJoin(client, server.url(), QStringLiteral("ana")));
        QSignalSpy authenticated(&client, &ChatClient::authenticated);
        QSignalSpy loggedOut(&client, &ChatClient::loggedOut);
        server.sendToAll(Protocol::AuthOk{QStringLiteral("mallory"), QString(43, u'm'), 0});
        QVERIFY(settleClient(client));
        QCOMPARE(authenticated.count(), 0);
        QVERIFY(client.token().isEmpty());
        QVERIFY(client.account().isEmpty());
        QCOMPARE(client.username(), QStringLiteral("ana"));
        QCOMPARE(client.state(), State::Connected);
        QCOMPARE(loggedOut.count(), 0);
    }

    void errorsDuringTheLoginEndInOneQuestion()
    {
        FakeServer server;
        server.authMode = Protocol::AuthMode::Accounts;
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        client.setToken(server.url(), QString(43, u'q'));
        QSignalSpy stateSpy(&client, &ChatClient::stateChanged);
        QSignalSpy loginRequired(&client, &ChatClient::loginRequired);
        QSignalSpy serverErrors(&client, &ChatClient::serverError);
        // The fake answers `auth` with nothing; the test answers with a burst of errors.
        connect(&server, &FakeServer::messageReceived, &server, [&server](const Protocol::ClientMessage &m) {
            if (!std::holds_alternative<Protocol::Auth>(m))
                return;
            for (int i = 0; i < 50; ++i)
                server.sendToAll(
                    Protocol::Error{QStringLiteral("no"), QStringLiteral("authFailed"), {}, {}, 0, {}});
        });
        client.connectToServer(server.url(), QStringLiteral("ana"), QStringLiteral("general"));
        QVERIFY(loginRequired.wait(Timeout));
        QCOMPARE(problemOf(loginRequired), Problem::TokenRejected);
        // The rest of the burst fell on a connection the client had already let go of (it left
        // in the same read): one question, one connection, no stray errors.
        QCOMPARE(server.totalConnections(), 1);
        QCOMPARE(loginRequired.count(), 1);
        QCOMPARE(serverErrors.count(), 0);
        QCOMPARE(states(stateSpy),
                 (QList<State>{State::Connecting, State::Authenticating, State::LoginRequired}));
    }
};

QTEST_GUILESS_MAIN(TestChatClientAuth)
#include "tst_chatclientauth.moc"

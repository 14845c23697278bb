// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountservice.h"
#include "chatserver.h"
#include "serverfixture.h"
#include "userstore.h"
#include "wsprobe.h"

#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace Protocol;

namespace {
constexpr const char *CheapIterations = "1000";

QString authFailedCode()
{
    return errorCodeName(ErrorCode::AuthFailed);
}
} // namespace

// Accounts mode (PROTOCOL.md 2, *Identity*): the real natter-server with a temporary data
// directory filled by `natter-server user add`, and in-process servers for the hostile cases.
class TestServerAccounts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_data;
    int m_dirs = 0;

    // A fresh data directory per test.
    void newDataDir() { m_data = m_tmp.filePath(QStringLiteral("data%1").arg(++m_dirs)); }

    int user(const QStringList &words, const QByteArray &input, bool cheap = true)
    {
        QStringList args{QStringLiteral("user")};
        args << words << QStringLiteral("--data-dir") << m_data;
        if (cheap)
            args << QStringLiteral("--iterations") << QLatin1String(CheapIterations);
        QProcess process;
        process.start(QStringLiteral(NATTER_SERVER_PATH), args);
        if (!process.waitForStarted(10000))
            return -1;
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(60000))
            return -1;
        return process.exitCode();
    }

    // Starts natter-server --accounts on m_data; returns its URL (empty on failure).
    QUrl startServer(QProcess &server, const QStringList &extra = {}, bool cheap = true)
    {
        QStringList args{
            QStringLiteral("--host"),     QStringLiteral("127.0.0.1"),      QStringLiteral("--port"),
            QStringLiteral("0"),          QStringLiteral("--data-dir"),     m_data,
            QStringLiteral("--accounts"), QStringLiteral("--heartbeat-ms"), QStringLiteral("0")};
        if (cheap)
            args << QStringLiteral("--iterations") << QLatin1String(CheapIterations);
        server.start(QStringLiteral(NATTER_SERVER_PATH), args + extra);
        if (!server.waitForStarted(10000))
            return {};
        const QRegularExpression re(QStringLiteral("^natter-server listening on (wss?://\\S+)$"));
        QByteArray out;
        (void)QTest::qWaitFor(
            [&] {
                out += server.readAllStandardOutput();
                return out.contains('\n') || server.state() == QProcess::NotRunning;
            },
            20000);
        const auto m = re.match(QString::fromUtf8(out.left(out.indexOf('\n'))).trimmed());
        return m.hasMatch() ? QUrl(m.captured(1)) : QUrl();
    }

    // `natter-server user add ana` (password "pw"), then the server: its URL, empty on a failure.
    QUrl startWithAna(QProcess &server, const QStringList &extra = {}, bool cheap = true)
    {
        if (user({QStringLiteral("add"), QStringLiteral("ana")}, "pw\n", cheap) != 0)
            return {};
        return startServer(server, extra, cheap);
    }

    static void stop(QProcess &server)
    {
        server.terminate();
        server.waitForFinished(10000);
    }

    static std::optional<QJsonObject> authAnswer(WsProbe &probe, const QString &name, const QString &password,
                                                 bool registerAccount = false)
    {
        const int errors = probe.count(QStringLiteral("error"));
        const int oks = probe.count(QStringLiteral("authOk"));
        probe.send(Auth{name, password, registerAccount, {}});
        if (!waitUntil([&] {
                return probe.count(QStringLiteral("error")) > errors ||
                       probe.count(QStringLiteral("authOk")) > oks;
            }))
            return std::nullopt;
        return probe.objects.constLast();
    }

    // The type of the answer to an auth when it is authOk, else the error's code (empty if none came).
    static QString authResult(WsProbe &probe, const QString &name, const QString &password,
                              bool registerAccount = false)
    {
        const auto answer = authAnswer(probe, name, password, registerAccount);
        if (!answer)
            return {};
        const QString type = answer->value(QLatin1String("type")).toString();
        return type == QLatin1String("error") ? answer->value(QLatin1String("code")).toString() : type;
    }

    static std::optional<QJsonObject> tokenAnswer(WsProbe &probe, const QString &token)
    {
        const int n = int(probe.objects.size());
        probe.send(Auth{{}, {}, false, token});
        if (!waitUntil([&] { return probe.objects.size() > n; }))
            return std::nullopt;
        return probe.objects.constLast();
    }

    // An in-process accounts-mode server on its own data directory.
    struct InProcess
    {
        std::unique_ptr<AccountService> accounts;
        std::unique_ptr<ChatServer> server;
        qint64 now = 0; // the throttle's clock
    };
    std::unique_ptr<InProcess>
    startInProcess(int iterations = 1000, int maxPendingChecks = AccountService::Settings{}.maxPendingChecks)
    {
        auto p = std::make_unique<InProcess>();
        AccountService::Settings settings;
        settings.dataDir = m_data;
        settings.iterations = iterations;
        settings.maxPendingChecks = maxPendingChecks;
        settings.registrationOpen = true;
        InProcess *raw = p.get();
        settings.throttleClock = [raw] {
            return raw->now;
        };
        p->accounts = std::make_unique<AccountService>(settings);
        if (!p->accounts->open())
            return nullptr;
        ServerConfig config = testServerConfig();
        config.accounts = true;
        config.registrationOpen = true;
        config.dataDir = m_data;
        p->server = std::make_unique<ChatServer>(config);
        p->server->setAuthenticator(p->accounts.get());
        if (!p->server->listen())
            return nullptr;
        return p;
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }
    void init() { newDataDir(); }

    void refusesToStartWithoutAUsableDatabase()
    {
        QFile blocker(m_data);
        QVERIFY(blocker.open(QIODevice::WriteOnly)); // a file where the directory should be
        blocker.close();
        QProcess server;
        startServer(server);
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), QProcess::NotRunning, 10000);
        QCOMPARE(server.exitCode(), 1);
        const QByteArray said = server.readAllStandardError();
        QVERIFY2(said.contains("cannot use the data directory " + QFile::encodeName(m_data) +
                               ": it is not a directory"),
                 said.constData());
    }

    void loginAfterUserAdd()
    {
        QCOMPARE(user({QStringLiteral("add"), QStringLiteral("Ana")}, "correct horse\n"), 0);
        QProcess server;
        const QUrl url = startServer(server);
        QVERIFY(url.isValid());
        WsProbe ana;
        QVERIFY(ana.open(url));
        const QJsonObject connected = ana.all(QStringLiteral("connected")).constFirst();
        QCOMPARE(connected.value(QLatin1String("auth")).toString(), QStringLiteral("accounts"));
        QCOMPARE(connected.value(QLatin1String("registration")).toBool(true), false);
        QVERIFY(!connected.contains(QLatin1String("username")));

        // Anything before auth is refused; hello and ping are let through.
        ana.send(Hello{QStringLiteral("test"), {}});
        ana.send(SetUsername{QStringLiteral("Ana")});
        ana.send(JoinRoom{QStringLiteral("general"), std::nullopt, {}});
        ana.send(SendChat{QStringLiteral("hi"), {}});
        QVERIFY(ana.settle());
        QCOMPARE(ana.count(QStringLiteral("error")), 3);
        for (const QJsonObject &e : ana.all(QStringLiteral("error")))
            QCOMPARE(e.value(QLatin1String("code")).toString(), QStringLiteral("authRequired"));

        const auto ok = authAnswer(ana, QStringLiteral("ANA"), QStringLiteral("correct horse"));
        QVERIFY(ok);
        QCOMPARE(ok->value(QLatin1String("type")).toString(), QStringLiteral("authOk"));
        QCOMPARE(ok->value(QLatin1String("username")).toString(), QStringLiteral("Ana"));
        QCOMPARE(ok->value(QLatin1String("token")).toString().size(), 43);
        QVERIFY(ok->value(QLatin1String("expiresAt")).toInteger() > QDateTime::currentMSecsSinceEpoch());

        // The name is the account's.
        ana.send(SetUsername{QStringLiteral("ana")});
        QCOMPARE(ana.waitFor(QStringLiteral("usernameSet"))->value(QLatin1String("username")).toString(),
                 QStringLiteral("Ana"));
        ana.send(SetUsername{QStringLiteral("bob")});
        QCOMPARE(ana.waitFor(QStringLiteral("error"))->value(QLatin1String("code")).toString(),
                 QStringLiteral("authRequired")); // the first of the three above
        QTRY_COMPARE(ana.all(QStringLiteral("error")).constLast().value(QLatin1String("code")).toString(),
                     QStringLiteral("accountName"));
        QVERIFY(ana.join(QStringLiteral("general")));
        stop(server);
    }

    void wrongPasswordAndUnknownUserLookAlike()
    {
        QProcess server;
        const QUrl url = startWithAna(server);
        QVERIFY(url.isValid());
        WsProbe probe;
        QVERIFY(probe.open(url));
        const auto wrong = authAnswer(probe, QStringLiteral("ana"), QStringLiteral("nope"));
        const auto unknown = authAnswer(probe, QStringLiteral("nobody"), QStringLiteral("nope"));
        QVERIFY(wrong && unknown);
        QCOMPARE(wrong->value(QLatin1String("code")).toString(), authFailedCode());
        QCOMPARE(*wrong, *unknown);
        const auto badToken = tokenAnswer(probe, QString(43, QLatin1Char('A')));
        QVERIFY(badToken);
        QCOMPARE(*badToken, *wrong);
        stop(server);
    }

    void tokenResumesAfterRestartAndEndsAfterPasswd()
    {
        QCOMPARE(user({QStringLiteral("add"), QStringLiteral("ana")}, "pw\n"), 0);
        QString token;
        {
            QProcess server;
            const QUrl url = startServer(server);
            WsProbe probe;
            QVERIFY(probe.open(url));
            const auto ok = authAnswer(probe, QStringLiteral("ana"), QStringLiteral("pw"));
            QVERIFY(ok);
            token = ok->value(QLatin1String("token")).toString();
            stop(server);
        }
        QProcess server;
        const QUrl url = startServer(server);
        WsProbe live;
        QVERIFY(live.open(url));
        const auto resumed = tokenAnswer(live, token);
        QVERIFY(resumed);
        QCOMPARE(resumed->value(QLatin1String("type")).toString(), QStringLiteral("authOk"));
        QCOMPARE(resumed->value(QLatin1String("token")).toString(), token);
        QVERIFY(live.join(QStringLiteral("general")));

        // The operator changes the password from another process: the live session ends (4003).
        QCOMPARE(user({QStringLiteral("passwd"), QStringLiteral("ana")}, "n3w\n"), 0);
        QVERIFY(live.waitForDisconnected(15000));
        QCOMPARE(int(live.socket().closeCode()), int(CloseSessionEnded));
        WsProbe again;
        QVERIFY(again.open(url));
        QCOMPARE(tokenAnswer(again, token)->value(QLatin1String("code")).toString(), authFailedCode());
        stop(server);
    }

    void unauthenticatedConnectionIsClosed()
    {
        QProcess server;
        const QUrl url = startServer(server, {QStringLiteral("--auth-timeout-ms"), QStringLiteral("200")});
        WsProbe idle;
        QVERIFY(idle.open(url));
        QVERIFY(idle.waitForDisconnected());
        QCOMPARE(int(idle.socket().closeCode()), 1008);
        stop(server);
    }

    void registration()
    {
        {
            QProcess closed;
            const QUrl url = startServer(closed);
            WsProbe probe;
            QVERIFY(probe.open(url));
            QCOMPARE(authResult(probe, QStringLiteral("zoe"), QStringLiteral("pw"), true),
                     QStringLiteral("registrationClosed"));
            stop(closed);
        }
        QProcess server;
        const QUrl url = startServer(server, {QStringLiteral("--registration"), QStringLiteral("open")});
        WsProbe probe;
        QVERIFY(probe.open(url));
        QVERIFY(probe.all(QStringLiteral("connected"))
                    .constFirst()
                    .value(QLatin1String("registration"))
                    .toBool());
        QCOMPARE(authResult(probe, QStringLiteral("zo\u0007e"), QStringLiteral("pw"), true),
                 QStringLiteral("invalidName"));
        QCOMPARE(authResult(probe, QStringLiteral("zoe"), QString(), true), QStringLiteral("badField"));
        const auto ok = authAnswer(probe, QStringLiteral("Zoe"), QStringLiteral("pw"), true);
        QCOMPARE(ok->value(QLatin1String("type")).toString(), QStringLiteral("authOk"));
        QCOMPARE(ok->value(QLatin1String("username")).toString(), QStringLiteral("Zoe"));
        WsProbe other;
        QVERIFY(other.open(url));
        QCOMPARE(authResult(other, QStringLiteral("ZOE"), QStringLiteral("x"), true),
                 QStringLiteral("nameTaken"));
        QCOMPARE(authResult(other, QStringLiteral("zoe"), QStringLiteral("pw")), QStringLiteral("authOk"));
        stop(server);
    }

    void authAtHandshake()
    {
        QProcess server;
        const QUrl url = startWithAna(server, {QStringLiteral("--auth-at-handshake")});
        QVERIFY(url.isValid());
        const auto upgrade = [&](const QByteArray &path, const QByteArray &headers) {
            QTcpSocket tcp;
            tcp.connectToHost(url.host(), quint16(url.port()));
            if (!tcp.waitForConnected(10000))
                return QByteArray();
            tcp.write("GET " + path +
                      " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                      headers + "\r\n");
            QByteArray answer;
            waitUntil([&] {
                tcp.waitForReadyRead(100);
                answer += tcp.readAll();
                return answer.contains("\r\n\r\n");
            });
            return answer;
        };
        const QByteArray none = upgrade("/", {});
        QVERIFY2(none.startsWith("HTTP/1.1 401 Unauthorized\r\n"), none.constData());
        QVERIFY(none.contains("WWW-Authenticate: Bearer\r\n"));
        QVERIFY(
            upgrade("/", "Authorization: Bearer " + QByteArray(43, 'A') + "\r\n").startsWith("HTTP/1.1 401"));

        // /login is let through, for a password auth only.
        QUrl loginUrl = url;
        loginUrl.setPath(QStringLiteral("/login"));
        WsProbe login;
        QVERIFY(login.open(loginUrl));
        login.send(Ping{1});
        QCOMPARE(login.waitFor(QStringLiteral("error"))->value(QLatin1String("code")).toString(),
                 QStringLiteral("authRequired"));
        const auto ok = authAnswer(login, QStringLiteral("ana"), QStringLiteral("pw"));
        QCOMPARE(ok->value(QLatin1String("type")).toString(), QStringLiteral("authOk"));
        const QByteArray token = ok->value(QLatin1String("token")).toString().toLatin1();

        QVERIFY(upgrade("/", "Authorization: Bearer " + token + "\r\n").startsWith("HTTP/1.1 101"));
        WsProbe resumed;
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token);
        resumed.socket().open(request);
        const auto connected = resumed.waitFor(QStringLiteral("connected"));
        QVERIFY(connected);
        QCOMPARE(connected->value(QLatin1String("username")).toString(), QStringLiteral("ana"));
        QVERIFY(resumed.join(QStringLiteral("general"))); // logged in without auth
        stop(server);
    }

    void logoutRevokesTheToken()
    {
        QProcess server;
        const QUrl url = startWithAna(server);
        QVERIFY(url.isValid());
        WsProbe probe;
        QVERIFY(probe.open(url));
        const QString token = authAnswer(probe, QStringLiteral("ana"), QStringLiteral("pw"))
                                  ->value(QLatin1String("token"))
                                  .toString();
        probe.send(Logout{});
        QVERIFY(probe.waitFor(QStringLiteral("loggedOut")));
        QVERIFY(probe.waitForDisconnected());
        QCOMPARE(int(probe.socket().closeCode()), 1000);
        WsProbe again;
        QVERIFY(again.open(url));
        QCOMPARE(tokenAnswer(again, token)->value(QLatin1String("code")).toString(), authFailedCode());
        stop(server);
    }

    // Once at the real cost (600,000 iterations), from `user add` to a login.
    void loginAtTheDefaultCost()
    {
        QProcess server;
        const QUrl url = startWithAna(server, {}, false);
        QVERIFY(url.isValid());
        WsProbe probe;
        QVERIFY(probe.open(url));
        QCOMPARE(authResult(probe, QStringLiteral("ana"), QStringLiteral("pw")), QStringLiteral("authOk"));
        stop(server);
    }

    // ---- in-process: the hostile cases ----

    void relayedMessagesCarryTheAccountName()
    {
        auto p = startInProcess();
        QVERIFY(p);
        WsProbe ana, bob;
        QVERIFY(ana.open(p->server->url()) && bob.open(p->server->url()));
        QCOMPARE(authResult(ana, QStringLiteral("Ana"), QStringLiteral("pw"), true),
                 QStringLiteral("authOk"));
        QCOMPARE(authResult(bob, QStringLiteral("Bob"), QStringLiteral("pw"), true),
                 QStringLiteral("authOk"));
        QVERIFY(ana.join(QStringLiteral("general")) && bob.join(QStringLiteral("general")));
        ana.sendRaw("{\"type\":\"chatMessage\",\"text\":\"hi\",\"user\":\"Bob\"}");
        const auto chat = bob.waitFor(QStringLiteral("chatMessage"));
        QVERIFY(chat);
        QCOMPARE(chat->value(QLatin1String("user")).toString(), QStringLiteral("Ana"));
    }

    void floodIsThrottledWithoutDerivingEachTime()
    {
        auto p = startInProcess();
        QVERIFY(p);
        WsProbe probe;
        QVERIFY(probe.open(p->server->url()));
        QCOMPARE(authResult(probe, QStringLiteral("ana"), QStringLiteral("pw"), true),
                 QStringLiteral("authOk"));
        const int before = p->accounts->derivationsStarted();
        WsProbe attacker;
        QVERIFY(attacker.open(p->server->url()));
        QList<qint64> waits;
        for (int i = 0; i < 20; ++i) {
            const auto answer = authAnswer(attacker, QStringLiteral("ana"), QStringLiteral("guess%1").arg(i));
            QVERIFY(answer);
            QCOMPARE(answer->value(QLatin1String("code")).toString(), authFailedCode());
            waits.append(answer->value(QLatin1String("retryAfterMs")).toInteger());
        }
        // The free failures, then the account waits: no derivation until the clock moves.
        QCOMPARE(p->accounts->derivationsStarted() - before,
                 LoginThrottle::Settings{}.freeAccountFailures + 1);
        QCOMPARE(waits.first(), 0);
        QVERIFY(waits.last() > 0);

        // The delay grows: one more failure once the wait is over doubles it.
        const qint64 first = waits.last();
        p->now += first;
        QCOMPARE(authAnswer(attacker, QStringLiteral("ana"), QStringLiteral("again"))
                     ->value(QLatin1String("retryAfterMs"))
                     .toInteger(),
                 0);
        const qint64 second = authAnswer(attacker, QStringLiteral("ana"), QStringLiteral("again"))
                                  ->value(QLatin1String("retryAfterMs"))
                                  .toInteger();
        QVERIFY2(second > first, qPrintable(QStringLiteral("%1 then %2").arg(first).arg(second)));
    }

    // --max-pending-logins: past the cap a login is refused at once with a time to retry and costs
    // no derivation, while the checks already queued complete. At the default cost the first check
    // is still running when the refused login arrives.
    void loginBeyondThePendingCapIsRefused()
    {
        const QStringList names{QStringLiteral("ana"), QStringLiteral("bob"), QStringLiteral("cat")};
        {
            UserStore store(m_data);
            QVERIFY(store.open());
            for (const QString &name : names)
                QCOMPARE(store.addUser(name, QStringLiteral("pw")), UserStore::Result::Ok);
        }
        auto p = startInProcess(PasswordRecord::DefaultIterations, 2);
        QVERIFY(p);
        WsProbe ana, bob, cat;
        QVERIFY(ana.open(p->server->url()) && bob.open(p->server->url()) && cat.open(p->server->url()));
        ana.send(Auth{names[0], QStringLiteral("pw"), false, {}});
        bob.send(Auth{names[1], QStringLiteral("pw"), false, {}});
        QVERIFY(waitUntil([&] { return p->accounts->pendingDerivations() == 2; }));

        const int started = p->accounts->derivationsStarted();
        const auto refused = authAnswer(cat, names[2], QStringLiteral("pw"));
        QVERIFY(refused);
        QCOMPARE(refused->value(QLatin1String("code")).toString(), authFailedCode());
        QCOMPARE(refused->value(QLatin1String("retryAfterMs")).toInteger(),
                 AccountService::Settings{}.busyRetryMs);
        // Nobody failed a login: the message says the server is busy, not that logins failed.
        QVERIFY2(refused->value(QLatin1String("message")).toString().contains(QStringLiteral("busy")),
                 qPrintable(refused->value(QLatin1String("message")).toString()));
        QCOMPARE(p->accounts->derivationsStarted(), started);

        const auto anaOk = ana.waitFor(QStringLiteral("authOk"));
        const auto bobOk = bob.waitFor(QStringLiteral("authOk"));
        QVERIFY(anaOk && bobOk);
        QCOMPARE(anaOk->value(QLatin1String("username")).toString(), names[0]);
        QCOMPARE(bobOk->value(QLatin1String("username")).toString(), names[1]);
        QVERIFY(cat.settle()); // the refusal was the whole answer
        QCOMPARE(cat.count(QStringLiteral("authOk")), 0);
        QCOMPARE(cat.count(QStringLiteral("error")), 1);

        // With room in the queue again, the same login goes through.
        QTRY_COMPARE(p->accounts->pendingDerivations(), 0);
        QCOMPARE(authResult(cat, names[2], QStringLiteral("pw")), QStringLiteral("authOk"));
    }

    void sessionGoneWhileItsCheckIsPending()
    {
        auto p = startInProcess(PasswordRecord::DefaultIterations);
        QVERIFY(p);
        {
            WsProbe quitter;
            QVERIFY(quitter.open(p->server->url()));
            quitter.send(Auth{QStringLiteral("ana"), QStringLiteral("pw"), false, {}});
            QVERIFY(waitUntil([&] { return p->accounts->pendingDerivations() > 0; }));
            quitter.socket().abort();
        }
        QTRY_COMPARE(p->server->clientCount(), 0);
        QTRY_COMPARE(p->accounts->pendingDerivations(), 0);
        WsProbe next;
        QVERIFY(next.open(p->server->url()));
        QVERIFY(next.settle());
    }
};

QTEST_GUILESS_MAIN(TestServerAccounts)
#include "tst_serveraccounts.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "userstore.h"

#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

// `natter-server user ...`, the real executable run the way an operator or a script would, on a
// temporary data directory; then UserStore reads what it wrote, as the server will.
class TestServerUsers : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    QTemporaryDir m_tmp;
    QString m_data;
    int m_runs = 0;

    // Cheap records for speed; one test keeps the default.
    // Cheap records for speed; one test keeps the default. No STATE_DIRECTORY unless given.
    Run user(const QStringList &words, const QByteArray &input = {}, bool cheap = true,
             QProcessEnvironment environment = {})
    {
        QStringList args{QStringLiteral("user")};
        args << words;
        if (cheap)
            args << QStringLiteral("--iterations") << QStringLiteral("1000");
        if (environment.isEmpty()) {
            environment = QProcessEnvironment::systemEnvironment();
            environment.remove(QStringLiteral("STATE_DIRECTORY"));
        }
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(NATTER_SERVER_PATH), args);
        if (!process.waitForStarted(10000))
            return {};
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(60000))
            return {};
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }
    Run userIn(const QStringList &words, const QByteArray &input = {})
    {
        return user(words + QStringList{QStringLiteral("--data-dir"), m_data}, input);
    }

    // The executable with a pseudo-terminal as its terminal, answering each prompt in turn, the
    // way an operator types. *echoOn: whether the terminal echoes again when it has exited.
    Run userAtTerminal(const QStringList &words, const QList<QPair<QByteArray, QByteArray>> &dialog,
                       bool *echoOn)
    {
        QByteArrayList args{NATTER_SERVER_PATH, "user"};
        for (const QString &word :
             words + QStringList{QStringLiteral("--iterations"), QStringLiteral("1000")})
            args << word.toLocal8Bit();
        std::vector<char *> argv;
        for (QByteArray &arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        int master = -1;
        const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
        if (pid == 0) {
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        if (pid < 0)
            return {};
        QByteArray out;
        const auto readFor = [&](int timeoutMs) {
            pollfd p{master, POLLIN, 0};
            if (::poll(&p, 1, timeoutMs) <= 0)
                return false;
            char buffer[1024];
            const ssize_t n = ::read(master, buffer, sizeof buffer);
            if (n <= 0)
                return false; // EIO: the terminal's last user has gone
            out.append(buffer, n);
            return true;
        };
        for (const auto &[prompt, answer] : dialog) {
            while (!out.contains(prompt) && readFor(20000)) {
            }
            if (::write(master, answer.constData(), size_t(answer.size())) != answer.size())
                break;
        }
        while (readFor(20000)) {
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        termios settings{};
        *echoOn = ::tcgetattr(master, &settings) == 0 && (settings.c_lflag & ECHO);
        ::close(master);
        return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, QString::fromLocal8Bit(out), {}};
    }

    UserStore::Options storeOptions() const
    {
        UserStore::Options options;
        options.iterations = 1000;
        return options;
    }

private slots:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        m_data = m_tmp.path() + QStringLiteral("/data-") + QString::number(++m_runs);
    }

    void addListPasswdRemove()
    {
        Run r = userIn({QStringLiteral("add"), QStringLiteral("Ana")}, "first password\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("added user 'Ana'")), qPrintable(r.out));
        QCOMPARE(QFileInfo(m_data).permissions() & 0x0077, QFile::Permissions());
        QCOMPARE(QFileInfo(m_data + QStringLiteral("/users.sqlite")).permissions() & 0x7777,
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);

        r = userIn({QStringLiteral("add"), QStringLiteral("bob")}, "bob's password"); // no final newline
        QCOMPARE(r.exitCode, 0);

        r = userIn({QStringLiteral("list")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        const QRegularExpression line(
            QStringLiteral("^(\\S+)\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"));
        QCOMPARE(line.match(lines.at(0)).captured(1), QStringLiteral("Ana"));
        QCOMPARE(line.match(lines.at(1)).captured(1), QStringLiteral("bob"));
        QVERIFY(!r.out.contains(QLatin1String("password")));

        // The same user in any case or width.
        for (const QString &same : {QStringLiteral("ana"), QStringLiteral("ＡＮＡ")}) {
            r = userIn({QStringLiteral("add"), same}, "other\n");
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(QLatin1String("user 'Ana' already exists")), qPrintable(r.err));
        }

        r = userIn({QStringLiteral("passwd"), QStringLiteral("ＡＮＡ")}, "second password\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("changed the password of 'Ana'")), qPrintable(r.out));
        {
            UserStore store(m_data, storeOptions());
            QVERIFY(store.open());
            QVERIFY(!store.verifyPassword(QStringLiteral("ana"), QStringLiteral("first password")));
            QVERIFY(store.verifyPassword(QStringLiteral("ana"), QStringLiteral("second password")));
            QVERIFY(store.verifyPassword(QStringLiteral("bob"), QStringLiteral("bob's password")));
        }

        r = userIn({QStringLiteral("remove"), QStringLiteral("ANA")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = userIn({QStringLiteral("list")});
        QCOMPARE(r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 1);
        QVERIFY(r.out.startsWith(QLatin1String("bob\t")));
    }

    void asksTwiceWithoutEchoAtATerminal()
    {
        bool echoOn = false;
        Run r = userAtTerminal(
            {QStringLiteral("add"), QStringLiteral("ana"), QStringLiteral("--data-dir"), m_data},
            {{"New password for ana: ", "typed secret\n"}, {"Repeat the password: ", "typed secret\n"}},
            &echoOn);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        QVERIFY2(!r.out.contains(QLatin1String("typed secret")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("added user 'ana'")));
        QVERIFY(echoOn);
        UserStore store(m_data, storeOptions());
        QVERIFY(store.open());
        QVERIFY(store.verifyPassword(QStringLiteral("ana"), QStringLiteral("typed secret")));

        r = userAtTerminal(
            {QStringLiteral("passwd"), QStringLiteral("ana"), QStringLiteral("--data-dir"), m_data},
            {{"New password for ana: ", "one\n"}, {"Repeat the password: ", "two\n"}}, &echoOn);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QLatin1String("the two passwords differ")), qPrintable(r.out));
        QVERIFY(echoOn);
        QVERIFY(store.verifyPassword(QStringLiteral("ana"), QStringLiteral("typed secret")));
    }

    void refusalsAreClear_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << QByteArray() << 2 << "usage";
        QTest::newRow("unknown command") << QStringList{"rename", "ana"} << QByteArray() << 2 << "usage";
        QTest::newRow("add without a name") << QStringList{"add"} << QByteArray() << 2 << "usage";
        QTest::newRow("two names") << QStringList{"add", "a", "b"} << QByteArray() << 2 << "usage";
        QTest::newRow("list with a name") << QStringList{"list", "a"} << QByteArray() << 2 << "usage";
        QTest::newRow("invalid name") << QStringList{"add", "a\tb"} << QByteArray("pw\n") << 1
                                      << "invalid user name 'a\tb': User name must not contain control";
        QTest::newRow("too long") << QStringList{"add", QString(40, QLatin1Char('x'))} << QByteArray("pw\n")
                                  << 1 << "at most 32 characters";
        QTest::newRow("no password") << QStringList{"add", "ana"} << QByteArray() << 1 << "no password given";
        QTest::newRow("empty password")
            << QStringList{"add", "ana"} << QByteArray("\n") << 1 << "the password must be 1 to 1024 bytes";
        QTest::newRow("not UTF-8") << QStringList{"add", "ana"} << QByteArray("\xff\xfe\n") << 1
                                   << "not valid UTF-8";
        QTest::newRow("passwd unknown")
            << QStringList{"passwd", "ghost"} << QByteArray("pw\n") << 1 << "no user 'ghost'";
        QTest::newRow("remove unknown")
            << QStringList{"remove", "ghost"} << QByteArray() << 1 << "no user 'ghost'";
        QTest::newRow("too few iterations")
            << QStringList{"add", "ana", "--iterations", "10"} << QByteArray("pw\n") << 2
            << "--iterations must be an integer from 1000";
    }

    void refusalsAreClear()
    {
        QFETCH(QStringList, words);
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        // A database with one user in it, so "no user" is about the name, not a missing file.
        QCOMPARE(userIn({QStringLiteral("add"), QStringLiteral("someone")}, "pw\n").exitCode, 0);
        const Run r = user(words + QStringList{QStringLiteral("--data-dir"), m_data}, input,
                           !words.contains(QLatin1String("--iterations")));
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void onlyAddCreatesTheDatabase()
    {
        Run r = userIn({QStringLiteral("list")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(QLatin1String("no users yet")), qPrintable(r.err));
        r = userIn({QStringLiteral("remove"), QStringLiteral("ana")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!QFileInfo::exists(m_data));
    }

    void dataDirDefaultsToTheServiceStateDirectory()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("STATE_DIRECTORY"), m_data + QStringLiteral("/state"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_data + QStringLiteral("/xdg"));
        QCOMPARE(user({QStringLiteral("add"), QStringLiteral("ana")}, "pw\n", true, env).exitCode, 0);
        QVERIFY(QFileInfo::exists(m_data + QStringLiteral("/state/users.sqlite")));

        QVERIFY(!QFileInfo::exists(m_data + QStringLiteral("/xdg")));
        env.remove(QStringLiteral("STATE_DIRECTORY"));
        QCOMPARE(user({QStringLiteral("add"), QStringLiteral("ana")}, "pw\n", true, env).exitCode, 0);
        QVERIFY(QFileInfo::exists(m_data + QStringLiteral("/xdg/natter-server/users.sqlite")));
    }

    // The issue's login scenario, at the store level until the protocol speaks `auth`: what the
    // executable wrote logs in, wrong password and unknown user fail alike, a token survives a
    // restart (a new store on the same file) and dies with `user passwd`.
    void tokenSurvivesARestartButNotPasswd()
    {
        // The default cost, once, as an operator would run it.
        Run r = user({QStringLiteral("add"), QStringLiteral("ana"), QStringLiteral("--data-dir"), m_data},
                     "s3cret\n", false);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QString token;
        {
            UserStore store(m_data);
            QVERIFY(store.open());
            QCOMPARE(PasswordRecord::iterations(store.beginLogin(QStringLiteral("ana")).record),
                     PasswordRecord::DefaultIterations);
            const auto account = store.verifyPassword(QStringLiteral("ana"), QStringLiteral("s3cret"));
            QVERIFY(account);
            QVERIFY(!store.verifyPassword(QStringLiteral("ana"), QStringLiteral("guess")));
            QVERIFY(!store.verifyPassword(QStringLiteral("nobody"), QStringLiteral("s3cret")));
            token = store.issueToken(*account);
            QVERIFY(!token.isEmpty());
        }
        {
            UserStore store(m_data, storeOptions());
            QVERIFY(store.open());
            QCOMPARE(store.resumeToken(token)->name, QStringLiteral("ana"));
        }
        QCOMPARE(userIn({QStringLiteral("passwd"), QStringLiteral("ana")}, "n3w\n").exitCode, 0);
        UserStore store(m_data, storeOptions());
        QVERIFY(store.open());
        QVERIFY(!store.resumeToken(token));
        QVERIFY(store.verifyPassword(QStringLiteral("ana"), QStringLiteral("n3w")));
    }

    // Users in the data directory but no --accounts: the server says nobody logs in.
    void serverWarnsThatLoginsAreNotRequiredInOpenMode()
    {
        QCOMPARE(userIn({QStringLiteral("add"), QStringLiteral("ana")}, "pw\n").exitCode, 0);
        QProcess server;
        server.start(QStringLiteral(NATTER_SERVER_PATH),
                     {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                      QStringLiteral("0"), QStringLiteral("--data-dir"), m_data});
        QVERIFY(server.waitForStarted(10000));
        QByteArray err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += server.readAllStandardError();
                return err.contains("without --accounts nobody logs in");
            },
            20000));
        server.terminate();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), QProcess::NotRunning, 10000);
        QCOMPARE(server.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerUsers)
#include "tst_serverusers.moc"

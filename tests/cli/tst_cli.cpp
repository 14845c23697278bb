// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatclient.h"
#include "cliprocess.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

//! natter-cli as a real process against the real natter-server (full and --base-only): chat,
//! commands, argument errors, an outbox that survives SIGKILL while the server is down, and
//! logins on an accounts server (the password once, then the stored token).
class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Fast intervals so reconnects and flushes take milliseconds.
    QStringList cliArgs(const QUrl &url, const QString &user, const QString &room, const QString &outbox)
    {
        return {QStringLiteral("--url"),
                url.toString(),
                QStringLiteral("--user"),
                user,
                QStringLiteral("--room"),
                room,
                QStringLiteral("--outbox"),
                m_dir.filePath(outbox),
                QStringLiteral("--initial-delay-ms"),
                QStringLiteral("30"),
                QStringLiteral("--max-delay-ms"),
                QStringLiteral("300"),
                QStringLiteral("--ping-interval-ms"),
                QStringLiteral("1000"),
                QStringLiteral("--outbox-save-delay-ms"),
                QStringLiteral("20"),
                QStringLiteral("--cache"),
                m_dir.filePath(outbox + QStringLiteral(".cache.sqlite"))};
    }

    static bool startCli(ChildProcess &cli, const QStringList &args)
    {
        return cli.start(QStringLiteral(NATTER_CLI_PATH), args) &&
               cli.waitForEvents(QStringLiteral("session"));
    }

    static QStringList messageTexts(const ChildProcess &cli)
    {
        QStringList out;
        for (const QJsonObject &e : cli.events(QStringLiteral("message")))
            out.append(e.value(QLatin1String("text")).toString());
        return out;
    }

    static auto hasText(const QString &text)
    {
        return [text](const QJsonObject &e) {
            return e.value(QLatin1String("text")).toString() == text;
        };
    }

    static auto hasState(const QString &state)
    {
        return [state](const QJsonObject &e) {
            return e.value(QLatin1String("state")).toString() == state;
        };
    }

    // Accounts mode. Derivations are made cheap (--iterations) for tests only.
    static constexpr const char *CheapIterations = "1000";
    int m_dataDirs = 0;

    QString newDataDir() { return m_dir.filePath(QStringLiteral("data%1").arg(++m_dataDirs)); }

    // `natter-server user add NAME` (or `passwd`), the password on stdin as a script would give it.
    static bool addUser(const QString &dataDir, const QString &name, const QString &password,
                        const QString &command = QStringLiteral("add"))
    {
        QProcess process;
        process.start(QStringLiteral(NATTER_SERVER_PATH),
                      {QStringLiteral("user"), command, name, QStringLiteral("--data-dir"), dataDir,
                       QStringLiteral("--iterations"), QLatin1String(CheapIterations)});
        if (!process.waitForStarted(10000))
            return false;
        process.write(password.toUtf8() + '\n');
        process.closeWriteChannel();
        return process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit &&
               process.exitCode() == 0;
    }

    static QStringList accountsServerArgs(const QString &dataDir)
    {
        return {QStringLiteral("--accounts"), QStringLiteral("--data-dir"), dataDir,
                QStringLiteral("--iterations"), QLatin1String(CheapIterations)};
    }

    QStringList accountArgs(const QUrl &url, const QString &user, const QString &outbox,
                            const QString &tokenDir)
    {
        return cliArgs(url, user, QStringLiteral("general"), outbox)
               << QStringLiteral("--token-dir") << tokenDir;
    }

    // Starts natter-cli with NATTER_PASSWORD set to `password`, or not set at all when it is null.
    static bool startWithPassword(ChildProcess &cli, const QStringList &args, const QString &password)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("NATTER_PASSWORD"));
        if (!password.isNull())
            env.insert(QStringLiteral("NATTER_PASSWORD"), password);
        cli.process().setProcessEnvironment(env);
        return cli.start(QStringLiteral(NATTER_CLI_PATH), args);
    }

    static int modeOf(const QString &path)
    {
        struct stat st = {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
    }

    static QStringList tokenFiles(const QString &tokenDir)
    {
        QStringList out;
        for (const QString &name : QDir(tokenDir).entryList(QDir::Files | QDir::Hidden))
            out.append(QDir(tokenDir).filePath(name));
        return out;
    }

    static QStringList problems(const ChildProcess &cli)
    {
        QStringList out;
        for (const QJsonObject &e : cli.events(QStringLiteral("loginRequired")))
            out.append(e.value(QLatin1String("problem")).toString());
        return out;
    }

    static bool quit(ChildProcess &cli)
    {
        cli.write(QStringLiteral("/quit"));
        return cli.waitForExit() && cli.exitStatus() == QProcess::NormalExit;
    }

private slots:
    void argumentsAreChecked_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("nothing") << QStringList{} << QStringLiteral("required");
        QTest::newRow("no user") << QStringList{QStringLiteral("--url"), QStringLiteral("ws://localhost:1")}
                                 << QStringLiteral("required");
        QTest::newRow("http url") << QStringList{QStringLiteral("--url"), QStringLiteral("http://x"),
                                                 QStringLiteral("--user"), QStringLiteral("a")}
                                  << QStringLiteral("ws://");
        QTest::newRow("http url among several")
            << QStringList{QStringLiteral("--url"),      QStringLiteral("ws://x:1"), QStringLiteral("--url"),
                           QStringLiteral("http://y:2"), QStringLiteral("--user"),   QStringLiteral("a")}
            << QStringLiteral("--url must be a ws:// or wss:// URL with a host, got 'http://y:2'");
        QTest::newRow("bad number") << QStringList{QStringLiteral("--url"),
                                                   QStringLiteral("ws://x:1"),
                                                   QStringLiteral("--user"),
                                                   QStringLiteral("a"),
                                                   QStringLiteral("--max-attempts"),
                                                   QStringLiteral("lots")}
                                    << QStringLiteral("--max-attempts");
        QTest::newRow("bad name") << QStringList{QStringLiteral("--url"), QStringLiteral("ws://x:1"),
                                                 QStringLiteral("--user"), QString(40, QLatin1Char('n'))}
                                  << QStringLiteral("--user");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("stray argument")
            << QStringList{QStringLiteral("--url"), QStringLiteral("ws://x:1"), QStringLiteral("--user"),
                           QStringLiteral("a"), QStringLiteral("extra")}
            << QStringLiteral("extra");
        // Like ssh with a key: a password others may read is refused, not used.
        const QString openPassword = m_dir.filePath(QStringLiteral("open-password"));
        QFile file(openPassword);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write("pw\n") == 3);
        file.close();
        QVERIFY(
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
        QTest::newRow("password file open to others")
            << QStringList{QStringLiteral("--url"),           QStringLiteral("ws://x:1"),
                           QStringLiteral("--user"),          QStringLiteral("a"),
                           QStringLiteral("--password-file"), openPassword}
            << QStringLiteral("run chmod 600");
        QTest::newRow("register without a password")
            << QStringList{QStringLiteral("--url"), QStringLiteral("ws://x:1"), QStringLiteral("--user"),
                           QStringLiteral("a"), QStringLiteral("--register")}
            << QStringLiteral("--register needs a password");
        // Whoever may write to the token directory may swap in a token of their own.
        const QString openDir = m_dir.filePath(QStringLiteral("open-tokens"));
        QVERIFY(QDir().mkpath(openDir));
        QVERIFY(QFile::setPermissions(openDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                   QFileDevice::ExeOwner | QFileDevice::WriteOther |
                                                   QFileDevice::ExeOther));
        QTest::newRow("token dir open to others")
            << QStringList{QStringLiteral("--url"), QStringLiteral("ws://x:1"),    QStringLiteral("--user"),
                           QStringLiteral("a"),     QStringLiteral("--token-dir"), openDir}
            << QStringLiteral("chmod 700");
        QTest::newRow("no password file")
            << QStringList{QStringLiteral("--url"),           QStringLiteral("ws://x:1"),
                           QStringLiteral("--user"),          QStringLiteral("a"),
                           QStringLiteral("--password-file"), m_dir.filePath(QStringLiteral("none"))}
            << QStringLiteral("cannot read password file");
    }

    void argumentsAreChecked()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        ChildProcess cli;
        QVERIFY(cli.start(QStringLiteral(NATTER_CLI_PATH), args));
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QCOMPARE(cli.exitCode(), 2);
        const QString err = QString::fromUtf8(cli.readStderr());
        QVERIFY2(err.startsWith(QStringLiteral("natter-cli: ")) && err.contains(message), qPrintable(err));
        QVERIFY(cli.lines().isEmpty());
    }

    void helpAndVersion()
    {
        ChildProcess cli;
        QVERIFY(cli.start(QStringLiteral(NATTER_CLI_PATH), {QStringLiteral("--version")}));
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 0);
        QVERIFY(cli.waitForLine("natter-cli " NATTER_VERSION, 1000));
        // --help tells a newcomer how to start it: the required options and the commands.
        ChildProcess help;
        QVERIFY(help.start(QStringLiteral(NATTER_CLI_PATH), {QStringLiteral("--help")}));
        QVERIFY(help.waitForExit());
        QCOMPARE(help.exitCode(), 0);
        const QString text =
            QString::fromUtf8(help.lines().join('\n') + '\n' + help.process().readAllStandardOutput());
        QVERIFY2(text.startsWith(QStringLiteral("Usage: ")), qPrintable(text));
        for (const char *needle :
             {"--url <url>", "--user <name>", "--room <room>", "--outbox <path>", "--download-dir <dir>",
              "--password-file <file>", "--register", "--token-dir <dir>", "--trust-certificate <file>",
              "/join ROOM", "/logout", "/quit"})
            QVERIFY2(text.contains(QLatin1String(needle)), needle);
        QVERIFY(help.readStderr().isEmpty());
        // The defaults shown are the ones the client runs with.
        const QString flat = text.simplified(); // undoes the parser's line wrapping
        const ChatClient::Settings defaults;
        const QStringList expected{
            QStringLiteral("--connect-timeout-ms <n> Connect and handshake timeout (default %1).")
                .arg(defaults.connectTimeoutMs),
            QStringLiteral("--ping-interval-ms <n> Application ping interval (default %1).")
                .arg(defaults.pingIntervalMs),
            QStringLiteral("--outbox-max-bytes <n> Outbox capacity in bytes of text (default %1).")
                .arg(defaults.outboxMaxBytes),
            QStringLiteral("(default %1).").arg(defaults.jitter),
        };
        for (const QString &line : expected)
            QVERIFY2(flat.contains(line), qPrintable(line + QStringLiteral("\nnot in:\n") + flat));
    }

    // A member who keeps renaming and typing cannot make natter-cli's output grow faster than
    // what it sends: each event says what changed, and the typists tracked are bounded.
    void typingFloodOutputStaysLinear()
    {
        ServerProcess server;
        QVERIFY(server.start(0, {QStringLiteral("--rate-limit-percent"), QStringLiteral("0")}));
        ChildProcess bob;
        QVERIFY(startCli(bob, cliArgs(server.url(), QStringLiteral("bob"), QStringLiteral("general"),
                                      QStringLiteral("typing-b.json"))));
        QVERIFY(bob.waitForEvents(QStringLiteral("session"), 1));
        WsProbe mallory;
        QVERIFY(mallory.login(server.url(), QStringLiteral("typist"), QStringLiteral("general")));
        constexpr int Rounds = 2000;
        for (int i = 0; i < Rounds; ++i) {
            mallory.send(Protocol::SetUsername{QStringLiteral("typist%1").arg(i)});
            mallory.send(Protocol::Typing{});
        }
        mallory.send(Protocol::SendChat{QStringLiteral("done"), {}}); // relayed after all of them
        QVERIFY(mallory.settle()); // runs the event loop until the server has handled it all
        QVERIFY(bob.waitForEvents(QStringLiteral("message"), 1, 60000, [](const QJsonObject &e) {
            return e.value(QLatin1String("text")) == QLatin1String("done");
        }));
        qint64 typingBytes = 0;
        int typingLines = 0;
        for (const QByteArray &line : bob.lines()) {
            if (line.contains("\"event\":\"typing\"")) {
                ++typingLines;
                typingBytes += line.size();
            }
        }
        QVERIFY2(typingLines <= 2 * Rounds, qPrintable(QString::number(typingLines)));
        QVERIFY2(typingBytes < qint64(Rounds) * 2 * 128, qPrintable(QString::number(typingBytes)));
    }

    // A reply, an edit, a deletion and reactions from someone else reach a script as JSON lines
    // (docs/CLI.md): the message with replyTo and mentions, then one event per change.
    void conversationEventsArePrinted()
    {
        ServerProcess server;
        QVERIFY(server.start());
        ChildProcess bob;
        QVERIFY(startCli(bob, cliArgs(server.url(), QStringLiteral("bob"), QStringLiteral("general"),
                                      QStringLiteral("conversation-b.json"))));
        QVERIFY(bob.waitForEvents(QStringLiteral("session"), 1));
        WsProbe alice;
        QVERIFY(alice.login(server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice.send(Protocol::SendChat{QStringLiteral("first"), QStringLiteral("a-1")});
        alice.send(Protocol::SendChat{QStringLiteral("@bob see above"), QStringLiteral("a-2"), 1});
        QVERIFY(alice.waitFor(QStringLiteral("ack")) && alice.waitFor(QStringLiteral("ack")));
        alice.send(Protocol::EditMessage{1, QStringLiteral("first, edited")});
        alice.send(Protocol::React{2, QStringLiteral("👍"), true});
        alice.send(Protocol::DeleteMessage{1});
        QVERIFY(alice.settle()); // the event loop writes them out, and the server has them all
        QVERIFY(bob.waitForEvents(QStringLiteral("messageDeleted"), 1));
        const QJsonObject reply = bob.events(QStringLiteral("message")).at(1);
        QCOMPARE(reply.value(QLatin1String("replyTo")).toInteger(), 1);
        QCOMPARE(reply.value(QLatin1String("mentions")).toArray(), QJsonArray{QStringLiteral("bob")});
        const QJsonObject edited = bob.events(QStringLiteral("messageEdited")).constFirst();
        QCOMPARE(edited.value(QLatin1String("seq")).toInteger(), 1);
        QCOMPARE(edited.value(QLatin1String("text")).toString(), QStringLiteral("first, edited"));
        const QJsonObject reactions = bob.events(QStringLiteral("reactions")).constFirst();
        QCOMPARE(reactions.value(QLatin1String("seq")).toInteger(), 2);
        QCOMPARE(reactions.value(QLatin1String("reactions"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1String("emoji"))
                     .toString(),
                 QStringLiteral("👍"));
        QCOMPARE(
            bob.events(QStringLiteral("messageDeleted")).constFirst().value(QLatin1String("seq")).toInteger(),
            1);
    }

    // Changes made while the script was not running reach it on its next start, as the same
    // events (docs/CLI.md): its cache ends with the changed messages, and the join refreshes them.
    void conversationChangesMadeWhileAwayArePrinted()
    {
        ServerProcess server;
        QVERIFY(server.start());
        WsProbe alice;
        QVERIFY(alice.login(server.url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QStringList args = cliArgs(server.url(), QStringLiteral("bob"), QStringLiteral("general"),
                                         QStringLiteral("away-b.json"));
        {
            ChildProcess bob;
            QVERIFY(startCli(bob, args));
            for (const char *text : {"one", "two", "three"}) {
                alice.send(Protocol::SendChat{QString::fromUtf8(text), QString::fromUtf8(text)});
                QVERIFY(alice.waitFor(QStringLiteral("ack"))); // runs the loop that writes it
            }
            QVERIFY(bob.waitForEvents(QStringLiteral("message"), 3));
            bob.write(QStringLiteral("/quit"));
            QVERIFY(bob.waitForExit());
        }
        alice.send(Protocol::EditMessage{3, QStringLiteral("three, edited")});
        alice.send(Protocol::DeleteMessage{2});
        alice.send(Protocol::React{1, QStringLiteral("🎉"), true});
        QVERIFY(alice.settle());

        ChildProcess bob;
        QVERIFY(startCli(bob, args));
        QVERIFY(bob.waitForEvents(QStringLiteral("reactions")));
        QVERIFY(bob.waitForEvents(QStringLiteral("messageEdited")));
        QVERIFY(bob.waitForEvents(QStringLiteral("messageDeleted")));
        const QJsonObject edited = bob.events(QStringLiteral("messageEdited")).constFirst();
        QCOMPARE(edited.value(QLatin1String("seq")).toInteger(), 3);
        QCOMPARE(edited.value(QLatin1String("text")).toString(), QStringLiteral("three, edited"));
        QCOMPARE(
            bob.events(QStringLiteral("messageDeleted")).constFirst().value(QLatin1String("seq")).toInteger(),
            2);
        QCOMPARE(bob.events(QStringLiteral("reactions")).constFirst().value(QLatin1String("seq")).toInteger(),
                 1);
        QVERIFY(bob.events(QStringLiteral("message")).isEmpty()); // nothing new, so no message again
        bob.write(QStringLiteral("/quit"));
        QVERIFY(bob.waitForExit());
    }

    // A script replies, edits, reacts and deletes by seq (docs/CLI.md); someone else's message
    // cannot be edited, and a bad command says how it is used.
    void conversationCommands()
    {
        ServerProcess server;
        QVERIFY(server.start());
        ChildProcess alice;
        QVERIFY(startCli(alice, cliArgs(server.url(), QStringLiteral("alice"), QStringLiteral("general"),
                                        QStringLiteral("conversation-a.json"))));
        QVERIFY(alice.waitForEvents(QStringLiteral("session"), 1));
        WsProbe bob;
        QVERIFY(bob.login(server.url(), QStringLiteral("bob"), QStringLiteral("general")));
        bob.send(Protocol::SendChat{QStringLiteral("question?"), QStringLiteral("q")});
        QVERIFY(bob.waitFor(QStringLiteral("ack")));
        QVERIFY(alice.waitForEvents(QStringLiteral("message"), 1));

        alice.write(QStringLiteral("/reply 1 answer"));
        const auto reply = bob.next<Protocol::ChatMessage>();
        QVERIFY(reply);
        QCOMPARE(reply->replyTo, 1);
        QCOMPARE(reply->seq, 2);
        alice.write(QStringLiteral("/edit 2 better answer"));
        QCOMPARE(bob.next<Protocol::MessageEdited>()->text, QStringLiteral("better answer"));
        alice.write(QStringLiteral("/react 1 👍"));
        QCOMPARE(bob.next<Protocol::ReactionsChanged>()->reactions.constFirst().users,
                 QStringList{QStringLiteral("alice")});
        alice.write(QStringLiteral("/unreact 1 👍"));
        QVERIFY(bob.next<Protocol::ReactionsChanged>()->reactions.isEmpty());
        alice.write(QStringLiteral("/edit 1 not mine"));
        QVERIFY(alice.waitForEvents(QStringLiteral("error"), 1, 10000, [](const QJsonObject &e) {
            return e.value(QLatin1String("code")) == QLatin1String("notAuthor");
        }));
        alice.write(QStringLiteral("/delete 2"));
        QCOMPARE(bob.next<Protocol::MessageDeleted>()->seq, 2);
        alice.write(QStringLiteral("/edit two words"));
        alice.write(QStringLiteral("/react 1 ok"));
        QVERIFY(alice.waitForEvents(QStringLiteral("error"), 3));
        const QList<QJsonObject> errors = alice.events(QStringLiteral("error"));
        QVERIFY(errors.at(1)
                    .value(QLatin1String("message"))
                    .toString()
                    .contains(QLatin1String("/edit SEQ TEXT")));
        QCOMPARE(errors.at(2).value(QLatin1String("code")).toString(), QStringLiteral("notSent"));
    }

    void chatAndCommandsAgainstTheServer()
    {
        ServerProcess server;
        QVERIFY(server.start());
        ChildProcess alice, bob;
        QVERIFY(startCli(alice, cliArgs(server.url(), QStringLiteral("alice"), QStringLiteral("general"),
                                        QStringLiteral("chat-a.json"))));
        QVERIFY(startCli(bob, cliArgs(server.url(), QStringLiteral("bob"), QStringLiteral("general"),
                                      QStringLiteral("chat-b.json"))));
        QVERIFY(alice.waitForEvents(QStringLiteral("userJoined"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("user")) == QLatin1String("bob");
        }));
        const QJsonObject connected = alice.events(QStringLiteral("connected")).first();
        QVERIFY(connected.value(QLatin1String("features")).toArray().contains(QLatin1String("acks")));

        alice.write(QStringLiteral("hello bob"));
        QVERIFY(bob.waitForEvents(QStringLiteral("message"), 1));
        const QJsonObject m = bob.events(QStringLiteral("message")).first();
        QCOMPARE(m.value(QLatin1String("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(m.value(QLatin1String("text")).toString(), QStringLiteral("hello bob"));
        QCOMPARE(m.value(QLatin1String("room")).toString(), QStringLiteral("general"));
        QVERIFY(alice.waitForEvents(QStringLiteral("delivery"), 1, 15000,
                                    hasState(QStringLiteral("acknowledged"))));

        alice.write(QStringLiteral("/typing"));
        QVERIFY(bob.waitForEvents(QStringLiteral("typing"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("user")).toString() == QLatin1String("alice") &&
                   e.value(QLatin1String("typing")).toBool();
        }));

        alice.write(QStringLiteral("//slash"));
        QVERIFY(bob.waitForEvents(QStringLiteral("message"), 1, 15000, hasText(QStringLiteral("/slash"))));

        alice.write(QStringLiteral("/send"));
        alice.write(QStringLiteral("/nonsense"));
        QVERIFY(alice.waitForEvents(QStringLiteral("error"), 2));
        QCOMPARE(alice.events(QStringLiteral("error")).at(0).value(QLatin1String("message")).toString(),
                 QStringLiteral("usage: /send PATH"));
        QCOMPARE(alice.events(QStringLiteral("error")).at(1).value(QLatin1String("code")).toString(),
                 QStringLiteral("unknownCommand"));

        alice.write(QStringLiteral("/nick alicia"));
        QVERIFY(alice.waitForEvents(QStringLiteral("nick"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("user")) == QLatin1String("alicia");
        }));
        // Open mode: a name another connection holds is refused; bob keeps his and may try another.
        bob.write(QStringLiteral("/nick ALICIA"));
        QVERIFY(bob.waitForEvents(QStringLiteral("nameTaken"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("user")) == QLatin1String("ALICIA");
        }));
        alice.write(QStringLiteral("/join other"));
        QVERIFY(alice.waitForEvents(QStringLiteral("joined"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("room")) == QLatin1String("other");
        }));
        QVERIFY(bob.waitForEvents(QStringLiteral("userLeft")));

        alice.write(QStringLiteral("/reconnect"));
        QVERIFY(alice.waitForEvents(QStringLiteral("session"), 2));
        QCOMPARE(alice.events(QStringLiteral("session")).last().value(QLatin1String("room")).toString(),
                 QStringLiteral("other"));

        alice.write(QStringLiteral("/quit"));
        QVERIFY(alice.waitForExit());
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(alice.events(QStringLiteral("exit")).size(), 1);

        bob.closeInput();
        QVERIFY(bob.waitForExit());
        QCOMPARE(bob.exitCode(), 0);
        // Every line on stdout is one JSON object with an event name.
        for (const QByteArray &line : bob.lines())
            QVERIFY2(QJsonDocument::fromJson(line).object().contains(QLatin1String("event")),
                     line.constData());
    }

    void wssServerIsTrustedOnlyWithItsCertificate()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        const QString data = QStringLiteral(NATTER_TEST_DATA_DIR);
        ServerProcess server;
        QVERIFY(server.start(0, {QStringLiteral("--cert"), data + QStringLiteral("/localhost.crt"),
                                 QStringLiteral("--key"), data + QStringLiteral("/localhost.key")}));
        QCOMPARE(server.url().scheme(), QStringLiteral("wss"));

        // Not trusted: natter-cli stops with the reason instead of retrying for ever.
        ChildProcess stranger;
        QVERIFY(stranger.start(QStringLiteral(NATTER_CLI_PATH),
                               cliArgs(server.url(), QStringLiteral("eve"), QStringLiteral("general"),
                                       QStringLiteral("tls-e.json"))));
        QVERIFY(
            stranger.waitForEvents(QStringLiteral("state"), 1, 15000, hasState(QStringLiteral("gaveUp"))));
        const QJsonObject gaveUp = stranger.events(QStringLiteral("state")).constLast();
        QVERIFY(gaveUp.value(QLatin1String("reason")).toString().contains(QStringLiteral("certificate")));
        QVERIFY(stranger.events(QStringLiteral("state"), hasState(QStringLiteral("reconnecting"))).isEmpty());

        // Trusted: chats over TLS.
        QStringList args = cliArgs(server.url(), QStringLiteral("alice"), QStringLiteral("general"),
                                   QStringLiteral("tls-a.json"));
        args << QStringLiteral("--trust-certificate") << data + QStringLiteral("/localhost.crt");
        ChildProcess alice, bob;
        QVERIFY(startCli(alice, args));
        args = cliArgs(server.url(), QStringLiteral("bob"), QStringLiteral("general"),
                       QStringLiteral("tls-b.json"));
        args << QStringLiteral("--trust-certificate") << data + QStringLiteral("/localhost.crt");
        QVERIFY(startCli(bob, args));
        alice.write(QStringLiteral("secret hello"));
        QVERIFY(
            bob.waitForEvents(QStringLiteral("message"), 1, 15000, hasText(QStringLiteral("secret hello"))));
    }

    void baseOnlyServer()
    {
        ServerProcess server;
        QVERIFY(server.start(0, {QStringLiteral("--base-only")}));
        ChildProcess alice, bob;
        QVERIFY(startCli(alice, cliArgs(server.url(), QStringLiteral("alice"), QStringLiteral("general"),
                                        QStringLiteral("base-a.json"))));
        QVERIFY(startCli(bob, cliArgs(server.url(), QStringLiteral("bob"), QStringLiteral("general"),
                                      QStringLiteral("base-b.json"))));
        QVERIFY(alice.events(QStringLiteral("connected"))
                    .first()
                    .value(QLatin1String("features"))
                    .toArray()
                    .isEmpty());
        // Roster from join events.
        QVERIFY(alice.waitForEvents(QStringLiteral("roster"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("users")).toArray() ==
                   QJsonArray{QStringLiteral("alice"), QStringLiteral("bob")};
        }));
        alice.write(QStringLiteral("plain one"));
        alice.write(QStringLiteral("plain two"));
        QVERIFY(bob.waitForEvents(QStringLiteral("message"), 2));
        QCOMPARE(messageTexts(bob), (QStringList{QStringLiteral("plain one"), QStringLiteral("plain two")}));
        // Without acks, entries leave the outbox once written.
        QVERIFY(
            alice.waitForEvents(QStringLiteral("delivery"), 2, 15000, hasState(QStringLiteral("removed"))));
        QCOMPARE(alice.events(QStringLiteral("delivery"), hasState(QStringLiteral("acknowledged"))).size(),
                 0);
        QCOMPARE(alice.events(QStringLiteral("error")).size(), 0);
        alice.closeInput();
        bob.closeInput();
        QVERIFY(alice.waitForExit());
        QVERIFY(bob.waitForExit());
        QCOMPARE(alice.events(QStringLiteral("exit")).first().value(QLatin1String("pending")).toInt(), 0);
    }

    void outboxSurvivesSigkillWhileServerIsDown()
    {
        auto server = std::make_unique<ServerProcess>();
        QVERIFY(server->start());
        const QUrl url = server->url();
        const quint16 port = quint16(url.port());
        ChildProcess bob;
        QVERIFY(startCli(
            bob, cliArgs(url, QStringLiteral("bob"), QStringLiteral("general"), QStringLiteral("k-b.json"))));
        const QStringList aliceArgs =
            cliArgs(url, QStringLiteral("alice"), QStringLiteral("general"), QStringLiteral("k-a.json"));
        auto alice = std::make_unique<ChildProcess>();
        QVERIFY(startCli(*alice, aliceArgs));

        server->kill(); // crashed: no close frames, the port refuses
        QVERIFY(alice->waitForEvents(QStringLiteral("state"), 1, 15000,
                                     hasState(QStringLiteral("reconnecting"))));
        const QStringList typed{QStringLiteral("while down 1"), QStringLiteral("while down 2"),
                                QStringLiteral("while down 3")};
        for (const QString &t : typed)
            alice->write(t);
        // Accepted and on disk...
        QVERIFY(alice->waitForEvents(QStringLiteral("outboxSaved"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("pending")).toInt() == 3;
        }));
        alice->kill(); // ...then the client dies without any chance to clean up.

        server = std::make_unique<ServerProcess>();
        QVERIFY(server->start(port));
        QVERIFY(bob.waitForEvents(QStringLiteral("session"), 2));

        alice = std::make_unique<ChildProcess>();
        QVERIFY(startCli(*alice, aliceArgs));
        QVERIFY(alice->waitForEvents(QStringLiteral("delivery"), 3, 15000,
                                     hasState(QStringLiteral("acknowledged"))));
        // A marker sent after them: once bob has it, any duplicate would already be there too.
        alice->write(QStringLiteral("marker"));
        QVERIFY(bob.waitForEvents(QStringLiteral("message"), 1, 15000, hasText(QStringLiteral("marker"))));
        QCOMPARE(messageTexts(bob), typed + QStringList{QStringLiteral("marker")});

        alice->closeInput();
        QVERIFY(alice->waitForExit());
        QCOMPARE(alice->exitCode(), 0);
        QCOMPARE(alice->events(QStringLiteral("exit")).first().value(QLatin1String("pending")).toInt(), 0);
        bob.closeInput();
        QVERIFY(bob.waitForExit());
    }

    // Several --url: nothing listens at the first, so the reconnect goes to the second, and the
    // state events say which node is in use.
    void secondUrlIsUsedWhenTheFirstIsDead()
    {
        QTcpServer probe; // a port where nothing listens once it is closed
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QUrl dead(QStringLiteral("ws://127.0.0.1:%1").arg(probe.serverPort()));
        probe.close();
        ServerProcess server;
        QVERIFY(server.start());
        ChildProcess alice;
        QVERIFY(startCli(
            alice,
            cliArgs(dead, QStringLiteral("alice"), QStringLiteral("general"), QStringLiteral("f-a.json"))
                << QStringLiteral("--url") << server.url().toString()));
        const auto urlOf = [](const QJsonObject &e) {
            return e.value(QLatin1String("url")).toString();
        };
        const QList<QJsonObject> connecting =
            alice.events(QStringLiteral("state"), hasState(QStringLiteral("connecting")));
        QVERIFY(connecting.size() >= 2);
        QCOMPARE(urlOf(connecting.first()), dead.toString());
        const QList<QJsonObject> connected =
            alice.events(QStringLiteral("state"), hasState(QStringLiteral("connected")));
        QCOMPARE(connected.size(), 1);
        QCOMPARE(urlOf(connected.first()), server.url().toString());
        alice.closeInput();
        QVERIFY(alice.waitForExit());
        QCOMPARE(alice.exitCode(), 0);
    }

    // What natter-cli received stays in its cache: /search (and --search) find it, Latin and
    // CJK substrings alike, with the server gone.
    void searchFindsCachedMessagesOffline()
    {
        auto server = std::make_unique<ServerProcess>();
        QVERIFY(server->start());
        const QUrl url = server->url();
        const QStringList aliceArgs =
            cliArgs(url, QStringLiteral("alice"), QStringLiteral("general"), QStringLiteral("s-a.json"));
        const QString cache = m_dir.filePath(QStringLiteral("s-a.json.cache.sqlite"));
        ChildProcess alice, bob;
        QVERIFY(startCli(alice, aliceArgs));
        QVERIFY(startCli(
            bob, cliArgs(url, QStringLiteral("bob"), QStringLiteral("general"), QStringLiteral("s-b.json"))));
        const QStringList texts{QStringLiteral("Deploying the release tonight"),
                                QStringLiteral("明日は東京で会議があります"),
                                QStringLiteral("今天天气很好，我们去公园吧"), QStringLiteral("lunch?")};
        for (const QString &t : texts)
            bob.write(t);
        QVERIFY(alice.waitForEvents(QStringLiteral("message"), 4));
        alice.write(QStringLiteral("my own deploy note"));
        QVERIFY(alice.waitForEvents(QStringLiteral("delivery"), 1, 15000,
                                    hasState(QStringLiteral("acknowledged"))));
        alice.closeInput();
        QVERIFY(alice.waitForExit());
        bob.closeInput();
        QVERIFY(bob.waitForExit());
        server->kill();

        auto results = [](const ChildProcess &cli) {
            QStringList out;
            for (const QJsonObject &e : cli.events(QStringLiteral("searchResult")))
                out.append(e.value(QLatin1String("text")).toString());
            return out;
        };
        // In a session that cannot connect: the server is down.
        ChildProcess offline;
        QVERIFY(offline.start(QStringLiteral(NATTER_CLI_PATH), aliceArgs));
        QVERIFY(offline.waitForEvents(QStringLiteral("state"), 1, 15000,
                                      hasState(QStringLiteral("reconnecting"))));
        offline.write(QStringLiteral("/search DEPLOY"));
        QVERIFY(offline.waitForEvents(QStringLiteral("searchDone")));
        QCOMPARE(results(offline), (QStringList{QStringLiteral("my own deploy note"),
                                                QStringLiteral("Deploying the release tonight")}));
        const QJsonObject hit = offline.events(QStringLiteral("searchResult")).constLast();
        QCOMPARE(hit.value(QLatin1String("user")).toString(), QStringLiteral("bob"));
        QCOMPARE(hit.value(QLatin1String("room")).toString(), QStringLiteral("general"));
        QVERIFY(hit.value(QLatin1String("seq")).toInteger() >= 1);
        QVERIFY(hit.value(QLatin1String("timestamp")).toInteger() > 0);
        QCOMPARE(hit.value(QLatin1String("matches")).toArray().at(0).toArray(), (QJsonArray{0, 6}));
        QCOMPARE(
            offline.events(QStringLiteral("searchDone")).constFirst().value(QLatin1String("count")).toInt(),
            2);
        offline.write(QStringLiteral("/search 天气"));
        QVERIFY(offline.waitForEvents(QStringLiteral("searchDone"), 2));
        QCOMPARE(results(offline).mid(2), QStringList{texts.at(2)});
        offline.write(QStringLiteral("/search 東京で会議"));
        QVERIFY(offline.waitForEvents(QStringLiteral("searchDone"), 3));
        QCOMPARE(results(offline).mid(3), QStringList{texts.at(1)});
        offline.write(QStringLiteral("/search nothing like it"));
        QVERIFY(offline.waitForEvents(QStringLiteral("searchDone"), 4));
        QCOMPARE(results(offline).size(), 4);
        offline.write(QStringLiteral("/quit"));
        QVERIFY(offline.waitForExit());

        // One-shot, without a session or a user.
        ChildProcess once;
        QVERIFY(once.start(QStringLiteral(NATTER_CLI_PATH),
                           {QStringLiteral("--url"), url.toString(), QStringLiteral("--cache"), cache,
                            QStringLiteral("--search"), QStringLiteral("公园")}));
        QVERIFY(once.waitForExit());
        QCOMPARE(once.exitCode(), 0);
        QCOMPARE(results(once), QStringList{texts.at(2)});
        QCOMPARE(once.events(QStringLiteral("searchDone")).size(), 1);
        // Another server's cache is apart.
        ChildProcess other;
        QVERIFY(other.start(QStringLiteral(NATTER_CLI_PATH),
                            {QStringLiteral("--url"), QStringLiteral("ws://elsewhere.example:1/"),
                             QStringLiteral("--cache"), cache, QStringLiteral("--search"),
                             QStringLiteral("公园")}));
        QVERIFY(other.waitForExit());
        QVERIFY(results(other).isEmpty());
        // Without a cache, /search says so.
        ChildProcess none;
        QStringList noCache = aliceArgs;
        noCache.removeLast();
        noCache.removeLast();
        QVERIFY(
            none.start(QStringLiteral(NATTER_CLI_PATH), noCache + QStringList{QStringLiteral("--no-cache")}));
        none.write(QStringLiteral("/search deploy"));
        QVERIFY(none.waitForEvents(QStringLiteral("error"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("code")).toString() == QLatin1String("noCache");
        }));
        none.write(QStringLiteral("/quit"));
        QVERIFY(none.waitForExit());
    }

    // /older pages back: from the server past what natter-cli printed and cached, then (offline,
    // in a later run) from the cache alone.
    void olderPagesBackThroughServerAndCache()
    {
        auto server = std::make_unique<ServerProcess>();
        QVERIFY(server->start());
        const QUrl url = server->url();
        ChildProcess bob;
        QVERIFY(startCli(
            bob, cliArgs(url, QStringLiteral("bob"), QStringLiteral("general"), QStringLiteral("o-b.json"))));
        for (int i = 1; i <= 80; ++i)
            bob.write(QStringLiteral("old %1").arg(i));
        QVERIFY(bob.waitForEvents(QStringLiteral("delivery"), 80, 30000,
                                  hasState(QStringLiteral("acknowledged"))));
        const QStringList aliceArgs =
            cliArgs(url, QStringLiteral("alice"), QStringLiteral("general"), QStringLiteral("o-a.json"));
        auto olderTexts = [](const ChildProcess &cli) {
            QStringList out;
            for (const QJsonObject &e : cli.events(QStringLiteral("message"), [](const QJsonObject &e) {
                     return e.value(QLatin1String("older")).toBool();
                 }))
                out.append(e.value(QLatin1String("text")).toString());
            return out;
        };
        auto expected = [](int from, int to) { // newest first
            QStringList out;
            for (int i = to; i >= from; --i)
                out.append(QStringLiteral("old %1").arg(i));
            return out;
        };
        {
            ChildProcess alice;
            QVERIFY(startCli(alice, aliceArgs));
            QVERIFY(alice.waitForEvents(QStringLiteral("message"), 50)); // the recent history
            QCOMPARE(
                alice.events(QStringLiteral("message")).constFirst().value(QLatin1String("text")).toString(),
                QStringLiteral("old 31"));
            alice.write(QStringLiteral("/older 20"));
            QVERIFY(alice.waitForEvents(QStringLiteral("olderDone")));
            QCOMPARE(olderTexts(alice), expected(11, 30));
            QCOMPARE(alice.events(QStringLiteral("olderDone"))
                         .constLast()
                         .value(QLatin1String("source"))
                         .toString(),
                     QStringLiteral("server"));
            alice.write(QStringLiteral("/older 20"));
            QVERIFY(alice.waitForEvents(QStringLiteral("olderDone"), 2));
            QCOMPARE(olderTexts(alice), expected(1, 30));
            QVERIFY(
                !alice.events(QStringLiteral("olderDone")).constLast().value(QLatin1String("more")).toBool());
            alice.write(QStringLiteral("/older"));
            QVERIFY(alice.waitForEvents(QStringLiteral("olderDone"), 3));
            QCOMPARE(
                alice.events(QStringLiteral("olderDone")).constLast().value(QLatin1String("count")).toInt(),
                0);
            alice.closeInput();
            QVERIFY(alice.waitForExit());
        }
        bob.closeInput();
        QVERIFY(bob.waitForExit());
        server->kill();
        // Offline: everything comes from the cache, newest first.
        ChildProcess offline;
        QVERIFY(offline.start(QStringLiteral(NATTER_CLI_PATH), aliceArgs));
        QVERIFY(offline.waitForEvents(QStringLiteral("state"), 1, 15000,
                                      hasState(QStringLiteral("reconnecting"))));
        offline.write(QStringLiteral("/older 1000"));
        QVERIFY(offline.waitForEvents(QStringLiteral("olderDone")));
        QCOMPARE(olderTexts(offline), expected(1, 80));
        QCOMPARE(offline.events(QStringLiteral("olderDone"))
                     .constFirst()
                     .value(QLatin1String("source"))
                     .toString(),
                 QStringLiteral("cache"));
        offline.write(QStringLiteral("/quit"));
        QVERIFY(offline.waitForExit());
    }

    void endOfInputWhileOfflineKeepsUnsentOnDisk()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QStringList args = cliArgs(server.url(), QStringLiteral("carol"), QStringLiteral("general"),
                                   QStringLiteral("eof.json"));
        args << QStringLiteral("--flush-timeout-ms") << QStringLiteral("300");
        ChildProcess carol;
        QVERIFY(startCli(carol, args));
        server.kill();
        QVERIFY(
            carol.waitForEvents(QStringLiteral("state"), 1, 15000, hasState(QStringLiteral("reconnecting"))));
        carol.write(QStringLiteral("not yet delivered"));
        carol.closeInput();
        QVERIFY(carol.waitForExit());
        QCOMPARE(carol.exitStatus(), QProcess::NormalExit);
        QCOMPARE(carol.exitCode(), 0);
        QCOMPARE(carol.events(QStringLiteral("exit")).first().value(QLatin1String("pending")).toInt(), 1);
        QFile file(m_dir.filePath(QStringLiteral("eof.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("not yet delivered"));
    }

    void fullOutboxAndCorruptFileAreReported()
    {
        const QString path = m_dir.filePath(QStringLiteral("corrupt.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ this is not json");
        file.close();

        QStringList args = cliArgs(QUrl(QStringLiteral("ws://127.0.0.1:1")), QStringLiteral("dave"),
                                   QStringLiteral("general"), QStringLiteral("corrupt.json"));
        args << QStringLiteral("--outbox-max-messages") << QStringLiteral("1")
             << QStringLiteral("--flush-timeout-ms") << QStringLiteral("100");
        ChildProcess dave;
        QVERIFY(dave.start(QStringLiteral(NATTER_CLI_PATH), args));
        QVERIFY(dave.waitForEvents(QStringLiteral("warning")));
        QVERIFY(dave.events(QStringLiteral("warning"))
                    .first()
                    .value(QLatin1String("message"))
                    .toString()
                    .contains(QStringLiteral("corrupt")));
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("corrupt.json.corrupt-*")}).size(), 1);

        dave.write(QStringLiteral("fits"));
        dave.write(QStringLiteral("does not fit"));
        QVERIFY(dave.waitForEvents(QStringLiteral("sendFailed")));
        const QJsonObject failed = dave.events(QStringLiteral("sendFailed")).first();
        QCOMPARE(failed.value(QLatin1String("text")).toString(), QStringLiteral("does not fit"));
        QVERIFY(failed.value(QLatin1String("reason")).toString().contains(QStringLiteral("full")));
        dave.closeInput();
        QVERIFY(dave.waitForExit());
        QCOMPARE(dave.exitCode(), 0);
    }

    // The password once: the token it buys is stored readable by the user alone, and the next run
    // logs in with it although it has no password at all.
    void loginStoresATokenThatTheNextRunUses()
    {
        const QString data = newDataDir();
        const QString password = QStringLiteral("Zebra-Marmalade-7731");
        QVERIFY(addUser(data, QStringLiteral("Ana"), password));
        ServerProcess server;
        QVERIFY(server.start(0, accountsServerArgs(data)));
        const QString tokenDir = m_dir.filePath(QStringLiteral("tokens-login/natter")); // parent missing too
        const QStringList args =
            accountArgs(server.url(), QStringLiteral("ana"), QStringLiteral("login.json"), tokenDir);

        ChildProcess first;
        QVERIFY(startWithPassword(first, args, password));
        QVERIFY(first.waitForEvents(QStringLiteral("session")));
        QCOMPARE(problems(first), QStringList{QStringLiteral("noCredentials")});
        QCOMPARE(first.events(QStringLiteral("loggingIn")).size(), 1);
        const QJsonObject auth = first.events(QStringLiteral("authenticated")).constFirst();
        QCOMPARE(auth.value(QLatin1String("account")).toString(), QStringLiteral("Ana"));
        QCOMPARE(auth.value(QLatin1String("method")).toString(), QStringLiteral("password"));
        QVERIFY(auth.value(QLatin1String("expiresAt")).toDouble() > double(Protocol::nowMs()));
        QCOMPARE(
            first.events(QStringLiteral("connected")).constFirst().value(QLatin1String("auth")).toString(),
            QStringLiteral("accounts"));
        QCOMPARE(first.events(QStringLiteral("session")).constFirst().value(QLatin1String("user")).toString(),
                 QStringLiteral("Ana"));
        first.write(QStringLiteral("hello with a password"));
        QVERIFY(first.waitForEvents(QStringLiteral("delivery"), 1, 15000,
                                    hasState(QStringLiteral("acknowledged"))));
        QVERIFY(quit(first));
        QCOMPARE(first.exitCode(), 0);

        // One file, 0600, in a directory of 0700.
        QCOMPARE(modeOf(tokenDir), 0700);
        const QStringList files = tokenFiles(tokenDir);
        QCOMPARE(files.size(), 1);
        QCOMPARE(modeOf(files.constFirst()), 0600);
        QFile file(files.constFirst());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString token =
            QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("token")).toString();
        file.close();
        QCOMPARE(token.size(), 43);
        // Neither the password nor the token is printed; the password is in no file of the test.
        for (const QByteArray &line : first.lines()) {
            QVERIFY2(!line.contains(password.toUtf8()), line.constData());
            QVERIFY2(!line.contains(token.toUtf8()), line.constData());
        }
        QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(password.toUtf8()), qPrintable(f.fileName()));
        }

        // No NATTER_PASSWORD, no --password-file: the stored token is all it has, and it is enough.
        ChildProcess second;
        QVERIFY(startWithPassword(second, args, QString()));
        QVERIFY(second.waitForEvents(QStringLiteral("session")));
        QCOMPARE(second.events(QStringLiteral("authenticated"))
                     .constFirst()
                     .value(QLatin1String("method"))
                     .toString(),
                 QStringLiteral("token"));
        QVERIFY(second.events(QStringLiteral("loginRequired")).isEmpty());
        QVERIFY(second.events(QStringLiteral("loggingIn")).isEmpty());
        // The token went in the upgrade: no login step at all.
        QVERIFY(second.events(QStringLiteral("state"), hasState(QStringLiteral("authenticating"))).isEmpty());
        second.write(QStringLiteral("hello with a token"));
        QVERIFY(second.waitForEvents(QStringLiteral("delivery"), 1, 15000,
                                     hasState(QStringLiteral("acknowledged"))));
        QVERIFY(quit(second));
        QCOMPARE(second.exitCode(), 0);
        QCOMPARE(tokenFiles(tokenDir), files); // the same token: nothing rewritten
    }

    // A wrong password is sent once; natter-cli says so and exits with its own status.
    void wrongOrMissingPasswordExitsAtOnce()
    {
        const QString data = newDataDir();
        QVERIFY(addUser(data, QStringLiteral("bo"), QStringLiteral("the right one")));
        ServerProcess server;
        QVERIFY(server.start(0, accountsServerArgs(data)));
        const QString tokenDir = m_dir.filePath(QStringLiteral("tokens-wrong"));
        const QStringList args =
            accountArgs(server.url(), QStringLiteral("bo"), QStringLiteral("wrong.json"), tokenDir);

        ChildProcess wrong;
        QVERIFY(startWithPassword(wrong, args, QStringLiteral("not the right one")));
        QVERIFY(wrong.waitForExit());
        QCOMPARE(wrong.exitStatus(), QProcess::NormalExit);
        QCOMPARE(wrong.exitCode(), 4);
        QCOMPARE(problems(wrong),
                 (QStringList{QStringLiteral("noCredentials"), QStringLiteral("wrongCredentials")}));
        // One `auth` with the password: the first login step only found there was no token.
        QCOMPARE(wrong.events(QStringLiteral("loggingIn")).size(), 1);
        QCOMPARE(wrong.events(QStringLiteral("state"), hasState(QStringLiteral("authenticating"))).size(), 2);
        QCOMPARE(wrong.events(QStringLiteral("exit")).constFirst().value(QLatin1String("status")).toInt(), 4);
        QVERIFY(wrong.events(QStringLiteral("authenticated")).isEmpty());
        QVERIFY(tokenFiles(tokenDir).isEmpty());

        // No password at all: nothing to send, so it stops at the first question.
        ChildProcess none;
        QVERIFY(startWithPassword(none, args, QString()));
        QVERIFY(none.waitForExit());
        QCOMPARE(none.exitCode(), 3);
        QCOMPARE(problems(none), QStringList{QStringLiteral("noCredentials")});
        QVERIFY(none.events(QStringLiteral("loggingIn")).isEmpty());
        QCOMPARE(none.events(QStringLiteral("exit")).constFirst().value(QLatin1String("status")).toInt(), 3);
    }

    // /logout revokes the token on the server: a copy kept aside is worth nothing afterwards.
    void logoutRevokesTheToken()
    {
        const QString data = newDataDir();
        const QString password = QStringLiteral("log me out");
        QVERIFY(addUser(data, QStringLiteral("cy"), password));
        ServerProcess server;
        QVERIFY(server.start(0, accountsServerArgs(data)));
        const QString tokenDir = m_dir.filePath(QStringLiteral("tokens-logout"));
        const QStringList args =
            accountArgs(server.url(), QStringLiteral("cy"), QStringLiteral("logout.json"), tokenDir);

        ChildProcess login;
        QVERIFY(startWithPassword(login, args, password));
        QVERIFY(login.waitForEvents(QStringLiteral("session")));
        QVERIFY(quit(login));
        QCOMPARE(tokenFiles(tokenDir).size(), 1);
        const QString tokenFile = tokenFiles(tokenDir).constFirst();
        QFile file(tokenFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray kept = file.readAll();
        file.close();

        ChildProcess logout;
        QVERIFY(startWithPassword(logout, args, QString()));
        QVERIFY(logout.waitForEvents(QStringLiteral("session")));
        logout.write(QStringLiteral("/logout"));
        QVERIFY(logout.waitForExit());
        QCOMPARE(logout.exitCode(), 0);
        QCOMPARE(logout.events(QStringLiteral("loggedOut")).size(), 1);
        QVERIFY(!QFile::exists(tokenFile));

        // The same token put back: the server no longer knows it, and it is removed again.
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QCOMPARE(file.write(kept), kept.size());
        file.close();
        ChildProcess after;
        QVERIFY(startWithPassword(after, args, QString()));
        QVERIFY(after.waitForExit());
        QCOMPARE(after.exitCode(), 3);
        QCOMPARE(problems(after), QStringList{QStringLiteral("tokenRejected")});
        QVERIFY(!QFile::exists(tokenFile));
    }

    // `user passwd` ends the session: the token file goes, the old password is tried once, and the
    // refusal ends the run instead of a retry loop.
    void sessionEndedByPasswd()
    {
        const QString data = newDataDir();
        QVERIFY(addUser(data, QStringLiteral("gus"), QStringLiteral("old password")));
        ServerProcess server;
        QVERIFY(server.start(0, accountsServerArgs(data)));
        const QString tokenDir = m_dir.filePath(QStringLiteral("tokens-passwd"));
        ChildProcess cli;
        QVERIFY(startWithPassword(
            cli, accountArgs(server.url(), QStringLiteral("gus"), QStringLiteral("passwd.json"), tokenDir),
            QStringLiteral("old password")));
        QVERIFY(cli.waitForEvents(QStringLiteral("session")));
        QTRY_COMPARE_WITH_TIMEOUT(tokenFiles(tokenDir).size(), 1, 15000);
        QVERIFY(
            addUser(data, QStringLiteral("gus"), QStringLiteral("new password"), QStringLiteral("passwd")));
        // The server notices within its revocation check (5 s) and closes with 4003.
        QVERIFY(cli.waitForExit(30000));
        QCOMPARE(cli.exitCode(), 4);
        QCOMPARE(problems(cli), (QStringList{QStringLiteral("noCredentials"), QStringLiteral("sessionEnded"),
                                             QStringLiteral("wrongCredentials")}));
        QCOMPARE(cli.events(QStringLiteral("loggingIn")).size(), 2);
        QVERIFY(tokenFiles(tokenDir).isEmpty());
    }

    // --auth-at-handshake: the password goes to /login, the token in every later upgrade.
    void authAtHandshake()
    {
        const QString data = newDataDir();
        const QString password = QStringLiteral("handshake pass");
        QVERIFY(addUser(data, QStringLiteral("di"), password));
        ServerProcess server;
        QVERIFY(server.start(0, accountsServerArgs(data) << QStringLiteral("--auth-at-handshake")));
        const QString tokenDir = m_dir.filePath(QStringLiteral("tokens-handshake"));
        const QStringList args =
            accountArgs(server.url(), QStringLiteral("di"), QStringLiteral("hs.json"), tokenDir);

        // This time from a file, as a service would keep it.
        const QString passwordFile = m_dir.filePath(QStringLiteral("handshake-password"));
        QFile file(passwordFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QVERIFY(file.write(password.toUtf8() + '\n') > 0);
        file.close();
        ChildProcess first;
        QVERIFY(startWithPassword(
            first, QStringList(args) << QStringLiteral("--password-file") << passwordFile, QString()));
        QVERIFY(first.waitForEvents(QStringLiteral("session")));
        QCOMPARE(problems(first), QStringList{QStringLiteral("noCredentials")});
        QCOMPARE(first.events(QStringLiteral("authenticated"))
                     .constFirst()
                     .value(QLatin1String("method"))
                     .toString(),
                 QStringLiteral("password"));
        QVERIFY(quit(first));
        QCOMPARE(tokenFiles(tokenDir).size(), 1);

        ChildProcess second;
        QVERIFY(startWithPassword(second, args, QString()));
        QVERIFY(second.waitForEvents(QStringLiteral("session")));
        QCOMPARE(second.events(QStringLiteral("authenticated"))
                     .constFirst()
                     .value(QLatin1String("method"))
                     .toString(),
                 QStringLiteral("token"));
        QVERIFY(second.events(QStringLiteral("loginRequired")).isEmpty());
        QVERIFY(quit(second));
        QCOMPARE(second.exitCode(), 0);

        // A wrong password on such a server ends the same way as anywhere.
        ChildProcess wrong;
        QVERIFY(startWithPassword(wrong,
                                  accountArgs(server.url(), QStringLiteral("di"), QStringLiteral("hs2.json"),
                                              m_dir.filePath(QStringLiteral("tokens-handshake2"))),
                                  QStringLiteral("not it")));
        QVERIFY(wrong.waitForExit());
        QCOMPARE(wrong.exitCode(), 4);
        QCOMPARE(wrong.events(QStringLiteral("loggingIn")).size(), 1);
    }

    // --register creates the account where registration is open, logs in where it exists, and
    // says so where registration is closed.
    void registerAccount()
    {
        const QString data = newDataDir();
        ServerProcess open;
        QVERIFY(open.start(0, accountsServerArgs(data)
                                  << QStringLiteral("--registration") << QStringLiteral("open")));
        QStringList args = accountArgs(open.url(), QStringLiteral("eve"), QStringLiteral("reg.json"),
                                       m_dir.filePath(QStringLiteral("tokens-reg")))
                           << QStringLiteral("--register");
        ChildProcess creator;
        QVERIFY(startWithPassword(creator, args, QStringLiteral("new account")));
        QVERIFY(creator.waitForEvents(QStringLiteral("session")));
        QCOMPARE(creator.events(QStringLiteral("loggingIn"))
                     .constFirst()
                     .value(QLatin1String("register"))
                     .toBool(),
                 true);
        QVERIFY(quit(creator));

        // Elsewhere, without the token: the name has an account, so the password logs in to it.
        args = accountArgs(open.url(), QStringLiteral("eve"), QStringLiteral("reg2.json"),
                           m_dir.filePath(QStringLiteral("tokens-reg2")))
               << QStringLiteral("--register");
        ChildProcess again;
        QVERIFY(startWithPassword(again, args, QStringLiteral("new account")));
        QVERIFY(again.waitForEvents(QStringLiteral("session")));
        QCOMPARE(problems(again),
                 (QStringList{QStringLiteral("noCredentials"), QStringLiteral("nameTaken")}));
        QCOMPARE(again.events(QStringLiteral("loggingIn")).size(), 2);
        QVERIFY(quit(again));

        ServerProcess closed;
        QVERIFY(closed.start(0, accountsServerArgs(newDataDir())));
        ChildProcess refused;
        QVERIFY(
            startWithPassword(refused,
                              accountArgs(closed.url(), QStringLiteral("eve"), QStringLiteral("reg3.json"),
                                          m_dir.filePath(QStringLiteral("tokens-reg3")))
                                  << QStringLiteral("--register"),
                              QStringLiteral("new account")));
        QVERIFY(refused.waitForExit());
        QCOMPARE(refused.exitCode(), 6);
        QCOMPARE(problems(refused),
                 (QStringList{QStringLiteral("noCredentials"), QStringLiteral("registrationClosed")}));
    }

    // A password in the environment changes nothing on an open server, and /logout has nothing to end.
    // The server saying it cannot store messages, and then that it can again, reaches a script as
    // one serverStatus event each (docs/CLI.md). The server runs in this process: the waits run the
    // event loop (QTRY_*) instead of blocking in the child's pipe.
    void serverStatusIsPrinted()
    {
        auto server = startTestServer();
        ChildProcess cli;
        QVERIFY(cli.start(QStringLiteral(NATTER_CLI_PATH),
                          cliArgs(server->url(), QStringLiteral("dora"), QStringLiteral("general"),
                                  QStringLiteral("status.json"))));
        QTRY_COMPARE_WITH_TIMEOUT(cli.events(QStringLiteral("session")).size(), 1, 15000);
        QVERIFY(cli.events(QStringLiteral("serverStatus")).isEmpty()); // ok is not news

        server->setDegraded(QStringLiteral("disk full"));
        QTRY_COMPARE_WITH_TIMEOUT(cli.events(QStringLiteral("serverStatus")).size(), 1, 15000);
        const QJsonObject degraded = cli.events(QStringLiteral("serverStatus")).constFirst();
        QCOMPARE(degraded.value(QLatin1String("status")).toString(), QStringLiteral("degraded"));
        QCOMPARE(degraded.value(QLatin1String("reason")).toString(), QStringLiteral("disk full"));
        QVERIFY(degraded.contains(QLatin1String("time")));

        server->setDegraded({});
        QTRY_COMPARE_WITH_TIMEOUT(cli.events(QStringLiteral("serverStatus")).size(), 2, 15000);
        const QJsonObject ok = cli.events(QStringLiteral("serverStatus")).at(1);
        QCOMPARE(ok.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QVERIFY(!ok.contains(QLatin1String("reason")));

        cli.write(QStringLiteral("/quit"));
        QTRY_VERIFY_WITH_TIMEOUT(cli.process().state() == QProcess::NotRunning, 15000);
        QCOMPARE(cli.exitCode(), 0);
    }

    void openServerIgnoresThePassword()
    {
        ServerProcess server;
        QVERIFY(server.start());
        const QString tokenDir = m_dir.filePath(QStringLiteral("tokens-open"));
        ChildProcess cli;
        QVERIFY(startWithPassword(
            cli, accountArgs(server.url(), QStringLiteral("fay"), QStringLiteral("open.json"), tokenDir),
            QStringLiteral("unused")));
        QVERIFY(cli.waitForEvents(QStringLiteral("session")));
        QCOMPARE(cli.events(QStringLiteral("connected")).constFirst().value(QLatin1String("auth")).toString(),
                 QStringLiteral("open"));
        cli.write(QStringLiteral("/logout"));
        QVERIFY(cli.waitForEvents(QStringLiteral("error"), 1, 15000, [](const QJsonObject &e) {
            return e.value(QLatin1String("code")).toString() == QLatin1String("notLoggedIn");
        }));
        QVERIFY(quit(cli));
        QCOMPARE(cli.exitCode(), 0);
        QVERIFY(cli.events(QStringLiteral("authenticated")).isEmpty());
        QVERIFY(cli.events(QStringLiteral("loggingIn")).isEmpty());
        QVERIFY(!QFileInfo::exists(tokenDir));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

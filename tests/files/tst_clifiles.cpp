// SPDX-License-Identifier: GPL-3.0-or-later
#include "cliprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

namespace {
QStringList cliArgs(const QUrl &url, const QString &user, const QTemporaryDir &dir,
                    const QStringList &extra = {})
{
    return QStringList{QStringLiteral("--url"),
                       url.toString(),
                       QStringLiteral("--user"),
                       user,
                       QStringLiteral("--room"),
                       QStringLiteral("general"),
                       QStringLiteral("--outbox"),
                       dir.filePath(QStringLiteral("outbox-%1.json").arg(user)),
                       QStringLiteral("--ping-interval-ms"),
                       QStringLiteral("200"),
                       QStringLiteral("--progress-interval-ms"),
                       QStringLiteral("100"),
                       QStringLiteral("--initial-delay-ms"),
                       QStringLiteral("50")} +
           extra;
}

bool writeRandomFile(const QString &path, qint64 size)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    for (qint64 left = size; left > 0; left -= block.size()) {
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        const qint64 n = std::min<qint64>(left, block.size());
        if (f.write(block.constData(), n) != n)
            return false;
    }
    return true;
}

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

auto transferIn(const QString &direction, const QString &state)
{
    return [direction, state](const QJsonObject &e) {
        return e.value(QLatin1String("direction")).toString() == direction &&
               e.value(QLatin1String("state")).toString() == state;
    };
}

int indexOf(const ChildProcess &p, const QString &event,
            const std::function<bool(const QJsonObject &)> &pred = {})
{
    const QList<QJsonObject> &all = p.events();
    for (int i = 0; i < all.size(); ++i) {
        if (all.at(i).value(QLatin1String("event")).toString() == event && (!pred || pred(all.at(i))))
            return i;
    }
    return -1;
}
} // namespace

//! natter-cli's /send and --download-dir, as processes against the real natter-server.
class TestCliFiles : public QObject
{
    Q_OBJECT

private slots:
    void sendAndReceiveFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ServerProcess server;
        QVERIFY(server.start());
        const QString downloads = dir.filePath(QStringLiteral("bob's files"));
        const QString source = dir.filePath(QStringLiteral("holiday photos.tar"));
        QVERIFY(writeRandomFile(source, 6 * 1024 * 1024 + 11));

        ChildProcess bob, carol, dave, alice;
        QVERIFY(bob.start(QStringLiteral(NATTER_CLI_PATH),
                          cliArgs(server.url(), QStringLiteral("bob"), dir,
                                  {QStringLiteral("--download-dir"), downloads})));
        QVERIFY(carol.start(QStringLiteral(NATTER_CLI_PATH),
                            cliArgs(server.url(), QStringLiteral("carol"), dir)));
        QVERIFY(dave.start(QStringLiteral(NATTER_CLI_PATH),
                           cliArgs(server.url(), QStringLiteral("dave"), dir,
                                   {QStringLiteral("--download-dir"), dir.filePath(QStringLiteral("dave")),
                                    QStringLiteral("--max-download-bytes"), QStringLiteral("1000000")})));
        QVERIFY(alice.start(QStringLiteral(NATTER_CLI_PATH),
                            cliArgs(server.url(), QStringLiteral("alice"), dir)));
        for (ChildProcess *p : {&bob, &carol, &dave, &alice})
            QVERIFY(p->waitForEvents(QStringLiteral("session")));
        QVERIFY(QFileInfo(downloads).isDir()); // created by natter-cli

        // End of input right after /send: natter-cli waits for the upload before it exits.
        alice.write(QStringLiteral("/send ") + source);
        alice.closeInput();
        QVERIFY(alice.waitForEvents(QStringLiteral("transfer"), 1, 30000,
                                    transferIn(QStringLiteral("upload"), QStringLiteral("completed"))));
        QVERIFY(alice.waitForEvents(QStringLiteral("exit")));
        QVERIFY(alice.waitForExit());
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(alice.events(QStringLiteral("exit")).size(), 1);
        QVERIFY(indexOf(alice, QStringLiteral("finishing")) >= 0);
        QVERIFY(indexOf(alice, QStringLiteral("exit")) >
                indexOf(alice, QStringLiteral("transfer"),
                        transferIn(QStringLiteral("upload"), QStringLiteral("completed"))));
        const QJsonObject sent = alice.events(QStringLiteral("transfer")).constLast();
        QCOMPARE(sent.value(QLatin1String("name")).toString(), QStringLiteral("holiday photos.tar"));
        QCOMPARE(sent.value(QLatin1String("size")).toInteger(), QFileInfo(source).size());
        QCOMPARE(sent.value(QLatin1String("done")).toInteger(), QFileInfo(source).size());
        QCOMPARE(sent.value(QLatin1String("path")).toString(), source);
        // Progress only grows; the states run queued -> active -> completed.
        qint64 last = -1;
        QStringList states;
        for (const QJsonObject &e : alice.events(QStringLiteral("transfer"))) {
            QVERIFY(e.value(QLatin1String("done")).toInteger() >= last);
            last = e.value(QLatin1String("done")).toInteger();
            if (states.isEmpty() || states.constLast() != e.value(QLatin1String("state")).toString())
                states.append(e.value(QLatin1String("state")).toString());
        }
        QCOMPARE(states, (QStringList{QStringLiteral("queued"), QStringLiteral("active"),
                                      QStringLiteral("completed")}));

        QVERIFY(bob.waitForEvents(QStringLiteral("transfer"), 1, 30000,
                                  transferIn(QStringLiteral("download"), QStringLiteral("completed"))));
        const QJsonObject got =
            bob.events(QStringLiteral("transfer"),
                       transferIn(QStringLiteral("download"), QStringLiteral("completed")))
                .constFirst();
        QCOMPARE(got.value(QLatin1String("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(got.value(QLatin1String("room")).toString(), QStringLiteral("general"));
        QCOMPARE(got.value(QLatin1String("path")).toString(),
                 QDir(downloads).filePath(QStringLiteral("holiday photos.tar")));
        QVERIFY(contents(got.value(QLatin1String("path")).toString()) == contents(source));
        QCOMPARE(QDir(downloads).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("holiday photos.tar")});

        // Dave's limit refuses it with a reason; carol, without a download folder, gets nothing.
        QVERIFY(dave.waitForEvents(QStringLiteral("transfer"), 1, 15000,
                                   transferIn(QStringLiteral("download"), QStringLiteral("failed"))));
        const QJsonObject refused = dave.events(QStringLiteral("transfer")).constLast();
        QVERIFY(refused.value(QLatin1String("error")).toString().contains(QLatin1String("limit")));
        QVERIFY(QDir(dir.filePath(QStringLiteral("dave"))).entryList(QDir::Files | QDir::Hidden).isEmpty());
        carol.write(QStringLiteral("/transfers"));
        QVERIFY(carol.waitForEvents(QStringLiteral("transfers")));
        QCOMPARE(carol.events(QStringLiteral("transfers"))
                     .constFirst()
                     .value(QLatin1String("transfers"))
                     .toArray()
                     .size(),
                 0);
        QCOMPARE(carol.events(QStringLiteral("transfer")).size(), 0);
        // Carol still learns that the file was sent: its entry in the room's history.
        QVERIFY(carol.waitForEvents(QStringLiteral("message")));
        const QJsonObject entry = carol.events(QStringLiteral("message")).constFirst();
        QCOMPARE(entry.value(QLatin1String("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(entry.value(QLatin1String("text")).toString(), QStringLiteral("holiday photos.tar"));
        QCOMPARE(entry.value(QLatin1String("seq")).toInteger(), 1);
        const QJsonObject file = entry.value(QLatin1String("file")).toObject();
        QCOMPARE(file.value(QLatin1String("name")).toString(), QStringLiteral("holiday photos.tar"));
        QCOMPARE(file.value(QLatin1String("size")).toInteger(), QFileInfo(source).size());
    }

    void refusalsAndCancel()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ServerProcess server;
        QVERIFY(server.start());
        ChildProcess alice, bob;
        const QString downloads = dir.filePath(QStringLiteral("in"));
        QVERIFY(bob.start(QStringLiteral(NATTER_CLI_PATH),
                          cliArgs(server.url(), QStringLiteral("bob"), dir,
                                  {QStringLiteral("--download-dir"), downloads})));
        QVERIFY(alice.start(QStringLiteral(NATTER_CLI_PATH),
                            cliArgs(server.url(), QStringLiteral("alice"), dir)));
        QVERIFY(alice.waitForEvents(QStringLiteral("session")));
        QVERIFY(bob.waitForEvents(QStringLiteral("session")));

        alice.write(QStringLiteral("/send ") + dir.filePath(QStringLiteral("missing.bin")));
        alice.write(QStringLiteral("/send ") + dir.path());
        alice.write(QStringLiteral("/cancel no-such-id"));
        QVERIFY(alice.waitForEvents(QStringLiteral("transferRefused"), 2));
        QVERIFY(alice.events(QStringLiteral("transferRefused"))
                    .at(0)
                    .value(QLatin1String("reason"))
                    .toString()
                    .contains(QLatin1String("No such file")));
        QVERIFY(alice.events(QStringLiteral("transferRefused"))
                    .at(1)
                    .value(QLatin1String("reason"))
                    .toString()
                    .contains(QLatin1String("folder")));
        QVERIFY(alice.waitForEvents(QStringLiteral("error")));

        // A big upload, cancelled as soon as it starts: bob's side ends too, and nothing is left.
        const QString big = dir.filePath(QStringLiteral("big.bin"));
        QVERIFY(writeRandomFile(big, 256 * 1024 * 1024));
        alice.write(QStringLiteral("/send ") + big);
        QVERIFY(alice.waitForEvents(QStringLiteral("transfer"), 1, 15000,
                                    transferIn(QStringLiteral("upload"), QStringLiteral("active"))));
        const QString id =
            alice.events(QStringLiteral("transfer")).constFirst().value(QLatin1String("id")).toString();
        alice.write(QStringLiteral("/cancel ") + id);
        QVERIFY(alice.waitForEvents(QStringLiteral("transfer"), 1, 15000,
                                    transferIn(QStringLiteral("upload"), QStringLiteral("cancelled"))));
        QVERIFY(bob.waitForEvents(QStringLiteral("transfer"), 1, 15000,
                                  transferIn(QStringLiteral("download"), QStringLiteral("cancelled"))));
        QVERIFY(QDir(downloads).entryList(QDir::Files | QDir::Hidden).isEmpty());
        QFile::remove(big);
        alice.closeInput();
        QVERIFY(alice.waitForExit());
        QCOMPARE(alice.exitCode(), 0);
    }

    void badDownloadDirIsRejected()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(QStringLiteral("a-file"));
        QVERIFY(writeRandomFile(file, 10));
        ChildProcess cli;
        QVERIFY(
            cli.start(QStringLiteral(NATTER_CLI_PATH),
                      {QStringLiteral("--url"), QStringLiteral("ws://127.0.0.1:1"), QStringLiteral("--user"),
                       QStringLiteral("x"), QStringLiteral("--download-dir"), file}));
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 2);
        QVERIFY(cli.readStderr().startsWith("natter-cli: --download-dir"));
    }
};

QTEST_GUILESS_MAIN(TestCliFiles)
#include "tst_clifiles.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "filesfixture.h"
#include "rawwsclient.h"
#include "serverfixture.h"
#include "sessionchannel.h"
#include "twousers.h"
#include "wsprobe.h"

#include <QTest>

using namespace FilesTest;
using State = TransferInfo::State;

namespace {
constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * 1024;

ServerConfig baseOnlyConfig()
{
    ServerConfig config = testServerConfig();
    config.baseOnly = true;
    return config;
}
} // namespace

//! FileTransfers between real ChatClients through the real ChatServer: byte-exact results,
//! resume and restart after a dropped connection, backpressure, chat during a transfer,
//! sanitized names, size limits and cancellation.
class TestFileTransfers : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString makeFile(qint64 size, const QString &name = {})
    {
        const QString dir = m_dir.filePath(QStringLiteral("src-%1").arg(++m_files));
        QDir().mkpath(dir);
        const QString path = QDir(dir).filePath(name.isEmpty() ? QStringLiteral("data.bin") : name);
        if (!writeRandomFile(path, size, quint32(m_files)))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<TransferInfo>();
    }

    void transfersAreByteExact_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::newRow("0 bytes") << qint64(0);
        QTest::newRow("1 byte") << qint64(1);
        QTest::newRow("64 KiB") << 64 * KiB;
        QTest::newRow("64 KiB + 1") << 64 * KiB + 1;
        QTest::newRow("5 MiB + 123") << 5 * MiB + 123;
    }

    void transfersAreByteExact()
    {
        QFETCH(qint64, size);
        TwoUsers users;
        QVERIFY(users.login());
        QVERIFY(users.alice.client->hasFeature(QStringLiteral("files")));

        const QString path = makeFile(size, QStringLiteral("report.pdf"));
        QSignalSpy added(users.bob.transfers.get(), &FileTransfers::transferAdded);
        QSignalSpy errors(users.alice.client.get(), &ChatClient::serverError);
        const QString id = users.alice.transfers->sendFile(path);
        QVERIFY(!id.isEmpty());
        QCOMPARE(users.alice.info(id).size, size);
        QCOMPARE(users.alice.info(id).name, QStringLiteral("report.pdf"));
        QCOMPARE(users.alice.info(id).mimeType, QStringLiteral("application/pdf"));

        QVERIFY(users.alice.waitForState(id, State::Completed));
        QCOMPARE(users.alice.info(id).done, size);
        QVERIFY(users.alice.info(id).error.isEmpty());
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Completed; }, 20000));
        const TransferInfo got = users.bob.lastDownload();
        QCOMPARE(added.size(), 1);
        QCOMPARE(got.peer, QStringLiteral("alice"));
        QCOMPARE(got.room, QStringLiteral("general"));
        QCOMPARE(got.name, QStringLiteral("report.pdf"));
        QCOMPARE(got.mimeType, QStringLiteral("application/pdf"));
        QCOMPARE(got.size, size);
        QCOMPARE(got.done, size);
        QCOMPARE(got.localPath, QDir(users.bob.downloads).filePath(QStringLiteral("report.pdf")));
        QVERIFY(sameContent(path, got.localPath));
        QCOMPARE(filesIn(users.bob.downloads), QStringList{QStringLiteral("report.pdf")}); // no .part left
        QCOMPARE(errors.size(), 0);
        QCOMPARE(users.alice.downloadCount(), 0); // the uploader gets nothing back
    }

    void baseServerTakesTheUpload_data() { transfersAreByteExact_data(); }

    void baseServerTakesTheUpload()
    {
        QFETCH(qint64, size);
        TwoUsers users(baseOnlyConfig());
        QVERIFY(users.login());
        QVERIFY(users.alice.client->serverFeatures().isEmpty());

        const QString path = makeFile(size);
        QSignalSpy errors(users.alice.client.get(), &ChatClient::serverError);
        const QString id = users.alice.transfers->sendFile(path);
        QVERIFY(users.alice.waitForState(id, State::Completed));
        // Completed means the server answered a ping sent after fileEnd, so it took every chunk
        // and the fileEnd without complaint.
        QCOMPARE(errors.size(), 0);
        QCOMPARE(users.alice.info(id).done, size);
        // A base server relays nothing, by design; bob is still there and chatting works.
        QSignalSpy got(users.bob.client.get(), &ChatClient::messageReceived);
        users.alice.client->sendMessage(QStringLiteral("sent you nothing"));
        QVERIFY(got.wait(10000));
        QCOMPARE(users.bob.downloadCount(), 0);
        QCOMPARE(heldUploads(*users.server), 0);
    }

    void severalFilesGoOutOneAtATime()
    {
        TwoUsers users;
        QVERIFY(users.login());
        const QStringList paths{makeFile(700 * KiB, QStringLiteral("a.bin")),
                                makeFile(3, QStringLiteral("b.txt")),
                                makeFile(1 * MiB + 5, QStringLiteral("c.bin"))};
        int maxActive = 0;
        connect(users.alice.transfers.get(), &FileTransfers::transferChanged, this, [&] {
            int active = 0;
            for (const TransferInfo &t : users.alice.transfers->transfers())
                active += t.state == State::Active ? 1 : 0;
            maxActive = std::max(maxActive, active);
        });
        QStringList ids;
        for (const QString &p : paths)
            ids.append(users.alice.transfers->sendFile(p));
        QCOMPARE(users.alice.info(ids.at(1)).state, State::Queued);
        QVERIFY(users.alice.waitForState(ids.at(2), State::Completed));
        QCOMPARE(maxActive, 1);
        QVERIFY(users.alice.info(ids.at(0)).finishedMs <= users.alice.info(ids.at(1)).startedMs);
        QVERIFY(waitUntil(
            [&] { return users.bob.transfers->unfinishedCount(TransferInfo::Direction::Download) == 0; }));
        const QList<TransferInfo> got = users.bob.transfers->transfers();
        QCOMPARE(got.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(got.at(i).state, State::Completed);
            QCOMPARE(got.at(i).name, QFileInfo(paths.at(i)).fileName());
            QVERIFY(sameContent(paths.at(i), got.at(i).localPath));
        }
    }

    void droppedSenderResumesWhereTheServerStopped()
    {
        TwoUsers users;
        QVERIFY(users.login());
        const QString path = makeFile(24 * MiB + 7);
        QList<Protocol::FileAccepted> accepted;
        connect(users.alice.client->channel(), &SessionChannel::messageReceived, this,
                [&](const Protocol::ServerMessage &m) {
                    if (const auto *a = std::get_if<Protocol::FileAccepted>(&m))
                        accepted.append(*a);
                });
        QSignalSpy bobChanged(users.bob.transfers.get(), &FileTransfers::transferChanged);
        const QString id = users.alice.transfers->sendFile(path);
        QVERIFY(waitUntil([&] { return users.alice.info(id).done >= 2 * MiB; }));
        QVERIFY(users.alice.info(id).state == State::Active);

        // Alice's connection dies (she aborts it: bob stays connected and keeps his stream).
        QSignalSpy restored(users.alice.client.get(), &ChatClient::sessionRestored);
        users.alice.client->reconnectNow();
        QCOMPARE(users.alice.info(id).state, State::Interrupted);
        QVERIFY(restored.wait(10000));
        QVERIFY(users.alice.waitForState(id, State::Completed, 60000));

        QCOMPARE(accepted.size(), 2);
        const auto resume = accepted.at(1);
        QCOMPARE(resume.transferId, id);
        QVERIFY2(resume.nextChunk > 0, "the upload resumed instead of starting again");
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Completed; }, 20000));
        QCOMPARE(users.bob.downloadCount(), 1); // one uninterrupted stream
        QVERIFY(sameContent(path, users.bob.lastDownload().localPath));
        // Bob saw it pause: the sender was gone for a moment.
        bool sawInterrupted = false;
        for (const QList<QVariant> &args : bobChanged)
            sawInterrupted |= args.at(0).value<TransferInfo>().state == State::Interrupted;
        QVERIFY(sawInterrupted);
    }

    void serverDropResumesTheUpload()
    {
        TwoUsers users;
        QVERIFY(users.login());
        const QString path = makeFile(24 * MiB + 7);
        QList<Protocol::FileAccepted> accepted;
        connect(users.alice.client->channel(), &SessionChannel::messageReceived, this,
                [&](const Protocol::ServerMessage &m) {
                    if (const auto *a = std::get_if<Protocol::FileAccepted>(&m))
                        accepted.append(*a);
                });
        const QString id = users.alice.transfers->sendFile(path);
        QVERIFY(waitUntil(
            [&] { return users.alice.info(id).done >= 2 * MiB && users.bob.lastDownload().done > 0; }));

        users.server->abortAllClients();
        QVERIFY(waitUntil([&] { return users.alice.info(id).state == State::Interrupted; }));
        // Bob's stream died with his connection: the partial file is gone, nothing looks complete.
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Failed; }));
        QVERIFY(!users.bob.lastDownload().error.isEmpty());
        QVERIFY(users.bob.lastDownload().localPath.isEmpty());

        QVERIFY(users.alice.waitForState(id, State::Completed, 60000));
        QCOMPARE(accepted.size(), 2);
        QVERIFY(accepted.at(1).nextChunk > 0);
        QCOMPARE(users.alice.info(id).done, QFileInfo(path).size());
        QVERIFY(waitUntil([&] { return users.bob.client->isSessionReady(); }));
        QCOMPARE(filesIn(users.bob.downloads), QStringList());
    }

    void baseServerDropStartsAgainFromZero()
    {
        auto server = startTestServer(baseOnlyConfig());
        QTemporaryDir dir;
        Peer alice(dir, QStringLiteral("alice"));
        QVERIFY(alice.login(server->url()));
        const QString path = makeFile(24 * MiB + 7);
        QSignalSpy changed(alice.transfers.get(), &FileTransfers::transferChanged);
        QSignalSpy errors(alice.client.get(), &ChatClient::serverError);
        const QString id = alice.transfers->sendFile(path);
        QVERIFY(waitUntil([&] { return alice.info(id).done >= 4 * MiB; }));

        server->abortAllClients();
        QVERIFY(waitUntil([&] { return alice.info(id).state == State::Interrupted; }));
        QCOMPARE(alice.info(id).error, QStringLiteral("connection lost"));
        QVERIFY(waitUntil([&] { return alice.info(id).state == State::Active; }));
        QVERIFY2(alice.info(id).done < 4 * MiB, "a base server cannot resume: the upload starts again");
        QVERIFY(alice.waitForState(id, State::Completed, 60000));
        QCOMPARE(errors.size(), 0); // the server checked the second, complete upload and took it
        QCOMPARE(heldUploads(*server), 0);
    }

    void chatGetsThroughDuringALargeTransfer()
    {
        TwoUsers users;
        QVERIFY(users.login());
        const QString path = makeFile(40 * MiB);

        // Backpressure: sample the sender's backlog right after every refill.
        const qint64 highWater = users.alice.transfers->settings().highWaterBytes;
        qint64 maxBacklog = 0;
        SessionChannel *channel = users.alice.client->channel();
        connect(channel, &SessionChannel::bytesWritten, this,
                [&] { maxBacklog = std::max(maxBacklog, channel->bytesToWrite()); });
        connect(users.alice.transfers.get(), &FileTransfers::transferChanged, this,
                [&] { maxBacklog = std::max(maxBacklog, channel->bytesToWrite()); });
        const QString id = users.alice.transfers->sendFile(path);
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().done > 0; }));

        TransferInfo bobAtMessage;
        connect(users.bob.client.get(), &ChatClient::messageReceived, this,
                [&] { bobAtMessage = users.bob.lastDownload(); });
        QSignalSpy got(users.bob.client.get(), &ChatClient::messageReceived);
        users.alice.client->sendMessage(QStringLiteral("this is the big one"));
        QVERIFY(got.wait(20000));
        QCOMPARE(got.at(0).at(0).value<Protocol::ChatMessage>().text, QStringLiteral("this is the big one"));
        QVERIFY2(bobAtMessage.state == State::Active && bobAtMessage.done < bobAtMessage.size,
                 "the message must arrive while the file is still coming, not after it");

        QVERIFY(users.alice.waitForState(id, State::Completed, 90000));
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Completed; }, 20000));
        QVERIFY(sameContent(path, users.bob.lastDownload().localPath));
        // The socket never held more than the high-water mark plus one frame (plus small text
        // frames such as pings), however large the file.
        QVERIFY2(maxBacklog <= highWater + Protocol::ChunkHeaderBytes + Protocol::ChunkDataBytes + 14,
                 qPrintable(QStringLiteral("backlog peaked at %1 bytes").arg(maxBacklog)));
        QVERIFY(maxBacklog > 0);
    }

    void slowReceiverSetsThePaceAndPingsStillFlow()
    {
        // The server withholds fileProgress while a receiver lags; the sender must then stop at
        // its window instead of piling data up, and keep answering pings meanwhile.
        ServerConfig config = testServerConfig();
        config.relayHighWaterBytes = 256 * KiB;
        auto server = startTestServer(config);
        FileTransfers::Settings fast;
        fast.progressIntervalMs = 50;
        QTemporaryDir dir;
        Peer alice(dir, QStringLiteral("alice"), fast);
        QVERIFY(alice.login(server->url()));
        RawWsClient slow;
        QVERIFY(slow.open(server->url()));
        slow.sendText(Protocol::encode(Protocol::Hello{QStringLiteral("raw"), {Protocol::Feature::Files}}));
        slow.sendText(Protocol::encode(Protocol::SetUsername{QStringLiteral("slow")}));
        slow.sendText(Protocol::encode(Protocol::JoinRoom{QStringLiteral("general"), {}, {}}));
        QVERIFY(waitUntil([&] { return alice.client->roomUsers().size() == 2; }));
        slow.stopReading();

        const QString path = makeFile(64 * MiB);
        QSignalSpy changed(alice.transfers.get(), &FileTransfers::transferChanged);
        const QString id = alice.transfers->sendFile(path);
        // Stalled: between two pongs (each a round trip the server answered after every chunk
        // sent before it) not one chunk went out, though nothing was waiting in the socket.
        qint64 doneAtPong = -1;
        bool stalled = false;
        const QMetaObject::Connection watch =
            connect(alice.client->channel(), &SessionChannel::pongReceived, this, [&] {
                const qint64 done = alice.info(id).done;
                stalled = stalled ||
                          (done > 0 && done == doneAtPong && alice.client->channel()->bytesToWrite() == 0);
                doneAtPong = done;
            });
        QVERIFY(waitUntil([&] { return stalled; }, 60000));
        disconnect(watch);
        QVERIFY2(alice.info(id).done < 32 * MiB, qPrintable(QString::number(alice.info(id).done)));
        QCOMPARE(alice.info(id).state, State::Active);
        const qint64 sentAtStall = alice.info(id).done;
        QSignalSpy pongs(alice.client->channel(), &SessionChannel::pongReceived);
        QVERIFY(waitUntil([&] { return pongs.size() >= 3; }, 10000));
        QCOMPARE(alice.info(id).done, sentAtStall); // still held back by the window, pings flowing
        QVERIFY(alice.client->channel()->bytesToWrite() <= alice.transfers->settings().highWaterBytes);

        slow.readAndDiscard();
        QVERIFY(alice.waitForState(id, State::Completed, 60000));
        QVERIFY(waitUntil([&] { return slow.discarded() >= 64 * MiB; }, 30000));

        // Progress was reported, throttled, never going back, with a speed while moving.
        qint64 last = -1;
        bool sawSpeed = false;
        int progressEvents = 0;
        for (const QList<QVariant> &args : changed) {
            const auto t = args.at(0).value<TransferInfo>();
            QVERIFY(t.done >= last);
            QVERIFY(t.done <= t.size);
            last = t.done;
            sawSpeed |= t.state == State::Active && t.bytesPerSecond > 0;
            progressEvents += t.state == State::Active ? 1 : 0;
        }
        QVERIFY(sawSpeed);
        QVERIFY(progressEvents > 1);
        const TransferInfo final = changed.constLast().at(0).value<TransferInfo>();
        QCOMPARE(final.state, State::Completed);
        QCOMPARE(final.bytesPerSecond, 0.0);
        QVERIFY(final.finishedMs >= final.startedMs && final.startedMs > 0);
    }

    void maliciousNamesAreSanitized()
    {
        auto server = startTestServer();
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server->url()));
        QDir().mkpath(bob.downloads);
        QFile existing(QDir(bob.downloads).filePath(QStringLiteral("passwd")));
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("mine");
        existing.close();

        WsProbe mallory;
        QVERIFY(mallory.login(server->url(), QStringLiteral("mallory"), QStringLiteral("general")));
        struct Case
        {
            QString raw;
            QString name;  // as shown
            QString saved; // on disk: never over an existing file
        };
        const QList<Case> cases{
            {QStringLiteral("../../etc/passwd"), QStringLiteral("passwd"), QStringLiteral("passwd (1)")},
            {QStringLiteral(".bashrc"), QStringLiteral("bashrc"), QStringLiteral("bashrc")},
            {QStringLiteral(".."), QStringLiteral("file"), QStringLiteral("file")},
            {QStringLiteral("CON"), QStringLiteral("_CON"), QStringLiteral("_CON")},
            {QStringLiteral("a\nb.txt"), QStringLiteral("a_b.txt"), QStringLiteral("a_b.txt")},
        };
        int n = 0;
        for (const Case &c : cases) {
            const QByteArray data = QByteArray("payload ") + QByteArray::number(++n);
            const QString tid = QStringLiteral("t-%1").arg(n);
            mallory.send(Protocol::FileStart{c.raw, data.size(), QStringLiteral("text/plain"), tid});
            QVERIFY(mallory.next<Protocol::FileAccepted>());
            mallory.sendBinary(Protocol::encodeChunk(0, data));
            mallory.send(Protocol::FileEnd{});
            QVERIFY(mallory.next<Protocol::FileComplete>());
            QVERIFY(waitUntil([&] { return bob.downloadCount() == n && bob.lastDownload().isFinished(); }));
            const TransferInfo t = bob.lastDownload();
            QCOMPARE(t.state, State::Completed);
            QCOMPARE(t.name, c.name);
            QCOMPARE(t.localPath, QDir(bob.downloads).filePath(c.saved));
            QFile f(t.localPath);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), data);
        }
        // Nothing was written outside the download folder, and nothing was overwritten.
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("etc"))));
        QVERIFY(!QFileInfo::exists(QDir(bob.downloads).filePath(QStringLiteral("../passwd"))));
        QFile mine(QDir(bob.downloads).filePath(QStringLiteral("passwd")));
        QVERIFY(mine.open(QIODevice::ReadOnly));
        QCOMPARE(mine.readAll(), QByteArray("mine"));
    }

    void oversizedIncomingFileIsRefused()
    {
        TwoUsers users;
        users.bob.transfers->setMaxIncomingBytes(256 * KiB);
        QVERIFY(users.login());
        QSignalSpy relayErrors(users.bob.transfers.get(), &FileTransfers::relayError);
        QSignalSpy protocolErrors(users.bob.client.get(), &ChatClient::protocolError);
        const QString big = makeFile(2 * MiB);
        const QString id = users.alice.transfers->sendFile(big);
        QVERIFY(users.alice.waitForState(id, State::Completed, 30000)); // the server still takes it
        QVERIFY(waitUntil([&] { return users.bob.downloadCount() == 1; }));
        const TransferInfo refused = users.bob.lastDownload();
        QCOMPARE(refused.state, State::Failed);
        QVERIFY2(refused.error.contains(QLatin1String("limit")), qPrintable(refused.error));
        QCOMPARE(refused.done, 0);

        // The rest of that stream is dropped quietly, and a small file still arrives.
        const QString small = makeFile(100 * KiB);
        users.alice.transfers->sendFile(small);
        QVERIFY(waitUntil(
            [&] { return users.bob.downloadCount() == 2 && users.bob.lastDownload().isFinished(); }));
        QCOMPARE(users.bob.lastDownload().state, State::Completed);
        QVERIFY(sameContent(small, users.bob.lastDownload().localPath));
        QCOMPARE(relayErrors.size(), 0);
        QCOMPARE(protocolErrors.size(), 0);
        QCOMPARE(filesIn(users.bob.downloads), QStringList{QFileInfo(small).fileName()});
    }

    void serverLimitRefusesUploads()
    {
        ServerConfig config = testServerConfig();
        config.maxFileBytes = 1 * MiB;
        auto server = startTestServer(config);
        QTemporaryDir dir;
        Peer alice(dir, QStringLiteral("alice"));
        const QString big = makeFile(1 * MiB + 1);

        // Queued before the server's limit is known: the server refuses it.
        QSignalSpy restored(alice.client.get(), &ChatClient::sessionRestored);
        alice.client->connectToServer(server->url(), QStringLiteral("alice"), QStringLiteral("general"));
        const QString early = alice.transfers->sendFile(big);
        QVERIFY(!early.isEmpty());
        QVERIFY(alice.waitForState(early, State::Failed));
        QVERIFY2(alice.info(early).error.contains(QLatin1String("larger than the server's limit")),
                 qPrintable(alice.info(early).error));

        // Known now: refused at once, with the reason.
        QSignalSpy refused(alice.transfers.get(), &FileTransfers::sendRefused);
        QVERIFY(alice.transfers->sendFile(big).isEmpty());
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused.at(0).at(1).toString().contains(QLatin1String("too large")));
        // Exactly the limit is fine.
        const QString ok = alice.transfers->sendFile(makeFile(1 * MiB));
        QVERIFY(alice.waitForState(ok, State::Completed));
    }

    void unsendableFilesAreRefused()
    {
        auto server = startTestServer();
        QTemporaryDir dir;
        Peer alice(dir, QStringLiteral("alice"));
        QSignalSpy refused(alice.transfers.get(), &FileTransfers::sendRefused);
        // Not in a room yet (no connection either).
        const QString path = makeFile(10);
        QVERIFY(alice.transfers->sendFile(path).isEmpty());
        QVERIFY(alice.login(server->url()));
        QVERIFY(alice.transfers->sendFile(m_dir.filePath(QStringLiteral("no-such-file"))).isEmpty());
        QVERIFY(alice.transfers->sendFile(m_dir.path()).isEmpty());
        QVERIFY(alice.transfers->sendFile(QStringLiteral("/dev/null")).isEmpty());
        QVERIFY(alice.transfers->sendFile(QString()).isEmpty());
        QFile unreadable(makeFile(10));
        QVERIFY(unreadable.setPermissions(QFileDevice::WriteOwner));
        if (!QFile(unreadable.fileName()).open(QIODevice::ReadOnly)) // root reads anything
            QVERIFY(alice.transfers->sendFile(unreadable.fileName()).isEmpty());
        QVERIFY(refused.size() >= 5);
        for (const QList<QVariant> &args : refused)
            QVERIFY(!args.at(1).toString().isEmpty());
        QVERIFY(refused.at(0).at(1).toString().contains(QLatin1String("room")));
        QVERIFY(alice.transfers->transfers().isEmpty());
    }

    void cancelledUploadEndsForTheReceiverToo()
    {
        TwoUsers users;
        QVERIFY(users.login());
        const QString id = users.alice.transfers->sendFile(makeFile(32 * MiB));
        const QString next = users.alice.transfers->sendFile(makeFile(3 * KiB, QStringLiteral("next.txt")));
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().done > 0; }));
        QVERIFY(users.alice.transfers->cancel(id));
        QCOMPARE(users.alice.info(id).state, State::Cancelled);
        QVERIFY(!users.alice.info(id).error.isEmpty());
        QVERIFY(!users.alice.transfers->cancel(id)); // once

        QVERIFY(
            waitUntil([&] { return users.bob.transfers->transfers().value(0).state == State::Cancelled; }));
        QCOMPARE(users.bob.transfers->transfers().value(0).error, QStringLiteral("cancelled by the sender"));
        QVERIFY(users.alice.waitForState(next, State::Completed)); // the queue goes on
        QVERIFY(waitUntil(
            [&] { return users.bob.downloadCount() == 2 && users.bob.lastDownload().isFinished(); }));
        QCOMPARE(users.bob.lastDownload().state, State::Completed);
        QCOMPARE(filesIn(users.bob.downloads),
                 QStringList{QStringLiteral("next.txt")}); // the partial is gone
        QTRY_COMPARE(heldUploads(*users.server), 0);
    }

    void cancelWhileDisconnectedReachesTheServerLater()
    {
        TwoUsers users;
        QVERIFY(users.login());
        const QString id = users.alice.transfers->sendFile(makeFile(32 * MiB));
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().done > 0; }));
        users.alice.client->disconnectFromServer();
        QCOMPARE(users.alice.info(id).state, State::Interrupted);
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Interrupted; }));

        // Cancelled offline: the server still holds the upload for a resume until it is told.
        QVERIFY(users.alice.transfers->cancel(id));
        QCOMPARE(users.alice.info(id).state, State::Cancelled);
        QCOMPARE(heldUploads(*users.server), 1);
        QVERIFY(users.alice.login(users.server->url()));
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Cancelled; }));
        QTRY_COMPARE(heldUploads(*users.server), 0);
        QCOMPARE(users.alice.info(id).state, State::Cancelled);
        QCOMPARE(filesIn(users.bob.downloads), QStringList());
    }

    void cancelledDownloadDropsTheRest()
    {
        TwoUsers users;
        QVERIFY(users.login());
        QSignalSpy relayErrors(users.bob.transfers.get(), &FileTransfers::relayError);
        const QString id = users.alice.transfers->sendFile(makeFile(16 * MiB));
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().done > 0; }));
        const QString mine = users.bob.lastDownload().id;
        // The server is told (fileDecline), so the rest of the file never crosses the network.
        int doneForBob = 0;
        connect(users.bob.client->channel(), &SessionChannel::messageReceived, this,
                [&](const Protocol::ServerMessage &m) {
                    doneForBob += std::holds_alternative<Protocol::FileDone>(m);
                });
        QVERIFY(users.bob.transfers->cancel(mine));
        QCOMPARE(users.bob.info(mine).state, State::Cancelled);
        QVERIFY(users.alice.waitForState(id, State::Completed, 60000));
        QVERIFY(settleClient(*users.bob.client)); // anything the server still sent bob has arrived
        QCOMPARE(doneForBob, 0);
        QCOMPARE(users.bob.info(mine).state, State::Cancelled);
        QCOMPARE(relayErrors.size(), 0);
        QCOMPARE(filesIn(users.bob.downloads), QStringList());
    }

    // Files over the receiver's automatic limit arrive while the user decides: saving keeps one
    // (and answers the question), cancelling declines it at the server. Smaller ones ask nothing.
    void largerFilesWaitForTheUsersAnswer()
    {
        TwoUsers users;
        users.bob.transfers->setDownloadDir(QString());
        users.bob.transfers->setAutoAcceptBytes(1 * MiB);
        QVERIFY(users.login());
        const QString small = makeFile(512 * KiB, QStringLiteral("small.bin"));
        users.alice.transfers->sendFile(small);
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Completed; }));
        QVERIFY(!users.bob.lastDownload().awaitingAnswer);

        const QString large = makeFile(3 * MiB, QStringLiteral("large.bin"));
        QSignalSpy added(users.bob.transfers.get(), &FileTransfers::transferAdded);
        users.alice.transfers->sendFile(large);
        QVERIFY(added.wait(10000));
        QVERIFY(added.first().at(0).value<TransferInfo>().awaitingAnswer);
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Completed; }));
        const TransferInfo got = users.bob.lastDownload();
        QVERIFY(got.awaitingAnswer); // received, but not kept yet
        const QString target = m_dir.filePath(QStringLiteral("kept/large.bin"));
        QString error;
        QVERIFY2(users.bob.transfers->saveDownload(got.id, target, false, &error), qPrintable(error));
        QVERIFY(!users.bob.info(got.id).awaitingAnswer);
        QVERIFY(sameContent(large, target));
        QVERIFY(!users.bob.transfers->acceptDownload(got.id)); // nothing left to answer
    }

    // With a download folder, a file the user has not accepted yet stays out of it, arrived or
    // not; accepting it then puts it there.
    void anUnansweredFileStaysOutOfTheDownloadFolder()
    {
        TwoUsers users;
        users.bob.transfers->setAutoAcceptBytes(1 * MiB);
        QVERIFY(users.login());
        QCOMPARE(users.bob.transfers->downloadDir(), users.bob.downloads);
        const QString large = makeFile(3 * MiB, QStringLiteral("large.bin"));
        users.alice.transfers->sendFile(large);
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Completed; }));
        const TransferInfo got = users.bob.lastDownload();
        QVERIFY(got.awaitingAnswer);
        QCOMPARE(filesIn(users.bob.downloads), QStringList());
        QVERIFY(!got.localPath.startsWith(users.bob.downloads));
        QVERIFY(users.bob.transfers->acceptDownload(got.id));
        QCOMPARE(filesIn(users.bob.downloads), QStringList{QStringLiteral("large.bin")});
        QCOMPARE(users.bob.info(got.id).localPath,
                 QDir(users.bob.downloads).filePath(QStringLiteral("large.bin")));
        QVERIFY(sameContent(large, users.bob.info(got.id).localPath));
    }

    // A flood of offers cannot open files without bound: past the limit of files arriving at
    // once, offers are refused (and declined at the server) with a reason the user sees.
    void tooManyFilesAtOnceAreRefused()
    {
        FileTransfers::Settings files;
        files.maxIncomingAtOnce = 1;
        TwoUsers users(testServerConfig(), files);
        TestPeer carol(users.dir, QStringLiteral("carol"));
        QVERIFY(users.login());
        QVERIFY(carol.login(users.server->url()));
        const QString first = users.alice.transfers->sendFile(makeFile(16 * MiB, QStringLiteral("a.bin")));
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().done > 0; }));
        const QString second = carol.transfers->sendFile(makeFile(1 * MiB, QStringLiteral("c.bin")));
        QVERIFY(waitUntil([&] { return users.bob.downloadCount() == 2; }));
        const TransferInfo refused = users.bob.lastDownload();
        QCOMPARE(refused.state, State::Failed);
        QVERIFY2(refused.error.contains(QLatin1String("arriving already")), qPrintable(refused.error));
        QVERIFY(carol.waitForState(second, State::Completed, 60000));
        QVERIFY(users.alice.waitForState(first, State::Completed, 60000));
        QVERIFY(waitUntil([&] { return users.bob.completedDownload().name == QLatin1String("a.bin"); }));
    }

    void senderThatNeverComesBackFailsTheDownload()
    {
        ServerConfig config = testServerConfig();
        config.resumeKeepMs = 300;
        auto server = startTestServer(config);
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server->url()));
        const QByteArray data(3 * Protocol::ChunkDataBytes, 'x');

        // With a transferId the sender may come back: Interrupted, then Failed when the server
        // gives up on it.
        auto mallory = std::make_unique<WsProbe>();
        QVERIFY(mallory->login(server->url(), QStringLiteral("mallory"), QStringLiteral("general")));
        mallory->send(
            Protocol::FileStart{QStringLiteral("half.bin"), data.size(), {}, QStringLiteral("t-h")});
        QVERIFY(mallory->next<Protocol::FileAccepted>());
        mallory->sendBinary(Protocol::encodeChunk(0, data.left(Protocol::ChunkDataBytes)));
        QVERIFY(waitUntil([&] { return bob.lastDownload().done == Protocol::ChunkDataBytes; }));
        mallory.reset();
        QVERIFY(waitUntil([&] { return bob.lastDownload().state == State::Interrupted; }));
        QCOMPARE(bob.lastDownload().error, QStringLiteral("sender disconnected"));
        QVERIFY(waitUntil([&] { return bob.lastDownload().state == State::Failed; }));
        QVERIFY(bob.lastDownload().localPath.isEmpty());
        QCOMPARE(filesIn(bob.downloads), QStringList());

        // Without one (a guides client) the stream ends at once.
        WsProbe guest;
        QVERIFY(guest.login(server->url(), QStringLiteral("guest"), QStringLiteral("general")));
        guest.send(Protocol::FileStart{QStringLiteral("gone.bin"), data.size(), {}, {}});
        guest.sendBinary(Protocol::encodeChunk(0, data.left(Protocol::ChunkDataBytes)));
        QVERIFY(waitUntil([&] { return bob.downloadCount() == 2 && bob.lastDownload().done > 0; }));
        guest.socket().abort();
        QVERIFY(waitUntil([&] { return bob.lastDownload().state == State::Failed; }));
        QCOMPARE(filesIn(bob.downloads), QStringList());
    }

    void downloadsWithoutAFolderStayPrivateUntilSaved()
    {
        TwoUsers users;
        users.bob.transfers->setDownloadDir(QString());
        QVERIFY(users.login());
        const QString path = makeFile(300 * KiB, QStringLiteral("photo.jpg"));
        users.alice.transfers->sendFile(path);
        QVERIFY(waitUntil([&] { return users.bob.lastDownload().state == State::Completed; }));
        const TransferInfo got = users.bob.lastDownload();
        QVERIFY(sameContent(path, got.localPath));
        QVERIFY(!QFileInfo::exists(users.bob.downloads));

        const QString target = m_dir.filePath(QStringLiteral("saved/photo.jpg"));
        QString error;
        QVERIFY2(users.bob.transfers->saveDownload(got.id, target, false, &error), qPrintable(error));
        QVERIFY(sameContent(path, target));
        QVERIFY(!users.bob.transfers->saveDownload(got.id, target, false, &error));
        QVERIFY(error.contains(QLatin1String("exists")));
        QFile::resize(target, 1);
        QVERIFY2(users.bob.transfers->saveDownload(got.id, target, true, &error), qPrintable(error));
        QVERIFY(sameContent(path, target));
        QCOMPARE(filesIn(m_dir.filePath(QStringLiteral("saved"))), QStringList{QStringLiteral("photo.jpg")});
        QVERIFY(!users.bob.transfers->saveDownload(QStringLiteral("nope"), target, true, &error));

        // Forgetting the transfer deletes the private copy; the saved one stays.
        users.bob.transfers->clearFinished();
        QVERIFY(users.bob.transfers->transfers().isEmpty());
        QVERIFY(!QFileInfo::exists(got.localPath));
        QVERIFY(QFileInfo::exists(target));
    }

    void leavingTheRoomFailsUploadsNotYetStarted()
    {
        auto server = startTestServer();
        QTemporaryDir dir;
        Peer alice(dir, QStringLiteral("alice"));
        QVERIFY(alice.login(server->url()));
        const QString first = alice.transfers->sendFile(makeFile(8 * MiB));
        const QString second = alice.transfers->sendFile(makeFile(10));
        QVERIFY(waitUntil([&] { return alice.info(first).done > 0; }));
        alice.client->joinRoom(QStringLiteral("elsewhere"));
        QVERIFY(alice.waitForState(second, State::Failed));
        QVERIFY(alice.info(second).error.contains(QLatin1String("general")));
        QVERIFY(alice.waitForState(first, State::Completed, 30000)); // already on its way
    }
};

QTEST_GUILESS_MAIN(TestFileTransfers)
#include "tst_filetransfers.moc"

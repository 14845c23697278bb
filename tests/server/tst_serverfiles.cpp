// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawwsclient.h"
#include "serverfixture.h"
#include "uploadroom.h"
#include "wsprobe.h"

#include <QtTest>

using namespace Protocol;

namespace {

const QStringList FilesFeature{Feature::Files};

QByteArray makeData(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 1;
    for (qint64 i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        data[i] = char(x >> 24);
    }
    return data;
}

int chunkCount(qint64 size)
{
    return int((size + ChunkDataBytes - 1) / ChunkDataBytes);
}

QByteArray chunkOf(const QByteArray &data, int index)
{
    return encodeChunk(quint32(index), data.mid(qsizetype(index) * ChunkDataBytes, ChunkDataBytes));
}

FileStart startOf(const QString &name, const QByteArray &data, const QString &transferId,
                  const QString &resumeToken = {})
{
    return FileStart{name, data.size(), QStringLiteral("application/octet-stream"), transferId, resumeToken};
}

// A resend of `start` from a new connection, with the token its fileAccepted carried.
FileStart withToken(FileStart start, const QString &token)
{
    start.resumeToken = token;
    return start;
}

// Reassembles one relayed stream from a receiver's binary frames, checking indexes run 0, 1, 2 …
std::optional<QByteArray> streamData(const WsProbe &probe, quint32 stream)
{
    QByteArray out;
    quint32 expected = 0;
    for (const QByteArray &frame : probe.binaries) {
        const auto decoded = decodeRelayChunk(frame);
        if (isError(decoded))
            return std::nullopt;
        const RelayChunk &chunk = std::get<RelayChunk>(decoded);
        if (chunk.stream != stream)
            continue;
        if (chunk.index != expected++)
            return std::nullopt;
        out += chunk.data;
    }
    return out;
}

// Sends the chunks of `data` from `fromChunk` on and fileEnd; true once fileComplete came for
// the whole size.
bool finishUpload(WsProbe &uploader, const QByteArray &data, int fromChunk)
{
    for (int i = fromChunk; i < chunkCount(data.size()); ++i)
        uploader.sendBinary(chunkOf(data, i));
    uploader.send(FileEnd{});
    const auto complete = uploader.next<FileComplete>();
    return complete && complete->size == data.size();
}

// Waits for the next fileDone at `receiver`: the bytes of `stream` when that is the stream it
// ends, else nothing.
std::optional<QByteArray> deliveredStream(WsProbe &receiver, quint32 stream)
{
    const auto done = receiver.next<FileDone>();
    if (!done || done->stream != stream)
        return std::nullopt;
    return streamData(receiver, stream);
}

} // namespace

class TestServerFiles : public QObject
{
    Q_OBJECT

private slots:
    void fileIsRelayedToFilesClientsOnly()
    {
        auto server = startTestServer();
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("general")));

        const QByteArray data = makeData(150000, 1);
        alice.send(FileStart{QStringLiteral("photo.jpg"), data.size(), QStringLiteral("image/jpeg"),
                             QStringLiteral("t-1")});
        const auto accepted = alice.next<FileAccepted>();
        QVERIFY(accepted);
        QCOMPARE(accepted->transferId, QStringLiteral("t-1"));
        QCOMPARE(accepted->nextChunk, 0u);
        const auto offer = bob.next<FileOffer>();
        QVERIFY(offer);
        QCOMPARE(offer->transferId, QStringLiteral("t-1"));
        QCOMPARE(offer->user, QStringLiteral("alice"));
        QCOMPARE(offer->room, QStringLiteral("general"));
        QCOMPARE(offer->name, QStringLiteral("photo.jpg"));
        QCOMPARE(offer->size, data.size());
        QCOMPARE(offer->mimeType, QStringLiteral("image/jpeg"));

        for (int i = 0; i < chunkCount(data.size()); ++i)
            alice.sendBinary(chunkOf(data, i));
        alice.send(FileEnd{});
        const auto complete = alice.next<FileComplete>();
        QVERIFY(complete);
        QCOMPARE(complete->transferId, QStringLiteral("t-1"));
        QCOMPARE(complete->size, data.size());
        QCOMPARE(deliveredStream(bob, offer->stream), std::optional<QByteArray>(data));

        QVERIFY(carol.settle());
        QCOMPARE(carol.count(QStringLiteral("fileOffer")), 0);
        QCOMPARE(carol.binaries.size(), 0);
        QCOMPARE(alice.binaries.size(), 0); // the uploader gets nothing back
        QCOMPARE(alice.count(QStringLiteral("error")), 0);
        QTRY_COMPARE(heldUploads(*server), 0);
    }

    void progressIsReportedWhileUploading()
    {
        auto server = startTestServer();
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QByteArray data = makeData(20 * ChunkDataBytes, 2);
        alice.send(startOf(QStringLiteral("a.bin"), data, QStringLiteral("t-p")));
        QVERIFY(alice.next<FileAccepted>());
        for (int i = 0; i < 20; ++i)
            alice.sendBinary(chunkOf(data, i));
        QVERIFY(alice.settle());
        const QList<QJsonObject> progress = alice.all(QStringLiteral("fileProgress"));
        QVERIFY(progress.size() >= 20 / 8);
        qint64 last = 0;
        for (const QJsonObject &p : progress) {
            const qint64 received = p.value(QLatin1String("received")).toInteger();
            QVERIFY(received > last); // strictly growing, at least every 8 chunks
            QVERIFY(received - last <= 8);
            last = received;
        }
        QCOMPARE(last, 20);
    }

    void twoConcurrentUploadsStayApart()
    {
        auto server = startTestServer();
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("general"), FilesFeature));

        const QByteArray a = makeData(5 * ChunkDataBytes + 123, 3);
        const QByteArray b = makeData(3 * ChunkDataBytes + 7, 4);
        alice.send(startOf(QStringLiteral("a.bin"), a, QStringLiteral("ta")));
        bob.send(startOf(QStringLiteral("b.bin"), b, QStringLiteral("tb")));
        QVERIFY(alice.next<FileAccepted>());
        QVERIFY(bob.next<FileAccepted>());
        const auto offer1 = carol.next<FileOffer>();
        const auto offer2 = carol.next<FileOffer>();
        QVERIFY(offer1 && offer2);
        QVERIFY(offer1->stream != offer2->stream);
        const FileOffer offerA = offer1->user == QLatin1String("alice") ? *offer1 : *offer2;
        const FileOffer offerB = offer1->user == QLatin1String("alice") ? *offer2 : *offer1;
        QCOMPARE(offerA.name, QStringLiteral("a.bin"));
        QCOMPARE(offerB.name, QStringLiteral("b.bin"));

        // Interleave: each sender waits until carol has the other's previous chunk.
        const int na = chunkCount(a.size());
        const int nb = chunkCount(b.size());
        int relayed = 0;
        for (int i = 0; i < qMax(na, nb); ++i) {
            if (i < na) {
                alice.sendBinary(chunkOf(a, i));
                QVERIFY(carol.waitForBinaries(++relayed));
            }
            if (i < nb) {
                bob.sendBinary(chunkOf(b, i));
                QVERIFY(carol.waitForBinaries(++relayed));
            }
        }
        alice.send(FileEnd{});
        bob.send(FileEnd{});
        QVERIFY(carol.next<FileDone>());
        QVERIFY(carol.next<FileDone>());
        QVERIFY(alice.next<FileComplete>());
        QVERIFY(bob.next<FileComplete>());

        // The frames really were interleaved, and each stream reassembles byte-exact.
        const auto streamOf = [&](int i) {
            return std::get<RelayChunk>(decodeRelayChunk(carol.binaries.at(i))).stream;
        };
        QCOMPARE(streamOf(0), offerA.stream);
        QCOMPARE(streamOf(1), offerB.stream);
        QCOMPARE(streamData(carol, offerA.stream), std::optional<QByteArray>(a));
        QCOMPARE(streamData(carol, offerB.stream), std::optional<QByteArray>(b));
    }

    void interruptedUploadResumesFromNextChunk()
    {
        auto server = startTestServer();
        WsProbe bob;
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(10 * ChunkDataBytes - 1000, 5);
        const FileStart start = startOf(QStringLiteral("big.bin"), data, QStringLiteral("t-resume"));

        auto alice = std::make_unique<WsProbe>();
        QVERIFY(alice->login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice->send(start);
        const auto first = alice->next<FileAccepted>();
        QVERIFY(first);
        QCOMPARE(first->resumeToken.size(), 32); // 128 bits, hex
        const auto offer = bob.next<FileOffer>();
        QVERIFY(offer);
        QVERIFY(!bob.texts.join(QString()).contains(first->resumeToken)); // the uploader's alone
        for (int i = 0; i < 4; ++i)
            alice->sendBinary(chunkOf(data, i));
        QVERIFY(bob.waitForBinaries(4));
        alice->socket().abort(); // the cable is pulled
        const auto aborted = bob.next<FileAborted>();
        QVERIFY(aborted);
        QCOMPARE(aborted->stream, offer->stream);
        QVERIFY(aborted->resumable);
        QCOMPARE(heldUploads(*server), 1);

        WsProbe alice2;
        QVERIFY(alice2.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice2.send(withToken(start, first->resumeToken));
        const auto accepted = alice2.next<FileAccepted>();
        QVERIFY(accepted);
        QCOMPARE(accepted->nextChunk, 4u);
        QCOMPARE(accepted->resumeToken, first->resumeToken);
        alice2.sendBinary(chunkOf(data, 3)); // a resend of a held chunk is ignored
        QVERIFY(finishUpload(alice2, data, 4));
        QCOMPARE(deliveredStream(bob, offer->stream), std::optional<QByteArray>(data));
        QCOMPARE(bob.count(QStringLiteral("fileOffer")), 1); // one uninterrupted stream
        QCOMPARE(alice2.count(QStringLiteral("error")), 0);
    }

    // A completed upload is a message of its room (PROTOCOL.md 5.4): numbered, relayed to every
    // member but the uploader (a base client sees the name), and in history for later joiners.
    // A cancelled one leaves nothing and takes no number.
    void aCompletedFileBecomesAMessageOfTheRoom()
    {
        auto server = startTestServer();
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("general")));

        const QByteArray cancelled = makeData(2 * ChunkDataBytes, 3);
        alice.send(startOf(QStringLiteral("never.bin"), cancelled, QStringLiteral("t-0")));
        QVERIFY(alice.next<FileAccepted>());
        alice.sendBinary(chunkOf(cancelled, 0));
        alice.send(FileCancel{QStringLiteral("t-0"), {}});
        QVERIFY(bob.next<FileAborted>());

        const QByteArray data = makeData(100000, 4);
        alice.send(FileStart{QStringLiteral("photo.jpg"), data.size(), QStringLiteral("image/jpeg"),
                             QStringLiteral("t-1")});
        QVERIFY(alice.next<FileAccepted>());
        QVERIFY(finishUpload(alice, data, 0));
        QVERIFY(bob.next<FileDone>());

        const FileRecord expected{QStringLiteral("t-1"), QStringLiteral("photo.jpg"), data.size(),
                                  QStringLiteral("image/jpeg")};
        const auto checkRecord = [&](const ChatMessage &m) {
            QCOMPARE(m.user, QStringLiteral("alice"));
            QCOMPARE(m.text, QStringLiteral("photo.jpg"));
            QCOMPARE(m.seq, 1); // the cancelled upload took no number
            QCOMPARE(m.room, QStringLiteral("general"));
            QVERIFY(m.id.isEmpty());
            QVERIFY(m.file);
            QCOMPARE(m.file->transferId, expected.transferId);
            QCOMPARE(m.file->name, expected.name);
            QCOMPARE(m.file->size, expected.size);
            QCOMPARE(m.file->mimeType, expected.mimeType);
        };
        const auto atCarol = carol.next<ChatMessage>();
        QVERIFY(atCarol);
        checkRecord(*atCarol);
        const auto atBob = bob.next<ChatMessage>();
        QVERIFY(atBob);
        checkRecord(*atBob);
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("chatMessage")), 0); // like her own chat messages

        WsProbe dave;
        QVERIFY(dave.login(server->url(), QStringLiteral("dave"), QStringLiteral("general")));
        const auto joined = dave.all(QStringLiteral("roomJoined")).constLast();
        const QJsonArray history = joined.value(QLatin1String("history")).toArray();
        QCOMPARE(history.size(), 1);
        const QJsonObject file = history.at(0).toObject().value(QLatin1String("file")).toObject();
        QCOMPARE(file.value(QLatin1String("name")).toString(), QStringLiteral("photo.jpg"));
        QCOMPARE(file.value(QLatin1String("size")).toInteger(), data.size());

        alice.send(SendChat{QStringLiteral("did you get it?"), QStringLiteral("m-1")});
        const auto ack = alice.next<Ack>();
        QVERIFY(ack);
        QCOMPARE(ack->seq, 2);

        // Its sender may caption it; the file itself is not hers to change by an edit.
        alice.send(EditMessage{1, QStringLiteral("the view from the hill")});
        const auto edited = dave.next<MessageEdited>();
        QVERIFY(edited);
        QCOMPARE(edited->text, QStringLiteral("the view from the hill"));
        WsProbe erin;
        QVERIFY(erin.login(server->url(), QStringLiteral("erin"), QStringLiteral("general")));
        const QJsonObject kept = erin.all(QStringLiteral("roomJoined"))
                                     .constLast()
                                     .value(QLatin1String("history"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
        QCOMPARE(kept.value(QLatin1String("text")).toString(), QStringLiteral("the view from the hill"));
        QCOMPARE(kept.value(QLatin1String("file")).toObject(), file);
    }

    void aBaseServerKeepsNoFileMessages()
    {
        ServerConfig config = testServerConfig();
        config.baseOnly = true;
        auto server = startTestServer(config);
        WsProbe alice, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("general")));
        const QByteArray data = makeData(1000, 5);
        alice.send(FileStart{QStringLiteral("a.bin"), data.size(), {}, {}});
        alice.sendBinary(chunkOf(data, 0));
        alice.send(FileEnd{});
        alice.send(SendChat{QStringLiteral("after"), {}});
        QVERIFY(carol.next<ChatMessage>());
        QVERIFY(carol.settle());
        QCOMPARE(carol.count(QStringLiteral("chatMessage")), 1);
        QCOMPARE(
            carol.all(QStringLiteral("chatMessage")).constFirst().value(QLatin1String("text")).toString(),
            QStringLiteral("after"));
    }

    void aFinishedUploadSentAgainIsNotDeliveredTwice()
    {
        // The sender's connection drops after fileEnd but before fileComplete reaches it: it
        // reconnects and starts the same upload again, and must be told it is already done.
        auto server = startTestServer();
        WsProbe bob;
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(3 * ChunkDataBytes + 7, 11);
        const FileStart start = startOf(QStringLiteral("once.bin"), data, QStringLiteral("t-once"));
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice.send(start);
        const auto accepted = alice.next<FileAccepted>();
        QVERIFY(accepted);
        QVERIFY(finishUpload(alice, data, 0));
        QVERIFY(bob.next<FileDone>());

        WsProbe alice2; // alice again, on a new connection: her nameToken takes her name back
        QVERIFY(alice2.login(server->url(), QStringLiteral("alice"), QStringLiteral("general"), {},
                             alice.nameToken()));
        alice2.send(withToken(start, accepted->resumeToken));
        const auto complete = alice2.next<FileComplete>();
        QVERIFY(complete);
        QCOMPARE(complete->transferId, QStringLiteral("t-once"));
        QCOMPARE(complete->size, data.size());
        QCOMPARE(alice2.count(QStringLiteral("fileAccepted")), 0);
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("fileOffer")), 1);

        // A different file under the same id is a new upload.
        const QByteArray other = makeData(10, 12);
        alice2.send(
            startOf(QStringLiteral("other.bin"), other, QStringLiteral("t-once"), accepted->resumeToken));
        QCOMPARE(alice2.next<FileAccepted>()->nextChunk, 0u);
    }

    void interruptedUploadsKeptAreBounded()
    {
        ServerConfig config = testServerConfig();
        config.maxHeldUploads = 2;
        auto server = startTestServer(config);
        const QByteArray data = makeData(2 * ChunkDataBytes, 9);
        QString token;
        // Connecting, starting an upload and vanishing, again and again, must not pile up state.
        for (int i = 0; i < 5; ++i) {
            WsProbe alice;
            QVERIFY(alice.login(server->url(), QStringLiteral("alice")));
            alice.send(startOf(QStringLiteral("f.bin"), data, QStringLiteral("t-%1").arg(i)));
            const auto accepted = alice.next<FileAccepted>();
            QVERIFY(accepted);
            token = accepted->resumeToken;
            alice.sendBinary(chunkOf(data, 0));
            QVERIFY(alice.settle());
            alice.socket().abort();
            QTRY_COMPARE_WITH_TIMEOUT(server->clientCount(), 0, 10000);
        }
        QCOMPARE(heldUploads(*server), 2);

        // The newest interrupted upload still resumes.
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice")));
        alice.send(startOf(QStringLiteral("f.bin"), data, QStringLiteral("t-4"), token));
        const auto accepted = alice.next<FileAccepted>();
        QVERIFY(accepted);
        QCOMPARE(accepted->nextChunk, 1u);
    }

    void resumeWithOtherFileStartsAgain()
    {
        auto server = startTestServer();
        WsProbe bob;
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(3 * ChunkDataBytes, 6);
        auto alice = std::make_unique<WsProbe>();
        QVERIFY(alice->login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice->send(startOf(QStringLiteral("v1.bin"), data, QStringLiteral("t-x")));
        const auto first = alice->next<FileAccepted>();
        QVERIFY(first);
        alice->sendBinary(chunkOf(data, 0));
        QVERIFY(bob.waitForBinaries(1));
        alice.reset();
        QVERIFY(bob.next<FileAborted>()->resumable);

        WsProbe alice2;
        QVERIFY(alice2.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QByteArray other = makeData(2 * ChunkDataBytes, 7);
        alice2.send(startOf(QStringLiteral("v2.bin"), other, QStringLiteral("t-x"), first->resumeToken));
        QCOMPARE(alice2.next<FileAccepted>()->nextChunk, 0u);
        const auto final = bob.next<FileAborted>();
        QVERIFY(final);
        QVERIFY(!final->resumable);
        const auto offers = bob.all(QStringLiteral("fileOffer"));
        QTRY_COMPARE(bob.count(QStringLiteral("fileOffer")), 2);
        QVERIFY(bob.all(QStringLiteral("fileOffer")).at(1).value(QLatin1String("stream")).toInteger() !=
                bob.all(QStringLiteral("fileOffer")).at(0).value(QLatin1String("stream")).toInteger());
    }

    void resumeStateExpires()
    {
        ServerConfig config = testServerConfig();
        config.resumeKeepMs = 200;
        auto server = startTestServer(config);
        WsProbe bob;
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(3 * ChunkDataBytes, 8);
        const FileStart start = startOf(QStringLiteral("x.bin"), data, QStringLiteral("t-exp"));
        auto alice = std::make_unique<WsProbe>();
        QVERIFY(alice->login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice->send(start);
        const auto first = alice->next<FileAccepted>();
        QVERIFY(first);
        alice->sendBinary(chunkOf(data, 0));
        QVERIFY(bob.waitForBinaries(1));
        alice.reset();
        QVERIFY(bob.next<FileAborted>()->resumable);
        const auto expired = bob.next<FileAborted>();
        QVERIFY(expired);
        QVERIFY(!expired->resumable);
        QTRY_COMPARE(heldUploads(*server), 0);

        WsProbe alice2;
        QVERIFY(alice2.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice2.send(withToken(start, first->resumeToken));
        QCOMPARE(alice2.next<FileAccepted>()->nextChunk, 0u);
    }

    // Issue 10, finding 1: a second connection under the uploader's name replays the broadcast
    // fileStart and sends its own chunks. It gets an upload of its own; the real file is untouched.
    void aReplayedFileStartCannotInjectIntoAnUpload()
    {
        auto server = startTestServer();
        // The uploader's own name is refused while alice holds it (tst_servernames): a stranger.
        UploadRoom room;
        QVERIFY(room.login(server->url()));
        WsProbe &alice = room.alice, &bob = room.bob, &mallory = room.mallory;
        const QByteArray data = makeData(8 * ChunkDataBytes + 77, 21);
        alice.send(startOf(QStringLiteral("report.pdf"), data, QStringLiteral("t-real")));
        const auto accepted = alice.next<FileAccepted>();
        QVERIFY(accepted);
        const auto offer = mallory.next<FileOffer>(); // what any member sees
        QVERIFY(offer);
        QCOMPARE(bob.next<FileOffer>()->stream, offer->stream);
        for (int i = 0; i < 3; ++i)
            alice.sendBinary(chunkOf(data, i));
        QVERIFY(bob.waitForBinaries(3));

        // Chunks without a fileStart of its own reach nothing.
        mallory.sendBinary(encodeChunk(3, QByteArray(ChunkDataBytes, 'X')));
        QCOMPARE(mallory.next<Error>()->code, QStringLiteral("fileState"));
        // The replayed fileStart, bare and with a guessed token, is a new upload from chunk 0.
        const FileStart replay{offer->name, offer->size, offer->mimeType, offer->transferId};
        mallory.send(replay);
        const auto forged = mallory.next<FileAccepted>();
        QVERIFY(forged);
        QCOMPARE(forged->nextChunk, 0u);
        QVERIFY(forged->resumeToken != accepted->resumeToken);
        mallory.send(withToken(replay, QString(32, QLatin1Char('0'))));
        QCOMPARE(mallory.next<FileAccepted>()->nextChunk, 0u);
        mallory.sendBinary(encodeChunk(3, QByteArray(ChunkDataBytes, 'X')));
        QCOMPARE(mallory.next<Error>()->code, QStringLiteral("badChunk")); // against its own upload

        QVERIFY(finishUpload(alice, data, 3));
        QCOMPARE(alice.count(QStringLiteral("error")), 0);
        QCOMPARE(alice.count(QStringLiteral("fileAccepted")), 1);
        QCOMPARE(deliveredStream(bob, offer->stream), std::optional<QByteArray>(data));
    }

    // Finding 1 too: the transferId is public, so it must not be enough to cancel.
    void aStrangerCannotCancelSomeoneElsesUpload()
    {
        auto server = startTestServer();
        // The uploader's own name is refused while alice holds it (tst_servernames): a stranger.
        UploadRoom room;
        QVERIFY(room.login(server->url()));
        WsProbe &alice = room.alice, &bob = room.bob, &mallory = room.mallory;
        const QByteArray data = makeData(3 * ChunkDataBytes + 5, 22);
        alice.send(startOf(QStringLiteral("c.bin"), data, QStringLiteral("t-mine")));
        QVERIFY(alice.next<FileAccepted>());
        const auto offer = mallory.next<FileOffer>();
        QVERIFY(offer);
        alice.sendBinary(chunkOf(data, 0));
        QVERIFY(bob.waitForBinaries(1));

        mallory.send(FileCancel{offer->transferId});
        QCOMPARE(mallory.next<Error>()->code, QStringLiteral("fileState"));
        mallory.send(FileCancel{offer->transferId, QString(32, QLatin1Char('f'))});
        QCOMPARE(mallory.next<Error>()->code, QStringLiteral("fileState"));
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("fileAborted")), 0);

        QVERIFY(finishUpload(alice, data, 1));
        QCOMPARE(deliveredStream(bob, offer->stream), std::optional<QByteArray>(data));
        QCOMPARE(alice.count(QStringLiteral("error")), 0);
    }

    // An interrupted upload waits for its uploader, whom only the token names: a replay under the
    // same name cannot take it over, and the uploader still resumes after the replay.
    void onlyTheUploaderResumesAnInterruptedUpload()
    {
        auto server = startTestServer();
        WsProbe bob;
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(6 * ChunkDataBytes + 9, 23);
        const FileStart start = startOf(QStringLiteral("held.bin"), data, QStringLiteral("t-held"));
        auto alice = std::make_unique<WsProbe>();
        QVERIFY(alice->login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        alice->send(start);
        const auto accepted = alice->next<FileAccepted>();
        QVERIFY(accepted);
        const auto offer = bob.next<FileOffer>();
        QVERIFY(offer);
        for (int i = 0; i < 2; ++i)
            alice->sendBinary(chunkOf(data, i));
        QVERIFY(bob.waitForBinaries(2));
        alice->socket().abort();
        QVERIFY(bob.next<FileAborted>()->resumable);

        WsProbe mallory;
        QVERIFY(mallory.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        mallory.send(start);
        QCOMPARE(mallory.next<FileAccepted>()->nextChunk, 0u);
        mallory.sendBinary(encodeChunk(2, QByteArray(ChunkDataBytes, 'X')));
        QCOMPARE(mallory.next<Error>()->code, QStringLiteral("badChunk"));
        mallory.send(FileCancel{start.transferId});
        QCOMPARE(mallory.next<Error>()->code, QStringLiteral("fileState"));
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("fileAborted")), 2); // the drop, and mallory's failed upload
        QVERIFY(
            !bob.all(QStringLiteral("fileAborted")).constLast().value(QLatin1String("resumable")).toBool());
        QVERIFY(
            bob.all(QStringLiteral("fileAborted")).constLast().value(QLatin1String("stream")).toInteger() !=
            offer->stream);

        // mallory holds "alice" now: the uploader comes back under another name, and its resume
        // token, never a name, gives the upload back.
        WsProbe alice2;
        QVERIFY(alice2.login(server->url(), QStringLiteral("alice again"), QStringLiteral("general")));
        alice2.send(withToken(start, accepted->resumeToken));
        QCOMPARE(alice2.next<FileAccepted>()->nextChunk, 2u);
        QVERIFY(finishUpload(alice2, data, 2));
        QCOMPARE(deliveredStream(bob, offer->stream), std::optional<QByteArray>(data));
    }

    void badChunksAbortTheUploadOnly_data()
    {
        QTest::addColumn<int>("fault");
        QTest::newRow("frame shorter than 4 bytes") << 0;
        QTest::newRow("index skips ahead") << 1;
        QTest::newRow("short non-final chunk") << 2;
        QTest::newRow("data past the size") << 3;
        QTest::newRow("chunk over 64 KiB") << 4;
        QTest::newRow("final chunk too long") << 5;
    }

    void badChunksAbortTheUploadOnly()
    {
        QFETCH(int, fault);
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(2 * ChunkDataBytes + 10, 9);
        alice.send(startOf(QStringLiteral("bad.bin"), data, QStringLiteral("t-bad")));
        QVERIFY(alice.next<FileAccepted>());
        alice.sendBinary(chunkOf(data, 0));
        switch (fault) {
        case 0:
            alice.sendBinary(QByteArray("\x00\x01", 2));
            break;
        case 1:
            alice.sendBinary(chunkOf(data, 2));
            break;
        case 2:
            alice.sendBinary(encodeChunk(1, data.mid(ChunkDataBytes, 1000)));
            break;
        case 3:
            alice.sendBinary(chunkOf(data, 1));
            alice.sendBinary(chunkOf(data, 2));
            alice.sendBinary(encodeChunk(3, QByteArray(5, 'x')));
            break;
        case 4:
            alice.sendBinary(encodeChunk(1, QByteArray(ChunkDataBytes + 1, 'x')));
            break;
        case 5:
            alice.sendBinary(chunkOf(data, 1));
            alice.sendBinary(encodeChunk(2, QByteArray(11, 'x')));
            break;
        }
        const auto error = alice.next<Error>();
        QVERIFY(error);
        QCOMPARE(error->code, QStringLiteral("badChunk"));
        QCOMPARE(error->transferId, QStringLiteral("t-bad"));
        const auto aborted = bob.next<FileAborted>();
        QVERIFY(aborted);
        QVERIFY(!aborted->resumable);
        QCOMPARE(bob.count(QStringLiteral("fileDone")), 0);
        QTRY_COMPARE(heldUploads(*server), 0);

        // The upload is gone, the connection is not: more chunks are out of place, a new upload works.
        alice.sendBinary(chunkOf(data, 1));
        QCOMPARE(alice.next<Error>()->code, QStringLiteral("fileState"));
        const QByteArray small = makeData(100, 10);
        alice.send(startOf(QStringLiteral("ok.bin"), small, QStringLiteral("t-ok")));
        QVERIFY(alice.next<FileAccepted>());
        alice.sendBinary(chunkOf(small, 0));
        alice.send(FileEnd{});
        QVERIFY(alice.next<FileComplete>());
        const auto offer = bob.all(QStringLiteral("fileOffer")).constLast();
        QVERIFY(bob.next<FileDone>());
        QCOMPARE(streamData(bob, quint32(offer.value(QLatin1String("stream")).toInteger())),
                 std::optional<QByteArray>(small));
        QCOMPARE(bob.next<ChatMessage>()->file->name, QStringLiteral("ok.bin")); // only the good one
        alice.send(SendChat{QStringLiteral("still chatting"), {}});
        QCOMPARE(bob.next<ChatMessage>()->text, QStringLiteral("still chatting"));
    }

    void fileStateErrors()
    {
        ServerConfig config = testServerConfig();
        config.maxFileBytes = 1000;
        auto server = startTestServer(config);
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));

        alice.sendBinary(encodeChunk(0, "abc"));
        QCOMPARE(alice.next<Error>()->code, QStringLiteral("fileState"));

        alice.send(FileStart{QStringLiteral("huge.bin"), 1001, {}, QStringLiteral("t-huge")});
        auto e = alice.next<Error>();
        QCOMPARE(e->code, QStringLiteral("fileTooLarge"));
        QCOMPARE(e->transferId, QStringLiteral("t-huge"));

        const QByteArray data = makeData(1000, 11);
        alice.send(startOf(QStringLiteral("early.bin"), data, QStringLiteral("t-early")));
        QVERIFY(alice.next<FileAccepted>());
        alice.send(FileEnd{});
        e = alice.next<Error>();
        QCOMPARE(e->code, QStringLiteral("fileState"));
        QCOMPARE(e->transferId, QStringLiteral("t-early"));
        QVERIFY(!bob.next<FileAborted>()->resumable);

        alice.send(FileCancel{QStringLiteral("no-such-transfer")});
        QCOMPARE(alice.next<Error>()->code, QStringLiteral("fileState"));

        // A zero-byte file has no chunks.
        alice.send(
            FileStart{QStringLiteral("empty.txt"), 0, QStringLiteral("text/plain"), QStringLiteral("t-0")});
        QVERIFY(alice.next<FileAccepted>());
        alice.send(FileEnd{});
        QCOMPARE(alice.next<FileComplete>()->size, 0);
        QVERIFY(bob.next<FileDone>());
    }

    void cancelEndsTheStream()
    {
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(3 * ChunkDataBytes, 12);
        alice.send(startOf(QStringLiteral("c.bin"), data, QStringLiteral("t-c")));
        QVERIFY(alice.next<FileAccepted>());
        alice.sendBinary(chunkOf(data, 0));
        alice.send(FileCancel{QStringLiteral("t-c")});
        const auto aborted = bob.next<FileAborted>();
        QVERIFY(aborted);
        QVERIFY(!aborted->resumable);
        QTRY_COMPARE(heldUploads(*server), 0);
        alice.sendBinary(chunkOf(data, 1));
        QCOMPARE(alice.next<Error>()->code, QStringLiteral("fileState"));
    }

    void senderDropWithoutTransferIdIsFinal()
    {
        auto server = startTestServer();
        WsProbe bob;
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        auto alice = std::make_unique<WsProbe>();
        QVERIFY(alice->login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        const QByteArray data = makeData(2 * ChunkDataBytes, 13);
        alice->send(startOf(QStringLiteral("base.bin"), data, {}));
        QVERIFY(bob.next<FileOffer>());
        QVERIFY(!bob.all(QStringLiteral("fileOffer")).constFirst().contains(QLatin1String("transferId")));
        alice->sendBinary(chunkOf(data, 0));
        QVERIFY(bob.waitForBinaries(1));
        alice.reset();
        const auto aborted = bob.next<FileAborted>();
        QVERIFY(aborted);
        QVERIFY(!aborted->resumable);
        QTRY_COMPARE(heldUploads(*server), 0);
    }

    void receiverLeavingTheRoomStopsItsStream()
    {
        auto server = startTestServer();
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(3 * ChunkDataBytes, 14);
        alice.send(startOf(QStringLiteral("l.bin"), data, QStringLiteral("t-l")));
        QVERIFY(alice.next<FileAccepted>());
        alice.sendBinary(chunkOf(data, 0));
        QVERIFY(bob.waitForBinaries(1));
        bob.send(LeaveRoom{});
        QVERIFY(!bob.next<FileAborted>()->resumable);
        for (int i = 1; i < 3; ++i)
            alice.sendBinary(chunkOf(data, i));
        alice.send(FileEnd{});
        QVERIFY(alice.next<FileComplete>());
        QVERIFY(bob.settle());
        QCOMPARE(bob.binaries.size(), 1);
        QCOMPARE(bob.count(QStringLiteral("fileDone")), 0);
    }

    // A receiver that declines gets nothing more of that stream, and nobody else notices: the
    // sender completes, the other receiver gets every byte. Declining what one is not receiving is
    // harmless (it may cross fileDone), and a base server does not know the message.
    void declinedStreamStopsForThatReceiverOnly()
    {
        auto server = startTestServer();
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general"), FilesFeature));
        QVERIFY(carol.login(server->url(), QStringLiteral("carol"), QStringLiteral("general"), FilesFeature));
        const QByteArray data = makeData(4 * ChunkDataBytes, 21);
        alice.send(startOf(QStringLiteral("big.iso"), data, QStringLiteral("t-d")));
        QVERIFY(alice.next<FileAccepted>());
        const auto offer = bob.next<FileOffer>();
        QVERIFY(offer);
        alice.sendBinary(chunkOf(data, 0));
        QVERIFY(bob.waitForBinaries(1));
        bob.send(FileDecline{offer->stream});
        QVERIFY(bob.settle()); // the server has handled the decline
        for (int i = 1; i < 4; ++i)
            alice.sendBinary(chunkOf(data, i));
        alice.send(FileEnd{});
        QVERIFY(alice.next<FileComplete>());
        const auto done = carol.next<FileDone>();
        QVERIFY(done);
        QCOMPARE(streamData(carol, done->stream), std::optional<QByteArray>(data));

        bob.send(FileDecline{offer->stream}); // again, after the end
        bob.send(FileDecline{123456});        // never offered
        QVERIFY(bob.settle());
        QCOMPARE(bob.binaries.size(), 1);
        QCOMPARE(bob.count(QStringLiteral("fileDone")), 0);
        QCOMPARE(bob.count(QStringLiteral("fileAborted")), 0);
        QCOMPARE(bob.count(QStringLiteral("error")), 0);
        QCOMPARE(alice.count(QStringLiteral("error")), 0);

        ServerConfig base = testServerConfig();
        base.baseOnly = true;
        auto baseServer = startTestServer(base);
        WsProbe dave;
        QVERIFY(dave.login(baseServer->url(), QStringLiteral("dave"), QStringLiteral("general")));
        dave.send(FileDecline{1});
        const auto error = dave.next<Error>();
        QVERIFY(error);
        QVERIFY2(error->message.contains(QStringLiteral("fileDecline")), qPrintable(error->message));
    }

    void uploaderIgnoringFlowControlCannotFloodTheServer()
    {
        ServerConfig config = testServerConfig();
        config.relayDropBytes = 1024 * 1024;
        auto server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        RawWsClient slow;
        QVERIFY(slow.open(server->url()));
        slow.sendText(encode(Hello{QStringLiteral("raw"), FilesFeature}));
        slow.sendText(encode(SetUsername{QStringLiteral("slow")}));
        slow.sendText(encode(JoinRoom{QStringLiteral("general"), {}, {}}));
        QVERIFY(alice.next<UserJoined>());
        QVERIFY(alice.next<UserJoined>());
        slow.stopReading();

        // A guides-style upload: no transferId, so nothing can slow the sender down.
        const int chunks = 400;
        const QByteArray data = makeData(qint64(chunks) * ChunkDataBytes, 16);
        alice.send(startOf(QStringLiteral("flood.bin"), data, {}));
        for (int i = 0; i < chunks; ++i)
            alice.sendBinary(chunkOf(data, i));
        alice.send(FileEnd{});
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("error")), 0); // the upload itself succeeded

        // The lagging receiver was cut off with a final fileAborted instead of piling up 25 MiB.
        slow.socket().setReadBufferSize(0);
        QVERIFY(waitUntil([&] { return slow.drain().contains("\"fileAborted\""); }, 60000));
        QVERIFY(!slow.drain().contains("\"fileDone\""));
        QVERIFY(slow.drain().size() < data.size());
    }

    void slowReceiverHoldsBackProgress()
    {
        ServerConfig config = testServerConfig();
        config.relayHighWaterBytes = 1024 * 1024;
        auto server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        RawWsClient slow;
        QVERIFY(slow.open(server->url()));
        slow.sendText(encode(Hello{QStringLiteral("raw"), FilesFeature}));
        slow.sendText(encode(SetUsername{QStringLiteral("slow")}));
        slow.sendText(encode(JoinRoom{QStringLiteral("general"), {}, {}}));
        QVERIFY(alice.next<UserJoined>()); // alice's own
        QVERIFY(alice.next<UserJoined>()); // slow's
        slow.stopReading();

        // Far more than the kernel's socket buffers absorb.
        const int chunks = 400;
        const QByteArray data = makeData(qint64(chunks) * ChunkDataBytes, 15);
        alice.send(startOf(QStringLiteral("flood.bin"), data, QStringLiteral("t-flow")));
        QVERIFY(alice.next<FileAccepted>());
        for (int i = 0; i < chunks; ++i)
            alice.sendBinary(chunkOf(data, i));
        // Once the pong is back the server has handled every chunk.
        alice.send(Ping{1});
        QVERIFY(alice.waitFor(QStringLiteral("pong"), 60000));
        const auto lastReceived = [&] {
            const auto all = alice.all(QStringLiteral("fileProgress"));
            return all.isEmpty() ? 0 : all.constLast().value(QLatin1String("received")).toInteger();
        };
        QVERIFY2(lastReceived() < chunks, "progress must be withheld while a receiver lags");

        slow.readAndDiscard();
        QVERIFY(waitUntil([&] { return lastReceived() == chunks; }, 60000));
        alice.send(FileEnd{});
        QVERIFY(alice.next<FileComplete>());
        QVERIFY(waitUntil([&] { return slow.discarded() >= qint64(chunks) * ChunkDataBytes; }, 60000));
    }
};

QTEST_GUILESS_MAIN(TestServerFiles)
#include "tst_serverfiles.moc"

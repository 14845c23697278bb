// SPDX-License-Identifier: GPL-3.0-or-later
#include "filesfixture.h"
#include "sessionchannel.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace FilesTest;
using State = TransferInfo::State;

namespace {
//! A server that logs the client in and then sends whatever relay traffic the test scripts,
//! well-formed or not.
class ScriptedServer
{
public:
    ScriptedServer()
        : m_server(QStringLiteral("scripted"), QWebSocketServer::NonSecureMode)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QWebSocketServer::newConnection, [this] {
            QWebSocket *s = m_server.nextPendingConnection();
            s->setParent(&m_server); // the caller owns it; without a parent it leaked (LeakSanitizer)
            m_socket = s;
            QObject::connect(s, &QWebSocket::textMessageReceived,
                             [this, s](const QString &text) { onText(s, text); });
            Protocol::Connected c;
            c.clientId = QStringLiteral("c-1");
            c.server = QStringLiteral("scripted/1");
            c.protocol = 1;
            c.features = Protocol::Feature::all();
            c.maxMessageBytes = 1024 * 1024;
            send(c);
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort())); }
    void send(const Protocol::ServerMessage &m)
    {
        if (m_socket)
            m_socket->sendTextMessage(QString::fromUtf8(Protocol::encode(m)));
    }
    void sendText(const QByteArray &json)
    {
        if (m_socket)
            m_socket->sendTextMessage(QString::fromUtf8(json));
    }
    void sendBinary(const QByteArray &frame)
    {
        if (m_socket)
            m_socket->sendBinaryMessage(frame);
    }
    void chunk(quint32 stream, quint32 index, const QByteArray &data)
    {
        sendBinary(Protocol::encodeRelayChunk(stream, index, data));
    }
    QStringList hellos;
    QList<quint32> declined; // fileDecline streams, in order

private:
    void onText(QWebSocket *s, const QString &text)
    {
        const auto decoded = Protocol::decodeClient(text);
        const auto *m = std::get_if<Protocol::ClientMessage>(&decoded);
        if (!m)
            return;
        if (const auto *h = std::get_if<Protocol::Hello>(m))
            hellos.append(h->features.join(QLatin1Char(',')));
        else if (const auto *d = std::get_if<Protocol::FileDecline>(m))
            declined.append(d->stream);
        else if (const auto *u = std::get_if<Protocol::SetUsername>(m))
            send(Protocol::UsernameSet{u->username});
        else if (const auto *j = std::get_if<Protocol::JoinRoom>(m))
            send(Protocol::RoomJoined{j->room, 1, QStringList{QStringLiteral("bob")}, {}, 0, false, {}});
        else if (const auto *p = std::get_if<Protocol::Ping>(m))
            s->sendTextMessage(
                QString::fromUtf8(Protocol::encode(Protocol::Pong{p->timestamp, Protocol::nowMs()})));
    }

    QWebSocketServer m_server;
    QPointer<QWebSocket> m_socket;
};

Protocol::FileOffer offer(quint32 stream, qint64 size, const QString &name = QStringLiteral("f.bin"))
{
    return Protocol::FileOffer{stream,
                               QStringLiteral("t-%1").arg(stream),
                               QStringLiteral("alice"),
                               QStringLiteral("general"),
                               name,
                               size,
                               QStringLiteral("application/octet-stream")};
}
} // namespace

//! A receiver facing a broken or hostile relay: every fault fails the transfer it belongs to
//! with a clear reason (or is reported once), nothing crashes, and no partial file survives.
class TestFileRelayFaults : public QObject
{
    Q_OBJECT

private slots:

    void helloDeclaresFiles()
    {
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server.url()));
        // `status` always (PROTOCOL.md 7), `files` while incoming files are accepted.
        QCOMPARE(server.hellos, QStringList{QStringLiteral("status,files")});
        bob.transfers->setAcceptIncoming(false);
        QVERIFY(waitUntil([&] { return server.hellos.size() == 2; }));
        QCOMPARE(server.hellos.at(1), QStringLiteral("status"));
    }

    void outOfOrderChunkFailsTheDownload()
    {
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server.url()));
        QSignalSpy relayErrors(bob.transfers.get(), &FileTransfers::relayError);
        server.send(offer(5, 3 * Protocol::ChunkDataBytes));
        server.chunk(5, 0, QByteArray(Protocol::ChunkDataBytes, 'a'));
        server.chunk(5, 2, QByteArray(Protocol::ChunkDataBytes, 'c'));
        server.chunk(5, 1, QByteArray(Protocol::ChunkDataBytes, 'b')); // too late: ignored
        server.send(Protocol::FileDone{5});
        QVERIFY(settleClient(*bob.client));
        const TransferInfo t = bob.lastDownload();
        QCOMPARE(t.state, State::Failed);
        QVERIFY2(t.error.contains(QLatin1String("Chunk 2 arrived where chunk 1 was expected")),
                 qPrintable(t.error));
        QCOMPARE(relayErrors.size(), 0);
        QCOMPARE(filesIn(bob.downloads), QStringList());
    }

    void wrongLengthsFailTheDownload_data()
    {
        QTest::addColumn<int>("fault");
        QTest::newRow("short middle chunk") << 0;
        QTest::newRow("long last chunk") << 1;
        QTest::newRow("chunk past the end") << 2;
        QTest::newRow("done before the end") << 3;
    }

    void wrongLengthsFailTheDownload()
    {
        QFETCH(int, fault);
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server.url()));
        const qint64 size = Protocol::ChunkDataBytes + 10;
        server.send(offer(1, size));
        switch (fault) {
        case 0:
            server.chunk(1, 0, QByteArray(100, 'x'));
            break;
        case 1:
            server.chunk(1, 0, QByteArray(Protocol::ChunkDataBytes, 'x'));
            server.chunk(1, 1, QByteArray(11, 'x'));
            break;
        case 2:
            server.chunk(1, 0, QByteArray(Protocol::ChunkDataBytes, 'x'));
            server.chunk(1, 1, QByteArray(10, 'x'));
            server.chunk(1, 2, QByteArray(1, 'x'));
            break;
        case 3:
            server.chunk(1, 0, QByteArray(Protocol::ChunkDataBytes, 'x'));
            break;
        }
        server.send(Protocol::FileDone{1});
        QVERIFY(settleClient(*bob.client));
        const TransferInfo t = bob.lastDownload();
        QCOMPARE(t.state, State::Failed);
        QVERIFY(!t.error.isEmpty());
        QVERIFY(t.localPath.isEmpty());
        QCOMPARE(filesIn(bob.downloads), QStringList());
    }

    void unknownStreamsAreReportedOnce()
    {
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server.url()));
        QSignalSpy relayErrors(bob.transfers.get(), &FileTransfers::relayError);
        QSignalSpy protocolErrors(bob.client.get(), &ChatClient::protocolError);
        for (quint32 i = 0; i < 5; ++i)
            server.chunk(99, i, QByteArray(10, 'x'));
        server.send(Protocol::FileDone{77});
        server.sendBinary(QByteArray("\x00\x01", 2)); // not even a relay header
        QVERIFY(settleClient(*bob.client));
        QCOMPARE(relayErrors.size(), 2);
        QVERIFY(relayErrors.at(0).at(0).toString().contains(QLatin1String("unknown stream 99")));
        QVERIFY(relayErrors.at(1).at(0).toString().contains(QLatin1String("77")));
        QCOMPARE(protocolErrors.size(), 1);
        QCOMPARE(bob.downloadCount(), 0);

        // A flood of made-up streams is not a flood of reports.
        for (quint32 s = 1000; s < 1500; ++s)
            server.chunk(s, 0, QByteArray(1, 'x'));
        QVERIFY(settleClient(*bob.client));
        QVERIFY(relayErrors.size() < 30);
        QVERIFY(bob.client->isSessionReady());
    }

    void interleavedStreamsStayApart()
    {
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server.url()));
        const QByteArray a = QByteArray(Protocol::ChunkDataBytes, 'a') + QByteArray(5, 'A');
        const QByteArray b = QByteArray(Protocol::ChunkDataBytes, 'b') + QByteArray(7, 'B');
        server.send(offer(1, a.size(), QStringLiteral("a.bin")));
        server.send(offer(2, b.size(), QStringLiteral("b.bin")));
        server.chunk(1, 0, a.left(Protocol::ChunkDataBytes));
        server.chunk(2, 0, b.left(Protocol::ChunkDataBytes));
        server.send(Protocol::FileAborted{2, QStringLiteral("sender disconnected"), true});
        server.chunk(1, 1, a.mid(Protocol::ChunkDataBytes));
        server.send(Protocol::FileDone{1});
        QVERIFY(settleClient(*bob.client));
        const QList<TransferInfo> all = bob.transfers->transfers();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).state, State::Completed);
        QCOMPARE(all.at(1).state, State::Interrupted);
        // The sender is back: the stream goes on where it stopped.
        server.chunk(2, 1, b.mid(Protocol::ChunkDataBytes));
        server.send(Protocol::FileDone{2});
        QVERIFY(settleClient(*bob.client));
        QCOMPARE(bob.info(all.at(1).id).state, State::Completed);
        QFile fa(bob.info(all.at(0).id).localPath), fb(bob.info(all.at(1).id).localPath);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        QCOMPARE(fa.readAll(), a);
        QCOMPARE(fb.readAll(), b);
    }

    void finalAbortDeletesThePartialFile()
    {
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server.url()));
        server.send(offer(3, 2 * Protocol::ChunkDataBytes));
        server.chunk(3, 0, QByteArray(Protocol::ChunkDataBytes, 'x'));
        QVERIFY(settleClient(*bob.client));
        QCOMPARE(bob.lastDownload().state, State::Active);
        QCOMPARE(bob.lastDownload().done, Protocol::ChunkDataBytes);
        server.send(Protocol::FileAborted{3, QStringLiteral("the sender did not come back in time"), false});
        server.chunk(3, 1, QByteArray(Protocol::ChunkDataBytes, 'x')); // after the end: dropped
        server.send(Protocol::FileDone{3});
        QVERIFY(settleClient(*bob.client));
        QCOMPARE(bob.lastDownload().state, State::Failed);
        QCOMPARE(bob.lastDownload().error, QStringLiteral("the sender did not come back in time"));
        QCOMPARE(filesIn(bob.downloads), QStringList());
    }

    void hostileOffersAreRefused()
    {
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        bob.transfers->setMaxIncomingBytes(1000);
        QVERIFY(bob.login(server.url()));
        QSignalSpy relayErrors(bob.transfers.get(), &FileTransfers::relayError);
        QSignalSpy protocolErrors(bob.client.get(), &ChatClient::protocolError);
        QJsonObject negative{{QStringLiteral("type"), QStringLiteral("fileOffer")},
                             {QStringLiteral("stream"), 1},
                             {QStringLiteral("name"), QStringLiteral("x")},
                             {QStringLiteral("size"), -5}};
        server.sendText(QJsonDocument(negative).toJson(QJsonDocument::Compact));
        server.send(offer(2, 1001));
        for (quint32 i = 0; i < 50; ++i)
            server.chunk(2, i, QByteArray(20, 'x')); // chunks of a refused stream: no spam
        server.send(Protocol::FileDone{2});
        QVERIFY(settleClient(*bob.client));
        QCOMPARE(protocolErrors.size(), 1); // the negative size never gets past the decoder
        const QList<TransferInfo> all = bob.transfers->transfers();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.at(0).state, State::Failed);
        QVERIFY2(all.at(0).error.contains(QLatin1String("1000 bytes")), qPrintable(all.at(0).error));
        QCOMPARE(relayErrors.size(), 0);
        QCOMPARE(filesIn(bob.downloads), QStringList());
    }

    // A flood of offers: each is declined at the server, the first few are shown with their
    // reason, and the rest leave nothing behind (no row, no notification, no memory).
    void aFloodOfOffersIsDeclinedWithoutGrowing()
    {
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        bob.transfers->setMaxIncomingBytes(1000);
        QVERIFY(bob.login(server.url()));
        QSignalSpy added(bob.transfers.get(), &FileTransfers::transferAdded);
        constexpr quint32 Offers = 500;
        for (quint32 i = 1; i <= Offers; ++i)
            server.send(offer(i, 5000));
        QVERIFY(settleClient(*bob.client)); // bob has handled every offer...
        QVERIFY(settleClient(*bob.client)); // ...and the server has every decline he sent
        QCOMPARE(server.declined.size(), int(Offers));
        QCOMPARE(server.declined.first(), 1u);
        QCOMPARE(server.declined.last(), Offers);
        QCOMPARE(added.size(), 20);
        QCOMPARE(bob.transfers->transfers().size(), 20);
    }

    void clientGoneBeforeItsTransfers()
    {
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QSignalSpy refused(bob.transfers.get(), &FileTransfers::sendRefused);
        bob.client.reset();
        QFile file(dir.filePath(QStringLiteral("x.txt")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(bob.transfers->sendFile(file.fileName()).isEmpty());
        QCOMPARE(refused.size(), 1);
        QVERIFY(!bob.transfers->cancel(QStringLiteral("nothing")));
        bob.transfers->setAcceptIncoming(false);
        QVERIFY(bob.transfers->transfers().isEmpty());
    }

    void connectionLossFailsDownloadsInProgress()
    {
        ScriptedServer server;
        QTemporaryDir dir;
        Peer bob(dir, QStringLiteral("bob"));
        QVERIFY(bob.login(server.url()));
        server.send(offer(4, 2 * Protocol::ChunkDataBytes));
        server.chunk(4, 0, QByteArray(Protocol::ChunkDataBytes, 'x'));
        QVERIFY(settleClient(*bob.client));
        bob.client->reconnectNow();
        QCOMPARE(bob.lastDownload().state, State::Failed);
        QCOMPARE(filesIn(bob.downloads), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestFileRelayFaults)
#include "tst_filerelayfaults.moc"

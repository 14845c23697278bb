// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol.h"
#include "rawwsclient.h"
#include "serverfixture.h"
#include "wsconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QtTest>

using namespace Protocol;

namespace {
constexpr quint8 Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, PingOp = 0x9, PongOp = 0xA;

// The next text message from the server, as JSON (empty if the connection closes first); pongs
// and other frames before it are skipped.
QJsonObject nextJson(RawWsClient &client)
{
    while (const auto f = client.nextFrame()) {
        if (f->opcode == Text)
            return QJsonDocument::fromJson(f->payload).object();
        if (f->opcode == Close)
            return {};
    }
    return {};
}

QByteArray setUsername(const QString &name)
{
    return encode(SetUsername{name});
}

// `message` cut at the given byte offsets into a text frame and continuation frames.
void sendFragmented(RawWsClient &client, const QByteArray &message, const QList<qsizetype> &cuts)
{
    qsizetype from = 0;
    for (qsizetype i = 0; i <= cuts.size(); ++i) {
        const qsizetype to = i < cuts.size() ? cuts.at(i) : message.size();
        client.sendFrame(i == 0 ? Text : Continuation, message.mid(from, to - from), i == cuts.size());
        from = to;
    }
}
} // namespace

//! RFC 6455 at the wire, seen from the peer: each test sends raw frames the way Autobahn's
//! fuzzing client does (categories: framing, pings, fragmentation, UTF-8, close handling,
//! limits) and checks what the server answers, close codes included.
class TestWireConformance : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_server = startTestServer();
        m_client = std::make_unique<RawWsClient>();
        QVERIFY(m_client->open(m_server->url()));
        const QJsonObject connected = nextJson(*m_client);
        QCOMPARE(connected.value(QLatin1String("type")).toString(), QStringLiteral("connected"));
    }
    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    // --- framing ---------------------------------------------------------------------------
    void reservedBitsFailWith1002_data()
    {
        QTest::addColumn<int>("rsv");
        QTest::newRow("RSV1") << 4;
        QTest::newRow("RSV2") << 2;
        QTest::newRow("RSV3") << 1;
        QTest::newRow("all") << 7;
    }
    void reservedBitsFailWith1002()
    {
        QFETCH(int, rsv);
        m_client->sendFrame(Text, setUsername(QStringLiteral("a")), true, true, quint8(rsv));
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    void reservedOpcodesFailWith1002_data()
    {
        QTest::addColumn<int>("opcode");
        for (int op : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
            QTest::addRow("opcode %d", op) << op;
    }
    void reservedOpcodesFailWith1002()
    {
        QFETCH(int, opcode);
        m_client->sendFrame(quint8(opcode), "x");
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    void unmaskedFramesFailWith1002_data()
    {
        QTest::addColumn<int>("opcode");
        QTest::newRow("text") << int(Text);
        QTest::newRow("binary") << int(Binary);
        QTest::newRow("ping") << int(PingOp);
    }
    void unmaskedFramesFailWith1002()
    {
        QFETCH(int, opcode);
        m_client->sendFrame(quint8(opcode), setUsername(QStringLiteral("a")), true, false);
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    void aLengthNotInItsShortestFormFailsWith1002_data()
    {
        QTest::addColumn<QByteArray>("header"); // FIN+text, MASK+length form, length, zero mask key
        QTest::newRow("16-bit length 5") << QByteArray("\x81\xfe\x00\x05\0\0\0\0", 8);
        QTest::newRow("64-bit length 5") << QByteArray("\x81\xff\0\0\0\0\0\0\0\x05\0\0\0\0", 14);
    }
    void aLengthNotInItsShortestFormFailsWith1002()
    {
        QFETCH(QByteArray, header);
        m_client->socket().write(header + "hello");
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    // --- pings -----------------------------------------------------------------------------
    void pingGetsAnIdenticalPong_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("text") << QByteArray("hello");
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe\x80", 4);
        QTest::newRow("125 bytes") << QByteArray(125, 'p');
    }
    void pingGetsAnIdenticalPong()
    {
        QFETCH(QByteArray, payload);
        m_client->sendPing(payload);
        const auto pong = m_client->nextFrame();
        QVERIFY(pong);
        QCOMPARE(pong->opcode, PongOp);
        QCOMPARE(pong->payload, payload);
    }

    void unsolicitedPongIsIgnored()
    {
        m_client->sendFrame(PongOp, "unasked");
        m_client->sendText(setUsername(QStringLiteral("still")));
        QCOMPARE(nextJson(*m_client).value(QLatin1String("type")).toString(), QStringLiteral("usernameSet"));
    }

    void controlFrameOver125BytesFailsWith1002()
    {
        m_client->sendPing(QByteArray(126, 'p'));
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    void fragmentedControlFrameFailsWith1002()
    {
        m_client->sendFrame(PingOp, "part", false);
        m_client->sendFrame(Continuation, "rest", true);
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    // --- fragmentation ---------------------------------------------------------------------
    void textInFragmentsIsOneMessage_data()
    {
        QTest::addColumn<int>("fragments");
        for (int n : {1, 2, 3, 7, 20})
            QTest::addRow("%d fragments", n) << n;
    }
    void textInFragmentsIsOneMessage()
    {
        QFETCH(int, fragments);
        const QByteArray message = setUsername(QStringLiteral("fragmented"));
        QList<qsizetype> cuts;
        for (int i = 1; i < fragments; ++i)
            cuts.append(message.size() * i / fragments);
        sendFragmented(*m_client, message, cuts);
        const QJsonObject reply = nextJson(*m_client);
        QVERIFY(!reply.isEmpty());
        QCOMPARE(reply.value(QLatin1String("username")).toString(), QStringLiteral("fragmented"));
    }

    void pingBetweenFragmentsIsAnswered()
    {
        const QByteArray message = setUsername(QStringLiteral("interleaved"));
        m_client->sendFrame(Text, message.left(5), false);
        m_client->sendPing("between");
        m_client->sendFrame(Continuation, message.mid(5), true);
        const auto pong = m_client->nextFrame();
        QVERIFY(pong);
        QCOMPARE(pong->opcode, PongOp);
        QCOMPARE(pong->payload, QByteArray("between"));
        QCOMPARE(nextJson(*m_client).value(QLatin1String("username")).toString(),
                 QStringLiteral("interleaved"));
    }

    void emptyFragmentsAreFine()
    {
        const QByteArray message = setUsername(QStringLiteral("empties"));
        m_client->sendFrame(Text, {}, false);
        m_client->sendFrame(Continuation, message, false);
        m_client->sendFrame(Continuation, {}, true);
        QCOMPARE(nextJson(*m_client).value(QLatin1String("username")).toString(), QStringLiteral("empties"));
    }

    void continuationWithoutStartFailsWith1002()
    {
        m_client->sendFrame(Continuation, setUsername(QStringLiteral("a")), true);
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    void newMessageWhileFragmentedFailsWith1002_data()
    {
        QTest::addColumn<int>("opcode");
        QTest::newRow("text") << int(Text);
        QTest::newRow("binary") << int(Binary);
    }
    void newMessageWhileFragmentedFailsWith1002()
    {
        QFETCH(int, opcode);
        m_client->sendFrame(Text, "{\"type\":", false);
        m_client->sendFrame(quint8(opcode), "\"x\"}", true);
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    // --- UTF-8 -----------------------------------------------------------------------------
    // RFC 6455 5.6: a character may be split between fragments; only the whole message must be
    // valid UTF-8. (Qt 6.4 validated each frame alone and closed such messages with 1007.)
    void aCharacterSplitBetweenFragmentsIsAccepted_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("cut");
        const QStringList names{QStringLiteral("caf\u00e9"), QStringLiteral("\u20acuro"),
                                QString::fromUtf8("smile\xf0\x9f\x98\x80")};
        for (const QString &name : names) {
            const QByteArray utf8 = name.toUtf8();
            const QByteArray json = setUsername(name);
            const qsizetype at = json.indexOf(utf8);
            // Every cut strictly inside the multi-byte character.
            for (qsizetype i = 0; i < utf8.size(); ++i) {
                if (uchar(utf8.at(i)) < 0x80)
                    continue;
                for (qsizetype j = i + 1; j < utf8.size() && (uchar(utf8.at(j)) & 0xc0) == 0x80; ++j)
                    QTest::addRow("%s byte %d", qPrintable(name), int(j - i)) << name << int(at + j);
            }
        }
    }
    void aCharacterSplitBetweenFragmentsIsAccepted()
    {
        QFETCH(QString, name);
        QFETCH(int, cut);
        sendFragmented(*m_client, setUsername(name), {cut});
        const QJsonObject reply = nextJson(*m_client);
        QVERIFY2(!reply.isEmpty(), "the server closed the connection");
        QCOMPARE(reply.value(QLatin1String("username")).toString(), name);
    }

    void aFourByteCharacterInFourFragmentsIsAccepted()
    {
        const QString name = QString::fromUtf8("x\xf0\x9f\x98\x80y");
        const QByteArray json = setUsername(name);
        const qsizetype at = json.indexOf("\xf0");
        sendFragmented(*m_client, json, {at + 1, at + 2, at + 3});
        QCOMPARE(nextJson(*m_client).value(QLatin1String("username")).toString(), name);
    }

    void invalidUtf8FailsWith1007_data()
    {
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("second"); // empty: one unfragmented frame
        QTest::newRow("lone continuation byte") << QByteArray("a\x80z") << QByteArray();
        QTest::newRow("overlong slash (2 bytes)") << QByteArray("\xc0\xaf") << QByteArray();
        QTest::newRow("overlong slash (3 bytes)") << QByteArray("\xe0\x80\xaf") << QByteArray();
        QTest::newRow("overlong NUL (4 bytes)") << QByteArray("\xf0\x80\x80\x80", 4) << QByteArray();
        QTest::newRow("surrogate U+D800") << QByteArray("\xed\xa0\x80") << QByteArray();
        QTest::newRow("surrogate U+DFFF") << QByteArray("\xed\xbf\xbf") << QByteArray();
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << QByteArray();
        QTest::newRow("0xFE") << QByteArray("\xfe") << QByteArray();
        QTest::newRow("truncated at the end") << QByteArray("ok\xe2\x82") << QByteArray();
        QTest::newRow("truncated at the end, fragmented") << QByteArray("ok") << QByteArray("\xe2\x82");
        QTest::newRow("invalid in the second fragment") << QByteArray("ok") << QByteArray("\xed\xa0\x80");
        QTest::newRow("split, then a wrong continuation") << QByteArray("\xe2\x82") << QByteArray("a");
    }
    void invalidUtf8FailsWith1007()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, second);
        if (second.isEmpty()) {
            m_client->sendText(first);
        } else {
            m_client->sendFrame(Text, first, false);
            m_client->sendFrame(Continuation, second, true);
        }
        QCOMPARE(m_client->waitForCloseCode(), quint16(1007));
    }

    void binaryIsNotUtf8Checked()
    {
        m_client->sendBinary(QByteArray("\xff\xfe\x80\x00\x01", 5));
        // Not a valid chunk: an `error` reply, and the connection stays.
        QCOMPARE(nextJson(*m_client).value(QLatin1String("type")).toString(), QStringLiteral("error"));
    }

    // --- close handling --------------------------------------------------------------------
    void closeCodeIsEchoed_data()
    {
        QTest::addColumn<int>("code");
        for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
            QTest::addRow("%d", code) << code;
    }
    void closeCodeIsEchoed()
    {
        QFETCH(int, code);
        m_client->sendClose(quint16(code), "bye");
        QCOMPARE(m_client->waitForCloseCode(), quint16(code));
        QVERIFY(m_client->waitForDisconnected()); // the server ends TCP once both closes are through
        QTRY_COMPARE(m_server->clientCount(), 0);
    }

    void closeWithoutCodeIsAnsweredWithoutCode()
    {
        m_client->sendClose(0);
        QCOMPARE(m_client->waitForCloseCode(), quint16(1005)); // an empty close frame
        QVERIFY(m_client->waitForDisconnected());
    }

    void invalidCloseCodesFailWith1002_data()
    {
        QTest::addColumn<int>("code");
        for (int code :
             {0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
            QTest::addRow("%d", code) << code;
    }
    void invalidCloseCodesFailWith1002()
    {
        QFETCH(int, code);
        char raw[2];
        qToBigEndian<quint16>(quint16(code), raw);
        m_client->sendFrame(Close, QByteArray(raw, 2));
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    void oneByteClosePayloadFailsWith1002()
    {
        m_client->sendFrame(Close, "x");
        QCOMPARE(m_client->waitForCloseCode(), quint16(1002));
    }

    void invalidUtf8CloseReasonFailsWith1007()
    {
        m_client->sendClose(1000, "\xed\xa0\x80");
        QCOMPARE(m_client->waitForCloseCode(), quint16(1007));
    }

    void nothingIsAnsweredAfterTheClose()
    {
        m_client->sendClose(1000);
        m_client->sendText(setUsername(QStringLiteral("too late")));
        const auto f = m_client->nextFrame();
        QVERIFY(f);
        QCOMPARE(f->opcode, Close);
        QVERIFY(m_client->waitForDisconnected());
        QVERIFY(!m_client->nextFrame(100)); // nothing followed the close (the connection is gone)
    }

    // --- limits ----------------------------------------------------------------------------
    void exactlyMaxMessageBytesIsAccepted_data()
    {
        QTest::addColumn<int>("opcode");
        QTest::newRow("text") << int(Text);
        QTest::newRow("binary") << int(Binary);
    }
    void exactlyMaxMessageBytesIsAccepted()
    {
        QFETCH(int, opcode);
        const qint64 max = m_server->config().maxMessageBytes;
        m_client->sendFrame(quint8(opcode), QByteArray(max, 'x'));
        // Neither JSON nor a chunk: an `error` reply, and the connection stays.
        const QJsonObject reply = nextJson(*m_client);
        QVERIFY2(!reply.isEmpty(), "the server closed the connection");
        QCOMPARE(reply.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    }

    void oneByteMoreFailsWith1009_data()
    {
        QTest::addColumn<int>("opcode");
        QTest::addColumn<int>("fragments");
        QTest::newRow("text") << int(Text) << 1;
        QTest::newRow("binary") << int(Binary) << 1;
        QTest::newRow("text in 3 fragments") << int(Text) << 3;
    }
    void oneByteMoreFailsWith1009()
    {
        QFETCH(int, opcode);
        QFETCH(int, fragments);
        const QByteArray message(m_server->config().maxMessageBytes + 1, 'x');
        const qsizetype step = message.size() / fragments;
        for (int i = 0; i < fragments; ++i) {
            const bool last = i == fragments - 1;
            m_client->sendFrame(i == 0 ? quint8(opcode) : Continuation,
                                message.mid(i * step, last ? -1 : step), last);
        }
        QCOMPARE(m_client->waitForCloseCode(), quint16(1009));
    }

    // Qt 6.4 closed the TCP connection right after its 1009 frame, while the peer was still
    // sending: the kernel's reset destroyed the frame and the peer saw 1006.
    void hugeMessagesStillSee1009_data()
    {
        QTest::addColumn<int>("opcode");
        QTest::addColumn<int>("mib");
        QTest::newRow("16 MiB text") << int(Text) << 16;
        QTest::newRow("16 MiB binary") << int(Binary) << 16;
        QTest::newRow("64 MiB text") << int(Text) << 64;
        QTest::newRow("64 MiB binary") << int(Binary) << 64;
    }
    void hugeMessagesStillSee1009()
    {
        QFETCH(int, opcode);
        QFETCH(int, mib);
        m_client->sendFrame(quint8(opcode), QByteArray(qsizetype(mib) * 1024 * 1024, 'x'));
        QCOMPARE(m_client->waitForCloseCode(), quint16(1009));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 0, 15000);
    }

    // --- the upgrade -----------------------------------------------------------------------
    void badUpgradeRequestsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("status");
        const QByteArray key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
        QTest::newRow("POST") << "POST / HTTP/1.1\r\nHost: x\r\n" + upgrade + key +
                                     "Sec-WebSocket-Version: 13\r\n\r\n"
                              << QByteArray("400");
        QTest::newRow("HTTP/1.0") << "GET / HTTP/1.0\r\nHost: x\r\n" + upgrade + key +
                                         "Sec-WebSocket-Version: 13\r\n\r\n"
                                  << QByteArray("400");
        QTest::newRow("no Host") << "GET / HTTP/1.1\r\n" + upgrade + key + "Sec-WebSocket-Version: 13\r\n\r\n"
                                 << QByteArray("400");
        QTest::newRow("no key") << "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade +
                                       "Sec-WebSocket-Version: 13\r\n\r\n"
                                << QByteArray("400");
        QTest::newRow("short key") << "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade +
                                          "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n"
                                   << QByteArray("400");
        QTest::newRow("version 8") << "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade + key +
                                          "Sec-WebSocket-Version: 8\r\n\r\n"
                                   << QByteArray("426");
        QTest::newRow("no Upgrade") << "GET / HTTP/1.1\r\nHost: x\r\n" + key +
                                           "Sec-WebSocket-Version: 13\r\n\r\n"
                                    << QByteArray("426");
        // Found by fuzz_handshake: a form feed before the line end was read as white space.
        QTest::newRow("form feed in the key line")
            << "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade +
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\f\nSec-WebSocket-Version: 13\r\n\r\n"
            << QByteArray("400");
        QTest::newRow("bare LF line end")
            << "GET / HTTP/1.1\r\nHost: x\n" + upgrade + key + "Sec-WebSocket-Version: 13\r\n\r\n"
            << QByteArray("400");
        QTest::newRow("NUL in a value")
            << "GET / HTTP/1.1\r\nHost: x\r\n" + upgrade + key + "Sec-WebSocket-Version: 13\r\nX-A: a" +
                   QByteArray(1, '\0') + "b\r\n\r\n"
            << QByteArray("400");
        QTest::newRow("9 KiB of headers")
            << "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + QByteArray(9 * 1024, 'p') + "\r\n\r\n"
            << QByteArray("431");
        QTest::newRow("9 KiB, never ending")
            << "GET / HTTP/1.1\r\nX-Pad: " + QByteArray(9 * 1024, 'p') << QByteArray("431");
    }
    void badUpgradeRequestsAreRefused()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, status);
        RawWsClient raw;
        QVERIFY(raw.connectOnly(m_server->url()));
        raw.socket().write(request);
        QVERIFY(raw.waitForDisconnected());
        QVERIFY2(raw.drain().startsWith("HTTP/1.1 " + status + ' '), raw.drain().left(80).constData());
    }

    void theAcceptKeyFollowsRfc6455()
    {
        // The example of RFC 6455 section 1.3, which RawWsClient sends.
        RawWsClient raw;
        QVERIFY(raw.open(m_server->url()));
        QVERIFY(raw.response().contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    void framesSentWithTheRequestAreRead()
    {
        RawWsClient raw;
        QVERIFY(raw.connectOnly(m_server->url()));
        raw.socket().write(
            "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n" +
            RawWsClient::frame(Text, setUsername(QStringLiteral("eager"))));
        QVERIFY(waitUntil([&] { return raw.drain().contains("\"usernameSet\""); }));
    }

    // A handler that aborts its own connection mid-read (as the hard backlog limit does) ends
    // it there: the frame reader is not entered again from inside itself to read what followed, and
    // disconnected() comes once.
    void anAbortFromAHandlerDoesNotReenterTheFraming()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        QTcpSocket peer;
        peer.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        QVERIFY(peer.waitForConnected(10000));
        QVERIFY(listener.waitForNewConnection(10000));
        QTcpSocket *socket = listener.nextPendingConnection();
        QVERIFY(socket);
        // Three messages that came with the upgrade request: all in the reader's hands at once.
        const QByteArray input = RawWsClient::frame(Text, "one") + RawWsClient::frame(Text, "two") +
                                 RawWsClient::frame(Text, "three");
        WsConnection connection(socket, input, WsConnection::Limits{});
        QStringList received;
        int gone = 0;
        connect(&connection, &WsConnection::textMessageReceived, this, [&](const QString &text) {
            received << text;
            connection.abort();
        });
        connect(&connection, &WsConnection::disconnected, this, [&] { ++gone; });
        QTRY_COMPARE(gone, 1);
        QVERIFY(waitUntil([&] { return peer.state() == QAbstractSocket::UnconnectedState; }));
        QCOMPARE(received, QStringList{QStringLiteral("one")});
        QCOMPARE(gone, 1);
    }

private:
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<RawWsClient> m_client;
};

QTEST_GUILESS_MAIN(TestWireConformance)
#include "tst_wireconformance.moc"

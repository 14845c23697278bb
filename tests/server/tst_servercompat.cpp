// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonkeys.h"
#include "rawwsclient.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QJsonArray>
#include <QtTest>

using namespace Protocol;

namespace {

// What the guides' browser ChatClient understands; it must never be sent anything else.
const QStringList GuidesTypes{"connected", "usernameSet", "roomJoined", "chatMessage", "userJoined",
                              "userLeft",  "userTyping",  "error",      "pong"};

QStringList unexpectedTypes(const WsProbe &probe)
{
    QStringList out;
    for (const QJsonObject &o : probe.objects) {
        const QString type = o.value(QLatin1String("type")).toString();
        if (!GuidesTypes.contains(type))
            out.append(type);
    }
    return out;
}

} // namespace

class TestServerCompat : public QObject
{
    Q_OBJECT

    static inline QStringList s_log;
    static void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
    {
        s_log.append(message);
    }

private slots:
    // Two clients that send exactly the JSON of the guides' ChatClient, byte for byte, chat
    // through natter-server (extensions on) without noticing anything new.
    void guidesClientsChatUnchanged()
    {
        auto server = startTestServer();
        WsProbe john, jane, modern;
        QVERIFY(john.open(server->url()));
        QVERIFY(jane.open(server->url()));
        john.sendRaw(R"({"type":"setUsername","username":"John"})");
        QCOMPARE(john.waitFor(QStringLiteral("usernameSet"))->value(QLatin1String("username")).toString(),
                 QStringLiteral("John"));
        john.sendRaw(R"({"type":"joinRoom","room":"general"})");
        QVERIFY(john.waitFor(QStringLiteral("roomJoined")));
        jane.sendRaw(R"({"type":"setUsername","username":"Jane"})");
        jane.sendRaw(R"({"type":"joinRoom","room":"general"})");
        QVERIFY(jane.waitFor(QStringLiteral("roomJoined")));
        const auto janeJoined = john.all(QStringLiteral("userJoined"));
        QTRY_COMPARE(john.count(QStringLiteral("userJoined")), 2);
        QCOMPARE(john.all(QStringLiteral("userJoined")).at(1).value(QLatin1String("user")).toString(),
                 QStringLiteral("Jane"));
        QCOMPARE(john.all(QStringLiteral("userJoined")).at(1).value(QLatin1String("userCount")).toInt(), 2);

        // A modern client in the same room receives the guides client's file.
        QVERIFY(modern.login(server->url(), QStringLiteral("modern"), QStringLiteral("general"),
                             {Feature::Files}));

        john.sendRaw(R"({"type":"chatMessage","text":"Hello from the guides"})");
        const auto m = jane.waitFor(QStringLiteral("chatMessage"));
        QVERIFY(m);
        QCOMPARE(m->value(QLatin1String("user")).toString(), QStringLiteral("John"));
        QCOMPARE(m->value(QLatin1String("text")).toString(), QStringLiteral("Hello from the guides"));
        QVERIFY(m->value(QLatin1String("timestamp")).toDouble() > 0);

        jane.sendRaw(R"({"type":"typing"})");
        QCOMPARE(john.waitFor(QStringLiteral("userTyping"))->value(QLatin1String("user")).toString(),
                 QStringLiteral("Jane"));

        john.sendRaw(R"({"type":"ping","timestamp":1763770000000})");
        const auto pong = john.waitFor(QStringLiteral("pong"));
        QCOMPARE(pong->value(QLatin1String("timestamp")).toInteger(), 1763770000000LL);
        QVERIFY(pong->contains(QLatin1String("serverTime")));

        // The guides' upload: fileStart, chunks [u32 index][data], fileEnd.
        QByteArray file(70000, 'g');
        john.sendRaw(R"({"type":"fileStart","name":"notes.txt","size":70000,"mimeType":"text/plain"})");
        john.sendBinary(encodeChunk(0, file.left(65536)));
        john.sendBinary(encodeChunk(1, file.mid(65536)));
        john.sendRaw(R"({"type":"fileEnd"})");
        QVERIFY(modern.waitFor(QStringLiteral("fileDone")));
        QCOMPARE(modern.binaries.size(), 2);

        jane.sendRaw(R"({"type":"leaveRoom"})");
        const auto left = john.waitFor(QStringLiteral("userLeft"));
        QCOMPARE(left->value(QLatin1String("user")).toString(), QStringLiteral("Jane"));
        QCOMPARE(left->value(QLatin1String("userCount")).toInt(), 2);

        QVERIFY(john.settle());
        QVERIFY(jane.settle());
        QCOMPARE(john.count(QStringLiteral("error")), 0);
        QCOMPARE(jane.count(QStringLiteral("error")), 0);
        QCOMPARE(unexpectedTypes(john), QStringList());
        QCOMPARE(unexpectedTypes(jane), QStringList());
        QCOMPARE(john.binaries.size() + jane.binaries.size(), 0);
    }

    // --base-only speaks exactly the guides' server: the key set of every message is checked.
    void baseOnlySendsExactlyTheBaseMessages()
    {
        ServerConfig config = testServerConfig();
        config.baseOnly = true;
        auto server = startTestServer(config);
        WsProbe alice, bob;
        QVERIFY(alice.open(server->url()));
        QCOMPARE(keysOf(alice.all(QStringLiteral("connected")).constFirst()), sorted({"type", "clientId"}));

        alice.send(Hello{QStringLiteral("natter"), {Feature::Files}});
        auto e = alice.waitFor(QStringLiteral("error"));
        QVERIFY(e);
        QCOMPARE(keysOf(*e), sorted({"type", "message"}));
        alice.send(ListRooms{});
        QVERIFY(alice.waitFor(QStringLiteral("error")));

        alice.send(SetUsername{QStringLiteral("alice")});
        QCOMPARE(keysOf(*alice.waitFor(QStringLiteral("usernameSet"))), sorted({"type", "username"}));
        alice.send(JoinRoom{QStringLiteral("general"), 0, {}});
        QCOMPARE(keysOf(*alice.waitFor(QStringLiteral("userJoined"))),
                 sorted({"type", "user", "room", "userCount"}));
        QCOMPARE(keysOf(*alice.waitFor(QStringLiteral("roomJoined"))), sorted({"type", "room", "userCount"}));

        QVERIFY(bob.open(server->url()));
        bob.send(SetUsername{QStringLiteral("bob")});
        bob.send(JoinRoom{QStringLiteral("general"), {}, {}});
        QVERIFY(bob.waitFor(QStringLiteral("roomJoined")));
        QVERIFY(alice.waitFor(QStringLiteral("userJoined")));

        alice.send(SendChat{QStringLiteral("hi"), QStringLiteral("id-1")});
        QCOMPARE(keysOf(*bob.waitFor(QStringLiteral("chatMessage"))),
                 sorted({"type", "user", "text", "timestamp"}));
        alice.send(
            SendChat{QStringLiteral("hi"), QStringLiteral("id-1")}); // ids are ignored: delivered again
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        alice.send(Typing{});
        QCOMPARE(keysOf(*bob.waitFor(QStringLiteral("userTyping"))), sorted({"type", "user"}));
        alice.send(Ping{5});
        QCOMPARE(keysOf(*alice.waitFor(QStringLiteral("pong"))), sorted({"type", "timestamp", "serverTime"}));
        alice.sendRaw("not json");
        QCOMPARE(keysOf(*alice.waitFor(QStringLiteral("error"))), sorted({"type", "message"}));

        // Files are checked but relayed to no one, and no extension replies come back.
        const QByteArray data(70000, 'f');
        alice.send(FileStart{QStringLiteral("f.bin"), data.size(), {}, QStringLiteral("t-1")});
        alice.sendBinary(encodeChunk(0, data.left(ChunkDataBytes)));
        alice.sendBinary(encodeChunk(5, data.mid(ChunkDataBytes)));
        QCOMPARE(keysOf(*alice.waitFor(QStringLiteral("error"))), sorted({"type", "message"}));
        alice.send(FileStart{QStringLiteral("f.bin"), data.size(), {}, QStringLiteral("t-1")});
        alice.sendBinary(encodeChunk(0, data.left(ChunkDataBytes)));
        alice.sendBinary(encodeChunk(1, data.mid(ChunkDataBytes)));
        alice.send(FileEnd{});

        bob.send(LeaveRoom{});
        QCOMPARE(keysOf(*alice.waitFor(QStringLiteral("userLeft"))), sorted({"type", "user", "userCount"}));

        QVERIFY(alice.settle());
        QVERIFY(bob.settle());
        QCOMPARE(alice.count(QStringLiteral("ack")), 0);
        QCOMPARE(alice.count(QStringLiteral("error")), 4); // hello, listRooms, garbage, bad chunk
        QCOMPARE(unexpectedTypes(alice), QStringList());
        QCOMPARE(unexpectedTypes(bob), QStringList());
        QCOMPARE(bob.binaries.size(), 0);
        for (const QJsonObject &o : alice.objects + bob.objects) {
            const QString type = o.value(QLatin1String("type")).toString();
            QVERIFY2(!o.contains(QLatin1String("code")) && !o.contains(QLatin1String("seq")) &&
                         !o.contains(QLatin1String("id")) && !o.contains(QLatin1String("transferId")),
                     qPrintable(type));
        }
    }

    void baseOnlyIgnoresExtensionFieldsEvenWhenMalformed()
    {
        // PROTOCOL.md section 9: a base server treats since, id and transferId as unknown fields.
        ServerConfig config = testServerConfig();
        config.baseOnly = true;
        auto server = startTestServer(config);
        WsProbe alice, bob;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice")));
        alice.sendRaw("{\"type\":\"joinRoom\",\"room\":\"general\",\"since\":-1}");
        QVERIFY(alice.waitFor(QStringLiteral("roomJoined")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("general")));
        alice.sendRaw("{\"type\":\"chatMessage\",\"text\":\"odd\",\"id\":\"\"}");
        const auto chat = bob.next<ChatMessage>();
        QVERIFY(chat);
        QCOMPARE(chat->text, QStringLiteral("odd"));
        alice.sendRaw("{\"type\":\"fileStart\",\"name\":\"e.bin\",\"size\":0,\"transferId\":7}");
        alice.send(FileEnd{});
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("error")), 0);
    }

    void heartbeatTerminatesASilentClient()
    {
        ServerConfig config = testServerConfig();
        // Faster would starve the healthy peer, which shares this thread, on a loaded machine.
        config.heartbeatMs = 1000;
        auto server = startTestServer(config);
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=true"));
        const QtMessageHandler previous = qInstallMessageHandler(captureLog);
        s_log.clear();
        QSignalSpy gone(server.get(), &ChatServer::clientDisconnected);

        WsProbe healthy;
        QVERIFY(healthy.login(server->url(), QStringLiteral("healthy"), QStringLiteral("general")));
        RawWsClient silent; // upgrades, then never answers a ping
        QVERIFY(silent.open(server->url()));
        QTRY_COMPARE(server->clientCount(), 2);

        QVERIFY(silent.waitForDisconnected(10000));
        QTRY_COMPARE(gone.count(), 1);
        QVERIFY(silent.drain().size() > 0); // it was pinged before being dropped
        // The client that answers pings (QWebSocket does so by itself) lives on.
        QVERIFY(healthy.isConnected());
        QCOMPARE(server->clientCount(), 1);
        QVERIFY(healthy.settle());
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
        const QStringList dead = s_log.filter(QStringLiteral("terminating dead connection"));
        QCOMPARE(dead.size(), 1);
        QVERIFY(!dead.constFirst().contains(healthy.all(QStringLiteral("connected"))
                                                .constFirst()
                                                .value(QLatin1String("clientId"))
                                                .toString()));
    }
};

QTEST_GUILESS_MAIN(TestServerCompat)
#include "tst_servercompat.moc"

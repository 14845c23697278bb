// SPDX-License-Identifier: GPL-3.0-or-later
// Who may connect and what a connection may see (issue 10, findings 7 and 9): the Origin check,
// names judged by code point and compared by identity, history, roster and the rooms list only
// for members. Hostile peers throughout; absence is proven with a settle() barrier.
#include "jsonkeys.h"
#include "rawwsclient.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QtTest>

using namespace Protocol;

namespace {

QStringList roomNames(const QJsonObject &rooms)
{
    QStringList out;
    for (const QJsonValue &r : rooms.value(QLatin1String("rooms")).toArray())
        out.append(r.toObject().value(QLatin1String("name")).toString());
    return out;
}

QByteArray setUsernameJson(const QString &name)
{
    return encode(ClientMessage(SetUsername{name}));
}

// The production defaults (private rooms list, no allowed origin) on a test port.
ServerConfig defaultConfig()
{
    ServerConfig config = testServerConfig();
    const ServerConfig defaults;
    config.publicRoomsList = defaults.publicRoomsList;
    config.allowedOrigins = defaults.allowedOrigins;
    return config;
}

} // namespace

class TestServerAccess : public QObject
{
    Q_OBJECT

private slots:
    // ---- Origin -------------------------------------------------------------------------------

    void foreignOriginsGet403_data()
    {
        QTest::addColumn<QStringList>("allowed");
        QTest::addColumn<QByteArray>("origin");
        QTest::newRow("evil, nothing allowed") << QStringList() << QByteArray("https://evil.example");
        QTest::newRow("null, nothing allowed") << QStringList() << QByteArray("null");
        QTest::newRow("evil, one allowed")
            << QStringList{"https://chat.example.org"} << QByteArray("https://evil.example");
        QTest::newRow("null, one allowed") << QStringList{"https://chat.example.org"} << QByteArray("null");
        QTest::newRow("allowed host, other port")
            << QStringList{"https://chat.example.org"} << QByteArray("https://chat.example.org:8443");
    }

    void foreignOriginsGet403()
    {
        QFETCH(QStringList, allowed);
        QFETCH(QByteArray, origin);
        ServerConfig config = defaultConfig();
        config.allowedOrigins = allowed;
        auto server = startTestServer(config);
        RawWsClient browser;
        QVERIFY(!browser.open(server->url(), 10000, "Origin: " + origin + "\r\n"));
        QVERIFY2(browser.response().startsWith("HTTP/1.1 403"), browser.response().constData());
        QVERIFY(browser.waitForDisconnected());
        QCOMPARE(server->clientCount(), 0);
        // Nothing of the refused connection is left behind.
        QTRY_COMPARE(server->findChildren<QTcpSocket *>().size(), 0);
        // A client that sends no Origin (desktop, CLI, bots) still gets in.
        WsProbe desktop;
        QVERIFY(desktop.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        RawWsClient bot;
        QVERIFY2(bot.open(server->url()), bot.response().constData());
        QTRY_COMPARE(server->clientCount(), 2);
    }

    void anAllowedOriginConnects()
    {
        ServerConfig config = defaultConfig();
        config.allowedOrigins = {QStringLiteral("https://chat.example.org"),
                                 QStringLiteral("http://localhost:3000")};
        auto server = startTestServer(config);
        RawWsClient page, devPage;
        QVERIFY2(page.open(server->url(), 10000, "Origin: https://chat.example.org\r\n"),
                 page.response().constData());
        QVERIFY2(devPage.open(server->url(), 10000, "Origin: http://localhost:3000\r\n"),
                 devPage.response().constData());
        QTRY_COMPARE(server->clientCount(), 2);
    }

    // ---- Names --------------------------------------------------------------------------------

    void invisibleAndIllFormedNamesAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        const auto cp = [](char32_t c) {
            return QString::fromUcs4(&c, 1);
        };
        QTest::newRow("tag latin a U+E0061") << QStringLiteral("bob") + cp(0xE0061);
        QTest::newRow("only tags") << cp(0xE0062) + cp(0xE006F) + cp(0xE0062);
        QTest::newRow("musical format U+1D173") << QStringLiteral("bob") + cp(0x1D173);
        QTest::newRow("zero width space U+200B") << QStringLiteral("b\u200Bob");
        QTest::newRow("lone surrogate U+D800") << QStringLiteral("bob") + QChar(0xD800);
        QTest::newRow("lone low surrogate U+DC00") << QString(QChar(0xDC00)) + QStringLiteral("bob");
        QTest::newRow("hangul filler U+3164") << cp(0x3164);
        QTest::newRow("hangul filler inside") << QStringLiteral("bob") + cp(0x3164) + QStringLiteral("x");
        QTest::newRow("halfwidth hangul filler U+FFA0") << cp(0xFFA0);
        QTest::newRow("choseong filler U+115F") << cp(0x115F);
        QTest::newRow("jungseong filler U+1160") << cp(0x1160);
        QTest::newRow("braille blank U+2800") << cp(0x2800);
        QTest::newRow("private use U+E000") << QStringLiteral("bob") + cp(0xE000);
        QTest::newRow("private use plane 15") << QStringLiteral("bob") + cp(0xF0000);
        QTest::newRow("unassigned U+0378") << QStringLiteral("bob") + cp(0x0378);
        QTest::newRow("noncharacter U+FFFF") << QStringLiteral("bob") + cp(0xFFFF);
        QTest::newRow("bidi override U+202E") << QStringLiteral("bob") + cp(0x202E);
        QTest::newRow("C1 control U+009B") << QStringLiteral("bob") + cp(0x9B);
        QTest::newRow("no-break space inside") << QStringLiteral("bo\u00A0b");
        QTest::newRow("two spaces inside") << QStringLiteral("bo  b");
        QTest::newRow("leading combining mark") << QStringLiteral("\u0301bob");
        QTest::newRow("variation selector alone") << cp(0xFE0F);
    }

    void invisibleAndIllFormedNamesAreRefused()
    {
        QFETCH(QString, name);
        auto server = startTestServer();
        WsProbe probe;
        QVERIFY(probe.login(server->url(), QStringLiteral("alice")));
        // As a user name, and as a room name.
        probe.sendRaw(setUsernameJson(name));
        QCOMPARE(probe.next<Error>()->code, QStringLiteral("invalidName"));
        probe.send(JoinRoom{name, std::nullopt, {}});
        QCOMPARE(probe.next<Error>()->code, QStringLiteral("invalidName"));
        QVERIFY(probe.settle());
        QCOMPARE(probe.count(QStringLiteral("usernameSet")), 1);
        QCOMPARE(probe.count(QStringLiteral("roomJoined")), 0);
    }

    void namesFromEveryScriptAreAccepted_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("accents") << QStringLiteral("José María");
        QTest::newRow("cjk") << QStringLiteral("山田太郎");
        QTest::newRow("hangul") << QStringLiteral("김민준");
        QTest::newRow("devanagari with marks") << QStringLiteral("हिन्दी");
        QTest::newRow("emoji outside the BMP") << QStringLiteral("bob 🐱");
        QTest::newRow("emoji with variation selector") << QStringLiteral("bob ❤\uFE0F");
        QTest::newRow("punctuation and symbols") << QStringLiteral("o'neil-smith_2 (€)");
    }

    void namesFromEveryScriptAreAccepted()
    {
        QFETCH(QString, name);
        auto server = startTestServer();
        WsProbe probe;
        QVERIFY(probe.login(server->url(), name, name));
        QCOMPARE(
            probe.all(QStringLiteral("usernameSet")).constLast().value(QLatin1String("username")).toString(),
            name);
        QCOMPARE(probe.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("room")).toString(),
                 name);
    }

    void userNamesAreStoredInNfcWithTheirCasing()
    {
        auto server = startTestServer();
        WsProbe nfd, upper;
        QVERIFY(nfd.login(server->url(), QStringLiteral("Jose\u0301"), QStringLiteral("general")));
        // One spelling per character on the wire, so "José" typed two ways is one name, held by one
        // connection (PROTOCOL.md 2, *Identity*), and its holder may change the casing.
        QCOMPARE(
            nfd.all(QStringLiteral("usernameSet")).constLast().value(QLatin1String("username")).toString(),
            QStringLiteral("Jos\u00E9"));
        QVERIFY(upper.open(server->url()));
        upper.send(SetUsername{QStringLiteral("JOSÉ"), {}});
        QCOMPARE(upper.next<Error>()->code, QStringLiteral("nameTaken"));
        nfd.send(SetUsername{QStringLiteral("JOSÉ"), {}});
        QCOMPARE(nfd.next<UsernameSet>()->username, QStringLiteral("JOSÉ"));
        upper.send(SetUsername{QStringLiteral("Jose"), {}});
        QVERIFY(upper.next<UsernameSet>());
        QVERIFY(upper.join(QStringLiteral("general")));
        QCOMPARE(strings(upper.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("users"))),
                 QStringList({QStringLiteral("JOSÉ"), QStringLiteral("Jose")}));
        QVERIFY(sameName(QStringLiteral("Jose\u0301"), QStringLiteral("JOSÉ")));
    }

    void roomNamesAreOneRoomWhateverTheCaseOrNormalForm()
    {
        auto server = startTestServer();
        WsProbe first, second, third;
        QVERIFY(first.login(server->url(), QStringLiteral("alice"), QStringLiteral("Café")));
        first.send(SendChat{QStringLiteral("hello"), {}});
        QVERIFY(first.settle());
        // NFD and another casing reach the same room, shown as its creator spelled it.
        QVERIFY(second.login(server->url(), QStringLiteral("bob"), QStringLiteral("cafe\u0301")));
        QVERIFY(third.login(server->url(), QStringLiteral("carol"), QStringLiteral("CAFÉ")));
        for (WsProbe *p : {&second, &third}) {
            const QJsonObject joined = p->all(QStringLiteral("roomJoined")).constLast();
            QCOMPARE(joined.value(QLatin1String("room")).toString(), QStringLiteral("Café"));
            QCOMPARE(joined.value(QLatin1String("history")).toArray().size(), 1);
        }
        QCOMPARE(strings(third.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("users"))),
                 QStringList({"alice", "bob", "carol"}));
        third.send(SendChat{QStringLiteral("one room"), {}});
        QCOMPARE(first.next<ChatMessage>()->room, QStringLiteral("Café"));
        QCOMPARE(second.next<ChatMessage>()->text, QStringLiteral("one room"));

        ServerConfig config = testServerConfig();
        auto listed = startTestServer(config);
        WsProbe a, b, watcher;
        QVERIFY(a.login(listed->url(), QStringLiteral("a"), QStringLiteral("General")));
        QVERIFY(b.login(listed->url(), QStringLiteral("b"), QStringLiteral("general")));
        QVERIFY(watcher.open(listed->url()));
        watcher.send(ListRooms{});
        const auto list = watcher.waitFor(QStringLiteral("rooms"));
        QVERIFY(list);
        QCOMPARE(roomNames(*list), QStringList{"General"});
    }

    // ---- Members only ---------------------------------------------------------------------------

    void theRoomsListIsPrivateByDefault()
    {
        auto server = startTestServer(defaultConfig());
        WsProbe alice, stranger;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("secret-plans")));
        QVERIFY(stranger.login(server->url(), QStringLiteral("mallory"), QStringLiteral("lobby")));
        alice.send(ListRooms{});
        stranger.send(ListRooms{});
        QCOMPARE(roomNames(*alice.waitFor(QStringLiteral("rooms"))), QStringList{"secret-plans"});
        QCOMPARE(roomNames(*stranger.waitFor(QStringLiteral("rooms"))), QStringList{"lobby"});
        // Activity elsewhere updates nothing a stranger can read about that room.
        alice.send(SendChat{QStringLiteral("psst"), {}});
        QVERIFY(alice.settle());
        QTRY_VERIFY(alice.count(QStringLiteral("rooms")) >= 2);
        QVERIFY(stranger.settle());
        for (const QJsonObject &rooms : stranger.all(QStringLiteral("rooms")))
            QCOMPARE(roomNames(rooms), QStringList{"lobby"});
        // A client in no room sees no room at all.
        WsProbe nobody;
        QVERIFY(nobody.open(server->url()));
        nobody.send(ListRooms{});
        QCOMPARE(roomNames(*nobody.waitFor(QStringLiteral("rooms"))), QStringList());
    }

    void theRoomsListIsPublicWhenAskedFor()
    {
        ServerConfig config = defaultConfig();
        config.publicRoomsList = true;
        auto server = startTestServer(config);
        WsProbe alice, bob, watcher;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("random")));
        QVERIFY(watcher.open(server->url()));
        watcher.send(ListRooms{});
        const auto list = watcher.waitFor(QStringLiteral("rooms"));
        QVERIFY(list);
        QCOMPARE(roomNames(*list), QStringList({"general", "random"}));
        // Names, counts and numbering only: never who is there or what was said.
        for (const QJsonValue &r : list->value(QLatin1String("rooms")).toArray()) {
            QStringList keys = r.toObject().keys();
            keys.sort();
            QCOMPARE(keys, QStringList({"epoch", "lastSeq", "name", "userCount"}));
        }
    }

    void historyAndRosterReachOnlyMembers()
    {
        auto server = startTestServer(defaultConfig());
        WsProbe alice, bob, mallory;
        QVERIFY(alice.login(server->url(), QStringLiteral("alice"), QStringLiteral("private")));
        QVERIFY(bob.login(server->url(), QStringLiteral("bob"), QStringLiteral("private")));
        QVERIFY(mallory.login(server->url(), QStringLiteral("mallory"), QStringLiteral("lobby")));
        alice.send(SendChat{QStringLiteral("the code is 1234"), {}});
        alice.send(Typing{});
        QVERIFY(bob.next<ChatMessage>());
        // Everything mallory can send without joining: no message of it mentions the room.
        mallory.send(ListRooms{});
        mallory.send(JoinRoom{QStringLiteral("lobby"), 0, {}});
        QVERIFY(mallory.waitFor(QStringLiteral("roomJoined")));
        QVERIFY(mallory.settle());
        for (const QString &text : std::as_const(mallory.texts)) {
            QVERIFY2(!text.contains(QLatin1String("private")) && !text.contains(QLatin1String("1234")) &&
                         !text.contains(QLatin1String("alice")) && !text.contains(QLatin1String("bob")),
                     qPrintable(text));
        }
        // Joining is how one becomes a member, and the members are told.
        mallory.send(JoinRoom{QStringLiteral("private"), 0, {}});
        QVERIFY(mallory.waitFor(QStringLiteral("roomJoined")));
        QTRY_VERIFY(alice.all(QStringLiteral("userJoined")).constLast().value(QLatin1String("user")) ==
                    QLatin1String("mallory"));
    }
};

QTEST_MAIN(TestServerAccess)
#include "tst_serveraccess.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Open mode's held names (docs/PROTOCOL.md 2, *Identity*): one live connection per name, the
// nameToken that takes a name back, and base mode where names are not held.
#include "serverfixture.h"
#include "uploadroom.h"
#include "wsprobe.h"

#include <QtTest>

using namespace Protocol;

namespace {

QString tokenOf(const QJsonObject &usernameSet)
{
    return usernameSet.value(QLatin1String("nameToken")).toString();
}

// Sends setUsername and returns the error code it got, or "usernameSet".
QString trySetName(WsProbe &probe, const QString &name, const QString &token = {})
{
    const int errors = probe.count(QStringLiteral("error"));
    const int sets = probe.count(QStringLiteral("usernameSet"));
    probe.send(SetUsername{name, token});
    if (!probe.settle())
        return QStringLiteral("no answer");
    if (probe.count(QStringLiteral("usernameSet")) > sets)
        return QStringLiteral("usernameSet");
    if (probe.count(QStringLiteral("error")) > errors)
        return probe.all(QStringLiteral("error")).constLast().value(QLatin1String("code")).toString();
    return QStringLiteral("nothing");
}

} // namespace

class TestServerNames : public QObject
{
    Q_OBJECT

private slots:
    void aHeldNameIsRefusedInEveryCaseAndWidth()
    {
        auto server = startTestServer();
        WsProbe ana, other;
        QVERIFY(ana.login(server->url(), QStringLiteral("Ana"), QStringLiteral("general")));
        QCOMPARE(tokenOf(ana.all(QStringLiteral("usernameSet")).constLast()).size(), 43);
        QVERIFY(other.open(server->url()));
        for (const QString &name : {QStringLiteral("Ana"), QStringLiteral("ana"), QStringLiteral("ANA"),
                                    QStringLiteral("\uFF21\uFF2E\uFF21"), QStringLiteral(" ana ")})
            QCOMPARE(trySetName(other, name), QStringLiteral("nameTaken"));
        // The connection stays usable: another name, then a room, then chat.
        QCOMPARE(trySetName(other, QStringLiteral("Bob")), QStringLiteral("usernameSet"));
        QVERIFY(other.join(QStringLiteral("general")));
        // The holder keeps its name and keeps chatting.
        ana.send(SendChat{QStringLiteral("still me"), {}});
        const auto chat = other.next<ChatMessage>();
        QVERIFY(chat);
        QCOMPARE(chat->user, QStringLiteral("Ana"));
        // A refused rename keeps the name held before.
        QCOMPARE(trySetName(other, QStringLiteral("ａｎａ")), QStringLiteral("nameTaken"));
        other.send(SendChat{QStringLiteral("hi"), {}});
        QCOMPARE(ana.next<ChatMessage>()->user, QStringLiteral("Bob"));
    }

    void theHolderMayRespellItsOwnName()
    {
        auto server = startTestServer();
        WsProbe ana;
        QVERIFY(ana.login(server->url(), QStringLiteral("Ana")));
        const QString first = tokenOf(ana.all(QStringLiteral("usernameSet")).constLast());
        QCOMPARE(trySetName(ana, QStringLiteral("ANA")), QStringLiteral("usernameSet"));
        const QJsonObject set = ana.all(QStringLiteral("usernameSet")).constLast();
        QCOMPARE(set.value(QLatin1String("username")).toString(), QStringLiteral("ANA"));
        QCOMPARE(tokenOf(set).size(), 43);
        QVERIFY(tokenOf(set) != first);
    }

    void aNameIsFreeOnceItsHolderLeavesOrRenames()
    {
        auto server = startTestServer();
        WsProbe other;
        QVERIFY(other.login(server->url(), QStringLiteral("Other")));
        {
            WsProbe ana;
            QVERIFY(ana.login(server->url(), QStringLiteral("Ana")));
            QTRY_COMPARE(server->clientCount(), 2);
        }
        QTRY_COMPARE(server->clientCount(), 1);
        QCOMPARE(trySetName(other, QStringLiteral("ana")), QStringLiteral("usernameSet"));

        WsProbe third;
        QVERIFY(third.open(server->url()));
        QCOMPARE(trySetName(third, QStringLiteral("ANA")), QStringLiteral("nameTaken"));
        QCOMPARE(trySetName(other, QStringLiteral("Someone Else")), QStringLiteral("usernameSet"));
        QCOMPARE(trySetName(third, QStringLiteral("ANA")), QStringLiteral("usernameSet"));
    }

    void theNameTokenTakesTheNameOverAndClosesTheOldConnectionWith4001()
    {
        auto server = startTestServer();
        WsProbe old, watcher;
        QVERIFY(old.login(server->url(), QStringLiteral("Ana"), QStringLiteral("general")));
        QVERIFY(watcher.login(server->url(), QStringLiteral("Watcher"), QStringLiteral("general")));
        const QString token = tokenOf(old.all(QStringLiteral("usernameSet")).constLast());

        WsProbe fresh;
        QVERIFY(fresh.open(server->url()));
        fresh.send(SetUsername{QStringLiteral("ana"), token});
        const auto set = fresh.waitFor(QStringLiteral("usernameSet"));
        QVERIFY(set);
        QCOMPARE(set->value(QLatin1String("username")).toString(), QStringLiteral("ana"));
        QCOMPARE(tokenOf(*set).size(), 43);
        QVERIFY(tokenOf(*set) != token);
        QVERIFY(old.waitForDisconnected());
        QCOMPARE(int(old.socket().closeCode()), int(CloseNameTakenOver));
        QCOMPARE(old.socket().closeReason(), QStringLiteral("name taken over"));

        // The new connection holds the name: the old token no longer works, nor does no token.
        WsProbe third;
        QVERIFY(third.open(server->url()));
        QCOMPARE(trySetName(third, QStringLiteral("Ana")), QStringLiteral("nameTaken"));
        QCOMPARE(trySetName(third, QStringLiteral("Ana"), token), QStringLiteral("nameTaken"));
        QVERIFY(fresh.join(QStringLiteral("general")));
        fresh.send(SendChat{QStringLiteral("back"), {}});
        const auto chat = watcher.next<ChatMessage>();
        QVERIFY(chat);
        QCOMPARE(chat->user, QStringLiteral("ana"));
    }

    void aWrongOrForeignTokenIsRefused()
    {
        auto server = startTestServer();
        WsProbe ana, carol, mallory;
        QVERIFY(ana.login(server->url(), QStringLiteral("Ana")));
        QVERIFY(carol.login(server->url(), QStringLiteral("Carol")));
        const QString anasToken = tokenOf(ana.all(QStringLiteral("usernameSet")).constLast());
        const QString carolsToken = tokenOf(carol.all(QStringLiteral("usernameSet")).constLast());
        QVERIFY(mallory.open(server->url()));
        QCOMPARE(trySetName(mallory, QStringLiteral("Ana"), carolsToken), QStringLiteral("nameTaken"));
        QCOMPARE(trySetName(mallory, QStringLiteral("Ana"), QString(43, QLatin1Char('A'))),
                 QStringLiteral("nameTaken"));
        QCOMPARE(trySetName(mallory, QStringLiteral("Ana"), anasToken.left(42)), QStringLiteral("nameTaken"));
        // Nobody was taken over.
        QVERIFY(ana.settle());
        QVERIFY(carol.settle());
        QVERIFY(ana.isConnected());
        QVERIFY(carol.isConnected());
    }

    void aClientCannotSetTheUserOfWhatItSends()
    {
        auto server = startTestServer();
        WsProbe ana, bob;
        QVERIFY(ana.login(server->url(), QStringLiteral("Ana"), QStringLiteral("general")));
        QVERIFY(bob.login(server->url(), QStringLiteral("Bob"), QStringLiteral("general")));
        bob.sendRaw(R"({"type":"chatMessage","text":"I am Ana","user":"Ana"})");
        const auto chat = ana.next<ChatMessage>();
        QVERIFY(chat);
        QCOMPARE(chat->user, QStringLiteral("Bob"));
        QCOMPARE(chat->text, QStringLiteral("I am Ana"));
    }

    void aReceiverCannotTakeTheUploadersNameNorItsUpload()
    {
        auto server = startTestServer();
        UploadRoom room;
        QVERIFY(room.login(server->url()));
        WsProbe &alice = room.alice, &bob = room.bob, &mallory = room.mallory;
        const QByteArray data(ChunkDataBytes + 5, 'd');
        alice.send(FileStart{QStringLiteral("a.bin"), data.size(), {}, QStringLiteral("t-a")});
        QVERIFY(alice.next<FileAccepted>());
        const auto offer = mallory.next<FileOffer>();
        QVERIFY(offer);
        QCOMPARE(offer->user, QStringLiteral("alice"));

        QCOMPARE(trySetName(mallory, QStringLiteral("alice")), QStringLiteral("nameTaken"));
        QCOMPARE(trySetName(mallory, QStringLiteral("ALICE")), QStringLiteral("nameTaken"));
        mallory.send(FileCancel{offer->transferId});
        QVERIFY(mallory.settle());
        QCOMPARE(mallory.all(QStringLiteral("error")).constLast().value(QLatin1String("code")).toString(),
                 QStringLiteral("fileState"));
        QVERIFY(bob.settle());
        QCOMPARE(bob.count(QStringLiteral("fileAborted")), 0);

        alice.sendBinary(encodeChunk(0, data.left(ChunkDataBytes)));
        alice.sendBinary(encodeChunk(1, data.mid(ChunkDataBytes)));
        alice.send(FileEnd{});
        QCOMPARE(alice.next<FileComplete>()->size, data.size());
        const auto done = bob.next<FileDone>();
        QVERIFY(done);
        QCOMPARE(done->stream, offer->stream);
    }

    void baseModeHoldsNoNames()
    {
        ServerConfig config = testServerConfig();
        config.baseOnly = true;
        auto server = startTestServer(config);
        WsProbe a, b;
        QVERIFY(a.login(server->url(), QStringLiteral("ana")));
        QVERIFY(b.login(server->url(), QStringLiteral("ana")));
        QVERIFY(!a.all(QStringLiteral("connected")).constFirst().contains(QLatin1String("auth")));
        QVERIFY(!b.all(QStringLiteral("usernameSet")).constLast().contains(QLatin1String("nameToken")));
        QVERIFY(a.isConnected());
    }
};

QTEST_GUILESS_MAIN(TestServerNames)
#include "tst_servernames.moc"

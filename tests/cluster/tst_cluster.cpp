// SPDX-License-Identifier: GPL-3.0-or-later
#include "clusterfixture.h"
#include "rawwsclient.h"
#include "testpeer.h"
#include "wsprobe.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QtTest>

using namespace Protocol;

namespace {
QList<qint64> seqsOf(const QList<QJsonObject> &messages)
{
    QList<qint64> out;
    for (const QJsonObject &m : messages)
        out.append(m.value(QLatin1String("seq")).toInteger());
    return out;
}
QStringList textsOf(const QList<QJsonObject> &messages)
{
    QStringList out;
    for (const QJsonObject &m : messages)
        out.append(m.value(QLatin1String("text")).toString());
    return out;
}
// GET `path` from a node's metrics endpoint: the whole HTTP response.
QByteArray httpGet(const QUrl &base, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(base.host(), quint16(base.port()));
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QByteArray response;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
        response += socket.readAll();
    return response + socket.readAll();
}

// A node's figure `name` from its /metrics, or -1.
double metricOf(const QUrl &metrics, const QString &name)
{
    // Read up to Content-Length: the endpoint may keep the connection open.
    QTcpSocket socket;
    socket.connectToHost(metrics.host(), quint16(metrics.port()));
    if (!socket.waitForConnected(5000))
        return -1;
    socket.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QByteArray response;
    const QRegularExpression length(QStringLiteral("content-length: *(\\d+)"),
                                    QRegularExpression::CaseInsensitiveOption);
    for (;;) {
        const qsizetype head = response.indexOf("\r\n\r\n");
        const QRegularExpressionMatch m = length.match(QString::fromLatin1(response.left(head)));
        if (head >= 0 && m.hasMatch() && response.size() - head - 4 >= m.captured(1).toLongLong())
            break;
        if (socket.state() != QAbstractSocket::ConnectedState || !socket.waitForReadyRead(5000))
            break;
        response += socket.readAll();
    }
    const QString text = QString::fromUtf8(response);
    const QRegularExpression line(QStringLiteral("\n%1 (\\S+)\n").arg(name));
    const QRegularExpressionMatch m = line.match(text);
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

// Deterministic file contents: each seed its own bytes.
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

//! An uploader as Natter's clients are (PROTOCOL.md 5.2): at most 16 chunks beyond the last
//! `fileProgress` in flight, so a server that withholds progress holds it back.
struct FlowControlledUpload
{
    WsProbe &probe;
    QByteArray data;
    int sent = 0;

    int chunks() const { return int((data.size() + ChunkDataBytes - 1) / ChunkDataBytes); }
    qint64 received() const
    {
        const QList<QJsonObject> all = probe.all(QStringLiteral("fileProgress"));
        return all.isEmpty() ? 0 : all.constLast().value(QLatin1String("received")).toInteger();
    }
    bool windowFull() const { return sent >= received() + 16; }
    // Offers the file as `name` and waits until the server accepts it.
    bool start(const QString &name, const QString &transferId)
    {
        probe.send(FileStart{name, data.size(), QStringLiteral("application/octet-stream"), transferId});
        return probe.waitFor(QStringLiteral("fileAccepted")).has_value();
    }
    // Sends what flow control allows; true once every chunk is sent.
    bool pump()
    {
        while (sent < chunks() && !windowFull()) {
            probe.sendBinary(
                encodeChunk(quint32(sent), data.mid(qsizetype(sent) * ChunkDataBytes, ChunkDataBytes)));
            ++sent;
        }
        return sent == chunks();
    }
};

// Sends as far as flow control lets it, until the uploader's node (its `metrics`) holds the
// upload back for a receiver that does not read.
bool pumpUntilHeldBack(FlowControlledUpload &upload, const QUrl &metrics)
{
    return waitUntil(
        [&] {
            upload.pump();
            return upload.windowFull() && upload.sent > 64 &&
                   metricOf(metrics, QStringLiteral("natter_file_uploads_held_back")) == 1;
        },
        60000);
}

// `slow` joins the lobby on the node at `url` with file transfers; it can stop reading later.
bool joinLobbyAsSlow(RawWsClient &slow, const QUrl &url)
{
    if (!slow.open(url))
        return false;
    slow.sendText(encode(Hello{QStringLiteral("raw"), QStringList{Feature::Files}}));
    slow.sendText(encode(SetUsername{QStringLiteral("slow")}));
    slow.sendText(encode(JoinRoom{QStringLiteral("lobby"), {}, {}}));
    return true;
}

// The bytes `probe` received on `stream`, in order; empty if a chunk is missing or misplaced.
QByteArray fileAt(const WsProbe &probe, quint32 stream)
{
    QByteArray out;
    quint32 next = 0;
    for (const QByteArray &frame : probe.binaries) {
        const auto decoded = decodeRelayChunk(frame);
        const auto *chunk = std::get_if<RelayChunk>(&decoded);
        if (!chunk || chunk->stream != stream)
            continue;
        if (chunk->index != next++)
            return {};
        out += chunk->data;
    }
    return out;
}

// The last `type` event (userJoined, userLeft) `probe` was told about `user`.
std::optional<QJsonObject> lastAbout(const WsProbe &probe, const QString &type, const QString &user)
{
    std::optional<QJsonObject> last;
    for (const QJsonObject &e : probe.all(type)) {
        if (e.value(QLatin1String("user")).toString() == user)
            last = e;
    }
    return last;
}

bool sawJoin(const WsProbe &probe, const QString &user)
{
    return lastAbout(probe, QStringLiteral("userJoined"), user).has_value();
}

// The page of the lobby's history before `seq` that `probe` asked for.
std::optional<QJsonObject> lobbyHistoryBefore(WsProbe &probe, qint64 seq)
{
    probe.send(HistoryBefore{QStringLiteral("lobby"), seq, {}});
    return probe.waitFor(QStringLiteral("historyBefore"));
}

bool underAddressSanitizer()
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#endif
#endif
    return false;
}

QList<qint64> oneTo(qint64 n)
{
    QList<qint64> out;
    for (qint64 i = 1; i <= n; ++i)
        out.append(i);
    return out;
}
} // namespace

//! Several natter-server processes given one real redis-server act as one server (PROTOCOL.md 2,
//! *Scale-out*): a room's messages reach its members on every node, numbered and ordered alike;
//! history and `since` work on any node, after every node restarted; a resend through another
//! node is not delivered twice; and while Redis is away, nothing is acknowledged that could be
//! lost.
class TestCluster : public QObject
{
    Q_OBJECT

private:
    ClusterFixture m_cluster{QStringLiteral(NATTER_SERVER_PATH)};

    static QList<QJsonObject> chatsOf(const WsProbe &probe)
    {
        return probe.all(QStringLiteral("chatMessage"));
    }

    static QByteArray nodeIdOf(NodeProcess &node)
    {
        const QRegularExpression re(QStringLiteral("node (\\S+)\n"));
        return re.match(QString::fromUtf8(node.output())).captured(1).toUtf8();
    }
    static QUrl metricsOf(NodeProcess &node)
    {
        const QRegularExpression re(QStringLiteral("metrics: (http://\\S+)/metrics"));
        return QUrl(re.match(QString::fromUtf8(node.output())).captured(1));
    }

private slots:
    void init() { m_cluster.init(); }
    void cleanup() { m_cluster.cleanup(); }

    void aMessageReachesMembersOnEveryNode()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice, carol, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        QVERIFY(carol.login(a->url(), QStringLiteral("carol"), QStringLiteral("lobby")));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("Lobby"))); // one room, any case

        alice.send(SendChat{QStringLiteral("hello from A"), QStringLiteral("m1")});
        const auto ack = alice.waitFor(QStringLiteral("ack"));
        QVERIFY(ack);
        QCOMPARE(ack->value(QLatin1String("seq")).toInteger(), 1);
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        QVERIFY(carol.waitFor(QStringLiteral("chatMessage")));
        bob.send(SendChat{QStringLiteral("hello from B"), QStringLiteral("m2")});
        QVERIFY(alice.waitFor(QStringLiteral("chatMessage")));
        QVERIFY(carol.waitFor(QStringLiteral("chatMessage")));
        QVERIFY(bob.waitFor(QStringLiteral("ack")));

        QVERIFY(alice.settle() && bob.settle() && carol.settle());
        // The author gets an ack, never an echo; everyone else sees one numbering.
        QCOMPARE(textsOf(chatsOf(alice)), QStringList{QStringLiteral("hello from B")});
        QCOMPARE(textsOf(chatsOf(bob)), QStringList{QStringLiteral("hello from A")});
        QCOMPARE(textsOf(chatsOf(carol)),
                 (QStringList{QStringLiteral("hello from A"), QStringLiteral("hello from B")}));
        QCOMPARE(seqsOf(chatsOf(carol)), oneTo(2));
        QCOMPARE(seqsOf(chatsOf(alice)), QList<qint64>{2});
        // The room is the same room: one epoch, whichever node opened it.
        QCOMPARE(alice.all(QStringLiteral("roomJoined")).constFirst().value(QLatin1String("epoch")),
                 bob.all(QStringLiteral("roomJoined")).constFirst().value(QLatin1String("epoch")));
    }

    void aFileCrossesNodesByteExactAndForgedChunksAreDropped()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        const QByteArray nodeA = nodeIdOf(*a);
        const QByteArray nodeB = nodeIdOf(*b);
        QVERIFY(!nodeA.isEmpty() && !nodeB.isEmpty());
        const QStringList files{Feature::Files};
        WsProbe alice, carol, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby"), files));
        QVERIFY(carol.login(a->url(), QStringLiteral("carol"), QStringLiteral("lobby"), files));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby"), files));
        QVERIFY(waitUntil([&] { return sawJoin(alice, QStringLiteral("bob")); }));

        FlowControlledUpload upload{alice, makeData(3 * 1024 * 1024 + 12345, 7)};
        QVERIFY(upload.start(QStringLiteral("big.bin"), QStringLiteral("t-x")));
        const auto atB = bob.waitFor(QStringLiteral("fileOffer"));
        const auto atA = carol.waitFor(QStringLiteral("fileOffer"));
        QVERIFY(atB && atA);
        QCOMPARE(atB->value(QLatin1String("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(atB->value(QLatin1String("size")).toInteger(), upload.data.size());

        // Before the first real chunk: publications no uploader made. Each is dropped, so bob's
        // file is the real one, whole.
        const QByteArray stream = QByteArray::number(atA->value(QLatin1String("stream")).toInteger());
        const QByteArray junk(ChunkDataBytes, 'x');
        const auto forge = [&](const QByteArray &node, const QByteArray &s, const QByteArray &body) {
            QVERIFY(m_cluster.redis()
                        .call({"PUBLISH", "natter:0:node:" + nodeB, "fc\n" + s + "\n" + node + "\n" + body})
                        .startsWith(':'));
        };
        forge("f0rged", stream, encodeChunk(0, junk));    // not the uploader's node
        forge(nodeA, stream, encodeChunk(3, junk));       // out of order
        forge(nodeA, stream, encodeChunk(0, junk + "y")); // too long
        forge(nodeA, stream + "7", encodeChunk(0, junk)); // no such upload
        forge(nodeA, stream, QByteArrayLiteral("\x01"));  // no index

        QVERIFY(waitUntil([&] { return upload.pump(); }, 60000));
        alice.send(FileEnd{});
        QVERIFY(alice.waitFor(QStringLiteral("fileComplete"), 30000));
        QVERIFY(bob.waitFor(QStringLiteral("fileDone"), 30000));
        QVERIFY(carol.waitFor(QStringLiteral("fileDone"), 30000));
        QVERIFY(fileAt(bob, quint32(atB->value(QLatin1String("stream")).toInteger())) == upload.data);
        QVERIFY(fileAt(carol, quint32(atA->value(QLatin1String("stream")).toInteger())) == upload.data);
        QVERIFY(bob.all(QStringLiteral("fileAborted")).isEmpty());
        // And the file is a message of the room on every node.
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        QCOMPARE(chatsOf(bob).constFirst().value(QLatin1String("text")).toString(),
                 QStringLiteral("big.bin"));
    }

    void aReceiverThatStopsReadingOnAnotherNodeHoldsTheSenderBack()
    {
        const QStringList metrics{QStringLiteral("--metrics-port"), QStringLiteral("0")};
        auto [a, b] = m_cluster.startTwoNodes(metrics);
        QVERIFY(a && b);
        const QUrl metricsA = metricsOf(*a);
        const QUrl metricsB = metricsOf(*b);
        QVERIFY(metricsA.isValid() && metricsB.isValid());
        const QStringList files{Feature::Files};
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby"), files));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby"), files));
        RawWsClient slow;
        QVERIFY(joinLobbyAsSlow(slow, b->url()));
        QVERIFY(waitUntil([&] { return sawJoin(alice, QStringLiteral("slow")); }));
        slow.stopReading();
        const double rssBefore = metricOf(metricsB, QStringLiteral("natter_process_resident_memory_bytes"));
        const double rssBeforeA = metricOf(metricsA, QStringLiteral("natter_process_resident_memory_bytes"));
        QVERIFY(rssBefore > 0 && rssBeforeA > 0);

        // Far more than the sockets' buffers and the 4 MiB high-water mark together.
        FlowControlledUpload upload{alice, makeData(qint64(768) * ChunkDataBytes, 11)};
        QVERIFY(upload.start(QStringLiteral("flood.bin"), QStringLiteral("t-slow")));
        // The sender goes as far as flow control lets it, until A holds it back for slow on B.
        QVERIFY(pumpUntilHeldBack(upload, metricsA));
        QVERIFY(upload.sent < upload.chunks());
        // Neither node buffered the file: each holds about the 4 MiB window, not 48 MiB. (Not
        // under AddressSanitizer, whose quarantine keeps freed chunks resident by design.)
        if (!underAddressSanitizer()) {
            const double bound = 24 * 1024 * 1024;
            QVERIFY(metricOf(metricsB, QStringLiteral("natter_process_resident_memory_bytes")) - rssBefore <
                    bound);
            QVERIFY(metricOf(metricsA, QStringLiteral("natter_process_resident_memory_bytes")) - rssBeforeA <
                    bound);
        }

        slow.readAndDiscard();
        QVERIFY(waitUntil([&] { return upload.pump(); }, 120000));
        alice.send(FileEnd{});
        QVERIFY(alice.waitFor(QStringLiteral("fileComplete"), 60000));
        const auto offer = bob.waitFor(QStringLiteral("fileOffer"));
        QVERIFY(offer);
        QVERIFY(bob.waitFor(QStringLiteral("fileDone"), 60000));
        QVERIFY(fileAt(bob, quint32(offer->value(QLatin1String("stream")).toInteger())) == upload.data);
        QVERIFY(waitUntil([&] { return slow.discarded() >= upload.data.size(); }, 60000));
    }

    void aReceivingNodeThatDiesHoldsTheSenderBackNoLonger()
    {
        auto a = m_cluster.startNode({QStringLiteral("--metrics-port"), QStringLiteral("0")});
        auto b = m_cluster.startNode();
        QVERIFY(a && b);
        const QUrl metricsA = metricsOf(*a);
        WsProbe alice;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        RawWsClient slow;
        QVERIFY(joinLobbyAsSlow(slow, b->url()));
        QVERIFY(waitUntil([&] { return sawJoin(alice, QStringLiteral("slow")); }));
        slow.stopReading();

        FlowControlledUpload upload{alice, makeData(qint64(768) * ChunkDataBytes, 12)};
        QVERIFY(upload.start(QStringLiteral("flood.bin"), QStringLiteral("t-dead")));
        QVERIFY(pumpUntilHeldBack(upload, metricsA));
        // B dies: it credits nothing more, and A stops waiting for it (5 s, PROTOCOL.md 2).
        b->kill();
        QVERIFY(waitUntil([&] { return upload.pump(); }, 60000));
        alice.send(FileEnd{});
        QVERIFY(alice.waitFor(QStringLiteral("fileComplete"), 60000));
    }

    void rostersAreMergedAndAKilledNodesUsersLeaveThem()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        // Bob's roster has alice, who is on the other node; alice is told bob came.
        const QJsonObject joined = bob.all(QStringLiteral("roomJoined")).constFirst();
        QCOMPARE(joined.value(QLatin1String("userCount")).toInt(), 2);
        QStringList users;
        for (const QJsonValue &u : joined.value(QLatin1String("users")).toArray())
            users.append(u.toString());
        users.sort();
        QCOMPARE(users, (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}));
        QVERIFY(waitUntil([&] { return sawJoin(alice, QStringLiteral("bob")); }));
        const auto came = lastAbout(alice, QStringLiteral("userJoined"), QStringLiteral("bob"));
        QCOMPARE(came->value(QLatin1String("userCount")).toInt(), 2);

        // A clean leave is seen at once.
        WsProbe carol;
        QVERIFY(carol.login(b->url(), QStringLiteral("carol"), QStringLiteral("lobby")));
        carol.send(LeaveRoom{});
        QVERIFY(waitUntil([&] {
            return lastAbout(alice, QStringLiteral("userLeft"), QStringLiteral("carol")).has_value();
        }));

        // Node B dies without a word: bob drops out of alice's roster once his presence expires
        // (PROTOCOL.md 2, *Scale-out*: within 25 s).
        b->kill();
        QVERIFY(waitUntil(
            [&] { return lastAbout(alice, QStringLiteral("userLeft"), QStringLiteral("bob")).has_value(); },
            40000));
        const auto gone = lastAbout(alice, QStringLiteral("userLeft"), QStringLiteral("bob"));
        QCOMPARE(gone->value(QLatin1String("userCount")).toInt(), 1);
        WsProbe dave;
        QVERIFY(dave.login(a->url(), QStringLiteral("dave"), QStringLiteral("lobby")));
        QCOMPARE(
            dave.all(QStringLiteral("roomJoined")).constFirst().value(QLatin1String("userCount")).toInt(), 2);
    }

    void aNameBackThroughAnotherNodeIsInRostersOnce()
    {
        // Presence outlives a dead node by its TTL, 6 s here: long enough for zoe to be back
        // before her old entry expires, short enough to wait for it.
        const QStringList ttl{QStringLiteral("--presence-ttl-ms"), QStringLiteral("6000")};
        auto a = m_cluster.startNode(ttl), b = m_cluster.startNode(ttl), c = m_cluster.startNode(ttl);
        QVERIFY(a && b && c);
        const QString lobby = QStringLiteral("lobby");
        const QString zoeName = QStringLiteral("zoe"), ike = QStringLiteral("ike");
        WsProbe zoe, ikeOnA, bea, olga;
        QVERIFY(zoe.login(a->url(), zoeName, lobby));
        QVERIFY(ikeOnA.login(a->url(), ike, lobby));
        QVERIFY(bea.login(b->url(), QStringLiteral("bea"), lobby));
        QVERIFY(olga.login(c->url(), QStringLiteral("olga"), lobby));
        QVERIFY(waitUntil([&] { return sawJoin(bea, QStringLiteral("olga")); }));
        const QString token = zoe.nameToken();
        QVERIFY(!token.isEmpty());

        // Node A dies; zoe's client comes back through B with her name token, while A's presence
        // entries (hers and ike's, who does not come back) are still alive.
        a->kill();
        WsProbe zoeOnB;
        QVERIFY(zoeOnB.login(b->url(), zoeName, lobby, {}, token));
        const auto rosterOf = [](const WsProbe &probe) {
            const QJsonObject joined = probe.all(QStringLiteral("roomJoined")).constFirst();
            QStringList users;
            for (const QJsonValue &u : joined.value(QLatin1String("users")).toArray())
                users.append(u.toString());
            users.sort();
            return std::make_pair(users, joined.value(QLatin1String("userCount")).toInt());
        };
        const QStringList five{QStringLiteral("bea"), ike, QStringLiteral("olga"), QStringLiteral("pam"),
                               zoeName};
        QCOMPARE(rosterOf(zoeOnB),
                 std::make_pair(QStringList{QStringLiteral("bea"), ike, QStringLiteral("olga"), zoeName}, 4));
        // On the third node she is there once too, for a newcomer and for who was there.
        WsProbe pam;
        QVERIFY(pam.login(c->url(), QStringLiteral("pam"), lobby));
        QCOMPARE(rosterOf(pam), std::make_pair(five, 5));

        // A refreshed its entries together, so they expire together: ike leaves the rosters and
        // zoe, back on B, does not, and her return was no news to anyone.
        for (WsProbe *p : {&bea, &olga, &pam}) {
            QVERIFY(
                waitUntil([&] { return lastAbout(*p, QStringLiteral("userLeft"), ike).has_value(); }, 30000));
            QVERIFY(p->settle());
            QVERIFY(!lastAbout(*p, QStringLiteral("userLeft"), zoeName));
        }
        QVERIFY(!lastAbout(olga, QStringLiteral("userJoined"), zoeName));
        QCOMPARE(lastAbout(olga, QStringLiteral("userLeft"), ike)->value(QLatin1String("userCount")).toInt(),
                 4);
        WsProbe quinn;
        QVERIFY(quinn.login(c->url(), QStringLiteral("quinn"), lobby));
        QCOMPARE(rosterOf(quinn),
                 std::make_pair(QStringList{QStringLiteral("bea"), QStringLiteral("olga"),
                                            QStringLiteral("pam"), QStringLiteral("quinn"), zoeName},
                                5));
    }

    void typingCrossesNodes()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        // Bob's subscription is confirmed once a message of the room has reached him.
        alice.send(SendChat{QStringLiteral("barrier"), QStringLiteral("t0")});
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        alice.send(Typing{});
        const auto typing = bob.waitFor(QStringLiteral("userTyping"));
        QVERIFY(typing);
        QCOMPARE(typing->value(QLatin1String("user")).toString(), QStringLiteral("alice"));
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("userTyping")), 0); // never back to its author
    }

    void sendersOnTwoNodesMakeOneOrderForAll()
    {
        auto [a, b] = m_cluster.startTwoNodes({QStringLiteral("--no-limits")});
        QVERIFY(a && b);
        WsProbe alice, bob, carol, dave;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("race")));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("race")));
        QVERIFY(carol.login(a->url(), QStringLiteral("carol"), QStringLiteral("race")));
        QVERIFY(dave.login(b->url(), QStringLiteral("dave"), QStringLiteral("race")));
        constexpr int Each = 100;
        for (int i = 0; i < Each; ++i) {
            alice.send(SendChat{QStringLiteral("a%1").arg(i), QStringLiteral("a%1").arg(i)});
            bob.send(SendChat{QStringLiteral("b%1").arg(i), QStringLiteral("b%1").arg(i)});
        }
        QVERIFY(carol.waitForCount(QStringLiteral("chatMessage"), 2 * Each, 30000));
        QVERIFY(dave.waitForCount(QStringLiteral("chatMessage"), 2 * Each, 30000));
        QVERIFY(alice.waitForCount(QStringLiteral("ack"), Each, 30000));
        QVERIFY(bob.waitForCount(QStringLiteral("ack"), Each, 30000));
        QVERIFY(carol.settle() && dave.settle());
        QCOMPARE(seqsOf(chatsOf(carol)), oneTo(2 * Each));
        QCOMPARE(textsOf(chatsOf(carol)), textsOf(chatsOf(dave)));
        // Each sender's own messages in the order sent.
        QStringList fromAlice;
        for (const QString &t : textsOf(chatsOf(dave)))
            if (t.startsWith(QLatin1Char('a')))
                fromAlice.append(t);
        QCOMPARE(fromAlice.size(), Each);
        QCOMPARE(fromAlice.constFirst(), QStringLiteral("a0"));
        QCOMPARE(fromAlice.constLast(), QStringLiteral("a%1").arg(Each - 1));
    }

    void historyAndSinceWorkOnAnotherNodeAfterEveryNodeRestarted()
    {
        QString epoch;
        {
            auto [a, b] = m_cluster.startTwoNodes();
            QVERIFY(a && b);
            WsProbe alice;
            QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("archive")));
            epoch =
                alice.all(QStringLiteral("roomJoined")).constFirst().value(QLatin1String("epoch")).toString();
            for (int i = 1; i <= 5; ++i)
                alice.send(SendChat{QStringLiteral("m%1").arg(i), QStringLiteral("h%1").arg(i)});
            QVERIFY(alice.waitForCount(QStringLiteral("ack"), 5));
            a->stop();
            b->stop();
        }
        m_cluster.redis().stop(); // Redis too: its append-only file keeps what was acknowledged
        QVERIFY(m_cluster.redis().start());
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe dave;
        QVERIFY(dave.login(b->url(), QStringLiteral("dave")));
        QVERIFY(dave.join(QStringLiteral("archive"), 2, epoch));
        const QJsonObject joined = dave.all(QStringLiteral("roomJoined")).constFirst();
        QCOMPARE(joined.value(QLatin1String("epoch")).toString(), epoch);
        QCOMPARE(joined.value(QLatin1String("lastSeq")).toInteger(), 5);
        const QJsonArray history = joined.value(QLatin1String("history")).toArray();
        QCOMPARE(history.size(), 3);
        QCOMPARE(history.at(0).toObject().value(QLatin1String("text")).toString(), QStringLiteral("m3"));
        QCOMPARE(history.at(2).toObject().value(QLatin1String("seq")).toInteger(), 5);
        // Numbering goes on from there, on either node.
        WsProbe erin;
        QVERIFY(erin.login(a->url(), QStringLiteral("erin"), QStringLiteral("archive")));
        erin.send(SendChat{QStringLiteral("m6"), QStringLiteral("e6")});
        const auto next = dave.waitFor(QStringLiteral("chatMessage"));
        QVERIFY(next);
        QCOMPARE(next->value(QLatin1String("seq")).toInteger(), 6);
    }

    void aResendThroughAnotherNodeIsNotDeliveredTwice()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe bob;
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        qint64 seq = 0;
        QString token;
        {
            WsProbe alice;
            QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
            token = alice.nameToken();
            alice.send(SendChat{QStringLiteral("once"), QStringLiteral("same-id")});
            const auto ack = alice.waitFor(QStringLiteral("ack"));
            QVERIFY(ack);
            seq = ack->value(QLatin1String("seq")).toInteger();
        } // node A's answer lost with the connection, as far as alice knows
        // Back with her name token, as a client reconnects: node A may not have seen the drop yet
        // and still hold her name (a slow node lost this race without the token).
        WsProbe alice;
        QVERIFY(alice.login(b->url(), QStringLiteral("alice"), QStringLiteral("lobby"), {}, token));
        alice.send(SendChat{QStringLiteral("once"), QStringLiteral("same-id")});
        const auto again = alice.waitFor(QStringLiteral("ack"));
        QVERIFY(again);
        QCOMPARE(again->value(QLatin1String("seq")).toInteger(), seq);
        QCOMPARE(again->value(QLatin1String("duplicate")).toBool(), true);
        alice.send(SendChat{QStringLiteral("after"), QStringLiteral("next-id")});
        QVERIFY(alice.waitFor(QStringLiteral("ack")));
        QVERIFY(bob.waitForCount(QStringLiteral("chatMessage"), 2));
        QVERIFY(bob.settle());
        QCOMPARE(textsOf(chatsOf(bob)), (QStringList{QStringLiteral("once"), QStringLiteral("after")}));
    }

    void whileRedisIsAwayMessagesWaitInTheOutboxAndArriveOnceWhenItIsBack()
    {
        auto a = m_cluster.startNode({QStringLiteral("--metrics-port"), QStringLiteral("0")});
        auto b = m_cluster.startNode();
        QVERIFY(a && b);
        TestPeer alice(m_cluster.dir(), QStringLiteral("alice"));
        QVERIFY(alice.login(a->url(), QStringLiteral("lobby")));
        WsProbe bob;
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby"), {Feature::Status}));
        alice.client->sendMessage(QStringLiteral("before"));
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        QTRY_VERIFY_WITH_TIMEOUT(alice.client->outbox()->isEmpty(), 10000);

        const QUrl metrics = metricsOf(*a);
        QVERIFY(metrics.isValid());
        QVERIFY(httpGet(metrics, "/healthz").startsWith("HTTP/1.1 200"));
        QVERIFY(httpGet(metrics, "/metrics").contains("\nnatter_redis_up 1\n"));

        QSignalSpy aliceStatus(alice.client.get(), &ChatClient::serverStatusChanged);
        m_cluster.redis().stop();
        // Both nodes say so to the clients that asked, and keep them connected.
        const auto degraded = bob.waitFor(QStringLiteral("serverStatus"), 20000);
        QVERIFY(degraded);
        QCOMPARE(degraded->value(QLatin1String("status")).toString(), QStringLiteral("degraded"));
        QTRY_VERIFY_WITH_TIMEOUT(alice.client->isServerDegraded(), 20000);
        QVERIFY(!alice.client->serverStatusReason().isEmpty());
        const QByteArray health = httpGet(metrics, "/healthz");
        QVERIFY2(health.startsWith("HTTP/1.1 503") && health.contains("redis unreachable"),
                 health.constData());
        QVERIFY(httpGet(metrics, "/metrics").contains("\nnatter_redis_up 0\n"));

        // Refused, not acknowledged: it stays in alice's outbox.
        alice.client->sendMessage(QStringLiteral("during 1"));
        alice.client->sendMessage(QStringLiteral("during 2"));
        QVERIFY(bob.settle());
        QVERIFY(bob.isConnected());
        QCOMPARE(alice.client->outbox()->count(), 2);
        QCOMPARE(alice.client->state(), ChatClient::State::Connected);
        // Someone who comes meanwhile cannot be given a name (no node can be asked who holds it):
        // their client asks again when told, and is in the room once Redis is back.
        TestPeer carol(m_cluster.dir(), QStringLiteral("carol"));
        QSignalSpy carolErrors(carol.client.get(), &ChatClient::serverError);
        QSignalSpy carolRefused(carol.client.get(), &ChatClient::nameRefused);
        QSignalSpy carolIn(carol.client.get(), &ChatClient::sessionRestored);
        carol.client->connectToServer(a->url(), QStringLiteral("carol"), QStringLiteral("lobby"));
        QTRY_COMPARE_WITH_TIMEOUT(carol.client->state(), ChatClient::State::Connected, 10000);

        QVERIFY(m_cluster.redis().start()); // the same data directory
        const auto ok = bob.waitFor(QStringLiteral("serverStatus"), 20000);
        QVERIFY(ok);
        QCOMPARE(ok->value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        // The outbox drains by itself; each message arrives once, in order, after what was there.
        QTRY_VERIFY_WITH_TIMEOUT(alice.client->outbox()->isEmpty(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!alice.client->isServerDegraded(),
                                 20000); // its node may come back later than bob's
        QVERIFY(bob.waitForCount(QStringLiteral("chatMessage"), 3));
        QVERIFY(bob.settle());
        const QList<QJsonObject> got = chatsOf(bob);
        QCOMPARE(textsOf(got), (QStringList{QStringLiteral("before"), QStringLiteral("during 1"),
                                            QStringLiteral("during 2")}));
        QCOMPARE(seqsOf(got), oneTo(3));
        QVERIFY(aliceStatus.size() >= 2); // degraded, then ok
        QTRY_VERIFY_WITH_TIMEOUT(carolIn.size() > 0, 20000);
        QCOMPARE(carol.client->joinedRoom(), QStringLiteral("lobby"));
        QCOMPARE(carolRefused.size(), 0);
        QCOMPARE(carolErrors.size(), 0); // neither the refused name nor the join behind it
    }

    void aMalformedOrOutOfOrderPublicationIsNotDelivered()
    {
        auto a = m_cluster.startNode();
        QVERIFY(a);
        WsProbe bob;
        QVERIFY(bob.login(a->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        WsProbe alice;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        alice.send(SendChat{QStringLiteral("real"), QStringLiteral("x1")});
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        // Redis is trusted like a data directory, but what comes over its channels is still
        // checked: a message far ahead of the room (a node repairs the gap from the store, which
        // does not have it), garbage, and a presence event with a name no client could have.
        const QByteArray channel = "natter:0:room:lobby";
        const QByteArray forged =
            R"({"type":"chatMessage","username":"mallory","text":"forged","timestamp":1,"room":"lobby"})";
        QCOMPARE(m_cluster.redis().call({"PUBLISH", channel, "99\nx\nmallory\n" + forged}),
                 QByteArray(":1\r\n"));
        m_cluster.redis().call({"PUBLISH", channel, "garbage"});
        m_cluster.redis().call({"PUBLISH", channel, "j\nx\nothernode\n" + QByteArray(100000, 'm')});
        alice.send(SendChat{QStringLiteral("after"), QStringLiteral("x2")});
        QVERIFY(alice.waitFor(QStringLiteral("ack")));
        QVERIFY(bob.waitForCount(QStringLiteral("chatMessage"), 2));
        QVERIFY(bob.settle());
        QCOMPARE(textsOf(chatsOf(bob)), (QStringList{QStringLiteral("real"), QStringLiteral("after")}));
        QCOMPARE(seqsOf(chatsOf(bob)), oneTo(2));
        QStringList joined; // bob's own and alice's, nobody else's
        for (const QJsonObject &j : bob.all(QStringLiteral("userJoined")))
            joined.append(j.value(QLatin1String("user")).toString());
        QCOMPARE(joined, (QStringList{QStringLiteral("bob"), QStringLiteral("alice")}));
        QVERIFY(a->isRunning());
    }

    // PROTOCOL.md 2, *Scale-out*: edits, deletions and reactions are shared live.
    void anEditOrADeletionIsSeenLiveOnEveryNodeAndInHistory()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        alice.send(SendChat{QStringLiteral("frist"), QStringLiteral("a1")});
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        bob.send(SendChat{QStringLiteral("oops"), QStringLiteral("b1")});
        QVERIFY(alice.waitFor(QStringLiteral("chatMessage")));

        alice.send(EditMessage{1, QStringLiteral("first")});
        const auto edited = bob.waitFor(QStringLiteral("messageEdited"));
        QVERIFY(edited);
        QCOMPARE(edited->value(QLatin1String("seq")).toInteger(), 1);
        QCOMPARE(edited->value(QLatin1String("text")).toString(), QStringLiteral("first"));
        QVERIFY(alice.waitFor(QStringLiteral("messageEdited"))); // its author hears it too
        bob.send(DeleteMessage{2});
        const auto deleted = alice.waitFor(QStringLiteral("messageDeleted"));
        QVERIFY(deleted);
        QCOMPARE(deleted->value(QLatin1String("seq")).toInteger(), 2);
        QVERIFY(bob.waitFor(QStringLiteral("messageDeleted")));

        QVERIFY(alice.settle() && bob.settle());
        // Once each: the changer's node announces from the channel only.
        QCOMPARE(alice.count(QStringLiteral("messageEdited")), 1);
        QCOMPARE(bob.count(QStringLiteral("messageEdited")), 1);
        QCOMPARE(alice.count(QStringLiteral("messageDeleted")), 1);
        QCOMPARE(bob.count(QStringLiteral("messageDeleted")), 1);
        // History on either node has them as they stand.
        for (WsProbe *probe : {&bob, &alice}) {
            const auto page = lobbyHistoryBefore(*probe, 3);
            QVERIFY(page);
            const QJsonArray messages = page->value(QLatin1String("messages")).toArray();
            QCOMPARE(messages.size(), 2);
            QCOMPARE(messages.at(0).toObject().value(QLatin1String("text")).toString(),
                     QStringLiteral("first"));
            QVERIFY(messages.at(1).toObject().value(QLatin1String("deleted")).toInteger() > 0);
            QVERIFY(messages.at(1).toObject().value(QLatin1String("text")).toString().isEmpty());
        }
        WsProbe dave; // a newcomer on B
        QVERIFY(dave.login(b->url(), QStringLiteral("dave"), QStringLiteral("lobby")));
        const QJsonArray history =
            dave.all(QStringLiteral("roomJoined")).constFirst().value(QLatin1String("history")).toArray();
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.at(0).toObject().value(QLatin1String("text")).toString(), QStringLiteral("first"));
        QVERIFY(history.at(1).toObject().value(QLatin1String("deleted")).toInteger() > 0);
    }

    void reactionsFromTwoNodesToOneMessageBothSurvive()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        alice.send(SendChat{QStringLiteral("react to me"), QStringLiteral("a1")});
        QVERIFY(alice.waitFor(QStringLiteral("ack")));
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        const QString thumbs = QStringLiteral("\U0001F44D");
        // At once: one node's compare-and-set loses, reads again and adds its user to the other's.
        for (int round = 0; round < 5; ++round) {
            const bool add = round % 2 == 0;
            alice.send(React{1, thumbs, add});
            bob.send(React{1, thumbs, add});
            const int expected = 2 * (round + 1);
            QVERIFY2(alice.waitForCount(QStringLiteral("reactions"), expected),
                     qPrintable(alice.texts.mid(5).join(QLatin1Char('\n'))));
            QVERIFY2(bob.waitForCount(QStringLiteral("reactions"), expected),
                     qPrintable(bob.texts.mid(5).join(QLatin1Char('\n'))));
            for (const WsProbe *probe : {&alice, &bob}) {
                const QJsonArray reactions = probe->all(QStringLiteral("reactions"))
                                                 .constLast()
                                                 .value(QLatin1String("reactions"))
                                                 .toArray();
                QStringList users;
                for (const QJsonValue r : reactions)
                    for (const QJsonValue u : r.toObject().value(QLatin1String("users")).toArray())
                        users.append(u.toString());
                users.sort();
                QCOMPARE(users,
                         add ? (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}) : QStringList{});
            }
        }
        QVERIFY(alice.settle() && bob.settle());
        QCOMPARE(alice.count(QStringLiteral("reactions")), 10);
        QCOMPARE(alice.count(QStringLiteral("error")), 0);
        QCOMPARE(bob.count(QStringLiteral("error")), 0);
    }

    void aChangeAfterADeletionThroughAnotherNodeDoesNotUndeleteIt()
    {
        auto [a, b] = m_cluster.startTwoNodes();
        QVERIFY(a && b);
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        QVERIFY(bob.login(b->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        alice.send(SendChat{QStringLiteral("regrettable"), QStringLiteral("a1")});
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        bob.send(React{1, QStringLiteral("\U0001F600"), true});
        QVERIFY(alice.waitFor(QStringLiteral("reactions")));
        alice.send(DeleteMessage{1});
        QVERIFY(bob.waitFor(QStringLiteral("messageDeleted")));
        // Through the other node, after the deletion: refused, and nothing brings it back (the
        // race itself, a change read before the deletion and written after it, is
        // tst_redismessagestore's).
        bob.send(React{1, QStringLiteral("\U0001F601"), true});
        bob.send(EditMessage{1, QStringLiteral("undeleted?")});
        for (const QString &request : {QStringLiteral("react"), QStringLiteral("editMessage")}) {
            const auto refused = bob.waitFor(QStringLiteral("error"));
            QVERIFY(refused);
            QCOMPARE(refused->value(QLatin1String("code")).toString(), QStringLiteral("unknownMessage"));
            QCOMPARE(refused->value(QLatin1String("request")).toString(), request);
        }
        QVERIFY(alice.settle() && bob.settle());
        QCOMPARE(alice.count(QStringLiteral("messageEdited")), 0);
        QCOMPARE(alice.count(QStringLiteral("reactions")), 1);
        QCOMPARE(bob.count(QStringLiteral("reactions")), 1);
        for (WsProbe *probe : {&alice, &bob}) {
            const auto page = lobbyHistoryBefore(*probe, 2);
            QVERIFY(page);
            const QJsonObject tombstone = page->value(QLatin1String("messages")).toArray().at(0).toObject();
            QVERIFY(tombstone.value(QLatin1String("deleted")).toInteger() > 0);
            QVERIFY(tombstone.value(QLatin1String("text")).toString().isEmpty());
            QVERIFY(tombstone.value(QLatin1String("reactions")).toArray().isEmpty());
        }
    }

    void aForgedChangePublicationIsNotObeyed()
    {
        auto a = m_cluster.startNode();
        QVERIFY(a);
        WsProbe alice, bob;
        QVERIFY(alice.login(a->url(), QStringLiteral("alice"), QStringLiteral("lobby")));
        QVERIFY(bob.login(a->url(), QStringLiteral("bob"), QStringLiteral("lobby")));
        alice.send(SendChat{QStringLiteral("real"), QStringLiteral("x1")});
        QVERIFY(bob.waitFor(QStringLiteral("chatMessage")));
        const QByteArray channel = "natter:0:room:lobby";
        const auto edit = [](qint64 seq, const QByteArray &room) {
            return "{\"type\":\"messageEdited\",\"room\":\"" + room +
                   "\",\"seq\":" + QByteArray::number(seq) + ",\"text\":\"forged\",\"edited\":5}";
        };
        const QList<QByteArray> forged{
            "u\nx\n99 1\n" + edit(99, "lobby"),        // a seq the room has not numbered
            "u\nx\n1 1\n" + edit(1, "elsewhere"),      // another room's
            "u\nx\n1 1\n" + edit(2, "lobby"),          // another seq than announced
            "u\nx\n1 1\n{\"type\":\"messageEdited\",", // malformed
            "u\nx\n1 1\n" + QByteArray(1 << 20, '{'),  // huge
            "u\nx\n1 x\n" + edit(1, "lobby"),          // no version
            "u\nx\n1 1\n" + edit(1, "lobby").replace("messageEdited", "chatMessage"), // not a change
            "u\nx\n1",                                                                // cut short
        };
        for (const QByteArray &payload : forged)
            QCOMPARE(m_cluster.redis().call({"PUBLISH", channel, payload}), QByteArray(":1\r\n"));
        // A barrier on the same channel: a real change comes after every forged one.
        alice.send(EditMessage{1, QStringLiteral("really edited")});
        QVERIFY(bob.waitFor(QStringLiteral("messageEdited")));
        QVERIFY(alice.settle() && bob.settle());
        for (const WsProbe *probe : {&alice, &bob}) {
            const QList<QJsonObject> edits = probe->all(QStringLiteral("messageEdited"));
            QCOMPARE(edits.size(), 1);
            QCOMPARE(edits.constFirst().value(QLatin1String("text")).toString(),
                     QStringLiteral("really edited"));
            QCOMPARE(chatsOf(*probe).size(), probe == &alice ? 0 : 1);
        }
        const auto page = lobbyHistoryBefore(bob, 2);
        QVERIFY(page);
        QCOMPARE(page->value(QLatin1String("messages"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1String("text"))
                     .toString(),
                 QStringLiteral("really edited"));
        QVERIFY(a->isRunning());
    }
};

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "uploadroom.h"
#include "waituntil.h"
#include "wsprobe.h"

#include <QHash>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Protocol;

// natter-server's /metrics and /healthz (docs/DEPLOYING.md, *Monitoring*), on the real executable
// started with --metrics-port 0, spoken to over plain HTTP.
class TestServerMetrics : public QObject
{
    Q_OBJECT

private:
    struct Reply
    {
        int status = 0; // 0: no answer (closed, or timed out)
        QByteArray headers;
        QByteArray body;
        bool closed = false;
    };

    // One request on a connection of its own; the answer, read up to its Content-Length.
    static Reply request(quint16 port, const QByteArray &raw)
    {
        QTcpSocket socket;
        QByteArray in;
        Reply reply;
        QObject::connect(&socket, &QTcpSocket::readyRead, [&] { in += socket.readAll(); });
        QObject::connect(&socket, &QTcpSocket::disconnected, [&] { reply.closed = true; });
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!waitUntil([&] { return socket.state() == QAbstractSocket::ConnectedState || reply.closed; }))
            return reply;
        socket.write(raw);
        const auto complete = [&] {
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end < 0)
                return false;
            const QRegularExpression length(QStringLiteral("(?im)^content-length: *(\\d+)"));
            const auto m = length.match(QString::fromLatin1(in.left(end)));
            return m.hasMatch() && in.size() >= end + 4 + m.captured(1).toLongLong();
        };
        waitUntil([&] { return complete() || reply.closed; });
        const qsizetype end = in.indexOf("\r\n\r\n");
        if (end < 0)
            return reply;
        reply.headers = in.left(end);
        reply.body = in.mid(end + 4);
        const QList<QByteArray> statusLine = in.left(in.indexOf("\r\n")).split(' ');
        reply.status = statusLine.value(1).toInt();
        return reply;
    }

    static Reply get(quint16 port, const QByteArray &path)
    {
        return request(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    // Each sample of the exposition by its name with labels; fails the test on a malformed line,
    // on a non-numeric value, or on a metric without its HELP and TYPE lines.
    static QHash<QString, double> parseExposition(const QByteArray &text)
    {
        QHash<QString, double> samples;
        QSet<QString> help, type;
        QHash<QString, QString> typeOf;
        const QRegularExpression sample(QStringLiteral(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? "
            "(\\S+)$"));
        const QRegularExpression comment(QStringLiteral("^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$"));
        const QStringList lines = QString::fromUtf8(text).split(u'\n');
        [&] {
            QVERIFY2(text.endsWith('\n'), "the exposition ends with a newline");
        }();
        for (const QString &line : lines) {
            if (line.isEmpty())
                continue;
            if (line.startsWith(u'#')) {
                const auto m = comment.match(line);
                [&] {
                    QVERIFY2(m.hasMatch(), qPrintable(line));
                }();
                (m.captured(1) == QLatin1String("HELP") ? help : type).insert(m.captured(2));
                if (m.captured(1) == QLatin1String("TYPE"))
                    typeOf.insert(m.captured(2), m.captured(3));
                continue;
            }
            const auto m = sample.match(line);
            [&] {
                QVERIFY2(m.hasMatch(), qPrintable(line));
            }();
            bool numeric = false;
            const double value = m.captured(5).toDouble(&numeric);
            [&] {
                QVERIFY2(numeric, qPrintable(line));
            }();
            QString family = m.captured(1);
            for (const char *suffix : {"_sum", "_count"}) {
                const QString base = family.chopped(qsizetype(qstrlen(suffix)));
                if (family.endsWith(QLatin1String(suffix)) && typeOf.value(base) == QLatin1String("summary"))
                    family = base;
            }
            [&] {
                QVERIFY2(help.contains(family) && type.contains(family),
                         qPrintable(QStringLiteral("no HELP and TYPE before ") + line));
            }();
            samples.insert(line.left(line.lastIndexOf(u' ')), value);
        }
        return samples;
    }

    struct Started
    {
        std::unique_ptr<QProcess> process;
        QUrl ws;
        quint16 metricsPort = 0;
    };

    static Started start(const QStringList &extra = {})
    {
        Started s;
        s.process = std::make_unique<QProcess>();
        s.process->start(QStringLiteral(NATTER_SERVER_PATH),
                         QStringList{QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                                     QStringLiteral("--port"), QStringLiteral("0"),
                                     QStringLiteral("--metrics-port"), QStringLiteral("0")} +
                             extra);
        QByteArray out;
        const QRegularExpression wsLine(QStringLiteral("(?m)^natter-server listening on (ws://\\S+)$"));
        const QRegularExpression metricsLine(
            QStringLiteral("(?m)^metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics$"));
        waitUntil(
            [&] {
                out += s.process->readAllStandardOutput();
                return metricsLine.match(QString::fromUtf8(out)).hasMatch() ||
                       s.process->state() == QProcess::NotRunning;
            },
            20000);
        const QString text = QString::fromUtf8(out);
        s.ws = QUrl(wsLine.match(text).captured(1));
        s.metricsPort = quint16(metricsLine.match(text).captured(1).toUInt());
        return s;
    }

    static void stop(Started &s)
    {
        s.process->terminate();
        QTRY_COMPARE_WITH_TIMEOUT(s.process->state(), QProcess::NotRunning, 10000);
        QCOMPARE(s.process->exitCode(), 0);
    }

private slots:
    void countsWhatTheChatDoes()
    {
        Started server = start();
        QVERIFY2(server.metricsPort > 0, server.process->readAllStandardError().constData());
        QVERIFY(server.ws.isValid());

        const Reply health = get(server.metricsPort, "/healthz");
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body, QByteArray("ok\n"));

        WsProbe alice, bob;
        QVERIFY(alice.login(server.ws, QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(bob.login(server.ws, QStringLiteral("bob"), QStringLiteral("general")));
        alice.send(SendChat{QStringLiteral("counted"), QStringLiteral("m-1")});
        QCOMPARE(bob.next<ChatMessage>()->text, QStringLiteral("counted"));

        const Reply metrics = get(server.metricsPort, "/metrics");
        QCOMPARE(metrics.status, 200);
        QVERIFY2(metrics.headers.contains("Content-Type: text/plain; version=0.0.4"),
                 metrics.headers.constData());
        const QHash<QString, double> m = parseExposition(metrics.body);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m.value(QStringLiteral("natter_connections"), -1), 2.0);
        QCOMPARE(m.value(QStringLiteral("natter_connections_accepted_total"), -1), 2.0);
        QVERIFY(m.value(QStringLiteral("natter_messages_received_total")) >= 1);
        QVERIFY(m.value(QStringLiteral("natter_messages_delivered_total")) >= 1);
        QCOMPARE(m.value(QStringLiteral("natter_rooms"), -1), 1.0);
        QCOMPARE(m.value(QStringLiteral("natter_rooms_occupied"), -1), 1.0);
        QVERIFY(m.value(QStringLiteral("natter_received_bytes_total")) > 0);
        QVERIFY(m.value(QStringLiteral("natter_sent_bytes_total")) > 0);
        QVERIFY(m.value(QStringLiteral("natter_process_resident_memory_bytes")) > 0);
        QVERIFY(m.contains(QStringLiteral("natter_build_info{version=\"" NATTER_VERSION "\"}")));
        QVERIFY(!m.contains(QStringLiteral("natter_store_healthy"))); // no --data-dir, no store

        // A refused upgrade (an Origin nobody allowed) is counted.
        WsProbe stranger;
        QNetworkRequest fromAPage(server.ws);
        fromAPage.setRawHeader("Origin", "https://elsewhere.example");
        stranger.socket().open(fromAPage);
        QVERIFY(stranger.waitForDisconnected());
        QTRY_VERIFY(parseExposition(get(server.metricsPort, "/metrics").body)
                        .value(QStringLiteral("natter_handshakes_refused_total")) >= 1);

        // Someone leaving shows at the next scrape.
        bob.socket().close();
        QVERIFY(bob.waitForDisconnected());
        QTRY_COMPARE(parseExposition(get(server.metricsPort, "/metrics").body)
                         .value(QStringLiteral("natter_connections"), -1),
                     1.0);
        stop(server);
    }

    void countsStoreWritesWithADataDirectory()
    {
        QTemporaryDir data;
        QVERIFY(data.isValid());
        Started server = start({QStringLiteral("--data-dir"), data.path()});
        QVERIFY2(server.metricsPort > 0, server.process->readAllStandardError().constData());
        WsProbe alice;
        QVERIFY(alice.login(server.ws, QStringLiteral("alice"), QStringLiteral("general")));
        alice.send(SendChat{QStringLiteral("kept"), QStringLiteral("s-1")});
        QVERIFY(alice.next<Ack>()); // acknowledged once stored
        const QHash<QString, double> m = parseExposition(get(server.metricsPort, "/metrics").body);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m.value(QStringLiteral("natter_store_write_seconds_count")) >= 1);
        QVERIFY(m.value(QStringLiteral("natter_store_write_seconds_sum"), -1) >= 0);
        QCOMPARE(m.value(QStringLiteral("natter_store_healthy"), -1), 1.0);
        QCOMPARE(m.value(QStringLiteral("natter_messages_received_total"), -1), 1.0);
        QCOMPARE(m.value(QStringLiteral("natter_messages_delivered_total"), -1), 0.0); // nobody else there
        stop(server);
    }

    void countsFileBytesRelayedOnce()
    {
        Started server = start();
        QVERIFY2(server.metricsPort > 0, server.process->readAllStandardError().constData());
        UploadRoom room; // alice uploads, bob and mallory both receive
        QVERIFY(room.login(server.ws));
        const QByteArray data(2 * ChunkDataBytes + 100, 'f');
        room.alice.send(FileStart{QStringLiteral("f.bin"),
                                  data.size(),
                                  QStringLiteral("application/octet-stream"),
                                  QStringLiteral("t-1"),
                                  {}});
        QVERIFY(room.alice.next<FileAccepted>());
        for (int i = 0; i < 3; ++i)
            room.alice.sendBinary(
                encodeChunk(quint32(i), data.mid(qsizetype(i) * ChunkDataBytes, ChunkDataBytes)));
        QVERIFY(room.bob.waitForBinaries(3));
        QVERIFY(room.mallory.waitForBinaries(3));
        const QHash<QString, double> m = parseExposition(get(server.metricsPort, "/metrics").body);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m.value(QStringLiteral("natter_file_bytes_relayed_total"), -1), double(data.size()));
        QVERIFY(m.value(QStringLiteral("natter_received_bytes_total")) >= data.size());
        stop(server);
    }

    void answersOnlyItsTwoPaths()
    {
        Started server = start();
        QVERIFY2(server.metricsPort > 0, server.process->readAllStandardError().constData());
        QCOMPARE(get(server.metricsPort, "/").status, 404);
        QCOMPARE(get(server.metricsPort, "/metrics/extra").status, 404);
        QCOMPARE(get(server.metricsPort, "/../etc/passwd").status, 404);
        const Reply post =
            request(server.metricsPort, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
        QCOMPARE(post.status, 405);
        QVERIFY(post.headers.contains("Allow: GET"));
        QCOMPARE(get(server.metricsPort, "/healthz").status, 200);
        stop(server);
    }

    void survivesHostileRequests_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::newRow("100 KiB request line") << "GET /" + QByteArray(100 * 1024, 'a') + " HTTP/1.1\r\n\r\n";
        QTest::newRow("1 MiB of header garbage")
            << "GET /metrics HTTP/1.1\r\nX-Junk: " + QByteArray(1024 * 1024, 'z') + "\r\n\r\n";
        QTest::newRow("1 MiB body") << "POST /metrics HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n" +
                                           QByteArray(1024 * 1024, 'b');
        QTest::newRow("binary noise") << QByteArray(64 * 1024, '\0');
    }
    void survivesHostileRequests()
    {
        QFETCH(QByteArray, raw);
        Started server = start();
        QVERIFY2(server.metricsPort > 0, server.process->readAllStandardError().constData());
        const Reply hostile = request(server.metricsPort, raw);
        // Refused as too large, or cut off; never served.
        QVERIFY2(hostile.status == 431 || hostile.status == 400 || (hostile.status == 0 && hostile.closed),
                 hostile.headers.constData());
        QCOMPARE(server.process->state(), QProcess::Running);
        QCOMPARE(get(server.metricsPort, "/healthz").status, 200);
        stop(server);
    }

    void holdsABoundedNumberOfConnections()
    {
        Started server = start();
        QVERIFY2(server.metricsPort > 0, server.process->readAllStandardError().constData());
        // Every place taken (16, docs/DEPLOYING.md), by connections that never send a request.
        std::vector<std::unique_ptr<QTcpSocket>> held;
        int closed = 0;
        for (int i = 0; i < 17; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            QObject::connect(socket.get(), &QTcpSocket::disconnected, [&closed] { ++closed; });
            socket->connectToHost(QHostAddress::LocalHost, server.metricsPort);
            held.push_back(std::move(socket));
        }
        // The one over the cap is closed unanswered...
        QTRY_COMPARE(closed, 1);
        // ...and so is the next, while the others hold their places...
        const Reply turnedAway = get(server.metricsPort, "/healthz");
        QCOMPARE(turnedAway.status, 0);
        QVERIFY(turnedAway.closed);
        // ...which are free again once they go.
        held.clear();
        QTRY_COMPARE(get(server.metricsPort, "/healthz").status, 200);
        stop(server);
    }
};

QTEST_GUILESS_MAIN(TestServerMetrics)
#include "tst_servermetrics.moc"

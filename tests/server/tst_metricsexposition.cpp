// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatserver.h"
#include "metricsendpoint.h"

#include <QtTest>

// The text /metrics serves, from the figures alone (no sockets): docs/DEPLOYING.md, *Monitoring*.
class TestMetricsExposition : public QObject
{
    Q_OBJECT

private:
    static MetricsEndpoint::Snapshot figures()
    {
        MetricsEndpoint::Snapshot s;
        s.stats.connectionsAccepted = 7;
        s.stats.handshakesRefused = 2;
        s.stats.messagesReceived = 40;
        s.stats.messagesDelivered = 120;
        s.stats.bytesReceived = 5000;
        s.stats.bytesSent = 9000;
        s.stats.fileBytesRelayed = 65536;
        s.connections = 3;
        s.rooms = 4;
        s.occupiedRooms = 2;
        s.uploadsHeldBack = 1;
        s.residentBytes = 1 << 20;
        return s;
    }

    static QStringList lines(const QByteArray &text) { return QString::fromUtf8(text).split(u'\n'); }

private slots:
    void everyFigureHasHelpTypeAndItsValue()
    {
        const QByteArray text = MetricsEndpoint::render(figures());
        QVERIFY(text.endsWith('\n'));
        const QStringList l = lines(text);
        const QList<QPair<QString, QString>> expected{
            {QStringLiteral("natter_connections"), QStringLiteral("gauge 3")},
            {QStringLiteral("natter_connections_accepted_total"), QStringLiteral("counter 7")},
            {QStringLiteral("natter_handshakes_refused_total"), QStringLiteral("counter 2")},
            {QStringLiteral("natter_rooms"), QStringLiteral("gauge 4")},
            {QStringLiteral("natter_rooms_occupied"), QStringLiteral("gauge 2")},
            {QStringLiteral("natter_messages_received_total"), QStringLiteral("counter 40")},
            {QStringLiteral("natter_messages_delivered_total"), QStringLiteral("counter 120")},
            {QStringLiteral("natter_received_bytes_total"), QStringLiteral("counter 5000")},
            {QStringLiteral("natter_sent_bytes_total"), QStringLiteral("counter 9000")},
            {QStringLiteral("natter_file_bytes_relayed_total"), QStringLiteral("counter 65536")},
            {QStringLiteral("natter_file_uploads_held_back"), QStringLiteral("gauge 1")},
            {QStringLiteral("natter_process_resident_memory_bytes"), QStringLiteral("gauge 1048576")},
        };
        for (const auto &[name, typeAndValue] : expected) {
            const QString type = typeAndValue.section(u' ', 0, 0);
            const QString value = typeAndValue.section(u' ', 1, 1);
            const qsizetype at = l.indexOf(QStringLiteral("# TYPE %1 %2").arg(name, type));
            QVERIFY2(at > 0, qPrintable(name));
            QVERIFY2(l.at(at - 1).startsWith(QStringLiteral("# HELP %1 ").arg(name)), qPrintable(name));
            QCOMPARE(l.at(at + 1), QStringLiteral("%1 %2").arg(name, value));
        }
        QVERIFY(l.contains(QStringLiteral("natter_build_info{version=\"" NATTER_VERSION "\"} 1")));
        // Without a store there are no store figures to show.
        QVERIFY(!text.contains("natter_store_"));
    }

    void storeWritesAreASummary()
    {
        MetricsEndpoint::Snapshot s = figures();
        s.hasStore = true;
        s.storeBatches = 12;
        s.storeSeconds = 0.375;
        s.storeLastSeconds = 0.0625;
        s.storeHealthy = false;
        const QStringList l = lines(MetricsEndpoint::render(s));
        const qsizetype at = l.indexOf(QStringLiteral("# TYPE natter_store_write_seconds summary"));
        QVERIFY(at > 0);
        QCOMPARE(l.at(at + 1), QStringLiteral("natter_store_write_seconds_sum 0.375"));
        QCOMPARE(l.at(at + 2), QStringLiteral("natter_store_write_seconds_count 12"));
        QVERIFY(l.contains(QStringLiteral("natter_store_last_write_seconds 0.0625")));
        QVERIFY(l.contains(QStringLiteral("natter_store_healthy 0")));
    }

    void unknownMemoryIsLeftOut()
    {
        MetricsEndpoint::Snapshot s = figures();
        s.residentBytes = -1;
        QVERIFY(!MetricsEndpoint::render(s).contains("resident_memory"));
        QVERIFY(MetricsEndpoint::residentBytes() > 0); // this process's, from /proc/self/statm
    }

    void healthFollowsTheChatServer()
    {
        ServerConfig config;
        config.host = QStringLiteral("127.0.0.1");
        config.port = 0;
        ChatServer server(config);
        QCOMPARE(MetricsEndpoint::unhealthyReason(server), QStringLiteral("not listening"));
        QVERIFY(server.listen());
        QCOMPARE(MetricsEndpoint::unhealthyReason(server), QString());
        const MetricsEndpoint::Snapshot s = MetricsEndpoint::snapshot(server);
        QCOMPARE(s.connections, 0);
        QCOMPARE(s.rooms, 0);
        QVERIFY(!s.hasStore);
    }
};

QTEST_GUILESS_MAIN(TestMetricsExposition)
#include "tst_metricsexposition.moc"

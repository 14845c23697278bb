// SPDX-License-Identifier: GPL-3.0-or-later
// What the desktop app keeps between runs, and that it stays bounded.
#include "appsettings.h"
#include "uitestsupport.h"

#include <QSettings>
#include <QtTest>

namespace {

ConnectionChoice remote(const QString &url, const QString &user = QStringLiteral("alice"),
                        const QString &room = QStringLiteral("general"))
{
    ConnectionChoice c;
    c.hostLocally = false;
    c.url = QUrl(url);
    c.username = user;
    c.room = room;
    return c;
}

ConnectionChoice hosted(const QString &user = QStringLiteral("alice"))
{
    ConnectionChoice c;
    c.hostLocally = true;
    c.username = user;
    c.room = QStringLiteral("general");
    return c;
}

QStringList urls(const QList<ConnectionChoice> &servers)
{
    QStringList result;
    for (const ConnectionChoice &c : servers)
        result.append(c.hostLocally ? QStringLiteral("here") : c.url.toString());
    return result;
}

QString server(int i)
{
    return AppSettings::serverKey(QUrl(QStringLiteral("ws://chat%1.example:8080").arg(i)), false);
}

int savedServerCount()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("read"));
    return int(settings.childKeys().size());
}

} // namespace

class TestAppSettings : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { UiTest::isolateSettings(QStringLiteral("tst_appsettings")); }

    void init() { QSettings().clear(); }

    void serversRoundTrip()
    {
        {
            AppSettings settings;
            settings.setServers({remote(QStringLiteral("ws://a.example:8080"), QStringLiteral("alice"),
                                        QStringLiteral("lobby")),
                                 hosted(QStringLiteral("al")),
                                 remote(QStringLiteral("wss://b.example/chat"), QStringLiteral("ali"),
                                        QStringLiteral("random"))});
        }
        const AppSettings later;
        const QList<ConnectionChoice> servers = later.servers();
        QCOMPARE(urls(servers), (QStringList{QStringLiteral("ws://a.example:8080"), QStringLiteral("here"),
                                             QStringLiteral("wss://b.example/chat")}));
        QCOMPARE(servers.at(0).username, QStringLiteral("alice"));
        QCOMPARE(servers.at(0).room, QStringLiteral("lobby"));
        QVERIFY(servers.at(1).hostLocally);
        QCOMPARE(servers.at(1).username, QStringLiteral("al"));
        QCOMPARE(servers.at(2).username, QStringLiteral("ali"));
        QCOMPARE(servers.at(2).room, QStringLiteral("random"));
        // The first is the connection, as code that knows one server reads it.
        QVERIFY(later.hasConnection());
        QVERIFY(!later.connection().hostLocally);
        QCOMPARE(later.connection().url, QUrl(QStringLiteral("ws://a.example:8080")));
        QCOMPARE(later.connection().username, QStringLiteral("alice"));
        QCOMPARE(later.connection().room, QStringLiteral("lobby"));

        // A new primary connection goes first, the others stay; the primary server renamed is
        // still one server.
        AppSettings settings;
        settings.setConnection(remote(QStringLiteral("ws://c.example:1"), QStringLiteral("carl")));
        settings.setConnection(remote(QStringLiteral("ws://C.example:1/"), QStringLiteral("carla")));
        QCOMPARE(urls(settings.servers()),
                 (QStringList{QStringLiteral("ws://c.example:1/"), QStringLiteral("ws://a.example:8080"),
                              QStringLiteral("here"), QStringLiteral("wss://b.example/chat")}));
        QCOMPARE(settings.servers().at(0).username, QStringLiteral("carla"));
        // Another listed server chosen as the primary one moves first.
        settings.setConnection(hosted(QStringLiteral("hal")));
        QCOMPARE(
            urls(settings.servers()),
            (QStringList{QStringLiteral("here"), QStringLiteral("ws://c.example:1/"),
                         QStringLiteral("ws://a.example:8080"), QStringLiteral("wss://b.example/chat")}));
        QCOMPARE(settings.servers().at(0).username, QStringLiteral("hal"));

        // Emptied, the list stays empty; it does not come back as the old connection.
        settings.setServers({});
        QVERIFY(settings.servers().isEmpty());
        QVERIFY(AppSettings().servers().isEmpty());
    }

    void aSingleConnectionIsTheListOfServers()
    {
        QVERIFY(AppSettings().servers().isEmpty()); // a first start: nothing at all
        {
            // As Natter saved it before it knew several servers.
            AppSettings old;
            old.setConnection(remote(QStringLiteral("ws://old.example:8080"), QStringLiteral("olga"),
                                     QStringLiteral("attic")));
        }
        AppSettings settings;
        const QList<ConnectionChoice> servers = settings.servers();
        QCOMPARE(urls(servers), QStringList{QStringLiteral("ws://old.example:8080")});
        QCOMPARE(servers.at(0).username, QStringLiteral("olga"));
        QCOMPARE(servers.at(0).room, QStringLiteral("attic"));
        // Added to, it keeps the old one first.
        QList<ConnectionChoice> more = servers;
        more.append(hosted());
        settings.setServers(more);
        QCOMPARE(urls(AppSettings().servers()),
                 (QStringList{QStringLiteral("ws://old.example:8080"), QStringLiteral("here")}));
    }

    void oneServerIsListedOnce()
    {
        AppSettings settings;
        // The same server spelt differently, and a second "This computer" (the app hosts one server):
        // the first of each is kept.
        settings.setServers({remote(QStringLiteral("ws://Chat.Example:80/"), QStringLiteral("first")),
                             hosted(QStringLiteral("me")),
                             remote(QStringLiteral("ws://chat.example"), QStringLiteral("second")),
                             remote(QStringLiteral("WS://CHAT.example:80")), hosted(QStringLiteral("again")),
                             remote(QStringLiteral("wss://chat.example:443"), QStringLiteral("secure")),
                             remote(QStringLiteral("wss://chat.example")),
                             remote(QStringLiteral("ws://chat.example:8080")),
                             remote(QStringLiteral("ws://chat.example/other"))});
        const QList<ConnectionChoice> servers = AppSettings().servers();
        QCOMPARE(urls(servers), (QStringList{QStringLiteral("ws://chat.example:80/"), QStringLiteral("here"),
                                             QStringLiteral("wss://chat.example:443"),
                                             QStringLiteral("ws://chat.example:8080"),
                                             QStringLiteral("ws://chat.example/other")}));
        QCOMPARE(servers.at(0).username, QStringLiteral("first"));
        QCOMPARE(servers.at(1).username, QStringLiteral("me"));
        QCOMPARE(servers.at(2).username, QStringLiteral("secure"));
    }

    void serversHaveShortNames()
    {
        QCOMPARE(AppSettings::serverDisplayName(hosted()), QStringLiteral("This computer"));
        QCOMPARE(AppSettings::serverDisplayName(remote(QStringLiteral("ws://chat.example:8080"))),
                 QStringLiteral("chat.example:8080"));
        QCOMPARE(AppSettings::serverDisplayName(remote(QStringLiteral("ws://chat.example:80/"))),
                 QStringLiteral("chat.example"));
        QCOMPARE(AppSettings::serverDisplayName(remote(QStringLiteral("wss://chat.example"))),
                 QStringLiteral("chat.example"));
        QCOMPARE(AppSettings::serverDisplayName(remote(QStringLiteral("wss://chat.example:443/natter"))),
                 QStringLiteral("chat.example/natter"));
        QCOMPARE(AppSettings::serverDisplayName(remote(QStringLiteral("wss://chat.example:80"))),
                 QStringLiteral("chat.example:80"));
    }

    void readPositionsRoundTrip()
    {
        AppSettings settings;
        settings.setReadPosition(server(1), QStringLiteral("general"), {QStringLiteral("e1"), 42});
        settings.setReadPosition(server(1), QStringLiteral("general"), {QStringLiteral("e1"), 43});
        settings.setReadPosition(server(2), QStringLiteral("general"), {QStringLiteral("e2"), 7});
        const AppSettings later;
        const auto positions = later.readPositions(server(1));
        QCOMPARE(positions.size(), 1);
        QCOMPARE(positions.value(QStringLiteral("general")).seq, 43);
        QCOMPARE(positions.value(QStringLiteral("general")).epoch, QStringLiteral("e1"));
        QCOMPARE(later.readPositions(server(2)).value(QStringLiteral("general")).seq, 7);
    }

    void theServersUsedLastAreKept()
    {
        AppSettings settings;
        const int servers = AppSettings::MaxReadServers + 5;
        for (int i = 0; i < servers; ++i)
            settings.setReadPosition(server(i), QStringLiteral("general"), {{}, i});
        // Server 0 is used again: it is now among the newest, and the next oldest go instead.
        settings.setReadPosition(server(0), QStringLiteral("general"), {{}, 100});
        QCOMPARE(savedServerCount(), AppSettings::MaxReadServers);
        QCOMPARE(settings.readPositions(server(0)).value(QStringLiteral("general")).seq, 100);
        for (int i = 1; i <= 5; ++i)
            QVERIFY2(settings.readPositions(server(i)).isEmpty(), qPrintable(server(i)));
        for (int i = 6; i < servers; ++i)
            QCOMPARE(settings.readPositions(server(i)).value(QStringLiteral("general")).seq, i);
    }

    void theRoomsUsedLastAreKept()
    {
        AppSettings settings;
        const int rooms = AppSettings::MaxReadRoomsPerServer + 3;
        for (int i = 0; i < rooms; ++i)
            settings.setReadPosition(server(1), QStringLiteral("room%1").arg(i), {{}, i});
        const auto positions = settings.readPositions(server(1));
        QCOMPARE(positions.size(), AppSettings::MaxReadRoomsPerServer);
        QVERIFY(!positions.contains(QStringLiteral("room0")));
        QVERIFY(!positions.contains(QStringLiteral("room2")));
        QCOMPARE(positions.value(QStringLiteral("room3")).seq, 3);
        QCOMPARE(positions.value(QStringLiteral("room%1").arg(rooms - 1)).seq, rooms - 1);
    }

    void positionsSavedByAnOlderNatterAreBoundedToo()
    {
        // 0.1 saved one map per server URL, with no record of use; a hosted server on a new port
        // each run made a new one each time.
        {
            QSettings old;
            for (int i = 0; i < AppSettings::MaxReadServers + 10; ++i)
                old.setValue(
                    QStringLiteral("read/old%1").arg(i),
                    QVariantMap{{QStringLiteral("general"), QStringList{QString(), QStringLiteral("3")}}});
        }
        AppSettings settings;
        settings.setReadPosition(server(1), QStringLiteral("general"), {{}, 5});
        QCOMPARE(savedServerCount(), AppSettings::MaxReadServers);
        QCOMPARE(settings.readPositions(server(1)).value(QStringLiteral("general")).seq, 5);
    }

    void theHostedServerIsOneServerWhateverItsPort()
    {
        const QString first = AppSettings::serverKey(QUrl(QStringLiteral("ws://127.0.0.1:8080")), true);
        const QString next = AppSettings::serverKey(QUrl(QStringLiteral("ws://127.0.0.1:40123")), true);
        QCOMPARE(first, next);
        QVERIFY(first != AppSettings::serverKey(QUrl(QStringLiteral("ws://127.0.0.1:8080")), false));
        QVERIFY(AppSettings::serverKey(QUrl(QStringLiteral("ws://a.example:8080")), false) !=
                AppSettings::serverKey(QUrl(QStringLiteral("ws://a.example:8081")), false));
    }
};

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// What the desktop app keeps between runs, and that it stays bounded.
#include "appsettings.h"
#include "uitestsupport.h"

#include <QSettings>
#include <QtTest>

namespace {

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

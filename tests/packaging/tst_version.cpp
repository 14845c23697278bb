// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandresult.h"

#include <QtTest>

// Every executable reports the one version set in the top-level CMakeLists.txt.
class TestVersion : public QObject
{
    Q_OBJECT

private slots:
    void versionOption_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("executable");
        QTest::newRow("natter") << QStringLiteral("natter") << QStringLiteral(NATTER_EXECUTABLE);
        QTest::newRow("natter-cli") << QStringLiteral("natter-cli") << QStringLiteral(NATTER_CLI_EXECUTABLE);
        QTest::newRow("natter-server")
            << QStringLiteral("natter-server") << QStringLiteral(NATTER_SERVER_EXECUTABLE);
    }

    void versionOption()
    {
        QFETCH(QString, name);
        QFETCH(QString, executable);
        if (executable.isEmpty())
            QSKIP(qPrintable(name + QLatin1String(" is not built in this tree")));

        const auto run = CommandResult::run(executable, {QStringLiteral("--version")}, 30000);
        QVERIFY2(run.succeeded(), qPrintable(run.describe()));
        // One line, "<name> <version>", as QCommandLineParser prints it and scripts parse it.
        const QStringList lines = QString::fromUtf8(run.out).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.constFirst(), name + QLatin1Char(' ') + QLatin1String(NATTER_VERSION));
    }
};

QTEST_GUILESS_MAIN(TestVersion)
#include "tst_version.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandresult.h"

#include <QDirIterator>
#include <QXmlStreamReader>
#include <QtEndian>
#include <QtTest>

namespace {

const QString AppId = QStringLiteral("org.natter.Natter");

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The long options a QCommandLineParser --help lists ("  -h, --help", "  --port <port>").
QStringList helpOptions(const QByteArray &help)
{
    static const QRegularExpression option(QStringLiteral("^\\s+(?:-\\w, )?--([\\w-]+)"),
                                           QRegularExpression::MultilineOption);
    QStringList options;
    auto it = option.globalMatch(QString::fromUtf8(help));
    while (it.hasNext())
        options.append(it.next().captured(1));
    return options;
}

// The values of one group of a desktop entry (no localised keys needed here).
QHash<QString, QString> desktopEntry(const QByteArray &text)
{
    QHash<QString, QString> values;
    bool inGroup = false;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.startsWith(QLatin1Char('['))) {
            inGroup = line == QLatin1String("[Desktop Entry]");
        } else if (inGroup && line.contains(QLatin1Char('=')) && !line.startsWith(QLatin1Char('#'))) {
            const qsizetype eq = line.indexOf(QLatin1Char('='));
            values.insert(line.left(eq).trimmed(), line.mid(eq + 1).trimmed());
        }
    }
    return values;
}

} // namespace

// `cmake --install` puts the executables, the desktop integration, the man pages and the
// service where a Linux desktop and systemd look for them, and each of them validates.
class TestInstall : public QObject
{
    Q_OBJECT

    QTemporaryDir m_destDir;

    // Where `relative` (under the /usr prefix) ended up in the temporary DESTDIR.
    QString installed(const QString &relative) const
    {
        return m_destDir.path() + QLatin1String("/usr/") + relative;
    }
    QString installedBinary(const QString &name) const
    {
        return installed(QLatin1String(NATTER_INSTALL_BINDIR "/") + name);
    }
    QString desktopFile() const
    {
        return installed(QLatin1String(NATTER_INSTALL_DATADIR "/applications/") + AppId +
                         QLatin1String(".desktop"));
    }
    QString metainfoFile() const
    {
        return installed(QLatin1String(NATTER_INSTALL_DATADIR "/metainfo/") + AppId +
                         QLatin1String(".metainfo.xml"));
    }
    QString manPage(const QString &name) const
    {
        return installed(QLatin1String(NATTER_INSTALL_MANDIR "/man1/") + name + QLatin1String(".1"));
    }
    // The unit directory is a cache variable; find the unit wherever it was put.
    QString unitFile() const
    {
        QDirIterator it(m_destDir.path(), {QStringLiteral("natter-server.service")}, QDir::Files,
                        QDirIterator::Subdirectories);
        return it.hasNext() ? it.next() : QString();
    }

    static void addExecutableRows()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("built");
        QTest::newRow("natter") << QStringLiteral("natter") << QStringLiteral(NATTER_EXECUTABLE);
        QTest::newRow("natter-cli") << QStringLiteral("natter-cli") << QStringLiteral(NATTER_CLI_EXECUTABLE);
        QTest::newRow("natter-server")
            << QStringLiteral("natter-server") << QStringLiteral(NATTER_SERVER_EXECUTABLE);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_destDir.isValid());
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("DESTDIR"), m_destDir.path());
        const auto install =
            CommandResult::run(QStringLiteral(NATTER_CMAKE_COMMAND),
                               {QStringLiteral("--install"), QStringLiteral(NATTER_BUILD_DIR),
                                QStringLiteral("--prefix"), QStringLiteral("/usr")},
                               120000, environment);
        QVERIFY2(install.succeeded(), qPrintable(install.describe()));
    }

    void executableInstalled_data() { addExecutableRows(); }
    void executableInstalled()
    {
        QFETCH(QString, name);
        QFETCH(QString, built);
        if (built.isEmpty())
            QSKIP(qPrintable(name + QLatin1String(" is not built in this tree")));
        const QFileInfo binary(installedBinary(name));
        QVERIFY2(binary.isFile() && binary.isExecutable(), qPrintable(binary.filePath()));
    }

    void desktopEntryValidates()
    {
        if (QLatin1String(NATTER_EXECUTABLE).isEmpty())
            QSKIP("natter is not built in this tree, so its desktop entry is not installed");
        const QString validator = CommandResult::findTool(QStringLiteral("desktop-file-validate"));
        QVERIFY2(!validator.isEmpty(), CommandResult::missingTool(QStringLiteral("desktop-file-validate"),
                                                                  QStringLiteral("desktop-file-utils")));
        QVERIFY2(QFileInfo::exists(desktopFile()), qPrintable(desktopFile()));

        const auto validate = CommandResult::run(validator, {desktopFile()});
        QVERIFY2(validate.succeeded(), qPrintable(validate.describe()));
        // Warnings and hints still exit 0; the entry should have none.
        QVERIFY2(validate.out.trimmed().isEmpty() && validate.err.trimmed().isEmpty(),
                 qPrintable(validate.describe()));
    }

    void desktopEntryLaunchesInstalledApp()
    {
        if (QLatin1String(NATTER_EXECUTABLE).isEmpty())
            QSKIP("natter is not built in this tree, so its desktop entry is not installed");
        const auto entry = desktopEntry(readFile(desktopFile()));
        QCOMPARE(entry.value(QStringLiteral("Exec")), QStringLiteral("natter"));
        QVERIFY(QFileInfo(installedBinary(QStringLiteral("natter"))).isExecutable());
        QCOMPARE(entry.value(QStringLiteral("Icon")), AppId);
        QVERIFY(QFileInfo::exists(
            installed(QLatin1String(NATTER_INSTALL_DATADIR "/icons/hicolor/scalable/apps/") + AppId +
                      QLatin1String(".svg"))));
        const QStringList categories = entry.value(QStringLiteral("Categories")).split(QLatin1Char(';'));
        for (const char *category : {"Network", "Chat", "InstantMessaging"})
            QVERIFY2(categories.contains(QLatin1String(category)), category);
        QVERIFY(!entry.value(QStringLiteral("StartupWMClass")).isEmpty());
        QVERIFY(!entry.value(QStringLiteral("Keywords")).isEmpty());
    }

    void metainfoValidates()
    {
        if (QLatin1String(NATTER_EXECUTABLE).isEmpty())
            QSKIP("natter is not built in this tree, so its metainfo is not installed");
        const QString appstreamcli = CommandResult::findTool(QStringLiteral("appstreamcli"));
        QVERIFY2(!appstreamcli.isEmpty(),
                 CommandResult::missingTool(QStringLiteral("appstreamcli"), QStringLiteral("appstream")));
        QVERIFY2(QFileInfo::exists(metainfoFile()), qPrintable(metainfoFile()));

        const auto validate = CommandResult::run(
            appstreamcli, {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfoFile()});
        QVERIFY2(validate.succeeded(), qPrintable(validate.describe()));
        // The tree check also finds the desktop entry the metainfo launches.
        const auto tree = CommandResult::run(
            appstreamcli, {QStringLiteral("validate-tree"), QStringLiteral("--no-net"), m_destDir.path()});
        QVERIFY2(tree.succeeded(), qPrintable(tree.describe()));
    }

    void metainfoNewestReleaseIsProjectVersion()
    {
        if (QLatin1String(NATTER_EXECUTABLE).isEmpty())
            QSKIP("natter is not built in this tree, so its metainfo is not installed");
        QXmlStreamReader xml(readFile(metainfoFile()));
        QString version;
        QString date;
        while (version.isEmpty() && xml.readNextStartElement()) {
            if (xml.name() == QLatin1String("component") || xml.name() == QLatin1String("releases"))
                continue; // descend
            if (xml.name() == QLatin1String("release")) {
                version = xml.attributes().value(QLatin1String("version")).toString();
                date = xml.attributes().value(QLatin1String("date")).toString();
            } else {
                xml.skipCurrentElement();
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(version, QStringLiteral(NATTER_VERSION));
        QVERIFY(QDate::fromString(date, Qt::ISODate).isValid());
    }

    void pngIcon_data()
    {
        QTest::addColumn<int>("size");
        for (int size : {16, 24, 32, 48, 64, 128, 256})
            QTest::addRow("%dx%d", size, size) << size;
    }
    void pngIcon()
    {
        if (QLatin1String(NATTER_EXECUTABLE).isEmpty())
            QSKIP("natter is not built in this tree, so its icons are not installed");
        QFETCH(int, size);
        const QString path =
            installed(QStringLiteral(NATTER_INSTALL_DATADIR "/icons/hicolor/%1x%1/apps/").arg(size) + AppId +
                      QLatin1String(".png"));
        const QByteArray png = readFile(path);
        // A PNG's signature, then the IHDR chunk with width and height as big-endian integers.
        QVERIFY2(png.startsWith("\x89PNG\r\n\x1a\n") && png.mid(12, 4) == "IHDR", qPrintable(path));
        QCOMPARE(int(qFromBigEndian<quint32>(png.constData() + 16)), size);
        QCOMPARE(int(qFromBigEndian<quint32>(png.constData() + 20)), size);
    }

    void scalableIcon()
    {
        if (QLatin1String(NATTER_EXECUTABLE).isEmpty())
            QSKIP("natter is not built in this tree, so its icons are not installed");
        QXmlStreamReader xml(
            readFile(installed(QLatin1String(NATTER_INSTALL_DATADIR "/icons/hicolor/scalable/apps/") + AppId +
                               QLatin1String(".svg"))));
        QVERIFY(xml.readNextStartElement());
        QCOMPARE(xml.name(), QLatin1String("svg"));
        const QStringList viewBox =
            xml.attributes().value(QLatin1String("viewBox")).toString().split(QLatin1Char(' '));
        QCOMPARE(viewBox.size(), 4);
        QCOMPARE(viewBox.at(2), viewBox.at(3)); // square, as icon themes expect
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    }

    // Every option `--help` lists is described in the installed man page, which carries the version.
    void manPageDocumentsEveryOption_data() { addExecutableRows(); }
    void manPageDocumentsEveryOption()
    {
        QFETCH(QString, name);
        QFETCH(QString, built);
        if (built.isEmpty())
            QSKIP(qPrintable(name + QLatin1String(" is not built in this tree")));
        const QByteArray roff = readFile(manPage(name));
        QVERIFY2(!roff.isEmpty(), qPrintable(manPage(name)));
        const QString page = QString::fromUtf8(roff).replace(QLatin1String("\\-"), QLatin1String("-"));
        QVERIFY2(page.contains(QLatin1String("Natter " NATTER_VERSION)),
                 "the .TH line names another version");

        const auto help = CommandResult::run(built, {QStringLiteral("--help")}, 30000);
        QVERIFY2(help.succeeded(), qPrintable(help.describe()));
        const QStringList options = helpOptions(help.out);
        QVERIFY2(options.contains(QLatin1String("help")), help.out.constData());
        for (const QString &option : options) {
            const QRegularExpression documented(QLatin1String("--") + QRegularExpression::escape(option) +
                                                QLatin1String("(?![\\w-])"));
            QVERIFY2(page.contains(documented),
                     qPrintable(QStringLiteral("%1(1) does not describe --%2").arg(name, option)));
        }
    }

    void manPageRendersWithoutWarnings_data() { addExecutableRows(); }
    void manPageRendersWithoutWarnings()
    {
        QFETCH(QString, name);
        QFETCH(QString, built);
        if (built.isEmpty())
            QSKIP(qPrintable(name + QLatin1String(" is not built in this tree")));
        const QString groff = CommandResult::findTool(QStringLiteral("groff"));
        if (groff.isEmpty())
            QSKIP("groff is not installed (Debian package groff-base), so the man page cannot be rendered");
        const auto render = CommandResult::run(
            groff, {QStringLiteral("-man"), QStringLiteral("-ww"), QStringLiteral("-z"), manPage(name)});
        QVERIFY2(render.succeeded() && render.err.isEmpty(), qPrintable(render.describe()));
    }

    void serviceUnitRunsInstalledServerWithShippedOptions()
    {
        if (QLatin1String(NATTER_SERVER_EXECUTABLE).isEmpty())
            QSKIP("natter-server is not built in this tree, so its service is not installed");
        const QString unit = unitFile();
        QVERIFY2(!unit.isEmpty(), "natter-server.service is not installed");
        const QString text = QString::fromUtf8(readFile(unit));
        QVERIFY(text.contains(
            QLatin1String("\nExecStart=/usr/" NATTER_INSTALL_BINDIR "/natter-server $NATTER_SERVER_ARGS\n")));
        QVERIFY(text.contains(QLatin1String("\nEnvironmentFile=-/etc/default/natter-server\n")));
        QVERIFY(text.contains(QLatin1String("\nDynamicUser=yes\n")));
        // The user database's home: systemd creates it and passes it as STATE_DIRECTORY.
        QVERIFY(text.contains(QLatin1String("\nStateDirectory=natter-server\n")));

        // The shipped arguments are ones the server accepts.
        const QString environment =
            QString::fromUtf8(readFile(m_destDir.path() + QLatin1String("/etc/default/natter-server")));
        const QRegularExpressionMatch args =
            QRegularExpression(QStringLiteral("^NATTER_SERVER_ARGS=\"([^\"]*)\"$"),
                               QRegularExpression::MultilineOption)
                .match(environment);
        QVERIFY2(args.hasMatch(), qPrintable(environment));
        const auto help =
            CommandResult::run(QStringLiteral(NATTER_SERVER_EXECUTABLE), {QStringLiteral("--help")});
        QVERIFY2(help.succeeded(), qPrintable(help.describe()));
        const QStringList known = helpOptions(help.out);
        for (const QString &word : args.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (word.startsWith(QLatin1String("--")))
                QVERIFY2(known.contains(word.mid(2)), qPrintable(word));
        }
    }

    void serviceUnitVerifies()
    {
        if (QLatin1String(NATTER_SERVER_EXECUTABLE).isEmpty())
            QSKIP("natter-server is not built in this tree, so its service is not installed");
        const QString analyze = CommandResult::findTool(QStringLiteral("systemd-analyze"));
        if (analyze.isEmpty())
            QSKIP("systemd-analyze is not installed (Debian package systemd), so the unit cannot be checked");
        const QString unit = unitFile().mid(m_destDir.path().size()); // as seen inside the root
        QVERIFY(!unit.isEmpty());

        // Unknown keys and a missing ExecStart binary fail; units outside the root are not followed.
        const auto verify = CommandResult::run(analyze, {QStringLiteral("verify"), QStringLiteral("--man=no"),
                                                         QStringLiteral("--recursive-errors=no"),
                                                         QLatin1String("--root=") + m_destDir.path(), unit});
        QVERIFY2(verify.succeeded() && verify.err.trimmed().isEmpty(), qPrintable(verify.describe()));

        // systemd's own exposure score (0 = locked down, 10 = unprotected) stays at most 2.0.
        const auto security = CommandResult::run(
            analyze, {QStringLiteral("security"), QStringLiteral("--offline=yes"),
                      QStringLiteral("--threshold=20"), QLatin1String("--root=") + m_destDir.path(), unit});
        QVERIFY2(security.succeeded(), qPrintable(security.describe()));
    }
};

QTEST_GUILESS_MAIN(TestInstall)
#include "tst_install.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandresult.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <unistd.h>

namespace {

// Package name -> executables it must ship; a package is expected when one of them is built.
struct PackageSpec
{
    QString name;
    QStringList builtExecutables;
};

QList<PackageSpec> expectedPackages()
{
    QList<PackageSpec> packages;
    PackageSpec client{QStringLiteral("natter"), {}};
    if (!QLatin1String(NATTER_EXECUTABLE).isEmpty())
        client.builtExecutables.append(QStringLiteral("natter"));
    if (!QLatin1String(NATTER_CLI_EXECUTABLE).isEmpty())
        client.builtExecutables.append(QStringLiteral("natter-cli"));
    if (!client.builtExecutables.isEmpty())
        packages.append(client);
    if (!QLatin1String(NATTER_SERVER_EXECUTABLE).isEmpty())
        packages.append({QStringLiteral("natter-server"), {QStringLiteral("natter-server")}});
    return packages;
}

// "Field: value" lines of a control file, continuation lines dropped.
QHash<QString, QString> parseControl(const QByteArray &control)
{
    QHash<QString, QString> fields;
    for (const QByteArray &line : control.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (line.isEmpty() || line.startsWith(' ') || colon < 0)
            continue;
        fields.insert(QString::fromUtf8(line.left(colon)), QString::fromUtf8(line.mid(colon + 1)).trimmed());
    }
    return fields;
}

} // namespace

// cpack turns this build into the natter and natter-server packages; they carry the project's
// version and real library dependencies, install with dpkg into an empty root, run from there,
// and purge cleanly.
class TestDeb : public QObject
{
    Q_OBJECT

    QTemporaryDir m_work;
    QHash<QString, QString> m_debs; // package name -> .deb path

    QString root() const { return m_work.path() + QLatin1String("/root"); }
    QString installedBinary(const QString &name) const
    {
        return root() + QLatin1String("/usr/" NATTER_INSTALL_BINDIR "/") + name;
    }

    // dpkg acting on the empty root. Maintainer scripts run outside it (there is no shell inside)
    // and see DPKG_ROOT, which keeps them away from this machine's systemd. Dependencies are
    // libraries installed on this machine, not in the root's database.
    static CommandResult dpkg(const QString &root, const QStringList &arguments)
    {
        QStringList full{QLatin1String("--root=") + root, QStringLiteral("--log=/dev/null"),
                         QStringLiteral("--force-not-root"), QStringLiteral("--force-script-chrootless"),
                         QStringLiteral("--force-depends")};
        full += arguments;
        if (geteuid() == 0)
            return CommandResult::run(QStringLiteral("dpkg"), full, 120000);
        // Files in a package belong to root; fakeroot lets an ordinary user unpack them.
        return CommandResult::run(QStringLiteral("fakeroot"), QStringList{QStringLiteral("dpkg")} + full,
                                  120000);
    }

    QString packageStatus(const QString &package) const
    {
        const auto query =
            CommandResult::run(QStringLiteral("dpkg-query"),
                               {QLatin1String("--admindir=") + root() + QLatin1String("/var/lib/dpkg"),
                                QStringLiteral("-W"), QStringLiteral("-f=${Status}"), package});
        return query.succeeded() ? QString::fromUtf8(query.out) : QString();
    }

    static void addPackageRows()
    {
        QTest::addColumn<QString>("package");
        for (const auto &spec : expectedPackages())
            QTest::newRow(qPrintable(spec.name)) << spec.name;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QVERIFY2(!CommandResult::findTool(QStringLiteral("dpkg-shlibdeps")).isEmpty(),
                 CommandResult::missingTool(QStringLiteral("dpkg-shlibdeps"), QStringLiteral("dpkg-dev")));
        QVERIFY2(!CommandResult::findTool(QStringLiteral("file")).isEmpty(),
                 CommandResult::missingTool(QStringLiteral("file"), QStringLiteral("file")));
        if (geteuid() != 0) {
            QVERIFY2(!CommandResult::findTool(QStringLiteral("fakeroot")).isEmpty(),
                     CommandResult::missingTool(QStringLiteral("fakeroot"), QStringLiteral("fakeroot")));
        }

        // Package the binaries already built here, into a directory of our own.
        const QString out = m_work.path() + QLatin1String("/debs");
        const auto cpack = CommandResult::run(
            QStringLiteral(NATTER_CPACK_COMMAND),
            {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
             QStringLiteral(NATTER_BUILD_DIR "/CPackConfig.cmake"), QStringLiteral("-B"), out},
            200000);
        QVERIFY2(cpack.succeeded(), qPrintable(cpack.describe()));
        const QStringList debs = QDir(out).entryList({QStringLiteral("*.deb")}, QDir::Files);
        for (const QString &deb : debs)
            m_debs.insert(deb.section(QLatin1Char('_'), 0, 0), out + QLatin1Char('/') + deb);

        QVERIFY(QDir().mkpath(root() + QLatin1String("/var/lib/dpkg/info")));
        QVERIFY(QDir().mkpath(root() + QLatin1String("/var/lib/dpkg/updates")));
        QFile status(root() + QLatin1String("/var/lib/dpkg/status"));
        QVERIFY(status.open(QIODevice::WriteOnly));
    }

    void eachComponentIsOnePackage()
    {
        QStringList expected;
        for (const auto &spec : expectedPackages())
            expected.append(spec.name);
        QStringList built = m_debs.keys();
        built.sort();
        expected.sort();
        QCOMPARE(built, expected);
    }

    void controlFields_data() { addPackageRows(); }
    void controlFields()
    {
        QFETCH(QString, package);
        QVERIFY2(m_debs.contains(package), qPrintable(package));
        const auto info =
            CommandResult::run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_debs.value(package)});
        QVERIFY2(info.succeeded(), qPrintable(info.describe()));
        const auto fields = parseControl(info.out);

        QCOMPARE(fields.value(QStringLiteral("Package")), package);
        QCOMPARE(fields.value(QStringLiteral("Version")), QStringLiteral(NATTER_VERSION));
        const auto arch =
            CommandResult::run(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")});
        QCOMPARE(fields.value(QStringLiteral("Architecture")), QString::fromUtf8(arch.out).trimmed());
        QVERIFY(fields.value(QStringLiteral("Maintainer")).contains(QLatin1Char('@')));
        QCOMPARE(fields.value(QStringLiteral("Section")), QStringLiteral("net"));
        QVERIFY(!fields.value(QStringLiteral("Description")).isEmpty());
        // dpkg-shlibdeps found the Qt libraries the executables link, with versions.
        const QString depends = fields.value(QStringLiteral("Depends"));
        QVERIFY2(depends.contains(QRegularExpression(QStringLiteral("\\blibqt6core6[^,]*\\(>= "))),
                 qPrintable(depends));
        // The clients speak WebSocket through Qt; the server frames it itself, on Qt Network.
        if (package == QLatin1String("natter-server")) {
            QVERIFY2(depends.contains(QLatin1String("libqt6network6")), qPrintable(depends));
            QVERIFY2(!depends.contains(QLatin1String("libwslay")), qPrintable(depends));
        } else {
            QVERIFY2(depends.contains(QLatin1String("libqt6websockets6")), qPrintable(depends));
        }
        // Qt HttpServer serves natter-server's /metrics; the desktop app, which hosts a server
        // too, does not link it.
        QCOMPARE(depends.contains(QLatin1String("libqt6httpserver6")),
                 package == QLatin1String("natter-server"));
        // The SQLite driver is a plugin, which dpkg-shlibdeps cannot see: named by hand (the server's
        // message store, the clients' message cache).
        QVERIFY2(depends.contains(QLatin1String("libqt6sql6-sqlite")), qPrintable(depends));
        // The keyring for login tokens: QtKeychain is linked, libsecret is loaded at run time.
        if (package == QLatin1String("natter")) {
            QVERIFY2(depends.contains(QLatin1String("libqt6keychain1")), qPrintable(depends));
            QVERIFY2(fields.value(QStringLiteral("Recommends")).contains(QLatin1String("libsecret-1-0")),
                     qPrintable(fields.value(QStringLiteral("Recommends"))));
            // Reactions and the emoji picker need a colour emoji font.
            QVERIFY2(
                fields.value(QStringLiteral("Recommends")).contains(QLatin1String("fonts-noto-color-emoji")),
                qPrintable(fields.value(QStringLiteral("Recommends"))));
            // Qt's own translations, for the standard buttons of dialogs.
            QVERIFY2(
                fields.value(QStringLiteral("Recommends")).contains(QLatin1String("qt6-translations-l10n")),
                qPrintable(fields.value(QStringLiteral("Recommends"))));
        }
        // Each is a real package, installed here since the executables were linked against it,
        // so `apt install ./natter_*.deb` can resolve them.
        for (const QString &dependency : depends.split(QLatin1Char(','))) {
            const QString name =
                dependency.section(QLatin1Char('|'), 0, 0).section(QLatin1Char('('), 0, 0).trimmed();
            const auto query = CommandResult::run(QStringLiteral("dpkg-query"), {QStringLiteral("-W"), name});
            QVERIFY2(query.succeeded(), qPrintable(query.describe()));
        }
    }

    void contents_data() { addPackageRows(); }
    void contents()
    {
        QFETCH(QString, package);
        QVERIFY2(m_debs.contains(package), qPrintable(package));
        const auto list =
            CommandResult::run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), m_debs.value(package)});
        QVERIFY2(list.succeeded(), qPrintable(list.describe()));
        QStringList files;
        for (const QByteArray &line : list.out.split('\n')) {
            if (line.isEmpty())
                continue;
            const QStringList columns = QString::fromUtf8(line).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            QCOMPARE(columns.value(1), QStringLiteral("root/root"));
            if (!line.startsWith('d'))
                files.append(columns.constLast().mid(1)); // "./usr/bin/x" -> "/usr/bin/x"
        }

        QStringList expected;
        const QString bin = QStringLiteral("/usr/" NATTER_INSTALL_BINDIR "/");
        const QString share = QStringLiteral("/usr/" NATTER_INSTALL_DATADIR "/");
        const QString man1 = QStringLiteral("/usr/" NATTER_INSTALL_MANDIR "/man1/");
        for (const auto &spec : expectedPackages()) {
            if (spec.name != package)
                continue;
            for (const QString &exe : spec.builtExecutables)
                expected << bin + exe << man1 + exe + QLatin1String(".1");
        }
        if (package == QLatin1String("natter") && !QLatin1String(NATTER_EXECUTABLE).isEmpty()) {
            expected << share + QLatin1String("applications/org.natter.Natter.desktop")
                     << share + QLatin1String("metainfo/org.natter.Natter.metainfo.xml")
                     << share + QLatin1String("icons/hicolor/scalable/apps/org.natter.Natter.svg");
            for (int size : {16, 24, 32, 48, 64, 128, 256})
                expected << share +
                                QStringLiteral("icons/hicolor/%1x%1/apps/org.natter.Natter.png").arg(size);
        }
        // Debian policy 12.5: GPL-3.0-or-later, stated in a machine-readable copyright file.
        expected << share + QStringLiteral("doc/%1/copyright").arg(package);
        if (package == QLatin1String("natter-server")) {
            expected << QStringLiteral("/etc/default/natter-server");
            QVERIFY2(
                files.filter(QRegularExpression(QStringLiteral("/systemd/system/natter-server\\.service$")))
                        .size() == 1,
                qPrintable(files.join(QLatin1Char('\n'))));
        }
        // An executable missing here usually means its install(TARGETS) rule names no COMPONENT.
        const QString component =
            package == QLatin1String("natter") ? QStringLiteral("client") : QStringLiteral("server");
        for (const QString &file : expected) {
            QVERIFY2(files.contains(file),
                     qPrintable(QStringLiteral("%1 lacks %2 (is it installed with COMPONENT %3?)")
                                    .arg(package, file, component)));
        }
    }

    void packagesShareNoFiles()
    {
        QSet<QString> seen;
        for (const QString &deb : std::as_const(m_debs)) {
            const auto list = CommandResult::run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), deb});
            QVERIFY2(list.succeeded(), qPrintable(list.describe()));
            for (const QByteArray &line : list.out.split('\n')) {
                if (line.isEmpty() || line.startsWith('d'))
                    continue;
                const QString file = QString::fromUtf8(line).section(QLatin1Char(' '), -1);
                QVERIFY2(!seen.contains(file), qPrintable(file + QLatin1String(" is in two packages")));
                seen.insert(file);
            }
        }
    }

    void serverConfigurationIsConffile()
    {
        if (!m_debs.contains(QStringLiteral("natter-server")))
            QSKIP("natter-server is not built in this tree");
        const auto conffiles = CommandResult::run(
            QStringLiteral("dpkg-deb"), {QStringLiteral("-I"), m_debs.value(QStringLiteral("natter-server")),
                                         QStringLiteral("conffiles")});
        QVERIFY2(conffiles.succeeded(), qPrintable(conffiles.describe()));
        QCOMPARE(conffiles.out.trimmed(), QByteArray("/etc/default/natter-server"));
    }

    void installIntoEmptyRoot()
    {
        const auto install = dpkg(root(), QStringList{QStringLiteral("--install")} + m_debs.values());
        QVERIFY2(install.succeeded(), qPrintable(install.describe()));
        for (const QString &package : m_debs.keys())
            QCOMPARE(packageStatus(package), QStringLiteral("install ok installed"));
        for (const auto &spec : expectedPackages()) {
            for (const QString &exe : spec.builtExecutables)
                QVERIFY2(QFileInfo(installedBinary(exe)).isExecutable(), qPrintable(installedBinary(exe)));
        }
    }

    // The packaged server starts, and the packaged terminal client connects to it.
    void installedServerAnswersInstalledCli()
    {
        if (QLatin1String(NATTER_SERVER_EXECUTABLE).isEmpty() ||
            QLatin1String(NATTER_CLI_EXECUTABLE).isEmpty())
            QSKIP("needs both natter-server and natter-cli, and one is not built in this tree");
        QProcess server;
        QByteArray serverOut;
        connect(&server, &QProcess::readyReadStandardOutput, this,
                [&] { serverOut += server.readAllStandardOutput(); });
        server.start(installedBinary(QStringLiteral("natter-server")),
                     {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                      QStringLiteral("0")});
        QVERIFY2(server.waitForStarted(10000), qPrintable(server.errorString()));
        const QRegularExpression listening(
            QStringLiteral("natter-server listening on (ws://127\\.0\\.0\\.1:\\d+)"));
        QTRY_VERIFY2_WITH_TIMEOUT(listening.match(QString::fromUtf8(serverOut)).hasMatch(),
                                  serverOut.constData(), 10000);
        const QString url = listening.match(QString::fromUtf8(serverOut)).captured(1);

        QProcess cli;
        QByteArray cliOut;
        QJsonObject connected;
        connect(&cli, &QProcess::readyReadStandardOutput, this, [&] {
            cliOut += cli.readAllStandardOutput();
            for (const QByteArray &line : cliOut.split('\n')) {
                const QJsonObject event = QJsonDocument::fromJson(line).object();
                if (event.value(QLatin1String("event")) == QLatin1String("connected"))
                    connected = event;
            }
        });
        cli.start(installedBinary(QStringLiteral("natter-cli")),
                  {QStringLiteral("--url"), url, QStringLiteral("--user"), QStringLiteral("packager"),
                   QStringLiteral("--outbox"), m_work.path() + QLatin1String("/outbox.json")});
        QVERIFY2(cli.waitForStarted(10000), qPrintable(cli.errorString()));
        QTRY_VERIFY2_WITH_TIMEOUT(!connected.isEmpty(), cliOut.constData(), 10000);
        // The server names itself with the project's version.
        QCOMPARE(connected.value(QLatin1String("server")).toString(),
                 QStringLiteral("natter-server/" NATTER_VERSION));

        cli.write("/quit\n");
        cli.closeWriteChannel();
        QVERIFY2(cli.waitForFinished(10000), cli.readAllStandardError().constData());
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QCOMPARE(cli.exitCode(), 0);

        // SIGTERM, as systemd stops the service, ends the server cleanly.
        server.terminate();
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
    }

    void installedDesktopAppShowsHelp()
    {
        if (QLatin1String(NATTER_EXECUTABLE).isEmpty())
            QSKIP("natter is not built in this tree");
        // QT_QPA_PLATFORM=offscreen comes from the test's environment.
        const auto help =
            CommandResult::run(installedBinary(QStringLiteral("natter")), {QStringLiteral("--help")}, 30000);
        QVERIFY2(help.succeeded(), qPrintable(help.describe()));
        QVERIFY2(help.out.contains("--url"), help.out.constData());
    }

    void purgeRemovesEverything()
    {
        const auto purge = dpkg(root(), QStringList{QStringLiteral("--purge")} + m_debs.keys());
        QVERIFY2(purge.succeeded(), qPrintable(purge.describe()));
        for (const QString &package : m_debs.keys())
            QVERIFY2(packageStatus(package).isEmpty() ||
                         packageStatus(package).contains(QLatin1String("not-installed")),
                     qPrintable(package + QLatin1String(": ") + packageStatus(package)));
        // Nothing is left but dpkg's own database.
        QStringList left;
        QDirIterator it(root(), QDir::Files | QDir::System | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            if (!file.startsWith(root() + QLatin1String("/var/lib/dpkg/")))
                left.append(file);
        }
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestDeb)
#include "tst_deb.moc"

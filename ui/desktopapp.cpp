// SPDX-License-Identifier: GPL-3.0-or-later
// The natter desktop app: parse the command line, then let AppLauncher put the parts together.
#include "desktopapp.h"

#include "applauncher.h"
#include "appsettings.h"
#include "apptranslations.h"
#include "connectdialog.h"
#include "launchoptions.h"
#include "mainwindow.h"
#include "messageview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QIcon>
#include <QTimer>

#include <time.h>
#include <unistd.h>

namespace {

// Milliseconds since the kernel started this process (/proc/self/stat's starttime, in clock
// ticks since boot), so the time to load the libraries counts too; -1 where that is unknown.
qint64 msSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    const int close = line.lastIndexOf(')'); // the command name may hold spaces
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    constexpr int StartTimeField = 22 - 3; // field 22, counted after "pid (comm) "
    timespec now{};
    if (close < 0 || fields.size() <= StartTimeField || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    const double startMs = fields.at(StartTimeField).toDouble() * 1000.0 / ticks;
    return qint64(double(now.tv_sec) * 1000.0 + double(now.tv_nsec) / 1e6 - startMs);
}

// NATTER_REPORT_STARTUP=1 prints when the first messages reach the screen; "quit" quits then
// too (tools/bench.sh startup).
void reportStartup(MainWindow *window, const QElapsedTimer &sinceMain)
{
    const QByteArray mode = qgetenv("NATTER_REPORT_STARTUP");
    if (mode.isEmpty() || mode == "0")
        return;
    QObject::connect(
        window->messageView(), &MessageView::firstRowsPainted, window, [mode, sinceMain](int rows) {
            const qint64 process = msSinceProcessStart();
            fprintf(stderr, "natter: first messages shown after %lld ms (%d rows; %lld ms since main)\n",
                    static_cast<long long>(process >= 0 ? process : sinceMain.elapsed()), rows,
                    static_cast<long long>(sinceMain.elapsed()));
            fflush(stderr);
            if (mode == "quit")
                QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        });
}

} // namespace

int DesktopApp::run(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Natter"));
    QApplication::setApplicationName(QStringLiteral("natter"));
    QApplication::setApplicationDisplayName(QStringLiteral("Natter"));
    QApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(NATTER_APP_ID));
    QIcon icon;
    for (int size : {16, 32, 64, 128, 256}) {
        const QString png = QStringLiteral(":/icons/" NATTER_APP_ID "-%1.png").arg(size);
        if (QFile::exists(png))
            icon.addFile(png, QSize(size, size));
    }
    QApplication::setWindowIcon(icon);

    // The system's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), English where Natter has none.
    AppTranslations translations;
    translations.install(QLocale::system());

    LaunchOptions options;
    if (!options.parse(QApplication::arguments())) {
        qCritical("natter: %s (see --help)", qPrintable(options.errorText()));
        return 2;
    }
    if (options.helpRequested())
        options.parser().showHelp();
    if (options.versionRequested())
        options.parser().showVersion();

    AppLauncher launcher;
    bool needsDialog = false;
    // The saved servers side by side (or `--server`'s for this run); the first may need asking.
    QList<ConnectionChoice> servers = options.resolveServers(*launcher.settings(), &needsDialog);
    if (needsDialog) {
        const std::optional<ConnectionChoice> answer = ConnectDialog::ask(servers.value(0));
        if (!answer)
            return 0;
        if (servers.isEmpty())
            servers.append(*answer);
        else
            servers.first() = *answer;
        // The others of a first `--server` run have no name yet: the one just chosen.
        for (ConnectionChoice &server : servers) {
            if (server.username.isEmpty())
                server.username = answer->username;
        }
    }
    launcher.start(servers, options.servers().isEmpty());
    reportStartup(launcher.window(), sinceMain);
    return app.exec();
}

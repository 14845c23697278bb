// SPDX-License-Identifier: GPL-3.0-or-later
// The natter desktop app: parse the command line, then let AppLauncher put the parts together.
#include "desktopapp.h"

#include "applauncher.h"
#include "appsettings.h"
#include "connectdialog.h"
#include "launchoptions.h"
#include "pluraltranslator.h"

#include <QApplication>
#include <QFile>
#include <QIcon>

int DesktopApp::run(int argc, char *argv[])
{
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

    PluralTranslator plurals;
    QApplication::installTranslator(&plurals);

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
    ConnectionChoice choice = options.resolve(*launcher.settings(), &needsDialog);
    if (needsDialog) {
        const std::optional<ConnectionChoice> answer = ConnectDialog::ask(choice);
        if (!answer)
            return 0;
        choice = *answer;
    }
    launcher.start(choice);
    return app.exec();
}

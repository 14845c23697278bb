// SPDX-License-Identifier: GPL-3.0-or-later
#include "clioptions.h"
#include "clisearch.h"
#include "clisession.h"
#include "unixsignalwatcher.h"

#include <QCoreApplication>

#include <csignal>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));

    int exitCode = 0;
    const std::optional<CliOptions> options = CliOptions::parse(app.arguments(), &exitCode);
    if (!options)
        return exitCode;
    if (options->search)
        return CliSearch::run(*options);

    CliSession session(*options);
    QObject::connect(&session, &CliSession::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    // Ctrl-C or a service stop ends like closed input: the outbox is flushed and saved, not lost.
    UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});
    QObject::connect(&signalWatcher, &UnixSignalWatcher::signalReceived, &session,
                     [&session](int) { session.finish(QStringLiteral("signal")); });
    session.start();
    return app.exec();
}

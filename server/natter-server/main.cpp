// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatserver.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <optional>

namespace {

// Reads an integer option within [min, max]; reports and returns nullopt when it is not one.
std::optional<qint64> intOption(const QCommandLineParser &parser, const QString &name, qint64 fallback,
                                qint64 min, qint64 max)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < min || value > max) {
        std::fprintf(stderr, "natter-server: --%s must be an integer from %lld to %lld, got '%s'\n",
                     qPrintable(name), static_cast<long long>(min), static_cast<long long>(max),
                     qPrintable(parser.value(name)));
        return std::nullopt;
    }
    return value;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-warning}warning %{endif}%{message}"));

    ServerConfig config;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Natter chat server (JSON over WebSocket)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("host"), QStringLiteral("Address to listen on (default %1).").arg(config.host),
         QStringLiteral("address")},
        {QStringLiteral("port"), QStringLiteral("Port to listen on; 0 picks a free one (default 8080)."),
         QStringLiteral("port")},
        {QStringLiteral("max-message-bytes"),
         QStringLiteral("Largest incoming message; larger ones close with 1009 (default 1048576)."),
         QStringLiteral("bytes")},
        {QStringLiteral("max-file-bytes"), QStringLiteral("Largest file upload (default 4294967296)."),
         QStringLiteral("bytes")},
        {QStringLiteral("history"), QStringLiteral("Chat messages kept per room (default 200)."),
         QStringLiteral("count")},
        {QStringLiteral("heartbeat-ms"),
         QStringLiteral("WebSocket ping interval, 0 for none (default 30000)."), QStringLiteral("ms")},
        {QStringLiteral("base-only"), QStringLiteral("Speak only the base protocol, with no extensions.")},
        {QStringLiteral("cert"),
         QStringLiteral("Serve wss:// with this PEM certificate (chain); needs --key."),
         QStringLiteral("file")},
        {QStringLiteral("key"), QStringLiteral("The PEM private key for --cert."), QStringLiteral("file")},
    });
    parser.process(app);
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "natter-server: unexpected argument '%s' (see --help)\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }

    const auto port = intOption(parser, QStringLiteral("port"), config.port, 0, 65535);
    const auto maxMessage = intOption(parser, QStringLiteral("max-message-bytes"), config.maxMessageBytes,
                                      ServerConfig::MinMessageBytes, qint64(1) << 31);
    const auto maxFile =
        intOption(parser, QStringLiteral("max-file-bytes"), config.maxFileBytes, 0, qint64(1) << 53);
    const auto history = intOption(parser, QStringLiteral("history"), config.historyLimit, 0, 1000000);
    const auto heartbeat = intOption(parser, QStringLiteral("heartbeat-ms"), config.heartbeatMs, 0, 86400000);
    if (!port || !maxMessage || !maxFile || !history || !heartbeat)
        return 2;
    if (parser.isSet(QStringLiteral("host")))
        config.host = parser.value(QStringLiteral("host"));
    config.port = quint16(*port);
    config.maxMessageBytes = *maxMessage;
    config.maxFileBytes = *maxFile;
    config.historyLimit = int(*history);
    config.heartbeatMs = int(*heartbeat);
    config.baseOnly = parser.isSet(QStringLiteral("base-only"));
    config.certificateFile = parser.value(QStringLiteral("cert"));
    config.privateKeyFile = parser.value(QStringLiteral("key"));
    if (config.certificateFile.isEmpty() != config.privateKeyFile.isEmpty()) {
        std::fprintf(stderr, "natter-server: --cert and --key go together (see --help)\n");
        return 2;
    }

    ChatServer server(config);
    if (!server.listen()) {
        std::fprintf(stderr, "natter-server: cannot listen on %s port %u: %s\n", qPrintable(config.host),
                     unsigned(config.port), qPrintable(server.errorString()));
        return 1;
    }
    std::printf("natter-server listening on %s\n", qPrintable(server.url().toString()));
    std::fflush(stdout);

    UnixSignalWatcher watcher({SIGINT, SIGTERM});
    QObject::connect(&watcher, &UnixSignalWatcher::signalReceived, &server, [&server](int number) {
        std::fprintf(stderr, "natter-server: signal %d, closing %d connection(s)\n", number,
                     server.clientCount());
        server.close();
    });
    QObject::connect(&server, &ChatServer::closed, &app, [] { QCoreApplication::exit(0); });
    return app.exec();
}

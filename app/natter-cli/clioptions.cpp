// SPDX-License-Identifier: GPL-3.0-or-later
#include "clioptions.h"

#include "intoption.h"
#include "passwordsource.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <limits>

namespace {
void complain(const QString &message)
{
    std::fprintf(stderr, "natter-cli: %s\n", qPrintable(message));
}

int clampInt(qint64 v)
{
    return int(std::min<qint64>(v, std::numeric_limits<int>::max()));
}

struct IntSetting
{
    IntOption option;
    void (*apply)(CliOptions &, qint64);
};

// Every interval and limit can be set from the command line, so tests can run in milliseconds.
QVector<IntSetting> intSettings()
{
    const CliOptions d; // its values are the defaults --help shows
    const ChatClient::Settings &s = d.settings;
    return {
        {{"initial-delay-ms", "First reconnect delay", s.initialDelayMs, 0, 3600000},
         [](CliOptions &o, qint64 v) {
             o.settings.initialDelayMs = clampInt(v);
         }},
        {{"max-delay-ms", "Longest reconnect delay", s.maxDelayMs, 0, 3600000},
         [](CliOptions &o, qint64 v) {
             o.settings.maxDelayMs = clampInt(v);
         }},
        {{"max-attempts", "Reconnect attempts before giving up; 0 = for ever", s.maxAttempts, 0, 1000000},
         [](CliOptions &o, qint64 v) {
             o.settings.maxAttempts = clampInt(v);
         }},
        {{"connect-timeout-ms", "Connect and handshake timeout", s.connectTimeoutMs, 1, 3600000},
         [](CliOptions &o, qint64 v) {
             o.settings.connectTimeoutMs = clampInt(v);
         }},
        {{"min-uptime-ms", "Uptime after which the attempt counter resets", s.minUptimeMs, 0, 3600000},
         [](CliOptions &o, qint64 v) {
             o.settings.minUptimeMs = clampInt(v);
         }},
        {{"ping-interval-ms", "Application ping interval", s.pingIntervalMs, 1, 3600000},
         [](CliOptions &o, qint64 v) {
             o.settings.pingIntervalMs = clampInt(v);
         }},
        {{"pong-timeout-ms", "No pong for this long = dead connection", s.pongTimeoutMs, 1, 3600000},
         [](CliOptions &o, qint64 v) {
             o.settings.pongTimeoutMs = clampInt(v);
         }},
        {{"typing-throttle-ms", "At most one outgoing typing notice this often", s.typingThrottleMs, 0,
          3600000},
         [](CliOptions &o, qint64 v) {
             o.settings.typingThrottleMs = clampInt(v);
         }},
        {{"typing-expiry-ms", "A typing indicator expires this long after its refresh", s.typingExpiryMs, 1,
          3600000},
         [](CliOptions &o, qint64 v) {
             o.settings.typingExpiryMs = clampInt(v);
         }},
        {{"outbox-max-messages", "Outbox capacity in messages", s.outboxMaxMessages, 1, 100000000},
         [](CliOptions &o, qint64 v) {
             o.settings.outboxMaxMessages = clampInt(v);
         }},
        {{"outbox-max-bytes", "Outbox capacity in bytes of text", s.outboxMaxBytes, 1, qint64(1) << 40},
         [](CliOptions &o, qint64 v) {
             o.settings.outboxMaxBytes = v;
         }},
        {{"outbox-save-delay-ms", "Outbox writes are coalesced this long", s.outboxSaveDelayMs, 0, 60000},
         [](CliOptions &o, qint64 v) {
             o.settings.outboxSaveDelayMs = clampInt(v);
         }},
        {{"max-download-bytes", "Refuse incoming files larger than this; 0 = the server's limit",
          d.maxDownloadBytes, 0, qint64(1) << 53},
         [](CliOptions &o, qint64 v) {
             o.maxDownloadBytes = v;
         }},
        {{"progress-interval-ms", "At most one progress event per file transfer this often",
          d.progressIntervalMs, 10, 3600000},
         [](CliOptions &o, qint64 v) {
             o.progressIntervalMs = clampInt(v);
         }},
        {{"cache-max-mb", "Local message cache: at most this many MiB; 0 = no limit",
          d.cacheLimits.maxBytes / (1024 * 1024), 0, qint64(1) << 30},
         [](CliOptions &o, qint64 v) {
             o.cacheLimits.maxBytes = v * 1024 * 1024;
         }},
        {{"cache-max-age-days", "Local message cache: forget messages older than this; 0 = no limit",
          d.cacheLimits.maxAgeDays, 0, 1000000},
         [](CliOptions &o, qint64 v) {
             o.cacheLimits.maxAgeDays = clampInt(v);
         }},
        {{"flush-timeout-ms",
          "At end of input, wait this long for the outbox to drain and for file transfers to make "
          "progress",
          d.flushTimeoutMs, 0, 3600000},
         [](CliOptions &o, qint64 v) {
             o.flushTimeoutMs = clampInt(v);
         }},
    };
}
} // namespace

std::optional<CliOptions> CliOptions::parse(const QStringList &arguments, int *exitCode)
{
    *exitCode = CliExit::BadArguments;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Natter chat in a terminal: reads lines from stdin (text = chat message, /join ROOM, "
        "/leave, /nick NAME, /send PATH, /search WORDS, /reconnect, /logout, /quit, ...) and prints one JSON "
        "event per "
        "line. See docs/CLI.md."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const ChatClient::Settings defaults;
    parser.addOptions({
        {QStringLiteral("url"),
         QStringLiteral("Server URL, e.g. ws://localhost:8080 (required). Repeat it for other addresses "
                        "(nodes) of the same server: reconnects go to the next one in turn; the first "
                        "names the server (token, cache, outbox)."),
         QStringLiteral("url")},
        {QStringLiteral("user"), QStringLiteral("User name (required)."), QStringLiteral("name")},
        {QStringLiteral("room"), QStringLiteral("Room to join."), QStringLiteral("room")},
        {QStringLiteral("backoff-factor"),
         QStringLiteral("Reconnect delay growth factor (default %1).").arg(defaults.backoffFactor),
         QStringLiteral("factor")},
        {QStringLiteral("jitter"),
         QStringLiteral("Random jitter of each delay, 0..1 (default %1).").arg(defaults.jitter),
         QStringLiteral("fraction")},
        {QStringLiteral("outbox"), QStringLiteral("Outbox file (default: in the app data directory)."),
         QStringLiteral("path")},
        {QStringLiteral("download-dir"),
         QStringLiteral("Receive files sent to the room and save them here (created if missing). Without "
                        "it, no files are received."),
         QStringLiteral("dir")},
        {QStringLiteral("trust-certificate"),
         QStringLiteral("wss:// only: accept the server certificate in this PEM file although it fails "
                        "verification (a self-signed server). May be repeated."),
         QStringLiteral("file")},
        {QStringLiteral("password-file"),
         QStringLiteral("Accounts mode: the password is the first line of this file, which must be readable "
                        "by you alone (chmod 600). Without it, the NATTER_PASSWORD environment variable."),
         QStringLiteral("file")},
        {QStringLiteral("register"),
         QStringLiteral("Accounts mode: create the account with the password when logging in (the server "
                        "must allow registration); an account that exists is logged in to instead.")},
        {QStringLiteral("cache"),
         QStringLiteral("Local message cache (SQLite) of what this client received, for /search and for "
                        "fetching only what was missed (default: cache.sqlite in the app data directory)."),
         QStringLiteral("path")},
        {QStringLiteral("no-cache"), QStringLiteral("Keep no local message cache.")},
        {QStringLiteral("search"),
         QStringLiteral("Print the cached messages of the --url server that contain all of these words as "
                        "searchResult lines, and exit (offline; --user not needed)."),
         QStringLiteral("words")},
        {QStringLiteral("token-dir"),
         QStringLiteral("Accounts mode: keep session tokens in this directory (default: tokens in the app "
                        "data directory; created with mode 0700, one file of mode 0600 per account)."),
         QStringLiteral("dir")},
    });
    const QVector<IntSetting> ints = intSettings();
    for (const IntSetting &i : ints)
        parser.addOption(i.option.commandLineOption());

    if (!parser.parse(arguments)) {
        complain(parser.errorText() + QStringLiteral(" (see --help)"));
        return std::nullopt;
    }
    if (parser.isSet(help)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        *exitCode = 0;
        return std::nullopt;
    }
    if (parser.isSet(version)) {
        std::printf("natter-cli %s\n", NATTER_VERSION);
        *exitCode = 0;
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        complain(QStringLiteral("unexpected argument '%1' (see --help)")
                     .arg(parser.positionalArguments().first()));
        return std::nullopt;
    }

    CliOptions options;
    if (parser.isSet(QStringLiteral("search")))
        options.search = parser.value(QStringLiteral("search"));
    if (!parser.isSet(QStringLiteral("url")) || (!parser.isSet(QStringLiteral("user")) && !options.search)) {
        complain(QStringLiteral("--url and --user are required, e.g. natter-cli --url ws://localhost:8080 "
                                "--user alice --room general"));
        return std::nullopt;
    }
    for (const QString &value : parser.values(QStringLiteral("url"))) {
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
            complain(QStringLiteral("--url must be a ws:// or wss:// URL with a host, got '%1'").arg(value));
            return std::nullopt;
        }
        if (!options.urls.contains(url))
            options.urls.append(url);
    }
    options.url = options.urls.first();
    const Protocol::Limits limits;
    if (parser.isSet(QStringLiteral("user"))) {
        const auto user = Protocol::validateName(parser.value(QStringLiteral("user")), limits.maxNameChars,
                                                 QStringLiteral("username"));
        if (const auto *e = std::get_if<Protocol::DecodeError>(&user)) {
            complain(QStringLiteral("--user: %1").arg(e->message));
            return std::nullopt;
        }
        options.user = std::get<QString>(user);
    }
    if (parser.isSet(QStringLiteral("room"))) {
        const auto room = Protocol::validateName(parser.value(QStringLiteral("room")), limits.maxRoomChars,
                                                 QStringLiteral("room"));
        if (const auto *e = std::get_if<Protocol::DecodeError>(&room)) {
            complain(QStringLiteral("--room: %1").arg(e->message));
            return std::nullopt;
        }
        options.room = std::get<QString>(room);
    }

    auto doubleOption = [&](const char *name, double min, double max, double *out) {
        if (!parser.isSet(QString::fromLatin1(name)))
            return true;
        bool ok = false;
        const double v = parser.value(QString::fromLatin1(name)).toDouble(&ok);
        if (!ok || v < min || v > max) {
            complain(QStringLiteral("--%1 must be a number from %2 to %3, got '%4'")
                         .arg(QLatin1String(name))
                         .arg(min)
                         .arg(max)
                         .arg(parser.value(QString::fromLatin1(name))));
            return false;
        }
        *out = v;
        return true;
    };
    ChatClient::Settings &s = options.settings;
    if (!doubleOption("backoff-factor", 1.0, 100.0, &s.backoffFactor) ||
        !doubleOption("jitter", 0.0, 1.0, &s.jitter))
        return std::nullopt;

    for (const IntSetting &i : ints) {
        if (!parser.isSet(i.option.name()))
            continue;
        QString error;
        const std::optional<qint64> v = i.option.read(parser, &error);
        if (!v) {
            complain(error);
            return std::nullopt;
        }
        i.apply(options, *v);
    }
    if (s.maxDelayMs < s.initialDelayMs) {
        complain(QStringLiteral("--max-delay-ms (%1) must not be below --initial-delay-ms (%2)")
                     .arg(s.maxDelayMs)
                     .arg(s.initialDelayMs));
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("outbox"))) {
        s.outboxPath = parser.value(QStringLiteral("outbox"));
        if (s.outboxPath.isEmpty()) {
            complain(QStringLiteral("--outbox needs a file path"));
            return std::nullopt;
        }
    }
    for (const QString &path : parser.values(QStringLiteral("trust-certificate"))) {
        QFile file(path);
        const QList<QSslCertificate> certificates = file.open(QIODevice::ReadOnly)
                                                        ? QSslCertificate::fromData(file.readAll())
                                                        : QList<QSslCertificate>();
        if (certificates.isEmpty()) {
            complain(QStringLiteral("--trust-certificate '%1' is not a readable PEM certificate").arg(path));
            return std::nullopt;
        }
        options.trustedCertificates += certificates;
    }
    if (parser.isSet(QStringLiteral("download-dir"))) {
        const QString dir = parser.value(QStringLiteral("download-dir"));
        const QFileInfo info(dir);
        if (dir.isEmpty() || (info.exists() && !info.isDir()) || !QDir().mkpath(dir)) {
            complain(
                QStringLiteral("--download-dir must be a folder that can be created, got '%1'").arg(dir));
            return std::nullopt;
        }
        if (!QFileInfo(dir).isWritable()) {
            complain(QStringLiteral("--download-dir '%1' is not writable").arg(dir));
            return std::nullopt;
        }
        options.downloadDir = QFileInfo(dir).absoluteFilePath();
    }
    if (parser.isSet(QStringLiteral("token-dir"))) {
        const QString dir = parser.value(QStringLiteral("token-dir"));
        const QFileInfo info(dir);
        if (dir.isEmpty() || (info.exists() && !info.isDir())) {
            complain(QStringLiteral("--token-dir must be a folder, got '%1'").arg(dir));
            return std::nullopt;
        }
        // Whoever may write there may swap a token file for one of their own accounts.
        if (info.exists() && (info.permissions() & (QFileDevice::WriteGroup | QFileDevice::WriteOther))) {
            complain(QStringLiteral("--token-dir '%1' is writable by others; run chmod 700 '%1'").arg(dir));
            return std::nullopt;
        }
        options.tokenDir = info.absoluteFilePath();
    }
    if (parser.isSet(QStringLiteral("no-cache")) &&
        (parser.isSet(QStringLiteral("cache")) || options.search)) {
        complain(QStringLiteral("--no-cache cannot go with --cache or --search"));
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("no-cache"))) {
        options.cachePath.clear();
    } else if (parser.isSet(QStringLiteral("cache"))) {
        options.cachePath = parser.value(QStringLiteral("cache"));
        if (options.cachePath.isEmpty() || QFileInfo(options.cachePath).isDir()) {
            complain(QStringLiteral("--cache needs a file path"));
            return std::nullopt;
        }
    }
    if (options.search && options.search->trimmed().isEmpty()) {
        complain(QStringLiteral("--search needs words to look for"));
        return std::nullopt;
    }
    options.registerAccount = parser.isSet(QStringLiteral("register"));
    QString passwordError;
    options.password = PasswordSource::read(parser.value(QStringLiteral("password-file")),
                                            QProcessEnvironment::systemEnvironment(), &passwordError);
    if (!passwordError.isEmpty()) {
        complain(passwordError);
        return std::nullopt;
    }
    if (options.registerAccount && !options.password) {
        complain(QStringLiteral("--register needs a password: --password-file FILE or NATTER_PASSWORD"));
        return std::nullopt;
    }
    *exitCode = CliExit::Ok;
    return options;
}

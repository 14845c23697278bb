// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountservice.h"
#include "chatserver.h"
#include "clusterbus.h"
#include "intoption.h"
#include "metricsendpoint.h"
#include "redismessagestore.h"
#include "redisurl.h"
#include "redisuserstore.h"
#include "sqlitemessagestore.h"
#include "unixsignalwatcher.h"
#include "usercommand.h"
#include "userstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QLockFile>
#include <QTextStream>
#include <QTimer>
#include <QUrl>

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

namespace {
// Raises the soft open-file limit to the hard one (each client is a descriptor; systemd's and
// most shells' soft default of 1024 would stop a node near a thousand clients) and returns the
// connections that fit below it, keeping 64 descriptors for the databases, logs and upgrades in
// flight. Past that accept(2) fails with EMFILE.
int openFileCap()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    const rlim_t cap = limit.rlim_cur == RLIM_INFINITY ? rlim_t(1000000) : limit.rlim_cur;
    return int(qBound<rlim_t>(1, cap > 128 ? cap - 64 : cap / 2, 100000000));
}

// "90d", "12h", "30m", "45s" or plain seconds, as milliseconds; nullopt when it is none of them.
std::optional<qint64> durationMs(const QString &text)
{
    static const QList<QPair<QChar, qint64>> units{
        {u'd', 86400000}, {u'h', 3600000}, {u'm', 60000}, {u's', 1000}};
    QString number = text.trimmed();
    qint64 unit = 1000;
    for (const auto &[suffix, ms] : units) {
        if (number.endsWith(suffix)) {
            number.chop(1);
            unit = ms;
            break;
        }
    }
    bool ok = false;
    const qint64 value = number.toLongLong(&ok);
    const qint64 limit = qint64(100) * 365 * 86400000; // a century: anything longer means "keep"
    if (!ok || value < 0 || value > limit / unit)
        return std::nullopt;
    return value * unit;
}
} // namespace

int main(int argc, char *argv[])
{
    // Qt's GLib event dispatcher finds a socket notifier by walking a list of all of them, and
    // every write enables and disables one: at 10,000 clients that walk was most of the server's
    // time (docs/DESIGN.md, "Capacity"). Qt's own poll dispatcher keeps them in a hash.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-warning}warning %{endif}%{message}"));
    if (app.arguments().value(1) == QLatin1String("user"))
        return UserCommand::run(app.arguments());

    ServerConfig config;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Natter chat server (JSON over WebSocket).\n"
                       "natter-server user add|passwd|remove NAME, natter-server user list: manage the "
                       "users of accounts mode (natter-server user --help)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const IntOption port("port", "Port to listen on; 0 picks a free one", config.port, 0, 65535, "port");
    const IntOption maxMessage("max-message-bytes", "Largest incoming message; larger ones close with 1009",
                               config.maxMessageBytes, ServerConfig::MinMessageBytes, qint64(1) << 31,
                               "bytes");
    const IntOption maxFile("max-file-bytes", "Largest file upload", config.maxFileBytes, 0, qint64(1) << 53,
                            "bytes");
    const IntOption history("history", "Chat messages kept per room", config.historyLimit, 0, 1000000,
                            "count");
    const IntOption heartbeat("heartbeat-ms", "WebSocket ping interval, 0 for none", config.heartbeatMs, 0,
                              86400000, "ms");
    const IntOption rateLimits("rate-limit-percent",
                               "Scales every per-connection rate limit (docs/PROTOCOL.md); 0 turns them off",
                               qint64(config.rateScale * 100), 0, 100000000, "percent");
    const IntOption handshakesPerAddress("max-handshakes-per-address",
                                         "Connections one remote address may have in the upgrade handshake "
                                         "at once; more are closed unanswered",
                                         config.maxHandshakesPerAddress, 1, 1000000, "count");
    const IntOption connectionsPerAddress("max-connections-per-address", "Same as --max-connections-per-ip",
                                          config.maxConnectionsPerAddress, 1, 1000000, "count");
    const IntOption connectionsPerIp("max-connections-per-ip",
                                     "WebSocket connections one remote address may hold at once; past it "
                                     "the upgrade is answered 503 with Retry-After",
                                     config.maxConnectionsPerAddress, 1, 1000000, "count");
    const IntOption maxConnections("max-connections",
                                   "WebSocket connections in all; past it the upgrade is answered 503 with "
                                   "Retry-After. 0: the open-file limit (raised to its hard limit at start) "
                                   "less 64",
                                   0, 0, 100000000, "count");
    const IntOption listenBacklog("listen-backlog",
                                  "Connections the kernel queues before they are accepted (capped by "
                                  "net.core.somaxconn)",
                                  config.listenBacklog, 1, 1000000, "count");
    const IntOption historyMaxMessages("history-max-messages",
                                       "With --data-dir: messages kept per room on disk, the oldest removed "
                                       "first in the background; 0 for no bound",
                                       config.historyMaxMessages, 0, qint64(1) << 53, "count");
    const IntOption historyMaxBytes(
        "history-max-bytes",
        "With --data-dir: the most the message store may take on disk; beyond it "
        "new messages are refused (storeFailed) as on a full disk; 0 for no bound",
        0, 0, qint64(1) << 53, "bytes");
    const IntOption metricsPort("metrics-port",
                                "Serve /metrics (Prometheus) and /healthz over HTTP on this port; 0 picks a "
                                "free one (printed at start). Without it nothing listens",
                                0, 0, 65535, "port");
    AccountService::Settings accountDefaults;
    const IntOption authTimeout("auth-timeout-ms",
                                "Accounts mode: a connection not logged in by then is closed with 1008",
                                config.authTimeoutMs, 100, 3600000, "ms");
    const IntOption iterations("iterations",
                               "Accounts mode: PBKDF2-HMAC-SHA256 iterations for registered passwords; older "
                               "records are upgraded at login",
                               accountDefaults.iterations, 1000, PasswordRecord::MaxIterations, "count");
    const IntOption loginDelay("login-delay-ms",
                               "Accounts mode: the first wait after repeated failed logins; it doubles with "
                               "each further failure, up to 5 minutes",
                               accountDefaults.throttle.baseDelayMs, 1, 300000, "ms");
    const IntOption pendingChecks("max-pending-logins",
                                  "Accounts mode: password checks queued at once; beyond it logins are "
                                  "refused with retryAfterMs",
                                  accountDefaults.maxPendingChecks, 1, 100000, "count");
    const ClusterBus::Options busDefaults;
    const IntOption presenceTtl("presence-ttl-ms",
                                "Scale-out: how long the presence and held names of a node that died "
                                "outlive it; refreshed every quarter of it (tests shorten it)",
                                busDefaults.presenceTtlMs, 1000, 3600000, "ms");
    parser.addOptions({
        {QStringLiteral("host"), QStringLiteral("Address to listen on (default %1).").arg(config.host),
         QStringLiteral("address")},
        port.commandLineOption(),
        maxMessage.commandLineOption(),
        maxFile.commandLineOption(),
        history.commandLineOption(),
        heartbeat.commandLineOption(),
        rateLimits.commandLineOption(),
        handshakesPerAddress.commandLineOption(),
        connectionsPerAddress.commandLineOption(),
        connectionsPerIp.commandLineOption(),
        maxConnections.commandLineOption(),
        listenBacklog.commandLineOption(),
        {QStringLiteral("base-only"), QStringLiteral("Speak only the base protocol, with no extensions.")},
        {QStringLiteral("no-limits"),
         QStringLiteral("Turn every rate, backlog and per-address limit off, to measure what they "
                        "cost (tools/bench.sh). Never on a server others can reach.")},
        {QStringLiteral("cert"),
         QStringLiteral("Serve wss:// with this PEM certificate (chain); needs --key."),
         QStringLiteral("file")},
        {QStringLiteral("key"), QStringLiteral("The PEM private key for --cert."), QStringLiteral("file")},
        {QStringLiteral("allowed-origin"),
         QStringLiteral("Let web pages from this origin connect (e.g. https://chat.example.org); "
                        "repeatable. Without it every handshake that carries an Origin (a browser) "
                        "is refused with 403; clients that send none are unaffected."),
         QStringLiteral("origin")},
        {QStringLiteral("data-dir"),
         QStringLiteral("Directory for the state kept on disk: the user database that `natter-server user` "
                        "manages (default: $STATE_DIRECTORY, else ~/.local/share/natter-server). Given "
                        "explicitly, rooms and their history are kept there too (messages.sqlite) and "
                        "survive a restart; without it history is in memory only."),
         QStringLiteral("dir")},
        {QStringLiteral("history-max-age"),
         QStringLiteral("With --data-dir: remove messages older than this, in the background (e.g. 90d, "
                        "12h, 30m, or seconds; default: keep them)."),
         QStringLiteral("duration")},
        historyMaxMessages.commandLineOption(),
        historyMaxBytes.commandLineOption(),
        {QStringLiteral("accounts"),
         QStringLiteral("Accounts mode: every connection logs in with a name and password from the user "
                        "database in --data-dir (natter-server user add) before it may chat; with "
                        "--redis, from the one in Redis that every node shares.")},
        {QStringLiteral("registration"),
         QStringLiteral("Accounts mode: 'open' lets anyone create an account; 'closed' (default) leaves "
                        "that to the operator."),
         QStringLiteral("open|closed")},
        {QStringLiteral("auth-at-handshake"),
         QStringLiteral("Accounts mode: refuse an upgrade without a valid 'Authorization: Bearer' token "
                        "with 401; the path /login stays open for logging in with a password.")},
        authTimeout.commandLineOption(),
        iterations.commandLineOption(),
        loginDelay.commandLineOption(),
        pendingChecks.commandLineOption(),
        metricsPort.commandLineOption(),
        presenceTtl.commandLineOption(),
        {QStringLiteral("metrics-host"),
         QStringLiteral("Address for --metrics-port (default 127.0.0.1: this machine only)."),
         QStringLiteral("address")},
        {QStringLiteral("redis"),
         QStringLiteral("Scale-out: act as one server with every node given the same Redis, "
                        "redis://[:password@]host[:port][/db]. History, numbering, message ids and, "
                        "with --accounts, the users are kept there instead of --data-dir "
                        "(docs/DEPLOYING.md)."),
         QStringLiteral("url")},
        {QStringLiteral("public-rooms-list"),
         QStringLiteral("Show every occupied room to anyone who lists rooms (default: only the "
                        "room the client is in).")},
    });
    parser.process(app);
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "natter-server: unexpected argument '%s' (see --help)\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }

    QString error;
    const auto portValue = port.read(parser, &error);
    const auto maxMessageValue = maxMessage.read(parser, &error);
    const auto maxFileValue = maxFile.read(parser, &error);
    const auto historyValue = history.read(parser, &error);
    const auto heartbeatValue = heartbeat.read(parser, &error);
    const auto rateLimitsValue = rateLimits.read(parser, &error);
    const auto handshakesValue = handshakesPerAddress.read(parser, &error);
    const auto connectionsValue = parser.isSet(connectionsPerIp.name())
                                      ? connectionsPerIp.read(parser, &error)
                                      : connectionsPerAddress.read(parser, &error);
    const auto maxConnectionsValue = maxConnections.read(parser, &error);
    const auto backlogValue = listenBacklog.read(parser, &error);
    const auto authTimeoutValue = authTimeout.read(parser, &error);
    const auto iterationsValue = iterations.read(parser, &error);
    const auto loginDelayValue = loginDelay.read(parser, &error);
    const auto pendingValue = pendingChecks.read(parser, &error);
    const auto maxMessagesValue = historyMaxMessages.read(parser, &error);
    const auto maxBytesValue = historyMaxBytes.read(parser, &error);
    const auto metricsPortValue = metricsPort.read(parser, &error);
    const auto presenceTtlValue = presenceTtl.read(parser, &error);
    if (!maxMessagesValue || !maxBytesValue || !maxConnectionsValue || !metricsPortValue ||
        !presenceTtlValue) {
        std::fprintf(stderr, "natter-server: %s\n", qPrintable(error));
        return 2;
    }
    if (!portValue || !maxMessageValue || !maxFileValue || !historyValue || !heartbeatValue ||
        !rateLimitsValue || !handshakesValue || !connectionsValue || !backlogValue || !authTimeoutValue ||
        !iterationsValue || !loginDelayValue || !pendingValue) {
        std::fprintf(stderr, "natter-server: %s\n", qPrintable(error));
        return 2;
    }
    if (parser.isSet(QStringLiteral("host")))
        config.host = parser.value(QStringLiteral("host"));
    config.port = quint16(*portValue);
    config.maxMessageBytes = *maxMessageValue;
    config.maxFileBytes = *maxFileValue;
    config.historyLimit = int(*historyValue);
    config.heartbeatMs = int(*heartbeatValue);
    config.rateScale = double(*rateLimitsValue) / 100;
    config.maxHandshakesPerAddress = int(*handshakesValue);
    config.maxConnectionsPerAddress = int(*connectionsValue);
    config.listenBacklog = int(*backlogValue);
    config.maxConnections = int(*maxConnectionsValue);
    if (config.maxConnections == 0)
        config.maxConnections = openFileCap();
    config.baseOnly = parser.isSet(QStringLiteral("base-only"));
    if (parser.isSet(QStringLiteral("no-limits")))
        config.liftLimits();
    config.certificateFile = parser.value(QStringLiteral("cert"));
    config.privateKeyFile = parser.value(QStringLiteral("key"));
    config.publicRoomsList = parser.isSet(QStringLiteral("public-rooms-list"));
    config.dataDir = parser.isSet(QStringLiteral("data-dir")) ? parser.value(QStringLiteral("data-dir"))
                                                              : UserCommand::defaultDataDir();
    const bool keepHistory = parser.isSet(QStringLiteral("data-dir"));
    config.historyMaxMessages = *maxMessagesValue;
    if (parser.isSet(QStringLiteral("history-max-age"))) {
        const auto age = durationMs(parser.value(QStringLiteral("history-max-age")));
        if (!age) {
            std::fprintf(stderr,
                         "natter-server: --history-max-age is a duration such as 90d, 12h, 30m or "
                         "seconds, not '%s'\n",
                         qPrintable(parser.value(QStringLiteral("history-max-age"))));
            return 2;
        }
        config.historyMaxAgeMs = *age;
    }
    for (const QString &origin : parser.values(QStringLiteral("allowed-origin"))) {
        // Browsers send a serialized origin: scheme://host[:port], lower case, no path.
        const QString normalized = origin.trimmed().toLower();
        const QUrl url(normalized);
        if (normalized != QLatin1String("null") &&
            (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty() || url.hasQuery())) {
            std::fprintf(stderr, "natter-server: --allowed-origin '%s' is not scheme://host[:port]\n",
                         qPrintable(origin));
            return 2;
        }
        config.allowedOrigins.append(normalized);
    }
    if (config.certificateFile.isEmpty() != config.privateKeyFile.isEmpty()) {
        std::fprintf(stderr, "natter-server: --cert and --key go together (see --help)\n");
        return 2;
    }
    std::optional<RedisUrl> redisUrl;
    if (parser.isSet(QStringLiteral("redis"))) {
        QString why;
        redisUrl = RedisUrl::parse(parser.value(QStringLiteral("redis")), &why);
        if (!redisUrl) {
            std::fprintf(stderr, "natter-server: %s\n", qPrintable(why));
            return 2;
        }
    }
    if (parser.isSet(QStringLiteral("metrics-host")) && !parser.isSet(metricsPort.name())) {
        std::fprintf(stderr, "natter-server: --metrics-host needs --metrics-port\n");
        return 2;
    }

    config.accounts = parser.isSet(QStringLiteral("accounts"));
    config.authAtHandshake = parser.isSet(QStringLiteral("auth-at-handshake"));
    config.authTimeoutMs = int(*authTimeoutValue);
    const QString registration = parser.value(QStringLiteral("registration"));
    if (!registration.isEmpty() && registration != QLatin1String("open") &&
        registration != QLatin1String("closed")) {
        std::fprintf(stderr, "natter-server: --registration is 'open' or 'closed', not '%s'\n",
                     qPrintable(registration));
        return 2;
    }
    config.registrationOpen = registration == QLatin1String("open");
    const bool accountOptions = parser.isSet(QStringLiteral("registration")) || config.authAtHandshake;
    if (accountOptions && !config.accounts) {
        std::fprintf(stderr, "natter-server: --registration and --auth-at-handshake need --accounts\n");
        return 2;
    }

    // Watching from here on: a SIGTERM that comes while the databases open or the server starts is
    // handled once the loop runs (the watcher's pipe keeps it), not by the default action.
    UnixSignalWatcher watcher({SIGINT, SIGTERM});

    // One server per data directory: two writers would each number the rooms on their own. The
    // lock names its holder's pid, so one left by a killed server is taken over, not obeyed.
    QLockFile dataDirLock(QDir(config.dataDir).filePath(QStringLiteral("natter-server.lock")));
    // With --redis the accounts are there too: the directory is used only with --data-dir.
    if (keepHistory || (config.accounts && !redisUrl)) {
        if (!QFileInfo(config.dataDir).isDir() && QDir().mkpath(config.dataDir))
            QFile::setPermissions(config.dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        dataDirLock.setStaleLockTime(0);
        if (!dataDirLock.tryLock()) {
            qint64 pid = 0;
            QString host;
            QString application;
            dataDirLock.getLockInfo(&pid, &host, &application);
            if (dataDirLock.error() == QLockFile::LockFailedError)
                std::fprintf(stderr, "natter-server: %s is in use by another natter-server (pid %lld)\n",
                             qPrintable(config.dataDir), static_cast<long long>(pid));
            else
                std::fprintf(stderr, "natter-server: cannot use the data directory %s: %s\n",
                             qPrintable(config.dataDir),
                             QFileInfo(config.dataDir).isDir() ? "cannot write its lock file"
                                                               : "it is not a directory");
            return 1;
        }
    }

    // Whether the cluster's links reach Redis (ClusterBus::healthChanged, below): while they do
    // not, the accounts' lookups on the event loop fail at once instead of waiting for a timeout.
    const auto redisReachable = std::make_shared<bool>(true);
    std::unique_ptr<AccountService> accounts;
    const QString users = QDir(config.dataDir).filePath(UserStore::fileName());
    if (config.accounts) {
        AccountService::Settings settings;
        settings.dataDir = config.dataDir;
        settings.registrationOpen = config.registrationOpen;
        settings.iterations = int(*iterationsValue);
        settings.throttle.baseDelayMs = *loginDelayValue;
        settings.maxPendingChecks = int(*pendingValue);
        if (redisUrl) {
            // Every node shares the accounts; users.sqlite is not read.
            settings.database = [url = *redisUrl, redisReachable](const UserDatabase::Options &options) {
                return std::make_unique<RedisUserStore>(
                    RedisUserStore::Settings{url, 500, options, [redisReachable] {
                                                 return *redisReachable;
                                             }});
            };
        }
        accounts = std::make_unique<AccountService>(settings);
        if (!accounts->open()) {
            std::fprintf(stderr, "natter-server: --accounts: cannot use the user database: %s\n",
                         qPrintable(accounts->errorString()));
            return 1;
        }
    }
    // Before the server, which uses it until it is gone.
    std::unique_ptr<MessageStore> store;
    std::unique_ptr<ClusterBus> cluster;
    if (redisUrl) {
        RedisMessageStore::Options options;
        options.url = *redisUrl;
        options.maxMessagesPerRoom = config.historyMaxMessages;
        options.idWindowSeconds = int(qMax<qint64>(1, config.idWindowMs / 1000));
        auto shared = std::make_unique<RedisMessageStore>(options);
        if (!shared->open()) {
            std::fprintf(stderr, "natter-server: --redis: %s\n", qPrintable(shared->errorString()));
            return 1;
        }
        ClusterBus::Options bus;
        bus.url = *redisUrl;
        bus.presenceTtlMs = int(*presenceTtlValue);
        bus.presenceRefreshMs = int(*presenceTtlValue / 4);
        cluster = std::make_unique<ClusterBus>(bus, *shared);
        store = std::move(shared);
    } else if (keepHistory) {
        auto local =
            std::make_unique<SqliteMessageStore>(config.dataDir, SqliteMessageStore::Options{*maxBytesValue});
        if (!local->open()) {
            std::fprintf(stderr, "natter-server: cannot use the message store: %s\n",
                         qPrintable(local->errorString()));
            return 1;
        }
        store = std::move(local);
    }

    if (config.accounts && redisUrl && QFileInfo::exists(users)) {
        std::fprintf(stderr,
                     "natter-server: warning: %s is ignored: with --redis the accounts are in Redis "
                     "(natter-server user add --redis URL NAME)\n",
                     qPrintable(users));
    }
    if (!config.accounts && QFileInfo::exists(users)) {
        // An operator who added users may believe logins are required: say they are not.
        std::fprintf(stderr,
                     "natter-server: warning: %s holds user accounts, but without --accounts nobody "
                     "logs in: anyone can chat under any free name\n",
                     qPrintable(users));
    }

    ChatServer server(config);
    server.setAuthenticator(accounts.get());
    server.setMessageStore(store.get());
    if (cluster) {
        server.setClusterLink(cluster.get());
        QObject::connect(cluster.get(), &ClusterBus::healthChanged, &server,
                         [redisReachable](bool healthy) { *redisReachable = healthy; });
        QObject::connect(cluster.get(), &ClusterBus::healthChanged, &server, [&server](bool healthy) {
            server.setDegraded(healthy
                                   ? QString()
                                   : QStringLiteral("The server cannot reach its Redis; new messages wait "
                                                    "until it is back"));
        });
        cluster->start();
        // Redis answered above: its links are up in a moment, and a client let in before then
        // would be refused its name (the cluster not yet healthy). Degraded after a while.
        QEventLoop ready;
        QObject::connect(cluster.get(), &ClusterBus::healthChanged, &ready, &QEventLoop::quit);
        QTimer::singleShot(5000, &ready, &QEventLoop::quit);
        if (!cluster->healthy())
            ready.exec();
        std::printf("redis: %s, node %s\n", qPrintable(redisUrl->display()), qPrintable(cluster->nodeId()));
    }
    if (!server.listen()) {
        std::fprintf(stderr, "natter-server: cannot listen on %s port %u: %s\n", qPrintable(config.host),
                     unsigned(config.port), qPrintable(server.errorString()));
        return 1;
    }
    std::printf("natter-server listening on %s\n", qPrintable(server.url().toString()));
    std::unique_ptr<MetricsEndpoint> metrics;
    if (parser.isSet(metricsPort.name())) {
        const QString metricsHost = parser.isSet(QStringLiteral("metrics-host"))
                                        ? parser.value(QStringLiteral("metrics-host"))
                                        : QStringLiteral("127.0.0.1");
        metrics = std::make_unique<MetricsEndpoint>(&server);
        if (!metrics->start(metricsHost, quint16(*metricsPortValue))) {
            std::fprintf(stderr, "natter-server: cannot serve metrics on %s port %u: %s\n",
                         qPrintable(metricsHost), unsigned(*metricsPortValue),
                         qPrintable(metrics->errorString()));
            return 1;
        }
        std::printf("metrics: %s\n", qPrintable(metrics->url().toString()));
    }
    std::fflush(stdout);

    QObject::connect(&watcher, &UnixSignalWatcher::signalReceived, &server, [&server](int number) {
        std::fprintf(stderr, "natter-server: signal %d, closing %d connection(s)\n", number,
                     server.clientCount());
        server.close();
    });
    QObject::connect(&server, &ChatServer::closed, &app, [] { QCoreApplication::exit(0); });
    return app.exec();
}

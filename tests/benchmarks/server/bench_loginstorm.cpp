// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts mode under a login storm, against the real natter-server (--accounts) on a temporary
// user database at the default password cost: how many logins per second the server sustains
// (one derivation thread: one core), and whether chat between two logged-in clients stalls
// meanwhile (their delivery latency, idle and while N clients log in at once). The last line is JSON.
// With --url it measures a server already running instead (the Node.js baseline,
// node/accounts-server.js), which must hold the accounts a, b and u0 … u(N-1) with --password.
//
//   bench_loginstorm [--clients 50] [--server path/to/natter-server] [--url ws://… --password pw]

#include "protocol.h"
#include "userstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

QElapsedTimer clock_;

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    return true;
}

QString typeOf(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("\"type\":\"([A-Za-z]+)\""));
    return re.match(text).captured(1);
}

struct Stats
{
    double medianMs = 0, p99Ms = 0, maxMs = 0;
    int count = 0;
};

Stats stats(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v[std::min(v.size() - 1, size_t(double(v.size()) * 0.99))], v.back(),
            int(v.size())};
}

std::unique_ptr<QWebSocket> loggedIn(const QUrl &url, const QString &name, const QString &password)
{
    auto socket = std::make_unique<QWebSocket>();
    bool ok = false;
    QObject::connect(socket.get(), &QWebSocket::textMessageReceived, [&ok](const QString &t) {
        if (typeOf(t) == QLatin1String("authOk") || typeOf(t) == QLatin1String("roomJoined"))
            ok = true;
    });
    socket->open(url);
    if (!waitFor([&] { return socket->state() == QAbstractSocket::ConnectedState; }, 10000))
        return nullptr;
    socket->sendTextMessage(QString::fromUtf8(Protocol::encode(Protocol::Auth{name, password, false, {}})));
    if (!waitFor([&] { return ok; }, 30000))
        return nullptr;
    ok = false;
    socket->sendTextMessage(
        QString::fromUtf8(Protocol::encode(Protocol::JoinRoom{QStringLiteral("bench"), {}, {}})));
    if (!waitFor([&] { return ok; }, 10000))
        return nullptr;
    socket->disconnect();
    return socket;
}

// The peak resident set of a running process, in KiB (0 when unknown): read before it is stopped,
// since the server is this process's child and GNU time around it would count both.
qint64 peakRssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    static const QRegularExpression re(QStringLiteral("VmHWM:\\s*(\\d+) kB"));
    return re.match(QString::fromLatin1(status.readAll())).captured(1).toLongLong();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("clients"), QStringLiteral("Clients logging in at once."),
                        QStringLiteral("n"), QStringLiteral("50")},
                       {QStringLiteral("server"), QStringLiteral("The natter-server to run."),
                        QStringLiteral("path"), QStringLiteral(NATTER_SERVER_PATH)},
                       {QStringLiteral("url"), QStringLiteral("A running server to measure instead."),
                        QStringLiteral("url")},
                       {QStringLiteral("password"), QStringLiteral("Every account's password."),
                        QStringLiteral("password"), QStringLiteral("correct horse battery staple")}});
    parser.process(app);
    const int clients = qMax(1, parser.value(QStringLiteral("clients")).toInt());
    const QString password = parser.value(QStringLiteral("password"));
    const bool external = parser.isSet(QStringLiteral("url"));
    clock_.start();

    QTemporaryDir dir;
    QProcess server;
    QUrl url(parser.value(QStringLiteral("url")));
    if (!external) {
        {
            UserStore store(dir.path());
            if (!store.open())
                qFatal("%s", qPrintable(store.errorString()));
            for (int i = 0; i < clients; ++i)
                store.addUser(QStringLiteral("u%1").arg(i), password);
            store.addUser(QStringLiteral("a"), password);
            store.addUser(QStringLiteral("b"), password);
        }
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start(parser.value(QStringLiteral("server")),
                     {QStringLiteral("--accounts"), QStringLiteral("--data-dir"), dir.path(),
                      QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                      QStringLiteral("0"), QStringLiteral("--max-pending-logins"),
                      QString::number(clients + 10), QStringLiteral("--max-handshakes-per-address"),
                      QString::number(clients + 10)});
        QByteArray out;
        if (!waitFor(
                [&] {
                    out += server.readAllStandardOutput();
                    return out.contains('\n');
                },
                20000))
            qFatal("natter-server did not start");
        const auto m =
            QRegularExpression(QStringLiteral("listening on (\\S+)")).match(QString::fromUtf8(out));
        url = QUrl(m.captured(1));
        server.setStandardOutputFile(QProcess::nullDevice());
    }

    auto a = loggedIn(url, QStringLiteral("a"), password);
    auto b = loggedIn(url, QStringLiteral("b"), password);
    if (!a || !b)
        qFatal("the chat pair could not log in");

    // a sends a chat every 10 ms carrying its send time; b records each delivery's latency.
    std::vector<double> *bucket = nullptr;
    QObject::connect(b.get(), &QWebSocket::textMessageReceived, [&bucket](const QString &t) {
        static const QRegularExpression re(QStringLiteral("\"text\":\"([0-9]+)\""));
        const auto match = re.match(t);
        if (bucket && match.hasMatch())
            bucket->push_back(double(clock_.nsecsElapsed() - match.captured(1).toLongLong()) / 1e6);
    });
    QTimer sender;
    QObject::connect(&sender, &QTimer::timeout, [&] {
        a->sendTextMessage(QString::fromUtf8(
            Protocol::encode(Protocol::SendChat{QString::number(clock_.nsecsElapsed()), {}})));
    });
    sender.start(10);

    std::vector<double> idle, storm;
    bucket = &idle;
    waitFor([] { return false; }, 2000);

    std::vector<std::unique_ptr<QWebSocket>> crowd;
    int connected = 0, ok = 0;
    for (int i = 0; i < clients; ++i) {
        crowd.push_back(std::make_unique<QWebSocket>());
        QWebSocket *s = crowd.back().get();
        QObject::connect(s, &QWebSocket::connected, [&connected] { ++connected; });
        QObject::connect(s, &QWebSocket::textMessageReceived, [&ok](const QString &t) {
            if (typeOf(t) == QLatin1String("authOk"))
                ++ok;
        });
        s->open(url);
    }
    if (!waitFor([&] { return connected == clients; }, 30000))
        qFatal("the crowd did not connect");
    bucket = &storm;
    QElapsedTimer stormTime;
    stormTime.start();
    for (int i = 0; i < clients; ++i)
        crowd[size_t(i)]->sendTextMessage(QString::fromUtf8(
            Protocol::encode(Protocol::Auth{QStringLiteral("u%1").arg(i), password, false, {}})));
    if (!waitFor([&] { return ok == clients; }, 600000))
        qFatal("only %d of %d logged in", ok, clients);
    const double seconds = double(stormTime.nsecsElapsed()) / 1e9;
    bucket = nullptr;
    sender.stop();
    qint64 serverRssKiB = 0;
    if (!external) {
        serverRssKiB = peakRssKiB(server.processId());
        server.terminate();
        server.waitForFinished(10000);
    }

    const Stats i = stats(idle), s = stats(storm);
    std::printf("%d clients logged in at once (600000 iterations): %.2f s, %.2f logins/s\n", clients, seconds,
                clients / seconds);
    std::printf("chat latency idle:        median %.2f ms, p99 %.2f ms, max %.2f ms (%d messages)\n",
                i.medianMs, i.p99Ms, i.maxMs, i.count);
    std::printf("chat latency during logins: median %.2f ms, p99 %.2f ms, max %.2f ms (%d messages)\n",
                s.medianMs, s.p99Ms, s.maxMs, s.count);
    const QJsonObject json{
        {QStringLiteral("clients"), clients},          {QStringLiteral("loginsPerSecond"), clients / seconds},
        {QStringLiteral("idleMedianMs"), i.medianMs},  {QStringLiteral("idleP99Ms"), i.p99Ms},
        {QStringLiteral("stormMedianMs"), s.medianMs}, {QStringLiteral("stormP99Ms"), s.p99Ms},
        {QStringLiteral("stormMaxMs"), s.maxMs},       {QStringLiteral("serverPeakRssKiB"), serverRssKiB}};
    std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
    return 0;
}

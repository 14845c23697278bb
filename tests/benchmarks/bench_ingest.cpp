// Client ingest against an external server: ChatClient joins a room on a server that bursts
// COUNT chatMessages (tests/benchmarks/node/burst-server.js) and the clock runs from roomJoined
// to the last messageReceived. Prints one JSON line, comparable with node/ingest-client.js.
//
//   bench_ingest --url ws://127.0.0.1:PORT [--count 100000]

#include "chatclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

namespace {

double residentMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("url"), QStringLiteral("Server URL."), QStringLiteral("url")});
    parser.addOption({QStringLiteral("count"), QStringLiteral("Messages the server bursts."),
                      QStringLiteral("n"), QStringLiteral("100000")});
    parser.process(app);
    const QUrl url(parser.value(QStringLiteral("url")));
    const int count = parser.value(QStringLiteral("count")).toInt();
    if (!url.isValid() || url.scheme().isEmpty() || count < 1) {
        fprintf(stderr, "bench_ingest: need --url ws://host:port and --count >= 1\n");
        return 2;
    }

    QTemporaryDir dir;
    ChatClient::Settings settings;
    settings.outboxPath = dir.filePath(QStringLiteral("outbox.json"));
    ChatClient client(settings);
    QElapsedTimer clock;
    int received = 0;
    QObject::connect(&client, &ChatClient::roomJoined, &app, [&] { clock.start(); });
    QObject::connect(&client, &ChatClient::messageReceived, &app, [&] {
        if (++received == count)
            app.quit();
    });
    client.connectToServer(url, QStringLiteral("ingest"), QStringLiteral("bench"));
    QTimer::singleShot(120000, &app, [&] {
        fprintf(stderr, "bench_ingest: timed out after %d of %d messages\n", received, count);
        app.exit(1);
    });
    if (app.exec() != 0)
        return 1;
    const double seconds = clock.nsecsElapsed() / 1e9;
    const QJsonObject result{{QStringLiteral("client"), QStringLiteral("natter ChatClient")},
                             {QStringLiteral("messages"), received},
                             {QStringLiteral("seconds"), seconds},
                             {QStringLiteral("perSecond"), qRound64(received / seconds)},
                             {QStringLiteral("rssMiB"), residentMiB()}};
    printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// What one login costs the server at the default password parameters, and so how many logins one
// core sustains: PasswordRecord::check (one PBKDF2-HMAC-SHA256 derivation), then the whole login
// path on a real UserStore in a temporary directory (look-up, derivation, token issued), each the
// median of RUNS, in CPU time of this thread (wall time alongside). The last line is JSON for tools/bench.sh.
// Node.js's crypto.pbkdf2Sync (OpenSSL) with the same parameters is node/pbkdf2.js.
//
//   bench_login [--runs 3] [--iterations 600000]

#include "passwordrecord.h"
#include "userstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPasswordDigestor>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

namespace {

struct Cost
{
    double cpuMs = 0;  // this thread's CPU time: what the work costs a core, however busy the machine
    double wallMs = 0; // for reference; on a shared machine it includes waiting for a core
};

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

Cost median(int runs, const std::function<void()> &work)
{
    std::vector<double> cpu, wall;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        const double start = threadCpuMs();
        work();
        cpu.push_back(threadCpuMs() - start);
        wall.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(cpu.begin(), cpu.end());
    std::sort(wall.begin(), wall.end());
    return {cpu[cpu.size() / 2], wall[wall.size() / 2]};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("runs"), QStringLiteral("Runs of each measurement."),
                        QStringLiteral("n"), QStringLiteral("3")},
                       {QStringLiteral("iterations"), QStringLiteral("PBKDF2 iterations."),
                        QStringLiteral("n"), QString::number(PasswordRecord::DefaultIterations)}});
    parser.process(app);
    const int runs = qMax(1, parser.value(QStringLiteral("runs")).toInt());
    const int iterations = qMax(1, parser.value(QStringLiteral("iterations")).toInt());

    const QString password = QStringLiteral("correct horse battery staple");
    const QString record = PasswordRecord::create(password, iterations);
    const Cost derivation = median(runs, [&] {
        if (!PasswordRecord::check(record, password, iterations).matches)
            qFatal("the password did not match");
    });

    // What Qt's own PBKDF2 would cost instead (PasswordRecord uses OpenSSL's; see there).
    const QByteArray salt(16, 'x');
    const Cost qt = median(runs, [&] {
        QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt, iterations,
                                           32);
    });

    QTemporaryDir dir;
    UserStore::Options options;
    options.iterations = iterations;
    UserStore store(dir.path(), options);
    if (!store.open() || store.addUser(QStringLiteral("ana"), password) != UserStore::Result::Ok)
        qFatal("%s", qPrintable(store.errorString()));
    const Cost login = median(runs, [&] {
        const auto account = store.verifyPassword(QStringLiteral("ana"), password);
        if (!account || store.issueToken(*account).isEmpty())
            qFatal("login failed: %s", qPrintable(store.errorString()));
    });

    std::printf(
        "PBKDF2-HMAC-SHA256, %d iterations, 32-byte key (OpenSSL), median of %d, CPU time of one thread\n",
        iterations, runs);
    std::printf("derivation: %.1f ms (wall %.1f ms)\n", derivation.cpuMs, derivation.wallMs);
    std::printf("full login (look-up, derivation, token issued): %.1f ms (wall %.1f ms)\n", login.cpuMs,
                login.wallMs);
    std::printf("logins per second on one core: %.2f\n", 1000.0 / login.cpuMs);
    std::printf("the same derivation with QPasswordDigestor: %.1f ms (wall %.1f ms)\n", qt.cpuMs, qt.wallMs);
    const QJsonObject json{{QStringLiteral("iterations"), iterations},
                           {QStringLiteral("derivationMs"), derivation.cpuMs},
                           {QStringLiteral("loginMs"), login.cpuMs},
                           {QStringLiteral("loginsPerSecond"), 1000.0 / login.cpuMs},
                           {QStringLiteral("qtDerivationMs"), qt.cpuMs}};
    std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
    return 0;
}

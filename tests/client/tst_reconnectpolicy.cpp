// SPDX-License-Identifier: GPL-3.0-or-later
#include "reconnectpolicy.h"

#include <QSet>
#include <QTest>

//! Backoff delays: growth, cap, jitter bounds, max attempts and reset.
class TestReconnectPolicy : public QObject
{
    Q_OBJECT

private slots:
    void growsExponentiallyUpToTheCap()
    {
        ReconnectPolicy policy({1000, 2.0, 30000, 0.0, 0});
        QList<int> delays;
        for (int i = 0; i < 8; ++i)
            delays.append(*policy.nextDelay());
        QCOMPARE(delays, (QList<int>{1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
        QCOMPARE(policy.attempt(), 8);
    }

    void jitterStaysWithinBoundsAndVaries()
    {
        const ReconnectPolicy::Settings settings{1000, 1.5, 30000, 0.3, 0};
        QSet<int> firstDelays;
        for (quint64 seed = 1; seed <= 50; ++seed) {
            ReconnectPolicy policy(settings, seed);
            for (int attempt = 1; attempt <= 20; ++attempt) {
                const int d = *policy.nextDelay();
                QVERIFY2(d >= policy.minDelay(attempt) && d <= policy.maxDelay(attempt),
                         qPrintable(QStringLiteral("attempt %1: %2").arg(attempt).arg(d)));
                QVERIFY(d <= settings.maxDelayMs);
                QVERIFY(d >= int(policy.baseDelay(attempt) * 0.7) - 1);
                if (attempt == 1)
                    firstDelays.insert(d);
            }
        }
        // Clients that lost the same server must not all come back at the same moment.
        QVERIFY2(firstDelays.size() > 10, qPrintable(QString::number(firstDelays.size())));
        QCOMPARE(ReconnectPolicy(settings).minDelay(1), 700);
        QCOMPARE(ReconnectPolicy(settings).maxDelay(1), 1300);
        QCOMPARE(ReconnectPolicy(settings).maxDelay(30), 30000);
    }

    void maxAttemptsRunOut()
    {
        ReconnectPolicy policy({10, 2.0, 100, 0.2, 3});
        QVERIFY(policy.nextDelay());
        QVERIFY(policy.nextDelay());
        QVERIFY(!policy.exhausted());
        QVERIFY(policy.nextDelay());
        QVERIFY(policy.exhausted());
        QVERIFY(!policy.nextDelay());
        QCOMPARE(policy.attempt(), 3);
        policy.reset();
        QCOMPARE(policy.attempt(), 0);
        QVERIFY(policy.nextDelay());
    }

    void resetStartsFromTheInitialDelay()
    {
        ReconnectPolicy policy({100, 3.0, 10000, 0.0, 0});
        policy.nextDelay();
        policy.nextDelay();
        QCOMPARE(*policy.nextDelay(), 900);
        policy.reset();
        QCOMPARE(*policy.nextDelay(), 100);
    }

    void nonsenseSettingsAreTamed()
    {
        ReconnectPolicy policy({-5, 0.5, -1, 7.0, -2});
        const int d = *policy.nextDelay();
        QVERIFY(d >= 0);
        QCOMPARE(policy.settings().jitter, 1.0);
        QCOMPARE(policy.settings().factor, 1.0);
        // Huge attempt numbers neither overflow nor exceed the cap.
        ReconnectPolicy big({1000, 10.0, 30000, 0.0, 0});
        QCOMPARE(big.baseDelay(1000), 30000);
    }
};

QTEST_GUILESS_MAIN(TestReconnectPolicy)
#include "tst_reconnectpolicy.moc"

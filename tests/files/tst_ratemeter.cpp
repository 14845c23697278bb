// SPDX-License-Identifier: GPL-3.0-or-later
#include "ratemeter.h"

#include <QTest>

//! The speed shown for a transfer: bytes over the last few seconds, following changes.
class TestRateMeter : public QObject
{
    Q_OBJECT

private slots:
    void steadyRate()
    {
        RateMeter m(3000);
        QCOMPARE(m.bytesPerSecond(), 0.0);
        m.sample(0, 0);
        QCOMPARE(m.bytesPerSecond(), 0.0); // one point is no rate
        for (int t = 250; t <= 5000; t += 250)
            m.sample(t, qint64(t) * 1000); // 1,000,000 bytes/s
        QCOMPARE(m.bytesPerSecond(), 1000000.0);
    }

    void followsAChangeWithinTheWindow()
    {
        RateMeter m(1000);
        for (int t = 0; t <= 2000; t += 100)
            m.sample(t, qint64(t) * 1000);
        // Stalls: after the window has passed the rate is zero.
        for (int t = 2100; t <= 3200; t += 100)
            m.sample(t, 2000 * 1000);
        QCOMPARE(m.bytesPerSecond(), 0.0);
    }

    void restartsWhenTheCountGoesBack()
    {
        RateMeter m;
        m.sample(0, 0);
        m.sample(1000, 5000000);
        m.sample(1100, 0); // a base server restarted the upload
        QCOMPARE(m.bytesPerSecond(), 0.0);
        m.sample(1600, 500000);
        QCOMPARE(m.bytesPerSecond(), 1000000.0);
        m.reset();
        QCOMPARE(m.bytesPerSecond(), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestRateMeter)
#include "tst_ratemeter.moc"

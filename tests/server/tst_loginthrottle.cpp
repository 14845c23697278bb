// SPDX-License-Identifier: GPL-3.0-or-later
#include "loginthrottle.h"

#include <QHostAddress>
#include <QtTest>

// LoginThrottle with a clock the test moves: no waiting.
class TestLoginThrottle : public QObject
{
    Q_OBJECT

private:
    qint64 m_now = 1000000;
    const QHostAddress m_home{QStringLiteral("192.0.2.1")};
    const QHostAddress m_away{QStringLiteral("198.51.100.7")};

    LoginThrottle throttle(LoginThrottle::Settings settings = {})
    {
        return LoginThrottle(settings, [this] { return m_now; });
    }

private slots:
    void delayDoublesAfterTheFreeFailures()
    {
        auto t = throttle();
        const QString ana = QStringLiteral("ana");
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(t.delayFor(ana, m_home), 0);
            t.failed(ana, m_home);
        }
        QCOMPARE(t.delayFor(ana, m_home), 0); // three free failures
        t.failed(ana, m_home);
        QCOMPARE(t.delayFor(ana, m_home), 1000);
        m_now += 400;
        QCOMPARE(t.delayFor(ana, m_home), 600);
        m_now += 600;
        QCOMPARE(t.delayFor(ana, m_home), 0);
        t.failed(ana, m_home);
        QCOMPARE(t.delayFor(ana, m_home), 2000);
        t.failed(ana, m_home);
        QCOMPARE(t.delayFor(ana, m_home), 4000);
        // The account is delayed from anywhere: a botnet gains nothing on one name.
        QCOMPARE(t.delayFor(ana, m_away), 4000);
    }

    void delayIsCapped()
    {
        auto t = throttle();
        for (int i = 0; i < 200; ++i) {
            t.failed(QStringLiteral("ana"), m_home);
            m_now += 1000;
        }
        m_now -= 1000; // back to the last failure
        QCOMPARE(t.delayFor(QStringLiteral("ana"), m_home), LoginThrottle::Settings{}.maxDelayMs);
    }

    void successClearsTheAccountOnly()
    {
        auto t = throttle();
        for (int i = 0; i < 12; ++i)
            t.failed(QStringLiteral("ana"), m_home);
        QVERIFY(t.delayFor(QStringLiteral("ana"), m_away) > 0);
        t.succeeded(QStringLiteral("ana"), m_home);
        QCOMPARE(t.delayFor(QStringLiteral("ana"), m_away), 0);
        // The address's count stays (see LoginThrottle): twelve failures from it, ten free.
        QCOMPARE(t.delayFor(QStringLiteral("ana"), m_home), 2000);
    }

    void anAddressTryingManyNamesIsSlowed()
    {
        auto t = throttle();
        for (int i = 0; i < 10; ++i)
            t.failed(QStringLiteral("user%1").arg(i), m_home);
        QCOMPARE(t.delayFor(QStringLiteral("fresh"), m_home), 0);
        t.failed(QStringLiteral("user10"), m_home);
        QCOMPARE(t.delayFor(QStringLiteral("fresh"), m_home), 1000);
        QCOMPARE(t.delayFor(QStringLiteral("fresh"), m_away), 0);
    }

    void addressesCountPerMachine()
    {
        QCOMPARE(LoginThrottle::addressKey(QHostAddress(QStringLiteral("2001:db8:1:2::1"))),
                 LoginThrottle::addressKey(QHostAddress(QStringLiteral("2001:db8:1:2:ffff:ffff:ffff:ffff"))));
        QVERIFY(LoginThrottle::addressKey(QHostAddress(QStringLiteral("2001:db8:1:2::1"))) !=
                LoginThrottle::addressKey(QHostAddress(QStringLiteral("2001:db8:1:3::1"))));
        QCOMPARE(LoginThrottle::addressKey(QHostAddress(QStringLiteral("::ffff:192.0.2.1"))),
                 LoginThrottle::addressKey(m_home));
        QVERIFY(LoginThrottle::addressKey(m_home) != LoginThrottle::addressKey(m_away));
    }

    void entriesAreForgotten()
    {
        auto t = throttle();
        for (int i = 0; i < 5; ++i)
            t.failed(QStringLiteral("ana"), m_home);
        QCOMPARE(t.delayFor(QStringLiteral("ana"), m_home), 2000);
        m_now += LoginThrottle::Settings{}.forgetAfterMs;
        QCOMPARE(t.delayFor(QStringLiteral("ana"), m_home), 0);
        t.failed(QStringLiteral("ana"), m_home); // counting starts again
        QCOMPARE(t.delayFor(QStringLiteral("ana"), m_home), 0);
    }

    void memoryIsBounded()
    {
        LoginThrottle::Settings settings;
        settings.maxTracked = 100;
        auto t = throttle(settings);
        for (int i = 0; i < 1000; ++i) {
            ++m_now;
            t.failed(QStringLiteral("user%1").arg(i), QHostAddress(quint32(0x0a000000 + i)));
            QVERIFY(t.trackedAccounts() <= 100);
            QVERIFY(t.trackedAddresses() <= 100);
        }
        // The newest entries are the ones kept.
        for (int i = 0; i < 4; ++i)
            t.failed(QStringLiteral("user999"), m_home);
        QVERIFY(t.delayFor(QStringLiteral("user999"), m_away) > 0);
    }
};

QTEST_GUILESS_MAIN(TestLoginThrottle)
#include "tst_loginthrottle.moc"

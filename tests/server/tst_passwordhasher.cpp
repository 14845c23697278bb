// SPDX-License-Identifier: GPL-3.0-or-later
#include "passwordhasher.h"
#include "passwordrecord.h"

#include <QFutureWatcher>
#include <QPasswordDigestor>
#include <QTimer>
#include <QtTest>

// PasswordRecord's format and derivation, and PasswordHasher running them off the event loop.
class TestPasswordHasher : public QObject
{
    Q_OBJECT

private:
    template<typename T>
    static T waitFor(const QFuture<T> &future)
    {
        QFutureWatcher<T> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcher<T>::finished);
        watcher.setFuture(future);
        if (!future.isFinished())
            finished.wait(60000);
        return future.result();
    }

private slots:
    void matchesAKnownAnswer()
    {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1 (first 32 bytes).
        const QByteArray key =
            QByteArray::fromHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        const QString record =
            QStringLiteral("pbkdf2-sha256$1$%1$%2")
                .arg(QString::fromLatin1(QByteArray("salt").toBase64()), QString::fromLatin1(key.toBase64()));
        QCOMPARE(PasswordRecord::iterations(record), 1);
        QVERIFY(PasswordRecord::check(record, QStringLiteral("passwd"), 1).matches);
        QVERIFY(!PasswordRecord::check(record, QStringLiteral("passwe"), 1).matches);
    }

    // Records are PBKDF2 as Qt computes it too: either could have written them.
    void agreesWithQPasswordDigestor()
    {
        for (int iterations : {1, 2, 1000, 4096}) {
            const QString password = QStringLiteral("pässwörd ✓");
            const QByteArray salt = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f");
            const QByteArray key = QPasswordDigestor::deriveKeyPbkdf2(
                QCryptographicHash::Sha256, password.toUtf8(), salt, iterations, 32);
            const QString record =
                QStringLiteral("pbkdf2-sha256$%1$%2$%3")
                    .arg(iterations)
                    .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(key.toBase64()));
            QVERIFY(PasswordRecord::check(record, password, iterations).matches);
        }
    }

    void recordsAreSaltedAndSelfDescribing()
    {
        const QString a = PasswordRecord::create(QStringLiteral("pw"), 1000);
        const QString b = PasswordRecord::create(QStringLiteral("pw"), 1000);
        QVERIFY(a != b); // a fresh salt each time
        const QStringList parts = a.split(QLatin1Char('$'));
        QCOMPARE(parts.size(), 4);
        QCOMPARE(parts.at(0), QStringLiteral("pbkdf2-sha256"));
        QCOMPARE(parts.at(1), QStringLiteral("1000"));
        QCOMPARE(QByteArray::fromBase64(parts.at(2).toLatin1()).size(), 16);
        QCOMPARE(QByteArray::fromBase64(parts.at(3).toLatin1()).size(), 32);
        const auto check = PasswordRecord::check(a, QStringLiteral("pw"), 1000);
        QVERIFY(check.matches);
        QVERIFY(check.upgraded.isEmpty());
        const auto upgrade = PasswordRecord::check(a, QStringLiteral("pw"), 2000);
        QVERIFY(upgrade.matches);
        QCOMPARE(PasswordRecord::iterations(upgrade.upgraded), 2000);
        QVERIFY(PasswordRecord::check(upgrade.upgraded, QStringLiteral("pw"), 2000).matches);
        QVERIFY(PasswordRecord::check(a, QStringLiteral("PW"), 2000).upgraded.isEmpty());
    }

    void unreadableRecordsNeverMatch()
    {
        for (const QString &record :
             {QString(), QStringLiteral("pw"), QStringLiteral("md5$1$c2FsdA==$AAAA"),
              QStringLiteral("pbkdf2-sha256$0$c2FsdA==$") + QString::fromLatin1(QByteArray(32, 0).toBase64()),
              QStringLiteral("pbkdf2-sha256$999999999999$c2FsdA==$") +
                  QString::fromLatin1(QByteArray(32, 0).toBase64()),
              QStringLiteral("pbkdf2-sha256$1$c2FsdA==$c2hvcnQ="), PasswordRecord::dummy(1000)}) {
            QCOMPARE(PasswordRecord::check(record, QString(), 1000).matches, false);
            QCOMPARE(PasswordRecord::check(record, QStringLiteral("pw"), 1000).matches, false);
        }
    }

    void comparesInConstantTime()
    {
        QVERIFY(PasswordRecord::constantTimeEquals("abc", "abc"));
        QVERIFY(!PasswordRecord::constantTimeEquals("abc", "abd"));
        QVERIFY(!PasswordRecord::constantTimeEquals("abc", "ab"));
        QVERIFY(PasswordRecord::constantTimeEquals({}, {}));
    }

    void hasherGivesTheRightAnswers()
    {
        PasswordHasher hasher(2);
        const QString record = waitFor(hasher.create(QStringLiteral("secret"), 1000));
        QCOMPARE(PasswordRecord::iterations(record), 1000);
        auto right = hasher.check(record, QStringLiteral("secret"), 1000);
        auto wrong = hasher.check(record, QStringLiteral("Secret"), 1000);
        auto weaker = hasher.check(record, QStringLiteral("secret"), 3000);
        QVERIFY(waitFor(right).matches);
        QVERIFY(!waitFor(wrong).matches);
        QCOMPARE(PasswordRecord::iterations(waitFor(weaker).upgraded), 3000);
        QTRY_COMPARE(hasher.pending(), 0);
    }

    // The real cost, once: a derivation at the default parameters runs while the event loop
    // (here a timer) goes on.
    void defaultCostRunsOffTheEventLoop()
    {
        PasswordHasher hasher;
        const QString record =
            PasswordRecord::create(QStringLiteral("secret"), PasswordRecord::DefaultIterations);
        QVERIFY(record.startsWith(QLatin1String("pbkdf2-sha256$600000$")));
        int ticks = 0;
        QTimer timer;
        timer.setInterval(5);
        connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
        timer.start();
        auto future = hasher.check(record, QStringLiteral("secret"), PasswordRecord::DefaultIterations);
        QCOMPARE(hasher.pending(), 1);
        QVERIFY(waitFor(future).matches);
        QVERIFY2(ticks > 0, "the event loop stood still during the derivation");
    }
};

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"

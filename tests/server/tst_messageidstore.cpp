// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageidstore.h"

#include <QtTest>

// The store's bounds, with a clock the test moves (the server's runs for a day).
class TestMessageIdStore : public QObject
{
    Q_OBJECT

private:
    qint64 m_now = 1000;
    MessageIdStore make(int perUser, int total, qint64 windowMs)
    {
        return MessageIdStore({perUser, total, windowMs}, [this] { return m_now; });
    }
    static MessageIdStore::Record at(qint64 seq) { return {seq, QStringLiteral("general"), seq}; }

private slots:
    void init() { m_now = 1000; }

    void idsArePerUserAndNamesFoldCase()
    {
        MessageIdStore store = make(10, 100, 60000);
        store.insert(QStringLiteral("alice"), QStringLiteral("x"), at(1));
        QCOMPARE(store.find(QStringLiteral("alice"), QStringLiteral("x"))->seq, 1);
        QCOMPARE(store.find(QStringLiteral("ALICE"), QStringLiteral("x"))->seq, 1);
        QVERIFY(!store.find(QStringLiteral("bob"), QStringLiteral("x")));
        store.insert(QStringLiteral("bob"), QStringLiteral("x"), at(2));
        QCOMPARE(store.find(QStringLiteral("bob"), QStringLiteral("x"))->seq, 2);
        QCOMPARE(store.find(QStringLiteral("alice"), QStringLiteral("x"))->seq, 1); // untouched
        store.insert(QStringLiteral("alice"), QStringLiteral("x"), at(3)); // kept: the first one counts
        QCOMPARE(store.find(QStringLiteral("alice"), QStringLiteral("x"))->seq, 1);
        QCOMPARE(store.size(), 2);
    }

    void idsLeaveAfterTheWindow()
    {
        MessageIdStore store = make(10, 100, 60000);
        store.insert(QStringLiteral("alice"), QStringLiteral("old"), at(1));
        m_now += 30000;
        store.insert(QStringLiteral("alice"), QStringLiteral("new"), at(2));
        m_now += 29999;
        QVERIFY(store.find(QStringLiteral("alice"), QStringLiteral("old")));
        m_now += 1;
        QVERIFY(!store.find(QStringLiteral("alice"), QStringLiteral("old")));
        QVERIFY(store.find(QStringLiteral("alice"), QStringLiteral("new")));
        // Memory comes back too, for users who send nothing more (the periodic sweep).
        m_now += 120000;
        store.insert(QStringLiteral("bob"), QStringLiteral("y"), at(3));
        QCOMPARE(store.size(), 1);
        QCOMPARE(store.userCount(), 1);
    }

    void aUserKeepsItsNewestIds()
    {
        MessageIdStore store = make(3, 100, 60000);
        for (int i = 1; i <= 5; ++i)
            store.insert(QStringLiteral("alice"), QString::number(i), at(i));
        QCOMPARE(store.size(), 3);
        QVERIFY(!store.find(QStringLiteral("alice"), QStringLiteral("2")));
        QVERIFY(store.find(QStringLiteral("alice"), QStringLiteral("3")));
        QVERIFY(store.find(QStringLiteral("alice"), QStringLiteral("5")));
    }

    void whenFullTheBiggestHolderPays()
    {
        MessageIdStore store = make(1000, 20, 60000);
        for (int u = 0; u < 4; ++u)
            store.insert(QStringLiteral("user%1").arg(u), QStringLiteral("kept"), at(u));
        // Many names flooding at once: each stays below the others' share only by losing its own.
        for (int i = 0; i < 500; ++i) {
            store.insert(QStringLiteral("flood-a"), QStringLiteral("a%1").arg(i), at(i));
            store.insert(QStringLiteral("flood-b"), QStringLiteral("b%1").arg(i), at(i));
        }
        QCOMPARE(store.size(), 20);
        for (int u = 0; u < 4; ++u)
            QVERIFY(store.find(QStringLiteral("user%1").arg(u), QStringLiteral("kept")));
        QVERIFY(store.find(QStringLiteral("flood-a"), QStringLiteral("a499")));
        QVERIFY(!store.find(QStringLiteral("flood-a"), QStringLiteral("a0")));
    }
};

QTEST_GUILESS_MAIN(TestMessageIdStore)
#include "tst_messageidstore.moc"

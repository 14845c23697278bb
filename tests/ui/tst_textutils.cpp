// SPDX-License-Identifier: GPL-3.0-or-later
#include "linkfinder.h"
#include "typingtext.h"

#include <QtTest>

class TestTextUtils : public QObject
{
    Q_OBJECT

private slots:
    void typingSentence()
    {
        QVERIFY(TypingText::describe({}).isEmpty());
        QCOMPARE(TypingText::describe({QStringLiteral("bob")}), QStringLiteral("bob is typing…"));
        QCOMPARE(TypingText::describe({QStringLiteral("bob"), QStringLiteral("eve")}),
                 QStringLiteral("bob and eve are typing…"));
        QCOMPARE(TypingText::describe({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}),
                 QStringLiteral("Several people are typing…"));
    }

    void findsLinks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("urls");
        QTest::addColumn<QList<int>>("starts");
        QTest::newRow("none") << QStringLiteral("just words: a.b") << QStringList{} << QList<int>{};
        QTest::newRow("http") << QStringLiteral("see http://example.org/x?a=1.")
                              << QStringList{QStringLiteral("http://example.org/x?a=1")} << QList<int>{4};
        QTest::newRow("two") << QStringLiteral("https://a.example and www.b.example/p, ok")
                             << QStringList{QStringLiteral("https://a.example"),
                                            QStringLiteral("https://www.b.example/p")}
                             << QList<int>{0, 22};
        QTest::newRow("brackets") << QStringLiteral("(https://en.example/wiki/Foo_(bar))")
                                  << QStringList{QStringLiteral("https://en.example/wiki/Foo_(bar)")}
                                  << QList<int>{1};
        QTest::newRow("no host") << QStringLiteral("http:// nothing") << QStringList{} << QList<int>{};
    }

    void findsLinks()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, urls);
        QFETCH(QList<int>, starts);
        const auto links = LinkFinder::find(text);
        QStringList found;
        QList<int> foundStarts;
        for (const auto &l : links) {
            found.append(l.url.toString());
            foundStarts.append(l.start);
        }
        QCOMPARE(found, urls);
        QCOMPARE(foundStarts, starts);
    }

    void linkAtPosition()
    {
        const QString text = QStringLiteral("go to https://example.org now");
        QCOMPARE(LinkFinder::linkAt(text, 8), QUrl(QStringLiteral("https://example.org")));
        QVERIFY(LinkFinder::linkAt(text, 2).isEmpty());
        QVERIFY(LinkFinder::linkAt(text, int(text.size()) - 1).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTextUtils)
#include "tst_textutils.moc"

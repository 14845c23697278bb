// SPDX-License-Identifier: GPL-3.0-or-later
// natter-cli's hand-built JSON lines are byte for byte what QJsonDocument writes for the same
// object (docs/CLI.md promises compact QJsonDocument output, keys sorted).
#include "jsonlinewriter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>

class TestJsonLineWriter : public QObject
{
    Q_OBJECT
private slots:
    void sameAsQJsonDocument_data();
    void sameAsQJsonDocument();
    void generalObjectsPassThrough();
    void terminalControlsAreEscaped();
};

void TestJsonLineWriter::sameAsQJsonDocument_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("number");
    QTest::newRow("plain") << QStringLiteral("message 1 with a little text in it") << qint64(1763770002000);
    QTest::newRow("empty") << QString() << qint64(0);
    QTest::newRow("quotes and backslashes") << QStringLiteral("say \"hi\" \\ bye /") << qint64(-1);
    QString controls;
    for (char16_t c = 0; c < 0x20; ++c)
        controls.append(QChar(c));
    controls.append(QChar(0x7f));
    QTest::newRow("control characters") << controls << qint64(42);
    QTest::newRow("two- and three-byte UTF-8") << QStringLiteral("é ß 中文 €") << qint64(1);
    QTest::newRow("surrogate pair") << QString::fromUtf8("smile \xF0\x9F\x98\x80 done") << (qint64(1) << 53);
    QTest::newRow("lone high surrogate at the end")
        << (QStringLiteral("x") + QChar(0xd83d)) << -(qint64(1) << 53);
    QTest::newRow("lone high surrogate before a letter")
        << (QString(QChar(0xd83d)) + QStringLiteral("a")) << qint64(7);
    QTest::newRow("lone low surrogate")
        << (QStringLiteral("a") + QChar(0xde00) + QStringLiteral("b")) << qint64(7);
    QTest::newRow("long") << QString(70000, QLatin1Char('z')) << qint64(123456789);
    QTest::newRow("terminal controls")
        << QString::fromUtf16(u"CSI \u009b31m red, \u202egnp.exe, \u2066isolate\u2069 \u061c\u200f \u0085")
        << qint64(5);
}

void TestJsonLineWriter::sameAsQJsonDocument()
{
    QFETCH(QString, text);
    QFETCH(qint64, number);
    QTemporaryFile file;
    QVERIFY(file.open());
    {
        JsonLineWriter writer(file.handle());
        writer.beginLine();
        writer.field(QLatin1String("event"), QStringLiteral("message"));
        writer.field(QLatin1String("seq"), number);
        writer.field(QLatin1String("text"), text);
        writer.endLine();
    }
    const QJsonObject expected{{QStringLiteral("event"), QStringLiteral("message")},
                               {QStringLiteral("seq"), double(number)},
                               {QStringLiteral("text"), text}};
    file.seek(0);
    QCOMPARE(file.readAll(),
             JsonLineWriter::terminalSafe(QJsonDocument(expected).toJson(QJsonDocument::Compact)) + '\n');
}

// What a hostile sender puts in a message can colour, move or reorder a terminal: none of it
// reaches the output raw, and the JSON still reads back as the same text.
void TestJsonLineWriter::terminalControlsAreEscaped()
{
    const QString hostile = QString::fromUtf16(u"a\u009b2Jb\u202ec\u2067d\u0080e");
    QTemporaryFile file;
    QVERIFY(file.open());
    {
        JsonLineWriter writer(file.handle());
        writer.beginLine();
        writer.field(QLatin1String("text"), hostile);
        writer.endLine();
        writer.write(QJsonObject{{QStringLiteral("text"), hostile}});
    }
    file.seek(0);
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines.first(2)) {
        for (const char *raw : {"\xc2\x9b", "\xe2\x80\xae", "\xe2\x81\xa7", "\xc2\x80"})
            QVERIFY2(!line.contains(raw), line.constData());
        QVERIFY(line.contains("\\u009b") && line.contains("\\u202e"));
        QCOMPARE(QJsonDocument::fromJson(line).object().value(QLatin1String("text")).toString(), hostile);
    }
}

void TestJsonLineWriter::generalObjectsPassThrough()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    const QJsonObject first{{QStringLiteral("event"), QStringLiteral("state")},
                            {QStringLiteral("time"), 1.0}};
    const QJsonObject second{{QStringLiteral("event"), QStringLiteral("exit")},
                             {QStringLiteral("pending"), 0}};
    {
        JsonLineWriter writer(file.handle());
        writer.write(first);
        writer.write(second);
        writer.flush();
        file.seek(0);
        QCOMPARE(file.readAll(), QJsonDocument(first).toJson(QJsonDocument::Compact) + '\n' +
                                     QJsonDocument(second).toJson(QJsonDocument::Compact) + '\n');
    }
}

QTEST_GUILESS_MAIN(TestJsonLineWriter)
#include "tst_jsonlinewriter.moc"

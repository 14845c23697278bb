// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsontree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

namespace {

// Converts our tree back to Qt's JSON types, so the two parsers can be compared value by value.
QJsonValue toQt(const JsonTree &tree, int index)
{
    const JsonTree::Node &n = tree.node(index);
    switch (n.kind) {
    case JsonTree::Kind::Null:
        return QJsonValue::Null;
    case JsonTree::Kind::True:
        return true;
    case JsonTree::Kind::False:
        return false;
    case JsonTree::Kind::Number:
        return n.number;
    case JsonTree::Kind::String:
        return tree.string(index);
    case JsonTree::Kind::Array: {
        QJsonArray a;
        for (int c = n.child; c >= 0; c = tree.node(c).next)
            a.append(toQt(tree, c));
        return a;
    }
    case JsonTree::Kind::Object: {
        QJsonObject o;
        for (int c = n.child; c >= 0; c = tree.node(c).next)
            o.insert(tree.keyOf(c).toString(), toQt(tree, c));
        return o;
    }
    }
    return {};
}

const char *const kSeeds[] = {
    "{\"type\":\"chatMessage\",\"user\":\"bob\",\"text\":\"hi \\\"there\\\" "
    "\\u00e9\\ud83c\\udf89\",\"timestamp\":1763770000123,\"seq\":42}",
    "{\"type\":\"roomJoined\",\"room\":\"r\",\"users\":[\"a\",\"b\"],\"history\":[{\"type\":\"chatMessage\","
    "\"text\":\"x\"}],\"lastSeq\":0}",
    "{\"type\":\"rooms\",\"rooms\":[{\"name\":\"g\",\"userCount\":3},{\"name\":\"h\",\"userCount\":0}]}",
    "{\"a\":[1,-2,3.5,-0.25e3,1E-2,true,false,null,{},[]],\"b\":\"\\/\\\\\\b\\f\\n\\r\\t\"}",
    "[{\"x\":{\"y\":{\"z\":[[[]]]}}}]",
};

} // namespace

class TestJsonTree : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithQJsonDocumentOnValidInput()
    {
        for (const char *seed : kSeeds) {
            const QString text = QString::fromUtf8(seed);
            JsonTree tree;
            QVERIFY2(tree.parse(text), qPrintable(tree.error()));
            const QJsonDocument doc = QJsonDocument::fromJson(seed);
            const QJsonValue expected = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
            QCOMPARE(toQt(tree, tree.root()), expected);
        }
    }

    void rejectsWhatJsonRejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("spaces") << QStringLiteral("   ");
        QTest::newRow("open object") << QStringLiteral("{");
        QTest::newRow("trailing comma") << QStringLiteral("{\"a\":1,}");
        QTest::newRow("missing colon") << QStringLiteral("{\"a\" 1}");
        QTest::newRow("bare key") << QStringLiteral("{a:1}");
        QTest::newRow("single quotes") << QStringLiteral("{'a':1}");
        QTest::newRow("raw newline in string") << QStringLiteral("{\"a\":\"x\ny\"}");
        QTest::newRow("bad escape") << QStringLiteral("{\"a\":\"\\x\"}");
        QTest::newRow("short unicode escape") << QStringLiteral("{\"a\":\"\\u12\"}");
        QTest::newRow("leading plus") << QStringLiteral("{\"a\":+1}");
        QTest::newRow("dot without digits") << QStringLiteral("{\"a\":1.}");
        QTest::newRow("exponent without digits") << QStringLiteral("{\"a\":1e}");
        QTest::newRow("NaN") << QStringLiteral("{\"a\":NaN}");
        QTest::newRow("huge exponent") << QStringLiteral("{\"a\":1e400}");
        QTest::newRow("truncated literal") << QStringLiteral("{\"a\":tru}");
        QTest::newRow("two values") << QStringLiteral("{} {}");
        QTest::newRow("unterminated string") << QStringLiteral("{\"a\":\"abc");
        QTest::newRow("too deep") << QString(JsonTree::MaxDepth + 2, QLatin1Char('[')) +
                                         QString(JsonTree::MaxDepth + 2, QLatin1Char(']'));
    }

    void rejectsWhatJsonRejects()
    {
        QFETCH(QString, text);
        JsonTree tree;
        QVERIFY(!tree.parse(text));
        QVERIFY(!tree.error().isEmpty());
        QVERIFY(tree.errorOffset() >= 0 && tree.errorOffset() <= text.size());
    }

    // Mutated protocol messages: nothing crashes, and what we accept QJsonDocument accepts and
    // reads identically. Inputs are bounded and seeded, so a failure reproduces.
    void agreesWithQJsonDocumentOnMutations()
    {
        QRandomGenerator rng(20261122);
        const QString alphabet = QStringLiteral("{}[]\":,\\ 0123456789.eE+-tfnulrsa\u00e9");
        int accepted = 0;
        for (int round = 0; round < 20000; ++round) {
            QString text = QString::fromUtf8(kSeeds[rng.bounded(int(std::size(kSeeds)))]);
            const int edits = 1 + rng.bounded(3);
            for (int e = 0; e < edits && !text.isEmpty(); ++e) {
                const int pos = rng.bounded(int(text.size()));
                switch (rng.bounded(3)) {
                case 0:
                    text.remove(pos, 1 + rng.bounded(3));
                    break;
                case 1:
                    text.insert(pos, alphabet.at(rng.bounded(int(alphabet.size()))));
                    break;
                default:
                    text[pos] = alphabet.at(rng.bounded(int(alphabet.size())));
                    break;
                }
            }
            JsonTree tree;
            const bool ours = tree.parse(text);
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
            const bool theirs = err.error == QJsonParseError::NoError;
            // Qt accepts only an object or array at the top; compare where both grammars apply.
            const QString trimmed = text.trimmed();
            if (!trimmed.startsWith(QLatin1Char('{')) && !trimmed.startsWith(QLatin1Char('[')))
                continue;
            // We are stricter than Qt, never laxer: Qt also takes "\\m", ".5" and "3.", which
            // RFC 8259 does not allow. Whatever we accept, Qt accepts and reads the same way.
            if (!ours)
                continue;
            QVERIFY2(theirs, qPrintable(QStringLiteral("disagree on: %1 (ours: %2, Qt: %3)")
                                            .arg(text, tree.error(), err.errorString())));
            if (ours) {
                ++accepted;
                const QJsonValue expected =
                    doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
                QCOMPARE(toQt(tree, tree.root()), expected);
            }
        }
        QVERIFY(accepted > 100); // the mutations must exercise the accepting paths too
    }
};

QTEST_GUILESS_MAIN(TestJsonTree)
#include "tst_jsontree.moc"

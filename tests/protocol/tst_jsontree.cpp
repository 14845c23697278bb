// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsontree.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

namespace {

// The duplicate-key rule this test asserts (the security issue may change it): JsonTree keeps
// every member, and member() reads a repeated key as its FIRST occurrence; QJsonDocument keeps
// the LAST. The comparison below checks both rules, so a change to either shows up here.
struct Comparison
{
    QString difference; // empty while the two readings agree
    int duplicateKeys = 0;
};

void compare(const JsonTree &tree, int index, const QJsonValue &qt, const QString &path, Comparison &c);

void differ(Comparison &c, const QString &path, const QString &what)
{
    if (c.difference.isEmpty())
        c.difference = path + QStringLiteral(": ") + what;
}

void compareObject(const JsonTree &tree, int index, const QJsonObject &qt, const QString &path, Comparison &c)
{
    QStringList order;                      // distinct keys, first occurrence first
    QHash<QString, QList<int>> occurrences; // key -> member nodes, in document order
    for (int m = tree.node(index).child; m >= 0; m = tree.node(m).next) {
        const QString key = tree.keyOf(m).toString();
        if (!occurrences.contains(key))
            order.append(key);
        occurrences[key].append(m);
    }
    // Both ways: every key we read, Qt read, and Qt read no key we did not.
    if (order.size() != qt.size())
        differ(c, path, QStringLiteral("%1 distinct keys, Qt has %2").arg(order.size()).arg(qt.size()));
    for (const QString &key : std::as_const(order)) {
        const QString at = path + QLatin1Char('.') + key;
        if (!qt.contains(key)) {
            differ(c, at, QStringLiteral("missing in Qt's reading"));
            continue;
        }
        const QList<int> &nodes = occurrences.value(key);
        if (nodes.size() > 1) {
            ++c.duplicateKeys;
            const QByteArray latin1 = key.toLatin1();
            if (QString::fromLatin1(latin1) == key &&
                tree.member(index, QLatin1String(latin1)) != nodes.constFirst())
                differ(c, at, QStringLiteral("member() does not return the first of a repeated key"));
        }
        compare(tree, nodes.constLast(), qt.value(key), at, c); // Qt's rule: the last one wins
    }
}

void compare(const JsonTree &tree, int index, const QJsonValue &qt, const QString &path, Comparison &c)
{
    const JsonTree::Node &n = tree.node(index);
    switch (n.kind) {
    case JsonTree::Kind::Null:
        if (!qt.isNull())
            differ(c, path, QStringLiteral("null, Qt has another type"));
        return;
    case JsonTree::Kind::True:
    case JsonTree::Kind::False:
        if (!qt.isBool() || qt.toBool() != (n.kind == JsonTree::Kind::True))
            differ(c, path, QStringLiteral("boolean differs"));
        return;
    case JsonTree::Kind::Number:
        if (!qt.isDouble() || qt.toDouble() != n.number)
            differ(c, path, QStringLiteral("number %1, Qt has %2").arg(n.number).arg(qt.toDouble()));
        return;
    case JsonTree::Kind::String:
        if (!qt.isString() || qt.toString() != tree.string(index))
            differ(c, path,
                   QStringLiteral("string \"%1\", Qt has \"%2\"").arg(tree.string(index), qt.toString()));
        return;
    case JsonTree::Kind::Array: {
        if (!qt.isArray()) {
            differ(c, path, QStringLiteral("array, Qt has another type"));
            return;
        }
        const QJsonArray a = qt.toArray();
        int i = 0;
        for (int e = n.child; e >= 0; e = tree.node(e).next, ++i) {
            if (i >= a.size()) {
                differ(c, path, QStringLiteral("more elements than Qt read"));
                return;
            }
            compare(tree, e, a.at(i), path + QStringLiteral("[%1]").arg(i), c);
        }
        if (i != a.size())
            differ(c, path, QStringLiteral("%1 elements, Qt has %2").arg(i).arg(a.size()));
        return;
    }
    case JsonTree::Kind::Object:
        if (!qt.isObject()) {
            differ(c, path, QStringLiteral("object, Qt has another type"));
            return;
        }
        compareObject(tree, index, qt.toObject(), path, c);
        return;
    }
}

Comparison compareWithQt(const JsonTree &tree, const QJsonDocument &doc)
{
    Comparison c;
    compare(tree, tree.root(), doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()),
            QStringLiteral("$"), c);
    return c;
}

// Where we reject what Qt accepts, it must be for a rule of RFC 8259 that Qt does not enforce
// (Qt takes unknown escapes such as "\\m", and numbers such as ".5" and "3."). Anything else
// would be a bug in our parser.
bool isStricterThanQt(const JsonTree &tree)
{
    static const QStringList laxInQt{QStringLiteral("invalid escape"), QStringLiteral("invalid number"),
                                     QStringLiteral("invalid value")};
    return laxInQt.contains(tree.error());
}

const char *const kSeeds[] = {
    "{\"type\":\"chatMessage\",\"user\":\"bob\",\"text\":\"hi \\\"there\\\" "
    "\\u00e9\\ud83c\\udf89\",\"timestamp\":1763770000123,\"seq\":42}",
    "{\"type\":\"roomJoined\",\"room\":\"r\",\"users\":[\"a\",\"b\"],\"history\":[{\"type\":\"chatMessage\","
    "\"text\":\"x\"}],\"lastSeq\":0}",
    "{\"type\":\"rooms\",\"rooms\":[{\"name\":\"g\",\"userCount\":3},{\"name\":\"h\",\"userCount\":0}]}",
    "{\"a\":[1,-2,3.5,-0.25e3,1E-2,true,false,null,{},[]],\"b\":\"\\/\\\\\\b\\f\\n\\r\\t\"}",
    "[{\"x\":{\"y\":{\"z\":[[[]]]}}}]",
    "{\"type\":\"chatMessage\",\"text\":\"first\",\"text\":\"second\",\"room\":\"r\"}",
};

} // namespace

class TestJsonTree : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithQJsonDocumentOnValidInput()
    {
        for (const char *seed : kSeeds) {
            JsonTree tree;
            const QString text = QString::fromUtf8(seed);
            QVERIFY2(tree.parse(text), qPrintable(tree.error()));
            const Comparison c = compareWithQt(tree, QJsonDocument::fromJson(seed));
            QVERIFY2(c.difference.isEmpty(), qPrintable(c.difference + QStringLiteral(" in ") + text));
        }
    }

    void repeatedKeysReadAsTheirFirstOccurrence()
    {
        const QString text = QStringLiteral(R"({"type":"chatMessage","text":"first","text":"second"})");
        JsonTree tree;
        QVERIFY(tree.parse(text));
        const int member = tree.member(tree.root(), QLatin1String("text"));
        QVERIFY(member >= 0);
        QCOMPARE(tree.string(member), QStringLiteral("first"));
        // Qt reads the same text the other way; the comparison sees it and knows both rules.
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        QCOMPARE(doc.object().value(QLatin1String("text")).toString(), QStringLiteral("second"));
        const Comparison c = compareWithQt(tree, doc);
        QVERIFY2(c.difference.isEmpty(), qPrintable(c.difference));
        QCOMPARE(c.duplicateKeys, 1);
    }

    void comparisonSeesEveryDifference_data()
    {
        QTest::addColumn<QString>("ours");
        QTest::addColumn<QString>("qt");
        QTest::newRow("a member Qt lacks")
            << QStringLiteral(R"({"a":1,"b":2})") << QStringLiteral(R"({"a":1})");
        QTest::newRow("a member we lack")
            << QStringLiteral(R"({"a":1})") << QStringLiteral(R"({"a":1,"b":2})");
        QTest::newRow("another value")
            << QStringLiteral(R"({"a":[1,2]})") << QStringLiteral(R"({"a":[1,3]})");
        QTest::newRow("a shorter array") << QStringLiteral(R"([1,2])") << QStringLiteral(R"([1,2,3])");
        QTest::newRow("a longer array") << QStringLiteral(R"([1,2,3])") << QStringLiteral(R"([1,2])");
        QTest::newRow("another type") << QStringLiteral(R"({"a":"1"})") << QStringLiteral(R"({"a":1})");
        QTest::newRow("the repeated key's last value")
            << QStringLiteral(R"({"a":1,"a":2})") << QStringLiteral(R"({"a":1})");
    }

    // The comparison itself can fail: given two different documents, it says where.
    void comparisonSeesEveryDifference()
    {
        QFETCH(QString, ours);
        QFETCH(QString, qt);
        JsonTree tree;
        QVERIFY(tree.parse(ours));
        const Comparison c = compareWithQt(tree, QJsonDocument::fromJson(qt.toUtf8()));
        QVERIFY(!c.difference.isEmpty());
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

    // Mutated protocol messages: nothing crashes; what we accept QJsonDocument accepts and reads
    // identically (repeated keys by the rules above); what QJsonDocument accepts we accept too,
    // unless RFC 8259 forbids it. Inputs are bounded and seeded, so a failure reproduces.
    void agreesWithQJsonDocumentOnMutations()
    {
        QRandomGenerator rng(20261122);
        const QString alphabet = QStringLiteral("{}[]\":,\\ 0123456789.eE+-tfnulrsa\u00e9");
        int accepted = 0;
        int duplicates = 0;
        int stricter = 0;
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
            // Both ways: what we accept Qt accepts, and what Qt accepts we accept unless RFC 8259
            // forbids it.
            if (!ours) {
                if (theirs) {
                    ++stricter;
                    QVERIFY2(
                        isStricterThanQt(tree),
                        qPrintable(QStringLiteral("we reject, Qt accepts: %1 (%2)").arg(text, tree.error())));
                }
                continue;
            }
            QVERIFY2(
                theirs,
                qPrintable(QStringLiteral("we accept, Qt rejects: %1 (%2)").arg(text, err.errorString())));
            ++accepted;
            const Comparison c = compareWithQt(tree, doc);
            QVERIFY2(c.difference.isEmpty(), qPrintable(c.difference + QStringLiteral(" in ") + text));
            duplicates += c.duplicateKeys;
        }
        // The mutations must exercise the accepting paths, repeated keys and Qt's laxer grammar.
        QVERIFY(accepted > 100);
        QVERIFY(duplicates > 10);
        QVERIFY(stricter > 0);
    }
};

QTEST_GUILESS_MAIN(TestJsonTree)
#include "tst_jsontree.moc"

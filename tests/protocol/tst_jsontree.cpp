// SPDX-License-Identifier: GPL-3.0-or-later
#include "duplicatekeys.h"
#include "jsontree.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

namespace {

// The two readings of one text. Repeated member names never get this far: JsonTree refuses
// them (PROTOCOL.md section 1), and the tests below check that it does exactly when the text
// has them, by an oracle that does not share JsonTree's code (duplicatekeys.h).
struct Comparison
{
    QString difference; // empty while the two readings agree
};

void compare(const JsonTree &tree, int index, const QJsonValue &qt, const QString &path, Comparison &c);

void differ(Comparison &c, const QString &path, const QString &what)
{
    if (c.difference.isEmpty())
        c.difference = path + QStringLiteral(": ") + what;
}

void compareObject(const JsonTree &tree, int index, const QJsonObject &qt, const QString &path, Comparison &c)
{
    int members = 0;
    for (int m = tree.node(index).child(); m >= 0; m = tree.node(m).next(), ++members) {
        const QString key = tree.keyOf(m).toString();
        const QString at = path + QLatin1Char('.') + key;
        if (!qt.contains(key)) {
            differ(c, at, QStringLiteral("missing in Qt's reading"));
            continue;
        }
        const QByteArray latin1 = key.toLatin1();
        if (QString::fromLatin1(latin1) == key && tree.member(index, QLatin1String(latin1)) != m)
            differ(c, at, QStringLiteral("member() does not find it"));
        compare(tree, m, qt.value(key), at, c);
    }
    // Both ways: every key we read, Qt read, and Qt read no key we did not.
    if (members != qt.size())
        differ(c, path, QStringLiteral("%1 members, Qt has %2").arg(members).arg(qt.size()));
}

void compare(const JsonTree &tree, int index, const QJsonValue &qt, const QString &path, Comparison &c)
{
    const JsonTree::Node &n = tree.node(index);
    switch (n.kind()) {
    case JsonTree::Kind::Null:
        if (!qt.isNull())
            differ(c, path, QStringLiteral("null, Qt has another type"));
        return;
    case JsonTree::Kind::True:
    case JsonTree::Kind::False:
        if (!qt.isBool() || qt.toBool() != (n.kind() == JsonTree::Kind::True))
            differ(c, path, QStringLiteral("boolean differs"));
        return;
    case JsonTree::Kind::Number:
        if (!qt.isDouble() || qt.toDouble() != n.number())
            differ(c, path, QStringLiteral("number %1, Qt has %2").arg(n.number()).arg(qt.toDouble()));
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
        for (int e = n.child(); e >= 0; e = tree.node(e).next(), ++i) {
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
// (Qt takes unknown escapes such as "\\m", and numbers such as ".5" and "3."), for a repeated
// name (Qt keeps the last), or for a cap. Anything else would be a bug in our parser.
bool isStricterThanQt(const JsonTree &tree, const QString &text)
{
    static const QStringList laxInQt{QStringLiteral("invalid escape"), QStringLiteral("invalid number"),
                                     QStringLiteral("invalid value")};
    if (tree.refusal() == JsonTree::Refusal::DuplicateKey)
        return hasDuplicateKeys(text);
    return laxInQt.contains(tree.error()) || tree.refusal() == JsonTree::Refusal::OverLimit;
}

const char *const kSeeds[] = {
    "{\"type\":\"chatMessage\",\"user\":\"bob\",\"text\":\"hi \\\"there\\\" "
    "\\u00e9\\ud83c\\udf89\",\"timestamp\":1763770000123,\"seq\":42}",
    "{\"type\":\"roomJoined\",\"room\":\"r\",\"users\":[\"a\",\"b\"],\"history\":[{\"type\":\"chatMessage\","
    "\"text\":\"x\"}],\"lastSeq\":0}",
    "{\"type\":\"rooms\",\"rooms\":[{\"name\":\"g\",\"userCount\":3},{\"name\":\"h\",\"userCount\":0}]}",
    "{\"a\":[1,-2,3.5,-0.25e3,1E-2,true,false,null,{},[]],\"b\":\"\\/\\\\\\b\\f\\n\\r\\t\"}",
    "[{\"x\":{\"y\":{\"z\":[[[]]]}}}]",
    // Names one edit away from repeating: the mutations below make duplicates of them.
    "{\"type\":\"chatMessage\",\"text\":\"first\",\"texu\":\"second\",\"room\":\"r\",\"\\u0061\":1,\"b\":{"
    "\"a\":1,\"aa\":2}}",
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
            QVERIFY(!hasDuplicateKeys(text));
            const Comparison c = compareWithQt(tree, QJsonDocument::fromJson(seed));
            QVERIFY2(c.difference.isEmpty(), qPrintable(c.difference + QStringLiteral(" in ") + text));
        }
    }

    // One message must not say two things: a repeated name is refused, never read as its first
    // value (as we did) or its last (as Qt does), at any depth and however it is escaped.
    void refusesRepeatedNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("repeated");
        auto wide = [](int members, const QString &last) {
            QString text = QStringLiteral("{");
            for (int i = 0; i < members; ++i)
                text += QStringLiteral("\"k%1\":%1,").arg(i);
            return text + last + QStringLiteral("}");
        };
        QTest::newRow("top level") << QStringLiteral(R"({"type":"chatMessage","text":"a","text":"b"})")
                                   << true;
        QTest::newRow("nested") << QStringLiteral(R"({"x":{"a":1,"b":2,"a":3}})") << true;
        QTest::newRow("in an array") << QStringLiteral(R"([{"a":1},{"a":1,"a":1}])") << true;
        QTest::newRow("escaped equal") << QStringLiteral(R"({"a":1,"\u0061":2})") << true;
        QTest::newRow("both escaped") << QStringLiteral(R"({"\u0061":1,"\u0061":2})") << true;
        QTest::newRow("escaped slash") << QStringLiteral(R"({"a/b":1,"a\/b":2})") << true;
        QTest::newRow("different values, null") << QStringLiteral(R"({"a":null,"a":null})") << true;
        QTest::newRow("large object") << wide(40, QStringLiteral(R"("k7":0)")) << true;
        QTest::newRow("large object, escaped") << wide(40, QStringLiteral(R"("\u006b39":0)")) << true;
        QTest::newRow("large nested")
            << QStringLiteral("[1,") + wide(100, QStringLiteral(R"("k99":0)")) + u']' << true;
        QTest::newRow("case differs") << QStringLiteral(R"({"a":1,"A":2})") << false;
        QTest::newRow("sibling objects") << QStringLiteral(R"([{"a":1},{"a":2}])") << false;
        QTest::newRow("parent and child") << QStringLiteral(R"({"a":{"a":1}})") << false;
        QTest::newRow("prefix") << QStringLiteral(R"({"a":1,"aa":2,"":3})") << false;
        QTest::newRow("large object, distinct") << wide(100, QStringLiteral(R"("k100":0)")) << false;
    }

    void refusesRepeatedNames()
    {
        QFETCH(QString, text);
        QFETCH(bool, repeated);
        // Qt reads every one of them, and the oracle agrees about which repeat a name.
        QJsonParseError error{};
        QJsonDocument::fromJson(text.toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(hasDuplicateKeys(text), repeated);
        JsonTree tree;
        QCOMPARE(tree.parse(text), !repeated);
        if (repeated) {
            QCOMPARE(tree.refusal(), JsonTree::Refusal::DuplicateKey);
            QCOMPARE(tree.error(), QStringLiteral("duplicate key"));
            QVERIFY(tree.errorOffset() > 0 && tree.errorOffset() <= text.size());
        }
    }

    void refusesRepeatedNamesAtTheSecond()
    {
        const QString text = QStringLiteral(R"({"a":1,"b":2,"a":3})");
        JsonTree tree;
        QVERIFY(!tree.parse(text));
        QCOMPARE(tree.errorOffset(), text.lastIndexOf(QLatin1String("\"a\"")));
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
        QTest::newRow("Qt's reading of a repeated name")
            << QStringLiteral(R"({"a":1,"b":2})") << QStringLiteral(R"({"a":1,"b":2,"a":3})");
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

    // Each cap holds at its value and refuses one past it, before the value is stored.
    void capsHoldAtTheirValue_data()
    {
        QTest::addColumn<int>("maxValues");
        QTest::addColumn<QString>("within");
        QTest::addColumn<QString>("over");
        QTest::addColumn<QString>("error");
        const QString s = QString(100, QLatin1Char('s'));
        QTest::newRow("values") << 4 << QStringLiteral("[1,2,3]") << QStringLiteral("[1,2,3,4]")
                                << QStringLiteral("too many values");
        QTest::newRow("values, objects")
            << 3 << QStringLiteral(R"({"a":{"b":1}})") << QStringLiteral(R"({"a":{"b":1,"c":2}})")
            << QStringLiteral("too many values");
        QTest::newRow("string") << 100 << u'"' + s + u'"' << QStringLiteral("\"s") + s + u'"'
                                << QStringLiteral("string too long");
        QTest::newRow("escaped string")
            << 100 << QStringLiteral("[\"\\n") + s.left(99) + QStringLiteral("\"]")
            << QStringLiteral("[\"\\n") + s + QStringLiteral("\"]") << QStringLiteral("string too long");
        QTest::newRow("member name") << 100 << u'{' + (u'"' + s + u'"') + QStringLiteral(":1}")
                                     << u'{' + (QStringLiteral("\"s") + s + u'"') + QStringLiteral(":1}")
                                     << QStringLiteral("string too long");
        QTest::newRow("number") << 100 << QStringLiteral("[1%1]").arg(QString(31, QLatin1Char('0')))
                                << QStringLiteral("[1%1]").arg(QString(32, QLatin1Char('0')))
                                << QStringLiteral("number too long");
        QTest::newRow("number, fraction")
            << 100 << QStringLiteral("[-0.%1e-5]").arg(QString(26, QLatin1Char('1')))
            << QStringLiteral("[-0.%1e-5]").arg(QString(27, QLatin1Char('1')))
            << QStringLiteral("number too long");
    }

    void capsHoldAtTheirValue()
    {
        QFETCH(int, maxValues);
        QFETCH(QString, within);
        QFETCH(QString, over);
        QFETCH(QString, error);
        const JsonTree::Limits limits{maxValues, 100, 32};
        JsonTree tree;
        QVERIFY2(tree.parse(within, limits), qPrintable(tree.error()));
        QVERIFY(!tree.parse(over, limits));
        QCOMPARE(tree.error(), error);
        QCOMPARE(tree.refusal(), JsonTree::Refusal::OverLimit);
        QVERIFY(tree.nodeCount() <= maxValues);
    }

    // The bound of jsontree.h on what a document can make the parser hold, for the shapes that
    // cost the most per character, parsed to the end (no value cap) and under the caps a server
    // reads a client's message with. 0.1.0 held about 130 bytes per character of [0,0,...].
    void memoryStaysWithinItsBound_data()
    {
        QTest::addColumn<QString>("text");
        const int n = 1 << 19;
        auto repeat = [n](const QString &open, const QString &item, const QString &close) {
            QString text = open;
            while (text.size() < n)
                text += item;
            text.chop(1); // the last comma
            return text + close;
        };
        QTest::newRow("[0,0,...]") << repeat(QStringLiteral("["), QStringLiteral("0,"), QStringLiteral("]"));
        QTest::newRow("[[],[],...]") << repeat(QStringLiteral("["), QStringLiteral("[],"),
                                               QStringLiteral("]"));
        QTest::newRow("[[[...]]]") << QString(JsonTree::MaxDepth, u'[') + QString(JsonTree::MaxDepth, u']');
        // Cut off: the open containers are one character each (found by fuzz_jsontree).
        QTest::newRow("[[[...") << QString(JsonTree::MaxDepth, u'[') + QStringLiteral("]]]");
        QTest::newRow("[\"\",\"\",...]")
            << repeat(QStringLiteral("["), QStringLiteral("\"\","), QStringLiteral("]"));
        QTest::newRow("escaped strings")
            << repeat(QStringLiteral("["), QStringLiteral("\"\\n\","), QStringLiteral("]"));
        QTest::newRow("one escaped string") << u'"' + QString(n, u'x') + QStringLiteral("\\t\"");
        QTest::newRow("{\"a\":0,\"a\":0,...}")
            << repeat(QStringLiteral("{"), QStringLiteral("\"a\":0,"), QStringLiteral("}"));
        QString distinct = QStringLiteral("{");
        for (int i = 0; distinct.size() < n; ++i)
            distinct += QStringLiteral("\"%1\":0,").arg(i, 0, 36);
        distinct.chop(1);
        QTest::newRow("{\"0\":0,\"1\":0,...}") << distinct + u'}';
    }

    void memoryStaysWithinItsBound()
    {
        QFETCH(QString, text);
        JsonTree tree;
        tree.parse(text, JsonTree::Limits{1 << 30, 1 << 30, 32});
        QVERIFY2(
            tree.memoryUsed() <= 16 * text.size() + 1024,
            qPrintable(QStringLiteral("%1 bytes for %2 characters").arg(tree.memoryUsed()).arg(text.size())));
        // What a server allows one client message: a few KiB of nodes, plus (here, where at most
        // one string is long) twice the longest unescaped string the caps let through.
        const JsonTree::Limits server{256, 32 * 1024, 32};
        JsonTree small;
        small.parse(text, server);
        QVERIFY2(small.memoryUsed() <= 28 * server.maxValues + 4 * qsizetype(server.maxStringLength),
                 qPrintable(QStringLiteral("%1 bytes").arg(small.memoryUsed())));
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
    // identically, and names no member twice; what QJsonDocument accepts we accept too, unless
    // RFC 8259 forbids it or it repeats a name. Inputs are bounded and seeded, so a failure reproduces.
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
            const bool repeats = theirs && hasDuplicateKeys(text);
            if (!ours) {
                if (theirs) {
                    ++stricter;
                    duplicates += tree.refusal() == JsonTree::Refusal::DuplicateKey;
                    QVERIFY2(
                        isStricterThanQt(tree, text),
                        qPrintable(QStringLiteral("we reject, Qt accepts: %1 (%2)").arg(text, tree.error())));
                }
                continue;
            }
            QVERIFY2(
                theirs,
                qPrintable(QStringLiteral("we accept, Qt rejects: %1 (%2)").arg(text, err.errorString())));
            QVERIFY2(!repeats, qPrintable(QStringLiteral("we accept a repeated name: %1").arg(text)));
            ++accepted;
            const Comparison c = compareWithQt(tree, doc);
            QVERIFY2(c.difference.isEmpty(), qPrintable(c.difference + QStringLiteral(" in ") + text));
        }
        // The mutations must exercise the accepting paths, repeated names and Qt's laxer grammar.
        QVERIFY(accepted > 100);
        QVERIFY(duplicates > 10);
        QVERIFY(stricter > 0);
    }
};

QTEST_GUILESS_MAIN(TestJsonTree)
#include "tst_jsontree.moc"

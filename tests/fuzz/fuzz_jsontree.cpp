// SPDX-License-Identifier: GPL-3.0-or-later
// JsonTree, the strict JSON parser under every protocol decoder, against QJsonDocument.
//
// Properties:
//  - a refusal has an error and an offset inside the text;
//  - what JsonTree accepts (an object or array at the top, which is all QJsonDocument reads),
//    QJsonDocument accepts too and reads the same values: same types, numbers, strings, element
//    order, keys, and no object names a member twice (duplicatekeys.h, an oracle of its own);
//  - what QJsonDocument accepts, JsonTree accepts too, unless a rule of RFC 8259 that Qt does not
//    enforce refuses it (unknown escapes, ".5", "3.", raw control characters in strings), it is
//    nested deeper than MaxDepth, it is over a cap, or it repeats a name (the oracle agrees);
//  - the tree holds at most 16 bytes per character of the text, whatever it parsed or refused;
//  - stringView() and string() agree; a string that is well-formed UTF-16 survives QJsonDocument's
//    encoder and JsonTree again unchanged.
#include "duplicatekeys.h"
#include "fuzzcheck.h"
#include "jsontree.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

int depthOf(const JsonTree &tree, int index)
{
    int deepest = 0;
    for (int c = tree.node(index).child(); c >= 0; c = tree.node(c).next())
        deepest = qMax(deepest, 1 + depthOf(tree, c));
    return deepest;
}

void checkString(const JsonTree &tree, int index)
{
    const QString s = tree.string(index);
    FUZZ_CHECK(tree.stringView(index) == s, s);
    if (!s.isValidUtf16())
        return;
    // Through Qt's encoder and back through ours.
    const QByteArray encoded = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    JsonTree again;
    const QString text = QString::fromUtf8(encoded);
    FUZZ_CHECK(again.parse(text), again.error() + QStringLiteral(" in ") + text);
    const int element = again.node(again.root()).child();
    FUZZ_CHECK(element >= 0 && again.string(element) == s, text);
}

void compare(const JsonTree &tree, int index, const QJsonValue &qt, const QString &path)
{
    const JsonTree::Node &n = tree.node(index);
    switch (n.kind()) {
    case JsonTree::Kind::Null:
        FUZZ_CHECK(qt.isNull(), path);
        return;
    case JsonTree::Kind::True:
    case JsonTree::Kind::False:
        FUZZ_CHECK(qt.isBool() && qt.toBool() == (n.kind() == JsonTree::Kind::True), path);
        return;
    case JsonTree::Kind::Number:
        FUZZ_CHECK(qt.isDouble() && qt.toDouble() == n.number(),
                   path + QStringLiteral(": %1 vs %2").arg(n.number()).arg(qt.toDouble()));
        return;
    case JsonTree::Kind::String:
        checkString(tree, index);
        FUZZ_CHECK(qt.isString() && qt.toString() == tree.string(index), path);
        return;
    case JsonTree::Kind::Array: {
        FUZZ_CHECK(qt.isArray(), path);
        const QJsonArray a = qt.toArray();
        qsizetype i = 0;
        for (int e = n.child(); e >= 0; e = tree.node(e).next(), ++i) {
            FUZZ_CHECK(i < a.size(), path);
            compare(tree, e, a.at(i), path + QStringLiteral("[%1]").arg(i));
        }
        FUZZ_CHECK(i == a.size(), path);
        return;
    }
    case JsonTree::Kind::Object: {
        FUZZ_CHECK(qt.isObject(), path);
        // Qt's members by iteration: Qt 6.4's QJsonObject::contains() and value() miss keys that
        // mix surrogate pairs with characters above U+D7FF (its sort and its search order them
        // differently), so looking keys up in Qt would report differences that are not ours.
        QHash<QString, QJsonValue> o;
        const QJsonObject object = qt.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            o.insert(it.key(), it.value());
        int members = 0;
        for (int m = n.child(); m >= 0; m = tree.node(m).next(), ++members) {
            const QString key = tree.keyOf(m).toString();
            FUZZ_CHECK(o.contains(key), path + QLatin1Char('.') + key);
            compare(tree, m, o.value(key), path + QLatin1Char('.') + key);
            const QByteArray latin1 = key.toLatin1();
            if (QString::fromLatin1(latin1) == key)
                FUZZ_CHECK(tree.member(index, QLatin1String(latin1)) == m, key);
        }
        FUZZ_CHECK(members == o.size(), path);
        return;
    }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const QString text = QString::fromUtf8(fuzzBytes(data, size));
    JsonTree tree;
    const bool ours = tree.parse(text);
    FUZZ_CHECK(tree.memoryUsed() <= 16 * text.size() + 1024,
               QStringLiteral("%1 bytes").arg(tree.memoryUsed()));
    if (!ours) {
        FUZZ_CHECK(!tree.error().isEmpty(), text);
        FUZZ_CHECK(tree.errorOffset() >= 0 && tree.errorOffset() <= text.size(), tree.error());
    }
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(QLatin1Char('{')) && !trimmed.startsWith(QLatin1Char('[')))
        return 0;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    const bool theirs = error.error == QJsonParseError::NoError;
    if (!ours) {
        static const QStringList laxInQt{QStringLiteral("invalid escape"), QStringLiteral("invalid number"),
                                         QStringLiteral("invalid value"), QStringLiteral("nested too deeply"),
                                         QStringLiteral("control character in a string")};
        if (theirs && tree.refusal() == JsonTree::Refusal::DuplicateKey)
            FUZZ_CHECK(hasDuplicateKeys(text), QStringLiteral("we see a repeated name, the oracle does not"));
        else
            FUZZ_CHECK(!theirs || laxInQt.contains(tree.error()) ||
                           tree.refusal() == JsonTree::Refusal::OverLimit,
                       QStringLiteral("we refuse (%1), Qt accepts").arg(tree.error()));
        return 0;
    }
    FUZZ_CHECK(theirs, QStringLiteral("we accept, Qt refuses: %1").arg(error.errorString()));
    FUZZ_CHECK(!hasDuplicateKeys(text), QStringLiteral("we accept a repeated name"));
    FUZZ_CHECK(depthOf(tree, tree.root()) <= JsonTree::MaxDepth + 1, QString());
    compare(tree, tree.root(), doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()),
            QStringLiteral("$"));
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsontree.h"

#include <QLocale>

#include <cmath>

namespace {

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

} // namespace

bool JsonTree::parse(QStringView text)
{
    m_nodes.clear();
    m_nodes.reserve(16); // a chat message has 7 nodes; one allocation covers nearly every frame
    m_error.clear();
    m_errorOffset = 0;
    m_begin = m_p = text.data();
    m_end = m_begin + text.size();
    skipSpace();
    if (m_p == m_end)
        return fail("empty document");
    if (parseValue(0) < 0)
        return false;
    skipSpace();
    if (m_p != m_end)
        return fail("garbage after the value");
    return true;
}

int JsonTree::member(int object, QLatin1String name) const
{
    if (object < 0 || node(object).kind != Kind::Object)
        return -1;
    for (int i = node(object).child; i >= 0; i = node(i).next) {
        if (keyOf(i) == name)
            return i;
    }
    return -1;
}

QStringView JsonTree::keyOf(int index) const
{
    const Node &n = node(index);
    return n.keyEscaped ? QStringView(n.unescapedKey) : n.key;
}

QStringView JsonTree::stringView(int index) const
{
    const Node &n = node(index);
    return n.escaped ? QStringView(n.unescaped) : n.raw;
}

QString JsonTree::string(int index) const
{
    const Node &n = node(index);
    return n.escaped ? n.unescaped : n.raw.toString();
}

void JsonTree::skipSpace()
{
    while (m_p != m_end && (*m_p == u' ' || *m_p == u'\n' || *m_p == u'\r' || *m_p == u'\t'))
        ++m_p;
}

bool JsonTree::fail(const char *what)
{
    if (m_error.isEmpty()) {
        m_error = QLatin1String(what);
        m_errorOffset = m_p - m_begin;
    }
    return false;
}

// Returns the new node's index, or -1 after fail().
int JsonTree::parseValue(int depth)
{
    if (depth > MaxDepth) {
        fail("nested too deeply");
        return -1;
    }
    if (m_p == m_end) {
        fail("unexpected end of text");
        return -1;
    }
    const int index = int(m_nodes.size());
    m_nodes.emplace_back();
    const char16_t c = m_p->unicode();
    auto literal = [this](QLatin1String word) {
        if (m_end - m_p < word.size() || QStringView(m_p, word.size()) != word)
            return fail("invalid literal");
        m_p += word.size();
        return true;
    };
    switch (c) {
    case u'{':
        return parseContainer(index, depth, Kind::Object);
    case u'[':
        return parseContainer(index, depth, Kind::Array);
    case u'"': {
        QStringView raw;
        QString unescaped;
        bool escaped = false;
        if (!parseString(raw, unescaped, escaped))
            return -1;
        Node &n = m_nodes[size_t(index)];
        n.kind = Kind::String;
        n.raw = raw;
        n.escaped = escaped;
        n.unescaped = std::move(unescaped);
        return index;
    }
    case u't':
        if (!literal(QLatin1String("true")))
            return -1;
        m_nodes[size_t(index)].kind = Kind::True;
        return index;
    case u'f':
        if (!literal(QLatin1String("false")))
            return -1;
        m_nodes[size_t(index)].kind = Kind::False;
        return index;
    case u'n':
        if (!literal(QLatin1String("null")))
            return -1;
        return index;
    default: {
        double number = 0;
        if (!parseNumber(number))
            return -1;
        m_nodes[size_t(index)].kind = Kind::Number;
        m_nodes[size_t(index)].number = number;
        return index;
    }
    }
}

// Objects and arrays share one loop; an object's elements are preceded by "name":.
int JsonTree::parseContainer(int index, int depth, Kind kind)
{
    const bool object = kind == Kind::Object;
    const char16_t close = object ? u'}' : u']';
    m_nodes[size_t(index)].kind = kind;
    ++m_p;
    skipSpace();
    if (m_p != m_end && *m_p == close) {
        ++m_p;
        return index;
    }
    int last = -1;
    for (;;) {
        skipSpace();
        QStringView key;
        QString unescapedKey;
        bool keyEscaped = false;
        if (object) {
            if (m_p == m_end || *m_p != u'"') {
                fail("expected a member name");
                return -1;
            }
            if (!parseString(key, unescapedKey, keyEscaped))
                return -1;
            skipSpace();
            if (m_p == m_end || *m_p != u':') {
                fail("expected ':' after a member name");
                return -1;
            }
            ++m_p;
            skipSpace();
        }
        const int child = parseValue(depth + 1);
        if (child < 0)
            return -1;
        Node &element = m_nodes[size_t(child)];
        element.key = key;
        element.keyEscaped = keyEscaped;
        element.unescapedKey = std::move(unescapedKey);
        (last < 0 ? m_nodes[size_t(index)].child : m_nodes[size_t(last)].next) = child;
        last = child;
        skipSpace();
        if (m_p != m_end && *m_p == u',') {
            ++m_p;
            continue;
        }
        if (m_p != m_end && *m_p == close) {
            ++m_p;
            return index;
        }
        fail(object ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array");
        return -1;
    }
}

bool JsonTree::parseString(QStringView &raw, QString &unescaped, bool &escaped)
{
    ++m_p; // opening quote
    const QChar *start = m_p;
    while (m_p != m_end && *m_p != u'"' && *m_p != u'\\') {
        if (m_p->unicode() < 0x20)
            return fail("control character in a string");
        ++m_p;
    }
    if (m_p == m_end)
        return fail("unterminated string");
    if (*m_p == u'"') {
        raw = QStringView(start, m_p - start);
        escaped = false;
        ++m_p;
        return true;
    }
    // Slow path: copy what we have and decode escapes from here on.
    escaped = true;
    unescaped = QString(start, m_p - start);
    while (m_p != m_end && *m_p != u'"') {
        const char16_t c = m_p->unicode();
        if (c < 0x20)
            return fail("control character in a string");
        if (c != u'\\') {
            unescaped.append(*m_p++);
            continue;
        }
        if (++m_p == m_end)
            return fail("unterminated escape");
        switch (m_p->unicode()) {
        case u'"':
            unescaped.append(u'"');
            break;
        case u'\\':
            unescaped.append(u'\\');
            break;
        case u'/':
            unescaped.append(u'/');
            break;
        case u'b':
            unescaped.append(u'\b');
            break;
        case u'f':
            unescaped.append(u'\f');
            break;
        case u'n':
            unescaped.append(u'\n');
            break;
        case u'r':
            unescaped.append(u'\r');
            break;
        case u't':
            unescaped.append(u'\t');
            break;
        case u'u': {
            if (m_end - m_p < 5)
                return fail("truncated \\u escape");
            int code = 0;
            for (int i = 1; i <= 4; ++i) {
                const int h = hexValue(m_p[i].unicode());
                if (h < 0)
                    return fail("invalid \\u escape");
                code = code * 16 + h;
            }
            unescaped.append(QChar(char16_t(code)));
            m_p += 4;
            break;
        }
        default:
            return fail("invalid escape");
        }
        ++m_p;
    }
    if (m_p == m_end)
        return fail("unterminated string");
    ++m_p;
    raw = QStringView(start, m_p - 1 - start);
    return true;
}

bool JsonTree::parseNumber(double &out)
{
    const QChar *start = m_p;
    bool negative = false;
    if (*m_p == u'-') {
        negative = true;
        ++m_p;
    }
    if (m_p == m_end || !isDigit(m_p->unicode()))
        return fail("invalid value");
    // Integers up to 2^53 are exact; build them directly, the common case in this protocol.
    quint64 integer = 0;
    bool exact = true;
    if (*m_p == u'0') {
        ++m_p;
    } else {
        while (m_p != m_end && isDigit(m_p->unicode())) {
            if (integer > (quint64(1) << 53) / 10)
                exact = false;
            integer = integer * 10 + (m_p->unicode() - u'0');
            ++m_p;
        }
    }
    bool fractional = false;
    if (m_p != m_end && *m_p == u'.') {
        fractional = true;
        ++m_p;
        if (m_p == m_end || !isDigit(m_p->unicode()))
            return fail("invalid number");
        while (m_p != m_end && isDigit(m_p->unicode()))
            ++m_p;
    }
    if (m_p != m_end && (*m_p == u'e' || *m_p == u'E')) {
        fractional = true;
        ++m_p;
        if (m_p != m_end && (*m_p == u'+' || *m_p == u'-'))
            ++m_p;
        if (m_p == m_end || !isDigit(m_p->unicode()))
            return fail("invalid number");
        while (m_p != m_end && isDigit(m_p->unicode()))
            ++m_p;
    }
    if (!fractional && exact) {
        out = negative ? -double(integer) : double(integer);
        return true;
    }
    // Rare: fractions, exponents and huge integers. QLocale::c() because strtod follows the
    // process locale, which a desktop app sets from the user's environment.
    bool ok = false;
    out = QLocale::c().toDouble(QStringView(start, m_p - start), &ok);
    if (!ok || !std::isfinite(out)) {
        m_p = start;
        return fail("number out of range");
    }
    return true;
}

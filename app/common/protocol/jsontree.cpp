// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsontree.h"

#include <QLocale>

#include <algorithm>
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

// Objects up to this size are checked for repeated names pairwise, as each name is read; larger
// ones by sorting their names once, so a hostile object of n members costs n log n, not n².
constexpr int SmallObject = 16;

} // namespace

bool JsonTree::parse(QStringView text, const Limits &limits)
{
    m_limits = limits;
    // Every value takes two characters at least (itself and a comma, or a container's two
    // brackets), but for the last one and the containers still open when a text is cut off:
    // no text makes more nodes than this, whatever the caps say.
    m_maxNodes = size_t(std::min<qsizetype>(std::max(limits.maxValues, 0), text.size() / 2 + MaxDepth + 2));
    m_nodes.clear();
    if (m_nodes.capacity() > m_maxNodes)
        std::vector<Node>().swap(m_nodes);
    m_unescaped.clear();
    m_keys.clear();
    m_error.clear();
    m_errorOffset = 0;
    m_refusal = Refusal::None;
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
    if (object < 0 || node(object).kind() != Kind::Object)
        return -1;
    for (int i = node(object).child(); i >= 0; i = node(i).next()) {
        if (keyOf(i) == name)
            return i;
    }
    return -1;
}

QStringView JsonTree::view(Node::Span span, bool escaped) const
{
    return QStringView((escaped ? m_unescaped.constData() : m_begin) + span.begin, span.length);
}

QStringView JsonTree::keyOf(int index) const
{
    const Node &n = node(index);
    return view(n.m_key, n.m_flags & Node::KeyEscaped);
}

QStringView JsonTree::stringView(int index) const
{
    const Node &n = node(index);
    return n.kind() == Kind::String ? view(n.m_span, n.m_flags & Node::StringEscaped) : QStringView();
}

QString JsonTree::string(int index) const
{
    return stringView(index).toString();
}

qsizetype JsonTree::memoryUsed() const
{
    return qsizetype(m_nodes.capacity() * sizeof(Node) + m_keys.capacity() * sizeof(int)) +
           m_unescaped.capacity() * qsizetype(sizeof(QChar));
}

void JsonTree::skipSpace()
{
    while (m_p != m_end && (*m_p == u' ' || *m_p == u'\n' || *m_p == u'\r' || *m_p == u'\t'))
        ++m_p;
}

bool JsonTree::fail(const char *what, Refusal refusal)
{
    if (m_error.isEmpty()) {
        m_error = QLatin1String(what);
        m_errorOffset = m_p - m_begin;
        m_refusal = refusal;
    }
    return false;
}

// Counted before anything is stored; the vector grows by doubling, but never past m_maxNodes.
int JsonTree::addNode(Kind kind)
{
    if (m_nodes.size() >= size_t(std::max(m_limits.maxValues, 0))) {
        fail("too many values", Refusal::OverLimit);
        return -1;
    }
    if (m_nodes.size() == m_nodes.capacity())
        m_nodes.reserve(
            std::max(m_nodes.size() + 1, std::min(std::max<size_t>(16, m_nodes.capacity() * 2), m_maxNodes)));
    m_nodes.emplace_back();
    m_nodes.back().m_kind = kind;
    return int(m_nodes.size()) - 1;
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
    auto literal = [this](QLatin1String word, Kind kind) {
        if (m_end - m_p < word.size() || QStringView(m_p, word.size()) != word) {
            fail("invalid literal");
            return -1;
        }
        const int index = addNode(kind);
        if (index >= 0)
            m_p += word.size();
        return index;
    };
    switch (m_p->unicode()) {
    case u'{':
    case u'[': {
        const Kind kind = *m_p == u'{' ? Kind::Object : Kind::Array;
        const int index = addNode(kind);
        return index < 0 ? -1 : parseContainer(index, depth, kind);
    }
    case u'"': {
        const int index = addNode(Kind::String);
        Node::Span span{0, 0};
        bool escaped = false;
        if (index < 0 || !parseString(span, escaped))
            return -1;
        Node &n = m_nodes[size_t(index)];
        n.m_span = span;
        n.m_flags |= escaped ? Node::StringEscaped : 0;
        return index;
    }
    case u't':
        return literal(QLatin1String("true"), Kind::True);
    case u'f':
        return literal(QLatin1String("false"), Kind::False);
    case u'n':
        return literal(QLatin1String("null"), Kind::Null);
    default: {
        const QChar *start = m_p;
        double number = 0;
        if (!parseNumber(number))
            return -1;
        const QChar *end = m_p;
        m_p = start; // a refusal points at the number
        const int index = addNode(Kind::Number);
        if (index < 0)
            return -1;
        m_p = end;
        m_nodes[size_t(index)].m_number = number;
        return index;
    }
    }
}

// Objects and arrays share one loop; an object's elements are preceded by "name":.
int JsonTree::parseContainer(int index, int depth, Kind kind)
{
    const bool object = kind == Kind::Object;
    const char16_t close = object ? u'}' : u']';
    m_nodes[size_t(index)].m_span = {-1, 0};
    ++m_p;
    skipSpace();
    if (m_p != m_end && *m_p == close) {
        ++m_p;
        return index;
    }
    int last = -1;
    int members = 0;
    for (;;) {
        skipSpace();
        Node::Span key{0, 0};
        bool keyEscaped = false;
        if (object) {
            if (m_p == m_end || *m_p != u'"') {
                fail("expected a member name");
                return -1;
            }
            const QChar *at = m_p;
            if (!parseString(key, keyEscaped))
                return -1;
            if (members < SmallObject && isRepeated(index, key, keyEscaped)) {
                m_p = at;
                fail("duplicate key", Refusal::DuplicateKey);
                return -1;
            }
            ++members;
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
        element.m_key = key;
        element.m_flags |= keyEscaped ? Node::KeyEscaped : 0;
        (last < 0 ? m_nodes[size_t(index)].m_span.begin : m_nodes[size_t(last)].m_next) = child;
        last = child;
        skipSpace();
        if (m_p != m_end && *m_p == u',') {
            ++m_p;
            continue;
        }
        if (m_p != m_end && *m_p == close) {
            if (members > SmallObject && !checkAllKeys(index, members))
                return -1;
            ++m_p;
            return index;
        }
        fail(object ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array");
        return -1;
    }
}

bool JsonTree::isRepeated(int object, Node::Span key, bool escaped)
{
    const QStringView name = view(key, escaped);
    for (int m = m_nodes[size_t(object)].m_span.begin; m >= 0; m = m_nodes[size_t(m)].m_next) {
        if (keyOf(m) == name)
            return true;
    }
    return false;
}

// A large object's names, all at once: sorted, a repeated name sits next to itself.
bool JsonTree::checkAllKeys(int object, int members)
{
    m_keys.clear();
    m_keys.reserve(size_t(members));
    for (int m = m_nodes[size_t(object)].m_span.begin; m >= 0; m = m_nodes[size_t(m)].m_next)
        m_keys.push_back(m);
    std::sort(m_keys.begin(), m_keys.end(), [this](int a, int b) { return keyOf(a) < keyOf(b); });
    const auto repeated = std::adjacent_find(m_keys.begin(), m_keys.end(),
                                             [this](int a, int b) { return keyOf(a) == keyOf(b); });
    if (repeated == m_keys.end())
        return true;
    return fail("duplicate key", Refusal::DuplicateKey); // at the end of the object
}

bool JsonTree::parseString(Node::Span &span, bool &escaped)
{
    ++m_p; // opening quote
    const QChar *start = m_p;
    // Stop scanning one unit past the cap: a longer string is refused without reading it all.
    const QChar *scanEnd =
        m_end - m_p > m_limits.maxStringLength ? m_p + m_limits.maxStringLength + 1 : m_end;
    while (m_p != scanEnd && *m_p != u'"' && *m_p != u'\\') {
        if (m_p->unicode() < 0x20)
            return fail("control character in a string");
        ++m_p;
    }
    if (m_p == m_end)
        return fail("unterminated string");
    if (m_p == scanEnd) {
        m_p = start - 1;
        return fail("string too long", Refusal::OverLimit);
    }
    if (*m_p == u'"') {
        span = {qint32(start - m_begin), qint32(m_p - start)};
        escaped = false;
        ++m_p;
        return true;
    }
    // Slow path: copy what we have and decode escapes from here on.
    escaped = true;
    const qsizetype begin = m_unescaped.size();
    // Room for this string as written (unescaping never lengthens it), up to the cap.
    const QChar *close = m_p;
    while (close < m_end && *close != u'"')
        close += *close == u'\\' && m_end - close > 1 ? 2 : 1;
    reserveUnescaped(std::min<qsizetype>(close - start, m_limits.maxStringLength));
    m_unescaped.append(start, m_p - start);
    while (m_p != m_end && *m_p != u'"') {
        if (m_unescaped.size() - begin >= m_limits.maxStringLength) {
            m_p = start - 1;
            return fail("string too long", Refusal::OverLimit);
        }
        const char16_t c = m_p->unicode();
        if (c < 0x20)
            return fail("control character in a string");
        if (c != u'\\') {
            m_unescaped.append(*m_p++);
            continue;
        }
        if (++m_p == m_end)
            return fail("unterminated escape");
        switch (m_p->unicode()) {
        case u'"':
            m_unescaped.append(u'"');
            break;
        case u'\\':
            m_unescaped.append(u'\\');
            break;
        case u'/':
            m_unescaped.append(u'/');
            break;
        case u'b':
            m_unescaped.append(u'\b');
            break;
        case u'f':
            m_unescaped.append(u'\f');
            break;
        case u'n':
            m_unescaped.append(u'\n');
            break;
        case u'r':
            m_unescaped.append(u'\r');
            break;
        case u't':
            m_unescaped.append(u'\t');
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
            m_unescaped.append(QChar(char16_t(code)));
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
    span = {qint32(begin), qint32(m_unescaped.size() - begin)};
    return true;
}

// Room for `units` more: doubling, but never past what the rest of the text can decode to
// (unescaping never lengthens a string), so the buffer stays within the text's own size.
void JsonTree::reserveUnescaped(qsizetype units)
{
    const qsizetype needed = m_unescaped.size() + units;
    if (m_unescaped.capacity() >= needed)
        return;
    const qsizetype ceiling = m_unescaped.size() + (m_end - m_p);
    m_unescaped.reserve(std::max(needed, std::min(2 * m_unescaped.capacity(), ceiling)));
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
            else
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
    if (m_p - start > m_limits.maxNumberLength) {
        m_p = start;
        return fail("number too long", Refusal::OverLimit);
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

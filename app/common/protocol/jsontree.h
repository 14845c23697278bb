// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <vector>

//! A strict, allocation-light JSON parser for protocol messages and Natter's own files.
//!
//! QWebSocket hands text frames over as UTF-16 QStrings; parsing them in place avoids the
//! round trip through UTF-8 and QJsonDocument's general-purpose tree, which dominated the cost
//! of receiving a chat message. Keys and unescaped strings are views into the parsed text, so
//! the text must outlive the tree. Grammar as RFC 8259, plus I-JSON's rule that an object names
//! a member once (compared after unescaping); anything else is refused with an offset.
//!
//! Bounded: every cap in Limits is checked before the value that passes it is stored, and
//! memoryUsed() never exceeds 16 bytes per UTF-16 unit of the text plus 1 KiB (24 per node, at
//! most one node per two characters but for MaxDepth open containers, 4 per member of a large
//! object, 2 per unescaped unit), whatever the text holds; with Limits, 28 bytes per allowed
//! value plus the unescaped strings.
class JsonTree
{
public:
    enum class Kind : quint8 {
        Null,
        False,
        True,
        Number,
        String,
        Array,
        Object
    };

    //! Why parse() failed.
    enum class Refusal : quint8 {
        None,
        Syntax,       // not JSON (or nested deeper than MaxDepth)
        DuplicateKey, // an object names a member twice
        OverLimit,    // over one of the Limits
    };

    //! Caps on one document; the defaults fit any file or message Natter writes.
    struct Limits
    {
        int maxValues = 1 << 18;         // values in the document; member names do not count
        int maxStringLength = 32 * 1024; // UTF-16 units of one string or member name, unescaped
        int maxNumberLength = 32;        // characters of one number as written
    };

    //! One value: 24 bytes and no allocation of its own. Strings point into the text, or into
    //! the tree's one buffer of unescaped strings.
    class Node
    {
    public:
        Kind kind() const { return m_kind; }
        int next() const { return m_next; } // next sibling in the parent array or object, or -1
        int child() const { return isContainer() ? m_span.begin : -1; } // first element or member
        double number() const { return m_kind == Kind::Number ? m_number : 0; }

    private:
        friend class JsonTree;
        struct Span
        {
            qint32 begin; // in the text, or in the unescaped buffer (see the flags)
            qint32 length;
        };
        enum Flag : quint8 {
            StringEscaped = 1,
            KeyEscaped = 2,
        };
        bool isContainer() const { return m_kind == Kind::Array || m_kind == Kind::Object; }

        Kind m_kind = Kind::Null;
        quint8 m_flags = 0;
        qint32 m_next = -1;
        Span m_key{0, 0}; // member name, when the parent is an object
        union {
            double m_number = 0;
            Span m_span; // a string's text, or a container's first child in `begin`
        };
    };

    //! Parses `text`; returns false and sets error(), errorOffset() and refusal() on failure.
    bool parse(QStringView text, const Limits &limits);
    bool parse(QStringView text) { return parse(text, Limits()); }

    QString error() const { return m_error; }
    qsizetype errorOffset() const { return m_errorOffset; }
    Refusal refusal() const { return m_refusal; }

    const Node &node(int index) const { return m_nodes[size_t(index)]; }
    int nodeCount() const { return int(m_nodes.size()); }
    int root() const { return m_nodes.empty() ? -1 : 0; }
    //! The member `name` of object node `object`, or -1.
    int member(int object, QLatin1String name) const;
    QStringView keyOf(int index) const;
    QStringView stringView(int index) const;
    QString string(int index) const;
    //! Heap bytes the tree holds: nodes, unescaped strings, the scratch of the duplicate check.
    qsizetype memoryUsed() const;

    static constexpr int MaxDepth = 32;

private:
    int parseValue(int depth);
    int addNode(Kind kind);
    int parseContainer(int index, int depth, Kind kind);
    bool parseString(Node::Span &span, bool &escaped);
    void reserveUnescaped(qsizetype units);
    bool parseNumber(double &out);
    bool isRepeated(int object, Node::Span key, bool escaped);
    bool checkAllKeys(int object, int members);
    QStringView view(Node::Span span, bool escaped) const;
    void skipSpace();
    bool fail(const char *what, Refusal refusal = Refusal::Syntax);

    std::vector<Node> m_nodes;
    QString m_unescaped;     // every string that had escapes, decoded, one after the other
    std::vector<int> m_keys; // scratch: the members of a large object, sorted by name
    Limits m_limits;
    size_t m_maxNodes = 0;
    const QChar *m_begin = nullptr;
    const QChar *m_p = nullptr;
    const QChar *m_end = nullptr;
    QString m_error;
    qsizetype m_errorOffset = 0;
    Refusal m_refusal = Refusal::None;
};

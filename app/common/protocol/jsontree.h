// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <vector>

//! A strict, allocation-light JSON parser for protocol messages.
//!
//! QWebSocket hands text frames over as UTF-16 QStrings; parsing them in place avoids the
//! round trip through UTF-8 and QJsonDocument's general-purpose tree, which dominated the cost
//! of receiving a chat message. Keys and unescaped strings are views into the parsed text, so
//! the text must outlive the tree. Grammar as RFC 8259; anything else is rejected with an offset.
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

    struct Node
    {
        Kind kind = Kind::Null;
        bool escaped = false; // string (or key) had escapes: the text is in `unescaped`
        bool keyEscaped = false;
        int next = -1;  // next sibling in the parent array or object
        int child = -1; // first element or member
        double number = 0;
        QStringView key; // member name, when the parent is an object
        QStringView raw; // string value as written, without quotes
        QString unescaped;
        QString unescapedKey;
    };

    //! Parses `text`; returns false and sets error()/errorOffset() on failure.
    bool parse(QStringView text);

    QString error() const { return m_error; }
    qsizetype errorOffset() const { return m_errorOffset; }

    const Node &node(int index) const { return m_nodes[size_t(index)]; }
    int root() const { return m_nodes.empty() ? -1 : 0; }
    //! The member `name` of object node `object`, or -1.
    int member(int object, QLatin1String name) const;
    QStringView keyOf(int index) const;
    QStringView stringView(int index) const;
    QString string(int index) const;

    static constexpr int MaxDepth = 32;

private:
    int parseValue(int depth);
    int parseContainer(int index, int depth, Kind kind);
    bool parseString(QStringView &raw, QString &unescaped, bool &escaped);
    bool parseNumber(double &out);
    void skipSpace();
    bool fail(const char *what);

    std::vector<Node> m_nodes;
    const QChar *m_begin = nullptr;
    const QChar *m_p = nullptr;
    const QChar *m_end = nullptr;
    QString m_error;
    qsizetype m_errorOffset = 0;
};

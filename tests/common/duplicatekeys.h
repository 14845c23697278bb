// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QSet>
#include <QString>

//! Whether a JSON text that QJsonDocument accepts names a member twice in one object: the
//! oracle for JsonTree's duplicate-key rule, sharing no code with it. QJsonDocument keeps only
//! the last of two equal names, so it cannot tell on its own; here the text is walked token by
//! token and each name is decoded by Qt, so "a" and "\u0061" are the same name.
inline bool hasDuplicateKeys(const QString &text)
{
    struct Frame
    {
        bool object = false;
        bool expectName = false;
        QSet<QString> names;
    };
    QList<Frame> stack;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'"') {
            qsizetype end = i + 1;
            while (end < text.size() && text.at(end) != u'"')
                end += text.at(end) == u'\\' ? 2 : 1;
            if (!stack.isEmpty() && stack.last().object && stack.last().expectName) {
                const QString quoted = text.mid(i, end - i + 1);
                const QString name = QJsonDocument::fromJson(QStringLiteral("[%1]").arg(quoted).toUtf8())
                                         .array()
                                         .at(0)
                                         .toString();
                if (stack.last().names.contains(name))
                    return true;
                stack.last().names.insert(name);
                stack.last().expectName = false;
            }
            i = end;
        } else if (c == u'{' || c == u'[') {
            stack.append(Frame{c == u'{', c == u'{', {}});
        } else if ((c == u'}' || c == u']') && !stack.isEmpty()) {
            stack.removeLast();
        } else if (c == u',' && !stack.isEmpty() && stack.last().object) {
            stack.last().expectName = true;
        }
    }
    return false;
}

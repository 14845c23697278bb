// SPDX-License-Identifier: GPL-3.0-or-later
#include "typingindicator.h"

#include "typingtext.h"

TypingIndicator::TypingIndicator(QWidget *parent)
    : QLabel(parent)
{
    setAccessibleName(tr("Typing indicator"));
    QFont f = font();
    f.setItalic(true);
    f.setPointSizeF(f.pointSizeF() * 0.9);
    setFont(f);
    setForegroundRole(QPalette::PlaceholderText);
    setContentsMargins(10, 0, 10, 0);
    setMinimumHeight(fontMetrics().height() + 4);
    setTextFormat(Qt::PlainText);
}

void TypingIndicator::setUsers(const QStringList &users)
{
    m_users = users;
    setText(TypingText::describe(users));
}

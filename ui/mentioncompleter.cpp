// SPDX-License-Identifier: GPL-3.0-or-later
#include "mentioncompleter.h"

#include "composer.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QScrollBar>
#include <QTextBlock>

namespace {
// A name is at most 32 code points; what is typed after `@` is looked at no further.
constexpr int MaxTypedUnits = 64;
} // namespace

MentionCompleter::MentionCompleter(Composer *composer, QAbstractItemModel *members, int nameRole)
    : QObject(composer)
    , m_composer(composer)
    , m_completer(new QCompleter(members, this))
{
    m_completer->setCompletionRole(nameRole);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchStartsWith);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWidget(composer);
    m_completer->popup()->setAccessibleName(tr("Member names"));
    // Installed after QCompleter's own filter, so it sees the popup's keys first.
    m_completer->popup()->installEventFilter(this);
    composer->setCompleter(m_completer);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &MentionCompleter::insert);
    connect(composer, &Composer::textChanged, this, &MentionCompleter::update);
    connect(composer, &Composer::cursorPositionChanged, this, &MentionCompleter::update);
}

bool MentionCompleter::isOffering() const
{
    return m_completer->popup()->isVisible();
}

int MentionCompleter::mentionStart() const
{
    const QTextCursor cursor = m_composer->textCursor();
    if (cursor.hasSelection())
        return -1;
    const QString line = cursor.block().text();
    const int column = cursor.positionInBlock();
    const int at = line.lastIndexOf(QLatin1Char('@'), column - 1);
    if (at < 0 || column - at > MaxTypedUnits)
        return -1;
    // At the start of a word only: `me@example` is an address, not a mention.
    if (at > 0 && !line.at(at - 1).isSpace() && !line.at(at - 1).isPunct())
        return -1;
    return cursor.block().position() + at;
}

void MentionCompleter::update()
{
    const int at = mentionStart();
    if (at < 0) {
        m_completer->popup()->hide();
        return;
    }
    const QString typed = m_composer->toPlainText().mid(at + 1, m_composer->textCursor().position() - at - 1);
    if (typed.contains(QLatin1Char('\n'))) {
        m_completer->popup()->hide();
        return;
    }
    if (typed != m_completer->completionPrefix())
        m_completer->setCompletionPrefix(typed);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    if (m_completer->popup()->isVisible())
        return; // the user may be moving through it
    QRect rect = m_composer->cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0) +
                  m_completer->popup()->verticalScrollBar()->sizeHint().width());
    m_completer->complete(rect);
}

bool MentionCompleter::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_completer->popup() || event->type() != QEvent::KeyPress)
        return QObject::eventFilter(watched, event);
    const int key = static_cast<QKeyEvent *>(event)->key();
    if (key != Qt::Key_Return && key != Qt::Key_Enter && key != Qt::Key_Tab)
        return false;
    // Enter or Tab takes the highlighted name, or the first when the arrows chose none.
    QModelIndex chosen = m_completer->popup()->currentIndex();
    if (!chosen.isValid())
        chosen = m_completer->completionModel()->index(0, 0);
    if (chosen.isValid())
        insert(chosen.data(m_completer->completionRole()).toString());
    m_completer->popup()->hide();
    return true;
}

void MentionCompleter::insert(const QString &name)
{
    const int at = mentionStart();
    if (at < 0)
        return;
    QTextCursor cursor = m_composer->textCursor();
    cursor.setPosition(at + 1, QTextCursor::KeepAnchor);
    cursor.insertText(name + QLatin1Char(' '));
    m_composer->setTextCursor(cursor);
    m_completer->popup()->hide();
}

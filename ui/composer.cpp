// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer.h"

#include "mimefiles.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QTextBlock>

namespace {
constexpr int MaxVisibleLines = 6;
}

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setAccessibleName(tr("Message input"));
    setPlaceholderText(tr("Write a message… (Enter sends, Shift+Enter for a new line)"));
    setTabChangesFocus(true);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        updateHeight();
        if (!m_clearing && !toPlainText().isEmpty())
            emit typing();
    });
    updateHeight();
}

bool Composer::event(QEvent *event)
{
    // Tab would move the focus before keyPressEvent() sees it; with names offered, it takes one.
    if (event->type() == QEvent::KeyPress && m_completer && m_completer->popup()->isVisible()) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Tab || key == Qt::Key_Backtab) {
            event->ignore();
            return true;
        }
    }
    // Escape is also the window's "write a message" shortcut, which has nothing to do here: in the
    // composer it cancels a reply or an edit.
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier) {
            event->accept();
            return true;
        }
    }
    return QPlainTextEdit::event(event);
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    if (m_completer && m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
        case Qt::Key_Escape:
            event->ignore(); // the popup's: it takes or drops the name
            return;
        default:
            break;
        }
    }
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        submit();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Up && event->modifiers() == Qt::NoModifier && toPlainText().isEmpty()) {
        emit upPressedWhenEmpty();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        emit escapePressed();
        event->accept();
        return;
    }
    if (enter) {
        // Shift+Enter: a plain new line rather than QPlainTextEdit's line separator.
        insertPlainText(QStringLiteral("\n"));
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void Composer::submit()
{
    const QString text = toPlainText();
    if (text.trimmed().isEmpty())
        return;
    emit submitted(text);
}

void Composer::clearMessage()
{
    m_clearing = true;
    clear();
    m_clearing = false;
}

void Composer::setMessage(const QString &text)
{
    m_clearing = true;
    setPlainText(text);
    moveCursor(QTextCursor::End);
    m_clearing = false;
}

QSize Composer::sizeHint() const
{
    const int lines = qBound(1, document()->lineCount(), MaxVisibleLines);
    const int margins = int(document()->documentMargin() * 2) + frameWidth() * 2 + contentsMargins().top() +
                        contentsMargins().bottom();
    return QSize(QPlainTextEdit::sizeHint().width(), fontMetrics().lineSpacing() * lines + margins + 2);
}

QSize Composer::minimumSizeHint() const
{
    return QSize(QPlainTextEdit::minimumSizeHint().width(), sizeHint().height());
}

void Composer::updateHeight()
{
    setFixedHeight(sizeHint().height());
}

bool Composer::canInsertFromMimeData(const QMimeData *source) const
{
    return (m_acceptsFiles && MimeFiles::canSend(source)) || QPlainTextEdit::canInsertFromMimeData(source);
}

void Composer::insertFromMimeData(const QMimeData *source)
{
    if (m_acceptsFiles) {
        const QStringList files = MimeFiles::localFiles(source);
        if (!files.isEmpty()) {
            emit filesPasted(files);
            return;
        }
        const QImage image = MimeFiles::image(source);
        if (!image.isNull()) {
            emit imagePasted(image);
            return;
        }
    }
    QPlainTextEdit::insertFromMimeData(source);
}

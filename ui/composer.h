// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPlainTextEdit>

class QCompleter;

//! The message input: Enter sends, Shift+Enter starts a new line, and every edit by the user
//! reports typing. Grows with its text up to a few lines. Once files are accepted, pasting or
//! dropping files or an image offers them for sending instead of inserting their text.
class Composer : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    void setAcceptsFiles(bool accepts) { m_acceptsFiles = accepts; }
    // Empties the input once what was submitted has been taken (without reporting typing).
    void clearMessage();
    // Puts `text` in the input to be changed (editing a sent message; not typing either).
    void setMessage(const QString &text);
    // While its popup shows, the keys that choose (Enter, Tab, Escape) are the completer's.
    void setCompleter(QCompleter *completer) { m_completer = completer; }

signals:
    void submitted(const QString &text); // the text stays until clearMessage()
    void typing();
    void filesPasted(const QStringList &paths);
    void imagePasted(const QImage &image);
    void upPressedWhenEmpty(); // the user wants to edit their last message
    void escapePressed();      // cancels a reply or an edit

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    void submit();
    void updateHeight();

    bool m_clearing = false;
    bool m_acceptsFiles = false;
    QCompleter *m_completer = nullptr;
};

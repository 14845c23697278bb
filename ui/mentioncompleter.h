// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class Composer;
class QAbstractItemModel;
class QCompleter;

//! Completes member names after `@` in the composer (PROTOCOL.md 3, *Mentions*): typing `@al`
//! offers the room's members whose names start with "al", in any case; Enter or Tab takes the
//! highlighted one and writes `@alice ` in place of what was typed, so the server marks the
//! mention. An `@` inside a word (an e-mail address) starts nothing.
class MentionCompleter : public QObject
{
    Q_OBJECT
public:
    // `members`: the room's users, their names in `nameRole`.
    MentionCompleter(Composer *composer, QAbstractItemModel *members, int nameRole);

    bool isOffering() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void update();
    void insert(const QString &name);
    // Where the `@` of the name being typed is, or -1.
    int mentionStart() const;

    Composer *m_composer;
    QCompleter *m_completer;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

//! One line under the messages saying who is typing. Keeps its height when empty so the layout
//! does not jump as people start and stop typing.
class TypingIndicator : public QLabel
{
    Q_OBJECT
public:
    explicit TypingIndicator(QWidget *parent = nullptr);

    QStringList users() const { return m_users; }

public slots:
    void setUsers(const QStringList &users);

private:
    QStringList m_users;
};

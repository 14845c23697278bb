// SPDX-License-Identifier: GPL-3.0-or-later
#include "confirmation.h"

#include <QMessageBox>
#include <QPushButton>

namespace {
std::optional<bool> s_next;
} // namespace

bool Confirmation::ask(QWidget *parent, const QString &title, const QString &text, const QString &action)
{
    if (s_next) {
        const bool answer = *s_next;
        s_next.reset();
        return answer;
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    QPushButton *go = box.addButton(action, QMessageBox::DestructiveRole);
    QPushButton *stay = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(stay);
    box.exec();
    return box.clickedButton() == go;
}

void Confirmation::setNextAnswer(std::optional<bool> answer)
{
    s_next = answer;
}

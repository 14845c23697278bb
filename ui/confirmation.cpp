// SPDX-License-Identifier: GPL-3.0-or-later
#include "confirmation.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace {
std::optional<bool> s_next;
std::optional<int> s_nextNumber;
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

std::optional<int> Confirmation::askNumber(QWidget *parent, const QString &title, const QString &label,
                                           int value, int min, int max)
{
    if (s_nextNumber)
        return std::exchange(s_nextNumber, std::nullopt);
    bool ok = false;
    const int number = QInputDialog::getInt(parent, title, label, value, min, max, 1, &ok);
    return ok ? std::optional<int>(number) : std::nullopt;
}

void Confirmation::setNextNumber(std::optional<int> number)
{
    s_nextNumber = number;
}

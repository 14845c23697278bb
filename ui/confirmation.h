// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

class QWidget;

//! Yes/no questions Natter asks before doing something the user may regret. Like FilePicker,
//! each can be answered in advance so that tests never block on a modal dialog.
class Confirmation
{
    Q_DECLARE_TR_FUNCTIONS(Confirmation)
public:
    // True when the user agreed to `action` (the text of the button that goes ahead).
    static bool ask(QWidget *parent, const QString &title, const QString &text, const QString &action);
    // The next ask() returns this at once without showing anything.
    static void setNextAnswer(std::optional<bool> answer);
};

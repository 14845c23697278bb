// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QStringList>

//! The typing indicator's sentence for the users currently typing (empty when nobody is).
class TypingText
{
    Q_DECLARE_TR_FUNCTIONS(TypingText)
public:
    static QString describe(const QStringList &users);
};

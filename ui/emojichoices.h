// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QStringList>

//! The emoji the React picker offers: the ones the user reacted with lately (kept in QSettings,
//! newest first), then a fixed set of common ones.
class EmojiChoices
{
public:
    static constexpr int MaxRecent = 8;

    static QStringList common();
    static QStringList recent();
    static QStringList offered(); // recent, then the common ones not among them
    // The user reacted with `emoji`: it goes first among the recent ones.
    static void use(const QString &emoji);
};

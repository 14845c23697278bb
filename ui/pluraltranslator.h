// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTranslator>

//! English plural forms for tr("%n message(s)", nullptr, n) without shipping a .qm file: "(s)"
//! becomes "s" or nothing. A real translation installed later takes precedence.
class PluralTranslator : public QTranslator
{
    Q_OBJECT
public:
    using QTranslator::QTranslator;

    QString translate(const char *context, const char *sourceText, const char *disambiguation = nullptr,
                      int n = -1) const override;
    bool isEmpty() const override { return false; }
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

//! Checks UTF-8 as it arrives, in pieces that may split a character (RFC 6455 5.6: a text
//! message's fragments). Valid means RFC 3629: no overlong forms, no surrogates, nothing above
//! U+10FFFF. A small state, so that a connection can keep one for the message it is receiving.
class Utf8Validator
{
public:
    // False once anything fed so far is not UTF-8; it stays false until reset().
    bool feed(const char *data, qsizetype size);
    // Valid, and no character is cut off at the end.
    bool isComplete() const { return !m_invalid && m_need == 0; }
    bool isValid() const { return !m_invalid; }
    void reset() { *this = Utf8Validator(); }

    // The whole of `data` at once.
    static bool isValidUtf8(const char *data, qsizetype size);

private:
    quint8 m_need = 0;   // continuation bytes still due for the current character
    quint8 m_low = 0x80; // the range the next continuation byte must be in
    quint8 m_high = 0xbf;
    bool m_invalid = false;
};

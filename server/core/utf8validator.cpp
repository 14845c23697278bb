// SPDX-License-Identifier: GPL-3.0-or-later
#include "utf8validator.h"

#include <cstring>

bool Utf8Validator::feed(const char *data, qsizetype size)
{
    if (m_invalid)
        return false;
    const auto *p = reinterpret_cast<const quint8 *>(data);
    const quint8 *const end = p + size;
    while (p < end) {
        if (m_need == 0) {
            // Chat is mostly ASCII: eight bytes at a time while no high bit is set.
            while (end - p >= 8) {
                quint64 word;
                std::memcpy(&word, p, sizeof word);
                if (word & 0x8080808080808080ULL)
                    break;
                p += 8;
            }
            if (p == end)
                break;
            const quint8 c = *p++;
            if (c < 0x80)
                continue;
            // The lead byte says how many continuation bytes follow and, for the first of them,
            // the range that excludes overlong forms (E0, F0), surrogates (ED) and > U+10FFFF (F4).
            m_low = 0x80;
            m_high = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                m_need = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                m_need = 2;
                if (c == 0xe0)
                    m_low = 0xa0;
                else if (c == 0xed)
                    m_high = 0x9f;
            } else if (c >= 0xf0 && c <= 0xf4) {
                m_need = 3;
                if (c == 0xf0)
                    m_low = 0x90;
                else if (c == 0xf4)
                    m_high = 0x8f;
            } else {
                m_invalid = true; // a continuation byte, C0/C1 (overlong) or F5 and up
                return false;
            }
            continue;
        }
        const quint8 c = *p++;
        if (c < m_low || c > m_high) {
            m_invalid = true;
            return false;
        }
        --m_need;
        m_low = 0x80;
        m_high = 0xbf;
    }
    return true;
}

bool Utf8Validator::isValidUtf8(const char *data, qsizetype size)
{
    Utf8Validator v;
    return v.feed(data, size) && v.isComplete();
}

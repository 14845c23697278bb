// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonwriter.h"

#include <QLocale>

namespace {
constexpr char Hex[] = "0123456789abcdef";
// JSON numbers are doubles: QJsonDocument writes an integer it can hold exactly as one.
constexpr qint64 MaxExactInteger = qint64(1) << 53;
} // namespace

JsonWriter::JsonWriter(qsizetype reserve)
{
    m_out.reserve(reserve);
}

void JsonWriter::separate()
{
    if (!m_first)
        m_out += ',';
    m_first = false;
}

void JsonWriter::beginObject()
{
    separate();
    m_out += '{';
    m_first = true;
}

void JsonWriter::endObject()
{
    m_out += '}';
    m_first = false;
}

void JsonWriter::beginArray()
{
    separate();
    m_out += '[';
    m_first = true;
}

void JsonWriter::endArray()
{
    m_out += ']';
    m_first = false;
}

void JsonWriter::key(QLatin1StringView name)
{
    separate();
    m_out += '"';
    m_out += QByteArrayView(name.data(), name.size()); // keys are ours: plain ASCII
    m_out += "\":";
    m_first = true; // the value follows without a comma
}

void JsonWriter::value(QStringView text)
{
    separate();
    string(text);
}

void JsonWriter::value(qint64 number)
{
    separate();
    if (number >= -MaxExactInteger && number <= MaxExactInteger)
        m_out += QByteArray::number(number);
    else
        m_out += QByteArray::number(double(number), 'g', QLocale::FloatingPointShortest);
}

void JsonWriter::string(QStringView text)
{
    // Worst case six bytes per code unit (\u00XX); reserved once, trimmed at the end.
    const qsizetype start = m_out.size();
    m_out.resize(start + 2 + 6 * text.size());
    char *const end = writeString(m_out.data() + start, text);
    m_out.resize(end - m_out.constData());
}

char *JsonWriter::writeString(char *out, QStringView text, bool (*escapeAlso)(char16_t))
{
    const auto escapeUnit = [&out](char16_t u) {
        *out++ = '\\';
        *out++ = 'u';
        for (int shift = 12; shift >= 0; shift -= 4)
            *out++ = Hex[(u >> shift) & 0xf]; // lower-case hex, like QJsonDocument
    };
    *out++ = '"';
    const char16_t *p = text.utf16();
    const char16_t *const end = p + text.size();
    while (p != end) {
        const char16_t u = *p++;
        if (u < 0x80) {
            if (u >= 0x20 && u != '"' && u != '\\') {
                *out++ = char(u);
                continue;
            }
            switch (u) {
            case '"':
                *out++ = '\\';
                *out++ = '"';
                break;
            case '\\':
                *out++ = '\\';
                *out++ = '\\';
                break;
            case '\b':
                *out++ = '\\';
                *out++ = 'b';
                break;
            case '\f':
                *out++ = '\\';
                *out++ = 'f';
                break;
            case '\n':
                *out++ = '\\';
                *out++ = 'n';
                break;
            case '\r':
                *out++ = '\\';
                *out++ = 'r';
                break;
            case '\t':
                *out++ = '\\';
                *out++ = 't';
                break;
            default:
                escapeUnit(u);
            }
        } else if (escapeAlso && escapeAlso(u)) {
            escapeUnit(u);
        } else if (u < 0x800) {
            *out++ = char(0xc0 | (u >> 6));
            *out++ = char(0x80 | (u & 0x3f));
        } else if (u < 0xd800 || u > 0xdfff) {
            *out++ = char(0xe0 | (u >> 12));
            *out++ = char(0x80 | ((u >> 6) & 0x3f));
            *out++ = char(0x80 | (u & 0x3f));
        } else if (u < 0xdc00 && p != end && *p >= 0xdc00 && *p <= 0xdfff) {
            const char32_t c = 0x10000 + ((char32_t(u) - 0xd800) << 10) + (char32_t(*p++) - 0xdc00);
            *out++ = char(0xf0 | (c >> 18));
            *out++ = char(0x80 | ((c >> 12) & 0x3f));
            *out++ = char(0x80 | ((c >> 6) & 0x3f));
            *out++ = char(0x80 | (c & 0x3f));
        } else {
            escapeUnit(u); // a lone surrogate has no UTF-8 form
        }
    }
    *out++ = '"';
    return out;
}

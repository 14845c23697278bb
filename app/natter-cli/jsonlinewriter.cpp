// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonlinewriter.h"

#include "jsonwriter.h"

#include <QAbstractEventDispatcher>
#include <QJsonDocument>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <unistd.h>

namespace {
constexpr qsizetype FlushAt = 64 * 1024;

char hexDigit(unsigned v)
{
    return char(v < 10 ? '0' + v : 'a' + v - 10);
}

// Characters a terminal acts on or that reorder what is shown, though JSON allows them raw: C1
// controls (U+009B is CSI, as ESC [ is) and the bidi embeddings, overrides, isolates and marks.
// They are written as \uXXXX: the same JSON string, harmless on a terminal.
bool unsafeForTerminals(char16_t u)
{
    return (u >= 0x80 && u <= 0x9f) || u == 0x061c || u == 0x200e || u == 0x200f ||
           (u >= 0x2028 && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069);
}

char *escapeUnit(char *out, char16_t u) // as \uXXXX, lower-case hex like QJsonDocument
{
    *out++ = '\\';
    *out++ = 'u';
    for (int shift = 12; shift >= 0; shift -= 4)
        *out++ = hexDigit((u >> shift) & 0xf);
    return out;
}
} // namespace

JsonLineWriter::JsonLineWriter(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
    , m_buffer(2 * FlushAt, Qt::Uninitialized)
{
    // Before the loop waits (for input, the network or a timer) everything printed so far goes
    // out: a reader sees each event as soon as natter-cli has nothing else to do.
    if (QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance())
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &JsonLineWriter::flush);
}

JsonLineWriter::~JsonLineWriter()
{
    flush();
}

QByteArray JsonLineWriter::terminalSafe(const QByteArray &json)
{
    // QJsonDocument writes those characters as raw UTF-8; they only ever stand inside strings.
    QByteArray out;
    qsizetype copied = 0;
    const auto *bytes = reinterpret_cast<const uchar *>(json.constData());
    for (qsizetype i = 0; i < json.size(); ++i) {
        char16_t u = 0;
        int length = 0;
        if (bytes[i] >= 0xc2 && bytes[i] <= 0xdf && i + 1 < json.size()) {
            u = char16_t(((bytes[i] & 0x1f) << 6) | (bytes[i + 1] & 0x3f));
            length = 2;
        } else if (bytes[i] == 0xe2 && i + 2 < json.size()) {
            u = char16_t(0x2000 | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f));
            length = 3;
        }
        if (length == 0 || !unsafeForTerminals(u))
            continue;
        out.append(json.constData() + copied, i - copied);
        char escaped[6];
        escapeUnit(escaped, u);
        out.append(escaped, 6);
        copied = i + length;
        i += length - 1;
    }
    if (copied == 0)
        return json;
    out.append(json.constData() + copied, json.size() - copied);
    return out;
}

void JsonLineWriter::write(const QJsonObject &object)
{
    const QByteArray json = terminalSafe(QJsonDocument(object).toJson(QJsonDocument::Compact));
    char *out = reserve(json.size() + 1);
    std::memcpy(out, json.constData(), size_t(json.size()));
    out[json.size()] = '\n';
    m_used += json.size() + 1;
    if (m_used >= FlushAt)
        flush();
}

void JsonLineWriter::beginLine()
{
    *reserve(1) = '{';
    ++m_used;
    m_firstField = true;
}

void JsonLineWriter::appendKey(QLatin1String key)
{
    // Keys are ours: plain ASCII that needs no escaping.
    char *out = reserve(key.size() + 4);
    char *const start = out;
    if (!m_firstField)
        *out++ = ',';
    m_firstField = false;
    *out++ = '"';
    std::memcpy(out, key.data(), size_t(key.size()));
    out += key.size();
    *out++ = '"';
    *out++ = ':';
    m_used += out - start;
}

void JsonLineWriter::field(QLatin1String key, const QString &value)
{
    appendKey(key);
    char *out = reserve(6 * value.size() + 2);
    m_used += JsonWriter::writeString(out, value, unsafeForTerminals) - out;
}

void JsonLineWriter::field(QLatin1String key, qint64 value)
{
    appendKey(key);
    char *out = reserve(24);
    m_used += std::to_chars(out, out + 24, value).ptr - out;
}

void JsonLineWriter::endLine()
{
    char *out = reserve(2);
    out[0] = '}';
    out[1] = '\n';
    m_used += 2;
    if (m_used >= FlushAt)
        flush();
}

char *JsonLineWriter::reserve(qsizetype bytes)
{
    if (m_used + bytes > m_buffer.size())
        m_buffer.resize(qMax(m_buffer.size() * 2, m_used + bytes));
    return m_buffer.data() + m_used;
}

void JsonLineWriter::flush()
{
    const char *data = m_buffer.constData();
    qsizetype left = m_used;
    while (left > 0) {
        const ssize_t n = ::write(m_fd, data, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // nobody reads any more: what is left is dropped, as a full pipe would
        data += n;
        left -= n;
    }
    m_used = 0;
}

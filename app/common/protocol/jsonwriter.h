// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QLatin1StringView>
#include <QStringView>

//! Compact JSON written as UTF-8 straight into one buffer, byte for byte what
//! QJsonDocument::Compact makes of the same object: the same escapes, the same number forms. The
//! caller writes an object's keys in QJsonObject's order (sorted by code unit). It exists for the
//! message a server encodes most, chatMessage, where building a QJsonObject first costs more than
//! the rest of a delivery (docs/BENCHMARKS.md, fan-out); tst_protocol and fuzz_decode_server hold
//! it to QJsonDocument's output.
class JsonWriter
{
public:
    explicit JsonWriter(qsizetype reserve = 0);

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(QLatin1StringView name);
    void value(QStringView text);
    void value(qint64 number);

    QByteArray take() { return std::move(m_out); }

    // Writes `text` as a JSON string, quotes included, at `out`, which has room for
    // 6 * text.size() + 2 bytes, and returns the end of what it wrote. Besides what JSON needs,
    // the non-ASCII units for which `escapeAlso` is true are written as \uXXXX (natter-cli's
    // terminal-safe output). Lone surrogates, which have no UTF-8 form, are escaped too.
    static char *writeString(char *out, QStringView text, bool (*escapeAlso)(char16_t) = nullptr);

private:
    void separate();
    void string(QStringView text);

    QByteArray m_out;
    bool m_first = true; // nothing written yet in the object or array just begun
};

// SPDX-License-Identifier: GPL-3.0-or-later
// The server's WebSocket frame reader, WsFrameParser, on any bytes, fed in pieces of any size.
//
// Input: [split seed][size limit][the stream]. Properties:
//  - the events, their payloads and the bytes taken are the same whatever the pieces are
//    (the stream at once, and in pieces chosen by the seed, down to single bytes);
//  - they are what a plain whole-buffer reader below (written straight from RFC 6455, no
//    incremental state) finds, with Qt's UTF-8 decoder as the judge of text;
//  - a text message is valid UTF-8 and no message is larger than the limit; a control payload
//    is at most 125 bytes; after a close frame or an error nothing more is taken.
#include "fuzzcheck.h"
#include "wsframeparser.h"

#include <QList>
#include <QStringDecoder>

namespace {
using Event = WsFrameParser::Event;

struct Outcome
{
    Event event;
    QByteArray payload;
    quint16 code = 0; // close code or error code
    bool operator==(const Outcome &o) const
    {
        return event == o.event && payload == o.payload && code == o.code;
    }
};

QList<Outcome> parseInPieces(const QByteArray &stream, qint64 limit, quint32 seed)
{
    WsFrameParser parser(limit);
    QList<Outcome> out;
    qsizetype pos = 0;
    while (pos < stream.size() && !parser.isFinished()) {
        // Pieces of 1 to 64 bytes (seed 0: the whole rest at once).
        qsizetype piece = stream.size() - pos;
        if (seed != 0) {
            seed = seed * 1103515245u + 12345u;
            piece = qMin<qsizetype>(piece, 1 + (seed >> 16) % 64);
        }
        qsizetype offset = 0;
        while (offset < piece) {
            qsizetype used = 0;
            const Event e = parser.parse(stream.constData() + pos + offset, piece - offset, &used);
            FUZZ_CHECK(used >= 0 && used <= piece - offset, QString::number(used));
            offset += used;
            if (e == Event::NeedMore) {
                FUZZ_CHECK(offset == piece || parser.isFinished(), QString::number(offset));
                break;
            }
            Outcome o{e, {}, 0};
            if (e == Event::Error)
                o.code = parser.errorCode();
            else
                o.payload = parser.takePayload();
            if (e == Event::Close)
                o.code = parser.closeCode();
            out.append(o);
            if (parser.isFinished())
                break;
        }
        pos += offset;
        if (parser.isFinished())
            break;
    }
    return out;
}

bool judgedUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

// Valid UTF-8, or valid but for a last character that later bytes may still complete.
bool validSoFar(const QByteArray &bytes)
{
    if (judgedUtf8(bytes))
        return true;
    static const char endings[] = {char(0x80), char(0x8f), char(0x90), char(0x9f), char(0xa0), char(0xbf)};
    for (int cut = 1; cut <= 3 && cut <= bytes.size(); ++cut) {
        if (!judgedUtf8(bytes.chopped(cut)))
            continue;
        const QByteArray tail = bytes.right(cut);
        for (char a : endings) {
            for (char b : endings) {
                for (char c : endings) {
                    const QByteArray completion = QByteArray(1, a) + b + c;
                    for (int k = 1; k <= 3; ++k) {
                        if (judgedUtf8(tail + completion.left(k)))
                            return true;
                    }
                }
            }
        }
    }
    return false;
}

// The reference: the whole stream at hand, one frame after the other.
QList<Outcome> reference(const QByteArray &s, qint64 limit)
{
    QList<Outcome> out;
    const auto *p = reinterpret_cast<const quint8 *>(s.constData());
    const quint64 n = quint64(s.size());
    quint64 at = 0;
    int messageOpcode = 0;
    QByteArray message;
    const auto error = [&](quint16 code) {
        out.append({Event::Error, {}, code});
        return out;
    };
    for (;;) {
        if (n - at < 2)
            return out;
        const bool fin = p[at] & 0x80;
        const int rsv = p[at] & 0x70;
        const int opcode = p[at] & 0x0f;
        const bool masked = p[at + 1] & 0x80;
        quint64 length = p[at + 1] & 0x7f;
        const bool control = opcode >= 8;
        if (rsv || !masked)
            return error(1002);
        if (!(opcode == 0 || opcode == 1 || opcode == 2 || opcode == 8 || opcode == 9 || opcode == 10))
            return error(1002);
        if (control && (!fin || length > 125))
            return error(1002);
        if ((opcode == 0 && !messageOpcode) || ((opcode == 1 || opcode == 2) && messageOpcode))
            return error(1002);
        // The whole header, mask key included, is read before its length is judged.
        const quint64 header = length == 126 ? 4 : length == 127 ? 10 : 2;
        if (n - at < header + 4)
            return out;
        if (length == 126) {
            length = quint64(p[at + 2]) << 8 | p[at + 3];
            if (length < 126)
                return error(1002);
        } else if (length == 127) {
            length = 0;
            for (int k = 0; k < 8; ++k)
                length = length << 8 | p[at + 2 + k];
            if (length >= (quint64(1) << 63) || length < 65536)
                return error(1002);
        }
        if (!control && quint64(message.size()) + length > quint64(limit))
            return error(1009);
        const quint8 *mask = p + at + header;
        const quint64 start = at + header + 4;
        const quint64 available = n - start;
        QByteArray payload;
        for (quint64 i = 0; i < qMin(length, available); ++i)
            payload.append(char(p[start + i] ^ mask[i % 4]));
        const bool text = opcode == 1 || (opcode == 0 && messageOpcode == 1);
        // Text fails at its first byte that no continuation can make valid, frame complete or not.
        if (text && !validSoFar(message + payload))
            return error(1007);
        if (length > available)
            return out;
        at = start + length;
        if (opcode == 9) {
            out.append({Event::Ping, payload, 0});
        } else if (opcode == 10) {
            out.append({Event::Pong, {}, 0});
        } else if (opcode == 8) {
            if (payload.size() == 1)
                return error(1002);
            quint16 code = 0;
            if (payload.size() >= 2) {
                code = quint16(quint8(payload[0]) << 8 | quint8(payload[1]));
                if (!WsFrameParser::isValidCloseCode(code))
                    return error(1002);
                if (!judgedUtf8(payload.mid(2)))
                    return error(1007);
            }
            out.append({Event::Close, payload, code});
            return out;
        } else {
            if (opcode != 0)
                messageOpcode = opcode;
            message += payload;
            if (fin) {
                if (messageOpcode == 1 && !judgedUtf8(message))
                    return error(1007);
                out.append({messageOpcode == 1 ? Event::Text : Event::Binary, message, 0});
                message.clear();
                messageOpcode = 0;
            }
        }
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 2)
        return 0;
    const quint32 seed = data[0];
    const qint64 limit = qint64(data[1]) * 37;
    const QByteArray stream = fuzzBytes(data + 2, size - 2);

    const QList<Outcome> whole = parseInPieces(stream, limit, 0);
    const QList<Outcome> pieces = parseInPieces(stream, limit, seed | 1);
    FUZZ_CHECK(whole == pieces,
               QStringLiteral("%1 events at once, %2 in pieces").arg(whole.size()).arg(pieces.size()));
    const QList<Outcome> expected = reference(stream, limit);
    FUZZ_CHECK(whole == expected, QStringLiteral("%1 events, the reference reader %2; last %3 / %4")
                                      .arg(whole.size())
                                      .arg(expected.size())
                                      .arg(whole.isEmpty() ? -1 : int(whole.constLast().event))
                                      .arg(expected.isEmpty() ? -1 : int(expected.constLast().event)));
    for (qsizetype i = 0; i < whole.size(); ++i) {
        const Outcome &o = whole.at(i);
        FUZZ_CHECK(o.event != Event::NeedMore, QString::number(i));
        if (o.event == Event::Text)
            FUZZ_CHECK(judgedUtf8(o.payload), QString::fromLatin1(o.payload.toHex()));
        if (o.event == Event::Text || o.event == Event::Binary)
            FUZZ_CHECK(o.payload.size() <= limit, QString::number(o.payload.size()));
        if (o.event == Event::Ping || o.event == Event::Close)
            FUZZ_CHECK(o.payload.size() <= 125, QString::number(o.payload.size()));
        if (o.event == Event::Close || o.event == Event::Error)
            FUZZ_CHECK(i == whole.size() - 1, QString::number(i));
    }
    return 0;
}

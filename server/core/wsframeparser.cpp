// SPDX-License-Identifier: GPL-3.0-or-later
#include "wsframeparser.h"

#include <cstring>

namespace {
constexpr quint16 ProtocolError = 1002;
constexpr quint16 InvalidPayload = 1007;
constexpr quint16 MessageTooBig = 1009;
constexpr quint8 OpContinuation = 0x0;
constexpr quint8 OpText = 0x1;
constexpr quint8 OpBinary = 0x2;
constexpr quint8 OpClose = 0x8;
constexpr quint8 OpPing = 0x9;
constexpr quint8 OpPong = 0xa;
constexpr int MaxControlPayload = 125;

bool isControl(quint8 opcode)
{
    return opcode & 0x8;
}
} // namespace

WsFrameParser::WsFrameParser(qint64 maxMessageBytes)
    : m_maxMessageBytes(qMax<qint64>(0, maxMessageBytes))
{}

bool WsFrameParser::isValidCloseCode(quint16 code)
{
    // RFC 6455 7.4: 1004-1006 and 1015 are never sent, 1012-2999 are not assigned to anyone
    // (IANA has registered 1012-1014 since; libwslay and Autobahn refuse them, so do we).
    if (code < 1000 || code >= 5000)
        return false;
    if (code >= 1004 && code <= 1006)
        return false;
    return !(code >= 1012 && code <= 2999);
}

WsFrameParser::Event WsFrameParser::fail(quint16 code, qsizetype taken, qsizetype *used)
{
    m_error = code;
    m_finished = true;
    m_message.clear();
    m_control.clear();
    *used = taken;
    return Event::Error;
}

quint16 WsFrameParser::checkFirstTwoBytes() const
{
    const quint8 b0 = m_header[0];
    const quint8 b1 = m_header[1];
    const quint8 opcode = b0 & 0x0f;
    if (b0 & 0x70)
        return ProtocolError; // a reserved bit: no extension was agreed
    if (!(b1 & 0x80))
        return ProtocolError; // a client's frames are masked (5.1)
    switch (opcode) {
    case OpContinuation:
        return m_messageOpcode ? 0 : ProtocolError;
    case OpText:
    case OpBinary:
        return m_messageOpcode ? ProtocolError : 0; // a new message inside a fragmented one
    case OpClose:
    case OpPing:
    case OpPong:
        // Control frames are whole and short (5.5).
        return (b0 & 0x80) && (b1 & 0x7f) <= MaxControlPayload ? 0 : ProtocolError;
    default:
        return ProtocolError; // a reserved opcode
    }
}

int WsFrameParser::headerBytes() const
{
    const quint8 length = m_header[1] & 0x7f;
    return (length == 126 ? 4 : length == 127 ? 10 : 2) + 4;
}

void WsFrameParser::unmaskInto(QByteArray &target, const char *data, qsizetype size)
{
    const qsizetype start = target.size();
    target.resize(start + size);
    auto *out = reinterpret_cast<quint8 *>(target.data() + start);
    const auto *in = reinterpret_cast<const quint8 *>(data);
    qsizetype i = 0;
    // Eight bytes at a time with the key repeated from where the last piece left off.
    quint8 key[8];
    for (int k = 0; k < 8; ++k)
        key[k] = m_mask[(m_maskIndex + k) & 3];
    quint64 key64;
    std::memcpy(&key64, key, sizeof key64);
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, in + i, sizeof word);
        word ^= key64;
        std::memcpy(out + i, &word, sizeof word);
    }
    for (; i < size; ++i)
        out[i] = in[i] ^ key[i & 7];
    m_maskIndex = quint8((m_maskIndex + size) & 3);
}

WsFrameParser::Event WsFrameParser::parse(const char *data, qsizetype size, qsizetype *used)
{
    qsizetype pos = 0;
    *used = 0;
    if (m_finished)
        return Event::NeedMore;
    for (;;) {
        if (!m_inPayload) {
            while (m_headerSize < 2 && pos < size)
                m_header[m_headerSize++] = quint8(data[pos++]);
            if (m_headerSize < 2)
                break;
            // Refused at its first two bytes, before the peer sends more of it.
            if (m_headerSize == 2) {
                if (const quint16 code = checkFirstTwoBytes())
                    return fail(code, pos, used);
            }
            const int need = headerBytes();
            while (m_headerSize < need && pos < size)
                m_header[m_headerSize++] = quint8(data[pos++]);
            if (m_headerSize < need)
                break;

            m_fin = m_header[0] & 0x80;
            m_opcode = m_header[0] & 0x0f;
            const quint8 length7 = m_header[1] & 0x7f;
            quint64 length = length7;
            if (length7 == 126) {
                length = quint64(m_header[2]) << 8 | m_header[3];
                if (length < 126)
                    return fail(ProtocolError, pos, used); // not in its shortest form
            } else if (length7 == 127) {
                length = 0;
                for (int k = 2; k < 10; ++k)
                    length = length << 8 | m_header[k];
                if ((length >> 63) || length <= 0xffff)
                    return fail(ProtocolError, pos, used);
            }
            std::memcpy(m_mask, m_header + need - 4, 4);
            m_maskIndex = 0;
            m_headerSize = 0;
            if (!isControl(m_opcode)) {
                // Refused as soon as the header announces the size (PROTOCOL.md: 1009).
                if (length > quint64(m_maxMessageBytes) - quint64(m_message.size()))
                    return fail(MessageTooBig, pos, used);
                if (m_opcode != OpContinuation) {
                    m_messageOpcode = m_opcode;
                    m_utf8.reset();
                }
            }
            m_remaining = length;
            m_inPayload = true;
        }

        const qsizetype take = qsizetype(qMin<quint64>(m_remaining, quint64(size - pos)));
        if (isControl(m_opcode)) {
            unmaskInto(m_control, data + pos, take);
        } else {
            const qsizetype start = m_message.size();
            unmaskInto(m_message, data + pos, take);
            // Invalid text fails at once, not at the end of a long message.
            if (m_messageOpcode == OpText && !m_utf8.feed(m_message.constData() + start, take))
                return fail(InvalidPayload, pos + take, used);
        }
        pos += take;
        m_remaining -= quint64(take);
        if (m_remaining > 0)
            break;
        m_inPayload = false;

        // A frame is complete.
        switch (m_opcode) {
        case OpPing:
            m_payload = std::exchange(m_control, {});
            *used = pos;
            return Event::Ping;
        case OpPong:
            m_control.clear();
            *used = pos;
            return Event::Pong;
        case OpClose: {
            const QByteArray body = std::exchange(m_control, {});
            if (body.size() == 1)
                return fail(ProtocolError, pos, used); // a code is two bytes (5.5.1)
            if (body.size() >= 2) {
                const quint16 code = quint16(quint8(body[0]) << 8 | quint8(body[1]));
                if (!isValidCloseCode(code))
                    return fail(ProtocolError, pos, used);
                if (!Utf8Validator::isValidUtf8(body.constData() + 2, body.size() - 2))
                    return fail(InvalidPayload, pos, used);
                m_closeCode = code;
            }
            m_payload = body;
            m_finished = true;
            m_message.clear();
            *used = pos;
            return Event::Close;
        }
        default:
            break;
        }
        if (!m_fin)
            continue; // the message goes on in a continuation frame
        if (m_messageOpcode == OpText && !m_utf8.isComplete())
            return fail(InvalidPayload, pos, used); // a character cut off at the end
        const Event event = m_messageOpcode == OpText ? Event::Text : Event::Binary;
        m_messageOpcode = 0;
        m_payload = std::exchange(m_message, {});
        *used = pos;
        return event;
    }
    *used = pos;
    return Event::NeedMore;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "utf8validator.h"

#include <QByteArray>

//! The server's reader of a client's WebSocket frames (RFC 6455 section 5), on bytes as they
//! arrive: it unmasks, joins fragments into messages, checks what PROTOCOL.md ("Wire-level
//! guarantees") promises to check, and says what is complete. It keeps a frame header, the
//! message being received and a few flags, nothing more: an idle connection costs some 60 bytes
//! (libwslay's context, which this replaces, was 8.8 KiB). No I/O: WsConnection feeds it.
class WsFrameParser
{
public:
    enum class Event {
        NeedMore, // everything given was taken; nothing is complete yet
        Text,     // a whole text message, valid UTF-8: takePayload()
        Binary,
        Ping, // takePayload() is what the pong must carry
        Pong,
        Close, // closeCode(); nothing after it is read
        Error  // errorCode(): 1002, 1007 or 1009; nothing after it is read
    };

    explicit WsFrameParser(qint64 maxMessageBytes);

    // Takes bytes from `data` until one event is complete or all `size` are used; `*used` says
    // how many it took. Call again with the rest after handling the event.
    Event parse(const char *data, qsizetype size, qsizetype *used);
    // The message or control payload of the last event, moved out.
    QByteArray takePayload() { return std::exchange(m_payload, {}); }
    // The code of the peer's close frame; 0 when it sent none.
    quint16 closeCode() const { return m_closeCode; }
    quint16 errorCode() const { return m_error; }
    // A close frame or an error was read: the parser takes nothing more.
    bool isFinished() const { return m_finished; }

    static bool isValidCloseCode(quint16 code);

private:
    Event fail(quint16 code, qsizetype taken, qsizetype *used);
    quint16 checkFirstTwoBytes() const; // 0 or the code to fail with
    int headerBytes() const;            // 2, 4 or 10, plus the 4-byte mask key
    void unmaskInto(QByteArray &target, const char *data, qsizetype size);

    qint64 m_maxMessageBytes;
    QByteArray m_message;    // the data message being received, fragments joined
    QByteArray m_control;    // a control frame's payload (at most 125 bytes)
    QByteArray m_payload;    // what the last event delivered
    quint64 m_remaining = 0; // payload bytes of the current frame still to come
    Utf8Validator m_utf8;    // the text message being received
    quint8 m_header[14] = {};
    quint8 m_mask[4] = {};
    quint8 m_headerSize = 0;
    quint8 m_maskIndex = 0;
    quint8 m_opcode = 0;        // of the current frame
    quint8 m_messageOpcode = 0; // 1 or 2 while a message is being received, else 0
    bool m_inPayload = false;
    bool m_fin = false;
    bool m_finished = false;
    quint16 m_closeCode = 0;
    quint16 m_error = 0;
};

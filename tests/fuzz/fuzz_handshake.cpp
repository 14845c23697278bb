// SPDX-License-Identifier: GPL-3.0-or-later
// The server's WebSocket upgrade request parser, WsHandshake::parse, on any bytes.
//
// Properties:
//  - Incomplete exactly while no blank line has arrived and the bytes fit in MaxRequestBytes;
//  - an upgrade takes exactly the head (through the blank line), which fits in MaxRequestBytes,
//    and answers 101 with the accept key of the one Sec-WebSocket-Key header;
//  - a refusal is 400, 403, 426 or 431, with a reason for the log;
//  - every answer is one well-formed head: its status line, CRLF lines, one blank line at the
//    end, nothing of the request echoed into it but the accept key.
#include "fuzzcheck.h"
#include "wshandshake.h"

#include <QRegularExpression>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const QByteArray received = fuzzBytes(data, size);
    const QStringList origins{QStringLiteral("https://chat.example.org")};
    const WsHandshake h = WsHandshake::parse(received, origins, "natter-server/fuzz");
    const qsizetype blank = received.indexOf("\r\n\r\n");

    if (h.result() == WsHandshake::Result::Incomplete) {
        FUZZ_CHECK(blank < 0 && received.size() <= WsHandshake::MaxRequestBytes,
                   QString::number(received.size()));
        FUZZ_CHECK(h.response().isEmpty(), QString::fromLatin1(h.response()));
        return 0;
    }
    const QByteArray &response = h.response();
    FUZZ_CHECK(response.startsWith("HTTP/1.1 " + QByteArray::number(h.status()) + ' '),
               QString::fromLatin1(response.left(40)));
    FUZZ_CHECK(response.endsWith("\r\n\r\n") && response.indexOf("\r\n\r\n") == response.size() - 4,
               QString::fromLatin1(response));
    FUZZ_CHECK(!response.contains('\0') && response.count('\n') == response.count("\r\n"),
               QString::fromLatin1(response));

    if (h.result() == WsHandshake::Result::Upgrade) {
        FUZZ_CHECK(h.status() == 101, QString::number(h.status()));
        FUZZ_CHECK(blank >= 0 && h.headBytes() == blank + 4 && h.headBytes() <= WsHandshake::MaxRequestBytes,
                   QString::number(h.headBytes()));
        const QRegularExpression keyLine(
            QStringLiteral("\\r\\nSec-WebSocket-Key:[ \\t]*([A-Za-z0-9+/=]+)[ \\t]*\\r\\n"),
            QRegularExpression::CaseInsensitiveOption);
        const auto match = keyLine.match(QString::fromLatin1(received.left(h.headBytes())));
        FUZZ_CHECK(match.hasMatch(), QStringLiteral("an upgrade without a key"));
        const QByteArray accept = WsHandshake::acceptKey(match.captured(1).toLatin1());
        FUZZ_CHECK(response.contains("\r\nSec-WebSocket-Accept: " + accept + "\r\n"),
                   QString::fromLatin1(response));
        return 0;
    }
    FUZZ_CHECK(h.status() == 400 || h.status() == 403 || h.status() == 426 || h.status() == 431,
               QString::number(h.status()));
    FUZZ_CHECK(!h.error().isEmpty(), QString::number(h.status()));
    if (h.status() == 431)
        FUZZ_CHECK(received.size() > WsHandshake::MaxRequestBytes, QString::number(received.size()));
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "wshandshake.h"

#include <QCryptographicHash>
#include <QHash>
#include <QList>

namespace {
QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 101:
        return "Switching Protocols";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

// RFC 7230 3.2: optional white space around a field value is spaces and tabs only.
QByteArray trimOws(const QByteArray &value)
{
    qsizetype begin = 0, end = value.size();
    while (begin < end && (value.at(begin) == ' ' || value.at(begin) == '\t'))
        ++begin;
    while (end > begin && (value.at(end - 1) == ' ' || value.at(end - 1) == '\t'))
        --end;
    return value.mid(begin, end - begin);
}

// Control characters (other than a tab) have no place in a request line or a header: a lenient
// reading of them (a form feed taken for white space) is how requests get smuggled.
bool hasControl(const QByteArray &line)
{
    for (const char c : line) {
        if ((uchar(c) < 0x20 && c != '\t') || uchar(c) == 0x7f)
            return true;
    }
    return false;
}

// A comma-separated header value (e.g. "keep-alive, Upgrade") holds `token`, case-insensitively.
bool hasToken(const QByteArray &value, const QByteArray &token)
{
    const QList<QByteArray> parts = value.split(',');
    for (const QByteArray &part : parts) {
        if (trimOws(part).compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}
} // namespace

QByteArray WsHandshake::acceptKey(const QByteArray &key)
{
    return QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", QCryptographicHash::Sha1)
        .toBase64();
}

WsHandshake WsHandshake::refuse(int status, const QString &why, const QByteArray &extraHeaders)
{
    WsHandshake h;
    h.m_result = Result::Refused;
    h.m_status = status;
    h.m_error = why;
    h.m_response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n" +
                   extraHeaders + "Content-Length: 0\r\nConnection: close\r\n\r\n";
    return h;
}

WsHandshake WsHandshake::unauthorized(const QString &why)
{
    return refuse(401, why, "WWW-Authenticate: Bearer\r\n");
}

WsHandshake WsHandshake::unavailable(int retryAfterS, const QString &why)
{
    return refuse(503, why, "Retry-After: " + QByteArray::number(qMax(0, retryAfterS)) + "\r\n");
}

WsHandshake WsHandshake::parse(const QByteArray &received, const QStringList &allowedOrigins,
                               const QByteArray &serverName)
{
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (end < 0) {
        if (received.size() > MaxRequestBytes)
            return refuse(431, QStringLiteral("request head larger than %1 bytes").arg(MaxRequestBytes));
        return {};
    }
    if (end + 4 > MaxRequestBytes)
        return refuse(431, QStringLiteral("request head larger than %1 bytes").arg(MaxRequestBytes));

    // Every line ends with CRLF (the last one's is part of the blank line's), with no other
    // control characters in it.
    QList<QByteArray> lines = (received.left(end) + "\r").split('\n');
    for (QByteArray &line : lines) {
        if (!line.endsWith('\r') || hasControl(line.chopped(1)))
            return refuse(400, QStringLiteral("malformed request line or header"));
        line.chop(1);
    }
    const QList<QByteArray> requestLine = lines.constFirst().split(' ');
    if (requestLine.size() != 3 || requestLine.at(0) != "GET" || !requestLine.at(1).startsWith('/'))
        return refuse(400, QStringLiteral("not a GET request"));
    const QByteArray &version = requestLine.at(2);
    if (!version.startsWith("HTTP/1.") || version == "HTTP/1.0")
        return refuse(400, QStringLiteral("not HTTP/1.1"));

    QHash<QByteArray, QByteArray> headers; // lower-case name -> value; repeats joined with ", "
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.at(0) == ' ' || line.at(0) == '\t')
            return refuse(400, QStringLiteral("malformed header line"));
        const QByteArray name = line.left(colon).toLower();
        if (name.contains(' ') || name.contains('\t'))
            return refuse(400, QStringLiteral("malformed header name"));
        const QByteArray value = trimOws(line.mid(colon + 1));
        QByteArray &slot = headers[name];
        slot = slot.isEmpty() ? value : slot + ", " + value;
    }

    if (!headers.contains("host"))
        return refuse(400, QStringLiteral("no Host header"));
    if (!hasToken(headers.value("upgrade"), "websocket") || !hasToken(headers.value("connection"), "upgrade"))
        return refuse(426, QStringLiteral("not a WebSocket upgrade"),
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n");
    if (headers.value("sec-websocket-version") != "13")
        return refuse(426, QStringLiteral("unsupported WebSocket version"), "Sec-WebSocket-Version: 13\r\n");
    const QByteArray key = headers.value("sec-websocket-key");
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return refuse(400, QStringLiteral("bad Sec-WebSocket-Key"));

    // Browsers always send Origin; the desktop app, the CLI and bots send none. Without this
    // check any web page a user visits could talk to the server in the user's name.
    const QString origin = QString::fromUtf8(headers.value("origin"));
    if (!origin.isEmpty() && !allowedOrigins.contains(origin)) {
        WsHandshake h = refuse(403, QStringLiteral("origin %1 is not allowed").arg(origin));
        h.m_origin = origin;
        return h;
    }

    WsHandshake h;
    h.m_result = Result::Upgrade;
    h.m_status = 101;
    h.m_headBytes = end + 4;
    h.m_origin = origin;
    const QByteArray target = requestLine.at(1);
    h.m_path = target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'));
    const QByteArray authorization = headers.value("authorization");
    if (authorization.size() > 7 && authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        h.m_bearer = QString::fromLatin1(authorization.mid(7).trimmed());
    h.m_response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: " +
                   acceptKey(key) + "\r\nServer: " + serverName + "\r\n\r\n";
    return h;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

//! The HTTP/1.1 upgrade request that opens a WebSocket (RFC 6455 section 4.2), read by the
//! server: feed it what arrived so far, get back either "need more", the 101 answer, or the
//! error answer to send before closing. Plain value, no sockets, so it can be fuzzed and tested
//! on its own.
class WsHandshake
{
public:
    // A request head larger than this is refused (431): nothing legitimate comes close.
    static constexpr int MaxRequestBytes = 8 * 1024;

    enum class Result {
        Incomplete, // the request head has not fully arrived yet
        Upgrade,    // answer with response(), then speak WebSocket
        Refused,    // answer with response(), then close
    };

    // `allowedOrigins`: a request carrying an Origin not listed is refused with 403 (browsers
    // always send one; the desktop app, the CLI and bots send none and are let in).
    static WsHandshake parse(const QByteArray &received, const QStringList &allowedOrigins,
                             const QByteArray &serverName);

    Result result() const { return m_result; }
    int status() const { return m_status; } // 101, or the HTTP error sent
    const QByteArray &response() const { return m_response; }
    // Bytes of `received` taken by the request head; what follows is WebSocket data.
    qsizetype headBytes() const { return m_headBytes; }
    const QString &origin() const { return m_origin; }
    // The request target's path (no query), e.g. "/" or "/login".
    const QByteArray &path() const { return m_path; }
    // The token of an `Authorization: Bearer <token>` header; empty without one.
    const QString &bearerToken() const { return m_bearer; }
    // Turns an Upgrade into a 401 (accounts mode with --auth-at-handshake, no valid token).
    static WsHandshake unauthorized(const QString &why);
    // Turns an Upgrade into a 503 with Retry-After (the server is at a connection cap).
    static WsHandshake unavailable(int retryAfterS, const QString &why);
    // Why a request was refused, for the log.
    const QString &error() const { return m_error; }

    // base64(SHA-1(key + the RFC's GUID)).
    static QByteArray acceptKey(const QByteArray &key);

private:
    static WsHandshake refuse(int status, const QString &why, const QByteArray &extraHeaders = {});

    Result m_result = Result::Incomplete;
    int m_status = 0;
    QByteArray m_response;
    qsizetype m_headBytes = 0;
    QString m_origin;
    QByteArray m_path;
    QString m_bearer;
    QString m_error;
};

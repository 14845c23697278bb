// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A minimal wss:// chat server for tests, with the self-signed certificate in tests/common/data:
// the upgrade, `connected`, and answers to setUsername and joinRoom.
#include "protocol.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QWebSocket>
#include <QWebSocketServer>

namespace TlsTest {

inline QByteArray readData(const char *name)
{
    QFile f(QStringLiteral(NATTER_TEST_DATA_DIR "/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", name);
    return f.readAll();
}

//! A minimal wss:// chat server: upgrade, `connected`, and answers to setUsername/joinRoom.
class TlsServer : public QObject
{
public:
    TlsServer()
        : m_server(QStringLiteral("tls"), QWebSocketServer::SecureMode)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(certificate());
        tls.setPrivateKey(QSslKey(readData("localhost.key"), QSsl::Rsa));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server.setSslConfiguration(tls);
        // Handshakes that fail on the client's side are normal here.
        connect(&m_server, &QWebSocketServer::sslErrors, this, [](const QList<QSslError> &) {});
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *ws = m_server.nextPendingConnection()) {
                ++accepted;
                connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
                Protocol::Connected hello;
                hello.clientId = QStringLiteral("tls-client");
                ws->sendTextMessage(QString::fromUtf8(Protocol::encode(hello)));
                connect(ws, &QWebSocket::textMessageReceived, ws, [ws](const QString &text) {
                    const auto decoded = Protocol::decodeClient(text);
                    if (Protocol::isError(decoded))
                        return;
                    const auto &msg = std::get<Protocol::ClientMessage>(decoded);
                    if (const auto *set = std::get_if<Protocol::SetUsername>(&msg))
                        ws->sendTextMessage(
                            QString::fromUtf8(Protocol::encode(Protocol::UsernameSet{set->username})));
                    if (const auto *join = std::get_if<Protocol::JoinRoom>(&msg)) {
                        Protocol::RoomJoined joined;
                        joined.room = join->room;
                        joined.userCount = 1;
                        ws->sendTextMessage(QString::fromUtf8(Protocol::encode(joined)));
                    }
                });
            }
        });
    }

    static QSslCertificate certificate() { return QSslCertificate(readData("localhost.crt")); }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("wss://127.0.0.1:%1").arg(m_server.serverPort())); }

    int accepted = 0;

private:
    QWebSocketServer m_server;
};

} // namespace TlsTest

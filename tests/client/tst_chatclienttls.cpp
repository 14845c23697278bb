// SPDX-License-Identifier: GPL-3.0-or-later
// ChatClient over wss:// against a TLS server with a self-signed certificate: an untrusted
// certificate stops the client (no retry loop, no silent acceptance) until the user trusts it.
#include "chatclient.h"
#include "clientfixture.h"
#include "protocol.h"
#include "tlstestserver.h"

#include <QFile>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <memory>

using State = ChatClient::State;

using TlsTest::TlsServer;

class TestChatClientTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
    }

    void untrustedCertificateStopsTheClientWithoutRetrying()
    {
        TlsServer server;
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy states(&client, &ChatClient::stateChanged);
        QSignalSpy rejected(&client, &ChatClient::certificateRejected);
        client.connectToServer(server.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::GaveUp, 10000);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(0).value<QSslCertificate>(), TlsServer::certificate());
        QVERIFY(!rejected.at(0).at(1).toStringList().isEmpty());
        QVERIFY(states.constLast().at(1).toString().contains(QStringLiteral("certificate")));
        for (const QList<QVariant> &change : std::as_const(states))
            QVERIFY(change.at(0).value<State>() != State::Reconnecting);
        QCOMPARE(server.accepted, 0);

        // A message typed meanwhile waits rather than failing: the user may still trust it.
        const QString id = client.sendMessage(QStringLiteral("hello over TLS"));
        QVERIFY(!id.isEmpty());

        // Trusting some other certificate changes nothing.
        QFile other(QStringLiteral(NATTER_TEST_DATA_DIR "/other.crt"));
        QVERIFY(other.open(QIODevice::ReadOnly));
        client.trustCertificate(QSslCertificate(other.readAll()));
        client.reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 2, 10000);
        QCOMPARE(client.state(), State::GaveUp);
    }

    void trustedCertificateConnects()
    {
        TlsServer server;
        QVERIFY(server.listen());
        ChatClient client(fastClientSettings(m_dir));
        QSignalSpy rejected(&client, &ChatClient::certificateRejected);
        client.connectToServer(server.url(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, 10000);

        // The user looked at the certificate and chose to trust it.
        client.trustCertificate(rejected.at(0).at(0).value<QSslCertificate>());
        QSignalSpy restored(&client, &ChatClient::sessionRestored);
        client.reconnectNow();
        QVERIFY(restored.wait(10000));
        QCOMPARE(client.state(), State::Connected);
        QCOMPARE(server.accepted, 1);
        QCOMPARE(rejected.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestChatClientTls)
#include "tst_chatclienttls.moc"

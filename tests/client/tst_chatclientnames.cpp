// SPDX-License-Identifier: GPL-3.0-or-later
// ChatClient in open mode (docs/PROTOCOL.md 2, *Identity*): it takes its name back after a
// reconnect with the nameToken, reports a name held by someone else without reconnecting, and
// stops when a newer connection of its own took the name over (4001).
#include "chatclient.h"
#include "clientfixture.h"
#include "fakeserver.h"
#include "serverfixture.h"
#include "wsprobe.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using State = ChatClient::State;

namespace {

//! A TCP relay in front of a server that can cut the client side of every connection while the
//! server side stays open: a network change the server has not noticed yet.
class TcpRelay
{
public:
    explicit TcpRelay(const QUrl &target)
        : m_target(target)
    {
        m_server.listen(QHostAddress::LocalHost);
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket *down = m_server.nextPendingConnection())
                accept(down);
        });
    }

    // The sockets are children of m_server and are destroyed one after another; a socket's
    // destructor emits `disconnected`, which must not reach its partner's lambdas, since one of
    // them would call into the socket being destroyed (found by AddressSanitizer).
    ~TcpRelay()
    {
        const QList<QTcpSocket *> sockets = m_server.findChildren<QTcpSocket *>();
        for (QTcpSocket *socket : sockets)
            socket->disconnect();
    }

    QUrl url() const
    {
        QUrl u = m_target;
        u.setPort(m_server.serverPort());
        return u;
    }

    void cutClients()
    {
        for (const QPointer<QTcpSocket> &down : std::as_const(m_downs)) {
            if (down) {
                down->disconnect(); // the server side must not hear of it
                down->abort();
            }
        }
    }

private:
    void accept(QTcpSocket *down)
    {
        down->setParent(&m_server);
        auto *up = new QTcpSocket(&m_server);
        QPointer<QTcpSocket> d(down);
        QPointer<QTcpSocket> u(up);
        m_downs.append(d);
        const auto forwardDown = [d, u] {
            if (d && u && u->state() == QAbstractSocket::ConnectedState)
                u->write(d->readAll());
        };
        QObject::connect(down, &QTcpSocket::readyRead, up, forwardDown);
        QObject::connect(up, &QTcpSocket::connected, up, forwardDown);
        QObject::connect(up, &QTcpSocket::readyRead, up, [d, u] {
            const QByteArray data = u->readAll();
            if (d && d->state() == QAbstractSocket::ConnectedState)
                d->write(data);
            else
                u->abort(); // the client side is gone: only now does the server hear of it
        });
        QObject::connect(up, &QTcpSocket::disconnected, up, [d] {
            if (d)
                d->disconnectFromHost();
        });
        QObject::connect(down, &QTcpSocket::disconnected, up, [u] {
            if (u)
                u->disconnectFromHost();
        });
        up->connectToHost(QHostAddress::LocalHost, quint16(m_target.port()));
    }

    QUrl m_target;
    QTcpServer m_server;
    QList<QPointer<QTcpSocket>> m_downs;
};

} // namespace

class TestChatClientNames : public QObject
{
    Q_OBJECT

private slots:
    void aReconnectTakesTheNameBackFromTheOldConnection()
    {
        QTemporaryDir dir;
        // No heartbeat in tests: the server would never notice the old connection by itself.
        auto server = startTestServer();
        TcpRelay relay(server->url());
        ChatClient client(fastClientSettings(dir, QStringLiteral("ana")));
        QSignalSpy refused(&client, &ChatClient::nameRefused);
        QVERIFY(connectAndJoin(client, relay.url(), QStringLiteral("Ana")));
        QTRY_COMPARE(server->clientCount(), 1);

        QSignalSpy restored(&client, &ChatClient::sessionRestored);
        relay.cutClients();
        QVERIFY(restored.wait(10000));
        QCOMPARE(client.username(), QStringLiteral("Ana"));
        QCOMPARE(client.state(), State::Connected);
        QCOMPARE(refused.count(), 0);
        // The old connection was closed by the takeover, not by anything the server noticed.
        QTRY_COMPARE(server->clientCount(), 1);

        WsProbe other;
        QVERIFY(other.open(server->url()));
        other.send(Protocol::SetUsername{QStringLiteral("ana"), {}});
        QCOMPARE(other.next<Protocol::Error>()->code, QStringLiteral("nameTaken"));
    }

    void aNameHeldBySomeoneElseIsRefusedWithoutReconnecting()
    {
        QTemporaryDir dir;
        auto server = startTestServer();
        ChatClient ana(fastClientSettings(dir, QStringLiteral("ana")));
        QVERIFY(connectAndJoin(ana, server->url(), QStringLiteral("Ana")));

        ChatClient bob(fastClientSettings(dir, QStringLiteral("bob")));
        QSignalSpy refused(&bob, &ChatClient::nameRefused);
        QSignalSpy states(&bob, &ChatClient::stateChanged);
        QSignalSpy restored(&bob, &ChatClient::sessionRestored);
        bob.connectToServer(server->url(), QStringLiteral("ＡＮＡ"), QStringLiteral("general"));
        QVERIFY(refused.wait(10000));
        QCOMPARE(refused.constFirst().at(0).toString(), QStringLiteral("ＡＮＡ"));
        QVERIFY(settleClient(bob));
        QCOMPARE(bob.state(), State::Connected);
        QCOMPARE(restored.count(), 0);
        for (const QList<QVariant> &s : std::as_const(states))
            QVERIFY(s.at(0).value<State>() != State::Reconnecting); // no reconnect loop

        bob.setUsername(QStringLiteral("Bob"));
        QVERIFY(restored.wait(10000));
        QCOMPARE(bob.username(), QStringLiteral("Bob"));
        QCOMPARE(bob.joinedRoom(), QStringLiteral("general"));

        // A refused rename keeps the name held.
        bob.setUsername(QStringLiteral("ana"));
        QVERIFY(refused.wait(10000));
        QCOMPARE(bob.username(), QStringLiteral("Bob"));
        QCOMPARE(ana.username(), QStringLiteral("Ana"));
    }

    void aNameTakenOverEndsTheConnectionForGood()
    {
        QTemporaryDir dir;
        FakeServer fake;
        QVERIFY(fake.listen());
        ChatClient client(fastClientSettings(dir));
        QVERIFY(connectAndJoin(client, fake.url(), QStringLiteral("ana")));
        QSignalSpy states(&client, &ChatClient::stateChanged);
        fake.closeAll(QWebSocketProtocol::CloseCode(Protocol::CloseNameTakenOver),
                      QStringLiteral("name taken over"));
        QTRY_COMPARE(client.state(), State::Disconnected);
        QVERIFY(states.constLast().at(1).toString().contains(QStringLiteral("taken over")));
        QCOMPARE(fake.totalConnections(), 1);
        for (const QList<QVariant> &s : std::as_const(states))
            QVERIFY(s.at(0).value<State>() != State::Reconnecting);
    }
};

QTEST_GUILESS_MAIN(TestChatClientNames)
#include "tst_chatclientnames.moc"

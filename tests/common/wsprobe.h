// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"
#include "waituntil.h"

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>

#include <memory>
#include <optional>

//! A raw WebSocket test client: records every text message (as JSON, so tests can check exact
//! key sets) and every binary frame, and waits for them without sleeping. Header-only and free
//! of Q_OBJECT so any test can include it. Typical use:
//!   WsProbe alice;
//!   QVERIFY(alice.login(server.url(), "alice", "general"));
//!   alice.send(Protocol::SendChat{"hi", {}});
//!   QVERIFY(bob.waitFor("chatMessage"));
class WsProbe
{
public:
    WsProbe()
        : m_socket(std::make_unique<QWebSocket>())
    {
        QObject::connect(m_socket.get(), &QWebSocket::textMessageReceived, [this](const QString &text) {
            texts.append(text);
            objects.append(QJsonDocument::fromJson(text.toUtf8()).object());
            m_byType[objects.constLast().value(QLatin1String("type")).toString()].append(
                int(objects.size() - 1));
        });
        QObject::connect(m_socket.get(), &QWebSocket::binaryMessageReceived,
                         [this](const QByteArray &frame) { binaries.append(frame); });
        QObject::connect(m_socket.get(), &QWebSocket::disconnected, [this] { m_disconnected = true; });
    }
    ~WsProbe() { m_socket->abort(); }
    Q_DISABLE_COPY_MOVE(WsProbe)

    QWebSocket &socket() { return *m_socket; }
    bool isConnected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }

    // Connects and waits for the server's `connected` message.
    bool open(const QUrl &url, int timeoutMs = 10000)
    {
        m_socket->open(url);
        return waitFor(QStringLiteral("connected"), timeoutMs).has_value();
    }

    // open(), `hello` (extension clients only), setUsername, joinRoom; waits for each answer.
    // `nameToken` (another probe's nameToken()) takes the name over from a live connection.
    bool login(const QUrl &url, const QString &name, const QString &room = {},
               const QStringList &features = {}, const QString &nameToken = {})
    {
        if (!open(url))
            return false;
        if (!features.isEmpty())
            send(Protocol::Hello{QStringLiteral("wsprobe"), features});
        send(Protocol::SetUsername{name, nameToken});
        if (!waitFor(QStringLiteral("usernameSet")))
            return false;
        return room.isEmpty() || join(room);
    }
    bool join(const QString &room, std::optional<qint64> since = std::nullopt, const QString &epoch = {})
    {
        send(Protocol::JoinRoom{room, since, epoch});
        return waitFor(QStringLiteral("roomJoined")).has_value();
    }

    // The nameToken of the last usernameSet (open mode), or an empty string.
    QString nameToken() const
    {
        const QList<QJsonObject> sets = all(QStringLiteral("usernameSet"));
        return sets.isEmpty() ? QString() : sets.constLast().value(QLatin1String("nameToken")).toString();
    }

    void send(const Protocol::ClientMessage &message) { sendRaw(Protocol::encode(message)); }
    void sendRaw(const QByteArray &json) { m_socket->sendTextMessage(QString::fromUtf8(json)); }
    void sendBinary(const QByteArray &frame) { m_socket->sendBinaryMessage(frame); }

    // Every text message of `type` received so far.
    QList<QJsonObject> all(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const int i : m_byType.value(type))
            out.append(objects.at(i));
        return out;
    }
    int count(const QString &type) const { return int(m_byType.value(type).size()); }

    // Waits for the next message of `type` that no earlier waitFor() returned.
    std::optional<QJsonObject> waitFor(const QString &type, int timeoutMs = 10000)
    {
        int &taken = m_taken[type];
        const bool arrived = waitUntil([&] { return count(type) > taken; }, timeoutMs);
        if (!arrived)
            return std::nullopt;
        return objects.at(m_byType.value(type).at(taken++));
    }

    // The same, decoded into the protocol's typed message T (e.g. Protocol::ChatMessage).
    template<typename T>
    std::optional<T> next(int timeoutMs = 10000)
    {
        const QString type = Protocol::typeName(Protocol::ServerMessage(T{}));
        const auto o = waitFor(type, timeoutMs);
        if (!o)
            return std::nullopt;
        const auto decoded = Protocol::decodeServer(QJsonDocument(*o).toJson(QJsonDocument::Compact));
        if (const auto *m = std::get_if<Protocol::ServerMessage>(&decoded)) {
            if (const T *t = std::get_if<T>(m))
                return *t;
        }
        return std::nullopt;
    }

    // Waits until `n` messages of `type` have arrived in all. A server with a store acknowledges a
    // message (`ack`, for one sent with an id) only once it is stored, which a ping's pong does
    // not wait for.
    bool waitForCount(const QString &type, int n, int timeoutMs = 10000)
    {
        return waitUntil([&] { return count(type) >= n; }, timeoutMs);
    }

    // A barrier: a ping/pong round trip through the server. Once its pong is back, everything
    // the server sent this client before it has arrived too, so a test can check that nothing
    // else came without a timed wait. The pong is matched by its timestamp and counts as taken.
    bool settle(int timeoutMs = 10000)
    {
        const qint64 id = ++m_settleId;
        send(Protocol::Ping{id});
        int index = -1;
        const bool back = waitUntil(
            [&] {
                const QList<int> &pongs = m_byType[QStringLiteral("pong")];
                for (int i = 0; i < pongs.size() && index < 0; ++i) {
                    if (objects.at(pongs.at(i)).value(QLatin1String("timestamp")).toInteger() == id)
                        index = i;
                }
                return index >= 0;
            },
            timeoutMs);
        int &taken = m_taken[QStringLiteral("pong")];
        if (back && taken == index)
            ++taken;
        return back;
    }

    bool waitForBinaries(int n, int timeoutMs = 10000)
    {
        return waitUntil([&] { return binaries.size() >= n; }, timeoutMs);
    }
    bool waitForDisconnected(int timeoutMs = 10000)
    {
        return waitUntil([&] { return m_disconnected; }, timeoutMs);
    }

    QStringList texts;
    QList<QJsonObject> objects;
    QList<QByteArray> binaries;

private:
    std::unique_ptr<QWebSocket> m_socket;
    QHash<QString, int> m_taken;
    QHash<QString, QList<int>> m_byType; // indexes into `objects`
    bool m_disconnected = false;
    qint64 m_settleId = 7000000; // settle() pings count up from here
};

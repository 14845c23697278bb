// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientfixture.h"

#include "sessionchannel.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <algorithm>

ChatClient::Settings fastClientSettings(const QTemporaryDir &dir, const QString &name)
{
    static int unnamed = 0;
    ChatClient::Settings s;
    s.initialDelayMs = 20;
    s.maxDelayMs = 200;
    s.jitter = 0;
    s.connectTimeoutMs = 5000;
    s.minUptimeMs = 200;
    s.pingIntervalMs = 200;
    s.pongTimeoutMs = 15000;
    s.typingThrottleMs = 0;
    s.typingExpiryMs = 5000;
    const QString file = name.isEmpty() ? QStringLiteral("outbox-unnamed-%1.json").arg(++unnamed)
                                        : QStringLiteral("outbox-%1.json").arg(name);
    s.outboxPath = dir.filePath(file);
    s.outboxSaveDelayMs = 0;
    s.wakeCheckIntervalMs = 0;
    s.watchNetwork = false;
    return s;
}

bool settleClient(ChatClient &client)
{
    QSignalSpy pongs(client.channel(), &SessionChannel::pongReceived);
    const qint64 id = client.channel()->sendPing();
    return id != 0 &&
           QTest::qWaitFor(
               [&] {
                   return std::any_of(pongs.cbegin(), pongs.cend(), [id](const QList<QVariant> &args) {
                       return args.at(0).toLongLong() == id;
                   });
               },
               10000);
}

bool connectAndJoin(ChatClient &client, const QUrl &url, const QString &user, const QString &room)
{
    QSignalSpy restored(&client, &ChatClient::sessionRestored);
    client.connectToServer(url, user, room);
    return restored.wait(10000);
}

// SPDX-License-Identifier: GPL-3.0-or-later
// State names come from the enums themselves; these are the names docs/CLI.md promises scripts and
// the names outbox files already on disk use, so a renamed enumerator shows up here.
#include "chatclient.h"
#include "enumname.h"
#include "outbox.h"
#include "transferinfo.h"

#include <QtTest>

class TestEnumName : public QObject
{
    Q_OBJECT

private slots:
    void connectionStatesKeepTheirDocumentedNames()
    {
        using S = ChatClient::State;
        QCOMPARE(EnumName::of(S::Connecting), QStringLiteral("connecting"));
        QCOMPARE(EnumName::of(S::Connected), QStringLiteral("connected"));
        QCOMPARE(EnumName::of(S::Reconnecting), QStringLiteral("reconnecting"));
        QCOMPARE(EnumName::of(S::Closing), QStringLiteral("closing"));
        QCOMPARE(EnumName::of(S::Disconnected), QStringLiteral("disconnected"));
        QCOMPARE(EnumName::of(S::GaveUp), QStringLiteral("gaveUp"));
        QCOMPARE(ChatClient::stateName(S::GaveUp), EnumName::of(S::GaveUp));
    }

    void transferStatesKeepTheirDocumentedNames()
    {
        using S = TransferInfo::State;
        const QStringList documented{QStringLiteral("queued"),      QStringLiteral("active"),
                                     QStringLiteral("interrupted"), QStringLiteral("completed"),
                                     QStringLiteral("failed"),      QStringLiteral("cancelled")};
        const QList<S> states{S::Queued, S::Active, S::Interrupted, S::Completed, S::Failed, S::Cancelled};
        QCOMPARE(QMetaEnum::fromType<S>().keyCount(), int(states.size()));
        for (int i = 0; i < states.size(); ++i)
            QCOMPARE(TransferInfo::stateName(states.at(i)), documented.at(i));
        QCOMPARE(TransferInfo::directionName(TransferInfo::Direction::Upload), QStringLiteral("upload"));
        QCOMPARE(TransferInfo::directionName(TransferInfo::Direction::Download), QStringLiteral("download"));
    }

    void outboxStatesKeepTheNamesOnDisk()
    {
        using S = Outbox::DeliveryState;
        QCOMPARE(EnumName::of(S::Queued), QStringLiteral("queued"));
        QCOMPARE(EnumName::of(S::Sent), QStringLiteral("sent"));
        QCOMPARE(EnumName::of(S::Acknowledged), QStringLiteral("acknowledged"));
        QCOMPARE(EnumName::of(S::Failed), QStringLiteral("failed"));
    }
};

QTEST_GUILESS_MAIN(TestEnumName)
#include "tst_enumname.moc"

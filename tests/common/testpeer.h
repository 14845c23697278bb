// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"
#include "filetransfers.h"

#include <memory>

class QTemporaryDir;

//! One user in a test: a ChatClient with fastClientSettings() and its FileTransfers, completed
//! downloads going to its own folder (`downloads`; set the transfers' folder to "" to keep them
//! private until saved).
class TestPeer
{
public:
    TestPeer(const QTemporaryDir &dir, const QString &name, FileTransfers::Settings files = {});
    ~TestPeer();
    Q_DISABLE_COPY_MOVE(TestPeer)

    // Connects and waits until the session is ready in `room`.
    bool login(const QUrl &url, const QString &room = QStringLiteral("general"));

    TransferInfo info(const QString &id) const { return transfers->transfer(id); }
    // The newest download, or an empty TransferInfo.
    TransferInfo lastDownload() const;
    // The index-th completed download (-1: the newest), or an empty TransferInfo.
    TransferInfo completedDownload(int index = -1) const;
    int downloadCount() const;
    bool waitForState(const QString &id, TransferInfo::State state, int timeoutMs = 20000) const;

    QString name;
    QString downloads;
    // Declared last so the transfers go before the client they watch.
    std::unique_ptr<ChatClient> client;
    std::unique_ptr<FileTransfers> transfers;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clioptions.h"
#include "protocol.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

class ChatClient;
class FileTransfers;
class JsonLineWriter;
struct TransferInfo;
class QSocketNotifier;

//! natter-cli's behaviour: reads commands and chat lines from stdin without blocking the event
//! loop, drives a ChatClient, and prints every event as one JSON object per line on stdout.
class CliSession : public QObject
{
    Q_OBJECT
public:
    explicit CliSession(const CliOptions &options, QObject *parent = nullptr);
    ~CliSession() override;

    void start();
    // Flushes what the outbox can deliver within the flush timeout, disconnects and quits (exit 0).
    void finish(const QString &why);

signals:
    void finished(int exitCode);

private:
    void readInput();
    void handleLine(const QString &line);
    void handleCommand(const QString &command, const QString &argument);
    void checkFinish();
    void emitEvent(const QString &event, QJsonObject fields = {});
    void emitMessage(const Protocol::ChatMessage &m);
    void emitError(const QString &source, const QString &message, const QString &code = {});
    int pendingForRoom() const;
    int unfinishedTransfers() const;
    void onTransferEvent(const TransferInfo &info);
    void checkTransferStall();

    CliOptions m_options;
    QStringList m_typists; // who the last `typing` events said is typing (TypingTracker bounds it)
    ChatClient *m_client = nullptr;
    FileTransfers *m_transfers = nullptr;
    JsonLineWriter *m_out = nullptr; // stdout
    QSocketNotifier *m_stdin = nullptr;
    QByteArray m_buffer;
    QTimer m_flushDeadline;
    QTimer m_transferStall;        // while finishing: transfers without progress for this long end
    QElapsedTimer m_sinceProgress; // since a transfer last moved
    bool m_finishing = false;
    bool m_outboxTimedOut = false;
    bool m_transfersTimedOut = false;
    bool m_done = false;
    bool m_checking = false;
    bool m_exited = false;
};

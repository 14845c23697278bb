// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"
#include "clioptions.h"
#include "protocol.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

class FileTransfers;
class JsonLineWriter;
class MessageCache;
class TokenStore;
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
    // Flushes what the outbox can deliver within the flush timeout, disconnects and quits (exit 0,
    // or the status of the login problem that ended the session).
    void finish(const QString &why);

signals:
    void finished(int exitCode);

private:
    void connectToServer();
    void onLoginRequired(ChatClient::LoginProblem problem, const QString &reason, qint64 retryAfterMs);
    void onAuthenticated(const QString &account, const QString &token, qint64 expiresAt);
    void logIn(bool createAccount);
    void advanceLogout();
    void forgetStoredToken();
    void onTokenStored();
    void readInput();
    void handleLine(const QString &line);
    void handleCommand(const QString &command, const QString &argument);
    void conversationCommand(const QString &command, const QString &argument); // /reply /edit /delete /react
    void checkFinish();
    void emitEvent(const QString &event, QJsonObject fields = {});
    void emitMessage(const Protocol::ChatMessage &m);
    void emitError(const QString &source, const QString &message, const QString &code = {});
    void showOlder(int count);
    void emitOlder(const QString &room, const QList<Protocol::ChatMessage> &messages, bool more,
                   const QString &source);
    int pendingForRoom() const;
    int unfinishedTransfers() const;
    void onTransferEvent(const TransferInfo &info);
    void checkTransferStall();

    CliOptions m_options;
    QStringList m_typists; // who the last `typing` events said is typing (TypingTracker bounds it)
    QString m_shownRoom;   // the room of the messages printed; /older goes back from the oldest
    qint64 m_oldestShown = 0;
    ChatClient *m_client = nullptr;
    FileTransfers *m_transfers = nullptr;
    JsonLineWriter *m_out = nullptr; // stdout
    QSocketNotifier *m_stdin = nullptr;
    TokenStore *m_tokens = nullptr;  // the session token between runs (Policy::File)
    MessageCache *m_cache = nullptr; // what this client received (--cache); nullptr with --no-cache
    QString m_tokenKey;              // the account on the server, as TokenStore names it
    QString m_storedToken;           // what the token file holds, as far as this run knows
    int m_tokenWrites = 0;           // saves and removals not yet done: the exit waits for them
    bool m_tokenLoading = true;      // until the stored token is read, nothing connects or exits
    quint32 m_passwordTriedFor = 0;  // LoginProblem bits: the password is sent once per problem
    bool m_passwordSent = false;     // the login under way is by password (else by token)
    bool m_accountKnown = false;     // a login succeeded this run: --register is not needed again
    bool m_loginGivenUp = false;     // LoginRequired and natter-cli will not log in: time to exit
    enum class Logout {
        None,
        Waiting, // /logout while connecting: the session comes first, so that the server revokes
        Sent,    // ChatClient::logOut() called: exit once loggedOut says the token is gone
        Done,
    };
    Logout m_logout = Logout::None;
    int m_exitCode = CliExit::Ok;
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

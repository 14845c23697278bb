// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QUrl>
#include <QWidget>

class AppSettings;
class ChatClient;
class ChatSession;
class Composer;
class ConnectionPanel;
class ConnectionStatus;
class ConversationPresenter;
class DraftKeeper;
class FileTransfers;
class LatencyIndicator;
class LoginDialog;
class LoginFlow;
class LoginPresenter;
class MessageCache;
class MessageModel;
class MessageView;
class QSslCertificate;
class QToolButton;
class ReplyBar;
class RoomListModel;
class TransferPresenter;
class TypingIndicator;
class UserListModel;

//! One server's conversation in the main window: its models and session, the message view with
//! the composer under it, and the connection's panel and status bar widgets (which the window
//! places, showing the selected server's). Each server the app talks to has one, wired to its own
//! ChatClient for good, so switching servers rewires nothing.
class ServerPane : public QWidget
{
    Q_OBJECT
public:
    // `window` parents the dialogs and the connection panel. Without `transfers` the pane offers
    // no files; without `login` it never asks for a password.
    ServerPane(ChatClient *client, AppSettings *settings, FileTransfers *transfers, LoginFlow *login,
               QWidget *window);
    ~ServerPane() override;

    ChatClient *client() const { return m_client; }
    LoginFlow *login() const { return m_login; }
    ChatSession *session() const { return m_session; }
    MessageModel *messageModel() const { return m_messages; }
    UserListModel *userModel() const { return m_users; }
    RoomListModel *roomModel() const { return m_rooms; }
    MessageView *messageView() const { return m_messageView; }
    Composer *composer() const { return m_composer; }
    ReplyBar *replyBar() const { return m_replyBar; }
    TypingIndicator *typingIndicator() const { return m_typing; }
    ConversationPresenter *conversation() const { return m_conversation; }
    DraftKeeper *drafts() const { return m_drafts; }
    TransferPresenter *transferPresenter() const { return m_transfers; } // null without files
    QToolButton *attachButton() const { return m_attach; }
    LoginPresenter *loginPresenter() const { return m_loginPresenter; } // null without login
    LoginDialog *loginDialog() const;
    ConnectionPanel *connectionPanel() const;
    ConnectionStatus *connectionStatus() const;
    LatencyIndicator *latencyIndicator() const;

    // The in-process server's address when this pane's server is the one the app hosts.
    void setHostedUrl(const QUrl &url, const QUrl &lanUrl = {});
    QUrl hostedUrl() const { return m_hostedUrl; }
    QUrl hostedLanUrl() const { return m_hostedLanUrl; } // where others on the network join
    bool isHosted() const;
    // What the user calls this server: "This computer" for the hosted one, else its address.
    QString displayName() const;
    // The connection's state in a word or two, for the rooms list's server row.
    QString stateText() const;
    // The key per-server settings are kept under (read positions, drafts, notification levels).
    QString settingsKey() const;
    void setCache(MessageCache *cache);

public slots:
    void joinRoom(const QString &room);
    void markRoomRead();
    // Before the app quits: the draft is kept and the shown room counts as read.
    void saveState();

signals:
    // Something for the status bar: `timeoutMs` 0 stays until replaced.
    void statusMessageReady(const QString &message, int timeoutMs);

private:
    void setUpFiles(FileTransfers *transfers);
    void askToTrustCertificate(const QSslCertificate &certificate, const QStringList &errors);

    ChatClient *m_client;
    AppSettings *m_settings;
    LoginFlow *m_login;
    QUrl m_hostedUrl;
    QUrl m_hostedLanUrl;
    MessageModel *m_messages;
    UserListModel *m_users;
    RoomListModel *m_rooms;
    ChatSession *m_session;
    MessageView *m_messageView;
    TypingIndicator *m_typing;
    Composer *m_composer;
    ReplyBar *m_replyBar;
    ConversationPresenter *m_conversation;
    DraftKeeper *m_drafts;
    QToolButton *m_attach = nullptr;
    TransferPresenter *m_transfers = nullptr;
    LoginPresenter *m_loginPresenter = nullptr;
    // Placed by the window (a dock, the status bar), so they may go before the pane does.
    QPointer<ConnectionPanel> m_panel;
    QPointer<ConnectionStatus> m_status;
    QPointer<LatencyIndicator> m_latency;
};

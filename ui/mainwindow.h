// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class AboutDialog;
class AppSettings;
class ChatClient;
class ChatSession;
class Composer;
class ConnectionPanel;
class ConnectionStatus;
class ConversationPresenter;
class DraftKeeper;
class FileTransfers;
class QSslCertificate;
class LatencyIndicator;
class LoginDialog;
class LoginFlow;
class LoginPresenter;
class MessageCache;
class MessageModel;
class MessageView;
class PreferencesDialog;
class QLabel;
class Theme;
class TrayIcon;
class QToolButton;
class ReplyBar;
class RoomListDock;
class RoomListModel;
class SearchBar;
class SearchResultsModel;
class TransferPresenter;
class TypingIndicator;
class UserListDock;
class UserListModel;

//! Natter's main window. It only assembles the parts (message view, composer, docks, status bar)
//! and wires the models to the views; each part is its own small class. With FileTransfers, files
//! dropped anywhere on it are sent.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Without `transfers` (owned by the caller, beside the client) the window offers no files;
    // without `login` it never asks for a password (accounts servers stay "Not logged in").
    MainWindow(ChatClient *client, AppSettings *settings, FileTransfers *transfers = nullptr,
               LoginFlow *login = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows where others can join when this app hosts the server.
    void setHostedUrl(const QUrl &url, const QUrl &lanUrl = {});
    // The cache the window reads (offline, scroll-back, search) and Preferences → Storage manages;
    // not owned. Without one, the window shows only what the server sends.
    void setCache(MessageCache *cache);

    ChatSession *session() const { return m_session; }
    TransferPresenter *transferPresenter() const { return m_transfers; } // null without files
    QToolButton *attachButton() const { return m_attach; }
    MessageModel *messageModel() const { return m_messages; }
    UserListModel *userModel() const { return m_users; }
    RoomListModel *roomModel() const { return m_rooms; }
    MessageView *messageView() const { return m_messageView; }
    Composer *composer() const { return m_composer; }
    ReplyBar *replyBar() const { return m_replyBar; }
    ConversationPresenter *conversation() const { return m_conversation; }
    DraftKeeper *drafts() const { return m_drafts; }
    QAction *doNotDisturbAction() const { return m_doNotDisturb; }
    Theme *theme() const { return m_theme; }
    TypingIndicator *typingIndicator() const { return m_typing; }
    RoomListDock *roomDock() const { return m_roomDock; }
    UserListDock *userDock() const { return m_userDock; }
    ConnectionStatus *connectionStatus() const { return m_status; }
    LatencyIndicator *latencyIndicator() const { return m_latency; }
    ConnectionPanel *connectionPanel() const { return m_panel; }
    QLabel *hostedLabel() const { return m_hosted; }
    AboutDialog *aboutDialog() const;
    SearchBar *searchBar() const { return m_searchBar; }
    SearchResultsModel *searchResults() const { return m_searchResults; }
    PreferencesDialog *preferencesDialog() const; // while one is open
    LoginDialog *loginDialog() const;             // while one is open

public slots:
    void joinRoom(const QString &room);
    void focusComposer();
    // Escape: the "New messages" line goes, and the room counts as read up to its newest message.
    void markRoomRead();
    void showAbout();
    void showPreferences();
    void openSearch();
    void changeConnection(); // asks with ConnectDialog, then reconnects
    // What clicking the latest notification does: the window comes up at that room and message.
    void openNotifiedMessage();

signals:
    void notified(const QString &title, const QString &body);
    // The user picked "host on this computer" in the connect dialog; main hosts and reconnects.
    void hostLocallyRequested(const QString &username, const QString &room);

protected:
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void setUpFiles(FileTransfers *transfers);
    void setUpLogin();
    void notify(const QString &title, const QString &body, const QString &room, qint64 seq);
    void setUpTray();
    void updateTitle();
    QString readPositionsKey() const;
    void askToTrustCertificate(const QSslCertificate &certificate, const QStringList &errors);
    void showSearchResult(const QString &room, qint64 seq);

    ChatClient *m_client;
    AppSettings *m_settings;
    MessageModel *m_messages;
    UserListModel *m_users;
    RoomListModel *m_rooms;
    ChatSession *m_session;
    QTimer m_titleUpdate;
    TransferPresenter *m_transfers = nullptr;
    MessageView *m_messageView;
    TypingIndicator *m_typing;
    Composer *m_composer;
    ReplyBar *m_replyBar;
    ConversationPresenter *m_conversation;
    DraftKeeper *m_drafts;
    QToolButton *m_attach = nullptr;
    RoomListDock *m_roomDock;
    UserListDock *m_userDock;
    ConnectionPanel *m_panel;
    ConnectionStatus *m_status;
    LatencyIndicator *m_latency;
    QLabel *m_hosted;
    QUrl m_hostedUrl;
    TrayIcon *m_tray = nullptr; // null where the desktop has no tray
    Theme *m_theme = nullptr;
    QAction *m_doNotDisturb = nullptr;
    QString m_notifiedRoom; // where the latest notification leads
    qint64 m_notifiedSeq = 0;
    QPointer<AboutDialog> m_about;
    QPointer<PreferencesDialog> m_preferences;
    MessageCache *m_cache = nullptr;
    LoginFlow *m_login;
    LoginPresenter *m_loginPresenter = nullptr;
    SearchResultsModel *m_searchResults;
    SearchBar *m_searchBar;
};

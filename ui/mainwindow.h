// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionchoice.h"

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
class LatencyIndicator;
class LoginDialog;
class LoginFlow;
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
class ServerPane;
class ServerRoomsModel;
class QStackedWidget;
class TransferPresenter;
class TypingIndicator;
class UserListDock;
class UserListModel;

//! Natter's main window. It only assembles the parts and wires the models to the views: one
//! ServerPane per server (its conversation, models and connection widgets) in a stack, the rooms
//! of every server in one list, and the selected server's users, connection panel and status. With
//! FileTransfers, files dropped anywhere on it are sent to the selected server's room.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // The first server. Without `transfers` (owned by the caller, beside the client) the window
    // offers no files; without `login` it never asks for a password (accounts servers stay
    // "Not logged in").
    MainWindow(ChatClient *client, AppSettings *settings, FileTransfers *transfers = nullptr,
               LoginFlow *login = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Another server side by side (the parts are the caller's, as for the first); its index.
    int addServer(ChatClient *client, FileTransfers *transfers = nullptr, LoginFlow *login = nullptr);
    // Closes the server's pane (the caller then disconnects and deletes its parts). The last
    // server stays.
    void removeServer(int server);
    int serverCount() const { return int(m_panes.size()); }
    ServerPane *server(int server) const { return m_panes.value(server); }
    int indexOf(const ChatClient *client) const; // -1 when not shown
    int currentServerIndex() const;
    ServerPane *currentServer() const { return m_current; }

    // Shows where others can join when this app hosts `server`'s server (an empty url: no longer).
    void setHostedUrl(const QUrl &url, const QUrl &lanUrl = {}, int server = 0);
    // The cache the window reads (offline, scroll-back, search) and Preferences → Storage manages;
    // not owned. Without one, the window shows only what the server sends.
    void setCache(MessageCache *cache);

    // The selected server's parts.
    ChatSession *session() const;
    TransferPresenter *transferPresenter() const; // null without files
    QToolButton *attachButton() const;
    MessageModel *messageModel() const;
    UserListModel *userModel() const;
    RoomListModel *roomModel() const;
    MessageView *messageView() const;
    Composer *composer() const;
    ReplyBar *replyBar() const;
    ConversationPresenter *conversation() const;
    DraftKeeper *drafts() const;
    TypingIndicator *typingIndicator() const;
    ConnectionStatus *connectionStatus() const;
    LatencyIndicator *latencyIndicator() const;
    ConnectionPanel *connectionPanel() const;
    LoginDialog *loginDialog() const; // while one is open

    QAction *doNotDisturbAction() const { return m_doNotDisturb; }
    Theme *theme() const { return m_theme; }
    RoomListDock *roomDock() const { return m_roomDock; }
    UserListDock *userDock() const { return m_userDock; }
    QLabel *hostedLabel() const { return m_hosted; }
    AboutDialog *aboutDialog() const;
    SearchBar *searchBar() const { return m_searchBar; }
    SearchResultsModel *searchResults() const { return m_searchResults; }
    PreferencesDialog *preferencesDialog() const; // while one is open

public slots:
    void setCurrentServer(int server);
    // Opens `room` on the selected server.
    void joinRoom(const QString &room);
    void focusComposer();
    // Escape: the "New messages" line goes, and the room counts as read up to its newest message.
    void markRoomRead();
    void showAbout();
    void showPreferences();
    void openSearch();
    void changeConnection(); // asks with ConnectDialog for the selected server
    // What clicking the latest notification does: the window comes up at that room and message.
    void openNotifiedMessage();

signals:
    void notified(const QString &title, const QString &body);
    // The user chose where the selected server's connection goes (Chat → Connect To…); the
    // launcher connects it (hosting first for "This computer") and saves the choice.
    void connectionChangeRequested(int server, const ConnectionChoice &choice);
    void currentServerChanged(int server);
    // The Preferences dialog was made, with the window's pages; others may add theirs.
    void preferencesCreated(PreferencesDialog *dialog);

protected:
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void updateServerActions(); // the selected server's: log out, files
    void updateActiveSessions();
    void notify(ServerPane *pane, const QString &title, const QString &body, const QString &room, qint64 seq);
    void setUpTray();
    void updateTitle();
    void updateHostedLabel();
    void showSearchResult(const QString &room, qint64 seq);

    AppSettings *m_settings;
    QList<ServerPane *> m_panes;
    int m_panelsMade = 1; // names the connection panels of later servers, never twice
    ServerPane *m_current = nullptr;
    QStackedWidget *m_stack;
    QTimer m_titleUpdate;
    ServerRoomsModel *m_serverRooms; // every server's rooms, under the server
    RoomListDock *m_roomDock = nullptr;
    UserListDock *m_userDock = nullptr;
    QLabel *m_hosted;
    TrayIcon *m_tray = nullptr; // null where the desktop has no tray
    Theme *m_theme = nullptr;
    QAction *m_doNotDisturb = nullptr;
    QAction *m_details = nullptr; // shows the selected server's connection panel
    QAction *m_logOut = nullptr;
    QAction *m_sendFiles = nullptr;
    QAction *m_clearTransfers = nullptr;
    QPointer<ServerPane> m_notifiedPane; // where the latest notification leads
    QString m_notifiedRoom;
    qint64 m_notifiedSeq = 0;
    QPointer<AboutDialog> m_about;
    QPointer<PreferencesDialog> m_preferences;
    MessageCache *m_cache = nullptr;
    SearchResultsModel *m_searchResults;
    SearchBar *m_searchBar;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "aboutdialog.h"
#include "appearancepage.h"
#include "appsettings.h"
#include "chatclient.h"
#include "chatsession.h"
#include "composer.h"
#include "confirmation.h"
#include "connectdialog.h"
#include "connectionpage.h"
#include "connectionpanel.h"
#include "connectionstatus.h"
#include "conversationpresenter.h"
#include "draftkeeper.h"
#include "filespage.h"
#include "filetransfers.h"
#include "identitypage.h"
#include "latencyindicator.h"
#include "loginflow.h"
#include "loginpresenter.h"
#include "mentioncompleter.h"
#include "messagecache.h"
#include "messagemodel.h"
#include "messageview.h"
#include "mimefiles.h"
#include "notificationspage.h"
#include "preferencesdialog.h"
#include "replybar.h"
#include "roomlistdock.h"
#include "roomlistmodel.h"
#include "searchbar.h"
#include "searchresultsmodel.h"
#include "serverpane.h"
#include "serverroomsmodel.h"
#include "shortcutsdialog.h"
#include "storagepage.h"
#include "theme.h"
#include "transferpresenter.h"
#include "trayicon.h"
#include "typingindicator.h"
#include "userlistdock.h"
#include "userlistmodel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QToolButton>
#include <QVBoxLayout>

MainWindow::MainWindow(ChatClient *client, AppSettings *settings, FileTransfers *transfers, LoginFlow *login,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_stack(new QStackedWidget)
    , m_serverRooms(new ServerRoomsModel(this))
    , m_hosted(new QLabel)
    , m_searchResults(new SearchResultsModel(this))
    , m_searchBar(new SearchBar(m_searchResults))
{
    setAccessibleName(tr("Natter"));
    auto *central = new QWidget;
    central->setAccessibleName(tr("Chat"));
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 6);
    layout->setSpacing(2);
    layout->addWidget(m_searchBar);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    m_hosted->setAccessibleName(tr("Hosted server address"));
    m_hosted->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hosted->hide();
    statusBar()->setAccessibleName(tr("Status bar"));
    statusBar()->addPermanentWidget(m_hosted);

    m_roomDock = new RoomListDock(m_serverRooms, this);
    addServer(client, transfers, login);
    for (const QString &room : settings->knownRooms())
        m_current->roomModel()->addRoom(room);
    m_userDock = new UserListDock(m_current->userModel(), this);
    addDockWidget(Qt::LeftDockWidgetArea, m_roomDock);
    addDockWidget(Qt::RightDockWidgetArea, m_userDock);
    // A room of another server selects that server first.
    connect(m_roomDock, &RoomListDock::joinRequested, this, [this](int server, const QString &room) {
        setCurrentServer(server);
        joinRoom(room);
    });
    connect(m_searchBar, &SearchBar::resultChosen, this, &MainWindow::showSearchResult);
    connect(m_searchBar, &SearchBar::closed, this, &MainWindow::focusComposer);
    // Unread counts change with every message of a burst: the title follows once per pass.
    m_titleUpdate.setSingleShot(true);
    m_titleUpdate.setInterval(0);
    connect(&m_titleUpdate, &QTimer::timeout, this, &MainWindow::updateTitle);

    m_theme = new Theme(this);
    const int theme = settings->theme();
    m_theme->setChoice(theme >= 0 && theme <= int(Theme::Choice::Dark) ? Theme::Choice(theme)
                                                                       : Theme::Choice::System);
    createActions();
    updateServerActions();
    setUpTray();
    resize(1100, 680);
    resizeDocks({m_roomDock, m_userDock}, {190, 170}, Qt::Horizontal);
    restoreGeometry(settings->windowGeometry());
    restoreState(settings->windowState());
    m_details->setChecked(m_current->connectionPanel()->isVisible());
    updateTitle();
    focusComposer();
}

MainWindow::~MainWindow() = default;

AboutDialog *MainWindow::aboutDialog() const
{
    return m_about;
}

int MainWindow::addServer(ChatClient *client, FileTransfers *transfers, LoginFlow *login)
{
    auto *pane = new ServerPane(client, m_settings, transfers, login, this);
    if (m_cache)
        pane->setCache(m_cache);
    m_panes.append(pane);
    m_stack->addWidget(pane);
    ConnectionPanel *panel = pane->connectionPanel();
    // restoreState() knows the first server's panel by its name; the others start hidden.
    if (m_panes.size() > 1)
        panel->setObjectName(QStringLiteral("connectionDock%1").arg(++m_panelsMade));
    addDockWidget(Qt::RightDockWidgetArea, panel);
    panel->hide();
    statusBar()->insertWidget(int(m_panes.size()) - 1, pane->connectionStatus(), 1);
    statusBar()->addPermanentWidget(pane->latencyIndicator());
    pane->connectionStatus()->hide();
    pane->latencyIndicator()->hide();

    connect(pane, &ServerPane::statusMessageReady, this, [this, pane](const QString &message, int timeoutMs) {
        // Another server's news names it: the status bar shows the selected one's.
        statusBar()->showMessage(pane == m_current ? message : tr("%1: %2").arg(pane->displayName(), message),
                                 timeoutMs);
    });
    pane->messageView()->setTextScale(m_settings->textScale());
    connect(pane->messageView(), &MessageView::textScaleChanged, this, [this](qreal scale) {
        m_settings->setTextScale(scale);
        for (ServerPane *other : std::as_const(m_panes))
            other->messageView()->setTextScale(scale);
    });
    connect(pane->latencyIndicator(), &LatencyIndicator::clicked, this, [this] { m_details->toggle(); });
    connect(panel, &QDockWidget::visibilityChanged, this, [this, pane](bool) {
        if (pane == m_current && m_details && !pane->connectionPanel()->isHidden() != m_details->isChecked())
            m_details->setChecked(!pane->connectionPanel()->isHidden());
    });
    ChatSession *session = pane->session();
    connect(session, &ChatSession::notificationRequested, this,
            [this, pane](const QString &title, const QString &body, const QString &room, qint64 seq) {
                notify(pane, title, body, room, seq);
            });
    connect(session, &ChatSession::shownRoomChanged, this, [this, pane](const QString &room) {
        if (pane == m_panes.constFirst())
            m_settings->setLastRoom(room);
        updateTitle();
    });
    // The pane is the context of whatever names it: a removed server's client may still say
    // something on its way out.
    connect(client, &ChatClient::connectedToServer, pane, [this, pane] {
        // An older notification names a room and seq of the server this may have replaced.
        if (m_notifiedPane == pane) {
            m_notifiedRoom.clear();
            m_notifiedSeq = 0;
        }
    });
    RoomListModel *rooms = pane->roomModel();
    m_serverRooms->addServer(pane->displayName(), rooms);
    m_serverRooms->setServerState(int(m_panes.size()) - 1, pane->stateText());
    const auto showState = [this, pane] {
        const int index = int(m_panes.indexOf(pane));
        m_serverRooms->setServerName(index, pane->displayName());
        m_serverRooms->setServerState(index, pane->stateText());
    };
    connect(client, &ChatClient::stateChanged, pane, showState);
    connect(client, &ChatClient::sessionRestored, pane, showState);
    if (LoginFlow *flow = pane->login()) {
        connect(flow, &LoginFlow::canLogOutChanged, pane, [this, pane](bool can) {
            if (pane == m_current && m_logOut)
                m_logOut->setEnabled(can);
        });
    }
    connect(rooms, &QAbstractItemModel::dataChanged, &m_titleUpdate, qOverload<>(&QTimer::start));
    connect(rooms, &QAbstractItemModel::rowsInserted, &m_titleUpdate, qOverload<>(&QTimer::start));
    connect(rooms, &QAbstractItemModel::rowsRemoved, &m_titleUpdate, qOverload<>(&QTimer::start));
    if (transfers)
        setAcceptDrops(true);
    if (m_doNotDisturb)
        session->setDoNotDisturb(m_doNotDisturb->isChecked());
    if (!m_current)
        setCurrentServer(0);
    updateActiveSessions();
    return int(m_panes.size()) - 1;
}

void MainWindow::updateActiveSessions()
{
    // Only the selected server's room is in view: the others count what comes as unread and notify.
    for (ServerPane *pane : std::as_const(m_panes))
        pane->session()->setWindowActive(isActiveWindow() && pane == m_current);
}

void MainWindow::updateServerActions()
{
    if (!m_logOut || !m_current)
        return;
    LoginFlow *login = m_current->login();
    m_logOut->setEnabled(login && login->canLogOut());
    m_logOut->setVisible(login != nullptr);
    const bool files = m_current->transferPresenter() != nullptr;
    m_sendFiles->setEnabled(files);
    m_clearTransfers->setEnabled(files);
}

void MainWindow::removeServer(int server)
{
    if (server < 0 || server >= m_panes.size() || m_panes.size() == 1)
        return;
    m_serverRooms->removeServer(server);
    ServerPane *pane = m_panes.takeAt(server);
    pane->saveState(); // its draft and read position, as on quitting
    if (pane == m_current) {
        const bool detailsShown = !pane->connectionPanel()->isHidden();
        m_current = nullptr;
        setCurrentServer(qMin(server, int(m_panes.size()) - 1));
        m_current->connectionPanel()->setVisible(detailsShown);
    }
    m_stack->removeWidget(pane);
    delete pane;
    m_roomDock->setCurrentServer(currentServerIndex());
    updateHostedLabel();
    updateTitle();
}

int MainWindow::indexOf(const ChatClient *client) const
{
    for (int i = 0; i < m_panes.size(); ++i) {
        if (m_panes.at(i)->client() == client)
            return i;
    }
    return -1;
}

int MainWindow::currentServerIndex() const
{
    return int(m_panes.indexOf(m_current));
}

void MainWindow::setCurrentServer(int server)
{
    ServerPane *pane = m_panes.value(server);
    if (!pane || pane == m_current)
        return;
    ServerPane *old = m_current;
    const bool detailsShown = old ? !old->connectionPanel()->isHidden() : false;
    if (old) {
        old->connectionStatus()->hide();
        old->latencyIndicator()->hide();
        old->connectionPanel()->hide();
        old->drafts()->save();
    }
    m_current = pane;
    m_stack->setCurrentWidget(pane);
    pane->connectionStatus()->show();
    pane->latencyIndicator()->show();
    if (detailsShown)
        pane->connectionPanel()->show();
    if (m_userDock)
        m_userDock->setModel(pane->userModel());
    m_roomDock->setCurrentServer(server);
    // Search looks through one server's messages: the bar closes, and opens on the new one.
    m_searchBar->close();
    m_searchResults->setServer(pane->session()->serverKey());
    updateServerActions();
    updateActiveSessions();
    updateHostedLabel();
    updateTitle();
    emit currentServerChanged(server);
}

void MainWindow::createActions()
{
    QMenu *chat = menuBar()->addMenu(tr("&Chat"));
    QAction *connectAction = chat->addAction(tr("&Connect To…"), this, &MainWindow::changeConnection);
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    // Each acts on the selected server.
    QAction *reconnect =
        chat->addAction(tr("&Reconnect Now"), this, [this] { m_current->client()->reconnectNow(); });
    reconnect->setObjectName(QStringLiteral("reconnectAction"));
    reconnect->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_sendFiles = chat->addAction(tr("&Send Files…"), this, [this] {
        if (m_current->transferPresenter())
            m_current->transferPresenter()->attachFiles();
    });
    m_sendFiles->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_clearTransfers = chat->addAction(tr("C&lear Finished Transfers"), this, [this] {
        if (m_current->transferPresenter())
            m_current->transferPresenter()->clearFinished();
    });
    m_clearTransfers->setObjectName(QStringLiteral("clearTransfersAction"));
    m_logOut = chat->addAction(tr("Log &Out"), this, [this] {
        if (m_current->login())
            m_current->login()->logOut();
    });
    m_logOut->setObjectName(QStringLiteral("logOutAction"));
    QAction *disconnectAction =
        chat->addAction(tr("&Disconnect"), this, [this] { m_current->client()->disconnectFromServer(); });
    disconnectAction->setObjectName(QStringLiteral("disconnectAction"));
    chat->addSeparator();
    QAction *quit = chat->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *previous = view->addAction(tr("&Previous Room"), this, [this] { m_roomDock->selectNext(-1); });
    previous->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_PageUp), QKeySequence(Qt::ALT | Qt::Key_Up)});
    QAction *next = view->addAction(tr("&Next Room"), this, [this] { m_roomDock->selectNext(+1); });
    next->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_PageDown), QKeySequence(Qt::ALT | Qt::Key_Down)});
    QAction *focus = view->addAction(tr("&Write a Message"), this, &MainWindow::focusComposer);
    focus->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction *read = view->addAction(tr("&Mark Room as Read"), this, &MainWindow::markRoomRead);
    read->setObjectName(QStringLiteral("markReadAction"));
    read->setShortcut(QKeySequence(Qt::Key_Escape));
    QAction *unread =
        view->addAction(tr("Jump to First &Unread"), this, [this] { messageView()->jumpToFirstUnread(); });
    unread->setObjectName(QStringLiteral("jumpToFirstUnreadAction"));
    unread->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_PageUp));
    QAction *jump = view->addAction(tr("&Jump to Newest"), this, [this] { messageView()->jumpToBottom(); });
    jump->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_End));
    QMenu *themes = view->addMenu(tr("&Theme"));
    auto *themeGroup = new QActionGroup(themes);
    const int chosen = m_settings->theme();
    const auto addTheme = [&](Theme::Choice choice, const QString &text, const QString &name) {
        QAction *action = themes->addAction(text);
        action->setObjectName(name);
        action->setCheckable(true);
        action->setChecked(int(choice) == chosen);
        themeGroup->addAction(action);
        connect(action, &QAction::triggered, m_theme, [this, choice] { m_theme->setChoice(choice); });
        connect(m_theme, &Theme::choiceChanged, action, [action, choice](Theme::Choice now) {
            if (now == choice)
                action->setChecked(true);
        });
    };
    connect(m_theme, &Theme::choiceChanged, this,
            [this](Theme::Choice choice) { m_settings->setTheme(int(choice)); });
    addTheme(Theme::Choice::System, tr("Follow the &System"), QStringLiteral("themeSystemAction"));
    addTheme(Theme::Choice::Light, tr("&Light"), QStringLiteral("themeLightAction"));
    addTheme(Theme::Choice::Dark, tr("&Dark"), QStringLiteral("themeDarkAction"));
    // Text size: a step is a tenth of the default, remembered, the same for every server.
    QAction *larger = view->addAction(
        tr("&Larger Text"), this, [this] { messageView()->setTextScale(messageView()->textScale() + 0.1); });
    larger->setObjectName(QStringLiteral("largerTextAction"));
    larger->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    QAction *smaller = view->addAction(
        tr("S&maller Text"), this, [this] { messageView()->setTextScale(messageView()->textScale() - 0.1); });
    smaller->setObjectName(QStringLiteral("smallerTextAction"));
    smaller->setShortcut(QKeySequence::ZoomOut);
    QAction *actual = view->addAction(tr("&Actual Size"), this, [this] { messageView()->setTextScale(1.0); });
    actual->setObjectName(QStringLiteral("actualSizeAction"));
    actual->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    view->addSeparator();
    view->addAction(m_roomDock->toggleViewAction());
    view->addAction(m_userDock->toggleViewAction());
    // The selected server's connection panel (each server has its own).
    m_details = view->addAction(tr("Connection &Details"));
    m_details->setObjectName(QStringLiteral("connectionDetailsAction"));
    m_details->setCheckable(true);
    m_details->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    connect(m_details, &QAction::toggled, this,
            [this](bool on) { m_current->connectionPanel()->setVisible(on); });

    view->addSeparator();
    m_doNotDisturb = view->addAction(tr("&Do Not Disturb"));
    m_doNotDisturb->setObjectName(QStringLiteral("doNotDisturbAction"));
    m_doNotDisturb->setToolTip(tr("No desktop notifications from any room; unread counts are kept"));
    m_doNotDisturb->setCheckable(true);
    m_doNotDisturb->setChecked(m_settings->doNotDisturb());
    for (ServerPane *pane : std::as_const(m_panes))
        pane->session()->setDoNotDisturb(m_doNotDisturb->isChecked());
    connect(m_doNotDisturb, &QAction::toggled, this, [this](bool on) {
        m_settings->setDoNotDisturb(on);
        for (ServerPane *pane : std::as_const(m_panes))
            pane->session()->setDoNotDisturb(on);
    });
    QAction *find = view->addAction(tr("&Find Messages…"), this, &MainWindow::openSearch);
    find->setObjectName(QStringLiteral("findAction"));
    find->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    QAction *preferences = view->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    preferences->setObjectName(QStringLiteral("preferencesAction"));
    preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts = help->addAction(tr("&Keyboard Shortcuts"), this, [this] {
        auto *dialog = new ShortcutsDialog(this, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    shortcuts->setObjectName(QStringLiteral("shortcutsAction"));
    shortcuts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    help->addAction(tr("&About Natter"), this, &MainWindow::showAbout);
}

LoginDialog *MainWindow::loginDialog() const
{
    return m_current->loginDialog();
}

void MainWindow::setHostedUrl(const QUrl &url, const QUrl &lanUrl, int server)
{
    if (ServerPane *pane = m_panes.value(server)) {
        pane->setHostedUrl(url, lanUrl);
        m_serverRooms->setServerName(server, pane->displayName());
        updateHostedLabel();
    }
}

void MainWindow::updateHostedLabel()
{
    // The app hosts at most one server; the label says where others join it, whichever is shown.
    for (ServerPane *pane : std::as_const(m_panes)) {
        const QUrl url = pane->hostedUrl();
        if (url.isEmpty())
            continue;
        const QUrl shown = pane->hostedLanUrl().isEmpty() ? url : pane->hostedLanUrl();
        m_hosted->setText(tr("Hosting at %1").arg(shown.toString()));
        m_hosted->setToolTip(tr("This computer runs the chat server. Others join with: natter --url %1")
                                 .arg(shown.toString()));
        m_hosted->show();
        return;
    }
    m_hosted->hide();
}

ChatSession *MainWindow::session() const
{
    return m_current->session();
}

TransferPresenter *MainWindow::transferPresenter() const
{
    return m_current->transferPresenter();
}

QToolButton *MainWindow::attachButton() const
{
    return m_current->attachButton();
}

MessageModel *MainWindow::messageModel() const
{
    return m_current->messageModel();
}

UserListModel *MainWindow::userModel() const
{
    return m_current->userModel();
}

RoomListModel *MainWindow::roomModel() const
{
    return m_current->roomModel();
}

MessageView *MainWindow::messageView() const
{
    return m_current->messageView();
}

Composer *MainWindow::composer() const
{
    return m_current->composer();
}

ReplyBar *MainWindow::replyBar() const
{
    return m_current->replyBar();
}

ConversationPresenter *MainWindow::conversation() const
{
    return m_current->conversation();
}

DraftKeeper *MainWindow::drafts() const
{
    return m_current->drafts();
}

TypingIndicator *MainWindow::typingIndicator() const
{
    return m_current->typingIndicator();
}

ConnectionStatus *MainWindow::connectionStatus() const
{
    return m_current->connectionStatus();
}

LatencyIndicator *MainWindow::latencyIndicator() const
{
    return m_current->latencyIndicator();
}

ConnectionPanel *MainWindow::connectionPanel() const
{
    return m_current->connectionPanel();
}

void MainWindow::joinRoom(const QString &room)
{
    m_current->joinRoom(room);
}

void MainWindow::focusComposer()
{
    m_current->composer()->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::markRoomRead()
{
    m_current->markRoomRead();
}

void MainWindow::showAbout()
{
    if (!m_about) {
        m_about = new AboutDialog(this);
        m_about->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_about->show();
    m_about->raise();
}

void MainWindow::setCache(MessageCache *cache)
{
    m_cache = cache;
    for (ServerPane *pane : std::as_const(m_panes))
        pane->setCache(cache);
    m_searchResults->setCache(cache);
}

PreferencesDialog *MainWindow::preferencesDialog() const
{
    return m_preferences;
}

void MainWindow::showPreferences()
{
    if (!m_preferences) {
        m_preferences = new PreferencesDialog(this);
        m_preferences->setAttribute(Qt::WA_DeleteOnClose);
        m_preferences->addPage(new AppearancePage(m_theme, messageView()), tr("Appearance"));
        m_preferences->addPage(new NotificationsPage(m_doNotDisturb), tr("Notifications"));
        // The name is the selected server's; files and connection settings apply to every server.
        m_preferences->addPage(new IdentityPage(m_settings, m_current->client()), tr("Name"));
        QList<FileTransfers *> transfers;
        QList<ChatClient *> clients;
        for (ServerPane *pane : std::as_const(m_panes)) {
            clients.append(pane->client());
            if (pane->transferPresenter())
                transfers.append(pane->transferPresenter()->transfers());
        }
        if (!transfers.isEmpty())
            m_preferences->addPage(new FilesPage(m_settings, transfers), tr("Files"));
        m_preferences->addPage(new StoragePage(m_settings, m_cache), tr("Storage"));
        m_preferences->addPage(new ConnectionPage(m_settings, clients), tr("Connection"));
        emit preferencesCreated(m_preferences);
    }
    m_preferences->show();
    m_preferences->raise();
    m_preferences->activateWindow();
}

void MainWindow::openSearch()
{
    m_searchResults->setServer(session()->serverKey());
    m_searchBar->open();
}

void MainWindow::showSearchResult(const QString &room, qint64 seq)
{
    const int row = session()->showMessage(room, seq);
    if (row >= 0)
        messageView()->showFound(row);
    else
        statusBar()->showMessage(tr("That message is no longer in the cache"), 8000);
}

void MainWindow::changeConnection()
{
    ChatClient *client = m_current->client();
    ConnectionChoice initial = m_settings->connection();
    initial.hostLocally = m_current->isHosted();
    if (!initial.hostLocally && !client->url().isEmpty()) {
        initial.url = client->url();
        initial.otherUrls = client->urls().mid(1);
    }
    initial.username = client->username().isEmpty() ? initial.username : client->username();
    initial.room = session()->shownRoom().isEmpty() ? initial.room : session()->shownRoom();
    const std::optional<ConnectionChoice> choice = ConnectDialog::ask(initial, this);
    if (!choice)
        return;
    if (LoginPresenter *login = m_current->loginPresenter())
        login->closeDialog(); // it names the server left behind
    emit connectionChangeRequested(currentServerIndex(), *choice);
}

void MainWindow::notify(ServerPane *pane, const QString &title, const QString &body, const QString &room,
                        qint64 seq)
{
    m_notifiedPane = pane;
    m_notifiedRoom = room;
    m_notifiedSeq = seq;
    // With several servers, the same room name may be on two of them: the title says which.
    const QString shown = m_panes.size() > 1 ? tr("%1 on %2").arg(title, pane->displayName()) : title;
    emit notified(shown, body);
    QApplication::alert(this);
    if (m_tray)
        m_tray->showMessage(shown, body.left(200), QSystemTrayIcon::Information, 5000);
}

void MainWindow::openNotifiedMessage()
{
    showNormal();
    raise();
    activateWindow();
    const QString room = m_notifiedRoom;
    if (room.isEmpty() || !m_notifiedPane)
        return;
    setCurrentServer(int(m_panes.indexOf(m_notifiedPane)));
    if (room == session()->shownRoom()) {
        if (m_notifiedSeq > 0)
            session()->revealMessage(m_notifiedSeq);
        return;
    }
    // From the cache at once when it holds the message; otherwise the room, when its join answers.
    const int row = m_notifiedSeq > 0 ? session()->showMessage(room, m_notifiedSeq) : -1;
    if (row >= 0)
        messageView()->showFound(row);
    else
        joinRoom(room);
}

void MainWindow::setUpTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new TrayIcon(QApplication::windowIcon(), this);
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &MainWindow::openNotifiedMessage);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            showNormal();
            raise();
            activateWindow();
        }
    });
    auto *menu = new QMenu(this);
    menu->addAction(tr("&Show Natter"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addAction(m_doNotDisturb);
    menu->addSeparator();
    menu->addAction(tr("&Quit"), this, &QWidget::close);
    m_tray->setContextMenu(menu);
    m_tray->show();
}

void MainWindow::updateTitle()
{
    if (!m_current)
        return;
    const QString room = session()->shownRoom();
    int unread = 0;
    for (ServerPane *pane : std::as_const(m_panes))
        unread += pane->roomModel()->totalUnread();
    QString title = room.isEmpty() ? tr("Natter") : tr("#%1 — Natter").arg(room);
    if (unread > 0)
        title.prepend(QStringLiteral("(%1) ").arg(unread));
    setWindowTitle(title);
    if (m_tray)
        m_tray->setUnread(unread);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::ActivationChange)
        updateActiveSessions();
    QMainWindow::changeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (transferPresenter() && MimeFiles::canSend(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (transferPresenter() && MimeFiles::canSend(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (transferPresenter() && transferPresenter()->sendMimeData(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Quitting abandons uploads and downloads still moving, on any server: ask first.
    int running = 0;
    for (ServerPane *pane : std::as_const(m_panes)) {
        if (const TransferPresenter *presenter = pane->transferPresenter()) {
            const FileTransfers *files = presenter->transfers();
            running += files->unfinishedCount(TransferInfo::Direction::Upload) +
                       files->unfinishedCount(TransferInfo::Direction::Download);
        }
    }
    if (running > 0 &&
        !Confirmation::ask(this, tr("Quit Natter"),
                           tr("%n file transfer(s) still running will be stopped.", nullptr, running),
                           tr("Quit Anyway"))) {
        event->ignore();
        return;
    }
    for (ServerPane *pane : std::as_const(m_panes))
        pane->saveState();
    m_settings->setWindowLayout(saveGeometry(), saveState());
    m_settings->sync();
    QMainWindow::closeEvent(event);
}

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
#include <QCryptographicHash>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSslCertificate>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QToolButton>
#include <QVBoxLayout>

MainWindow::MainWindow(ChatClient *client, AppSettings *settings, FileTransfers *transfers, LoginFlow *login,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_settings(settings)
    , m_messages(new MessageModel(this))
    , m_users(new UserListModel(this))
    , m_rooms(new RoomListModel(this))
    , m_session(new ChatSession(client, m_messages, m_users, m_rooms, this))
    , m_messageView(new MessageView)
    , m_typing(new TypingIndicator)
    , m_composer(new Composer)
    , m_replyBar(new ReplyBar)
    , m_conversation(
          new ConversationPresenter(client, m_messages, m_messageView, m_composer, m_replyBar, this))
    , m_drafts(new DraftKeeper(
          m_composer, m_conversation, settings, [this] { return readPositionsKey(); }, this))
    , m_roomDock(new RoomListDock(new ServerRoomsModel(this), this))
    , m_userDock(new UserListDock(m_users, this))
    , m_panel(new ConnectionPanel(client, this))
    , m_status(new ConnectionStatus(client))
    , m_latency(new LatencyIndicator(client))
    , m_hosted(new QLabel)
    , m_login(login)
    , m_searchResults(new SearchResultsModel(this))
    , m_searchBar(new SearchBar(m_searchResults))
{
    setAccessibleName(tr("Natter"));
    for (const QString &room : settings->knownRooms())
        m_rooms->addRoom(room);
    m_roomDock->model()->addServer(tr("Server"), m_rooms); // one server for now

    m_messageView->setModel(m_messages);
    auto *central = new QWidget;
    central->setAccessibleName(tr("Chat"));
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 6);
    layout->setSpacing(2);
    layout->addWidget(m_searchBar);
    layout->addWidget(m_messageView, 1);
    layout->addWidget(m_typing);
    layout->addWidget(m_replyBar);
    auto *composerRow = new QHBoxLayout;
    composerRow->setContentsMargins(6, 0, 6, 0);
    composerRow->addWidget(m_composer);
    if (transfers) {
        m_attach = new QToolButton;
        composerRow->addWidget(m_attach, 0, Qt::AlignBottom);
    }
    layout->addLayout(composerRow);
    setCentralWidget(central);

    addDockWidget(Qt::LeftDockWidgetArea, m_roomDock);
    addDockWidget(Qt::RightDockWidgetArea, m_userDock);
    addDockWidget(Qt::RightDockWidgetArea, m_panel);
    m_panel->hide();

    m_hosted->setAccessibleName(tr("Hosted server address"));
    m_hosted->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hosted->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_hosted);
    statusBar()->addPermanentWidget(m_latency);
    statusBar()->setAccessibleName(tr("Status bar"));

    // The text stays in the composer until the client has taken it; a refusal says why (sendFailed).
    // A reply or an edit is the conversation's to send.
    connect(m_composer, &Composer::submitted, m_conversation, &ConversationPresenter::submit);
    // Escape in the composer cancels a reply or an edit (ConversationPresenter) and, as anywhere
    // in the window, marks the room read.
    connect(m_composer, &Composer::escapePressed, this, &MainWindow::markRoomRead);
    connect(m_composer, &Composer::typing, client, &ChatClient::notifyTyping);
    new MentionCompleter(m_composer, m_users, UserListModel::NameRole);
    connect(client, &ChatClient::typingChanged, m_typing, &TypingIndicator::setUsers);
    connect(m_messageView, &MessageView::retryRequested, client, &ChatClient::retryMessage);
    connect(m_messageView, &MessageView::discardRequested, client, &ChatClient::discardMessage);
    connect(m_roomDock, &RoomListDock::joinRequested, this,
            [this](int /*server*/, const QString &room) { joinRoom(room); });
    // Scroll-back: the view says when the top is reached, the session finds older messages.
    connect(m_messageView, &MessageView::olderMessagesWanted, m_session, &ChatSession::loadOlder);
    connect(m_messageView, &MessageView::messageWanted, m_session, &ChatSession::revealMessage);
    connect(m_session, &ChatSession::messageRevealed, m_messageView, &MessageView::showFound);
    connect(m_session, &ChatSession::messageUnavailable, this,
            [this] { statusBar()->showMessage(tr("The original message is no longer available"), 8000); });
    connect(m_session, &ChatSession::olderStateChanged, m_messageView, [this](ChatSession::Older state) {
        m_messageView->setLoadingOlder(state == ChatSession::Older::Loading);
        m_messageView->setMoreAbove(state != ChatSession::Older::AtStart);
    });
    connect(m_searchBar, &SearchBar::resultChosen, this, &MainWindow::showSearchResult);
    connect(m_searchBar, &SearchBar::closed, this, &MainWindow::focusComposer);
    connect(m_latency, &LatencyIndicator::clicked, m_panel,
            [this] { m_panel->setVisible(!m_panel->isVisible()); });
    connect(m_session, &ChatSession::notificationRequested, this, &MainWindow::notify);
    connect(m_session, &ChatSession::shownRoomChanged, this, [this](const QString &room) {
        m_settings->setLastRoom(room);
        m_drafts->switchTo(room, m_session->shownEpoch());
        updateTitle();
        m_composer->setPlaceholderText(tr("Message #%1 (Enter sends, Shift+Enter for a new line)").arg(room));
    });
    // Unread counts change with every message of a burst: the title follows once per pass.
    m_titleUpdate.setSingleShot(true);
    m_titleUpdate.setInterval(0);
    connect(&m_titleUpdate, &QTimer::timeout, this, &MainWindow::updateTitle);
    connect(m_rooms, &QAbstractItemModel::dataChanged, &m_titleUpdate, qOverload<>(&QTimer::start));
    connect(m_rooms, &QAbstractItemModel::rowsInserted, &m_titleUpdate, qOverload<>(&QTimer::start));
    connect(m_rooms, &QAbstractItemModel::rowsRemoved, &m_titleUpdate, qOverload<>(&QTimer::start));
    auto showProblem = [this](const QString &message) {
        statusBar()->showMessage(message, 8000);
    };
    connect(client, &ChatClient::sendFailed, this, [showProblem](const QString &, const QString &reason) {
        showProblem(tr("Not sent: %1").arg(reason));
    });
    connect(client, &ChatClient::requestRefused, this, showProblem);
    connect(client, &ChatClient::serverError, this, [showProblem](const Protocol::Error &error) {
        showProblem(tr("Server: %1").arg(error.message));
    });
    connect(client, &ChatClient::nameRefused, this, [this](const QString &name, const QString &) {
        // Not on a timer: until another name is chosen there is no chatting.
        statusBar()->showMessage(
            tr("The name %1 is in use by someone else; choose another in Preferences → Name").arg(name));
    });
    connect(client, &ChatClient::protocolError, this, [showProblem](const QString &message) {
        showProblem(tr("Could not read a message from the server: %1").arg(message));
    });
    // Read positions outlive the app, so rooms left behind count what came while it was closed.
    connect(m_session, &ChatSession::roomRead, this,
            [this](const QString &room, const QString &epoch, qint64 seq) {
                m_settings->setReadPosition(readPositionsKey(), room, {epoch, seq});
            });
    // Notification levels are the user's, per server, as read positions are.
    connect(m_rooms, &RoomListModel::notifyLevelChanged, this,
            [this](const QString &room, RoomListModel::Notify level) {
                m_settings->setNotifyLevel(readPositionsKey(), room, level);
            });
    connect(client, &ChatClient::connectedToServer, this, [this] {
        // An older notification names a room and seq of the server this may have replaced.
        m_notifiedRoom.clear();
        m_notifiedSeq = 0;
        m_rooms->setNotifyLevels(m_settings->notifyLevels(readPositionsKey()));
        const auto positions = m_settings->readPositions(readPositionsKey());
        for (auto it = positions.cbegin(); it != positions.cend(); ++it) {
            if (it.key() != m_session->shownRoom())
                m_rooms->markRead(it.key(), it->seq, it->epoch);
        }
    });
    for (const QByteArray &pem : m_settings->trustedCertificates())
        client->trustCertificate(QSslCertificate(pem));
    // Queued: the question is asked from the event loop, never from inside the socket's handling.
    connect(client, &ChatClient::certificateRejected, this, &MainWindow::askToTrustCertificate,
            Qt::QueuedConnection);

    if (transfers)
        setUpFiles(transfers);
    if (login)
        setUpLogin();
    m_theme = new Theme(this);
    const int theme = settings->theme();
    m_theme->setChoice(theme >= 0 && theme <= int(Theme::Choice::Dark) ? Theme::Choice(theme)
                                                                       : Theme::Choice::System);
    createActions();
    setUpTray();
    resize(1100, 680);
    resizeDocks({m_roomDock, m_userDock}, {190, 170}, Qt::Horizontal);
    restoreGeometry(settings->windowGeometry());
    restoreState(settings->windowState());
    updateTitle();
    m_composer->setFocus();
}

MainWindow::~MainWindow() = default;

AboutDialog *MainWindow::aboutDialog() const
{
    return m_about;
}

void MainWindow::createActions()
{
    QMenu *chat = menuBar()->addMenu(tr("&Chat"));
    QAction *connectAction = chat->addAction(tr("&Connect To…"), this, &MainWindow::changeConnection);
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    QAction *reconnect = chat->addAction(tr("&Reconnect Now"), m_client, &ChatClient::reconnectNow);
    reconnect->setObjectName(QStringLiteral("reconnectAction"));
    reconnect->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    if (m_transfers) {
        QAction *send = chat->addAction(tr("&Send Files…"), m_transfers, &TransferPresenter::attachFiles);
        send->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
        QAction *clear =
            chat->addAction(tr("C&lear Finished Transfers"), m_transfers, &TransferPresenter::clearFinished);
        clear->setObjectName(QStringLiteral("clearTransfersAction"));
    }
    if (m_login) {
        QAction *logOut = chat->addAction(tr("Log &Out"), m_login, &LoginFlow::logOut);
        logOut->setObjectName(QStringLiteral("logOutAction"));
        logOut->setEnabled(m_login->canLogOut());
        connect(m_login, &LoginFlow::canLogOutChanged, logOut, &QAction::setEnabled);
    }
    QAction *disconnectAction =
        chat->addAction(tr("&Disconnect"), m_client, &ChatClient::disconnectFromServer);
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
        view->addAction(tr("Jump to First &Unread"), m_messageView, &MessageView::jumpToFirstUnread);
    unread->setObjectName(QStringLiteral("jumpToFirstUnreadAction"));
    unread->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_PageUp));
    QAction *jump = view->addAction(tr("&Jump to Newest"), m_messageView, &MessageView::jumpToBottom);
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
    // Text size: a step is a tenth of the default, remembered.
    QAction *larger = view->addAction(
        tr("&Larger Text"), this, [this] { m_messageView->setTextScale(m_messageView->textScale() + 0.1); });
    larger->setObjectName(QStringLiteral("largerTextAction"));
    larger->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    QAction *smaller = view->addAction(
        tr("S&maller Text"), this, [this] { m_messageView->setTextScale(m_messageView->textScale() - 0.1); });
    smaller->setObjectName(QStringLiteral("smallerTextAction"));
    smaller->setShortcut(QKeySequence::ZoomOut);
    QAction *actual = view->addAction(tr("&Actual Size"), this, [this] { m_messageView->setTextScale(1.0); });
    actual->setObjectName(QStringLiteral("actualSizeAction"));
    actual->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_messageView->setTextScale(m_settings->textScale());
    connect(m_messageView, &MessageView::textScaleChanged, this,
            [this](qreal scale) { m_settings->setTextScale(scale); });
    view->addSeparator();
    view->addAction(m_roomDock->toggleViewAction());
    view->addAction(m_userDock->toggleViewAction());
    QAction *details = m_panel->toggleViewAction();
    details->setText(tr("Connection &Details"));
    details->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    view->addAction(details);

    view->addSeparator();
    m_doNotDisturb = view->addAction(tr("&Do Not Disturb"));
    m_doNotDisturb->setObjectName(QStringLiteral("doNotDisturbAction"));
    m_doNotDisturb->setToolTip(tr("No desktop notifications from any room; unread counts are kept"));
    m_doNotDisturb->setCheckable(true);
    m_doNotDisturb->setChecked(m_settings->doNotDisturb());
    m_session->setDoNotDisturb(m_doNotDisturb->isChecked());
    connect(m_doNotDisturb, &QAction::toggled, this, [this](bool on) {
        m_settings->setDoNotDisturb(on);
        m_session->setDoNotDisturb(on);
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

void MainWindow::setUpFiles(FileTransfers *transfers)
{
    m_transfers = new TransferPresenter(transfers, m_session, m_messages, this, this);
    m_attach->setIcon(
        QIcon::fromTheme(QStringLiteral("mail-attachment"), style()->standardIcon(QStyle::SP_FileIcon)));
    m_attach->setText(tr("Attach"));
    m_attach->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_attach->setAccessibleName(tr("Attach files"));
    m_attach->setToolTip(tr("Send files to the room (or drop them on the window, or paste them)"));
    m_attach->setMinimumHeight(m_composer->height());
    connect(m_attach, &QToolButton::clicked, m_transfers, &TransferPresenter::attachFiles);
    m_composer->setAcceptsFiles(true);
    connect(m_composer, &Composer::filesPasted, m_transfers, &TransferPresenter::sendFiles);
    connect(m_composer, &Composer::imagePasted, m_transfers, &TransferPresenter::sendImage);
    connect(m_messageView, &MessageView::cancelTransferRequested, m_transfers,
            &TransferPresenter::cancelTransfer);
    connect(m_messageView, &MessageView::saveTransferRequested, m_transfers,
            &TransferPresenter::saveTransfer);
    connect(m_messageView, &MessageView::openTransferRequested, m_transfers,
            &TransferPresenter::openTransfer);
    connect(transfers, &FileTransfers::relayError, this,
            [this](const QString &message) { statusBar()->showMessage(tr("Files: %1").arg(message), 8000); });
    setAcceptDrops(true);
}

void MainWindow::setUpLogin()
{
    m_loginPresenter = new LoginPresenter(m_login, m_client, m_settings, this, this);
    connect(m_status, &ConnectionStatus::loginRequested, m_loginPresenter, &LoginPresenter::askToLogIn);
    connect(m_loginPresenter, &LoginPresenter::problem, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
}

LoginDialog *MainWindow::loginDialog() const
{
    return m_loginPresenter ? m_loginPresenter->dialog() : nullptr;
}

void MainWindow::setHostedUrl(const QUrl &url, const QUrl &lanUrl)
{
    m_hostedUrl = url;
    m_panel->setHostedUrl(url, lanUrl);
    const QUrl shown = lanUrl.isEmpty() ? url : lanUrl;
    m_hosted->setText(tr("Hosting at %1").arg(shown.toString()));
    m_hosted->setToolTip(
        tr("This computer runs the chat server. Others join with: natter --url %1").arg(shown.toString()));
    m_hosted->setVisible(!url.isEmpty());
}

QString MainWindow::readPositionsKey() const
{
    return AppSettings::serverKey(m_client->url(), !m_hostedUrl.isEmpty() && m_client->url() == m_hostedUrl);
}

void MainWindow::joinRoom(const QString &room)
{
    if (room.isEmpty() || room == m_session->shownRoom())
        return;
    m_session->openRoom(room);
    m_composer->setFocus();
}

void MainWindow::focusComposer()
{
    m_composer->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::markRoomRead()
{
    m_messages->setFirstUnread(0);
    if (!m_session->shownRoom().isEmpty())
        m_session->markShownRoomRead();
    focusComposer();
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
    m_session->setCache(cache);
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
        m_preferences->addPage(new AppearancePage(m_theme, m_messageView), tr("Appearance"));
        m_preferences->addPage(new NotificationsPage(m_doNotDisturb), tr("Notifications"));
        m_preferences->addPage(new IdentityPage(m_settings, m_client), tr("Name"));
        if (m_transfers)
            m_preferences->addPage(new FilesPage(m_settings, m_transfers->transfers()), tr("Files"));
        m_preferences->addPage(new StoragePage(m_settings, m_cache), tr("Storage"));
        m_preferences->addPage(new ConnectionPage(m_settings, m_client), tr("Connection"));
    }
    m_preferences->show();
    m_preferences->raise();
    m_preferences->activateWindow();
}

void MainWindow::openSearch()
{
    m_searchResults->setServer(m_session->serverKey());
    m_searchBar->open();
}

void MainWindow::showSearchResult(const QString &room, qint64 seq)
{
    const int row = m_session->showMessage(room, seq);
    if (row >= 0)
        m_messageView->showFound(row);
    else
        statusBar()->showMessage(tr("That message is no longer in the cache"), 8000);
}

void MainWindow::changeConnection()
{
    ConnectionChoice initial = m_settings->connection();
    initial.username = m_client->username();
    initial.room = m_session->shownRoom().isEmpty() ? initial.room : m_session->shownRoom();
    const std::optional<ConnectionChoice> choice = ConnectDialog::ask(initial, this);
    if (!choice)
        return;
    m_settings->setConnection(*choice);
    if (choice->hostLocally) {
        emit hostLocallyRequested(choice->username, choice->room);
        return;
    }
    setHostedUrl({});
    if (m_login) {
        m_loginPresenter->closeDialog(); // it names the server left behind
        m_login->connectToServer(choice->url, choice->username, choice->room);
    } else {
        m_client->connectToServer(choice->url, choice->username, choice->room);
    }
}

void MainWindow::notify(const QString &title, const QString &body, const QString &room, qint64 seq)
{
    m_notifiedRoom = room;
    m_notifiedSeq = seq;
    emit notified(title, body);
    QApplication::alert(this);
    if (m_tray)
        m_tray->showMessage(title, body.left(200), QSystemTrayIcon::Information, 5000);
}

void MainWindow::openNotifiedMessage()
{
    showNormal();
    raise();
    activateWindow();
    const QString room = m_notifiedRoom;
    if (room.isEmpty())
        return;
    if (room == m_session->shownRoom()) {
        if (m_notifiedSeq > 0)
            m_session->revealMessage(m_notifiedSeq);
        return;
    }
    // From the cache at once when it holds the message; otherwise the room, when its join answers.
    const int row = m_notifiedSeq > 0 ? m_session->showMessage(room, m_notifiedSeq) : -1;
    if (row >= 0)
        m_messageView->showFound(row);
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
    m_tray->setUnread(m_rooms->totalUnread());
    m_tray->show();
}

void MainWindow::updateTitle()
{
    const QString room = m_session->shownRoom();
    const int unread = m_rooms->totalUnread();
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
        m_session->setWindowActive(isActiveWindow());
    QMainWindow::changeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_transfers && MimeFiles::canSend(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_transfers && MimeFiles::canSend(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (m_transfers && m_transfers->sendMimeData(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::askToTrustCertificate(const QSslCertificate &certificate, const QStringList &errors)
{
    const QString fingerprint =
        QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    const QString text = tr("The server %1 presented a certificate that could not be verified:\n\n%2\n\n"
                            "SHA-256 fingerprint:\n%3\n\n"
                            "Trust it only if you know this is your server's certificate.")
                             .arg(m_client->url().toString(), errors.join(QLatin1Char('\n')), fingerprint);
    if (!Confirmation::ask(this, tr("Untrusted Certificate"), text, tr("Trust and Connect")))
        return;
    m_client->trustCertificate(certificate);
    m_settings->addTrustedCertificate(certificate.toPem());
    m_client->reconnectNow();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Quitting abandons uploads and downloads still moving: ask first.
    const FileTransfers *files = m_transfers ? m_transfers->transfers() : nullptr;
    const int running = files ? files->unfinishedCount(TransferInfo::Direction::Upload) +
                                    files->unfinishedCount(TransferInfo::Direction::Download)
                              : 0;
    if (running > 0 &&
        !Confirmation::ask(this, tr("Quit Natter"),
                           tr("%n file transfer(s) still running will be stopped.", nullptr, running),
                           tr("Quit Anyway"))) {
        event->ignore();
        return;
    }
    m_drafts->save();
    if (!m_session->shownRoom().isEmpty())
        m_session->markShownRoomRead();
    m_settings->setWindowLayout(saveGeometry(), saveState());
    m_settings->sync();
    QMainWindow::closeEvent(event);
}

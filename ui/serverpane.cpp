// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverpane.h"

#include "appsettings.h"
#include "chatclient.h"
#include "chatsession.h"
#include "composer.h"
#include "confirmation.h"
#include "connectionpanel.h"
#include "connectionstatus.h"
#include "conversationpresenter.h"
#include "draftkeeper.h"
#include "filetransfers.h"
#include "latencyindicator.h"
#include "loginflow.h"
#include "loginpresenter.h"
#include "mentioncompleter.h"
#include "messagemodel.h"
#include "messageview.h"
#include "replybar.h"
#include "roomlistmodel.h"
#include "transferpresenter.h"
#include "typingindicator.h"
#include "userlistmodel.h"

#include <QCryptographicHash>
#include <QHBoxLayout>
#include <QIcon>
#include <QSslCertificate>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

ServerPane::ServerPane(ChatClient *client, AppSettings *settings, FileTransfers *transfers, LoginFlow *login,
                       QWidget *window)
    : QWidget(window)
    , m_client(client)
    , m_settings(settings)
    , m_login(login)
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
          m_composer, m_conversation, settings, [this] { return settingsKey(); }, this))
    , m_panel(new ConnectionPanel(client, window))
    , m_status(new ConnectionStatus(client))
    , m_latency(new LatencyIndicator(client))
{
    setAccessibleName(tr("Chat"));
    m_messageView->setModel(m_messages);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
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
    setFocusProxy(m_composer);

    // The text stays in the composer until the client has taken it; a refusal says why (sendFailed).
    // A reply or an edit is the conversation's to send.
    connect(m_composer, &Composer::submitted, m_conversation, &ConversationPresenter::submit);
    // Escape in the composer cancels a reply or an edit (ConversationPresenter) and marks the room read.
    connect(m_composer, &Composer::escapePressed, this, &ServerPane::markRoomRead);
    connect(m_composer, &Composer::typing, client, &ChatClient::notifyTyping);
    new MentionCompleter(m_composer, m_users, UserListModel::NameRole);
    connect(client, &ChatClient::typingChanged, m_typing, &TypingIndicator::setUsers);
    connect(m_messageView, &MessageView::retryRequested, client, &ChatClient::retryMessage);
    connect(m_messageView, &MessageView::discardRequested, client, &ChatClient::discardMessage);
    // Scroll-back: the view says when the top is reached, the session finds older messages.
    connect(m_messageView, &MessageView::olderMessagesWanted, m_session, &ChatSession::loadOlder);
    connect(m_messageView, &MessageView::messageWanted, m_session, &ChatSession::revealMessage);
    connect(m_session, &ChatSession::messageRevealed, m_messageView, &MessageView::showFound);
    connect(m_session, &ChatSession::messageUnavailable, this,
            [this] { emit statusMessageReady(tr("The original message is no longer available"), 8000); });
    connect(m_session, &ChatSession::olderStateChanged, m_messageView, [this](ChatSession::Older state) {
        m_messageView->setLoadingOlder(state == ChatSession::Older::Loading);
        m_messageView->setMoreAbove(state != ChatSession::Older::AtStart);
    });
    connect(m_session, &ChatSession::shownRoomChanged, this, [this](const QString &room) {
        m_drafts->switchTo(room, m_session->shownEpoch());
        m_composer->setPlaceholderText(tr("Message #%1 (Enter sends, Shift+Enter for a new line)").arg(room));
    });
    const auto showProblem = [this](const QString &message) {
        emit statusMessageReady(message, 8000);
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
        emit statusMessageReady(
            tr("The name %1 is in use by someone else; choose another in Preferences → Name").arg(name), 0);
    });
    connect(client, &ChatClient::protocolError, this, [showProblem](const QString &message) {
        showProblem(tr("Could not read a message from the server: %1").arg(message));
    });
    // Read positions outlive the app, so rooms left behind count what came while it was closed.
    connect(m_session, &ChatSession::roomRead, this,
            [this](const QString &room, const QString &epoch, qint64 seq) {
                m_settings->setReadPosition(settingsKey(), room, {epoch, seq});
            });
    // Notification levels are the user's, per server, as read positions are.
    connect(m_rooms, &RoomListModel::notifyLevelChanged, this,
            [this](const QString &room, RoomListModel::Notify level) {
                m_settings->setNotifyLevel(settingsKey(), room, level);
            });
    connect(client, &ChatClient::connectedToServer, this, [this] {
        m_rooms->setNotifyLevels(m_settings->notifyLevels(settingsKey()));
        const auto positions = m_settings->readPositions(settingsKey());
        for (auto it = positions.cbegin(); it != positions.cend(); ++it) {
            if (it.key() != m_session->shownRoom())
                m_rooms->markRead(it.key(), it->seq, it->epoch);
        }
    });
    for (const QByteArray &pem : m_settings->trustedCertificates())
        client->trustCertificate(QSslCertificate(pem));
    // Queued: the question is asked from the event loop, never from inside the socket's handling.
    connect(client, &ChatClient::certificateRejected, this, &ServerPane::askToTrustCertificate,
            Qt::QueuedConnection);

    if (transfers)
        setUpFiles(transfers);
    if (login) {
        m_loginPresenter = new LoginPresenter(login, client, settings, window, this);
        connect(m_status, &ConnectionStatus::loginRequested, m_loginPresenter, &LoginPresenter::askToLogIn);
        connect(m_loginPresenter, &LoginPresenter::problem, this, showProblem);
    }
}

ServerPane::~ServerPane()
{
    delete m_panel.data();
    delete m_status.data();
    delete m_latency.data();
}

void ServerPane::setUpFiles(FileTransfers *transfers)
{
    m_transfers = new TransferPresenter(transfers, m_session, m_messages, window(), this);
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
            [this](const QString &message) { emit statusMessageReady(tr("Files: %1").arg(message), 8000); });
}

ConnectionPanel *ServerPane::connectionPanel() const
{
    return m_panel;
}

ConnectionStatus *ServerPane::connectionStatus() const
{
    return m_status;
}

LatencyIndicator *ServerPane::latencyIndicator() const
{
    return m_latency;
}

LoginDialog *ServerPane::loginDialog() const
{
    return m_loginPresenter ? m_loginPresenter->dialog() : nullptr;
}

void ServerPane::setHostedUrl(const QUrl &url, const QUrl &lanUrl)
{
    m_hostedUrl = url;
    m_hostedLanUrl = lanUrl;
    m_panel->setHostedUrl(url, lanUrl);
}

bool ServerPane::isHosted() const
{
    return !m_hostedUrl.isEmpty() && m_client->url() == m_hostedUrl;
}

QString ServerPane::displayName() const
{
    if (isHosted())
        return tr("This computer");
    const QUrl url = m_client->url();
    if (url.isEmpty())
        return tr("Not connected");
    QString name = url.host();
    if (url.port() > 0)
        name += QStringLiteral(":%1").arg(url.port());
    if (url.path().size() > 1)
        name += url.path();
    return name;
}

QString ServerPane::stateText() const
{
    switch (m_client->state()) {
    case ChatClient::State::Connected:
        return m_client->isSessionReady() ? tr("Connected") : tr("Joining…");
    case ChatClient::State::Connecting:
    case ChatClient::State::Authenticating:
        return tr("Connecting…");
    case ChatClient::State::Reconnecting:
        return tr("Reconnecting…");
    case ChatClient::State::LoginRequired:
        return tr("Not logged in");
    case ChatClient::State::GaveUp:
    case ChatClient::State::Disconnected:
    case ChatClient::State::Closing:
        break;
    }
    return tr("Offline");
}

QString ServerPane::settingsKey() const
{
    return AppSettings::serverKey(m_client->url(), isHosted());
}

void ServerPane::setCache(MessageCache *cache)
{
    m_session->setCache(cache);
}

void ServerPane::joinRoom(const QString &room)
{
    if (room.isEmpty() || room == m_session->shownRoom())
        return;
    m_session->openRoom(room);
    m_composer->setFocus();
}

void ServerPane::markRoomRead()
{
    m_messages->setFirstUnread(0);
    if (!m_session->shownRoom().isEmpty())
        m_session->markShownRoomRead();
    m_composer->setFocus(Qt::ShortcutFocusReason);
}

void ServerPane::saveState()
{
    m_drafts->save();
    if (!m_session->shownRoom().isEmpty())
        m_session->markShownRoomRead();
}

void ServerPane::askToTrustCertificate(const QSslCertificate &certificate, const QStringList &errors)
{
    const QString fingerprint =
        QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    const QString text =
        tr("The server %1 presented a certificate that could not be verified:\n\n%2\n\n"
           "SHA-256 fingerprint:\n%3\n\n"
           "Trust it only if you know this is your server's certificate.")
            .arg(m_client->currentUrl().toString(), errors.join(QLatin1Char('\n')), fingerprint);
    if (!Confirmation::ask(window(), tr("Untrusted Certificate"), text, tr("Trust and Connect")))
        return;
    m_client->trustCertificate(certificate);
    m_settings->addTrustedCertificate(certificate.toPem());
    m_client->reconnectNow();
}

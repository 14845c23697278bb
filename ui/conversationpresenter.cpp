// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversationpresenter.h"

#include "chatclient.h"
#include "composer.h"
#include "confirmation.h"
#include "emojichoices.h"
#include "messagemodel.h"
#include "messageview.h"
#include "replybar.h"

ConversationPresenter::ConversationPresenter(ChatClient *client, MessageModel *messages, MessageView *view,
                                             Composer *composer, ReplyBar *bar, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_messages(messages)
    , m_view(view)
    , m_composer(composer)
    , m_bar(bar)
{
    connect(view, &MessageView::replyRequested, this, &ConversationPresenter::startReply);
    connect(view, &MessageView::editRequested, this, &ConversationPresenter::startEdit);
    connect(view, &MessageView::deleteRequested, this, &ConversationPresenter::deleteMessage);
    connect(view, &MessageView::reactionRequested, this, &ConversationPresenter::react);
    connect(composer, &Composer::upPressedWhenEmpty, this, &ConversationPresenter::editLastOwn);
    connect(composer, &Composer::escapePressed, this, &ConversationPresenter::cancel);
    connect(bar, &ReplyBar::closeClicked, this, &ConversationPresenter::cancel);
    // The features are the server's answer to each connection; a base-only server offers none.
    connect(client, &ChatClient::connectedToServer, this,
            [this] { setEnabled(m_client->hasFeature(Protocol::Feature::Conversation)); });
    setEnabled(client->hasFeature(Protocol::Feature::Conversation));
}

void ConversationPresenter::setEnabled(bool enabled)
{
    m_enabled = enabled;
    m_view->setConversationEnabled(enabled);
    if (!enabled)
        cancel();
}

bool ConversationPresenter::submit(const QString &text)
{
    if (m_mode == Mode::Editing) {
        if (!m_client->editMessage(m_seq, text))
            return false;
        m_composer->clearMessage();
        cancel();
        return true;
    }
    const qint64 replyTo = m_mode == Mode::Replying ? m_seq : 0;
    if (m_client->sendMessage(text, replyTo).isEmpty())
        return false;
    m_composer->clearMessage();
    cancel();
    return true;
}

void ConversationPresenter::startReply(qint64 seq)
{
    const int row = m_enabled ? m_messages->rowOfSeq(seq) : -1;
    if (row < 0)
        return;
    if (m_mode == Mode::Editing)
        m_composer->clearMessage(); // the edit's text is not the reply's
    restoreReply(seq, MessageModel::preview(m_messages->message(row)));
    m_composer->setFocus();
}

void ConversationPresenter::restoreReply(qint64 seq, const QString &preview)
{
    if (seq <= 0 || !m_enabled) // a server without replies gets none
        return;
    m_mode = Mode::Replying;
    m_seq = seq;
    m_preview = preview;
    m_bar->showText(tr("Replying to %1").arg(preview));
}

void ConversationPresenter::startEdit(qint64 seq)
{
    const int row = m_enabled ? m_messages->rowOfSeq(seq) : -1;
    if (row < 0)
        return;
    const MessageModel::Message &m = m_messages->message(row);
    if (!m_messages->isMine(m) || m.conv().deleted > 0 || m.kind != MessageModel::Kind::Chat)
        return;
    m_mode = Mode::Editing;
    m_seq = seq;
    m_bar->showText(tr("Editing your message (Enter saves, Escape cancels)"));
    m_composer->setMessage(m.text);
    m_composer->setFocus();
}

void ConversationPresenter::editLastOwn()
{
    if (!m_enabled)
        return;
    m_messages->commitQueued();
    const int row = m_messages->lastEditableOwnRow();
    if (row >= 0)
        startEdit(m_messages->message(row).seq);
}

void ConversationPresenter::cancel()
{
    if (m_mode == Mode::Editing)
        m_composer->clearMessage();
    m_mode = Mode::Writing;
    m_seq = 0;
    m_preview.clear();
    m_bar->hide();
}

void ConversationPresenter::deleteMessage(qint64 seq)
{
    if (!m_enabled || seq <= 0)
        return;
    if (Confirmation::ask(m_view, tr("Delete Message"),
                          tr("Delete this message for everyone in the room? It shows as \"message "
                             "deleted\" from then on."),
                          tr("Delete")))
        m_client->deleteMessage(seq);
}

void ConversationPresenter::react(qint64 seq, const QString &emoji, bool add)
{
    if (!m_enabled)
        return;
    if (m_client->react(seq, emoji, add) && add)
        EmojiChoices::use(emoji);
}

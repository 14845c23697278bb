// SPDX-License-Identifier: GPL-3.0-or-later
#include "draftkeeper.h"

#include "appsettings.h"
#include "composer.h"
#include "conversationpresenter.h"

DraftKeeper::DraftKeeper(Composer *composer, ConversationPresenter *conversation, AppSettings *settings,
                         ServerKey serverKey, QObject *parent)
    : QObject(parent)
    , m_composer(composer)
    , m_conversation(conversation)
    , m_settings(settings)
    , m_serverKey(std::move(serverKey))
{
    // Not on every key: a second after typing stops, so a crash loses at most that.
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(1000);
    connect(&m_saveTimer, &QTimer::timeout, this, &DraftKeeper::save);
    connect(m_composer, &Composer::textChanged, &m_saveTimer, qOverload<>(&QTimer::start));
}

namespace {
bool sameNumbering(const QString &a, const QString &b)
{
    return a.isEmpty() || b.isEmpty() || a == b; // unknown on either side: nothing says otherwise
}
} // namespace

void DraftKeeper::switchTo(const QString &room, const QString &epoch)
{
    // The same name on another server is another room, with its own draft.
    const QString server = m_serverKey();
    if (room == m_room && server == m_server) {
        // The seq replied to or being edited is of the old numbering. A reply's text stays; an
        // edit gives way to the room's draft, as leaving the room would.
        const ConversationPresenter::Mode mode = m_conversation->mode();
        if (!sameNumbering(epoch, m_epoch) && mode != ConversationPresenter::Mode::Writing) {
            m_conversation->cancel();
            if (mode == ConversationPresenter::Mode::Editing)
                m_composer->setMessage(m_settings->draft(m_server, m_room).text);
        }
        if (!epoch.isEmpty())
            m_epoch = epoch;
        save();
        return;
    }
    save();
    m_room = room;
    m_server = server;
    m_epoch = epoch;
    const AppSettings::Draft draft = m_settings->draft(m_server, room);
    m_conversation->cancel();
    m_composer->setMessage(draft.text);
    if (draft.replyTo > 0 && sameNumbering(draft.epoch, epoch))
        m_conversation->restoreReply(draft.replyTo, draft.replyPreview);
    m_saveTimer.stop();
}

void DraftKeeper::save()
{
    m_saveTimer.stop();
    // While editing, the composer holds the edit, not the draft: the stored draft stays as it was.
    if (m_room.isEmpty() || m_conversation->mode() == ConversationPresenter::Mode::Editing)
        return;
    AppSettings::Draft draft;
    draft.text = m_composer->toPlainText();
    if (m_conversation->mode() == ConversationPresenter::Mode::Replying) {
        draft.replyTo = m_conversation->seq();
        draft.replyPreview = m_conversation->replyPreview();
        draft.epoch = m_epoch;
    }
    m_settings->setDraft(m_server, m_room, draft);
}

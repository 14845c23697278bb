// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class ChatClient;
class Composer;
class MessageModel;
class MessageView;
class ReplyBar;

//! The conversation actions of the desktop app (PROTOCOL.md 3): replying, editing and deleting
//! messages and reacting to them, from the message view's menu and chips and from the composer
//! (Up in an empty composer edits the user's last message, Escape cancels). Offered only while
//! the server has the `conversation` feature. What the composer submits goes through submit().
//! A reply or an edit lasts until it is sent or cancelled; switching rooms is DraftKeeper's.
class ConversationPresenter : public QObject
{
    Q_OBJECT
public:
    enum class Mode {
        Writing,  // a new message
        Replying, // a new message answering m_seq
        Editing,  // new text for m_seq
    };
    Q_ENUM(Mode)

    ConversationPresenter(ChatClient *client, MessageModel *messages, MessageView *view, Composer *composer,
                          ReplyBar *bar, QObject *parent = nullptr);

    bool isEnabled() const { return m_enabled; }
    Mode mode() const { return m_mode; }
    qint64 seq() const { return m_seq; }
    // While replying: who and what is answered, as the bar shows it ("bob: lunch?").
    QString replyPreview() const { return m_mode == Mode::Replying ? m_preview : QString(); }

public slots:
    // The composer's text: sent (as a reply while replying) or saved as the edit. False when the
    // client refused it; the text then stays in the composer.
    bool submit(const QString &text);
    void startReply(qint64 seq);
    // A reply kept with a room's draft: the answered message need not be on screen.
    void restoreReply(qint64 seq, const QString &preview);
    void startEdit(qint64 seq);
    void editLastOwn();
    void cancel();
    // Asks first; the server's messageDeleted then turns the row into a tombstone.
    void deleteMessage(qint64 seq);
    void react(qint64 seq, const QString &emoji, bool add);

private:
    void setEnabled(bool enabled);

    ChatClient *m_client;
    MessageModel *m_messages;
    MessageView *m_view;
    Composer *m_composer;
    ReplyBar *m_bar;
    bool m_enabled = false;
    Mode m_mode = Mode::Writing;
    qint64 m_seq = 0;
    QString m_preview; // of the message answered
};

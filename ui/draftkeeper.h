// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

class AppSettings;
class Composer;
class ConversationPresenter;

//! Each room's unsent draft: what the composer holds and a reply in progress stay with the room
//! when the user switches to another, come back on return, and outlive the app (AppSettings, per
//! server). An edit in progress is not a draft: leaving the room abandons it, and the room's
//! stored draft stays what it was before the edit began.
class DraftKeeper : public QObject
{
    Q_OBJECT
public:
    using ServerKey = std::function<QString()>; // names the server drafts are kept for
    DraftKeeper(Composer *composer, ConversationPresenter *conversation, AppSettings *settings,
                ServerKey serverKey, QObject *parent = nullptr);

    QString room() const { return m_room; }

public slots:
    // `room` is shown now, numbered by `epoch`: the room left keeps its draft, and `room`'s comes
    // back. A reply whose seq belongs to another numbering of the room is not restored: that seq
    // names another message now (or none). The same room renumbered ends a reply or an edit.
    void switchTo(const QString &room, const QString &epoch = {});
    // Keeps the shown room's draft now (typing saves it a moment later on its own).
    void save();

private:
    Composer *m_composer;
    ConversationPresenter *m_conversation;
    AppSettings *m_settings;
    ServerKey m_serverKey;
    QString m_room;
    QString m_server; // m_room's
    QString m_epoch;  // m_room's numbering, when known
    QTimer m_saveTimer;
};

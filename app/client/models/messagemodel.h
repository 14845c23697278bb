// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"
#include "transferinfo.h"

#include <QAbstractListModel>
#include <QHash>
#include <QSharedDataPointer>
#include <QVector>

//! The messages of the current room, oldest first: chat lines, system lines (joins, leaves), the
//! user's own messages with their delivery state, and file transfers with their progress; chat
//! rows carry replies, edits, deletions, reactions and mentions (PROTOCOL.md 3). Built to hold
//! 100,000 rows cheaply.
class MessageModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        KindRole = Qt::UserRole + 1,
        SenderRole,
        TextRole,
        TimestampRole,
        IdRole,
        SeqRole,
        OwnRole,
        DeliveryRole,
        FirstOfDayRole, // the delegate draws a date separator above such rows
        // Transfer rows only (invalid QVariant on other rows):
        TransferDirectionRole, // TransferInfo::Direction
        TransferStateRole,     // TransferInfo::State
        FileNameRole,
        FileSizeRole,
        BytesDoneRole,
        SpeedRole,          // bytes per second
        ProgressRole,       // double in [0, 1]
        TransferStatusRole, // one line for people: "4.0 MiB of 12.4 MiB · 3.2 MiB/s", "Failed: …"
        TransferErrorRole,
        LocalPathRole, // upload: the source; download: the received file once completed
        SavedPathRole, // download: where the user saved a copy, if they did
        // Conversation (PROTOCOL.md 3), chat rows:
        ReplyToRole,      // the seq this message answers; 0 when none
        ReplyPreviewRole, // "NAME: text" of the answered message when shown here, else empty
        EditedRole,       // when last edited (ms since the epoch); 0: never
        DeletedRole,      // bool: a tombstone, its text gone
        ReactionsRole,    // QList<Protocol::Reaction>, in the order each emoji was first added
        OwnReactionsRole, // QStringList: the emoji the user reacted with
        MentionsRole,     // QStringList: the names the server marked as mentioned
        MentionsMeRole,   // bool: one of them is the user
        MineRole,         // bool: written by the user (own, or sent under the user's name)
        // Any row: the first message the user has not read (setFirstUnread()); a line marks it.
        FirstUnreadRole,
    };
    Q_ENUM(Roles)

    enum class Kind : quint8 {
        Chat,
        System,
        Transfer, // the row's id is the transfer id
    };
    Q_ENUM(Kind)

    enum class Delivery : quint8 {
        None, // someone else's message, or a system line
        Queued,
        Sent,
        Acknowledged,
        Failed,
    };
    Q_ENUM(Delivery)

    // Conversation (PROTOCOL.md 3), kept out of line: nearly every message has none of it.
    struct Conversation : QSharedData
    {
        qint64 replyTo = 0; // the seq this message answers
        qint64 edited = 0;  // when last edited (ms since the epoch); 0: never
        qint64 deleted = 0; // a tombstone since then; 0: not deleted
        QList<Protocol::Reaction> reactions;
        QStringList mentions;
    };

    struct Message
    {
        Kind kind = Kind::Chat;
        QString sender;
        QString text;
        qint64 timestamp = 0; // ms since the epoch
        QString id;
        qint64 seq = 0;
        bool own = false;
        Delivery delivery = Delivery::None;
        QSharedDataPointer<Conversation> conversation; // null: a plain message

        const Conversation &conv() const; // an empty one when null
        Conversation &editConv();         // made when first needed
    };

    explicit MessageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const Message &message(int row) const;
    int rowOfId(const QString &id) const; // -1 when absent

    void append(const Message &message);
    void append(const QVector<Message> &messages); // one insertion for the lot (history)
    // Older messages (scroll-back) go in at the top as one insertion at row 0.
    void prepend(const QVector<Message> &messages);
    // Inserted before the user's own messages still waiting at the end (not yet acknowledged, so
    // without a seq) and before rows numbered after them: what the server says came first shows
    // first.
    void insertBeforePending(const QVector<Message> &messages);
    qint64 firstSeq() const;        // of the oldest row with a seq; 0 when none
    qint64 lastSeq() const;         // of the newest row with a seq; 0 when none
    int rowOfSeq(qint64 seq) const; // -1 when absent
    // Appended when control returns to the event loop, in one insertion with everything else
    // queued meanwhile, so a burst from the network costs the view one layout, not thousands.
    // Any other change commits what is queued first, so the order of rows is always arrival order.
    void queueAppend(const Message &message);
    void commitQueued(); // inserts what queueAppend() holds now (otherwise done by the event loop)
    void appendSystem(const QString &text, qint64 timestamp);
    bool setDelivery(const QString &id, Delivery delivery);
    // The server accepted an own message: it takes the server's place (seq) and time, the way a
    // pending event is merged when its confirmation arrives.
    bool acknowledge(const QString &id, qint64 seq, qint64 timestamp);
    bool remove(const QString &id);
    void clear(); // the first-unread mark too

    // The message numbered `seq` is the first the user has not read (0: none is marked). It may
    // arrive later: the mark goes to its row then.
    void setFirstUnread(qint64 seq);
    qint64 firstUnread() const { return m_firstUnread; }

    // Whose messages are the user's, whose mentions and reactions are the user's (by name key).
    void setSelfName(const QString &name);
    // Conversation changes to the message numbered `seq` (false when it is not shown): only its row
    // changes.
    bool applyEdit(qint64 seq, const QString &text, qint64 edited, const QStringList &mentions);
    bool applyDelete(qint64 seq, qint64 deleted);
    bool setReactions(qint64 seq, const QList<Protocol::Reaction> &reactions);
    // The newest row the user wrote that can still be edited (numbered, not deleted); -1: none.
    int lastEditableOwnRow() const;
    bool isMine(const Message &message) const;
    // The one line that quotes `message` above a reply.
    static QString preview(const Message &message);

    // A transfer row appears at the end when first seen and is updated in place afterwards. The
    // sender shown is `sender`, or the info's peer for a download when `sender` is empty.
    void updateTransfer(const TransferInfo &info, const QString &sender = {});
    bool setTransferSavedPath(const QString &id, const QString &path);
    // Null when the row is not a transfer.
    const TransferInfo *transfer(int row) const;
    // Whether a transfer row shows the file `transferId`: the user's own upload (`sender`
    // empty), or a download from `sender`. A room's history names such a file again.
    bool hasTransfer(const QString &sender, const QString &transferId) const;

private:
    struct Row
    {
        Message message;
        bool firstOfDay = false;
    };
    Row makeRow(const Message &message, const Row *previous) const;
    void insertAtEnd(const QVector<Message> &messages);
    void insertAt(int first, const QVector<Message> &messages);
    void rebuildIdIndex();

    struct TransferData
    {
        TransferInfo info;
        QString savedPath;
    };
    QVariant transferData(const Message &m, int role) const;
    QVariant conversationData(const Message &m, int role) const;
    void emitRowChanged(int row, const QList<int> &roles);

    QVector<Row> m_rows;
    qint64 m_firstUnread = 0;
    QHash<QString, int> m_rowOfId;
    // Transfer details live beside the rows, so chat rows stay small.
    QHash<QString, TransferData> m_transfers;
    QVector<Message> m_queued; // see queueAppend()
    bool m_commitScheduled = false;
    QString m_selfKey; // Protocol::nameKey of the user's name
};

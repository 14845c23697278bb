// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagemodel.h"

#include "transfertext.h"

#include <QDateTime>

namespace {

qint64 localDay(qint64 timestampMs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampMs).date().toJulianDay();
}

} // namespace

MessageModel::MessageModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const Message &m = row.message;
    if (role == FirstUnreadRole)
        return m_firstUnread > 0 && m.seq == m_firstUnread;
    if (role >= ReplyToRole)
        return m.kind == Kind::Chat ? conversationData(m, role) : QVariant();
    if (role >= TransferDirectionRole)
        return m.kind == Kind::Transfer ? transferData(m, role) : QVariant();
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return m.text;
    case Qt::ToolTipRole:
        return QDateTime::fromMSecsSinceEpoch(m.timestamp).toString(Qt::TextDate);
    case KindRole:
        return QVariant::fromValue(m.kind);
    case SenderRole:
        return m.sender;
    case TimestampRole:
        return m.timestamp;
    case IdRole:
        return m.id;
    case SeqRole:
        return m.seq;
    case OwnRole:
        return m.own;
    case DeliveryRole:
        return QVariant::fromValue(m.delivery);
    case FirstOfDayRole:
        return row.firstOfDay;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(KindRole, "kind");
    names.insert(SenderRole, "sender");
    names.insert(TextRole, "text");
    names.insert(TimestampRole, "timestamp");
    names.insert(IdRole, "messageId");
    names.insert(SeqRole, "seq");
    names.insert(OwnRole, "own");
    names.insert(DeliveryRole, "delivery");
    names.insert(FirstOfDayRole, "firstOfDay");
    names.insert(FirstUnreadRole, "firstUnread");
    names.insert(TransferDirectionRole, "transferDirection");
    names.insert(TransferStateRole, "transferState");
    names.insert(FileNameRole, "fileName");
    names.insert(FileSizeRole, "fileSize");
    names.insert(BytesDoneRole, "bytesDone");
    names.insert(SpeedRole, "speed");
    names.insert(ProgressRole, "progress");
    names.insert(TransferStatusRole, "transferStatus");
    names.insert(TransferErrorRole, "transferError");
    names.insert(LocalPathRole, "localPath");
    names.insert(SavedPathRole, "savedPath");
    names.insert(ReplyToRole, "replyTo");
    names.insert(ReplyPreviewRole, "replyPreview");
    names.insert(EditedRole, "edited");
    names.insert(DeletedRole, "deleted");
    names.insert(ReactionsRole, "reactions");
    names.insert(OwnReactionsRole, "ownReactions");
    names.insert(MentionsRole, "mentions");
    names.insert(MentionsMeRole, "mentionsMe");
    names.insert(MineRole, "mine");
    return names;
}

QVariant MessageModel::transferData(const Message &m, int role) const
{
    const auto it = m_transfers.constFind(m.id);
    if (it == m_transfers.constEnd())
        return {};
    const TransferInfo &info = it->info;
    switch (role) {
    case TransferDirectionRole:
        return QVariant::fromValue(info.direction);
    case TransferStateRole:
        return QVariant::fromValue(info.state);
    case FileNameRole:
        return info.name;
    case FileSizeRole:
        return info.size;
    case BytesDoneRole:
        return info.done;
    case SpeedRole:
        return info.bytesPerSecond;
    case ProgressRole:
        return TransferText::progress(info);
    case TransferStatusRole:
        return TransferText::status(info);
    case TransferErrorRole:
        return info.error;
    case LocalPathRole:
        return info.localPath;
    case SavedPathRole:
        return it->savedPath;
    default:
        return {};
    }
}

const MessageModel::Conversation &MessageModel::Message::conv() const
{
    static const Conversation none;
    return conversation ? *conversation : none;
}

MessageModel::Conversation &MessageModel::Message::editConv()
{
    if (!conversation)
        conversation = new Conversation;
    return *conversation; // detaches from any copy
}

QVariant MessageModel::conversationData(const Message &m, int role) const
{
    if (!m.conversation) { // a plain message: answered at once, for the delegate's every row
        switch (role) {
        case ReplyToRole:
        case EditedRole:
            return qint64(0);
        case DeletedRole:
        case MentionsMeRole:
            return false;
        case MineRole:
            return isMine(m);
        default:
            return {}; // no reactions, no mentions, no preview
        }
    }
    switch (role) {
    case ReplyToRole:
        return m.conv().replyTo;
    case ReplyPreviewRole: {
        const int row = m.conv().replyTo > 0 ? rowOfSeq(m.conv().replyTo) : -1;
        return row >= 0 ? preview(m_rows.at(row).message) : QString();
    }
    case EditedRole:
        return m.conv().edited;
    case DeletedRole:
        return m.conv().deleted > 0;
    case ReactionsRole:
        return QVariant::fromValue(m.conv().reactions);
    case OwnReactionsRole: {
        QStringList own;
        for (const Protocol::Reaction &r : m.conv().reactions) {
            for (const QString &user : r.users) {
                if (!m_selfKey.isEmpty() && Protocol::nameKey(user) == m_selfKey) {
                    own.append(r.emoji);
                    break;
                }
            }
        }
        return own;
    }
    case MentionsRole:
        return m.conv().mentions;
    case MentionsMeRole:
        for (const QString &name : m.conv().mentions) {
            if (!m_selfKey.isEmpty() && Protocol::nameKey(name) == m_selfKey)
                return true;
        }
        return false;
    case MineRole:
        return isMine(m);
    default:
        return {};
    }
}

bool MessageModel::isMine(const Message &message) const
{
    return message.own || (!m_selfKey.isEmpty() && !message.sender.isEmpty() &&
                           Protocol::nameKey(message.sender) == m_selfKey);
}

QString MessageModel::preview(const Message &message)
{
    constexpr int MaxChars = 120; // the delegate elides to its width; this bounds the copy
    QString text = message.conv().deleted > 0 ? tr("message deleted") : message.text.left(MaxChars);
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return QStringLiteral("%1: %2").arg(message.sender, text);
}

void MessageModel::setSelfName(const QString &name)
{
    const QString key = Protocol::nameKey(name);
    if (key == m_selfKey)
        return;
    m_selfKey = key;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1),
                         {OwnReactionsRole, MentionsMeRole, MineRole});
}

void MessageModel::emitRowChanged(int row, const QList<int> &roles)
{
    const QModelIndex idx = index(row);
    emit dataChanged(idx, idx, roles);
}

bool MessageModel::applyEdit(qint64 seq, const QString &text, qint64 edited, const QStringList &mentions)
{
    commitQueued();
    const int row = rowOfSeq(seq);
    if (row < 0 || m_rows.at(row).message.kind != Kind::Chat)
        return false;
    Message &m = m_rows[row].message;
    if (m.conv().deleted > 0)
        return false; // a tombstone stays one
    m.text = text;
    m.editConv().edited = edited > 0 ? edited : Protocol::nowMs();
    m.editConv().mentions = mentions;
    emitRowChanged(row, {Qt::DisplayRole, TextRole, EditedRole, MentionsRole, MentionsMeRole});
    return true;
}

bool MessageModel::applyDelete(qint64 seq, qint64 deleted)
{
    commitQueued();
    const int row = rowOfSeq(seq);
    if (row < 0 || m_rows.at(row).message.kind != Kind::Chat)
        return false;
    Message &m = m_rows[row].message;
    m.text.clear();
    m.editConv().deleted = deleted > 0 ? deleted : Protocol::nowMs();
    m.editConv().edited = 0;
    m.editConv().reactions.clear();
    m.editConv().mentions.clear();
    emitRowChanged(row, {Qt::DisplayRole, TextRole, DeletedRole, ReactionsRole, OwnReactionsRole,
                         MentionsRole, MentionsMeRole});
    return true;
}

bool MessageModel::setReactions(qint64 seq, const QList<Protocol::Reaction> &reactions)
{
    commitQueued();
    const int row = rowOfSeq(seq);
    if (row < 0 || m_rows.at(row).message.kind != Kind::Chat || m_rows.at(row).message.conv().deleted > 0)
        return false;
    m_rows[row].message.editConv().reactions = reactions;
    emitRowChanged(row, {ReactionsRole, OwnReactionsRole});
    return true;
}

int MessageModel::lastEditableOwnRow() const
{
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const Message &m = m_rows.at(i).message;
        if (m.kind == Kind::Chat && m.seq > 0 && m.conv().deleted == 0 && isMine(m))
            return i;
    }
    return -1;
}

const MessageModel::Message &MessageModel::message(int row) const
{
    return m_rows.at(row).message;
}

int MessageModel::rowOfId(const QString &id) const
{
    return m_rowOfId.value(id, -1);
}

MessageModel::Row MessageModel::makeRow(const Message &message, const Row *previous) const
{
    Row row{message, true};
    if (!previous)
        return row;
    // Every UTC offset is a whole number of minutes, so two times in one UTC minute share a local
    // day. That skips the local-time conversion (glibc reads the time zone again for each one)
    // for nearly every row of a burst.
    row.firstOfDay = previous->message.timestamp / 60000 != message.timestamp / 60000 &&
                     localDay(previous->message.timestamp) != localDay(message.timestamp);
    return row;
}

// Whether a message is new is decided once, in ChatClient; the model only shows what it is given.
void MessageModel::append(const Message &message)
{
    append(QVector<Message>{message});
}

void MessageModel::append(const QVector<Message> &messages)
{
    commitQueued();
    insertAtEnd(messages);
}

void MessageModel::queueAppend(const Message &message)
{
    m_queued.append(message);
    if (!m_commitScheduled) {
        m_commitScheduled = true;
        QMetaObject::invokeMethod(this, &MessageModel::commitQueued, Qt::QueuedConnection);
    }
}

void MessageModel::commitQueued()
{
    m_commitScheduled = false;
    if (!m_queued.isEmpty())
        insertAtEnd(std::exchange(m_queued, {}));
}

void MessageModel::insertAtEnd(const QVector<Message> &messages)
{
    if (messages.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(messages.size()) - 1);
    for (const Message &m : messages) {
        m_rows.append(makeRow(m, m_rows.isEmpty() ? nullptr : &m_rows.constLast()));
        if (!m.id.isEmpty())
            m_rowOfId.insert(m.id, int(m_rows.size()) - 1);
    }
    endInsertRows();
}

void MessageModel::prepend(const QVector<Message> &messages)
{
    commitQueued();
    insertAt(0, messages);
}

void MessageModel::insertBeforePending(const QVector<Message> &messages)
{
    commitQueued();
    qint64 firstNew = 0;
    for (const Message &m : messages) {
        if (m.seq > 0 && (firstNew == 0 || m.seq < firstNew))
            firstNew = m.seq;
    }
    int first = int(m_rows.size());
    while (first > 0) {
        const Message &m = m_rows.at(first - 1).message;
        const bool pending = m.own && m.seq == 0 && m.kind == Kind::Chat &&
                             m.delivery != Delivery::Acknowledged && m.delivery != Delivery::None;
        const bool later = firstNew > 0 && m.seq > firstNew; // an own one acknowledged meanwhile
        if (!pending && !later)
            break;
        --first;
    }
    if (first == m_rows.size())
        insertAtEnd(messages);
    else
        insertAt(first, messages);
}

void MessageModel::insertAt(int first, const QVector<Message> &messages)
{
    if (messages.isEmpty())
        return;
    if (first >= m_rows.size()) {
        insertAtEnd(messages);
        return;
    }
    const int count = int(messages.size());
    beginInsertRows({}, first, first + count - 1);
    QVector<Row> rows;
    rows.reserve(m_rows.size() + count);
    for (int i = 0; i < first; ++i)
        rows.append(std::move(m_rows[i]));
    for (const Message &m : messages)
        rows.append(makeRow(m, rows.isEmpty() ? nullptr : &rows.constLast()));
    for (int i = first; i < m_rows.size(); ++i)
        rows.append(std::move(m_rows[i]));
    m_rows = std::move(rows);
    // The row after the insertion may no longer start a day.
    const int next = first + count;
    const bool nextFirstOfDay = makeRow(m_rows.at(next).message, &m_rows.at(next - 1)).firstOfDay;
    const bool changed = m_rows.at(next).firstOfDay != nextFirstOfDay;
    m_rows[next].firstOfDay = nextFirstOfDay;
    rebuildIdIndex();
    endInsertRows();
    if (changed) {
        const QModelIndex idx = index(next);
        emit dataChanged(idx, idx, {FirstOfDayRole});
    }
}

qint64 MessageModel::firstSeq() const
{
    for (const Row &row : m_rows) {
        if (row.message.seq > 0)
            return row.message.seq;
    }
    return 0;
}

qint64 MessageModel::lastSeq() const
{
    for (auto it = m_rows.crbegin(); it != m_rows.crend(); ++it) {
        if (it->message.seq > 0)
            return it->message.seq;
    }
    return 0;
}

int MessageModel::rowOfSeq(qint64 seq) const
{
    if (seq <= 0)
        return -1;
    // Rows are in seq order apart from system lines, transfers and pending own messages (seq 0).
    int lo = 0;
    int hi = int(m_rows.size()) - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int probe = mid;
        while (probe <= hi && m_rows.at(probe).message.seq == 0)
            ++probe;
        if (probe > hi) {
            hi = mid - 1;
            continue;
        }
        const qint64 s = m_rows.at(probe).message.seq;
        if (s == seq)
            return probe;
        if (s < seq)
            lo = probe + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void MessageModel::appendSystem(const QString &text, qint64 timestamp)
{
    Message m;
    m.kind = Kind::System;
    m.text = text;
    m.timestamp = timestamp;
    append(m);
}

bool MessageModel::setDelivery(const QString &id, Delivery delivery)
{
    commitQueued();
    const int row = rowOfId(id);
    if (row < 0 || m_rows[row].message.delivery == delivery)
        return false;
    m_rows[row].message.delivery = delivery;
    const QModelIndex idx = index(row);
    emit dataChanged(idx, idx, {DeliveryRole});
    return true;
}

bool MessageModel::acknowledge(const QString &id, qint64 seq, qint64 timestamp)
{
    commitQueued();
    const int row = rowOfId(id);
    if (row < 0)
        return false;
    Message &m = m_rows[row].message;
    m.delivery = Delivery::Acknowledged;
    m.seq = seq;
    if (timestamp > 0)
        m.timestamp = timestamp;
    const QModelIndex idx = index(row);
    emit dataChanged(idx, idx, {DeliveryRole, SeqRole, TimestampRole});
    return true;
}

bool MessageModel::remove(const QString &id)
{
    commitQueued();
    const int row = rowOfId(id);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_transfers.remove(id);
    if (row < m_rows.size()) {
        const Row *previous = row > 0 ? &m_rows.at(row - 1) : nullptr;
        m_rows[row].firstOfDay = makeRow(m_rows.at(row).message, previous).firstOfDay;
    }
    rebuildIdIndex();
    endRemoveRows();
    if (row < m_rows.size()) {
        const QModelIndex idx = index(row);
        emit dataChanged(idx, idx, {FirstOfDayRole});
    }
    return true;
}

void MessageModel::clear()
{
    beginResetModel();
    m_queued.clear();
    m_rows.clear();
    m_rowOfId.clear();
    m_transfers.clear();
    m_firstUnread = 0;
    endResetModel();
}

void MessageModel::setFirstUnread(qint64 seq)
{
    seq = qMax<qint64>(0, seq);
    if (seq == m_firstUnread)
        return;
    const int before = m_firstUnread > 0 ? rowOfSeq(m_firstUnread) : -1;
    m_firstUnread = seq;
    const int after = seq > 0 ? rowOfSeq(seq) : -1;
    for (int row : {before, after}) {
        if (row >= 0)
            emit dataChanged(index(row), index(row), {FirstUnreadRole});
    }
}

void MessageModel::updateTransfer(const TransferInfo &info, const QString &sender)
{
    if (info.id.isEmpty())
        return;
    commitQueued();
    const int row = rowOfId(info.id);
    if (row >= 0) {
        Message &m = m_rows[row].message;
        if (m.kind != Kind::Transfer)
            return; // an id clash with a chat message; never overwrite what was said
        m.text = info.name;
        m_transfers[info.id].info = info;
        const QModelIndex idx = index(row);
        emit dataChanged(idx, idx);
        return;
    }
    Message m;
    m.kind = Kind::Transfer;
    m.id = info.id;
    m.text = info.name;
    m.own = info.direction == TransferInfo::Direction::Upload;
    m.sender = !sender.isEmpty() || m.own ? sender : info.peer;
    m.timestamp = info.startedMs > 0 ? info.startedMs : QDateTime::currentMSecsSinceEpoch();
    m_transfers.insert(info.id, TransferData{info, {}});
    append(m);
}

bool MessageModel::setTransferSavedPath(const QString &id, const QString &path)
{
    const int row = rowOfId(id);
    const auto it = m_transfers.find(id);
    if (row < 0 || it == m_transfers.end())
        return false;
    it->savedPath = path;
    const QModelIndex idx = index(row);
    emit dataChanged(idx, idx, {SavedPathRole});
    return true;
}

bool MessageModel::hasTransfer(const QString &sender, const QString &transferId) const
{
    if (transferId.isEmpty())
        return false;
    if (sender.isEmpty()) {
        const auto it = m_transfers.constFind(transferId); // an upload's id is its transferId
        return it != m_transfers.constEnd() && it->info.direction == TransferInfo::Direction::Upload;
    }
    for (const TransferData &t : m_transfers) {
        if (t.info.direction == TransferInfo::Direction::Download && t.info.transferId == transferId &&
            t.info.peer == sender)
            return true;
    }
    return false;
}

const TransferInfo *MessageModel::transfer(int row) const
{
    if (row < 0 || row >= m_rows.size() || m_rows.at(row).message.kind != Kind::Transfer)
        return nullptr;
    const auto it = m_transfers.constFind(m_rows.at(row).message.id);
    return it == m_transfers.constEnd() ? nullptr : &it->info;
}

void MessageModel::rebuildIdIndex()
{
    m_rowOfId.clear();
    for (int i = 0; i < m_rows.size(); ++i) {
        if (!m_rows.at(i).message.id.isEmpty())
            m_rowOfId.insert(m_rows.at(i).message.id, i);
    }
}

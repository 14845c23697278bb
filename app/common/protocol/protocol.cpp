// SPDX-License-Identifier: GPL-3.0-or-later
// Longer than most files on purpose: the encoder and the strict decoder of every message in
// docs/PROTOCOL.md, side by side, so that a protocol change is made (and reviewed) in one place.
#include "protocol.h"

#include "jsontree.h"
#include "jsonwriter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QTextBoundaryFinder>
#include <QtEndian>

#include <cmath>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Protocol {

QStringList Feature::all()
{
    return {Roster, Rooms, Acks, History, Files, Resume, HistoryBefore, Conversation, Status};
}

namespace {

struct CodeName
{
    ErrorCode code;
    const char *name;
};
constexpr CodeName kCodeNames[] = {
    {ErrorCode::InvalidJson, "invalidJson"},
    {ErrorCode::NotAnObject, "notAnObject"},
    {ErrorCode::UnknownType, "unknownType"},
    {ErrorCode::MissingField, "missingField"},
    {ErrorCode::BadField, "badField"},
    {ErrorCode::TooLong, "tooLong"},
    {ErrorCode::InvalidName, "invalidName"},
    {ErrorCode::NoUsername, "noUsername"},
    {ErrorCode::NotInRoom, "notInRoom"},
    {ErrorCode::BadChunk, "badChunk"},
    {ErrorCode::FileTooLarge, "fileTooLarge"},
    {ErrorCode::FileState, "fileState"},
    {ErrorCode::Internal, "internal"},
    {ErrorCode::RateLimited, "rateLimited"},
    {ErrorCode::NameTaken, "nameTaken"},
    {ErrorCode::AccountName, "accountName"},
    {ErrorCode::AuthRequired, "authRequired"},
    {ErrorCode::AuthFailed, "authFailed"},
    {ErrorCode::RegistrationClosed, "registrationClosed"},
    {ErrorCode::StoreFailed, "storeFailed"},
    {ErrorCode::UnknownMessage, "unknownMessage"},
    {ErrorCode::NotAuthor, "notAuthor"},
    {ErrorCode::TooManyReactions, "tooManyReactions"},
};

constexpr int MaxTokenChars = 128; // issued tokens have 43

DecodeError fail(ErrorCode code, QString message)
{
    return DecodeError{code, std::move(message)};
}

// Reads typed fields from one JSON object and remembers the first problem, so decoders read
// as a list of fields instead of a ladder of ifs.
class Reader
{
public:
    Reader(const JsonTree &tree, int object)
        : m_tree(tree)
        , m_object(object)
    {}

    bool ok() const { return !m_error; }
    DecodeError error() const { return *m_error; }
    const JsonTree &tree() const { return m_tree; }

    // The member's node, or -1 when it is absent or null (both mean "not given").
    int find(const char *key) const
    {
        const int i = m_tree.member(m_object, QLatin1String(key));
        return (i < 0 || m_tree.node(i).kind() == JsonTree::Kind::Null) ? -1 : i;
    }
    bool has(const char *key) const { return find(key) >= 0; }

    QString string(const char *key, bool required = true)
    {
        const int i = find(key);
        if (i < 0) {
            if (required)
                missing(key);
            return {};
        }
        if (m_tree.node(i).kind() != JsonTree::Kind::String) {
            setError(ErrorCode::BadField,
                     QStringLiteral("Field '%1' must be a string").arg(QLatin1String(key)));
            return {};
        }
        return m_tree.string(i);
    }

    // JSON numbers are doubles; accept only integral values that fit exactly.
    std::optional<qint64> integer(const char *key, bool required = true, qint64 min = 0,
                                  qint64 max = (qint64(1) << 53))
    {
        const int i = find(key);
        if (i < 0) {
            if (required)
                missing(key);
            return std::nullopt;
        }
        const JsonTree::Node &n = m_tree.node(i);
        const double d = n.number();
        if (n.kind() != JsonTree::Kind::Number || std::floor(d) != d || d < double(min) || d > double(max)) {
            setError(ErrorCode::BadField, QStringLiteral("Field '%1' must be an integer between %2 and %3")
                                              .arg(QLatin1String(key))
                                              .arg(min)
                                              .arg(max));
            return std::nullopt;
        }
        return qint64(d);
    }

    bool boolean(const char *key)
    {
        const int i = find(key);
        if (i < 0)
            return false;
        const JsonTree::Kind kind = m_tree.node(i).kind();
        if (kind != JsonTree::Kind::True && kind != JsonTree::Kind::False) {
            setError(ErrorCode::BadField,
                     QStringLiteral("Field '%1' must be a boolean").arg(QLatin1String(key)));
            return false;
        }
        return kind == JsonTree::Kind::True;
    }

    // The array's elements as node indexes.
    std::optional<std::vector<int>> array(const char *key, bool required = true)
    {
        const int i = find(key);
        if (i < 0) {
            if (required)
                missing(key);
            return std::nullopt;
        }
        if (m_tree.node(i).kind() != JsonTree::Kind::Array) {
            setError(ErrorCode::BadField,
                     QStringLiteral("Field '%1' must be an array").arg(QLatin1String(key)));
            return std::nullopt;
        }
        std::vector<int> out;
        for (int e = m_tree.node(i).child(); e >= 0; e = m_tree.node(e).next())
            out.push_back(e);
        return out;
    }

    std::optional<QStringList> stringList(const char *key, bool required = true)
    {
        const auto a = array(key, required);
        if (!a)
            return std::nullopt;
        QStringList out;
        out.reserve(qsizetype(a->size()));
        for (int e : *a) {
            if (m_tree.node(e).kind() != JsonTree::Kind::String) {
                setError(ErrorCode::BadField,
                         QStringLiteral("Field '%1' must hold only strings").arg(QLatin1String(key)));
                return std::nullopt;
            }
            out.append(m_tree.string(e));
        }
        return out;
    }

    QString name(const char *key, int maxChars, const QString &what)
    {
        const QString raw = string(key);
        if (!ok())
            return {};
        auto v = validateName(raw, maxChars, what);
        if (auto *e = std::get_if<DecodeError>(&v)) {
            setError(e->code, e->message);
            return {};
        }
        return std::get<QString>(v);
    }

    // Bounded by UTF-8 size, since that is what crosses the wire and what a server stores.
    QString boundedText(const char *key, int maxBytes, bool required = true)
    {
        const QString s = string(key, required);
        if (!ok())
            return {};
        if (required && s.isEmpty()) {
            setError(ErrorCode::BadField,
                     QStringLiteral("Field '%1' must not be empty").arg(QLatin1String(key)));
            return {};
        }
        // A UTF-16 unit is at most 3 UTF-8 bytes: only long strings need the exact count.
        if (s.size() > maxBytes || (s.size() * 3 > maxBytes && utf8Size(s) > maxBytes)) {
            setError(
                ErrorCode::TooLong,
                QStringLiteral("Field '%1' is longer than %2 bytes").arg(QLatin1String(key)).arg(maxBytes));
            return {};
        }
        return s;
    }

    QString optionalId(const char *key, int maxChars)
    {
        const bool given = has(key);
        const QString s = string(key, false);
        if (!ok() || !given)
            return s;
        if (s.isEmpty() || s.size() > maxChars) {
            setError(ErrorCode::BadField, QStringLiteral("Field '%1' must be 1 to %2 characters")
                                              .arg(QLatin1String(key))
                                              .arg(maxChars));
            return {};
        }
        return s;
    }

    void setError(ErrorCode code, const QString &message)
    {
        if (!m_error)
            m_error = DecodeError{code, message};
    }

private:
    void missing(const char *key)
    {
        setError(ErrorCode::MissingField, QStringLiteral("Missing field '%1'").arg(QLatin1String(key)));
    }

    static qsizetype utf8Size(const QString &s)
    {
        qsizetype n = 0;
        for (const QChar c : s) {
            const char16_t u = c.unicode();
            // A surrogate pair is 4 bytes in UTF-8: 2 for each half.
            n += u < 0x80 ? 1 : u < 0x800 ? 2 : (u >= 0xD800 && u < 0xE000) ? 2 : 3;
        }
        return n;
    }

    const JsonTree &m_tree;
    int m_object;
    std::optional<DecodeError> m_error;
};

template<typename T>
Decoded<T> finish(Reader &r, T value)
{
    if (!r.ok())
        return r.error();
    return value;
}

QByteArray toJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonArray toArray(const QStringList &list)
{
    QJsonArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

void putIfSet(QJsonObject &o, const char *key, const QString &value)
{
    if (!value.isEmpty())
        o.insert(QLatin1String(key), value);
}

QJsonArray reactionsToJson(const QList<Reaction> &reactions)
{
    QJsonArray a;
    for (const Reaction &r : reactions)
        a.append(
            QJsonObject{{QStringLiteral("emoji"), r.emoji}, {QStringLiteral("users"), toArray(r.users)}});
    return a;
}

void putConversationFields(QJsonObject &o, const ChatMessage &m)
{
    if (m.replyTo > 0)
        o.insert(QStringLiteral("replyTo"), double(m.replyTo));
    if (m.edited > 0)
        o.insert(QStringLiteral("edited"), double(m.edited));
    if (m.deleted > 0)
        o.insert(QStringLiteral("deleted"), double(m.deleted));
    if (!m.reactions.isEmpty())
        o.insert(QStringLiteral("reactions"), reactionsToJson(m.reactions));
    if (!m.mentions.isEmpty())
        o.insert(QStringLiteral("mentions"), toArray(m.mentions));
}

QJsonObject chatToJson(const ChatMessage &m)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("chatMessage")},
                  {QStringLiteral("user"), m.user},
                  {QStringLiteral("text"), m.text},
                  {QStringLiteral("timestamp"), double(m.timestamp)}};
    putIfSet(o, "id", m.id);
    if (m.seq > 0)
        o.insert(QStringLiteral("seq"), double(m.seq));
    putIfSet(o, "room", m.room);
    if (m.file) {
        QJsonObject file{{QStringLiteral("name"), m.file->name},
                         {QStringLiteral("size"), double(m.file->size)}};
        putIfSet(file, "transferId", m.file->transferId);
        putIfSet(file, "mimeType", m.file->mimeType);
        o.insert(QStringLiteral("file"), file);
    }
    putConversationFields(o, m);
    return o;
}

// Room names are at most maxRoomChars characters, so at most four bytes each in UTF-8.
int roomBytes(const Limits &limits)
{
    return limits.maxRoomChars * 4;
}

// `reactions` of a message: what a client keeps is bounded like the server's own sets.
QList<Reaction> reactionsFromJson(Reader &r, const Limits &limits)
{
    QList<Reaction> out;
    const auto a = r.array("reactions", false);
    if (!a)
        return out;
    if (int(a->size()) > limits.maxReactionEmoji) {
        r.setError(ErrorCode::TooLong, QStringLiteral("Field 'reactions' holds too many emoji"));
        return out;
    }
    qsizetype users = 0;
    for (int e : *a) {
        Reader rr(r.tree(), e);
        Reaction reaction{rr.boundedText("emoji", limits.maxEmojiBytes), {}};
        // Counted before any name is copied: a server holds at most this many on one message.
        if (const auto names = rr.array("users"); rr.ok() && names) {
            users += qsizetype(names->size());
            if (users > limits.maxReactionsPerMessage)
                rr.setError(ErrorCode::TooLong, QStringLiteral("Field 'users' holds more than %1 reactions")
                                                    .arg(limits.maxReactionsPerMessage));
        }
        const QStringList names = rr.ok() ? rr.stringList("users").value_or(QStringList()) : QStringList();
        if (!rr.ok()) {
            r.setError(rr.error().code, QStringLiteral("In 'reactions': %1").arg(rr.error().message));
            return {};
        }
        // Each user holds each emoji once: a repeated name is a server's mistake, shown once.
        QSet<QString> seen;
        for (const QString &name : names) {
            if (!seen.contains(name)) {
                seen.insert(name);
                reaction.users.append(name);
            }
        }
        out.append(reaction);
    }
    return out;
}

void readFileRecord(Reader &r, ChatMessage &m, const Limits &limits)
{
    const int file = r.find("file");
    if (file < 0 || !r.ok())
        return;
    const JsonTree &tree = r.tree();
    if (tree.node(file).kind() != JsonTree::Kind::Object)
        r.setError(ErrorCode::BadField, QStringLiteral("Field 'file' must be an object"));
    Reader f(tree, file);
    FileRecord record;
    record.transferId = f.optionalId("transferId", limits.maxIdChars);
    record.name = f.boundedText("name", limits.maxFileNameBytes);
    record.size = f.integer("size").value_or(0);
    record.mimeType = f.string("mimeType", false);
    if (record.mimeType.size() > limits.maxMimeTypeChars)
        f.setError(ErrorCode::TooLong, QStringLiteral("Field 'mimeType' is too long"));
    if (!f.ok())
        r.setError(f.error().code, QStringLiteral("In 'file': %1").arg(f.error().message));
    m.file = record;
}

void readConversationFields(Reader &r, ChatMessage &m, const Limits &limits)
{
    m.replyTo = r.integer("replyTo", false, 1).value_or(0);
    m.edited = r.integer("edited", false).value_or(0);
    m.deleted = r.integer("deleted", false).value_or(0);
    if (r.ok())
        m.reactions = reactionsFromJson(r, limits);
    m.mentions = r.stringList("mentions", false).value_or(QStringList());
    if (m.mentions.size() > limits.maxMentions)
        r.setError(ErrorCode::TooLong, QStringLiteral("Field 'mentions' names too many users"));
}

Decoded<ChatMessage> chatFromJson(const JsonTree &tree, int object, const Limits &limits)
{
    Reader r(tree, object);
    ChatMessage m;
    m.user = r.string("user", false); // the guides' server sends null before a name is set
    m.text = r.boundedText("text", limits.maxTextBytes, false);
    m.timestamp = r.integer("timestamp", false).value_or(0);
    m.id = r.optionalId("id", limits.maxIdChars);
    m.seq = r.integer("seq", false, 1).value_or(0);
    m.room = r.boundedText("room", roomBytes(limits), false);
    readFileRecord(r, m, limits);
    readConversationFields(r, m, limits);
    return finish(r, m);
}

// ---- client message encoders ----

struct ClientEncoder
{
    QJsonObject operator()(const Hello &m) const
    {
        // No empty `client`: a field the sender did not write could push a message that was
        // just within the JSON caps over them (found by fuzz_decode_client).
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("hello")},
                      {QStringLiteral("features"), toArray(m.features)}};
        if (!m.client.isEmpty())
            o.insert(QStringLiteral("client"), m.client);
        return o;
    }
    QJsonObject operator()(const SetUsername &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("setUsername")},
                      {QStringLiteral("username"), m.username}};
        putIfSet(o, "nameToken", m.nameToken);
        return o;
    }
    QJsonObject operator()(const JoinRoom &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("joinRoom")}, {QStringLiteral("room"), m.room}};
        if (m.since)
            o.insert(QStringLiteral("since"), double(*m.since));
        putIfSet(o, "epoch", m.epoch);
        return o;
    }
    QJsonObject operator()(const LeaveRoom &) const
    {
        return {{QStringLiteral("type"), QStringLiteral("leaveRoom")}};
    }
    QJsonObject operator()(const SendChat &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("chatMessage")},
                      {QStringLiteral("text"), m.text}};
        putIfSet(o, "id", m.id);
        if (m.replyTo > 0)
            o.insert(QStringLiteral("replyTo"), double(m.replyTo));
        return o;
    }
    QJsonObject operator()(const EditMessage &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("editMessage")},
                {QStringLiteral("seq"), double(m.seq)},
                {QStringLiteral("text"), m.text}};
    }
    QJsonObject operator()(const DeleteMessage &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("deleteMessage")},
                {QStringLiteral("seq"), double(m.seq)}};
    }
    QJsonObject operator()(const React &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("react")},
                {QStringLiteral("seq"), double(m.seq)},
                {QStringLiteral("emoji"), m.emoji},
                {QStringLiteral("add"), m.add}};
    }
    QJsonObject operator()(const Typing &) const
    {
        return {{QStringLiteral("type"), QStringLiteral("typing")}};
    }
    QJsonObject operator()(const Ping &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("ping")},
                {QStringLiteral("timestamp"), double(m.timestamp)}};
    }
    QJsonObject operator()(const ListRooms &) const
    {
        return {{QStringLiteral("type"), QStringLiteral("listRooms")}};
    }
    QJsonObject operator()(const FileStart &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("fileStart")},
                      {QStringLiteral("name"), m.name},
                      {QStringLiteral("size"), double(m.size)},
                      {QStringLiteral("mimeType"), m.mimeType}};
        putIfSet(o, "transferId", m.transferId);
        putIfSet(o, "resumeToken", m.resumeToken);
        return o;
    }
    QJsonObject operator()(const FileEnd &) const
    {
        return {{QStringLiteral("type"), QStringLiteral("fileEnd")}};
    }
    QJsonObject operator()(const FileCancel &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("fileCancel")},
                      {QStringLiteral("transferId"), m.transferId}};
        putIfSet(o, "resumeToken", m.resumeToken);
        return o;
    }
    QJsonObject operator()(const FileDecline &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("fileDecline")},
                {QStringLiteral("stream"), double(m.stream)}};
    }
    QJsonObject operator()(const HistoryRequest &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("history")},
                      {QStringLiteral("room"), m.room},
                      {QStringLiteral("since"), double(m.since)}};
        putIfSet(o, "epoch", m.epoch);
        return o;
    }
    QJsonObject operator()(const HistoryBefore &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("historyBefore")},
                      {QStringLiteral("room"), m.room},
                      {QStringLiteral("before"), double(m.before)}};
        putIfSet(o, "epoch", m.epoch);
        return o;
    }
    QJsonObject operator()(const Auth &m) const
    {
        if (m.usesToken())
            return {{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), m.token}};
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("auth")},
                      {QStringLiteral("username"), m.username},
                      {QStringLiteral("password"), m.password}};
        if (m.registerAccount)
            o.insert(QStringLiteral("register"), true);
        return o;
    }
    QJsonObject operator()(const Logout &) const
    {
        return {{QStringLiteral("type"), QStringLiteral("logout")}};
    }
};

// ---- server message encoders ----

struct ServerEncoder
{
    QJsonObject operator()(const Connected &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("connected")},
                      {QStringLiteral("clientId"), m.clientId}};
        if (m.protocol > 0) {
            o.insert(QStringLiteral("server"), m.server);
            o.insert(QStringLiteral("protocol"), m.protocol);
            o.insert(QStringLiteral("features"), toArray(m.features));
            o.insert(QStringLiteral("maxMessageBytes"), double(m.maxMessageBytes));
            o.insert(QStringLiteral("maxFileBytes"), double(m.maxFileBytes));
            o.insert(QStringLiteral("historyLimit"), m.historyLimit);
            o.insert(QStringLiteral("heartbeatMs"), double(m.heartbeatMs));
            if (m.idWindowMs > 0)
                o.insert(QStringLiteral("idWindowMs"), double(m.idWindowMs));
            putIfSet(o, "auth", m.auth);
            if (m.auth == AuthMode::Accounts)
                o.insert(QStringLiteral("registration"), m.registration);
            putIfSet(o, "username", m.username);
        }
        return o;
    }
    QJsonObject operator()(const UsernameSet &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("usernameSet")},
                      {QStringLiteral("username"), m.username}};
        putIfSet(o, "nameToken", m.nameToken);
        return o;
    }
    QJsonObject operator()(const RoomJoined &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("roomJoined")},
                      {QStringLiteral("room"), m.room},
                      {QStringLiteral("userCount"), m.userCount}};
        if (m.users)
            o.insert(QStringLiteral("users"), toArray(*m.users));
        if (m.history) {
            QJsonArray a;
            for (const ChatMessage &c : *m.history)
                a.append(chatToJson(c));
            o.insert(QStringLiteral("history"), a);
        }
        if (m.lastSeq)
            o.insert(QStringLiteral("lastSeq"), double(*m.lastSeq));
        if (m.historyTruncated)
            o.insert(QStringLiteral("historyTruncated"), true);
        if (m.historyMore)
            o.insert(QStringLiteral("historyMore"), true);
        putIfSet(o, "epoch", m.epoch);
        return o;
    }
    QJsonObject operator()(const UserJoined &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("userJoined")},
                {QStringLiteral("user"), m.user},
                {QStringLiteral("room"), m.room},
                {QStringLiteral("userCount"), m.userCount}};
    }
    QJsonObject operator()(const UserLeft &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("userLeft")},
                      {QStringLiteral("user"), m.user},
                      {QStringLiteral("userCount"), m.userCount}};
        putIfSet(o, "room", m.room);
        return o;
    }
    QJsonObject operator()(const ChatMessage &m) const { return chatToJson(m); }
    QJsonObject operator()(const UserTyping &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("userTyping")},
                      {QStringLiteral("user"), m.user}};
        putIfSet(o, "room", m.room);
        return o;
    }
    QJsonObject operator()(const Error &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("error")},
                      {QStringLiteral("message"), m.message}};
        putIfSet(o, "code", m.code);
        putIfSet(o, "transferId", m.transferId);
        putIfSet(o, "id", m.id);
        if (m.retryAfterMs > 0)
            o.insert(QStringLiteral("retryAfterMs"), double(m.retryAfterMs));
        putIfSet(o, "request", m.request);
        return o;
    }
    QJsonObject operator()(const Pong &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("pong")},
                {QStringLiteral("timestamp"), double(m.timestamp)},
                {QStringLiteral("serverTime"), double(m.serverTime)}};
    }
    QJsonObject operator()(const Ack &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("ack")},
                      {QStringLiteral("id"), m.id},
                      {QStringLiteral("seq"), double(m.seq)},
                      {QStringLiteral("room"), m.room},
                      {QStringLiteral("timestamp"), double(m.timestamp)}};
        if (m.duplicate)
            o.insert(QStringLiteral("duplicate"), true);
        return o;
    }
    QJsonObject operator()(const RoomList &m) const
    {
        QJsonArray a;
        for (const RoomInfo &r : m.rooms)
            a.append(QJsonObject{{QStringLiteral("name"), r.name},
                                 {QStringLiteral("userCount"), r.userCount},
                                 {QStringLiteral("lastSeq"), double(r.lastSeq)},
                                 {QStringLiteral("epoch"), r.epoch}});
        return {{QStringLiteral("type"), QStringLiteral("rooms")}, {QStringLiteral("rooms"), a}};
    }
    QJsonObject operator()(const FileAccepted &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("fileAccepted")},
                      {QStringLiteral("transferId"), m.transferId},
                      {QStringLiteral("nextChunk"), double(m.nextChunk)}};
        putIfSet(o, "resumeToken", m.resumeToken);
        return o;
    }
    QJsonObject operator()(const FileProgress &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("fileProgress")},
                {QStringLiteral("transferId"), m.transferId},
                {QStringLiteral("received"), double(m.received)}};
    }
    QJsonObject operator()(const FileComplete &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("fileComplete")},
                {QStringLiteral("transferId"), m.transferId},
                {QStringLiteral("size"), double(m.size)}};
    }
    QJsonObject operator()(const FileOffer &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("fileOffer")},
                      {QStringLiteral("stream"), double(m.stream)},
                      {QStringLiteral("user"), m.user},
                      {QStringLiteral("room"), m.room},
                      {QStringLiteral("name"), m.name},
                      {QStringLiteral("size"), double(m.size)},
                      {QStringLiteral("mimeType"), m.mimeType}};
        putIfSet(o, "transferId", m.transferId);
        return o;
    }
    QJsonObject operator()(const FileDone &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("fileDone")},
                {QStringLiteral("stream"), double(m.stream)}};
    }
    QJsonObject operator()(const FileAborted &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("fileAborted")},
                {QStringLiteral("stream"), double(m.stream)},
                {QStringLiteral("reason"), m.reason},
                {QStringLiteral("resumable"), m.resumable}};
    }
    QJsonObject operator()(const HistoryPage &m) const
    {
        return page("history", m.room, m.messages, m.more, m.truncated, m.lastSeq, m.epoch);
    }
    QJsonObject operator()(const HistoryBeforePage &m) const
    {
        QJsonObject o = page("historyBefore", m.room, m.messages, m.more, m.truncated, m.lastSeq, m.epoch);
        o.insert(QStringLiteral("before"), double(m.before));
        return o;
    }
    // `history` and `historyBefore` replies: one shape, a page of held messages.
    static QJsonObject page(const char *type, const QString &room, const QList<ChatMessage> &messages,
                            bool more, bool truncated, qint64 lastSeq, const QString &epoch)
    {
        QJsonArray a;
        for (const ChatMessage &c : messages)
            a.append(chatToJson(c));
        QJsonObject o{{QStringLiteral("type"), QLatin1String(type)},
                      {QStringLiteral("room"), room},
                      {QStringLiteral("messages"), a},
                      {QStringLiteral("more"), more},
                      {QStringLiteral("lastSeq"), double(lastSeq)}};
        if (truncated)
            o.insert(QStringLiteral("truncated"), true);
        putIfSet(o, "epoch", epoch);
        return o;
    }
    QJsonObject operator()(const AuthOk &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("authOk")},
                {QStringLiteral("username"), m.username},
                {QStringLiteral("token"), m.token},
                {QStringLiteral("expiresAt"), double(m.expiresAt)}};
    }
    QJsonObject operator()(const LoggedOut &) const
    {
        return {{QStringLiteral("type"), QStringLiteral("loggedOut")}};
    }
    QJsonObject operator()(const ServerStatus &m) const
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("serverStatus")},
                      {QStringLiteral("status"), m.status}};
        if (!m.reason.isEmpty())
            o.insert(QStringLiteral("reason"), m.reason);
        return o;
    }
    QJsonObject operator()(const MessageEdited &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("messageEdited")},
                {QStringLiteral("room"), m.room},
                {QStringLiteral("seq"), double(m.seq)},
                {QStringLiteral("text"), m.text},
                {QStringLiteral("edited"), double(m.edited)},
                {QStringLiteral("mentions"), toArray(m.mentions)}};
    }
    QJsonObject operator()(const MessageDeleted &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("messageDeleted")},
                {QStringLiteral("room"), m.room},
                {QStringLiteral("seq"), double(m.seq)},
                {QStringLiteral("deleted"), double(m.deleted)}};
    }
    QJsonObject operator()(const ReactionsChanged &m) const
    {
        return {{QStringLiteral("type"), QStringLiteral("reactions")},
                {QStringLiteral("room"), m.room},
                {QStringLiteral("seq"), double(m.seq)},
                {QStringLiteral("reactions"), reactionsToJson(m.reactions)}};
    }
};

struct ClientTypeName
{
    QString operator()(const Hello &) const { return QStringLiteral("hello"); }
    QString operator()(const SetUsername &) const { return QStringLiteral("setUsername"); }
    QString operator()(const JoinRoom &) const { return QStringLiteral("joinRoom"); }
    QString operator()(const LeaveRoom &) const { return QStringLiteral("leaveRoom"); }
    QString operator()(const SendChat &) const { return QStringLiteral("chatMessage"); }
    QString operator()(const Typing &) const { return QStringLiteral("typing"); }
    QString operator()(const Ping &) const { return QStringLiteral("ping"); }
    QString operator()(const ListRooms &) const { return QStringLiteral("listRooms"); }
    QString operator()(const FileStart &) const { return QStringLiteral("fileStart"); }
    QString operator()(const FileEnd &) const { return QStringLiteral("fileEnd"); }
    QString operator()(const FileCancel &) const { return QStringLiteral("fileCancel"); }
    QString operator()(const FileDecline &) const { return QStringLiteral("fileDecline"); }
    QString operator()(const HistoryRequest &) const { return QStringLiteral("history"); }
    QString operator()(const Auth &) const { return QStringLiteral("auth"); }
    QString operator()(const Logout &) const { return QStringLiteral("logout"); }
    QString operator()(const HistoryBefore &) const { return QStringLiteral("historyBefore"); }
    QString operator()(const EditMessage &) const { return QStringLiteral("editMessage"); }
    QString operator()(const DeleteMessage &) const { return QStringLiteral("deleteMessage"); }
    QString operator()(const React &) const { return QStringLiteral("react"); }
};

template<typename Message>
Decoded<Message> decodeWith(QStringView json,
                            Decoded<Message> (*byType)(QStringView, const JsonTree &, int, const Limits &),
                            const Limits &limits, int maxValues)
{
    // One leading byte order mark is ignored (RFC 8259 allows it), from bytes and text alike.
    if (json.startsWith(QChar(QChar::ByteOrderMark)))
        json = json.mid(1);
    JsonTree tree;
    if (!tree.parse(json, {maxValues, limits.maxJsonStringUnits, limits.maxJsonNumberChars})) {
        if (tree.refusal() == JsonTree::Refusal::OverLimit)
            return fail(ErrorCode::TooLong,
                        QStringLiteral("Message refused: %1 at offset %2 (at most %3 values, "
                                       "strings of %4 characters, numbers of %5)")
                            .arg(tree.error())
                            .arg(tree.errorOffset())
                            .arg(maxValues)
                            .arg(limits.maxJsonStringUnits)
                            .arg(limits.maxJsonNumberChars));
        return fail(
            ErrorCode::InvalidJson,
            QStringLiteral("Invalid JSON: %1 at offset %2").arg(tree.error()).arg(tree.errorOffset()));
    }
    if (tree.node(tree.root()).kind() != JsonTree::Kind::Object)
        return fail(ErrorCode::NotAnObject, QStringLiteral("A message must be a JSON object"));
    const int type = tree.member(tree.root(), QLatin1String("type"));
    if (type < 0 || tree.node(type).kind() != JsonTree::Kind::String)
        return fail(type < 0 ? ErrorCode::MissingField : ErrorCode::BadField,
                    QStringLiteral("A message needs a string field 'type'"));
    return byType(tree.stringView(type), tree, tree.root(), limits);
}

template<typename Out, typename In>
Decoded<Out> widen(Decoded<In> d)
{
    if (auto *e = std::get_if<DecodeError>(&d))
        return *e;
    return Out(std::move(std::get<In>(d)));
}

Decoded<ClientMessage> clientByType(QStringView type, const JsonTree &tree, int object, const Limits &limits)
{
    Reader r(tree, object);
    if (type == QLatin1String("setUsername")) {
        SetUsername m{r.name("username", limits.maxNameChars, QStringLiteral("User name")), {}};
        if (limits.extensions)
            m.nameToken = r.optionalId("nameToken", limits.maxIdChars);
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("joinRoom")) {
        JoinRoom m;
        m.room = r.name("room", limits.maxRoomChars, QStringLiteral("Room name"));
        if (limits.extensions) {
            m.since = r.integer("since", false);
            m.epoch = r.optionalId("epoch", limits.maxIdChars);
        }
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("leaveRoom"))
        return ClientMessage(LeaveRoom{});
    if (type == QLatin1String("chatMessage")) {
        SendChat m;
        m.text = r.boundedText("text", limits.maxTextBytes);
        if (limits.extensions) {
            m.id = r.optionalId("id", limits.maxIdChars);
            m.replyTo = r.integer("replyTo", false, 1).value_or(0);
        }
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("editMessage")) {
        EditMessage m;
        m.seq = r.integer("seq", true, 1).value_or(0);
        m.text = r.boundedText("text", limits.maxTextBytes);
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("deleteMessage")) {
        DeleteMessage m{r.integer("seq", true, 1).value_or(0)};
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("react")) {
        React m;
        m.seq = r.integer("seq", true, 1).value_or(0);
        m.emoji = r.boundedText("emoji", limits.maxEmojiBytes);
        if (r.ok()) {
            if (const auto error = validateEmoji(m.emoji, limits))
                r.setError(error->code, error->message);
        }
        m.add = r.has("add") ? r.boolean("add") : true;
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("typing"))
        return ClientMessage(Typing{});
    if (type == QLatin1String("ping")) {
        // The guides' clients send Date.now(); accept any integer the client's clock produced.
        Ping m{r.integer("timestamp", true, -(qint64(1) << 53)).value_or(0)};
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("hello")) {
        Hello m;
        m.client = r.string("client", false).left(128);
        m.features = r.stringList("features", false).value_or(QStringList());
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("listRooms"))
        return ClientMessage(ListRooms{});
    if (type == QLatin1String("fileStart")) {
        FileStart m;
        m.name = r.boundedText("name", limits.maxFileNameBytes);
        m.size = r.integer("size").value_or(0);
        m.mimeType = r.string("mimeType", false);
        if (m.mimeType.size() > limits.maxMimeTypeChars)
            r.setError(ErrorCode::TooLong, QStringLiteral("Field 'mimeType' is too long"));
        if (limits.extensions) {
            m.transferId = r.optionalId("transferId", limits.maxIdChars);
            m.resumeToken = r.optionalId("resumeToken", limits.maxIdChars);
        }
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("fileEnd"))
        return ClientMessage(FileEnd{});
    if (type == QLatin1String("fileCancel")) {
        FileCancel m{r.string("transferId"), r.optionalId("resumeToken", limits.maxIdChars)};
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("fileDecline")) {
        FileDecline m{quint32(r.integer("stream", true, 0, 0xffffffffLL).value_or(0))};
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("history")) {
        HistoryRequest m;
        m.room = r.name("room", limits.maxRoomChars, QStringLiteral("Room name"));
        m.since = r.integer("since", true, 0).value_or(0);
        m.epoch = r.optionalId("epoch", limits.maxIdChars);
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("auth")) {
        Auth m;
        if (r.has("token")) {
            m.token = r.optionalId("token", MaxTokenChars);
        } else {
            // Checked by the server, not here: a name that is not one simply fails to log in.
            m.username = r.boundedText("username", limits.maxNameChars * 8);
            m.password = r.string("password");
            m.registerAccount = r.boolean("register");
        }
        return widen<ClientMessage>(finish(r, m));
    }
    if (type == QLatin1String("logout"))
        return ClientMessage(Logout{});
    if (type == QLatin1String("historyBefore")) {
        HistoryBefore m;
        m.room = r.name("room", limits.maxRoomChars, QStringLiteral("Room name"));
        m.before = r.integer("before", true, 1).value_or(1);
        m.epoch = r.optionalId("epoch", limits.maxIdChars);
        return widen<ClientMessage>(finish(r, m));
    }
    return fail(ErrorCode::UnknownType,
                QStringLiteral("Unknown message type '%1'").arg(type.left(64).toString()));
}

// The fields `history` and `historyBefore` replies share (PROTOCOL.md 2), read one way.
template<typename Page>
void readPage(Reader &r, const JsonTree &tree, const Limits &limits, Page &m)
{
    m.room = r.boundedText("room", roomBytes(limits));
    m.more = r.boolean("more");
    m.truncated = r.boolean("truncated");
    m.lastSeq = r.integer("lastSeq", false).value_or(0);
    m.epoch = r.optionalId("epoch", limits.maxIdChars);
    if (auto a = r.array("messages")) {
        m.messages.reserve(qsizetype(a->size()));
        for (int e : *a) {
            auto c = chatFromJson(tree, e, limits);
            if (auto *error = std::get_if<DecodeError>(&c)) {
                r.setError(error->code, QStringLiteral("In 'messages': %1").arg(error->message));
                break;
            }
            m.messages.append(std::get<ChatMessage>(c));
        }
    }
}

Decoded<HistoryBeforePage> historyBeforeByType(QStringView type, const JsonTree &tree, int object,
                                               const Limits &limits);

Decoded<ServerMessage> serverByType(QStringView type, const JsonTree &tree, int object, const Limits &limits)
{
    Reader r(tree, object);
    if (type == QLatin1String("connected")) {
        Connected m;
        m.clientId = r.string("clientId");
        m.server = r.string("server", false);
        m.protocol = int(r.integer("protocol", false, 0, 1 << 30).value_or(0));
        m.features = r.stringList("features", false).value_or(QStringList());
        m.maxMessageBytes = r.integer("maxMessageBytes", false).value_or(0);
        m.maxFileBytes = r.integer("maxFileBytes", false).value_or(0);
        m.historyLimit = int(r.integer("historyLimit", false, 0, 1 << 30).value_or(0));
        m.heartbeatMs = r.integer("heartbeatMs", false).value_or(0);
        m.idWindowMs = r.integer("idWindowMs", false, 0).value_or(0);
        m.auth = r.string("auth", false).left(32);
        m.registration = r.boolean("registration");
        m.username = r.string("username", false);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("usernameSet")) {
        UsernameSet m{r.string("username"), r.optionalId("nameToken", limits.maxIdChars)};
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("roomJoined")) {
        RoomJoined m;
        m.room = r.boundedText("room", roomBytes(limits));
        m.userCount = int(r.integer("userCount", false, 0, 1 << 30).value_or(0));
        m.users = r.stringList("users", false);
        m.lastSeq = r.integer("lastSeq", false);
        m.historyTruncated = r.boolean("historyTruncated");
        m.historyMore = r.boolean("historyMore");
        m.epoch = r.optionalId("epoch", limits.maxIdChars);
        if (auto a = r.array("history", false)) {
            QList<ChatMessage> history;
            history.reserve(qsizetype(a->size()));
            for (int e : *a) {
                auto c = chatFromJson(tree, e, limits);
                if (auto *e = std::get_if<DecodeError>(&c)) {
                    r.setError(e->code, QStringLiteral("In 'history': %1").arg(e->message));
                    break;
                }
                history.append(std::get<ChatMessage>(c));
            }
            m.history = history;
        }
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("userJoined")) {
        UserJoined m;
        m.user = r.string("user", false);
        m.room = r.boundedText("room", roomBytes(limits), false);
        m.userCount = int(r.integer("userCount", false, 0, 1 << 30).value_or(0));
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("userLeft")) {
        UserLeft m;
        m.user = r.string("user", false);
        m.userCount = int(r.integer("userCount", false, 0, 1 << 30).value_or(0));
        m.room = r.boundedText("room", roomBytes(limits), false);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("chatMessage"))
        return widen<ServerMessage>(chatFromJson(tree, object, limits));
    if (type == QLatin1String("userTyping")) {
        UserTyping m;
        m.user = r.string("user", false);
        m.room = r.boundedText("room", roomBytes(limits), false);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("error")) {
        Error m;
        m.message = r.string("message", false);
        m.code = r.string("code", false);
        m.transferId = r.string("transferId", false);
        m.id = r.optionalId("id", limits.maxIdChars);
        // A day at most: a server cannot make a client wait for ever.
        m.retryAfterMs = r.integer("retryAfterMs", false, 0, 24 * 3600 * 1000).value_or(0);
        m.request = r.string("request", false).left(64);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("pong")) {
        Pong m;
        m.timestamp = r.integer("timestamp", true, -(qint64(1) << 53)).value_or(0);
        m.serverTime = r.integer("serverTime", false).value_or(0);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("ack")) {
        Ack m;
        m.id = r.optionalId("id", limits.maxIdChars);
        if (r.ok() && m.id.isEmpty())
            r.setError(ErrorCode::MissingField, QStringLiteral("Missing field 'id'"));
        m.seq = r.integer("seq").value_or(0);
        m.room = r.boundedText("room", roomBytes(limits), false);
        m.timestamp = r.integer("timestamp", false).value_or(0);
        m.duplicate = r.boolean("duplicate");
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("rooms")) {
        RoomList m;
        if (auto a = r.array("rooms")) {
            for (int e : *a) {
                Reader rr(tree, e);
                RoomInfo info{rr.string("name"), int(rr.integer("userCount", false, 0, 1 << 30).value_or(0)),
                              rr.integer("lastSeq", false).value_or(0), rr.string("epoch", false)};
                if (!rr.ok()) {
                    r.setError(rr.error().code, QStringLiteral("In 'rooms': %1").arg(rr.error().message));
                    break;
                }
                m.rooms.append(info);
            }
        }
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("fileAccepted")) {
        FileAccepted m;
        m.transferId = r.string("transferId");
        m.nextChunk = quint32(r.integer("nextChunk", true, 0, 0xffffffffLL).value_or(0));
        m.resumeToken = r.optionalId("resumeToken", limits.maxIdChars);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("fileProgress")) {
        FileProgress m;
        m.transferId = r.string("transferId");
        m.received = quint32(r.integer("received", true, 0, 0xffffffffLL).value_or(0));
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("fileComplete")) {
        FileComplete m;
        m.transferId = r.string("transferId");
        m.size = r.integer("size", false).value_or(0);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("fileOffer")) {
        FileOffer m;
        m.stream = quint32(r.integer("stream", true, 0, 0xffffffffLL).value_or(0));
        m.transferId = r.string("transferId", false);
        m.user = r.string("user", false);
        m.room = r.boundedText("room", roomBytes(limits), false);
        m.name = r.boundedText("name", limits.maxFileNameBytes);
        m.size = r.integer("size").value_or(0);
        m.mimeType = r.string("mimeType", false);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("fileDone")) {
        FileDone m{quint32(r.integer("stream", true, 0, 0xffffffffLL).value_or(0))};
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("fileAborted")) {
        FileAborted m;
        m.stream = quint32(r.integer("stream", true, 0, 0xffffffffLL).value_or(0));
        m.reason = r.string("reason", false);
        m.resumable = r.boolean("resumable");
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("authOk")) {
        AuthOk m;
        m.username = r.string("username");
        m.token = r.optionalId("token", MaxTokenChars);
        if (r.ok() && m.token.isEmpty())
            r.setError(ErrorCode::MissingField, QStringLiteral("Missing field 'token'"));
        m.expiresAt = r.integer("expiresAt", false).value_or(0);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("loggedOut"))
        return ServerMessage(LoggedOut{});
    if (type == QLatin1String("serverStatus")) {
        ServerStatus m;
        m.status = r.boundedText("status", 64);
        m.reason = r.boundedText("reason", limits.maxTextBytes, false);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("messageEdited")) {
        MessageEdited m;
        m.room = r.boundedText("room", roomBytes(limits));
        m.seq = r.integer("seq", true, 1).value_or(0);
        m.text = r.boundedText("text", limits.maxTextBytes);
        m.edited = r.integer("edited", false).value_or(0);
        m.mentions = r.stringList("mentions", false).value_or(QStringList());
        if (m.mentions.size() > limits.maxMentions) // as in chatMessage
            r.setError(ErrorCode::TooLong, QStringLiteral("Field 'mentions' names too many users"));
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("messageDeleted")) {
        MessageDeleted m;
        m.room = r.boundedText("room", roomBytes(limits));
        m.seq = r.integer("seq", true, 1).value_or(0);
        m.deleted = r.integer("deleted", false).value_or(0);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("reactions")) {
        ReactionsChanged m;
        m.room = r.boundedText("room", roomBytes(limits));
        m.seq = r.integer("seq", true, 1).value_or(0);
        m.reactions = reactionsFromJson(r, limits);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("history")) {
        HistoryPage m;
        readPage(r, tree, limits, m);
        return widen<ServerMessage>(finish(r, m));
    }
    if (type == QLatin1String("historyBefore"))
        return widen<ServerMessage>(historyBeforeByType(type, tree, object, limits));
    return fail(ErrorCode::UnknownType,
                QStringLiteral("Unknown message type '%1'").arg(type.left(64).toString()));
}

Decoded<HistoryBeforePage> historyBeforeByType(QStringView type, const JsonTree &tree, int object,
                                               const Limits &limits)
{
    if (type != QLatin1String("historyBefore"))
        return fail(ErrorCode::UnknownType,
                    QStringLiteral("Unknown message type '%1'").arg(type.left(64).toString()));
    Reader r(tree, object);
    HistoryBeforePage m;
    m.before = r.integer("before", true, 1).value_or(1);
    readPage(r, tree, limits, m);
    return finish(r, m);
}

} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const CodeName &c : kCodeNames) {
        if (c.code == code)
            return QLatin1String(c.name);
    }
    return QStringLiteral("internal");
}

std::optional<ErrorCode> errorCodeFromName(const QString &name)
{
    for (const CodeName &c : kCodeNames) {
        if (name == QLatin1String(c.name))
            return c.code;
    }
    return std::nullopt;
}

namespace {

// Letters and symbols that draw nothing (or only blank space): a name made of them, or one that
// hides them, looks like another name or like no name at all. Their categories (Lo, So, Mn) are
// otherwise allowed, so they are listed one by one.
bool isInvisibleFiller(char32_t c)
{
    switch (c) {
    case 0x115F:  // HANGUL CHOSEONG FILLER (Lo)
    case 0x1160:  // HANGUL JUNGSEONG FILLER (Lo)
    case 0x3164:  // HANGUL FILLER (Lo)
    case 0xFFA0:  // HALFWIDTH HANGUL FILLER (Lo)
    case 0x2800:  // BRAILLE PATTERN BLANK (So): a symbol that is drawn as an empty cell
    case 0x17B4:  // KHMER VOWEL INHERENT AQ (Mn): invisible, deprecated by Unicode
    case 0x17B5:  // KHMER VOWEL INHERENT AA (Mn): invisible, deprecated by Unicode
    case 0x034F:  // COMBINING GRAPHEME JOINER (Mn): invisible
    case 0x1D159: // MUSICAL SYMBOL NULL NOTEHEAD (So): drawn as nothing
    case 0xFFFC:  // OBJECT REPLACEMENT CHARACTER (So): a placeholder, not text
    case 0xFFFD:  // REPLACEMENT CHARACTER (So): what broken encodings decode to
        return true;
    default:
        return false;
    }
}

// Variation selectors (Mn) only choose how the character before them is drawn ("❤" or "❤️"):
// allowed after a character, ignored by nameKey(), so they cannot make a look-alike room.
bool isVariationSelector(char32_t c)
{
    return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) || (c >= 0x180B && c <= 0x180D) ||
           c == 0x180F;
}

bool isMark(QChar::Category cat)
{
    return cat == QChar::Mark_NonSpacing || cat == QChar::Mark_SpacingCombining ||
           cat == QChar::Mark_Enclosing;
}

// Why `name` (already trimmed) is not a legal name, or an empty string if it is. Walks code points,
// so characters outside the BMP and lone surrogates are judged as what they are.
QString nameProblem(QStringView name, int maxChars, qsizetype *codePoints)
{
    qsizetype count = 0;
    char32_t previous = 0;
    for (qsizetype i = 0; i < name.size(); ++i) {
        char32_t c = name[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < name.size() && name[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(name[i], name[i + 1]);
            ++i;
        }
        ++count;
        const QChar::Category cat = QChar::category(c);
        switch (cat) {
        case QChar::Other_Control:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph:
            return QStringLiteral("must not contain control characters");
        case QChar::Other_Format:
            return QStringLiteral("must not contain invisible formatting characters");
        case QChar::Other_Surrogate:
            return QStringLiteral("must not contain a lone surrogate");
        case QChar::Other_PrivateUse:
            return QStringLiteral("must not contain private-use characters");
        case QChar::Other_NotAssigned:
            return QStringLiteral("must not contain unassigned characters");
        case QChar::Separator_Space:
            // Only the plain space, one at a time: other spaces and runs of spaces make names
            // that look the same but are not.
            if (c != U' ')
                return QStringLiteral("must use only plain spaces");
            if (previous == U' ')
                return QStringLiteral("must not contain two spaces in a row");
            break;
        default:
            if (isInvisibleFiller(c))
                return QStringLiteral("must not contain invisible characters");
            // A leading mark would combine with whatever is printed before the name.
            if (count == 1 && isMark(cat))
                return QStringLiteral("must not start with a combining mark");
            break;
        }
        previous = c;
    }
    *codePoints = count;
    if (count > maxChars)
        return QStringLiteral("must be at most %1 characters").arg(maxChars);
    return {};
}

// A code point an emoji sequence can start from or join on to (UTS #51): a non-ASCII symbol
// other than a modifier (skin tones modify the base before them).
bool isEmojiBase(uint c)
{
    const QChar::Category cat = QChar::category(c);
    return c >= 0x80 &&
           (cat == QChar::Symbol_Math || cat == QChar::Symbol_Currency || cat == QChar::Symbol_Other);
}

bool isTagCharacter(uint c)
{
    return c >= 0xE0020 && c <= 0xE007F;
}

// What makes `points` (one grapheme) other than an emoji sequence as Unicode writes them, or
// empty. Each look-alike refused here (a second selector, a trailing joiner, tags after any
// emoji, a keycap mark on anything but a digit, # or *) would let one user hold many copies of
// one emoji on a message.
QString emojiSequenceProblem(const QList<uint> &points)
{
    const qsizetype n = points.size();
    if (points.contains(0x20E3)) { // keycap: [0-9#*] U+FE0F? U+20E3, nothing else
        const uint base = points.constFirst();
        const bool digit = (base >= U'0' && base <= U'9') || base == U'#' || base == U'*';
        if (!digit || points.constLast() != 0x20E3 || (n != 2 && !(n == 3 && points.at(1) == 0xFE0F)))
            return QStringLiteral("must be a keycap only as a digit, # or * before U+20E3");
        return {};
    }
    const auto tag = std::find_if(points.cbegin(), points.cend(), isTagCharacter);
    if (tag != points.cend()) { // a tag sequence (a subdivision flag): U+1F3F4, tags, U+E007F
        const bool shape =
            points.constFirst() == 0x1F3F4 && tag == points.cbegin() + 1 && n >= 3 &&
            points.constLast() == 0xE007F &&
            std::all_of(tag, points.cend() - 1, [](uint c) { return isTagCharacter(c) && c != 0xE007F; });
        if (!shape)
            return QStringLiteral("must hold tag characters only in a flag's tag sequence");
        return {};
    }
    int selectors = 0; // since the last base
    for (qsizetype i = 0; i < n; ++i) {
        const uint c = points.at(i);
        if (c == 0x034F) // the combining grapheme joiner draws nothing
            return QStringLiteral("must not hold a combining grapheme joiner");
        if (c == 0x200D) {
            if (i == 0 || i == n - 1 || points.at(i - 1) == 0x200D || !isEmojiBase(points.at(i + 1)))
                return QStringLiteral("must hold a zero-width joiner only between two emoji");
        } else if (isVariationSelector(char32_t(c))) {
            if (i == 0 || points.at(i - 1) == 0x200D || ++selectors > 1)
                return QStringLiteral("must hold at most one variation selector after each emoji");
        } else if (isEmojiBase(c)) {
            selectors = 0;
        }
    }
    return {};
}

} // namespace

std::optional<DecodeError> validateEmoji(const QString &emoji, const Limits &limits)
{
    const auto bad = [](const QString &why) {
        return DecodeError{ErrorCode::BadField, QStringLiteral("Field 'emoji' %1").arg(why)};
    };
    // A lone surrogate (JSON may escape one) is no character: UTF-8 cannot even write it.
    for (qsizetype i = 0; i < emoji.size(); ++i) {
        if (emoji.at(i).isHighSurrogate() && i + 1 < emoji.size() && emoji.at(i + 1).isLowSurrogate())
            ++i;
        else if (emoji.at(i).isSurrogate())
            return bad(QStringLiteral("must be valid UTF-16"));
    }
    const QByteArray utf8 = emoji.toUtf8();
    if (utf8.isEmpty() || utf8.size() > limits.maxEmojiBytes)
        return bad(QStringLiteral("must be 1 to %1 bytes of UTF-8").arg(limits.maxEmojiBytes));
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, emoji);
    if (graphemes.toNextBoundary() != emoji.size())
        return bad(QStringLiteral("must be one emoji"));
    const QList<uint> points = emoji.toUcs4();
    const bool keycap = points.contains(0x20E3);
    const QChar::Category first = QChar::category(points.constFirst());
    const bool symbolFirst = first == QChar::Symbol_Math || first == QChar::Symbol_Currency ||
                             first == QChar::Symbol_Modifier || first == QChar::Symbol_Other;
    if (!keycap && (!symbolFirst || points.constFirst() < 0x80))
        return bad(QStringLiteral("must be an emoji, not text")); // nor a lone mark, nor ASCII
    if (const QString problem = emojiSequenceProblem(points); !problem.isEmpty())
        return bad(problem);
    for (const uint c : points) {
        const char32_t cp = char32_t(c);
        const QChar::Category cat = QChar::category(c);
        if (cp == 0x200D || isVariationSelector(cp) || isTagCharacter(c))
            continue; // placed by emojiSequenceProblem: joiner, selectors, a flag's tags
        const bool keycapBase = keycap && (cp == U'#' || cp == U'*' || (cp >= U'0' && cp <= U'9'));
        if (keycapBase)
            continue;
        switch (cat) {
        case QChar::Symbol_Math:
        case QChar::Symbol_Currency:
        case QChar::Symbol_Modifier:
        case QChar::Symbol_Other:
        case QChar::Mark_NonSpacing:
        case QChar::Mark_Enclosing:
            break;
        default:
            return bad(QStringLiteral("must be an emoji, not text"));
        }
        if (isInvisibleFiller(cp))
            return bad(QStringLiteral("must be an emoji, not text"));
    }
    return std::nullopt;
}

std::variant<QString, DecodeError> validateName(const QString &raw, int maxChars, const QString &what)
{
    const QString trimmed = raw.trimmed();
    if (trimmed.isEmpty())
        return fail(ErrorCode::InvalidName, QStringLiteral("%1 must not be empty").arg(what));
    // Bounds the work of normalising: NFC never takes more than a few code units per character.
    if (trimmed.size() > qsizetype(maxChars) * 8)
        return fail(ErrorCode::InvalidName,
                    QStringLiteral("%1 must be at most %2 characters").arg(what).arg(maxChars));
    qsizetype codePoints = 0;
    // Checked before normalising too, so that normalisation never sees a lone surrogate.
    QString problem = nameProblem(trimmed, maxChars * 8, &codePoints);
    if (!problem.isEmpty())
        return fail(ErrorCode::InvalidName, what + QLatin1Char(' ') + problem);
    const QString name = trimmed.normalized(QString::NormalizationForm_C);
    problem = nameProblem(name, maxChars, &codePoints);
    if (!problem.isEmpty())
        return fail(ErrorCode::InvalidName, what + QLatin1Char(' ') + problem);
    return name;
}

QString nameKey(const QString &name)
{
    // NFKC folds compatibility forms (full-width letters, ligatures, superscripts) so they cannot
    // make a look-alike; case folding can undo normalisation (e.g. U+01F0), so NFKC again after it.
    const QString folded = name.normalized(QString::NormalizationForm_KC)
                               .toCaseFolded()
                               .normalized(QString::NormalizationForm_KC);
    QString key;
    key.reserve(folded.size());
    for (qsizetype i = 0; i < folded.size(); ++i) {
        char32_t c = folded[i].unicode();
        const bool pair =
            QChar::isHighSurrogate(c) && i + 1 < folded.size() && folded[i + 1].isLowSurrogate();
        if (pair)
            c = QChar::surrogateToUcs4(folded[i], folded[i + 1]);
        if (!isVariationSelector(c))
            key.append(folded.mid(i, pair ? 2 : 1));
        if (pair)
            ++i;
    }
    // A dropped selector can bring a letter and a mark together ("e", U+FE0F, U+0301): compose
    // them, so the key is the same as for "é".
    return key.size() == folded.size() ? key : key.normalized(QString::NormalizationForm_KC);
}

bool sameName(const QString &a, const QString &b)
{
    return a == b || nameKey(a) == nameKey(b);
}

QByteArray encode(const ClientMessage &message)
{
    return toJson(std::visit(ClientEncoder{}, message));
}

QJsonObject toJsonObject(const ChatMessage &message)
{
    return chatToJson(message);
}

QJsonArray toJsonArray(const QList<Reaction> &reactions)
{
    return reactionsToJson(reactions);
}

QByteArray encode(const ChatMessage &m)
{
    // The keys in QJsonObject's order, so the bytes are chatToJson's (tst_protocol compares them).
    JsonWriter w(160 + 3 * (m.text.size() + m.user.size()));
    w.beginObject();
    if (m.deleted > 0) {
        w.key("deleted"_L1);
        w.value(m.deleted);
    }
    if (m.edited > 0) {
        w.key("edited"_L1);
        w.value(m.edited);
    }
    if (m.file) {
        w.key("file"_L1);
        w.beginObject();
        if (!m.file->mimeType.isEmpty()) {
            w.key("mimeType"_L1);
            w.value(m.file->mimeType);
        }
        w.key("name"_L1);
        w.value(m.file->name);
        w.key("size"_L1);
        w.value(m.file->size);
        if (!m.file->transferId.isEmpty()) {
            w.key("transferId"_L1);
            w.value(m.file->transferId);
        }
        w.endObject();
    }
    if (!m.id.isEmpty()) {
        w.key("id"_L1);
        w.value(m.id);
    }
    if (!m.mentions.isEmpty()) {
        w.key("mentions"_L1);
        w.beginArray();
        for (const QString &name : m.mentions)
            w.value(name);
        w.endArray();
    }
    if (!m.reactions.isEmpty()) {
        w.key("reactions"_L1);
        w.beginArray();
        for (const Reaction &r : m.reactions) {
            w.beginObject();
            w.key("emoji"_L1);
            w.value(r.emoji);
            w.key("users"_L1);
            w.beginArray();
            for (const QString &user : r.users)
                w.value(user);
            w.endArray();
            w.endObject();
        }
        w.endArray();
    }
    if (m.replyTo > 0) {
        w.key("replyTo"_L1);
        w.value(m.replyTo);
    }
    if (!m.room.isEmpty()) {
        w.key("room"_L1);
        w.value(m.room);
    }
    if (m.seq > 0) {
        w.key("seq"_L1);
        w.value(m.seq);
    }
    w.key("text"_L1);
    w.value(m.text);
    w.key("timestamp"_L1);
    w.value(m.timestamp);
    w.key("type"_L1);
    w.value(u"chatMessage");
    w.key("user"_L1);
    w.value(m.user);
    w.endObject();
    return w.take();
}

QByteArray encode(const ServerMessage &message)
{
    if (const auto *chat = std::get_if<ChatMessage>(&message))
        return encode(*chat); // the one a server sends most
    return toJson(std::visit(ServerEncoder{}, message));
}

void makeTombstone(ChatMessage &m, qint64 deleted)
{
    m.text.clear();
    m.deleted = deleted;
    m.edited = 0;
    m.reactions.clear();
    m.mentions.clear();
    m.file.reset();
}

QByteArray encodeConversationFields(const ChatMessage &m, bool withFile)
{
    // Nearly every message has none: the store writes thousands a second, so skip building JSON.
    if (m.replyTo <= 0 && m.edited <= 0 && m.deleted <= 0 && m.reactions.isEmpty() && m.mentions.isEmpty() &&
        (!withFile || !m.file))
        return {};
    ChatMessage fields;
    fields.replyTo = m.replyTo;
    fields.edited = m.edited;
    fields.deleted = m.deleted;
    fields.reactions = m.reactions;
    fields.mentions = m.mentions;
    if (withFile)
        fields.file = m.file;
    QJsonObject o = chatToJson(fields);
    for (const char *key : {"type", "user", "text", "timestamp"})
        o.remove(QLatin1String(key));
    return o.isEmpty() ? QByteArray() : toJson(o);
}

bool decodeConversationFields(QStringView json, ChatMessage *m)
{
    JsonTree tree;
    if (!tree.parse(json) || tree.node(tree.root()).kind() != JsonTree::Kind::Object)
        return false;
    Reader r(tree, tree.root());
    readConversationFields(r, *m, Limits{});
    readFileRecord(r, *m, Limits{});
    return r.ok();
}

QByteArray encode(const HistoryBeforePage &m)
{
    return encode(ServerMessage(m));
}

QString typeName(const ClientMessage &message)
{
    return std::visit(ClientTypeName{}, message);
}

QString typeName(const ServerMessage &message)
{
    // The encoder is the single source of the wire names.
    return std::visit(ServerEncoder{}, message).value(QStringLiteral("type")).toString();
}

Decoded<ClientMessage> decodeClient(QStringView json, const Limits &limits)
{
    return decodeWith<ClientMessage>(json, &clientByType, limits, limits.maxClientMessageValues);
}

Decoded<ServerMessage> decodeServer(QStringView json, const Limits &limits)
{
    return decodeWith<ServerMessage>(json, &serverByType, limits, limits.maxServerMessageValues);
}

Decoded<HistoryBeforePage> decodeHistoryBefore(QStringView json, const Limits &limits)
{
    return decodeWith<HistoryBeforePage>(json, &historyBeforeByType, limits, limits.maxServerMessageValues);
}

namespace {
// UTF-8 to text keeping a leading byte order mark (QString::fromUtf8 would drop one), so the byte
// and text overloads see the same characters and decodeWith() alone decides about it.
QString textOf(const QByteArray &json)
{
    // Stateless: a sequence cut off at the end becomes U+FFFD, as in fromUtf8, not nothing.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::ConvertInitialBom | QStringDecoder::Flag::Stateless);
    return decoder(json);
}
} // namespace

Decoded<ClientMessage> decodeClient(const QByteArray &json, const Limits &limits)
{
    return decodeClient(textOf(json), limits);
}

Decoded<ServerMessage> decodeServer(const QByteArray &json, const Limits &limits)
{
    return decodeServer(textOf(json), limits);
}

QByteArray encodeChunk(quint32 index, const QByteArray &data)
{
    QByteArray frame(ChunkHeaderBytes + data.size(), Qt::Uninitialized);
    qToBigEndian<quint32>(index, frame.data());
    std::memcpy(frame.data() + ChunkHeaderBytes, data.constData(), size_t(data.size()));
    return frame;
}

QByteArray encodeRelayChunk(quint32 stream, quint32 index, const QByteArray &data)
{
    QByteArray frame(RelayHeaderBytes + data.size(), Qt::Uninitialized);
    qToBigEndian<quint32>(stream, frame.data());
    qToBigEndian<quint32>(index, frame.data() + 4);
    std::memcpy(frame.data() + RelayHeaderBytes, data.constData(), size_t(data.size()));
    return frame;
}

Decoded<Chunk> decodeChunk(const QByteArray &frame)
{
    if (frame.size() < ChunkHeaderBytes)
        return fail(ErrorCode::BadChunk,
                    QStringLiteral("A file chunk needs a 4-byte index, got %1 bytes").arg(frame.size()));
    if (frame.size() - ChunkHeaderBytes > ChunkDataBytes)
        return fail(ErrorCode::BadChunk, QStringLiteral("A file chunk carries at most %1 bytes, got %2")
                                             .arg(ChunkDataBytes)
                                             .arg(frame.size() - ChunkHeaderBytes));
    return Chunk{qFromBigEndian<quint32>(frame.constData()), frame.mid(ChunkHeaderBytes)};
}

Decoded<RelayChunk> decodeRelayChunk(const QByteArray &frame)
{
    if (frame.size() < RelayHeaderBytes)
        return fail(ErrorCode::BadChunk,
                    QStringLiteral("A relayed chunk needs an 8-byte header, got %1 bytes").arg(frame.size()));
    if (frame.size() - RelayHeaderBytes > ChunkDataBytes)
        return fail(ErrorCode::BadChunk, QStringLiteral("A relayed chunk carries at most %1 bytes, got %2")
                                             .arg(ChunkDataBytes)
                                             .arg(frame.size() - RelayHeaderBytes));
    return RelayChunk{qFromBigEndian<quint32>(frame.constData()),
                      qFromBigEndian<quint32>(frame.constData() + 4), frame.mid(RelayHeaderBytes)};
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace Protocol

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>
#include <variant>

//! Typed messages of the Natter protocol (docs/PROTOCOL.md) and their JSON encoding.
//!
//! JSON is decoded exactly once, here, at the edge. Every decode either yields a fully validated
//! message or a DecodeError that says what was wrong; nothing throws.
namespace Protocol {

constexpr int Version = 1;
constexpr int ChunkDataBytes = 64 * 1024;
constexpr int ChunkHeaderBytes = 4;
constexpr int RelayHeaderBytes = 8;
// Close code of a server that shuts down or restarts (private range: Qt 6.4 rejects 1012).
// Unlike 1001, it asks clients to reconnect with backoff.
constexpr quint16 CloseServerShutdown = 4000;
// Accounts mode: the session's token was revoked (`user passwd`, `user remove`); log in again.
constexpr quint16 CloseSessionEnded = 4003;
// Values of `connected.auth` (PROTOCOL.md 2, *Identity*).
namespace AuthMode {
inline const QString Open = QStringLiteral("open");
inline const QString Accounts = QStringLiteral("accounts");
} // namespace AuthMode
// Open mode: the name's holder came back on a newer connection, which took it over. No reconnect.
constexpr quint16 CloseNameTakenOver = 4001;

// Feature names advertised in `connected.features` and declared in `hello.features`.
namespace Feature {
inline const QString Roster = QStringLiteral("roster");
inline const QString Rooms = QStringLiteral("rooms");
inline const QString Acks = QStringLiteral("acks");
inline const QString History = QStringLiteral("history");
inline const QString Files = QStringLiteral("files");
inline const QString Resume = QStringLiteral("resume");
inline const QString HistoryBefore = QStringLiteral("historyBefore"); // PROTOCOL.md 2, extension
inline const QString Conversation = QStringLiteral("conversation");   // PROTOCOL.md 3: reply, edit, ...
inline const QString Status = QStringLiteral("status"); // PROTOCOL.md 7: `serverStatus` (scale-out)
QStringList all();
} // namespace Feature

struct Limits
{
    int maxNameChars = 32;
    int maxRoomChars = 64;
    int maxTextBytes = 16 * 1024;
    int maxIdChars = 64;
    int maxFileNameBytes = 255;
    int maxMimeTypeChars = 127;
    // Conversation (PROTOCOL.md 3)
    int maxEmojiBytes = 32;
    int maxReactionEmoji = 20;         // distinct emoji on one message
    int maxReactionsPerMessage = 1000; // (emoji, user) pairs on one message
    int maxMentions = 20;
    // JSON caps (PROTOCOL.md section 1), checked while parsing, before anything is built from
    // the value that passes one. Member names do not count as values.
    int maxClientMessageValues = 256;     // what a server reads: a chat message has 4
    int maxServerMessageValues = 1 << 18; // what a client reads: history, rosters, room lists
    // Twice maxTextBytes, so that a chat text over its own limit is refused by that rule, which
    // names the field; one string longer than this is refused before it is read to its end.
    int maxJsonStringUnits = 32 * 1024;
    int maxJsonNumberChars = 32;
    // false (a base-only server): the extension fields since, id and transferId of client
    // messages are not read at all, so a malformed one is ignored like any unknown field.
    bool extensions = true;
};

// Error codes carried in `error.code` (extension field) and in DecodeError.
enum class ErrorCode {
    InvalidJson,
    NotAnObject,
    UnknownType,
    MissingField,
    BadField,
    TooLong,
    InvalidName,
    NoUsername,
    NotInRoom,
    BadChunk,
    FileTooLarge,
    FileState,
    Internal,
    RateLimited,
    // Identity (PROTOCOL.md 2)
    NameTaken,
    AccountName,
    AuthRequired,
    AuthFailed,
    RegistrationClosed,
    // Durable history (PROTOCOL.md 2): the message store could not keep a chat message.
    StoreFailed,
    // Conversation (PROTOCOL.md 3)
    UnknownMessage,
    NotAuthor,
    TooManyReactions,
};
QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString &name);

struct DecodeError
{
    ErrorCode code = ErrorCode::InvalidJson;
    QString message;
};

// ---- client -> server ----------------------------------------------------------------------

struct Hello
{
    QString client;
    QStringList features;
};
struct SetUsername
{
    QString username;
    QString nameToken{}; // extension: proves the holder, takes the name over (PROTOCOL.md 2)
};
struct JoinRoom
{
    QString room;
    std::optional<qint64> since; // extension: gap recovery
    QString epoch;               // extension: the room epoch `since` belongs to; empty when absent
};
struct LeaveRoom
{};
struct SendChat // `chatMessage` as a client sends it
{
    QString text;
    QString id;         // extension: empty when absent
    qint64 replyTo = 0; // extension (conversation): the seq answered; 0 when none
};
// Conversation (PROTOCOL.md 3): a message of the current room, named by its seq.
struct EditMessage
{
    qint64 seq = 0;
    QString text;
};
struct DeleteMessage
{
    qint64 seq = 0;
};
struct React
{
    qint64 seq = 0;
    QString emoji;
    bool add = true; // false: take the sender's reaction back
};
struct Typing
{};
struct Ping
{
    qint64 timestamp = 0;
};
struct ListRooms
{};
struct FileStart
{
    QString name;
    qint64 size = 0;
    QString mimeType;
    QString transferId;    // extension: enables acks, progress and resume; empty when absent
    QString resumeToken{}; // extension: from an earlier fileAccepted, to resume that upload
};
struct FileEnd
{};
struct FileCancel
{
    QString transferId;
    QString resumeToken{}; // extension: cancels an interrupted upload from a new connection
};
struct FileDecline // a receiver wants no more of this relay stream (PROTOCOL.md 5.3)
{
    quint32 stream = 0;
};
struct HistoryRequest // `history` (extension): the next page after a roomJoined or history reply
{
    QString room;
    qint64 since = 0; // the last seq the client has of `room`
    QString epoch;    // the room epoch `since` belongs to
};

// Accounts mode: log in with a password (creating the account first when `registerAccount`), or
// resume with a token. Exactly one of the two forms: `token` set, or `username` and `password`.
struct Auth
{
    QString username;
    QString password;
    bool registerAccount = false; // `register` on the wire
    QString token;
    bool usesToken() const { return !token.isEmpty(); }
};
struct Logout
{};

// `historyBefore` (extension, PROTOCOL.md 2): the page of held messages just before a seq.
struct HistoryBefore
{
    QString room;
    qint64 before = 1; // 1 .. 2^53; the reply ends at before - 1
    QString epoch;     // the room epoch `before` belongs to
};

using ClientMessage = std::variant<Hello, SetUsername, JoinRoom, LeaveRoom, SendChat, Typing, Ping, ListRooms,
                                   FileStart, FileEnd, FileCancel, FileDecline, HistoryRequest, Auth, Logout,
                                   HistoryBefore, EditMessage, DeleteMessage, React>;

// ---- server -> client ----------------------------------------------------------------------

struct Connected
{
    QString clientId;
    // Extension fields; a base server sends none of them.
    QString server;
    int protocol = 0;
    QStringList features;
    qint64 maxMessageBytes = 0;
    qint64 maxFileBytes = 0;
    int historyLimit = 0;
    qint64 heartbeatMs = 0;
    qint64 idWindowMs = 0;     // how long message ids are remembered at least (PROTOCOL.md 3)
    QString auth{};            // AuthMode::Open or AuthMode::Accounts; empty when absent (open)
    bool registration = false; // accounts mode: `auth` may create an account
    QString username{};        // accounts mode: the account the upgrade's token authenticated
};
struct UsernameSet
{
    QString username;
    QString nameToken{}; // extension: send it back with setUsername to take the name over
};
// A file someone sent to a room, as its history keeps it (PROTOCOL.md 5.4): what `fileOffer`
// announced, never the bytes.
struct FileRecord
{
    QString transferId;
    QString name;
    qint64 size = 0;
    QString mimeType;
};

// One emoji on a message and who reacted with it, in the order they did (PROTOCOL.md 3).
struct Reaction
{
    QString emoji;
    QStringList users;
};

struct ChatMessage // `chatMessage` as a server delivers it
{
    QString user;
    QString text;
    qint64 timestamp = 0;
    QString id;                                    // extension
    qint64 seq = 0;                                // extension: 0 when absent, rooms count from 1
    QString room;                                  // extension
    std::optional<FileRecord> file = std::nullopt; // extension: a file sent to the room; `text` is its name
    // Conversation (PROTOCOL.md 3), extensions all:
    qint64 replyTo = 0;             // the seq this message answers; 0 when none
    qint64 edited = 0;              // when it was last edited (ms since the epoch); 0: never
    qint64 deleted = 0;             // a tombstone since then: no text, reactions or mentions
    QList<Reaction> reactions = {}; // in the order each emoji was first added
    QStringList mentions = {};      // names of the members it mentions
};
struct MessageEdited // `messageEdited`
{
    QString room;
    qint64 seq = 0;
    QString text;
    qint64 edited = 0;
    QStringList mentions;
};
struct MessageDeleted // `messageDeleted`
{
    QString room;
    qint64 seq = 0;
    qint64 deleted = 0;
};
struct ReactionsChanged // `reactions`: the message's whole reaction set
{
    QString room;
    qint64 seq = 0;
    QList<Reaction> reactions;
};
struct RoomJoined
{
    QString room;
    int userCount = 0;
    std::optional<QStringList> users;          // extension: roster
    std::optional<QList<ChatMessage>> history; // extension: oldest first
    std::optional<qint64> lastSeq;             // extension
    bool historyTruncated = false;             // extension: `since` was older than what is kept
    QString epoch;            // extension: names this life of the room's numbering; empty when absent
    bool historyMore = false; // extension: more history follows; ask for it with `history`
};
struct UserJoined
{
    QString user;
    QString room;
    int userCount = 0;
};
struct UserLeft
{
    QString user;
    int userCount = 0;
    QString room; // extension
};
struct UserTyping
{
    QString user;
    QString room; // extension
};
struct Error
{
    QString message;
    QString code;            // extension
    QString transferId;      // extension: set when the error is about a file transfer
    QString id;              // extension: the chat message refused (rateLimited)
    qint64 retryAfterMs = 0; // extension: rateLimited, when to send again
    QString request{};       // extension: rateLimited, the `type` of the message refused
};
struct Pong
{
    qint64 timestamp = 0;
    qint64 serverTime = 0;
};
struct Ack
{
    QString id;
    qint64 seq = 0;
    QString room;
    qint64 timestamp = 0;
    bool duplicate = false;
};
struct RoomInfo
{
    QString name;
    int userCount = 0;
    qint64 lastSeq = 0; // extension: the room's newest seq, so clients can count unread messages
    QString epoch{};    // extension: the numbering lastSeq belongs to (see RoomJoined::epoch)
};
struct RoomList // type `rooms`
{
    QList<RoomInfo> rooms;
};
struct FileAccepted
{
    QString transferId;
    quint32 nextChunk = 0;
    QString resumeToken{}; // the uploader's secret for resuming from another connection
};
struct FileProgress
{
    QString transferId;
    quint32 received = 0; // chunks the server holds, contiguous from 0
};
struct FileComplete
{
    QString transferId;
    qint64 size = 0;
};
struct FileOffer
{
    quint32 stream = 0;
    QString transferId;
    QString user;
    QString room;
    QString name;
    qint64 size = 0;
    QString mimeType;
};
struct FileDone
{
    quint32 stream = 0;
};
struct FileAborted
{
    quint32 stream = 0;
    QString reason;
    bool resumable = false;
};

struct HistoryPage // `history` (extension), the answer to a HistoryRequest
{
    QString room;
    QList<ChatMessage> messages; // oldest first, seq contiguous (after `truncated`, from the oldest held)
    bool more = false;           // more follows: ask again after the last seq here
    bool truncated = false;      // the messages right after `since` are no longer held
    qint64 lastSeq = 0;          // the room's newest seq
    QString epoch;
};

// `historyBefore` (extension), the answer to a HistoryBefore.
struct HistoryBeforePage
{
    QString room;
    qint64 before = 0;           // the request's, clamped to lastSeq + 1
    QList<ChatMessage> messages; // oldest first, seq contiguous, ending at before - 1
    bool more = false;           // older messages are held: ask again before messages.first().seq
    bool truncated = false;      // the request's epoch is not the room's: nothing of it applies
    qint64 lastSeq = 0;
    QString epoch;
};

// Accounts mode (PROTOCOL.md 2, *Identity*): the answer to a good `auth`, and to `logout`.
struct AuthOk
{
    QString username; // the account's name as stored
    QString token;
    qint64 expiresAt = 0; // ms since the epoch
};
struct LoggedOut
{};
// PROTOCOL.md 7, *Server status*: sent to a client that declared `status`, when the server
// becomes degraded (it cannot store new messages) and again when it is well.
struct ServerStatus
{
    QString status; // "ok" or "degraded"; anything else counts as degraded
    QString reason; // for people; empty when ok
    bool isOk() const { return status == QLatin1String("ok"); }
};

using ServerMessage =
    std::variant<Connected, UsernameSet, RoomJoined, UserJoined, UserLeft, ChatMessage, UserTyping, Error,
                 Pong, Ack, RoomList, FileAccepted, FileProgress, FileComplete, FileOffer, FileDone,
                 FileAborted, HistoryPage, AuthOk, LoggedOut, HistoryBeforePage, MessageEdited,
                 MessageDeleted, ReactionsChanged, ServerStatus>;

// ---- binary frames -------------------------------------------------------------------------

//! Upload frame (the guides' framing): 4-byte big-endian chunk index, then at most 64 KiB.
struct Chunk
{
    quint32 index = 0;
    QByteArray data;
};
//! Relay frame (extension, server -> client): 4-byte stream id, 4-byte chunk index, data.
struct RelayChunk
{
    quint32 stream = 0;
    quint32 index = 0;
    QByteArray data;
};

template<typename T>
using Decoded = std::variant<T, DecodeError>;

template<typename T>
bool isError(const Decoded<T> &d)
{
    return std::holds_alternative<DecodeError>(d);
}

// Names (PROTOCOL.md section 1): trimmed, NFC, 1..max code points of letters, marks, numbers,
// punctuation, symbols and single plain spaces; no controls, format characters, surrogates,
// private use, unassigned code points or invisible fillers. Returns the name to use or an error.
std::variant<QString, DecodeError> validateName(const QString &raw, int maxChars, const QString &what);
// The identity of a name (NFKC, case fold, NFKC, variation selectors dropped): "José" (NFC or
// NFD), "josé", "JOSÉ" share one key, and so do "Ana" and full-width "ＡＮＡ".
QString nameKey(const QString &name);
bool sameName(const QString &a, const QString &b);
// A reaction's emoji (PROTOCOL.md 3): one grapheme cluster of 1..maxEmojiBytes bytes of UTF-8,
// no letters, controls, spaces or format characters (the zero-width joiner, variation selectors,
// tags and a keycap's digit excepted), each where Unicode puts it in an emoji sequence: no
// look-alike (a second selector, a trailing joiner, stray tags or keycap marks) passes.
std::optional<DecodeError> validateEmoji(const QString &emoji, const Limits &limits = {});

// The conversation fields of a message (replyTo, edited, deleted, reactions, mentions) as one
// JSON object, or nothing when it has none: how a message store keeps them beside the text.
// With `withFile`, the file record too (a client's cache keeps everything in one column).
QByteArray encodeConversationFields(const ChatMessage &m, bool withFile = false);
// Turns `m` into the tombstone PROTOCOL.md 3 describes: its place in the numbering, deleted at
// `deleted`, nothing of what it said (text, edit time, reactions, mentions, file).
void makeTombstone(ChatMessage &m, qint64 deleted);
bool decodeConversationFields(QStringView json, ChatMessage *m); // false: not such an object

QByteArray encode(const ClientMessage &message);
QByteArray encode(const ServerMessage &message);
QByteArray encode(const ChatMessage &message);    // the same as encode(ServerMessage(message)), faster
QByteArray encode(const HistoryBeforePage &page); // the same as encode(ServerMessage(page))
// A chatMessage as the JSON object encode() writes, and a message's reaction set: for tools that
// print messages in the protocol's own shape (natter-cli).
QJsonObject toJsonObject(const ChatMessage &message);
QJsonArray toJsonArray(const QList<Reaction> &reactions);
QString typeName(const ClientMessage &message);
QString typeName(const ServerMessage &message);

// Text frames arrive from QWebSocket as QString: decode those directly, without converting to UTF-8.
Decoded<ClientMessage> decodeClient(QStringView json, const Limits &limits = {});
Decoded<ServerMessage> decodeServer(QStringView json, const Limits &limits = {});
Decoded<ClientMessage> decodeClient(const QByteArray &json, const Limits &limits = {});
Decoded<ServerMessage> decodeServer(const QByteArray &json, const Limits &limits = {});
// `historyBefore` replies only (decodeServer() reads them too); anything else is UnknownType.
Decoded<HistoryBeforePage> decodeHistoryBefore(QStringView json, const Limits &limits = {});

QByteArray encodeChunk(quint32 index, const QByteArray &data);
QByteArray encodeRelayChunk(quint32 stream, quint32 index, const QByteArray &data);
Decoded<Chunk> decodeChunk(const QByteArray &frame);
Decoded<RelayChunk> decodeRelayChunk(const QByteArray &frame);

qint64 nowMs();

} // namespace Protocol

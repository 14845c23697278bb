// SPDX-License-Identifier: GPL-3.0-or-later
// Protocol::decodeServer: what every client (desktop, CLI) does with each text frame a server sends.
//
// Properties:
//  - decodeServer(QByteArray) and decodeServer(QStringView) agree on the same text, both for the
//    input read as UTF-8 and for the input read as raw UTF-16 (what QWebSocket hands over; where
//    that is well-formed UTF-16, so that the UTF-8 form holds the same characters);
//  - an accepted message is within its limits (room names, ids, chat text, history entries) and
//    its type is the input's "type";
//  - encode() of an accepted message decodes again to a message that encodes identically, and
//    a chatMessage's encoding is byte for byte what QJsonDocument writes for it;
//  - a refusal has a non-empty message and a code whose name maps back to it;
//  - the same for decodeHistoryBefore (`historyBefore` replies only), which agrees with decodeServer.
#include "decodecheck.h"
#include "fuzzcheck.h"
#include "jsontree.h"
#include "protocol.h"

#include <QJsonDocument>

#include <cstring>
#include <variant>

using namespace Protocol;

namespace {

void checkChat(const ChatMessage &c, const Limits &limits)
{
    if (c.text.isValidUtf16())
        FUZZ_CHECK(c.text.toUtf8().size() <= limits.maxTextBytes, QString::number(c.text.size()));
    FUZZ_CHECK(c.id.size() <= limits.maxIdChars, c.id);
    FUZZ_CHECK(c.seq >= 0, QString::number(c.seq));
    FUZZ_CHECK(c.room.size() <= limits.maxRoomChars * 4, c.room);
}

void checkWithinLimits(const ServerMessage &m, const Limits &limits)
{
    const int roomBytes = limits.maxRoomChars * 4;
    if (const auto *c = std::get_if<ChatMessage>(&m)) {
        checkChat(*c, limits);
    } else if (const auto *j = std::get_if<RoomJoined>(&m)) {
        FUZZ_CHECK(!j->room.isEmpty() && j->room.size() <= roomBytes, j->room);
        FUZZ_CHECK(j->epoch.size() <= limits.maxIdChars, j->epoch);
        FUZZ_CHECK(j->userCount >= 0, QString::number(j->userCount));
        if (j->history) {
            for (const ChatMessage &c : *j->history)
                checkChat(c, limits);
        }
    } else if (const auto *a = std::get_if<Ack>(&m)) {
        FUZZ_CHECK(!a->id.isEmpty() && a->id.size() <= limits.maxIdChars, a->id);
        FUZZ_CHECK(a->room.size() <= roomBytes, a->room);
    } else if (const auto *h = std::get_if<HistoryPage>(&m)) {
        FUZZ_CHECK(h->room.size() <= roomBytes && h->epoch.size() <= limits.maxIdChars, h->room);
        for (const ChatMessage &c : h->messages)
            checkChat(c, limits);
    } else if (const auto *b = std::get_if<HistoryBeforePage>(&m)) {
        FUZZ_CHECK(b->before >= 1, QString::number(b->before));
        FUZZ_CHECK(b->room.size() <= roomBytes && b->epoch.size() <= limits.maxIdChars, b->room);
        for (const ChatMessage &c : b->messages)
            checkChat(c, limits);
    } else if (const auto *o = std::get_if<FileOffer>(&m)) {
        FUZZ_CHECK(!o->name.isEmpty(), QString());
        FUZZ_CHECK(o->size >= 0, QString::number(o->size));
    }
}

void checkOne(const QString &text)
{
    const Decoded<ServerMessage> fromText = decodeServer(QStringView(text));
    if (text.isValidUtf16()) {
        const Decoded<ServerMessage> fromBytes = decodeServer(text.toUtf8());
        FUZZ_CHECK(same(fromBytes, fromText),
                   describe(fromBytes) + QStringLiteral(" vs ") + describe(fromText));
    }
    if (const auto *e = std::get_if<DecodeError>(&fromText)) {
        FUZZ_CHECK(!e->message.isEmpty(), QString());
        FUZZ_CHECK(errorCodeFromName(errorCodeName(e->code)) == e->code, errorCodeName(e->code));
        return;
    }
    const ServerMessage &message = std::get<ServerMessage>(fromText);
    checkWithinLimits(message, Limits{});

    JsonTree tree;
    // The decoders ignore one leading byte order mark (PROTOCOL.md 1); the rest is the JSON.
    const QStringView json =
        text.startsWith(QChar(QChar::ByteOrderMark)) ? QStringView(text).mid(1) : QStringView(text);
    FUZZ_CHECK(tree.parse(json), tree.error());
    const int type = tree.member(tree.root(), QLatin1String("type"));
    FUZZ_CHECK(type >= 0 && tree.string(type) == typeName(message), typeName(message));

    const QByteArray once = encode(message);
    const Decoded<ServerMessage> again = decodeServer(once);
    FUZZ_CHECK(!isError(again), QString::fromUtf8(once) + QStringLiteral(" -> ") + describe(again));
    const QByteArray twice = encode(std::get<ServerMessage>(again));
    FUZZ_CHECK(once == twice, QString::fromUtf8(once) + QStringLiteral(" -> ") + QString::fromUtf8(twice));
    // chatMessage's own writer (JsonWriter) writes what QJsonDocument writes for the same object.
    // (Not via QJsonDocument::fromJson: Qt's parser drops a byte order mark opening a string.)
    if (const auto *chat = std::get_if<ChatMessage>(&message)) {
        const QByteArray byQt = QJsonDocument(toJsonObject(*chat)).toJson(QJsonDocument::Compact);
        FUZZ_CHECK(byQt == once, QString::fromUtf8(once) + QStringLiteral(" vs ") + QString::fromUtf8(byQt));
    }
}

// decodeHistoryBefore: within its limits, and encode() of what it accepts reads back the same.
void checkHistoryBefore(const QString &text)
{
    const Decoded<HistoryBeforePage> decoded = decodeHistoryBefore(QStringView(text));
    const Decoded<ServerMessage> general = decodeServer(QStringView(text));
    if (const auto *page = std::get_if<HistoryBeforePage>(&decoded)) {
        const auto *m = std::get_if<ServerMessage>(&general);
        FUZZ_CHECK(m && std::holds_alternative<HistoryBeforePage>(*m) && encode(*m) == encode(*page),
                   describe(general));
    }
    if (const auto *e = std::get_if<DecodeError>(&decoded)) {
        FUZZ_CHECK(!e->message.isEmpty(), QString());
        FUZZ_CHECK(errorCodeFromName(errorCodeName(e->code)) == e->code, errorCodeName(e->code));
        return;
    }
    const HistoryBeforePage &page = std::get<HistoryBeforePage>(decoded);
    const Limits limits;
    FUZZ_CHECK(page.before >= 1, QString::number(page.before));
    FUZZ_CHECK(page.room.size() <= limits.maxRoomChars * 4, page.room);
    FUZZ_CHECK(page.epoch.size() <= limits.maxIdChars, page.epoch);
    for (const ChatMessage &c : page.messages)
        checkChat(c, limits);
    const QByteArray once = encode(page);
    const Decoded<HistoryBeforePage> again = decodeHistoryBefore(QString::fromUtf8(once));
    FUZZ_CHECK(!isError(again), QString::fromUtf8(once));
    FUZZ_CHECK(once == encode(std::get<HistoryBeforePage>(again)), QString::fromUtf8(once));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const QByteArray bytes = fuzzBytes(data, size);
    // As UTF-8, through both overloads (the QByteArray one converts, so compare it directly too).
    const QString text = QString::fromUtf8(bytes);
    const Decoded<ServerMessage> fromBytes = decodeServer(bytes);
    const Decoded<ServerMessage> fromView = decodeServer(QStringView(text));
    FUZZ_CHECK(same(fromBytes, fromView), describe(fromBytes) + QStringLiteral(" vs ") + describe(fromView));
    checkOne(text);
    checkHistoryBefore(text);
    // As raw UTF-16 (native byte order), lone surrogates and all.
    if (size >= 2) {
        QString utf16(qsizetype(size / 2), Qt::Uninitialized);
        std::memcpy(utf16.data(), data, size / 2 * 2);
        checkOne(utf16);
    }
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// Protocol::decodeClient: what natter-server does with every text frame a client sends.
//
// Properties, for the full and the base-only (no extensions) limits:
//  - the QByteArray and the QStringView overload agree on the same text;
//  - an accepted message is within its limits (names valid and bounded, text and ids bounded),
//    and its type is the input's "type";
//  - encode() of an accepted message decodes again, to a message that encodes identically
//    (so decode(encode(m)) == m on every field the encoder writes);
//  - a refusal has a non-empty message and a code whose name maps back to it.
#include "decodecheck.h"
#include "fuzzcheck.h"
#include "jsontree.h"
#include "protocol.h"

#include <variant>

using namespace Protocol;

namespace {

qsizetype utf8Bytes(const QString &s)
{
    return s.toUtf8().size();
}

void checkWithinLimits(const ClientMessage &m, const Limits &limits)
{
    if (const auto *s = std::get_if<SetUsername>(&m)) {
        const auto v = validateName(s->username, limits.maxNameChars, QStringLiteral("name"));
        FUZZ_CHECK(!std::holds_alternative<DecodeError>(v) && std::get<QString>(v) == s->username,
                   s->username);
    } else if (const auto *j = std::get_if<JoinRoom>(&m)) {
        const auto v = validateName(j->room, limits.maxRoomChars, QStringLiteral("room"));
        FUZZ_CHECK(!std::holds_alternative<DecodeError>(v) && std::get<QString>(v) == j->room, j->room);
        FUZZ_CHECK(j->epoch.size() <= limits.maxIdChars, j->epoch);
        FUZZ_CHECK(limits.extensions || (!j->since && j->epoch.isEmpty()), QStringLiteral("extension read"));
    } else if (const auto *c = std::get_if<SendChat>(&m)) {
        FUZZ_CHECK(!c->text.isEmpty(), QString());
        // The decoder counts a lone surrogate as 2 bytes, UTF-8 replaces it with 3: exact only
        // for well-formed UTF-16.
        if (c->text.isValidUtf16())
            FUZZ_CHECK(utf8Bytes(c->text) <= limits.maxTextBytes, QString::number(utf8Bytes(c->text)));
        FUZZ_CHECK(c->id.size() <= limits.maxIdChars, c->id);
        FUZZ_CHECK(limits.extensions || c->id.isEmpty(), QStringLiteral("extension read"));
    } else if (const auto *f = std::get_if<FileStart>(&m)) {
        FUZZ_CHECK(!f->name.isEmpty(), QString());
        if (f->name.isValidUtf16())
            FUZZ_CHECK(utf8Bytes(f->name) <= limits.maxFileNameBytes, f->name);
        FUZZ_CHECK(f->size >= 0, QString::number(f->size));
        FUZZ_CHECK(f->mimeType.size() <= limits.maxMimeTypeChars, f->mimeType);
        FUZZ_CHECK(f->transferId.size() <= limits.maxIdChars, f->transferId);
    } else if (const auto *h = std::get_if<Hello>(&m)) {
        FUZZ_CHECK(h->client.size() <= 128, h->client);
    }
}

void checkOne(const QByteArray &bytes, const QString &text, const Limits &limits)
{
    const Decoded<ClientMessage> fromBytes = decodeClient(bytes, limits);
    const Decoded<ClientMessage> fromText = decodeClient(QStringView(text), limits);
    FUZZ_CHECK(same(fromBytes, fromText), describe(fromBytes) + QStringLiteral(" vs ") + describe(fromText));

    if (const auto *e = std::get_if<DecodeError>(&fromText)) {
        FUZZ_CHECK(!e->message.isEmpty(), QString());
        FUZZ_CHECK(errorCodeFromName(errorCodeName(e->code)) == e->code, errorCodeName(e->code));
        return;
    }
    const ClientMessage &message = std::get<ClientMessage>(fromText);
    checkWithinLimits(message, limits);

    JsonTree tree;
    // The decoders ignore one leading byte order mark (PROTOCOL.md 1); the rest is the JSON.
    const QStringView json =
        text.startsWith(QChar(QChar::ByteOrderMark)) ? QStringView(text).mid(1) : QStringView(text);
    FUZZ_CHECK(tree.parse(json), tree.error());
    const int type = tree.member(tree.root(), QLatin1String("type"));
    FUZZ_CHECK(type >= 0 && tree.string(type) == typeName(message), typeName(message));

    const QByteArray once = encode(message);
    const Decoded<ClientMessage> again = decodeClient(once, limits);
    FUZZ_CHECK(!isError(again), QString::fromUtf8(once) + QStringLiteral(" -> ") + describe(again));
    const QByteArray twice = encode(std::get<ClientMessage>(again));
    FUZZ_CHECK(once == twice, QString::fromUtf8(once) + QStringLiteral(" -> ") + QString::fromUtf8(twice));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const QByteArray bytes = fuzzBytes(data, size);
    const QString text = QString::fromUtf8(bytes);
    Limits full;
    checkOne(bytes, text, full);
    Limits base;
    base.extensions = false;
    checkOne(bytes, text, base);
    return 0;
}

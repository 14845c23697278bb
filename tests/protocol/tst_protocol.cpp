// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <limits>

using namespace Protocol;

Q_DECLARE_METATYPE(Protocol::ErrorCode)
Q_DECLARE_METATYPE(Protocol::ChatMessage)

namespace {

template<typename T>
T decodeClientAs(const QByteArray &json)
{
    auto d = decodeClient(json);
    if (auto *e = std::get_if<DecodeError>(&d))
        qFatal("unexpected decode error: %s", qPrintable(e->message));
    auto *m = std::get_if<T>(&std::get<ClientMessage>(d));
    if (!m)
        qFatal("decoded to the wrong type");
    return *m;
}

template<typename T>
T serverRoundTrip(const T &in)
{
    const QByteArray wire = encode(ServerMessage(in));
    auto d = decodeServer(wire);
    if (auto *e = std::get_if<DecodeError>(&d))
        qFatal("round trip failed for %s: %s", wire.constData(), qPrintable(e->message));
    auto *m = std::get_if<T>(&std::get<ServerMessage>(d));
    if (!m)
        qFatal("round trip changed the type of %s", wire.constData());
    return *m;
}

template<typename T>
T clientRoundTrip(const T &in)
{
    return decodeClientAs<T>(encode(ClientMessage(in)));
}

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestProtocol : public QObject
{
    Q_OBJECT

private slots:
    void historyBeforeRoundTrips()
    {
        const HistoryBefore request =
            clientRoundTrip(HistoryBefore{QStringLiteral("General"), 142, QStringLiteral("e-1")});
        QCOMPARE(request.room, QStringLiteral("General"));
        QCOMPARE(request.before, 142);
        QCOMPARE(request.epoch, QStringLiteral("e-1"));
        QCOMPARE(typeName(ClientMessage(request)), QStringLiteral("historyBefore"));
        for (const char *bad : {R"({"type":"historyBefore","room":"a","before":0})",
                                R"({"type":"historyBefore","room":"a","before":-1})",
                                R"({"type":"historyBefore","room":"a","before":1e16})"})
            QCOMPARE(std::get<DecodeError>(decodeClient(QByteArray(bad))).code, ErrorCode::BadField);

        HistoryBeforePage page;
        page.room = QStringLiteral("General");
        page.before = 3;
        page.messages = {
            ChatMessage{QStringLiteral("bob"), QStringLiteral("hi"), 1, QStringLiteral("b-1"), 1,
                        QStringLiteral("General")},
            ChatMessage{QStringLiteral("ana"), QStringLiteral("yo"), 2, {}, 2, QStringLiteral("General")}};
        page.more = true;
        page.lastSeq = 9;
        page.epoch = QStringLiteral("e-1");
        const auto decoded = decodeHistoryBefore(QString::fromUtf8(encode(page)));
        QVERIFY(!isError(decoded));
        const HistoryBeforePage &back = std::get<HistoryBeforePage>(decoded);
        QCOMPARE(back.before, 3);
        QCOMPARE(back.messages.size(), 2);
        QCOMPARE(back.messages.at(1).seq, 2);
        QVERIFY(back.more);
        QVERIFY(!back.truncated);
        QCOMPARE(back.lastSeq, 9);
        QCOMPARE(encode(back), encode(page));
        QCOMPARE(std::get<DecodeError>(decodeHistoryBefore(u"{\"type\":\"history\",\"room\":\"a\"}")).code,
                 ErrorCode::UnknownType);
        QCOMPARE(errorCodeFromName(QStringLiteral("storeFailed")), std::optional(ErrorCode::StoreFailed));
    }

    void clientMessagesRoundTrip()
    {
        QCOMPARE(clientRoundTrip(Hello{QStringLiteral("natter/1"), {Feature::Files}}).features,
                 QStringList{Feature::Files});
        QCOMPARE(clientRoundTrip(SetUsername{QStringLiteral("alice")}).username, QStringLiteral("alice"));

        const JoinRoom plain = clientRoundTrip(JoinRoom{QStringLiteral("general"), std::nullopt, {}});
        QCOMPARE(plain.room, QStringLiteral("general"));
        QVERIFY(!plain.since);
        QCOMPARE(clientRoundTrip(JoinRoom{QStringLiteral("general"), 41, {}}).since,
                 std::optional<qint64>(41));
        QCOMPARE(clientRoundTrip(JoinRoom{QStringLiteral("general"), 41, QStringLiteral("e1")}).epoch,
                 QStringLiteral("e1"));

        const SendChat chat =
            clientRoundTrip(SendChat{QStringLiteral("héllo \"world\" 🎉"), QStringLiteral("id-1")});
        QCOMPARE(chat.text, QStringLiteral("héllo \"world\" 🎉"));
        QCOMPARE(chat.id, QStringLiteral("id-1"));
        QVERIFY(clientRoundTrip(SendChat{QStringLiteral("x"), {}}).id.isEmpty());

        QCOMPARE(clientRoundTrip(Ping{1763770000123}).timestamp, 1763770000123);

        const FileStart fs = clientRoundTrip(FileStart{QStringLiteral("a b.png"), 5000000000LL,
                                                       QStringLiteral("image/png"), QStringLiteral("t1")});
        QCOMPARE(fs.name, QStringLiteral("a b.png"));
        QCOMPARE(fs.size, 5000000000LL);
        QCOMPARE(fs.mimeType, QStringLiteral("image/png"));
        QCOMPARE(fs.transferId, QStringLiteral("t1"));
        QCOMPARE(clientRoundTrip(FileCancel{QStringLiteral("t1")}).transferId, QStringLiteral("t1"));
        QCOMPARE(clientRoundTrip(FileDecline{4294967295u}).stream, 4294967295u);

        // Messages without fields still decode to their own type.
        clientRoundTrip(LeaveRoom{});
        clientRoundTrip(Typing{});
        clientRoundTrip(ListRooms{});
        clientRoundTrip(FileEnd{});

        const HistoryRequest h =
            clientRoundTrip(HistoryRequest{QStringLiteral("general"), 41, QStringLiteral("e1")});
        QCOMPARE(h.room, QStringLiteral("general"));
        QCOMPARE(h.since, 41);
        QCOMPARE(h.epoch, QStringLiteral("e1"));
    }

    // PROTOCOL.md 3, *Conversation*: every request and announcement, both ways, and a message in
    // its changed form as history serves it (and as a store or cache keeps its extra fields).
    void conversationMessagesRoundTrip()
    {
        QCOMPARE(clientRoundTrip(SendChat{QStringLiteral("yes"), QStringLiteral("r"), 41}).replyTo, 41);
        const EditMessage edit = clientRoundTrip(EditMessage{42, QStringLiteral("fixed")});
        QCOMPARE(edit.seq, 42);
        QCOMPARE(edit.text, QStringLiteral("fixed"));
        QCOMPARE(clientRoundTrip(DeleteMessage{43}).seq, 43);
        const React react = clientRoundTrip(React{44, QStringLiteral("👍🏽"), false});
        QCOMPARE(react.seq, 44);
        QCOMPARE(react.emoji, QStringLiteral("👍🏽"));
        QVERIFY(!react.add);
        QVERIFY(std::get<React>(std::get<ClientMessage>(decodeClient(QByteArray(
                                    "{\"type\":\"react\",\"seq\":1,\"emoji\":\"\\ud83d\\udc4d\"}"))))
                    .add); // `add` defaults to true

        const QList<Reaction> reactions{{QStringLiteral("👍"), {QStringLiteral("ana"), QStringLiteral("bob")}},
                                        {QStringLiteral("🎉"), {QStringLiteral("bob")}}};
        const MessageEdited edited = serverRoundTrip(MessageEdited{
            QStringLiteral("general"), 42, QStringLiteral("fixed"), 17, {QStringLiteral("Ana")}});
        QCOMPARE(edited.room, QStringLiteral("general"));
        QCOMPARE(edited.text, QStringLiteral("fixed"));
        QCOMPARE(edited.edited, 17);
        QCOMPARE(edited.mentions, QStringList{QStringLiteral("Ana")});
        QCOMPARE(serverRoundTrip(MessageDeleted{QStringLiteral("general"), 43, 18}).deleted, 18);
        const ReactionsChanged changed =
            serverRoundTrip(ReactionsChanged{QStringLiteral("general"), 44, reactions});
        QCOMPARE(changed.reactions.size(), 2);
        QCOMPARE(changed.reactions.at(0).users, reactions.at(0).users);
        QCOMPARE(changed.reactions.at(1).emoji, QStringLiteral("🎉"));

        ChatMessage m{QStringLiteral("ana"),    QStringLiteral("see @Bob"), 1, QStringLiteral("x"), 45,
                      QStringLiteral("general")};
        m.replyTo = 44;
        m.edited = 19;
        m.reactions = reactions;
        m.mentions = {QStringLiteral("Bob")};
        const ChatMessage back = serverRoundTrip(m);
        QCOMPARE(back.replyTo, 44);
        QCOMPARE(back.edited, 19);
        QCOMPARE(back.reactions.size(), 2);
        QCOMPARE(back.mentions, m.mentions);

        m.file = FileRecord{QStringLiteral("t"), QStringLiteral("a.png"), 5, QStringLiteral("image/png")};
        ChatMessage fromStore;
        QVERIFY(decodeConversationFields(QString::fromUtf8(encodeConversationFields(m, true)), &fromStore));
        QCOMPARE(fromStore.replyTo, 44);
        QCOMPARE(fromStore.reactions.at(0).users, reactions.at(0).users);
        QCOMPARE(fromStore.file->name, QStringLiteral("a.png"));
        QVERIFY(fromStore.text.isEmpty()); // only the extra fields
        QVERIFY(encodeConversationFields(ChatMessage{}).isEmpty());
        QVERIFY(!decodeConversationFields(QStringLiteral("[1]"), &fromStore));
    }

    void malformedConversationInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ErrorCode>("code");
        QTest::newRow("edit without seq")
            << QByteArray("{\"type\":\"editMessage\",\"text\":\"t\"}") << ErrorCode::MissingField;
        QTest::newRow("edit seq 0") << QByteArray("{\"type\":\"editMessage\",\"seq\":0,\"text\":\"t\"}")
                                    << ErrorCode::BadField;
        QTest::newRow("edit empty text")
            << QByteArray("{\"type\":\"editMessage\",\"seq\":1,\"text\":\"\"}") << ErrorCode::BadField;
        QTest::newRow("delete seq string")
            << QByteArray("{\"type\":\"deleteMessage\",\"seq\":\"1\"}") << ErrorCode::BadField;
        QTest::newRow("react with text")
            << QByteArray("{\"type\":\"react\",\"seq\":1,\"emoji\":\"ok\"}") << ErrorCode::BadField;
        QTest::newRow("react add not bool")
            << QByteArray("{\"type\":\"react\",\"seq\":1,\"emoji\":\"\\u2764\",\"add\":1}")
            << ErrorCode::BadField;
        QTest::newRow("reply to 0") << QByteArray("{\"type\":\"chatMessage\",\"text\":\"t\",\"replyTo\":0}")
                                    << ErrorCode::BadField;
    }
    void malformedConversationInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(ErrorCode, code);
        const auto d = decodeClient(json);
        QVERIFY2(isError(d), json.constData());
        QCOMPARE(errorCodeName(std::get<DecodeError>(d).code), errorCodeName(code));
    }

    void hostileConversationFieldsFromAServerAreBounded()
    {
        QByteArray many = "{\"type\":\"reactions\",\"room\":\"g\",\"seq\":1,\"reactions\":[";
        for (int i = 0; i < 21; ++i)
            many += QByteArray(i ? "," : "") + "{\"emoji\":\"x\",\"users\":[]}";
        many += "]}";
        QVERIFY(isError(decodeServer(many)));
        QVERIFY(isError(decodeServer(QByteArray("{\"type\":\"reactions\",\"room\":\"g\",\"seq\":1,"
                                                "\"reactions\":[{\"emoji\":\"") +
                                     QByteArray(33, 'e') + "\",\"users\":[]}]}")));
        QByteArray mentions = "{\"type\":\"chatMessage\",\"user\":\"a\",\"text\":\"t\",\"mentions\":[";
        for (int i = 0; i < 21; ++i)
            mentions += QByteArray(i ? "," : "") + "\"n\"";
        mentions += "]}";
        QVERIFY(isError(decodeServer(mentions)));
    }

    // A hostile server's reactions and edits are held to what a real server could send
    // (PROTOCOL.md 3): over a bound is a decode error, as for chatMessage; a repeated user shown once.
    void hostileReactionUsersAndEditMentionsAreBounded_data()
    {
        QTest::addColumn<QByteArray>("json");
        const auto users = [](int count, const char *prefix) {
            QByteArray out;
            for (int i = 0; i < count; ++i)
                out += QByteArray(i ? "," : "") + "\"" + prefix + QByteArray::number(i) + "\"";
            return out;
        };
        const QByteArray head = "{\"type\":\"reactions\",\"room\":\"g\",\"seq\":1,\"reactions\":[";
        QTest::newRow("1,001 users on one emoji")
            << head + "{\"emoji\":\"\\u2764\",\"users\":[" + users(1001, "u") + "]}]}";
        QTest::newRow("1,001 users over two emoji")
            << head + "{\"emoji\":\"\\u2764\",\"users\":[" + users(600, "u") + "]}," +
                   "{\"emoji\":\"\\u2728\",\"users\":[" + users(401, "v") + "]}]}";
        QTest::newRow("300,000 users")
            << head + "{\"emoji\":\"\\u2764\",\"users\":[" + users(300000, "") + "]}]}";
        QByteArray mentions =
            "{\"type\":\"messageEdited\",\"room\":\"g\",\"seq\":1,\"text\":\"t\",\"mentions\":[";
        QTest::newRow("edit with 21 mentions") << mentions + users(21, "n") + "]}";
    }
    void hostileReactionUsersAndEditMentionsAreBounded()
    {
        QFETCH(QByteArray, json);
        const auto d = decodeServer(json);
        QVERIFY(isError(d));
        QCOMPARE(errorCodeName(std::get<DecodeError>(d).code), errorCodeName(ErrorCode::TooLong));
    }

    void reactionBoundsStillTakeWhatAServerSends()
    {
        QByteArray users;
        for (int i = 0; i < 1000; ++i)
            users += QByteArray(i ? "," : "") + "\"u" + QByteArray::number(i) + "\"";
        const auto full = decodeServer(QByteArray("{\"type\":\"reactions\",\"room\":\"g\",\"seq\":1,"
                                                  "\"reactions\":[{\"emoji\":\"\\u2764\",\"users\":[") +
                                       users + "]}]}");
        QVERIFY(!isError(full));
        QCOMPARE(
            std::get<ReactionsChanged>(std::get<ServerMessage>(full)).reactions.constFirst().users.size(),
            1000);

        const auto repeated =
            decodeServer(QByteArray("{\"type\":\"reactions\",\"room\":\"g\",\"seq\":1,\"reactions\":["
                                    "{\"emoji\":\"\\u2764\",\"users\":[\"bob\",\"bob\",\"ana\",\"bob\"]},"
                                    "{\"emoji\":\"\\u2728\",\"users\":[\"bob\"]}]}"));
        QVERIFY(!isError(repeated));
        const auto reactions = std::get<ReactionsChanged>(std::get<ServerMessage>(repeated)).reactions;
        QCOMPARE(reactions.at(0).users, (QStringList{QStringLiteral("bob"), QStringLiteral("ana")}));
        QCOMPARE(reactions.at(1).users, QStringList{QStringLiteral("bob")}); // another emoji: kept

        QByteArray mentions;
        for (int i = 0; i < 20; ++i)
            mentions += QByteArray(i ? "," : "") + "\"n" + QByteArray::number(i) + "\"";
        const auto edit = decodeServer(QByteArray("{\"type\":\"messageEdited\",\"room\":\"g\",\"seq\":1,"
                                                  "\"text\":\"t\",\"mentions\":[") +
                                       mentions + "]}");
        QVERIFY(!isError(edit));
        QCOMPARE(std::get<MessageEdited>(std::get<ServerMessage>(edit)).mentions.size(), 20);
    }

    // PROTOCOL.md 3: an emoji as Unicode writes it, not a look-alike that draws the same.
    void emojiLookAlikesAreRefused_data()
    {
        QTest::addColumn<QString>("emoji");
        QTest::newRow("two selectors") << QStringLiteral("👍\uFE0F\uFE0F");
        QTest::newRow("three text selectors") << QStringLiteral("\u2764\uFE0E\uFE0E\uFE0E");
        QTest::newRow("trailing joiner") << QStringLiteral("👍\u200D");
        QTest::newRow("two joiners") << QStringLiteral("👨\u200D\u200D👩");
        QTest::newRow("combining grapheme joiner") << QStringLiteral("👍\u034F");
        QTest::newRow("tags after a thumb") << QStringLiteral("👍\U000E0061\U000E007F");
        QTest::newRow("tags with no cancel") << QStringLiteral("🏴\U000E0067\U000E0062");
        QTest::newRow("cancel tag mid-sequence")
            << QStringLiteral("🏴\U000E0067\U000E007F\U000E0062\U000E007F");
        QTest::newRow("keycap on plus") << QStringLiteral("+\u20E3");
        QTest::newRow("keycap on a mark") << QStringLiteral("\u0301\u20E3");
        QTest::newRow("keycap on an emoji") << QStringLiteral("👍\u20E3");
        QTest::newRow("keycap on an Arabic digit") << QStringLiteral("\u0663\u20E3");
        QTest::newRow("keycap, two selectors") << QStringLiteral("1\uFE0F\uFE0F\u20E3");
        QTest::newRow("lone high surrogate") << QString(QChar(0xD800));
        QTest::newRow("emoji and a lone low surrogate") << QStringLiteral("👍") + QChar(0xDC00);
    }
    void emojiLookAlikesAreRefused()
    {
        QFETCH(QString, emoji);
        const auto error = validateEmoji(emoji);
        QVERIFY(error);
        QCOMPARE(errorCodeName(error->code), errorCodeName(ErrorCode::BadField));
    }

    void emojiAreAccepted_data()
    {
        QTest::addColumn<QString>("emoji");
        QTest::newRow("thumb") << QStringLiteral("👍");
        QTest::newRow("thumb, skin tone") << QStringLiteral("👍🏽");
        QTest::newRow("heart") << QStringLiteral("\u2764");
        QTest::newRow("heart with selector") << QStringLiteral("❤️");
        QTest::newRow("text presentation") << QStringLiteral("\u2714\uFE0E");
        QTest::newRow("family") << QStringLiteral("👨‍👩‍👧");
        QTest::newRow("heart on fire") << QStringLiteral("❤️‍🔥");
        QTest::newRow("eye in speech bubble") << QStringLiteral("👁️‍🗨️");
        QTest::newRow("flag") << QStringLiteral("🇫🇷");
        QTest::newRow("subdivision flag")
            << QStringLiteral("🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F");
        QTest::newRow("keycap") << QStringLiteral("1️⃣");
        QTest::newRow("bare keycap") << QStringLiteral("#\u20E3");
        QTest::newRow("party") << QStringLiteral("🎉");
    }
    void emojiAreAccepted()
    {
        QFETCH(QString, emoji);
        const auto error = validateEmoji(emoji);
        QVERIFY2(!error, error ? qPrintable(error->message) : "");
    }

    void aLoneSurrogateFromJsonIsNoEmoji()
    {
        for (const char *json : {"{\"type\":\"react\",\"seq\":1,\"emoji\":\"\\ud800\"}",
                                 "{\"type\":\"react\",\"seq\":1,\"emoji\":\"\\ud83d\\udc4d\\udc4d\"}",
                                 "{\"type\":\"react\",\"seq\":1,\"emoji\":\"\\u2764\\ud83d\"}"}) {
            const auto d = decodeClient(QByteArray(json));
            QVERIFY2(isError(d), json);
        }
    }

    void clientTypeNamesMatchTheWire()
    {
        const QList<ClientMessage> all = {Hello{},          SetUsername{}, JoinRoom{},   LeaveRoom{},
                                          SendChat{},       Typing{},      Ping{},       ListRooms{},
                                          FileStart{},      FileEnd{},     FileCancel{}, FileDecline{},
                                          HistoryRequest{}, Auth{},        Logout{}};
        for (const ClientMessage &m : all)
            QCOMPARE(objectOf(encode(m)).value(QStringLiteral("type")).toString(), typeName(m));
    }

    void accountMessagesRoundTrip()
    {
        const Auth login =
            clientRoundTrip(Auth{QStringLiteral("ana"), QStringLiteral("correct horse"), false, {}});
        QCOMPARE(login.username, QStringLiteral("ana"));
        QCOMPARE(login.password, QStringLiteral("correct horse"));
        QVERIFY(!login.registerAccount);
        QVERIFY(!login.usesToken());
        QVERIFY(!objectOf(encode(ClientMessage(login))).contains(QStringLiteral("register")));
        QVERIFY(clientRoundTrip(Auth{QStringLiteral("ana"), QStringLiteral("pw"), true, {}}).registerAccount);
        const QString token(43, QLatin1Char('q'));
        const Auth resume = clientRoundTrip(Auth{{}, {}, false, token});
        QCOMPARE(resume.token, token);
        QVERIFY(resume.usesToken());
        QCOMPARE(objectOf(encode(ClientMessage(resume))).keys(),
                 (QStringList{QStringLiteral("token"), QStringLiteral("type")}));
        clientRoundTrip(Logout{});

        const auto ok =
            decodeServer(encode(ServerMessage(AuthOk{QStringLiteral("Ana"), token, 1767225600000})));
        QVERIFY(!isError(ok));
        const AuthOk &authOk = std::get<AuthOk>(std::get<ServerMessage>(ok));
        QCOMPARE(authOk.username, QStringLiteral("Ana"));
        QCOMPARE(authOk.token, token);
        QCOMPARE(authOk.expiresAt, 1767225600000);
        const auto out = decodeServer(encode(ServerMessage(LoggedOut{})));
        QVERIFY(!isError(out) && std::holds_alternative<LoggedOut>(std::get<ServerMessage>(out)));
        QCOMPARE(
            std::get<DecodeError>(decodeServer(QByteArrayLiteral("{\"type\":\"authOk\",\"username\":\"a\"}")))
                .code,
            ErrorCode::MissingField);
        // A token is an id: bounded, and of the id alphabet only.
        QVERIFY(isError(
            decodeServer(encode(ServerMessage(AuthOk{QStringLiteral("a"), QString(4096, u'q'), 0})))));

        Connected c;
        c.clientId = QStringLiteral("c-1");
        c.protocol = Version;
        c.auth = AuthMode::Accounts;
        c.registration = true;
        c.username = QStringLiteral("Ana");
        const Connected c2 = serverRoundTrip(c);
        QCOMPARE(c2.auth, AuthMode::Accounts);
        QVERIFY(c2.registration);
        QCOMPARE(c2.username, QStringLiteral("Ana"));
        // An open server (or one from before accounts) sends none of the three.
        c.auth.clear();
        c.username.clear();
        const QJsonObject open = objectOf(encode(ServerMessage(c)));
        QVERIFY(!open.contains(QStringLiteral("auth")) && !open.contains(QStringLiteral("registration")) &&
                !open.contains(QStringLiteral("username")));

        Error failed{
            QStringLiteral("Wrong name or password"), errorCodeName(ErrorCode::AuthFailed), {}, {}, 4000};
        const Error failed2 = serverRoundTrip(failed);
        QCOMPARE(failed2.code, QStringLiteral("authFailed"));
        QCOMPARE(failed2.retryAfterMs, 4000);
    }

    void malformedAuthIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ErrorCode>("code");
        QTest::newRow("no password") << QByteArray("{\"type\":\"auth\",\"username\":\"ana\"}")
                                     << ErrorCode::MissingField;
        QTest::newRow("no name") << QByteArray("{\"type\":\"auth\",\"password\":\"x\"}")
                                 << ErrorCode::MissingField;
        QTest::newRow("empty token") << QByteArray("{\"type\":\"auth\",\"token\":\"\"}")
                                     << ErrorCode::BadField;
        QTest::newRow("number token") << QByteArray("{\"type\":\"auth\",\"token\":5}") << ErrorCode::BadField;
        QTest::newRow("string register")
            << QByteArray("{\"type\":\"auth\",\"username\":\"a\",\"password\":\"b\",\"register\":\"yes\"}")
            << ErrorCode::BadField;
        QTest::newRow("long token") << QByteArray("{\"type\":\"auth\",\"token\":\"" + QByteArray(200, 'a') +
                                                  "\"}")
                                    << ErrorCode::BadField;
    }

    void malformedAuthIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(ErrorCode, code);
        const auto d = decodeClient(json);
        QVERIFY2(isError(d), json.constData());
        QCOMPARE(errorCodeName(std::get<DecodeError>(d).code), errorCodeName(code));
    }

    void guideClientMessagesDecode()
    {
        // Exactly what the guides' browser client puts on the wire.
        QCOMPARE(decodeClientAs<SetUsername>("{\"type\":\"setUsername\",\"username\":\"John\"}").username,
                 QStringLiteral("John"));
        QCOMPARE(decodeClientAs<JoinRoom>("{\"type\":\"joinRoom\",\"room\":\"general\"}").room,
                 QStringLiteral("general"));
        decodeClientAs<LeaveRoom>("{\"type\":\"leaveRoom\"}");
        QCOMPARE(decodeClientAs<SendChat>("{\"type\":\"chatMessage\",\"text\":\"hi\"}").text,
                 QStringLiteral("hi"));
        decodeClientAs<Typing>("{\"type\":\"typing\"}");
        QCOMPARE(decodeClientAs<Ping>("{\"type\":\"ping\",\"timestamp\":1725321600000}").timestamp,
                 1725321600000);
        const FileStart fs = decodeClientAs<FileStart>(
            "{\"type\":\"fileStart\",\"name\":\"a.txt\",\"size\":3,\"mimeType\":\"\"}");
        QVERIFY(fs.transferId.isEmpty());
        decodeClientAs<FileEnd>("{\"type\":\"fileEnd\"}");
    }

    void namesAreTrimmed()
    {
        QCOMPARE(decodeClientAs<SetUsername>("{\"type\":\"setUsername\",\"username\":\"  bob  \"}").username,
                 QStringLiteral("bob"));
    }

    void namesAreJudgedByCodePoint_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("expected"); // empty: refused
        const auto cp = [](char32_t c) {
            return QString::fromUcs4(&c, 1);
        };
        QTest::newRow("plain") << QStringLiteral("alice") << QStringLiteral("alice");
        QTest::newRow("space inside") << QStringLiteral(" Mary Jane ") << QStringLiteral("Mary Jane");
        QTest::newRow("nfd becomes nfc") << QStringLiteral("Jose\u0301") << QStringLiteral("Jos\u00E9");
        QTest::newRow("astral letters count once")
            << QString(31, QChar(u'x')) + cp(0x1D400) << QString(31, QChar(u'x')) + cp(0x1D400);
        QTest::newRow("emoji") << QStringLiteral("🐱 cat") << QStringLiteral("🐱 cat");
        QTest::newRow("emoji with variation selector")
            << QStringLiteral("\u2764\uFE0F") << QStringLiteral("\u2764\uFE0F");
        QTest::newRow("U+E0061 tag") << QStringLiteral("bob") + cp(0xE0061) << QString();
        QTest::newRow("U+1D173 format") << QStringLiteral("bob") + cp(0x1D173) << QString();
        QTest::newRow("U+200B") << QStringLiteral("bo\u200Bb") << QString();
        QTest::newRow("U+FEFF") << QStringLiteral("\uFEFFbob") << QString();
        QTest::newRow("U+202E") << QStringLiteral("bob\u202Egpj.exe") << QString();
        QTest::newRow("lone high surrogate") << QStringLiteral("bob") + QChar(0xD800) << QString();
        QTest::newRow("lone low surrogate") << QString(QChar(0xDFFF)) + QStringLiteral("bob") << QString();
        QTest::newRow("reversed pair") << QStringLiteral("b") + QChar(0xDC00) + QChar(0xD800) << QString();
        QTest::newRow("U+3164") << cp(0x3164) << QString();
        QTest::newRow("U+2800") << cp(0x2800) << QString();
        QTest::newRow("U+115F") << QStringLiteral("a") + cp(0x115F) << QString();
        QTest::newRow("U+1160") << QStringLiteral("a") + cp(0x1160) << QString();
        QTest::newRow("U+FFA0") << cp(0xFFA0) << QString();
        QTest::newRow("U+034F") << QStringLiteral("a\u034Fb") << QString();
        QTest::newRow("U+FFFD") << QStringLiteral("a\uFFFD") << QString();
        QTest::newRow("private use") << cp(0x10FFFD) << QString();
        QTest::newRow("unassigned") << QStringLiteral("a") + cp(0x0378) << QString();
        QTest::newRow("noncharacter") << QStringLiteral("a") + cp(0xFDD0) << QString();
        QTest::newRow("C1") << QStringLiteral("a\u0085b") << QString();
        QTest::newRow("line separator") << QStringLiteral("a\u2028b") << QString();
        QTest::newRow("ideographic space inside") << QStringLiteral("a\u3000b") << QString();
        QTest::newRow("two spaces") << QStringLiteral("a  b") << QString();
        QTest::newRow("leading mark") << QStringLiteral("\u0301a") << QString();
        QTest::newRow("33 code points") << QString(33, QChar(u'x')) << QString();
    }

    void namesAreJudgedByCodePoint()
    {
        QFETCH(QString, raw);
        QFETCH(QString, expected);
        const auto v = validateName(raw, 32, QStringLiteral("Name"));
        if (expected.isEmpty()) {
            QVERIFY(std::holds_alternative<DecodeError>(v));
            QCOMPARE(std::get<DecodeError>(v).code, ErrorCode::InvalidName);
        } else {
            const auto *e = std::get_if<DecodeError>(&v);
            QVERIFY2(!e, e ? qPrintable(e->message) : "");
            QCOMPARE(std::get<QString>(v), expected);
        }
    }

    void nameKeysIgnoreCaseAndNormalForm()
    {
        const QString key = nameKey(QStringLiteral("Jos\u00E9"));
        QCOMPARE(nameKey(QStringLiteral("Jose\u0301")), key);
        QCOMPARE(nameKey(QStringLiteral("JOSÉ")), key);
        QCOMPARE(nameKey(QStringLiteral("JOSE\u0301")), key);
        QVERIFY(nameKey(QStringLiteral("Jose")) != key);
        QCOMPARE(nameKey(QStringLiteral("General")), nameKey(QStringLiteral("general")));
        QCOMPARE(nameKey(QStringLiteral("\u2764\uFE0F")), nameKey(QStringLiteral("\u2764")));
        // A dropped selector between a letter and its mark leaves them to compose.
        QCOMPARE(nameKey(QStringLiteral("Jose\uFE0F\u0301")), key);
        QVERIFY(sameName(QStringLiteral("Café"), QStringLiteral("cafe\u0301")));
        QVERIFY(!sameName(QStringLiteral("cafe"), QStringLiteral("café")));
    }

    // PROTOCOL.md 1, *Identity*: compatibility forms cannot make a look-alike of a held name.
    void nameKeysFoldCompatibilityForms()
    {
        const QString ana = nameKey(QStringLiteral("Ana"));
        QCOMPARE(nameKey(QStringLiteral("ana")), ana);
        QCOMPARE(nameKey(QStringLiteral("ANA")), ana);
        QCOMPARE(nameKey(QStringLiteral("\uFF21\uFF2E\uFF21")), ana);                // full-width "ＡＮＡ"
        QCOMPARE(nameKey(QStringLiteral("\uFF41na")), ana);                          // full-width "ａ"
        QCOMPARE(nameKey(QStringLiteral("\uFB01")), nameKey(QStringLiteral("fi")));  // the "ﬁ" ligature
        QCOMPARE(nameKey(QStringLiteral("x\u00B2")), nameKey(QStringLiteral("x2"))); // superscript two
        QCOMPARE(nameKey(QStringLiteral("\u212Bngstr\u00F6m")), nameKey(QStringLiteral("ångström")));
        QCOMPARE(nameKey(QStringLiteral("bob \u2764\uFE0F")), nameKey(QStringLiteral("BOB \u2764")));
        QVERIFY(nameKey(QStringLiteral("Anna")) != ana);
        QVERIFY(nameKey(QStringLiteral("\u0391na")) != ana); // Greek capital alpha is another letter
    }

    void nameTokensTravelOnlyAsExtensions()
    {
        const QString token(43, QLatin1Char('t'));
        QCOMPARE(clientRoundTrip(SetUsername{QStringLiteral("ana"), token}).nameToken, token);
        QCOMPARE(serverRoundTrip(UsernameSet{QStringLiteral("ana"), token}).nameToken, token);
        QVERIFY(!encode(ClientMessage(SetUsername{QStringLiteral("ana"), {}})).contains("nameToken"));
        Limits base;
        base.extensions = false;
        const auto decoded =
            decodeClient(encode(ClientMessage(SetUsername{QStringLiteral("ana"), token})), base);
        QVERIFY(std::get<SetUsername>(std::get<ClientMessage>(decoded)).nameToken.isEmpty());
    }

    void serverMessagesRoundTrip()
    {
        Connected c;
        c.clientId = QStringLiteral("c-1");
        c.server = QStringLiteral("natter-server/0.1.0");
        c.protocol = Version;
        c.features = Feature::all();
        c.maxMessageBytes = 1 << 20;
        c.maxFileBytes = 4LL << 30;
        c.historyLimit = 200;
        c.heartbeatMs = 30000;
        c.idWindowMs = 86400000;
        const Connected c2 = serverRoundTrip(c);
        QCOMPARE(c2.idWindowMs, c.idWindowMs);
        QCOMPARE(c2.clientId, c.clientId);
        QCOMPARE(c2.features, c.features);
        QCOMPARE(c2.maxFileBytes, c.maxFileBytes);
        QCOMPARE(c2.heartbeatMs, c.heartbeatMs);

        QCOMPARE(serverRoundTrip(UsernameSet{QStringLiteral("al")}).username, QStringLiteral("al"));

        ChatMessage m{QStringLiteral("bob"),    QStringLiteral("hi"), 1763770000123, QStringLiteral("x"), 42,
                      QStringLiteral("general")};
        const ChatMessage m2 = serverRoundTrip(m);
        QCOMPARE(m2.user, m.user);
        QCOMPARE(m2.text, m.text);
        QCOMPARE(m2.timestamp, m.timestamp);
        QCOMPARE(m2.id, m.id);
        QCOMPARE(m2.seq, m.seq);
        QCOMPARE(m2.room, m.room);
        QVERIFY(!m2.file);
        ChatMessage file = m;
        file.file = FileRecord{QStringLiteral("t-1"), QStringLiteral("photo.jpg"), 150000,
                               QStringLiteral("image/jpeg")};
        const ChatMessage file2 = serverRoundTrip(file);
        QVERIFY(file2.file);
        QCOMPARE(file2.file->transferId, QStringLiteral("t-1"));
        QCOMPARE(file2.file->name, QStringLiteral("photo.jpg"));
        QCOMPARE(file2.file->size, 150000);
        QCOMPARE(file2.file->mimeType, QStringLiteral("image/jpeg"));

        RoomJoined j;
        j.room = QStringLiteral("general");
        j.userCount = 2;
        j.users = QStringList{QStringLiteral("bob"), QStringLiteral("al")};
        j.history = QList<ChatMessage>{m};
        j.lastSeq = 42;
        j.historyTruncated = true;
        j.historyMore = true;
        j.epoch = QStringLiteral("e1");
        const RoomJoined j2 = serverRoundTrip(j);
        QVERIFY(j2.historyMore);
        QCOMPARE(j2.epoch, QStringLiteral("e1"));
        QCOMPARE(j2.userCount, 2);
        QCOMPARE(*j2.users, *j.users);
        QCOMPARE(j2.history->size(), 1);
        QCOMPARE(j2.history->first().seq, 42);
        QCOMPARE(j2.lastSeq, std::optional<qint64>(42));
        QVERIFY(j2.historyTruncated);

        const UserJoined uj = serverRoundTrip(UserJoined{QStringLiteral("al"), QStringLiteral("general"), 3});
        QCOMPARE(uj.userCount, 3);
        QCOMPARE(uj.room, QStringLiteral("general"));
        const UserLeft ul = serverRoundTrip(UserLeft{QStringLiteral("al"), 2, QStringLiteral("general")});
        QCOMPARE(ul.user, QStringLiteral("al"));
        QCOMPARE(ul.userCount, 2);
        QCOMPARE(serverRoundTrip(UserTyping{QStringLiteral("al"), {}}).user, QStringLiteral("al"));

        const Error e = serverRoundTrip(
            Error{QStringLiteral("bad"), QStringLiteral("badField"), QStringLiteral("t"), {}, 0});
        QCOMPARE(e.message, QStringLiteral("bad"));
        QCOMPARE(e.code, QStringLiteral("badField"));
        QCOMPARE(e.transferId, QStringLiteral("t"));
        Error limited{QStringLiteral("slow down"), QStringLiteral("rateLimited"), {}, {}, 250};
        limited.request = QStringLiteral("history");
        QCOMPARE(serverRoundTrip(limited).request, QStringLiteral("history"));

        const HistoryPage page = serverRoundTrip(
            HistoryPage{QStringLiteral("general"), {m}, true, true, 99, QStringLiteral("e1")});
        QCOMPARE(page.room, QStringLiteral("general"));
        QCOMPARE(page.messages.size(), 1);
        QCOMPARE(page.messages.first().seq, 42);
        QVERIFY(page.more);
        QVERIFY(page.truncated);
        QCOMPARE(page.lastSeq, 99);
        QCOMPARE(page.epoch, QStringLiteral("e1"));
        QVERIFY(!serverRoundTrip(HistoryPage{QStringLiteral("general"), {}, false, false, 0, {}}).more);

        const Pong p = serverRoundTrip(Pong{5, 7});
        QCOMPARE(p.timestamp, 5);
        QCOMPARE(p.serverTime, 7);

        const Ack a = serverRoundTrip(Ack{QStringLiteral("x"), 42, QStringLiteral("general"), 9, true});
        QCOMPARE(a.seq, 42);
        QVERIFY(a.duplicate);

        RoomList rl;
        rl.rooms = {{QStringLiteral("general"), 3, 17, QStringLiteral("e1")},
                    {QStringLiteral("random"), 1, 0, {}}};
        const RoomList rl2 = serverRoundTrip(rl);
        QCOMPARE(rl2.rooms.size(), 2);
        QCOMPARE(rl2.rooms.at(1).name, QStringLiteral("random"));
        QCOMPARE(rl2.rooms.at(0).userCount, 3);
        QCOMPARE(rl2.rooms.at(0).lastSeq, 17);
        QCOMPARE(rl2.rooms.at(0).epoch, QStringLiteral("e1"));

        QCOMPARE(serverRoundTrip(FileAccepted{QStringLiteral("t"), 17}).nextChunk, 17u);
        QCOMPARE(serverRoundTrip(FileProgress{QStringLiteral("t"), 8}).received, 8u);
        QCOMPARE(serverRoundTrip(FileComplete{QStringLiteral("t"), 100}).size, 100);
        const FileOffer o = serverRoundTrip(FileOffer{7, QStringLiteral("t"), QStringLiteral("al"),
                                                      QStringLiteral("g"), QStringLiteral("f.bin"), 65537,
                                                      QStringLiteral("application/octet-stream")});
        QCOMPARE(o.stream, 7u);
        QCOMPARE(o.size, 65537);
        QCOMPARE(o.name, QStringLiteral("f.bin"));
        QCOMPARE(serverRoundTrip(FileDone{0xfffffffeu}).stream, 0xfffffffeu);
        const FileAborted ab = serverRoundTrip(FileAborted{3, QStringLiteral("sender left"), true});
        QVERIFY(ab.resumable);
        QCOMPARE(ab.reason, QStringLiteral("sender left"));
    }

    // chatMessage has its own writer (JsonWriter) for speed; it must write what QJsonDocument
    // would: the same object as the same message in a history page (chatToJson), in bytes that
    // QJsonDocument, reading and writing them again, leaves as they are.
    void chatMessagesAreWrittenAsQJsonDocumentWrites_data()
    {
        QTest::addColumn<ChatMessage>("message");
        const auto chat = [](const QString &text) {
            return ChatMessage{QStringLiteral("alice"), text, 1763770000123, {}, 0, {}};
        };
        QTest::newRow("guide") << chat(QStringLiteral("hello"));
        QTest::newRow("null text and user") << ChatMessage{{}, {}, 0, {}, 0, {}};
        QString controls;
        for (char16_t c = 0; c < 0x20; ++c)
            controls += QChar(c);
        QTest::newRow("controls") << chat(controls);
        QTest::newRow("escapes") << chat(QStringLiteral("\"quoted\" back\\slash /slash \x7f"));
        QTest::newRow("non-ASCII") << chat(
            QString::fromUtf8("é ß € \u2028 \u2029 日本語 😀 👍🏽 🏴‍☠️"));
        QTest::newRow("lone high surrogate")
            << chat(QStringLiteral("a") + QChar(0xd83d) + QStringLiteral("b"));
        QTest::newRow("lone low surrogate") << chat(QString(QChar(0xdc00)));
        QTest::newRow("high surrogate last") << chat(QStringLiteral("x") + QChar(0xdbff));
        QTest::newRow("U+FFFF and U+FFFE") << chat(QString(QChar(0xffff)) + QChar(0xfffe));
        ChatMessage full = chat(QStringLiteral("see @bob"));
        full.id = QStringLiteral("m-1");
        full.seq = 9007199254740992; // 2^53, the largest a JSON number holds exactly
        full.room = QStringLiteral("général");
        full.file = FileRecord{QStringLiteral("t-1"), QStringLiteral("photo \"1\".jpg"), 123456789,
                               QStringLiteral("image/jpeg")};
        full.replyTo = 41;
        full.edited = 1763770100000;
        full.reactions = {{QStringLiteral("👍"), {QStringLiteral("bob"), QStringLiteral("carol")}},
                          {QStringLiteral("❤️"), {QStringLiteral("dave")}}};
        full.mentions = {QStringLiteral("bob")};
        QTest::newRow("every field") << full;
        ChatMessage tombstone = chat({});
        tombstone.seq = 3;
        tombstone.deleted = 1763770200000;
        tombstone.file = FileRecord{{}, QStringLiteral("a.bin"), 0, {}};
        QTest::newRow("tombstone, bare file") << tombstone;
        ChatMessage huge = chat(QStringLiteral("x"));
        huge.timestamp = std::numeric_limits<qint64>::max(); // past 2^53: written as a double
        huge.seq = (qint64(1) << 53) + 1;
        QTest::newRow("past 2^53") << huge;
        ChatMessage negative = chat(QStringLiteral("x"));
        negative.timestamp = -1;
        QTest::newRow("negative timestamp") << negative;
        // Qt's parser drops a byte order mark opening a string; the writers keep it.
        QTest::newRow("byte order mark opening the text")
            << chat(QString(QChar(QChar::ByteOrderMark)) + QStringLiteral("x"));
    }

    void chatMessagesAreWrittenAsQJsonDocumentWrites()
    {
        QFETCH(ChatMessage, message);
        const QByteArray fast = encode(message);
        QCOMPARE(encode(ServerMessage(message)), fast);
        QJsonParseError error;
        const QJsonDocument read = QJsonDocument::fromJson(fast, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(QJsonDocument(toJsonObject(message)).toJson(QJsonDocument::Compact), fast);
        // The history page's entry is chatToJson's object for the same message.
        const QJsonObject page = objectOf(
            encode(ServerMessage(HistoryBeforePage{QStringLiteral("r"), 2, {message}, false, false, 1, {}})));
        QCOMPARE(read.object(), page.value(QLatin1String("messages")).toArray().at(0).toObject());
    }

    void aByteOrderMarkOpeningTheTextSurvivesTheRoundTrip()
    {
        // U+FEFF is only skipped before the JSON (PROTOCOL.md 1); inside a string it is text.
        const ChatMessage sent{QStringLiteral("alice"),
                               QString(QChar(QChar::ByteOrderMark)) + QStringLiteral("hello"),
                               1763770000123,
                               {},
                               0,
                               {}};
        const Decoded<ServerMessage> back = decodeServer(encode(sent));
        QVERIFY(!isError(back));
        QCOMPARE(std::get<ChatMessage>(std::get<ServerMessage>(back)).text, sent.text);
    }

    void baseServerMessagesCarryNoExtensionFields()
    {
        // A base server fills only the guides' fields; the encoder must not invent the others.
        Connected base;
        base.clientId = QStringLiteral("c");
        QCOMPARE(objectOf(encode(ServerMessage(base))).keys(),
                 (QStringList{QStringLiteral("clientId"), QStringLiteral("type")}));
        QCOMPARE(objectOf(encode(ServerMessage(
                              ChatMessage{QStringLiteral("a"), QStringLiteral("t"), 1, {}, 0, {}})))
                     .keys(),
                 (QStringList{QStringLiteral("text"), QStringLiteral("timestamp"), QStringLiteral("type"),
                              QStringLiteral("user")}));
        RoomJoined j;
        j.room = QStringLiteral("r");
        j.userCount = 1;
        QCOMPARE(objectOf(encode(ServerMessage(j))).keys(),
                 (QStringList{QStringLiteral("room"), QStringLiteral("type"), QStringLiteral("userCount")}));
        QCOMPARE(objectOf(encode(ServerMessage(UserLeft{QStringLiteral("a"), 0, {}}))).keys(),
                 (QStringList{QStringLiteral("type"), QStringLiteral("user"), QStringLiteral("userCount")}));
        QCOMPARE(objectOf(encode(ServerMessage(Error{QStringLiteral("m"), {}, {}, {}, 0}))).keys(),
                 (QStringList{QStringLiteral("message"), QStringLiteral("type")}));
    }

    void guideServerMessagesDecode()
    {
        // The guides' server sends `user: null` before a username is set.
        auto d = decodeServer("{\"type\":\"chatMessage\",\"user\":null,\"text\":\"x\",\"timestamp\":1}");
        QVERIFY(!isError(d));
        QVERIFY(std::get<ChatMessage>(std::get<ServerMessage>(d)).user.isEmpty());
        d = decodeServer("{\"type\":\"userJoined\",\"user\":\"a\",\"room\":\"r\",\"userCount\":1}");
        QCOMPARE(std::get<UserJoined>(std::get<ServerMessage>(d)).userCount, 1);
    }

    void malformedClientInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ErrorCode>("code");
        QTest::newRow("not json") << QByteArray("{nope") << ErrorCode::InvalidJson;
        QTest::newRow("empty") << QByteArray("") << ErrorCode::InvalidJson;
        QTest::newRow("array") << QByteArray("[1,2]") << ErrorCode::NotAnObject;
        QTest::newRow("no type") << QByteArray("{\"text\":\"x\"}") << ErrorCode::MissingField;
        QTest::newRow("numeric type") << QByteArray("{\"type\":3}") << ErrorCode::BadField;
        QTest::newRow("unknown type")
            << QByteArray("{\"type\":\"launchMissiles\"}") << ErrorCode::UnknownType;
        QTest::newRow("username missing")
            << QByteArray("{\"type\":\"setUsername\"}") << ErrorCode::MissingField;
        QTest::newRow("username number")
            << QByteArray("{\"type\":\"setUsername\",\"username\":5}") << ErrorCode::BadField;
        QTest::newRow("username blank")
            << QByteArray("{\"type\":\"setUsername\",\"username\":\"   \"}") << ErrorCode::InvalidName;
        QTest::newRow("username control")
            << QByteArray("{\"type\":\"setUsername\",\"username\":\"a\\u0007b\"}") << ErrorCode::InvalidName;
        QTest::newRow("username newline")
            << QByteArray("{\"type\":\"setUsername\",\"username\":\"a\\nb\"}") << ErrorCode::InvalidName;
        QTest::newRow("username too long")
            << QByteArray("{\"type\":\"setUsername\",\"username\":\"" + QByteArray(33, 'x') + "\"}")
            << ErrorCode::InvalidName;
        QTest::newRow("room too long")
            << QByteArray("{\"type\":\"joinRoom\",\"room\":\"" + QByteArray(65, 'r') + "\"}")
            << ErrorCode::InvalidName;
        QTest::newRow("room empty") << QByteArray("{\"type\":\"joinRoom\",\"room\":\"\"}")
                                    << ErrorCode::InvalidName;
        QTest::newRow("since fractional")
            << QByteArray("{\"type\":\"joinRoom\",\"room\":\"r\",\"since\":1.5}") << ErrorCode::BadField;
        QTest::newRow("since negative")
            << QByteArray("{\"type\":\"joinRoom\",\"room\":\"r\",\"since\":-1}") << ErrorCode::BadField;
        QTest::newRow("since string")
            << QByteArray("{\"type\":\"joinRoom\",\"room\":\"r\",\"since\":\"3\"}") << ErrorCode::BadField;
        QTest::newRow("text missing") << QByteArray("{\"type\":\"chatMessage\"}") << ErrorCode::MissingField;
        QTest::newRow("text empty") << QByteArray("{\"type\":\"chatMessage\",\"text\":\"\"}")
                                    << ErrorCode::BadField;
        QTest::newRow("text object") << QByteArray("{\"type\":\"chatMessage\",\"text\":{}}")
                                     << ErrorCode::BadField;
        QTest::newRow("text too long")
            << QByteArray("{\"type\":\"chatMessage\",\"text\":\"" + QByteArray(16385, 'y') + "\"}")
            << ErrorCode::TooLong;
        // 6000 three-byte characters: under the limit in characters, over it in UTF-8 bytes.
        QTest::newRow("text too long in utf8") << QByteArray("{\"type\":\"chatMessage\",\"text\":\"" +
                                                             QString(6000, QChar(0x20AC)).toUtf8() + "\"}")
                                               << ErrorCode::TooLong;
        QTest::newRow("id empty") << QByteArray("{\"type\":\"chatMessage\",\"text\":\"x\",\"id\":\"\"}")
                                  << ErrorCode::BadField;
        QTest::newRow("id too long") << QByteArray("{\"type\":\"chatMessage\",\"text\":\"x\",\"id\":\"" +
                                                   QByteArray(65, 'i') + "\"}")
                                     << ErrorCode::BadField;
        QTest::newRow("ping no timestamp") << QByteArray("{\"type\":\"ping\"}") << ErrorCode::MissingField;
        QTest::newRow("ping text timestamp")
            << QByteArray("{\"type\":\"ping\",\"timestamp\":\"now\"}") << ErrorCode::BadField;
        QTest::newRow("fileStart negative size")
            << QByteArray("{\"type\":\"fileStart\",\"name\":\"a\",\"size\":-1}") << ErrorCode::BadField;
        QTest::newRow("fileStart no name")
            << QByteArray("{\"type\":\"fileStart\",\"size\":1}") << ErrorCode::MissingField;
        QTest::newRow("fileStart huge name")
            << QByteArray("{\"type\":\"fileStart\",\"size\":1,\"name\":\"" + QByteArray(256, 'n') + "\"}")
            << ErrorCode::TooLong;
        QTest::newRow("hello features not strings")
            << QByteArray("{\"type\":\"hello\",\"features\":[1]}") << ErrorCode::BadField;
        QTest::newRow("fileCancel no id")
            << QByteArray("{\"type\":\"fileCancel\"}") << ErrorCode::MissingField;
        QTest::newRow("fileDecline no stream")
            << QByteArray("{\"type\":\"fileDecline\"}") << ErrorCode::MissingField;
        QTest::newRow("fileDecline negative stream")
            << QByteArray("{\"type\":\"fileDecline\",\"stream\":-1}") << ErrorCode::BadField;
        QTest::newRow("fileDecline stream past 32 bits")
            << QByteArray("{\"type\":\"fileDecline\",\"stream\":4294967296}") << ErrorCode::BadField;
        // The JSON rules of PROTOCOL.md section 1: one name once, and the caps.
        QTest::newRow("repeated name")
            << QByteArray("{\"type\":\"chatMessage\",\"text\":\"a\",\"text\":\"b\"}")
            << ErrorCode::InvalidJson;
        QTest::newRow("repeated type, escaped")
            << QByteArray("{\"type\":\"chatMessage\",\"text\":\"a\",\"\\u0074ype\":\"typing\"}")
            << ErrorCode::InvalidJson;
        QByteArray manyValues = "{\"type\":\"hello\",\"features\":[";
        for (int i = 0; i < Limits{}.maxClientMessageValues; ++i)
            manyValues += "\"f\",";
        manyValues.chop(1);
        QTest::newRow("too many values") << manyValues + "]}" << ErrorCode::TooLong;
        QTest::newRow("long number") << QByteArray("{\"type\":\"ping\",\"timestamp\":1" +
                                                   QByteArray(32, '0') + "}")
                                     << ErrorCode::TooLong;
        QTest::newRow("long string in an unknown field")
            << QByteArray("{\"type\":\"typing\",\"x\":\"" + QByteArray(32 * 1024 + 1, 'x') + "\"}")
            << ErrorCode::TooLong;
    }

    // The caps must let every legal message through: the biggest a client reads is a room's
    // full history of long texts, with a roster.
    void largestLegalServerMessageDecodes()
    {
        RoomJoined joined;
        joined.room = QStringLiteral("r");
        joined.users = QStringList();
        for (int i = 0; i < 5000; ++i)
            joined.users->append(QStringLiteral("u%1").arg(i));
        joined.history = QList<ChatMessage>();
        for (int i = 1; i <= 200; ++i)
            joined.history->append(ChatMessage{QStringLiteral("u"),
                                               QString(Limits{}.maxTextBytes, QLatin1Char('\n')), i,
                                               QStringLiteral("id%1").arg(i), i, QStringLiteral("r")});
        const QByteArray json = encode(ServerMessage(joined));
        const auto d = decodeServer(json);
        QVERIFY2(!isError(d), isError(d) ? qPrintable(std::get<DecodeError>(d).message) : "");
        QCOMPARE(std::get<RoomJoined>(std::get<ServerMessage>(d)).history->size(), 200);
        // And the most a client sends: a hello full of features, and a chat at its limit.
        Hello hello{QStringLiteral("natter"), Feature::all()};
        QVERIFY(!isError(decodeClient(encode(ClientMessage(hello)))));
        QVERIFY(!isError(decodeClient(encode(ClientMessage(
            SendChat{QString(Limits{}.maxTextBytes, QLatin1Char('"')), QStringLiteral("i")})))));
    }

    void malformedClientInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(ErrorCode, code);
        const auto d = decodeClient(json);
        QVERIFY2(isError(d), json.constData());
        const DecodeError e = std::get<DecodeError>(d);
        QCOMPARE(errorCodeName(e.code), errorCodeName(code));
        QVERIFY(!e.message.isEmpty());
    }

    void malformedServerInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ErrorCode>("code");
        QTest::newRow("unknown type") << QByteArray("{\"type\":\"surprise\"}") << ErrorCode::UnknownType;
        QTest::newRow("connected without id")
            << QByteArray("{\"type\":\"connected\"}") << ErrorCode::MissingField;
        QTest::newRow("ack seq string")
            << QByteArray("{\"type\":\"ack\",\"id\":\"x\",\"seq\":\"1\"}") << ErrorCode::BadField;
        // What a client keeps from a server message is bounded: ids, epochs and room names.
        QTest::newRow("ack without id")
            << QByteArray("{\"type\":\"ack\",\"seq\":1}") << ErrorCode::MissingField;
        QTest::newRow("ack id too long")
            << QByteArray("{\"type\":\"ack\",\"id\":\"" + QByteArray(65, 'i') + "\",\"seq\":1}")
            << ErrorCode::BadField;
        QTest::newRow("chat room too long")
            << QByteArray("{\"type\":\"chatMessage\",\"user\":\"b\",\"text\":\"t\",\"room\":\"" +
                          QByteArray(257, 'r') + "\"}")
            << ErrorCode::TooLong;
        QTest::newRow("roomJoined epoch too long")
            << QByteArray("{\"type\":\"roomJoined\",\"room\":\"r\",\"epoch\":\"" + QByteArray(65, 'e') +
                          "\"}")
            << ErrorCode::BadField;
        QTest::newRow("rooms not array")
            << QByteArray("{\"type\":\"rooms\",\"rooms\":{}}") << ErrorCode::BadField;
        QTest::newRow("room entry without name")
            << QByteArray("{\"type\":\"rooms\",\"rooms\":[{\"userCount\":1}]}") << ErrorCode::MissingField;
        QTest::newRow("history entry bad seq")
            << QByteArray("{\"type\":\"roomJoined\",\"room\":\"r\",\"history\":[{\"type\":\"chatMessage\","
                          "\"text\":\"x\",\"seq\":0}]}")
            << ErrorCode::BadField;
        QTest::newRow("offer stream too big")
            << QByteArray("{\"type\":\"fileOffer\",\"stream\":4294967296,\"name\":\"a\",\"size\":1}")
            << ErrorCode::BadField;
        QTest::newRow("file not an object")
            << QByteArray("{\"type\":\"chatMessage\",\"user\":\"b\",\"text\":\"t\",\"file\":\"a.txt\"}")
            << ErrorCode::BadField;
        QTest::newRow("file without name")
            << QByteArray("{\"type\":\"chatMessage\",\"user\":\"b\",\"text\":\"t\",\"file\":{\"size\":1}}")
            << ErrorCode::MissingField;
        QTest::newRow("file negative size")
            << QByteArray("{\"type\":\"chatMessage\",\"user\":\"b\",\"text\":\"t\",\"file\":{\"name\":\"a\","
                          "\"size\":-1}}")
            << ErrorCode::BadField;
        QTest::newRow("file name too long")
            << QByteArray("{\"type\":\"chatMessage\",\"user\":\"b\",\"text\":\"t\",\"file\":{\"name\":\"" +
                          QByteArray(256, 'n') + "\",\"size\":1}}")
            << ErrorCode::TooLong;
        QTest::newRow("file mimeType too long")
            << QByteArray("{\"type\":\"chatMessage\",\"user\":\"b\",\"text\":\"t\",\"file\":{\"name\":\"a\","
                          "\"size\":1,\"mimeType\":\"" +
                          QByteArray(300, 'm') + "\"}}")
            << ErrorCode::TooLong;
        QTest::newRow("pong fractional")
            << QByteArray("{\"type\":\"pong\",\"timestamp\":1.5}") << ErrorCode::BadField;
    }

    void malformedServerInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(ErrorCode, code);
        const auto d = decodeServer(json);
        QVERIFY2(isError(d), json.constData());
        QCOMPARE(errorCodeName(std::get<DecodeError>(d).code), errorCodeName(code));
    }

    void errorCodesHaveStableNames()
    {
        QCOMPARE(errorCodeName(ErrorCode::InvalidName), QStringLiteral("invalidName"));
        QCOMPARE(errorCodeFromName(QStringLiteral("notInRoom")),
                 std::optional<ErrorCode>(ErrorCode::NotInRoom));
        QVERIFY(!errorCodeFromName(QStringLiteral("nonsense")));
        for (const char *name :
             {"nameTaken", "accountName", "authRequired", "authFailed", "registrationClosed"}) {
            const auto code = errorCodeFromName(QLatin1String(name));
            QVERIFY2(code, name);
            QCOMPARE(errorCodeName(*code), QLatin1String(name));
        }
    }

    void chunkFraming()
    {
        const QByteArray data(ChunkDataBytes, 'z');
        const QByteArray frame = encodeChunk(0x01020304, data);
        QCOMPARE(frame.size(), 4 + ChunkDataBytes);
        // Big-endian index first, as the guides' DataView.setUint32 writes it.
        QCOMPARE(frame.left(4), QByteArray("\x01\x02\x03\x04", 4));
        const auto c = decodeChunk(frame);
        QVERIFY(!isError(c));
        QCOMPARE(std::get<Chunk>(c).index, 0x01020304u);
        QCOMPARE(std::get<Chunk>(c).data, data);

        const auto empty = decodeChunk(QByteArray("\0\0\0\x05", 4));
        QVERIFY(!isError(empty));
        QCOMPARE(std::get<Chunk>(empty).index, 5u);
        QVERIFY(std::get<Chunk>(empty).data.isEmpty());
    }

    void malformedChunks()
    {
        for (int n = 0; n < 4; ++n) {
            const auto c = decodeChunk(QByteArray(n, '\0'));
            QVERIFY(isError(c));
            QCOMPARE(std::get<DecodeError>(c).code, ErrorCode::BadChunk);
        }
        const auto big = decodeChunk(QByteArray(4 + ChunkDataBytes + 1, 'a'));
        QVERIFY(isError(big));
        QCOMPARE(std::get<DecodeError>(big).code, ErrorCode::BadChunk);
        QVERIFY(isError(decodeRelayChunk(QByteArray(7, '\0'))));
        QVERIFY(isError(decodeRelayChunk(QByteArray(8 + ChunkDataBytes + 1, '\0'))));
    }

    void relayFraming()
    {
        const QByteArray frame = encodeRelayChunk(7, 9, QByteArray("abc"));
        QCOMPARE(frame.size(), 11);
        const auto r = decodeRelayChunk(frame);
        QVERIFY(!isError(r));
        QCOMPARE(std::get<RelayChunk>(r).stream, 7u);
        QCOMPARE(std::get<RelayChunk>(r).index, 9u);
        QCOMPARE(std::get<RelayChunk>(r).data, QByteArray("abc"));
    }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverfixture.h"
#include "wsprobe.h"

#include <QJsonArray>
#include <QtTest>

using namespace Protocol;

// Replies, edits, deletions, reactions and mentions (PROTOCOL.md 3, *Conversation*), against an
// in-process server, from the point of view of the members and of a hostile one.
class TestServerConversation : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatServer> m_server;
    const QString m_room = QStringLiteral("general");

    // Sends a chat message and returns its seq from the ack (0 when none came).
    static qint64 say(WsProbe &probe, const QString &text, qint64 replyTo = 0)
    {
        static int n = 0;
        probe.send(SendChat{text, QStringLiteral("c-%1").arg(++n), replyTo});
        const auto ack = probe.next<Ack>();
        return ack ? ack->seq : 0;
    }
    static QString errorCode(WsProbe &probe)
    {
        const auto error = probe.next<Error>();
        return error ? error->code : QString();
    }
    // The room's history as a newcomer gets it on joining.
    QJsonArray historySeenBy(const QString &name)
    {
        WsProbe late;
        if (!late.login(m_server->url(), name, m_room))
            return {};
        return late.all(QStringLiteral("roomJoined")).constLast().value(QLatin1String("history")).toArray();
    }

private slots:
    void init() { m_server = startTestServer(); }
    void cleanup() { m_server.reset(); }

    void featureIsAdvertised()
    {
        WsProbe alice;
        QVERIFY(alice.open(m_server->url()));
        const auto features =
            alice.all(QStringLiteral("connected")).constFirst().value(QLatin1String("features"));
        QVERIFY(features.toArray().contains(Feature::Conversation));
    }

    void aReplyNamesAMessageTheRoomHolds()
    {
        WsProbe alice, bob;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        QVERIFY(bob.login(m_server->url(), QStringLiteral("bob"), m_room));
        const qint64 question = say(alice, QStringLiteral("lunch?"));
        QCOMPARE(question, 1);
        QCOMPARE(say(bob, QStringLiteral("yes"), question), 2);
        const auto relayed = alice.next<ChatMessage>();
        QVERIFY(relayed);
        QCOMPARE(relayed->replyTo, question);

        // A seq nobody wrote yet is refused, with the message's id, and delivered to nobody.
        bob.send(SendChat{QStringLiteral("to the future"), QStringLiteral("future"), 99});
        const auto error = bob.next<Error>();
        QVERIFY(error);
        QCOMPARE(error->code, QStringLiteral("unknownMessage"));
        QCOMPARE(error->id, QStringLiteral("future"));
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("chatMessage")), 1);
        QCOMPARE(say(bob, QStringLiteral("numbering goes on")), 3);
        QCOMPARE(historySeenBy(QStringLiteral("carol"))
                     .at(1)
                     .toObject()
                     .value(QLatin1String("replyTo"))
                     .toInteger(),
                 question);
    }

    void onlyTheAuthorEdits()
    {
        WsProbe alice, bob;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        QVERIFY(bob.login(m_server->url(), QStringLiteral("bob"), m_room));
        const qint64 seq = say(alice, QStringLiteral("teh plan"));

        bob.send(EditMessage{seq, QStringLiteral("bob was here")});
        QCOMPARE(errorCode(bob), QStringLiteral("notAuthor"));
        bob.send(EditMessage{seq + 5, QStringLiteral("nothing there")});
        QCOMPARE(errorCode(bob), QStringLiteral("unknownMessage"));

        alice.send(EditMessage{seq, QStringLiteral("the plan")});
        for (WsProbe *member : {&alice, &bob}) { // the author too: that is her confirmation
            const auto edited = member->next<MessageEdited>();
            QVERIFY(edited);
            QCOMPARE(edited->seq, seq);
            QCOMPARE(edited->room, m_room);
            QCOMPARE(edited->text, QStringLiteral("the plan"));
            QVERIFY(edited->edited > 0);
        }
        QCOMPARE(bob.count(QStringLiteral("messageEdited")), 1); // bob's attempt changed nothing

        const QJsonObject kept = historySeenBy(QStringLiteral("carol")).at(0).toObject();
        QCOMPARE(kept.value(QLatin1String("text")).toString(), QStringLiteral("the plan"));
        QVERIFY(kept.value(QLatin1String("edited")).toInteger() > 0);

        // Renamed, alice is someone else: the message stays with the name.
        alice.send(SetUsername{QStringLiteral("alicia")});
        QVERIFY(alice.waitFor(QStringLiteral("usernameSet")));
        alice.send(EditMessage{seq, QStringLiteral("as alicia")});
        QCOMPARE(errorCode(alice), QStringLiteral("notAuthor"));
    }

    void aDeletedMessageIsATombstone()
    {
        WsProbe alice, bob;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        QVERIFY(bob.login(m_server->url(), QStringLiteral("bob"), m_room));
        const qint64 seq = say(alice, QStringLiteral("oops, my password"));
        QCOMPARE(say(bob, QStringLiteral("👀")), seq + 1);
        bob.send(React{seq, QStringLiteral("😮"), true});
        QVERIFY(alice.next<ReactionsChanged>());
        bob.send(DeleteMessage{seq});
        QCOMPARE(errorCode(bob), QStringLiteral("notAuthor"));

        alice.send(DeleteMessage{seq});
        for (WsProbe *member : {&alice, &bob}) {
            const auto deleted = member->next<MessageDeleted>();
            QVERIFY(deleted);
            QCOMPARE(deleted->seq, seq);
            QVERIFY(deleted->deleted > 0);
        }
        const QJsonArray history = historySeenBy(QStringLiteral("carol"));
        QCOMPARE(history.size(), 2); // no gap in the numbering
        const QJsonObject tombstone = history.at(0).toObject();
        QCOMPARE(tombstone.value(QLatin1String("seq")).toInteger(), seq);
        QCOMPARE(tombstone.value(QLatin1String("text")).toString(), QString());
        QVERIFY(tombstone.value(QLatin1String("deleted")).toInteger() > 0);
        QVERIFY(!tombstone.contains(QLatin1String("reactions")));

        // Nothing more happens to it.
        alice.send(EditMessage{seq, QStringLiteral("back")});
        QCOMPARE(errorCode(alice), QStringLiteral("unknownMessage"));
        bob.send(React{seq, QStringLiteral("👍"), true});
        QCOMPARE(errorCode(bob), QStringLiteral("unknownMessage"));
        bob.send(SendChat{QStringLiteral("re"), QStringLiteral("re"), seq});
        QCOMPARE(errorCode(bob), QStringLiteral("unknownMessage"));
        alice.send(DeleteMessage{seq});
        QCOMPARE(errorCode(alice), QStringLiteral("unknownMessage"));
    }

    void reactionsTogglePerUser()
    {
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        QVERIFY(bob.login(m_server->url(), QStringLiteral("bob"), m_room));
        QVERIFY(carol.login(m_server->url(), QStringLiteral("carol"), m_room));
        const qint64 seq = say(alice, QStringLiteral("release is out"));
        const QString thumbs = QStringLiteral("👍");
        const QString party = QStringLiteral("🎉");
        const auto reactionsAt = [&](WsProbe &probe) {
            const auto changed = probe.next<ReactionsChanged>();
            return changed ? changed->reactions : QList<Reaction>{{QStringLiteral("none"), {}}};
        };

        bob.send(React{seq, thumbs, true});
        carol.send(React{seq, thumbs, true});
        carol.send(React{seq, party, true});
        QList<Reaction> seen;
        for (int i = 0; i < 3; ++i)
            seen = reactionsAt(alice);
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen.at(0).emoji, thumbs);
        QCOMPARE(seen.at(0).users, QStringList({QStringLiteral("bob"), QStringLiteral("carol")}));
        QCOMPARE(seen.at(1).emoji, party);
        QCOMPARE(seen.at(1).users, QStringList{QStringLiteral("carol")});

        // The same reaction again changes nothing: only bob hears how things stand.
        QVERIFY(alice.settle());
        const int before = alice.count(QStringLiteral("reactions"));
        for (int i = 0; i < 3; ++i)
            reactionsAt(bob); // his own and carol's two
        bob.send(React{seq, thumbs, true});
        QCOMPARE(reactionsAt(bob).at(0).users.size(), 2);
        bob.send(React{seq, party, false}); // not his: nothing to take back
        QCOMPARE(reactionsAt(bob).size(), 2);
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("reactions")), before);

        bob.send(React{seq, thumbs, false});
        seen = reactionsAt(alice);
        QCOMPARE(seen.at(0).users, QStringList{QStringLiteral("carol")});
        carol.send(React{seq, thumbs, false});
        seen = reactionsAt(alice);
        QCOMPARE(seen.size(), 1); // an emoji nobody holds is gone
        QCOMPARE(seen.at(0).emoji, party);

        const QJsonArray kept = historySeenBy(QStringLiteral("dave"))
                                    .at(0)
                                    .toObject()
                                    .value(QLatin1String("reactions"))
                                    .toArray();
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept.at(0).toObject().value(QLatin1String("emoji")).toString(), party);
    }

    void reactionsAreBounded_data()
    {
        QTest::addColumn<QString>("emoji");
        QTest::newRow("a letter") << QStringLiteral("a");
        QTest::newRow("two emoji") << QStringLiteral("👍👍");
        QTest::newRow("text") << QStringLiteral("lol");
        QTest::newRow("a lone combining mark") << QString(QChar(0x0301));
        QTest::newRow("a space") << QStringLiteral(" ");
        QTest::newRow("a bidi override") << QStringLiteral("\u202E👍");
        QTest::newRow("too long") << QString(40, QChar(0x2764));
        // Look-alikes of one emoji, each of which would let one user hold "👍" again.
        QTest::newRow("two selectors") << QStringLiteral("👍\uFE0F\uFE0F");
        QTest::newRow("text and emoji selectors") << QStringLiteral("👍\uFE0E\uFE0F");
        QTest::newRow("trailing joiner") << QStringLiteral("👍\u200D");
        QTest::newRow("joiner before a selector") << QStringLiteral("👍\u200D\uFE0F");
        QTest::newRow("combining grapheme joiner") << QStringLiteral("👍\u034F");
        QTest::newRow("tags after a thumb") << QStringLiteral("👍\U000E0061\U000E007F");
        QTest::newRow("cancel tag alone") << QStringLiteral("👍\U000E007F");
        QTest::newRow("flag without tags") << QStringLiteral("🏴\U000E007F");
        QTest::newRow("flag tags not ended") << QStringLiteral("🏴\U000E0067\U000E0062");
        QTest::newRow("keycap on plus") << QStringLiteral("+\u20E3");
        QTest::newRow("keycap on a mark") << QStringLiteral("\u0301\u20E3");
        QTest::newRow("keycap on an emoji") << QStringLiteral("👍\u20E3");
        QTest::newRow("keycap on another digit") << QStringLiteral("\u0663\u20E3");
        QTest::newRow("keycap with two selectors") << QStringLiteral("1\uFE0F\uFE0F\u20E3");
    }
    void reactionsAreBounded()
    {
        QFETCH(QString, emoji);
        WsProbe alice;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        const qint64 seq = say(alice, QStringLiteral("react to me"));
        alice.send(React{seq, emoji, true});
        const QString code = errorCode(alice);
        QVERIFY2(code == QLatin1String("badField") || code == QLatin1String("tooLong"), qPrintable(code));
        QVERIFY(alice.settle());
        QCOMPARE(alice.count(QStringLiteral("reactions")), 0);
    }

    void emojiThatAreOneGraphemeAreAccepted_data()
    {
        QTest::addColumn<QString>("emoji");
        QTest::newRow("heart with selector") << QStringLiteral("❤️");
        QTest::newRow("skin tone") << QStringLiteral("👍🏽");
        QTest::newRow("family (ZWJ)") << QStringLiteral("👨‍👩‍👧");
        QTest::newRow("flag") << QStringLiteral("🇫🇷");
        QTest::newRow("keycap") << QStringLiteral("1️⃣");
        QTest::newRow("keycap without selector") << QStringLiteral("#\u20E3");
        QTest::newRow("star keycap") << QStringLiteral("*\uFE0F\u20E3");
        QTest::newRow("text presentation") << QStringLiteral("\u2714\uFE0E");
        QTest::newRow("heart on fire (ZWJ)") << QStringLiteral("❤️‍🔥");
        QTest::newRow("rainbow flag") << QStringLiteral("🏳️‍🌈");
        QTest::newRow("eye in speech bubble") << QStringLiteral("👁️‍🗨️");
        QTest::newRow("technologist, skin tone") << QStringLiteral("👩🏽‍💻");
        QTest::newRow("subdivision flag (tags)")
            << QStringLiteral("🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F");
    }
    void emojiThatAreOneGraphemeAreAccepted()
    {
        QFETCH(QString, emoji);
        WsProbe alice;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        const qint64 seq = say(alice, QStringLiteral("react to me"));
        alice.send(React{seq, emoji, true});
        const auto changed = alice.next<ReactionsChanged>();
        QVERIFY(changed);
        QCOMPARE(changed->reactions.constFirst().emoji, emoji);
    }

    void aMessageHoldsAtMostTwentyEmoji()
    {
        WsProbe alice;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        const qint64 seq = say(alice, QStringLiteral("react to me"));
        for (int i = 0; i < 20; ++i)
            alice.send(
                React{seq, QString::fromUcs4(std::u32string(1, char32_t(0x1F600 + i)).data(), 1), true});
        for (int i = 0; i < 20; ++i)
            QVERIFY(alice.next<ReactionsChanged>());
        alice.send(React{seq, QStringLiteral("🚀"), true});
        QCOMPARE(errorCode(alice), QStringLiteral("tooManyReactions"));
        alice.send(React{seq, QString::fromUcs4(std::u32string(1, char32_t(0x1F600)).data(), 1), false});
        QCOMPARE(alice.next<ReactionsChanged>()->reactions.size(), 19);
        alice.send(React{seq, QStringLiteral("🚀"), true});
        QCOMPARE(alice.next<ReactionsChanged>()->reactions.size(), 20);
    }

    void mentionsNameTheMembers()
    {
        WsProbe alice, bob, carol;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        QVERIFY(bob.login(m_server->url(), QStringLiteral("Bob Smith"), m_room));
        QVERIFY(carol.login(m_server->url(), QStringLiteral("carol"), m_room));
        say(alice, QStringLiteral("@bob smith, and @CAROL: lunch? (not @nobody, nor me@carolina)"));
        const auto atBob = bob.next<ChatMessage>();
        QVERIFY(atBob);
        QCOMPARE(atBob->mentions, QStringList({QStringLiteral("Bob Smith"), QStringLiteral("carol")}));
        QCOMPARE(carol.next<ChatMessage>()->mentions, atBob->mentions);

        const qint64 plain = say(alice, QStringLiteral("no one in particular"));
        QVERIFY(bob.next<ChatMessage>()->mentions.isEmpty());
        alice.send(EditMessage{plain, QStringLiteral("actually, @carol")});
        QCOMPARE(bob.next<MessageEdited>()->mentions, QStringList{QStringLiteral("carol")});

        // A text that is all `@` costs a bounded amount and mentions nobody.
        say(alice, QString(4000, QLatin1Char('@')));
        QVERIFY(bob.next<ChatMessage>()->mentions.isEmpty());
    }

    // A hostile text makes the server normalise a bounded number of candidates; what lies past
    // the bound is not looked at (PROTOCOL.md 3, *Mentions*).
    void mentionsAreLookedForWithinABound()
    {
        WsProbe alice, bob;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        QVERIFY(bob.login(m_server->url(), QStringLiteral("bob"), m_room));
        // Every position after each `@` ends a candidate: the worst case for the server.
        QString noise;
        for (int i = 0; i < 60; ++i)
            noise += QStringLiteral("@") + QString(12, QChar(0x3001)); // 、 is punctuation
        say(bob, QStringLiteral("@alice ") + noise + QStringLiteral(" @bob"));
        const auto first = alice.next<ChatMessage>();
        QVERIFY(first);
        QCOMPARE(first->mentions, QStringList{QStringLiteral("alice")}); // bob's is past the bound
        say(bob, QStringLiteral("@alice ") + noise.left(13 * 5) + QStringLiteral(" @bob"));
        QCOMPARE(alice.next<ChatMessage>()->mentions,
                 QStringList({QStringLiteral("alice"), QStringLiteral("bob")}));
    }

    // Every reaction sends each member the whole reaction set; a member toggling one on a message
    // with a large set pays for what that makes the server send (PROTOCOL.md 3, *Rates*).
    void togglingAReactionIsChargedForItsAnnouncement()
    {
        ServerConfig config = testServerConfig();
        config.rateScale = 1; // the real rates: 30 chat messages at once, 256 KiB of text
        m_server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        const qint64 seq = say(alice, QStringLiteral("react to me"));
        // Forty members with long names (32 four-byte characters) put five emoji each on it (20
        // emoji in all): a set of about 26 KB, sent whole to every member on every change. Each
        // of them pays for at most five such announcements, within the 256 KiB.
        std::vector<std::unique_ptr<WsProbe>> crowd;
        for (int u = 0; u < 40; ++u) {
            QString name;
            for (int c = 0; c < 31; ++c)
                name += QString::fromUcs4(std::u32string(1, char32_t(0x20000 + c)).data(), 1);
            name += QString::fromUcs4(std::u32string(1, char32_t(0x20100 + u)).data(), 1);
            auto probe = std::make_unique<WsProbe>();
            QVERIFY(probe->login(m_server->url(), name, m_room));
            for (int e = 0; e < 5; ++e) {
                const char32_t emoji = 0x1F600 + (u * 5 + e) % 20;
                probe->send(React{seq, QString::fromUcs4(&emoji, 1), true});
            }
            for (int e = 0; e < 5; ++e)
                QVERIFY(probe->next<ReactionsChanged>());
            crowd.push_back(std::move(probe));
        }
        WsProbe mallory;
        QVERIFY(mallory.login(m_server->url(), QStringLiteral("mallory"), m_room));
        // 28 toggles fit the chat message rate (30 at once); their announcements do not fit the
        // 256 KiB of chat text.
        for (int i = 0; i < 28; ++i)
            mallory.send(React{seq, QStringLiteral("😀"), i % 2 == 0});
        const auto refused = mallory.next<Error>();
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("rateLimited"));
        QVERIFY(mallory.settle());
        const int accepted = mallory.count(QStringLiteral("reactions"));
        QVERIFY2(accepted >= 5 && accepted < 15, qPrintable(QString::number(accepted)));
        // The others were not slowed: alice still chats at once.
        QVERIFY(say(alice, QStringLiteral("still here")) > 0);
    }

    void aBaseOnlyServerKnowsNoneOfIt()
    {
        ServerConfig config = testServerConfig();
        config.baseOnly = true;
        m_server = startTestServer(config);
        WsProbe alice;
        QVERIFY(alice.login(m_server->url(), QStringLiteral("alice"), m_room));
        alice.send(SendChat{QStringLiteral("hi"), {}});
        // A base server's errors carry no code: the guides' wording names the type.
        const auto refused = [&alice](const char *type) {
            const auto error = alice.next<Error>();
            return error && error->code.isEmpty() &&
                   error->message == QStringLiteral("Unknown message type '%1'").arg(QLatin1String(type));
        };
        alice.send(EditMessage{1, QStringLiteral("edited")});
        QVERIFY(refused("editMessage"));
        alice.send(React{1, QStringLiteral("👍"), true});
        QVERIFY(refused("react"));
        alice.send(DeleteMessage{1});
        QVERIFY(refused("deleteMessage"));
        QVERIFY(!alice.all(QStringLiteral("connected"))
                     .constFirst()
                     .value(QLatin1String("features"))
                     .toArray()
                     .contains(Feature::Conversation));
    }
};

QTEST_MAIN(TestServerConversation)
#include "tst_serverconversation.moc"

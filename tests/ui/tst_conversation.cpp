// SPDX-License-Identifier: GPL-3.0-or-later
// Replies, edits, deletions, reactions and mentions in the desktop app (PROTOCOL.md 3), against a
// real in-process server and a second real client.
#include "alicewindow.h"
#include "appsettings.h"
#include "chatclient.h"
#include "chatsession.h"
#include "clientfixture.h"
#include "composer.h"
#include "confirmation.h"
#include "conversationpresenter.h"
#include "draftkeeper.h"
#include "emojichoices.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageview.h"
#include "outbox.h"
#include "replybar.h"
#include "roomlistdock.h"
#include "serverfixture.h"
#include "uitestsupport.h"
#include "userlistmodel.h"

#include <QContextMenuEvent>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;

const QString ThumbsUp = QStringLiteral("👍");

QAction *menuAction(QMenu *menu, const QString &name)
{
    return menu ? menu->findChild<QAction *>(name) : nullptr;
}

} // namespace

class TestConversation : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    AliceWindow m_alice;

    // Alice's window and Bob's client, both in "general" on a server with (or without) the feature.
    bool open(bool baseOnly = false)
    {
        ServerConfig config = testServerConfig();
        config.baseOnly = baseOnly;
        return m_alice.open(m_dir, config, {}, Timeout);
    }

    MessageModel *model() const { return m_alice.window->messageModel(); }
    MessageView *view() const { return m_alice.window->messageView(); }

    // Waits until `text` is a row of Alice's view, numbered by the server when it numbers
    // messages; its row, or -1.
    int waitForRow(const QString &text)
    {
        int row = -1;
        const bool numbered = m_alice.client->hasFeature(Protocol::Feature::Conversation);
        const bool found = QTest::qWaitFor(
            [&] {
                row = UiTest::rowWithText(model(), text);
                return row >= 0 &&
                       (!numbered || model()->index(row).data(MessageModel::SeqRole).toLongLong() > 0);
            },
            Timeout);
        return found ? row : -1;
    }

    // Alice sends `text` from the composer; the row once the server numbered it.
    int sendFromComposer(const QString &text)
    {
        Composer *composer = m_alice.window->composer();
        composer->setFocus();
        QTest::keyClicks(composer, text);
        QTest::keyClick(composer, Qt::Key_Return);
        return waitForRow(text);
    }

    // The context menu of `row`, as the mouse or the Menu key opens it.
    // Rows streaming in are laid out once per frame, and a row that changed height in the next
    // layout: waits until `index` is on screen at its current height.
    bool waitShown(const QModelIndex &index)
    {
        return QTest::qWaitFor(
            [&] {
                view()->scrollTo(index);
                const QRect rect = view()->visualRect(index);
                return view()->indexAt(rect.center()) == index &&
                       rect.height() == view()->sizeHintForIndex(index).height();
            },
            Timeout);
    }

    std::unique_ptr<QMenu> menuOf(int row)
    {
        const QModelIndex index = model()->index(row);
        if (!waitShown(index))
            return nullptr;
        return std::unique_ptr<QMenu>(view()->createContextMenu(view()->visualRect(index).center()));
    }

    QModelIndex seqIndex(qint64 seq) const { return model()->index(model()->rowOfSeq(seq)); }

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_conversation"));
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { m_alice.close(); }

    // The model keeps what the server says about each message, and each change touches its row.
    void modelFollowsConversationEvents()
    {
        QVERIFY(open());
        m_alice.bob->sendMessage(QStringLiteral("first"));
        const int first = waitForRow(QStringLiteral("first"));
        QVERIFY(first >= 0);
        const qint64 firstSeq = model()->index(first).data(MessageModel::SeqRole).toLongLong();
        m_alice.bob->sendMessage(QStringLiteral("hi @alice, see above"), firstSeq);
        const int mention = waitForRow(QStringLiteral("hi @alice, see above"));
        QVERIFY(mention >= 0);
        const QModelIndex m = model()->index(mention);
        QVERIFY(m.data(MessageModel::MentionsMeRole).toBool());
        QCOMPARE(m.data(MessageModel::MentionsRole).toStringList(), QStringList{QStringLiteral("alice")});
        QCOMPARE(m.data(MessageModel::ReplyToRole).toLongLong(), firstSeq);
        QCOMPARE(m.data(MessageModel::ReplyPreviewRole).toString(), QStringLiteral("bob: first"));
        QVERIFY(!model()->index(first).data(MessageModel::MentionsMeRole).toBool());
        QVERIFY(!model()->index(first).data(MessageModel::MineRole).toBool());

        QSignalSpy changed(model(), &QAbstractItemModel::dataChanged);
        QVERIFY(m_alice.bob->editMessage(firstSeq, QStringLiteral("first, edited")));
        QTRY_COMPARE_WITH_TIMEOUT(model()->index(first).data(MessageModel::TextRole).toString(),
                                  QStringLiteral("first, edited"), Timeout);
        QVERIFY(model()->index(first).data(MessageModel::EditedRole).toLongLong() > 0);
        QCOMPARE(MessageDelegate::displayText(model()->index(first)),
                 QStringLiteral("first, edited (edited)"));
        QCOMPARE(m.data(MessageModel::ReplyPreviewRole).toString(), QStringLiteral("bob: first, edited"));

        QVERIFY(m_alice.bob->react(firstSeq, ThumbsUp));
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(model()->index(first), ThumbsUp), 1, Timeout);
        QVERIFY(model()->index(first).data(MessageModel::OwnReactionsRole).toStringList().isEmpty());

        QVERIFY(m_alice.bob->deleteMessage(firstSeq));
        QTRY_VERIFY_WITH_TIMEOUT(model()->index(first).data(MessageModel::DeletedRole).toBool(), Timeout);
        QCOMPARE(model()->index(first).data(MessageModel::TextRole).toString(), QString());
        QCOMPARE(UiTest::reactionCount(model()->index(first), ThumbsUp), 0);
        QCOMPARE(MessageDelegate::displayText(model()->index(first)), QStringLiteral("message deleted"));
        QCOMPARE(m.data(MessageModel::ReplyPreviewRole).toString(), QStringLiteral("bob: message deleted"));
        // Each change told the view about that one row only.
        QCOMPARE(changed.size(), 3);
        for (const QList<QVariant> &args : changed) {
            QCOMPARE(args.at(0).toModelIndex().row(), first);
            QCOMPARE(args.at(1).toModelIndex().row(), first);
        }
    }

    // What changed before Alice came shows as it is now: history carries edits, tombstones,
    // reactions and replies.
    void historyShowsCurrentState()
    {
        m_alice.server = startTestServer();
        m_alice.bob = std::make_unique<ChatClient>(fastClientSettings(m_dir, QStringLiteral("bob")));
        QVERIFY(connectAndJoin(*m_alice.bob, m_alice.server->url(), QStringLiteral("bob"),
                               QStringLiteral("general")));
        QSignalSpy acked(m_alice.bob->outbox(), &Outbox::entryRemoved);
        m_alice.bob->sendMessage(QStringLiteral("typo"));
        m_alice.bob->sendMessage(QStringLiteral("gone soon"));
        QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 2, Timeout);
        m_alice.bob->sendMessage(QStringLiteral("about the typo"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 3, Timeout);
        QSignalSpy changes(m_alice.bob.get(), &ChatClient::reactionsChanged);
        QSignalSpy edits(m_alice.bob.get(), &ChatClient::messageEdited);
        QSignalSpy deletions(m_alice.bob.get(), &ChatClient::messageDeleted);
        QVERIFY(m_alice.bob->editMessage(1, QStringLiteral("fixed")));
        QVERIFY(m_alice.bob->react(1, ThumbsUp));
        QVERIFY(m_alice.bob->deleteMessage(2));
        QTRY_VERIFY_WITH_TIMEOUT(!changes.isEmpty() && !edits.isEmpty() && !deletions.isEmpty(), Timeout);

        QVERIFY(m_alice.startAlice(m_dir));
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowOfSeq(3) >= 0, true, Timeout);
        QCOMPARE(seqIndex(1).data(MessageModel::TextRole).toString(), QStringLiteral("fixed"));
        QVERIFY(seqIndex(1).data(MessageModel::EditedRole).toLongLong() > 0);
        QCOMPARE(UiTest::reactionCount(seqIndex(1), ThumbsUp), 1);
        QVERIFY(seqIndex(2).data(MessageModel::DeletedRole).toBool());
        QCOMPARE(seqIndex(3).data(MessageModel::ReplyToRole).toLongLong(), 1);
        QCOMPARE(seqIndex(3).data(MessageModel::ReplyPreviewRole).toString(), QStringLiteral("bob: fixed"));
        QVERIFY(m_alice.window->conversation()->isEnabled());
    }

    // Reply from the context menu: the bar above the composer quotes the message, and what is sent
    // answers it.
    void replyShowsPreviewAndSendsReplyTo()
    {
        QVERIFY(open());
        m_alice.bob->sendMessage(QStringLiteral("lunch at noon?"));
        const int row = waitForRow(QStringLiteral("lunch at noon?"));
        QVERIFY(row >= 0);
        const qint64 seq = model()->index(row).data(MessageModel::SeqRole).toLongLong();
        auto menu = menuOf(row);
        QAction *reply = menuAction(menu.get(), QStringLiteral("replyAction"));
        QVERIFY(reply);
        QVERIFY(!menuAction(menu.get(), QStringLiteral("editAction"))); // not Alice's
        QVERIFY(!menuAction(menu.get(), QStringLiteral("deleteAction")));
        reply->trigger();
        QVERIFY(m_alice.window->replyBar()->isVisible());
        QCOMPARE(m_alice.window->replyBar()->text(), QStringLiteral("Replying to bob: lunch at noon?"));

        QSignalSpy received(m_alice.bob.get(), &ChatClient::messageReceived);
        const int answer = sendFromComposer(QStringLiteral("yes"));
        QVERIFY(answer >= 0);
        QVERIFY(!m_alice.window->replyBar()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), Timeout);
        const auto message = received.constLast().at(0).value<Protocol::ChatMessage>();
        QCOMPARE(message.text, QStringLiteral("yes"));
        QCOMPARE(message.replyTo, seq);
        // Alice's view quotes it above her reply; clicking the quote shows the original.
        const QModelIndex mine = model()->index(answer);
        QCOMPARE(mine.data(MessageModel::ReplyToRole).toLongLong(), seq);
        QCOMPARE(mine.data(MessageModel::ReplyPreviewRole).toString(), QStringLiteral("bob: lunch at noon?"));
        QVERIFY(waitShown(mine));
        const QRect quote = view()->replyPreviewRect(mine);
        QVERIFY(!quote.isEmpty());
        QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, quote.center());
        QTRY_COMPARE(view()->currentIndex().row(), row);

        // Escape cancels a reply: the next message answers nothing.
        menuOf(row)->findChild<QAction *>(QStringLiteral("replyAction"))->trigger();
        QVERIFY(m_alice.window->replyBar()->isVisible());
        QTest::keyClick(m_alice.window->composer(), Qt::Key_Escape);
        QVERIFY(!m_alice.window->replyBar()->isVisible());
        const int plain = sendFromComposer(QStringLiteral("plain"));
        QCOMPARE(model()->index(plain).data(MessageModel::ReplyToRole).toLongLong(), 0);
    }

    // From the keyboard: the Menu key on the current message opens its menu there, with the actions.
    void keyboardMenuOffersActions()
    {
        QVERIFY(open());
        const int row = sendFromComposer(QStringLiteral("by keyboard"));
        QVERIFY(row >= 0);
        const QModelIndex index = model()->index(row);
        QVERIFY(waitShown(index));
        view()->setFocus();
        view()->setCurrentIndex(index);
        QContextMenuEvent event(QContextMenuEvent::Keyboard, QPoint(0, 0),
                                view()->viewport()->mapToGlobal(QPoint(0, 0)));
        const QPoint anchor = view()->contextMenuAnchor(&event);
        QCOMPARE(view()->indexAt(anchor), index);
        std::unique_ptr<QMenu> menu(view()->createContextMenu(anchor));
        for (const char *name : {"replyAction", "reactMenu", "editAction", "deleteAction"})
            QVERIFY2(menuAction(menu.get(), QString::fromLatin1(name)), name);
        menuAction(menu.get(), QStringLiteral("editAction"))->trigger();
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Editing);
        QCOMPARE(m_alice.window->composer()->toPlainText(), QStringLiteral("by keyboard"));
        QVERIFY(m_alice.window->composer()->hasFocus());
    }

    // Up in an empty composer edits Alice's last message; Enter saves it, and the view says so.
    void upEditsLastOwnMessage()
    {
        QVERIFY(open());
        const int older = sendFromComposer(QStringLiteral("older"));
        const int row = sendFromComposer(QStringLiteral("teh typo"));
        QVERIFY(older >= 0 && row >= 0);
        m_alice.bob->sendMessage(QStringLiteral("bob's, not editable by alice"));
        QVERIFY(waitForRow(QStringLiteral("bob's, not editable by alice")) >= 0);
        const qint64 seq = model()->index(row).data(MessageModel::SeqRole).toLongLong();

        Composer *composer = m_alice.window->composer();
        QTest::keyClick(composer, Qt::Key_Up);
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Editing);
        QCOMPARE(m_alice.window->conversation()->seq(), seq);
        QCOMPARE(composer->toPlainText(), QStringLiteral("teh typo"));
        QVERIFY(m_alice.window->replyBar()->isVisible());

        QSignalSpy edited(m_alice.bob.get(), &ChatClient::messageEdited);
        composer->selectAll();
        QTest::keyClicks(composer, QStringLiteral("the typo, fixed"));
        QTest::keyClick(composer, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(model()->index(row).data(MessageModel::TextRole).toString(),
                                  QStringLiteral("the typo, fixed"), Timeout);
        QVERIFY(MessageDelegate::displayText(model()->index(row)).endsWith(QStringLiteral("(edited)")));
        QVERIFY(composer->toPlainText().isEmpty());
        QVERIFY(!m_alice.window->replyBar()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(edited.size(), 1, Timeout);
        QCOMPARE(edited.constFirst().at(0).value<Protocol::MessageEdited>().seq, seq);

        // A longer edit wraps: the row is laid out again at its new height.
        QVERIFY(waitShown(model()->index(row)));
        const int oneLine = view()->visualRect(model()->index(row)).height();
        const QString longer = QStringLiteral("a much longer explanation of the fix, ").repeated(12);
        QTest::keyClick(composer, Qt::Key_Up);
        composer->selectAll();
        QTest::keyClicks(composer, longer);
        QTest::keyClick(composer, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(model()->index(row).data(MessageModel::TextRole).toString(), longer,
                                  Timeout);
        QVERIFY(waitShown(model()->index(row)));
        QVERIFY(view()->visualRect(model()->index(row)).height() > oneLine);

        // Escape leaves an edit without saving it.
        QTest::keyClick(composer, Qt::Key_Up);
        QCOMPARE(composer->toPlainText(), longer);
        QTest::keyClick(composer, Qt::Key_Escape);
        QVERIFY(composer->toPlainText().isEmpty());
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Writing);
        // Up with text in the composer moves the cursor, as always.
        QTest::keyClicks(composer, QStringLiteral("draft"));
        QTest::keyClick(composer, Qt::Key_Up);
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Writing);
    }

    // Delete asks first; a "no" changes nothing, a "yes" leaves a tombstone for everyone.
    void deleteAsksAndLeavesTombstone()
    {
        QVERIFY(open());
        const int row = sendFromComposer(QStringLiteral("regrettable"));
        QVERIFY(row >= 0);
        const qint64 seq = model()->index(row).data(MessageModel::SeqRole).toLongLong();
        QSignalSpy deleted(m_alice.bob.get(), &ChatClient::messageDeleted);

        Confirmation::setNextAnswer(false);
        const auto first = menuOf(row); // the menu owns its actions: kept while one is used
        QAction *remove = menuAction(first.get(), QStringLiteral("deleteAction"));
        QVERIFY(remove);
        remove->trigger();
        // Barrier: a later message from Alice reaches Bob after anything the "no" could have sent.
        QSignalSpy received(m_alice.bob.get(), &ChatClient::messageReceived);
        QVERIFY(sendFromComposer(QStringLiteral("barrier")) >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), Timeout);
        QVERIFY(deleted.isEmpty());
        QCOMPARE(model()->index(row).data(MessageModel::TextRole).toString(), QStringLiteral("regrettable"));

        Confirmation::setNextAnswer(true);
        auto menu = menuOf(row);
        menuAction(menu.get(), QStringLiteral("deleteAction"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(seqIndex(seq).data(MessageModel::DeletedRole).toBool(), Timeout);
        QCOMPARE(MessageDelegate::displayText(seqIndex(seq)), QStringLiteral("message deleted"));
        QTRY_COMPARE_WITH_TIMEOUT(deleted.size(), 1, Timeout);
        // A tombstone offers nothing more.
        auto after = menuOf(model()->rowOfSeq(seq));
        QVERIFY(!menuAction(after.get(), QStringLiteral("replyAction")));
        QVERIFY(!menuAction(after.get(), QStringLiteral("editAction")));
    }

    // Reaction chips: Bob's 👍 shows as a chip; Alice's click adds hers, a second click takes it back.
    void reactionChipToggles()
    {
        QVERIFY(open());
        const int row = sendFromComposer(QStringLiteral("ship it?"));
        QVERIFY(row >= 0);
        const qint64 seq = model()->index(row).data(MessageModel::SeqRole).toLongLong();
        QVERIFY(m_alice.bob->react(seq, ThumbsUp));
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(seqIndex(seq), ThumbsUp), 1, Timeout);

        QSignalSpy bobSees(m_alice.bob.get(), &ChatClient::reactionsChanged);
        auto clickChip = [&] {
            QVERIFY(waitShown(seqIndex(seq)));
            const QRect chip = view()->reactionChipRect(seqIndex(seq), ThumbsUp);
            QVERIFY(!chip.isEmpty());
            QVERIFY(view()->viewport()->rect().contains(chip));
            QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, chip.center());
        };
        clickChip();
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(seqIndex(seq), ThumbsUp), 2, Timeout);
        QCOMPARE(seqIndex(seq).data(MessageModel::OwnReactionsRole).toStringList(), QStringList{ThumbsUp});
        QTRY_VERIFY_WITH_TIMEOUT(!bobSees.isEmpty(), Timeout);
        QCOMPARE(EmojiChoices::recent().value(0), ThumbsUp);

        clickChip();
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(seqIndex(seq), ThumbsUp), 1, Timeout);
        QVERIFY(seqIndex(seq).data(MessageModel::OwnReactionsRole).toStringList().isEmpty());

        // The React menu offers the recent emoji first, and reacting from it works too.
        auto menu = menuOf(model()->rowOfSeq(seq));
        QAction *react = menuAction(menu.get(), QStringLiteral("reactMenu"));
        QVERIFY(react && react->menu());
        const QList<QAction *> choices = react->menu()->actions();
        QVERIFY(choices.size() >= 16);
        QCOMPARE(choices.constFirst()->text(), ThumbsUp);
        QAction *party = UiTest::actionWithText(choices, QStringLiteral("🎉"));
        QVERIFY(party);
        party->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(seqIndex(seq), QStringLiteral("🎉")), 1, Timeout);
        QCOMPARE(EmojiChoices::recent().value(0), QStringLiteral("🎉"));
    }

    // Hovering a message shows its action bar: Reply and React on anyone's, Edit and Delete on
    // one's own; its buttons do what the menu does.
    void hoverBarOffersActions()
    {
        QVERIFY(open());
        m_alice.bob->sendMessage(QStringLiteral("bob's"));
        const int theirs = waitForRow(QStringLiteral("bob's"));
        const int mine = sendFromComposer(QStringLiteral("alice's"));
        QVERIFY(theirs >= 0 && mine >= 0);
        const QModelIndex bobs = model()->index(theirs);
        const QModelIndex alices = model()->index(mine);
        using Action = MessageDelegate::RowAction;
        QCOMPARE(MessageDelegate::rowActions(bobs), (QVector<Action>{Action::Reply, Action::React}));
        QCOMPARE(MessageDelegate::rowActions(alices),
                 (QVector<Action>{Action::Reply, Action::React, Action::Edit, Action::Delete}));

        auto click = [this](const QModelIndex &index, Action action) {
            QVERIFY(waitShown(index));
            const QRect rect = view()->rowActionRect(index, action);
            QVERIFY(!rect.isEmpty());
            QTest::mouseMove(view()->viewport(), rect.center());
            QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, rect.center());
        };
        click(bobs, Action::Reply);
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Replying);
        QCOMPARE(m_alice.window->replyBar()->text(), QStringLiteral("Replying to bob: bob's"));
        m_alice.window->replyBar()->closeButton()->click();
        QVERIFY(!m_alice.window->replyBar()->isVisible());

        click(alices, Action::Edit);
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Editing);
        QCOMPARE(m_alice.window->composer()->toPlainText(), QStringLiteral("alice's"));
        QTest::keyClick(m_alice.window->composer(), Qt::Key_Escape);

        click(bobs, Action::React);
        QMenu *picker = nullptr;
        QTRY_VERIFY((picker = qobject_cast<QMenu *>(QApplication::activePopupWidget())));
        QCOMPARE(picker->objectName(), QStringLiteral("reactPicker"));
        QAction *eyes = UiTest::actionWithText(picker->actions(), QStringLiteral("👀"));
        QVERIFY(eyes);
        eyes->trigger();
        picker->close();
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(model()->index(theirs), QStringLiteral("👀")), 1,
                                  Timeout);
    }

    // What Alice was writing, and the message she was answering, stay with the room when she
    // switches to another, come back on return, and outlive the app.
    void draftsStayWithTheirRoomAndOutliveTheApp()
    {
        QVERIFY(open());
        m_alice.bob->sendMessage(QStringLiteral("lunch at noon?"));
        const int row = waitForRow(QStringLiteral("lunch at noon?"));
        QVERIFY(row >= 0);
        const qint64 seq = model()->index(row).data(MessageModel::SeqRole).toLongLong();
        m_alice.window->conversation()->startReply(seq);
        QTest::keyClicks(m_alice.window->composer(), QStringLiteral("half a thought"));

        const QString random = QStringLiteral("random");
        m_alice.window->roomDock()->joinEdit()->setText(random);
        QTest::keyClick(m_alice.window->roomDock()->joinEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_alice.window->session()->shownRoom(), random, Timeout);
        QVERIFY(m_alice.window->composer()->toPlainText().isEmpty());
        QVERIFY(!m_alice.window->replyBar()->isVisible());
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Writing);
        QTest::keyClicks(m_alice.window->composer(), QStringLiteral("for random"));

        m_alice.client->joinRoom(QStringLiteral("general"));
        QTRY_COMPARE_WITH_TIMEOUT(m_alice.window->session()->shownRoom(), QStringLiteral("general"), Timeout);
        QCOMPARE(m_alice.window->composer()->toPlainText(), QStringLiteral("half a thought"));
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Replying);
        QCOMPARE(m_alice.window->conversation()->seq(), seq);
        QCOMPARE(m_alice.window->replyBar()->text(), QStringLiteral("Replying to bob: lunch at noon?"));

        // Quitting keeps both rooms' drafts; the next run shows general's with its reply.
        QVERIFY(m_alice.window->close());
        QVERIFY(m_alice.startAlice(m_dir));
        QTRY_VERIFY_WITH_TIMEOUT(m_alice.client->isSessionReady(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_alice.window->composer()->toPlainText(), QStringLiteral("half a thought"),
                                  Timeout);
        QCOMPARE(m_alice.window->conversation()->seq(), seq);
        QVERIFY(m_alice.window->replyBar()->isVisible());

        // Sent, it answers that message, and the draft is gone; random's is still there.
        QSignalSpy received(m_alice.bob.get(), &ChatClient::messageReceived);
        m_alice.window->composer()->setFocus();
        QTest::keyClick(m_alice.window->composer(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), Timeout);
        const auto sent = received.constLast().at(0).value<Protocol::ChatMessage>();
        QCOMPARE(sent.text, QStringLiteral("half a thought"));
        QCOMPARE(sent.replyTo, seq);
        m_alice.window->drafts()->save();
        const QString key = AppSettings::serverKey(m_alice.server->url(), false);
        QVERIFY(m_alice.settings->draft(key, QStringLiteral("general")).isEmpty());
        QCOMPARE(m_alice.settings->draft(key, random).text, QStringLiteral("for random"));
    }

    // A reply kept from another numbering of the room (the server lost its store, say) would
    // answer whatever message has that seq now: its text comes back, the reply does not.
    void aDraftsReplyOfAnotherNumberingIsDropped()
    {
        QVERIFY(open());
        const QString key = AppSettings::serverKey(m_alice.server->url(), false);
        const QString random = QStringLiteral("random");
        m_alice.settings->setDraft(key, random,
                                   {QStringLiteral("as I said"), 1, QStringLiteral("bob: before the reset"),
                                    QStringLiteral("0123456789abcdef")});
        m_alice.client->joinRoom(random);
        QTRY_COMPARE_WITH_TIMEOUT(m_alice.window->session()->shownRoom(), random, Timeout);
        QVERIFY(!m_alice.window->session()->shownEpoch().isEmpty());
        QCOMPARE(m_alice.window->composer()->toPlainText(), QStringLiteral("as I said"));
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Writing);
        QVERIFY(!m_alice.window->replyBar()->isVisible());
        // Kept again, it is the text alone.
        m_alice.window->drafts()->save();
        QCOMPARE(m_alice.settings->draft(key, random).replyTo, 0);
        QCOMPARE(m_alice.settings->draft(key, random).text, QStringLiteral("as I said"));
    }

    // A draft typed for one server never follows the user to a room of the same name elsewhere.
    void aDraftStaysWithItsServer()
    {
        QVERIFY(open());
        QTest::keyClicks(m_alice.window->composer(), QStringLiteral("secret for the first server"));
        m_alice.window->drafts()->save();
        std::unique_ptr<ChatServer> other = startTestServer(testServerConfig());
        QSignalSpy shown(m_alice.window->session(), &ChatSession::shownRoomChanged);
        m_alice.client->connectToServer(other->url(), QStringLiteral("alice"), QStringLiteral("general"));
        QTRY_VERIFY_WITH_TIMEOUT(m_alice.client->isSessionReady() && m_alice.client->url() == other->url(),
                                 Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), Timeout);
        QVERIFY(m_alice.window->composer()->toPlainText().isEmpty());
        QTest::keyClicks(m_alice.window->composer(), QStringLiteral("for the second"));
        m_alice.window->drafts()->save();
        QCOMPARE(
            m_alice.settings->draft(AppSettings::serverKey(other->url(), false), QStringLiteral("general"))
                .text,
            QStringLiteral("for the second"));
        QCOMPARE(m_alice.settings
                     ->draft(AppSettings::serverKey(m_alice.server->url(), false), QStringLiteral("general"))
                     .text,
                 QStringLiteral("secret for the first server"));
        m_alice.window.reset();
    }

    // A base-only server has none of it: no actions in the menu, Up does not edit, chips stay off.
    void baseOnlyServerOffersNothing()
    {
        QVERIFY(open(true));
        const int row = sendFromComposer(QStringLiteral("mine"));
        m_alice.bob->sendMessage(QStringLiteral("theirs"));
        QVERIFY(row >= 0);
        const int theirs = waitForRow(QStringLiteral("theirs"));
        QVERIFY(theirs >= 0);
        QVERIFY(!m_alice.window->conversation()->isEnabled());
        QVERIFY(!view()->isConversationEnabled());
        QVERIFY(view()->rowActionRect(model()->index(row), MessageDelegate::RowAction::Reply).isEmpty());
        for (int r : {row, theirs}) {
            auto menu = menuOf(r);
            QVERIFY(menu);
            for (const char *name : {"replyAction", "reactMenu", "editAction", "deleteAction"})
                QVERIFY2(!menuAction(menu.get(), QString::fromLatin1(name)), name);
        }
        QTest::keyClick(m_alice.window->composer(), Qt::Key_Up);
        QCOMPARE(m_alice.window->conversation()->mode(), ConversationPresenter::Mode::Writing);
        QVERIFY(m_alice.window->composer()->toPlainText().isEmpty());
        QVERIFY(!m_alice.window->replyBar()->isVisible());
        m_alice.window->conversation()->startReply(
            model()->index(theirs).data(MessageModel::SeqRole).toLongLong());
        QVERIFY(!m_alice.window->replyBar()->isVisible());
        // Chatting works as before.
        QVERIFY(sendFromComposer(QStringLiteral("still chatting")) >= 0);
    }
};

QTEST_MAIN(TestConversation)
#include "tst_conversation.moc"

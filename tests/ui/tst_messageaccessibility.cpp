// SPDX-License-Identifier: GPL-3.0-or-later
// The message view for assistive technology: each row's painted buttons (hover bar, reaction chips,
// transfer buttons) are accessible buttons whose press action does what a click does, against a
// real in-process server with real clients.
#include "appsettings.h"
#include "chatclient.h"
#include "composer.h"
#include "confirmation.h"
#include "conversationpresenter.h"
#include "emojichoices.h"
#include "filepicker.h"
#include "filetransfers.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageview.h"
#include "replybar.h"
#include "transferpresenter.h"
#include "twouserswindow.h"
#include "uitestsupport.h"
#include "userlistmodel.h"

#include <QAccessible>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QListWidget>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;
const QString ThumbsUp = QStringLiteral("👍");

// The child of `row` that is a button called `name`, as a screen reader finds it; null if none.
QAccessibleInterface *buttonNamed(QAccessibleInterface *row, const QString &name)
{
    for (int i = 0; row && i < row->childCount(); ++i) {
        QAccessibleInterface *child = row->child(i);
        if (child && child->role() == QAccessible::Button && child->text(QAccessible::Name) == name)
            return child;
    }
    return nullptr;
}

// Presses a button through its action interface, as assistive technology does.
bool press(QAccessibleInterface *button)
{
    QAccessibleActionInterface *action = button ? button->actionInterface() : nullptr;
    if (!action || !action->actionNames().contains(QAccessibleActionInterface::pressAction()))
        return false;
    action->doAction(QAccessibleActionInterface::pressAction());
    return true;
}

// A chat message from Bob, numbered `seq` by the server.
MessageModel::Message chat(qint64 seq)
{
    MessageModel::Message m;
    m.sender = QStringLiteral("bob");
    m.text = QStringLiteral("message %1").arg(seq);
    m.timestamp = 1763770000000 + seq;
    m.id = QStringLiteral("m%1").arg(seq);
    m.seq = seq;
    return m;
}

QVector<MessageModel::Message> chats(qint64 first, qint64 last)
{
    QVector<MessageModel::Message> messages;
    for (qint64 seq = first; seq <= last; ++seq)
        messages.append(chat(seq));
    return messages;
}

} // namespace

class TestMessageAccessibility : public QObject
{
    Q_OBJECT

private:
    TwoUsersWindow m_w;

    bool openWindowWithBob()
    {
        if (!m_w.open(Timeout))
            return false;
        m_w.window->messageView()->setOpensImages(false);
        return true;
    }

    MessageModel *model() const { return m_w.window->messageModel(); }
    MessageView *view() const { return m_w.window->messageView(); }
    ChatClient *bob() const { return m_w.users->bob.client.get(); }

    // Waits until `text` is a row of Alice's view, numbered by the server; its row, or -1.
    int waitForRow(const QString &text)
    {
        int row = -1;
        const bool found = QTest::qWaitFor(
            [&] {
                row = UiTest::rowWithText(model(), text);
                return row >= 0 && model()->index(row).data(MessageModel::SeqRole).toLongLong() > 0;
            },
            Timeout);
        return found ? row : -1;
    }

    // The accessible row of the message numbered `seq`, once it is laid out at its current height.
    QAccessibleInterface *accessibleRow(qint64 seq)
    {
        const bool shown = QTest::qWaitFor(
            [&] {
                const QModelIndex index = model()->index(model()->rowOfSeq(seq));
                view()->scrollTo(index);
                const QRect rect = view()->visualRect(index);
                return view()->indexAt(rect.center()) == index &&
                       rect.height() == view()->sizeHintForIndex(index).height();
            },
            Timeout);
        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(view());
        return shown && list ? list->child(model()->rowOfSeq(seq)) : nullptr;
    }

private slots:
    void initTestCase() { UiTest::isolateSettings(QStringLiteral("tst_messageaccessibility")); }

    void init() { m_w.prepare(); }

    void cleanup() { m_w.close(); }

    // The view is a list of its rows; a chat row offers Reply and React, Alice's own also Edit and
    // Delete, and each does what clicking it does.
    void hoverBarButtonsArePressable()
    {
        QVERIFY(openWindowWithBob());
        bob()->sendMessage(QStringLiteral("bob's"));
        const int theirs = waitForRow(QStringLiteral("bob's"));
        QVERIFY(theirs >= 0);
        Composer *composer = m_w.window->composer();
        composer->setFocus();
        QTest::keyClicks(composer, QStringLiteral("alice's"));
        QTest::keyClick(composer, Qt::Key_Return);
        const int mine = waitForRow(QStringLiteral("alice's"));
        QVERIFY(mine >= 0);
        const qint64 bobsSeq = model()->index(theirs).data(MessageModel::SeqRole).toLongLong();
        const qint64 alicesSeq = model()->index(mine).data(MessageModel::SeqRole).toLongLong();

        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(view());
        QVERIFY(list);
        QCOMPARE(list->role(), QAccessible::List);
        QVERIFY(list->childCount() >= model()->rowCount());

        // Bob's message: its text is read out; Reply and React, but no Edit or Delete.
        QAccessibleInterface *bobs = accessibleRow(bobsSeq);
        QVERIFY(bobs);
        QCOMPARE(bobs->role(), QAccessible::ListItem);
        QCOMPARE(bobs->text(QAccessible::Name), QStringLiteral("bob: bob's"));
        QCOMPARE(bobs->parent(), list);
        QCOMPARE(list->indexOfChild(bobs), model()->rowOfSeq(bobsSeq));
        QVERIFY(buttonNamed(bobs, QStringLiteral("Reply")));
        QVERIFY(buttonNamed(bobs, QStringLiteral("React")));
        QVERIFY(!buttonNamed(bobs, QStringLiteral("Edit")));
        QVERIFY(!buttonNamed(bobs, QStringLiteral("Delete")));

        // Each button is where it is painted, and says what it is.
        QAccessibleInterface *reply = buttonNamed(bobs, QStringLiteral("Reply"));
        const QModelIndex bobsIndex = model()->index(model()->rowOfSeq(bobsSeq));
        const QRect painted = view()->rowActionRect(bobsIndex, MessageDelegate::RowAction::Reply);
        QCOMPARE(reply->rect(), QRect(view()->viewport()->mapToGlobal(painted.topLeft()), painted.size()));
        QCOMPARE(reply->parent(), bobs);
        QCOMPARE(bobs->indexOfChild(reply), 0);
        QVERIFY(!reply->state().invalid);

        // Reply: the reply bar quotes it, as after a click.
        QVERIFY(press(reply));
        QCOMPARE(m_w.window->conversation()->mode(), ConversationPresenter::Mode::Replying);
        QVERIFY(m_w.window->replyBar()->isVisible());
        QCOMPARE(m_w.window->replyBar()->text(), QStringLiteral("Replying to bob: bob's"));
        m_w.window->replyBar()->closeButton()->click();
        QVERIFY(!m_w.window->replyBar()->isVisible());

        // Alice's own message: Edit puts its text into the composer.
        QAccessibleInterface *alices = accessibleRow(alicesSeq);
        QVERIFY(alices);
        QVERIFY(press(buttonNamed(alices, QStringLiteral("Edit"))));
        QCOMPARE(m_w.window->conversation()->mode(), ConversationPresenter::Mode::Editing);
        QCOMPARE(composer->toPlainText(), QStringLiteral("alice's"));
        QTest::keyClick(composer, Qt::Key_Escape);

        // React opens the picker below the button; what is chosen there reaches Bob.
        QSignalSpy bobSees(bob(), &ChatClient::reactionsChanged);
        bobs = accessibleRow(bobsSeq);
        QVERIFY(press(buttonNamed(bobs, QStringLiteral("React"))));
        QMenu *picker = nullptr;
        QTRY_VERIFY((picker = qobject_cast<QMenu *>(QApplication::activePopupWidget())));
        QCOMPARE(picker->objectName(), QStringLiteral("reactPicker"));
        QAction *eyes = UiTest::actionWithText(picker->actions(), QStringLiteral("👀"));
        QVERIFY(eyes);
        eyes->trigger();
        picker->close();
        QTRY_VERIFY_WITH_TIMEOUT(!bobSees.isEmpty(), Timeout);
        QCOMPARE(bobSees.constLast().at(0).value<Protocol::ReactionsChanged>().seq, bobsSeq);
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(bobsIndex, QStringLiteral("👀")), 1, Timeout);

        // Delete asks first, as after a click; a "yes" deletes it for Bob too.
        QSignalSpy deleted(bob(), &ChatClient::messageDeleted);
        Confirmation::setNextAnswer(true);
        alices = accessibleRow(alicesSeq);
        QVERIFY(press(buttonNamed(alices, QStringLiteral("Delete"))));
        QTRY_COMPARE_WITH_TIMEOUT(deleted.size(), 1, Timeout);
        QCOMPARE(deleted.constFirst().at(0).value<Protocol::MessageDeleted>().seq, alicesSeq);
        QTRY_VERIFY_WITH_TIMEOUT(
            model()->index(model()->rowOfSeq(alicesSeq)).data(MessageModel::DeletedRole).toBool(), Timeout);
        // A tombstone offers no buttons any more.
        alices = accessibleRow(alicesSeq);
        QVERIFY(alices);
        QVERIFY(!buttonNamed(alices, QStringLiteral("Reply")));
        QVERIFY(!buttonNamed(alices, QStringLiteral("Delete")));
    }

    // A reaction chip is a checkable button named after its emoji and count; pressing it toggles
    // Alice's reaction on the server.
    void reactionChipToggles()
    {
        QVERIFY(openWindowWithBob());
        bob()->sendMessage(QStringLiteral("ship it?"));
        const int row = waitForRow(QStringLiteral("ship it?"));
        QVERIFY(row >= 0);
        const qint64 seq = model()->index(row).data(MessageModel::SeqRole).toLongLong();
        QVERIFY(bob()->react(seq, ThumbsUp));
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(model()->index(model()->rowOfSeq(seq)), ThumbsUp), 1,
                                  Timeout);

        QSignalSpy bobSees(bob(), &ChatClient::reactionsChanged);
        QAccessibleInterface *chip = buttonNamed(accessibleRow(seq), QStringLiteral("React 👍 (1)"));
        QVERIFY(chip);
        QVERIFY(chip->state().checkable);
        QVERIFY(!chip->state().checked);
        QCOMPARE(chip->text(QAccessible::Description), QStringLiteral("bob reacted with 👍"));
        QVERIFY(press(chip));
        QTRY_VERIFY_WITH_TIMEOUT(!bobSees.isEmpty(), Timeout);
        const auto added = bobSees.constLast().at(0).value<Protocol::ReactionsChanged>();
        QCOMPARE(added.seq, seq);
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(model()->index(model()->rowOfSeq(seq)), ThumbsUp), 2,
                                  Timeout);

        chip = buttonNamed(accessibleRow(seq), QStringLiteral("React 👍 (2)"));
        QVERIFY(chip);
        QVERIFY(chip->state().checked);
        bobSees.clear();
        QVERIFY(press(chip));
        QTRY_VERIFY_WITH_TIMEOUT(!bobSees.isEmpty(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(model()->index(model()->rowOfSeq(seq)), ThumbsUp), 1,
                                  Timeout);
        QVERIFY(model()
                    ->index(model()->rowOfSeq(seq))
                    .data(MessageModel::OwnReactionsRole)
                    .toStringList()
                    .isEmpty());
    }

    // From the keyboard: the React menu (Menu key) offers every chip of the row, also an emoji the
    // picker does not list, checked when Alice's; choosing it toggles her reaction.
    void reactMenuTogglesEveryChip()
    {
        QVERIFY(openWindowWithBob());
        bob()->sendMessage(QStringLiteral("crab?"));
        const int row = waitForRow(QStringLiteral("crab?"));
        QVERIFY(row >= 0);
        const qint64 seq = model()->index(row).data(MessageModel::SeqRole).toLongLong();
        const QString crab = QStringLiteral("🦀");
        QVERIFY(!EmojiChoices::offered().contains(crab));
        QVERIFY(bob()->react(seq, crab));
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(model()->index(model()->rowOfSeq(seq)), crab), 1,
                                  Timeout);
        QVERIFY(buttonNamed(accessibleRow(seq), QStringLiteral("React 🦀 (1)")));

        QSignalSpy bobSees(bob(), &ChatClient::reactionsChanged);
        const QModelIndex index = model()->index(model()->rowOfSeq(seq));
        std::unique_ptr<QMenu> menu(view()->createContextMenu(view()->visualRect(index).center()));
        QAction *react = menu ? menu->findChild<QAction *>(QStringLiteral("reactMenu")) : nullptr;
        QVERIFY(react && react->menu());
        QAction *choice = UiTest::actionWithText(react->menu()->actions(), crab);
        QVERIFY(choice);
        QVERIFY(!choice->isChecked());
        choice->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!bobSees.isEmpty(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(UiTest::reactionCount(model()->index(model()->rowOfSeq(seq)), crab), 2,
                                  Timeout);
        QVERIFY(model()
                    ->index(model()->rowOfSeq(seq))
                    .data(MessageModel::OwnReactionsRole)
                    .toStringList()
                    .contains(crab));
    }

    // A reply's quote is a button that shows the original, as a click does; from the keyboard the
    // context menu offers the same.
    void quoteShowsTheOriginal()
    {
        QVERIFY(openWindowWithBob());
        bob()->sendMessage(QStringLiteral("lunch at noon?"));
        const int original = waitForRow(QStringLiteral("lunch at noon?"));
        QVERIFY(original >= 0);
        const qint64 originalSeq = model()->index(original).data(MessageModel::SeqRole).toLongLong();
        bob()->sendMessage(QStringLiteral("yes, noon"), originalSeq);
        const int reply = waitForRow(QStringLiteral("yes, noon"));
        QVERIFY(reply >= 0);
        const qint64 replySeq = model()->index(reply).data(MessageModel::SeqRole).toLongLong();

        QAccessibleInterface *row = accessibleRow(replySeq);
        QAccessibleInterface *quote = buttonNamed(row, QStringLiteral("Show the message this one answers"));
        QVERIFY(quote);
        QCOMPARE(quote->text(QAccessible::Description), QStringLiteral("bob: lunch at noon?"));
        QVERIFY(press(quote));
        QTRY_COMPARE(view()->currentIndex().row(), model()->rowOfSeq(originalSeq));

        // The Menu key's context menu on the reply offers the same jump.
        const QModelIndex replyIndex = model()->index(model()->rowOfSeq(replySeq));
        view()->setCurrentIndex(replyIndex);
        QVERIFY(accessibleRow(replySeq));
        std::unique_ptr<QMenu> menu(view()->createContextMenu(view()->visualRect(replyIndex).center()));
        QVERIFY(menu);
        QAction *show = menu->findChild<QAction *>(QStringLiteral("showOriginalAction"));
        QVERIFY(show);
        show->trigger();
        QTRY_COMPARE(view()->currentIndex().row(), model()->rowOfSeq(originalSeq));
    }

    // A sent image's thumbnail is a "View Image" button, and the context menu offers the same:
    // both ask for the viewer, as a click does.
    void thumbnailOpensTheViewer()
    {
        QVERIFY(openWindowWithBob());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("sent.png"));
        QImage image(QSize(200, 150), QImage::Format_RGB32);
        image.fill(Qt::red);
        QVERIFY(image.save(path));
        m_w.window->transferPresenter()->sendFiles({path});
        int row = -1;
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (int i = 0; i < model()->rowCount() && row < 0; ++i) {
                    if (model()->transfer(i))
                        row = i;
                }
                return row >= 0;
            },
            Timeout));
        const QPersistentModelIndex index = model()->index(row);
        QTRY_VERIFY_WITH_TIMEOUT(!view()->thumbnailRect(index).isEmpty(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(view()->visualRect(index).contains(view()->thumbnailRect(index)), Timeout);

        QSignalSpy activated(view(), &MessageView::imageActivated);
        QAccessibleInterface *card = QAccessible::queryAccessibleInterface(view())->child(index.row());
        QAccessibleInterface *thumbnail = buttonNamed(card, QStringLiteral("View Image"));
        QVERIFY(thumbnail);
        QCOMPARE(thumbnail->text(QAccessible::Description), QStringLiteral("sent.png"));
        QVERIFY(press(thumbnail));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), path);

        std::unique_ptr<QMenu> menu(view()->createContextMenu(view()->visualRect(index).center()));
        QAction *viewImage = menu ? menu->findChild<QAction *>(QStringLiteral("viewImageAction")) : nullptr;
        QVERIFY(viewImage);
        viewImage->trigger();
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.at(1).at(0).toString(), path);
    }

    // A received file's card: Save… and Open are buttons; pressing Save… saves, as a click does.
    void transferButtonsArePressable()
    {
        QVERIFY(openWindowWithBob());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString source = dir.filePath(QStringLiteral("minutes.odt"));
        const QByteArray data(40 * 1024, 'm');
        QFile f(source);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(data) == data.size());
        f.close();
        QVERIFY(!m_w.users->bob.transfers->sendFile(source).isEmpty());

        int row = -1;
        const auto received = [&] {
            for (int i = 0; i < model()->rowCount(); ++i) {
                const auto state =
                    model()->index(i).data(MessageModel::TransferStateRole).value<TransferInfo::State>();
                if (model()->transfer(i) && state == TransferInfo::State::Completed) {
                    row = i;
                    return true;
                }
            }
            return false;
        };
        QVERIFY(QTest::qWaitFor(received, Timeout));
        const QPersistentModelIndex index = model()->index(row);
        QTRY_VERIFY_WITH_TIMEOUT(view()->visualRect(index).height() > 0, Timeout);
        view()->scrollTo(index);

        QAccessibleInterface *card = QAccessible::queryAccessibleInterface(view())->child(index.row());
        QVERIFY(card);
        QCOMPARE(card->text(QAccessible::Name), QStringLiteral("bob: minutes.odt"));
        QAccessibleInterface *save = buttonNamed(card, QStringLiteral("Save…"));
        QVERIFY(save);
        QVERIFY(buttonNamed(card, QStringLiteral("Open")));
        QVERIFY(!buttonNamed(card, QStringLiteral("Cancel")));
        QCOMPARE(save->text(QAccessible::Description), QStringLiteral("Save a copy of the received file"));
        const QRect painted = view()->transferButtonRect(index, MessageDelegate::TransferAction::Save);
        QCOMPARE(save->rect(), QRect(view()->viewport()->mapToGlobal(painted.topLeft()), painted.size()));

        const QString target = dir.filePath(QStringLiteral("saved copy.odt"));
        FilePicker::setNextSaveAnswer(target);
        QVERIFY(press(save));
        QFile saved(target);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), data);
        QCOMPARE(index.data(MessageModel::SavedPathRole).toString(), target);

        // Open opens the saved copy.
        QSignalSpy opened(m_w.window->transferPresenter(), &TransferPresenter::fileOpened);
        QVERIFY(press(buttonNamed(card, QStringLiteral("Open"))));
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toUrl(), QUrl::fromLocalFile(target));
    }

    // Pressing a button of a row at the top scrolls there, which loads older messages above at
    // once: the press still acts on the message whose button it was.
    void pressLoadingOlderRowsActsOnItsMessage()
    {
        MessageModel messages;
        MessageView messageView;
        messageView.setConversationEnabled(true);
        QVERIFY(UiTest::showView(messageView, messages, QSize(400, 300)));
        messages.append(chats(101, 300));
        QScrollBar *bar = messageView.verticalScrollBar();
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bar->value(), bar->maximum(), Timeout);
        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(&messageView);
        QVERIFY(list);
        QAccessibleInterface *reply = buttonNamed(list->child(0), QStringLiteral("Reply"));
        QVERIFY(reply);

        int loads = 0;
        connect(&messageView, &MessageView::olderMessagesWanted, &messages, [&] {
            if (loads++ == 0)
                messages.prepend(chats(51, 100));
        });
        QSignalSpy replied(&messageView, &MessageView::replyRequested);
        QVERIFY(press(reply));
        QCOMPARE(loads, 1);
        QCOMPARE(messages.rowCount(), 250);
        QCOMPARE(replied.size(), 1);
        QCOMPARE(replied.at(0).at(0).toLongLong(), 101);
    }

    // Rows inserted above (scrolling back) leave a screen reader's objects alone: each still
    // stands for its message, under the same id, and its buttons still belong to it.
    void rowsInsertedAboveKeepTheirInterfaces()
    {
        MessageModel messages;
        MessageView messageView;
        messageView.setConversationEnabled(true);
        QVERIFY(UiTest::showView(messageView, messages, QSize(400, 300)));
        messages.append(chats(101, 110));
        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(&messageView);
        QVERIFY(list);
        QAccessibleInterface *row = list->child(5);
        QVERIFY(row);
        const QAccessible::Id id = QAccessible::uniqueId(row);
        const QString name = row->text(QAccessible::Name);
        QVERIFY(name.contains(QStringLiteral("message 106")));
        QAccessibleInterface *reply = buttonNamed(row, QStringLiteral("Reply"));
        QVERIFY(reply);
        const QAccessible::Id replyId = QAccessible::uniqueId(reply);

        messages.prepend(chats(91, 100));
        QCOMPARE(list->childCount(), 20);
        QCOMPARE(list->child(15), row);
        QCOMPARE(list->indexOfChild(row), 15);
        // The row now at 5 is another message, with an object of its own.
        QAccessibleInterface *other = list->child(5);
        QVERIFY(other);
        QVERIFY(other != row);
        QVERIFY(other->text(QAccessible::Name).contains(QStringLiteral("message 96")));
        QCOMPARE(QAccessible::accessibleInterface(id), row);
        QVERIFY(row->isValid());
        QCOMPARE(row->text(QAccessible::Name), name);
        QCOMPARE(QAccessible::accessibleInterface(replyId), reply);
        QCOMPARE(buttonNamed(row, QStringLiteral("Reply")), reply);
        QCOMPARE(reply->parent(), row);
        QCOMPARE(row->child(row->indexOfChild(reply)), reply);
    }

    // Switching rooms clears the model: the old rows' objects go, and the list has no rows.
    void clearedModelDropsItsRows()
    {
        MessageModel messages;
        MessageView messageView;
        messageView.setConversationEnabled(true);
        QVERIFY(UiTest::showView(messageView, messages, QSize(400, 300)));
        messages.append(chats(101, 110));
        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(&messageView);
        QVERIFY(list);
        const QAccessible::Id rowId = QAccessible::uniqueId(list->child(3));
        const QAccessible::Id replyId =
            QAccessible::uniqueId(buttonNamed(list->child(3), QStringLiteral("Reply")));
        const QAccessible::Id removedId = QAccessible::uniqueId(list->child(9));

        QVERIFY(messages.remove(QStringLiteral("m110")));
        QCOMPARE(QAccessible::accessibleInterface(removedId), nullptr);
        QCOMPARE(list->childCount(), 9);
        QVERIFY(QAccessible::accessibleInterface(rowId));

        messages.clear();
        QCOMPARE(QAccessible::accessibleInterface(rowId), nullptr);
        QCOMPARE(QAccessible::accessibleInterface(replyId), nullptr);
        QCOMPARE(list->childCount(), 0);

        // Another model (another room) drops the rows of the first.
        messages.append(chats(1, 3));
        const QAccessible::Id firstRoomRow = QAccessible::uniqueId(list->child(1));
        MessageModel otherRoom;
        messageView.setModel(&otherRoom);
        QCOMPARE(QAccessible::accessibleInterface(firstRoomRow), nullptr);
        QCOMPARE(list->childCount(), 0);
    }

    // A list item of another list is no row of this one.
    void foreignListItemIsNoChild()
    {
        MessageModel messages;
        MessageView messageView;
        QVERIFY(UiTest::showView(messageView, messages, QSize(400, 300)));
        messages.append(chats(101, 103));
        QListWidget otherList;
        otherList.addItem(QStringLiteral("elsewhere"));
        otherList.show();
        QVERIFY(QTest::qWaitForWindowExposed(&otherList));
        QAccessibleInterface *otherListIface = QAccessible::queryAccessibleInterface(&otherList);
        QVERIFY(otherListIface);
        QAccessibleInterface *item = nullptr;
        for (int i = 0; !item && i < otherListIface->childCount(); ++i) {
            QAccessibleInterface *child = otherListIface->child(i);
            if (child && child->role() == QAccessible::ListItem && !child->object())
                item = child;
        }
        QVERIFY(item);
        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(&messageView);
        QVERIFY(list);
        QCOMPARE(list->indexOfChild(item), -1);
        QCOMPARE(list->indexOfChild(list->child(2)), 2);
    }
};

QTEST_MAIN(TestMessageAccessibility)
#include "tst_messageaccessibility.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app with its message cache (issue 12): offline reading after a restart, only what
// was missed fetched once the server is back, the user's waiting messages in their place,
// scroll-back from the cache and then the server without a jump, Preferences → Storage, and
// search. Real MessageCache files in a temporary directory, a real server (in process, with its
// SQLite message store so that it keeps its history and numbering across a restart) and real
// clients.
#include "applauncher.h"
#include "appsettings.h"
#include "apptranslations.h"
#include "chatclient.h"
#include "chatserver.h"
#include "chatsession.h"
#include "clientfixture.h"
#include "confirmation.h"
#include "mainwindow.h"
#include "messagecache.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageview.h"
#include "outbox.h"
#include "preferencesdialog.h"
#include "roomlistmodel.h"
#include "searchbar.h"
#include "searchresultsmodel.h"
#include "serverfixture.h"
#include "sqlitemessagestore.h"
#include "storagepage.h"
#include "uitestsupport.h"
#include "userlistmodel.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLoggingCategory>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <memory>

namespace {

constexpr int Timeout = 15000;
const QString General = QStringLiteral("general");
const QString Random = QStringLiteral("random");

// The chat lines a model shows, in order (system lines left out).
QStringList chatTexts(const MessageModel *model)
{
    QStringList result;
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->message(i).kind == MessageModel::Kind::Chat)
            result.append(model->message(i).text);
    }
    return result;
}

QList<qint64> seqs(const MessageModel *model)
{
    QList<qint64> result;
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->message(i).seq > 0)
            result.append(model->message(i).seq);
    }
    return result;
}

QStringList numbered(const QString &prefix, int first, int last)
{
    QStringList result;
    for (int i = first; i <= last; ++i)
        result.append(prefix + QString::number(i));
    return result;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> result;
    for (qint64 s = first; s <= last; ++s)
        result.append(s);
    return result;
}

Protocol::ChatMessage cached(const QString &room, qint64 seq, const QString &text, qint64 timestamp)
{
    Protocol::ChatMessage m;
    m.room = room;
    m.seq = seq;
    m.text = text;
    m.user = QStringLiteral("bob");
    m.timestamp = timestamp;
    m.id = QStringLiteral("%1-%2").arg(room).arg(seq);
    return m;
}

} // namespace

// Alice's session alone (no view asking on its own), as the window uses it, with a cache that
// holds seqs 101 to 120 of the general room: the server holds more, from Bob.
struct SessionAlone
{
    MessageCache cache;
    ChatClient client;
    MessageModel model;
    UserListModel users;
    RoomListModel rooms;
    ChatSession session{&client, &model, &users, &rooms};

    explicit SessionAlone(const QTemporaryDir &dir)
        : client(fastClientSettings(dir, QStringLiteral("alice")))
    {}

    bool open(const QString &path, const QUrl &url, const QString &epoch)
    {
        if (!cache.open(path))
            return false;
        QList<Protocol::ChatMessage> messages;
        for (int seq = 101; seq <= 120; ++seq)
            messages.append(cached(General, seq, QStringLiteral("s%1").arg(seq), Protocol::nowMs()));
        cache.addMessages(MessageCache::serverKey(url), General, epoch, messages);
        client.setCache(&cache);
        session.setCache(&cache);
        return connectAndJoin(client, url, QStringLiteral("alice"), General);
    }
};

class TestDesktopCache : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    AppTranslations m_translations;
    // The store is declared first, so the server (which uses it) goes first.
    std::unique_ptr<SqliteMessageStore> m_store;
    std::unique_ptr<ChatServer> m_server;
    quint16 m_port = 0;
    std::unique_ptr<ChatClient> m_bob;
    // A window on its own (without AppLauncher), for the tests that need no restart.
    std::unique_ptr<MessageCache> m_cache;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;

    QString cachePath() const { return m_dir.filePath(QStringLiteral("cache.sqlite")); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_port)); }

    bool startServer()
    {
        m_store = std::make_unique<SqliteMessageStore>(m_dir.filePath(QStringLiteral("server")));
        if (!m_store->open())
            return false;
        ServerConfig config = testServerConfig();
        config.port = m_port;
        m_server = std::make_unique<ChatServer>(config);
        m_server->setMessageStore(m_store.get());
        if (!m_server->listen())
            return false;
        m_port = m_server->port();
        return true;
    }

    void stopServer()
    {
        m_server.reset();
        m_store.reset();
    }

    // Bob, in `room`, says each of `texts`; true once the server has taken them all.
    bool bobSays(const QStringList &texts, const QString &room = General)
    {
        if (!m_bob) {
            m_bob = std::make_unique<ChatClient>(fastClientSettings(m_dir, QStringLiteral("bob")));
            if (!connectAndJoin(*m_bob, url(), QStringLiteral("bob"), room))
                return false;
        }
        if (!QTest::qWaitFor([this] { return m_bob->isSessionReady(); }, Timeout))
            return false;
        if (m_bob->room() != room) {
            m_bob->joinRoom(room);
            if (!QTest::qWaitFor([&] { return m_bob->room() == room && m_bob->isSessionReady(); }, Timeout))
                return false;
        }
        for (const QString &text : texts) {
            if (m_bob->sendMessage(text).isEmpty())
                return false;
        }
        return QTest::qWaitFor([this] { return m_bob->outbox()->entries().isEmpty(); }, Timeout);
    }

    std::unique_ptr<AppLauncher> launch(const QString &room = General)
    {
        auto launcher = std::make_unique<AppLauncher>();
        ConnectionChoice choice;
        choice.hostLocally = false;
        choice.url = url();
        choice.username = QStringLiteral("alice");
        choice.room = room;
        launcher->start(choice);
        launcher->window()->messageView()->setOpensLinks(false);
        return launcher;
    }

    // Alice's window with a cache of its own at cachePath(), shown offline for `room`;
    // connected when `connect`.
    bool openWindow(const QString &room, bool connect)
    {
        m_cache = std::make_unique<MessageCache>();
        if (!m_cache->open(cachePath()))
            return false;
        m_client = std::make_unique<ChatClient>(fastClientSettings(m_dir, QStringLiteral("alice")));
        m_client->setCache(m_cache.get());
        m_settings = std::make_unique<AppSettings>();
        m_window = std::make_unique<MainWindow>(m_client.get(), m_settings.get());
        m_window->setCache(m_cache.get());
        m_window->messageView()->setOpensLinks(false);
        m_window->session()->showCached(url(), room);
        m_window->show();
        if (!QTest::qWaitForWindowExposed(m_window.get()))
            return false;
        if (!connect)
            return true;
        m_client->connectToServer(url(), QStringLiteral("alice"), room);
        return QTest::qWaitFor([this] { return m_client->isSessionReady(); }, Timeout);
    }

    // A queued call after everything the view has queued: once it ran, the view's own checks did.
    static bool settleEvents(QObject *context)
    {
        bool passed = false;
        QMetaObject::invokeMethod(
            context, [&passed] { passed = true; }, Qt::QueuedConnection);
        return QTest::qWaitFor([&passed] { return passed; }, Timeout);
    }

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_desktopcache"));
        m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates));
        QLoggingCategory::setFilterRules(QStringLiteral("natter.server.info=false"));
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        QSettings().clear();
        AppSettings settings;
        settings.setCachePath(cachePath());
        settings.sync();
        m_port = 0;
        QVERIFY(startServer());
    }

    void cleanup()
    {
        m_window.reset();
        m_client.reset();
        m_settings.reset();
        m_cache.reset();
        m_bob.reset();
        stopServer();
        QFile::remove(cachePath());
        QDir(m_dir.filePath(QStringLiteral("server"))).removeRecursively();
        for (const QString &name : QDir(m_dir.path()).entryList(QDir::Files))
            QFile::remove(m_dir.filePath(name));
    }

    void restartedAppReadsOfflineThenGetsOnlyWhatItMissed()
    {
        QVERIFY(bobSays({QStringLiteral("r1"), QStringLiteral("r2")}, Random));
        QVERIFY(bobSays({}, General));
        {
            // The first run: Alice reads both rooms and stays in #general while Bob talks.
            auto first = launch();
            MainWindow *window = first->window();
            QTRY_VERIFY_WITH_TIMEOUT(first->client()->isSessionReady(), Timeout);
            window->joinRoom(Random);
            QTRY_COMPARE_WITH_TIMEOUT(chatTexts(window->messageModel()), QStringList({"r1", "r2"}), Timeout);
            window->joinRoom(General);
            QTRY_COMPARE_WITH_TIMEOUT(window->session()->shownRoom(), General, Timeout);
            QVERIFY(bobSays(numbered(QStringLiteral("m"), 1, 10)));
            QTRY_COMPARE_WITH_TIMEOUT(chatTexts(window->messageModel()), numbered(QStringLiteral("m"), 1, 10),
                                      Timeout);
            // The server goes away; what Alice writes now waits in her outbox, and she quits.
            stopServer();
            QTRY_VERIFY_WITH_TIMEOUT(first->client()->state() != ChatClient::State::Connected, Timeout);
            QVERIFY(!first->client()->sendMessage(QStringLiteral("own one")).isEmpty());
            QVERIFY(!first->client()->sendMessage(QStringLiteral("own two")).isEmpty());
            QVERIFY(window->close());
        }
        // Meanwhile Bob says more, and the server goes away again.
        QVERIFY(startServer());
        QVERIFY(bobSays(numbered(QStringLiteral("m"), 11, 160))); // more than one page of history
        m_bob.reset();
        stopServer();

        // Restarted with no server: both rooms, #general's messages and Alice's own waiting ones,
        // in their place with their state, before any connection.
        auto second = launch();
        MainWindow *window = second->window();
        QSignalSpy joined(second->client(), &ChatClient::roomJoined);
        QSignalSpy pages(second->client(), &ChatClient::historyReceived);
        QVERIFY(second->client()->state() != ChatClient::State::Connected);
        QVERIFY(window->roomModel()->rowOf(General) >= 0);
        QVERIFY(window->roomModel()->rowOf(Random) >= 0);
        QCOMPARE(window->roomModel()->currentRoom(), General);
        QCOMPARE(window->session()->shownRoom(), General);
        const MessageModel *model = window->messageModel();
        QCOMPARE(chatTexts(model).mid(0, 10), numbered(QStringLiteral("m"), 1, 10));
        // The outbox is this user's on this server: it loads once the login has looked for a token.
        QTRY_COMPARE_WITH_TIMEOUT(chatTexts(model),
                                  numbered(QStringLiteral("m"), 1, 10) + QStringList({"own one", "own two"}),
                                  Timeout);
        for (const QString &own : {QStringLiteral("own one"), QStringLiteral("own two")}) {
            const int row = UiTest::rowWithText(model, own);
            QVERIFY(row >= 0);
            QVERIFY(model->message(row).own);
            QCOMPARE(model->message(row).delivery, MessageModel::Delivery::Queued);
        }
        QVERIFY(QTest::qWaitForWindowExposed(window));

        // The server is back: what Bob said meanwhile comes in (only that: `since`), once each,
        // before Alice's own, which are then delivered.
        QVERIFY(startServer());
        second->client()->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(chatTexts(model),
                                  numbered(QStringLiteral("m"), 1, 160) + QStringList({"own one", "own two"}),
                                  Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            model->message(model->rowCount() - 1).delivery == MessageModel::Delivery::Acknowledged, Timeout);
        QCOMPARE(seqs(model), range(1, 162));
        QCOMPARE(chatTexts(model).size(), 162);
        qsizetype sent = 0;
        for (const QList<QVariant> &args : joined)
            sent += args.first()
                        .value<Protocol::RoomJoined>()
                        .history.value_or(QList<Protocol::ChatMessage>{})
                        .size();
        for (const QList<QVariant> &args : pages)
            sent += args.first().value<Protocol::HistoryPage>().messages.size();
        QCOMPARE(joined.size(), 1);
        QCOMPARE(sent, 150); // the server sent what was missed, not what the cache had
    }

    void scrollingBackTakesTheCacheThenTheServerWithoutAJump()
    {
        // The server holds 300 messages; the cache only the newest 250 of them.
        QVERIFY(bobSays(numbered(QStringLiteral("s"), 1, 300)));
        const QString epoch = m_bob->roomEpoch(General);
        QVERIFY(!epoch.isEmpty());
        {
            MessageCache cache;
            QVERIFY(cache.open(cachePath()));
            QList<Protocol::ChatMessage> messages;
            for (int seq = 51; seq <= 300; ++seq)
                messages.append(cached(General, seq, QStringLiteral("s%1").arg(seq), Protocol::nowMs()));
            cache.addMessages(MessageCache::serverKey(url()), General, epoch, messages);
        }
        QVERIFY(openWindow(General, true));
        MessageModel *model = m_window->messageModel();
        MessageView *view = m_window->messageView();
        ChatSession *session = m_window->session();
        QSignalSpy pages(m_client.get(), &ChatClient::olderHistoryReceived);
        QCOMPARE(seqs(model), range(300 - ChatSession::ShownOnOpen + 1, 300));
        QTRY_VERIFY_WITH_TIMEOUT(view->verticalScrollBar()->maximum() > 0, Timeout);

        // To the top: the cache has the page before; the message at the top stays where it was.
        QScrollBar *bar = view->verticalScrollBar();
        bar->setValue(bar->value() - 100); // the user scrolls up first: no longer following the bottom
        const QPersistentModelIndex top(model->index(0));
        bar->setValue(0);
        QCOMPARE(seqs(model), range(51, 300));
        QCOMPARE(top.data(MessageModel::SeqRole).toLongLong(), 101);
        QCOMPARE(view->visualRect(top).top(), 0);
        QVERIFY(settleClient(*m_client));
        QCOMPARE(pages.size(), 0); // the server was not asked
        QCOMPARE(session->olderState(), ChatSession::Older::Idle);

        // Up again: nothing older cached, so the server is asked; a note shows meanwhile.
        const QPersistentModelIndex second(model->index(0));
        bar->setValue(0);
        QCOMPARE(session->olderState(), ChatSession::Older::Loading);
        QVERIFY(view->olderIndicator()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(pages.size(), 1, Timeout);
        QCOMPARE(seqs(model), range(1, 300));
        QCOMPARE(chatTexts(model), numbered(QStringLiteral("s"), 1, 300));
        QCOMPARE(second.data(MessageModel::SeqRole).toLongLong(), 51);
        QCOMPARE(view->visualRect(second).top(), 0);
        QCOMPARE(session->olderState(), ChatSession::Older::AtStart);
        QVERIFY(!view->olderIndicator()->isVisible());

        // The start of the room: the top asks for nothing more.
        bar->setValue(bar->value() + 50);
        bar->setValue(0);
        QVERIFY(settleEvents(view));
        QVERIFY(settleClient(*m_client));
        QCOMPARE(pages.size(), 1);
        QCOMPARE(model->rowCount(), 300);
    }

    // Clicking the quote of a reply whose original is far above what is shown loads the pages
    // between (the cache's, then the server's) and shows the original; one never kept says so.
    void aReplysQuoteBringsItsOriginalFromTheCacheThenTheServer()
    {
        // The server holds 260 messages and a reply to the first; the cache the newest 230.
        QVERIFY(bobSays(numbered(QStringLiteral("s"), 1, 260)));
        const QString epoch = m_bob->roomEpoch(General);
        {
            MessageCache cache;
            QVERIFY(cache.open(cachePath()));
            QList<Protocol::ChatMessage> messages;
            for (int seq = 31; seq <= 260; ++seq)
                messages.append(cached(General, seq, QStringLiteral("s%1").arg(seq), Protocol::nowMs()));
            cache.addMessages(MessageCache::serverKey(url()), General, epoch, messages);
        }
        QVERIFY(!m_bob->sendMessage(QStringLiteral("about s1"), 1).isEmpty());
        QVERIFY(QTest::qWaitFor([this] { return m_bob->outbox()->entries().isEmpty(); }, Timeout));

        QVERIFY(openWindow(General, true));
        MessageModel *model = m_window->messageModel();
        MessageView *view = m_window->messageView();
        QTRY_COMPARE_WITH_TIMEOUT(model->lastSeq(), 261, Timeout);
        QCOMPARE(model->firstSeq(), 260 - ChatSession::ShownOnOpen + 1); // the cache shows, then 261 joins
        const QPersistentModelIndex reply(model->index(model->rowOfSeq(261)));
        QCOMPARE(reply.data(MessageModel::ReplyToRole).toLongLong(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!view->replyPreviewRect(reply).isEmpty(), Timeout);

        QSignalSpy pages(m_client.get(), &ChatClient::olderHistoryReceived);
        QSignalSpy revealed(m_window->session(), &ChatSession::messageRevealed);
        view->scrollTo(reply);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->replyPreviewRect(reply).center());
        QTRY_COMPARE_WITH_TIMEOUT(revealed.size(), 1, Timeout);
        const int original = model->rowOfSeq(1);
        QCOMPARE(original, 0);
        QCOMPARE(view->currentIndex().row(), original);
        QCOMPARE(model->index(original).data(MessageModel::TextRole).toString(), QStringLiteral("s1"));
        QCOMPARE(seqs(model), range(1, 261)); // every page between, in order: nothing skipped
        QVERIFY(!pages.isEmpty());            // 30..1 came from the server
        QCOMPARE(pages.constFirst().at(0).value<Protocol::HistoryBeforePage>().before, 31);
        QCOMPARE(reply.data(MessageModel::ReplyPreviewRole).toString(), QStringLiteral("bob: s1"));

        // A seq this numbering never had (the history starts at 1): not found, and said so.
        QSignalSpy unavailable(m_window->session(), &ChatSession::messageUnavailable);
        m_window->session()->revealMessage(262);
        QCOMPARE(unavailable.size(), 1);
        QCOMPARE(revealed.size(), 1);
    }

    // A walk back towards a reply's original, cut short by a jump within the room (a search hit),
    // is over: later pages of ordinary scrolling never take the view to that message.
    void aRevealCutShortByAJumpStaysOver()
    {
        QVERIFY(bobSays(numbered(QStringLiteral("s"), 1, 120)));
        SessionAlone alone(m_dir);
        QVERIFY(alone.open(cachePath(), url(), m_bob->roomEpoch(General)));
        auto &[cache, client, model, users, rooms, session] = alone;
        QSignalSpy pages(&client, &ChatClient::olderHistoryReceived);
        QSignalSpy revealed(&session, &ChatSession::messageRevealed);
        session.revealMessage(60);
        QCOMPARE(session.olderState(), ChatSession::Older::Loading);
        QVERIFY(session.showMessage(General, 110) >= 0); // a search hit, same room
        QTRY_COMPARE_WITH_TIMEOUT(pages.size(), 1, Timeout);
        QVERIFY(settleClient(client));
        session.loadOlder(); // the cache's page
        session.loadOlder(); // the server's
        QTRY_COMPARE_WITH_TIMEOUT(pages.size(), 2, Timeout);
        QVERIFY(settleClient(client));
        QCOMPARE(revealed.size(), 0);
    }

    // The client gave up on the request (the server refused it, or sent a page that is not the
    // room's past): loading ends and so does the reveal that waited for it.
    void aRefusedOlderPageEndsLoadingAndTheReveal()
    {
        QVERIFY(bobSays(numbered(QStringLiteral("s"), 1, 120)));
        SessionAlone alone(m_dir);
        QVERIFY(alone.open(cachePath(), url(), m_bob->roomEpoch(General)));
        auto &[cache, client, model, users, rooms, session] = alone;
        QSignalSpy pages(&client, &ChatClient::olderHistoryReceived);
        QSignalSpy revealed(&session, &ChatSession::messageRevealed);
        QSignalSpy unavailable(&session, &ChatSession::messageUnavailable);
        session.revealMessage(60);
        QCOMPARE(session.olderState(), ChatSession::Older::Loading);
        emit client.olderHistoryRefused(Random); // not this room's request
        QCOMPARE(session.olderState(), ChatSession::Older::Loading);
        emit client.olderHistoryRefused(General);
        QCOMPARE(session.olderState(), ChatSession::Older::Idle);
        QCOMPARE(unavailable.size(), 1);
        QCOMPARE(unavailable.constFirst().constFirst().toLongLong(), 60);
        // What the server sends after all changes nothing on screen.
        QTRY_COMPARE_WITH_TIMEOUT(pages.size(), 1, Timeout);
        QVERIFY(settleClient(client));
        QCOMPARE(seqs(&model), range(101, 120));
        QCOMPARE(revealed.size(), 0);
    }

    void olderPagesOnlyCountWhenAskedForAndOnlyWhatJoinsOn()
    {
        QVERIFY(bobSays(numbered(QStringLiteral("s"), 1, 120)));
        SessionAlone alone(m_dir);
        QVERIFY(alone.open(cachePath(), url(), m_bob->roomEpoch(General)));
        auto &[cache, client, model, users, rooms, session] = alone;
        QCOMPARE(seqs(&model), range(101, 120));
        QSignalSpy pages(&client, &ChatClient::olderHistoryReceived);

        auto page = [](const QString &room, const QList<qint64> &pageSeqs, bool more) {
            Protocol::HistoryBeforePage p;
            p.room = room;
            p.before = 101;
            p.more = more;
            for (qint64 seq : pageSeqs)
                p.messages.append(cached(room, seq, QStringLiteral("forged %1").arg(seq), Protocol::nowMs()));
            return p;
        };
        // Not asked for: nothing changes.
        emit client.olderHistoryReceived(page(General, {1, 2, 3}, false));
        QCOMPARE(seqs(&model), range(101, 120));
        QCOMPARE(session.olderState(), ChatSession::Older::Idle);

        // Asked for (the cache has nothing older): another room's page does not answer it; a page
        // out of order, with a repeat and a seq already shown, adds what joins on, once, in order.
        session.loadOlder();
        QCOMPARE(session.olderState(), ChatSession::Older::Loading);
        emit client.olderHistoryReceived(page(Random, {98, 99, 100}, true));
        QCOMPARE(session.olderState(), ChatSession::Older::Loading);
        QCOMPARE(seqs(&model), range(101, 120));
        emit client.olderHistoryReceived(page(General, {100, 99, 99, 150, 98}, true));
        QCOMPARE(seqs(&model), range(98, 120));
        QCOMPARE(session.olderState(), ChatSession::Older::Idle);
        // The server's own answer to that request comes after it was answered: it is dropped.
        QTRY_COMPARE_WITH_TIMEOUT(pages.size(), 3, Timeout);
        QVERIFY(settleClient(client));
        QCOMPARE(seqs(&model), range(98, 120));

        // That answer went into the cache all the same: the next step back comes from there.
        session.loadOlder();
        QCOMPARE(session.olderState(), ChatSession::Older::Idle);
        QCOMPARE(seqs(&model), range(51, 120));
        // A lost connection answers nothing: loading ends, and asking again works.
        session.loadOlder();
        QCOMPARE(session.olderState(), ChatSession::Older::Loading);
        client.disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(session.olderState(), ChatSession::Older::Idle, Timeout);
    }

    void eachServerShowsItsOwnCache()
    {
        const QUrl other(QStringLiteral("ws://elsewhere.example:9000"));
        {
            MessageCache cache;
            QVERIFY(cache.open(cachePath()));
            const qint64 now = Protocol::nowMs();
            cache.addMessages(MessageCache::serverKey(url()), General, QStringLiteral("e"),
                              {cached(General, 1, QStringLiteral("here"), now)});
            cache.addMessages(MessageCache::serverKey(other), General, QStringLiteral("f"),
                              {cached(General, 1, QStringLiteral("there"), now),
                               cached(General, 2, QStringLiteral("there too"), now)});
            cache.addMessages(MessageCache::serverKey(other), Random, QStringLiteral("f"),
                              {cached(Random, 1, QStringLiteral("only there"), now)});
        }
        QVERIFY(openWindow(General, false));
        QCOMPARE(chatTexts(m_window->messageModel()), QStringList({"here"}));
        QCOMPARE(m_window->roomModel()->rowOf(Random), -1);
        // The same room name on another server is another room.
        m_window->session()->showCached(other, General);
        QCOMPARE(chatTexts(m_window->messageModel()), QStringList({"there", "there too"}));
        QVERIFY(m_window->roomModel()->rowOf(Random) >= 0);
        QCOMPARE(m_window->session()->serverKey(), MessageCache::serverKey(other));
        // Offline, another cached room opens from the cache; the client joins it once connected.
        m_window->joinRoom(Random);
        QCOMPARE(m_window->session()->shownRoom(), Random);
        QCOMPARE(m_window->roomModel()->currentRoom(), Random);
        QCOMPARE(chatTexts(m_window->messageModel()), QStringList({"only there"}));
        // No room named: the one with the newest activity.
        m_window->session()->showCached(url(), {});
        QCOMPARE(chatTexts(m_window->messageModel()), QStringList({"here"}));
    }

    void storagePreferencesApplyAtOnceAndClearTheCache()
    {
        const QString server = MessageCache::serverKey(url());
        {
            MessageCache cache;
            QVERIFY(cache.open(cachePath()));
            const qint64 now = Protocol::nowMs();
            const qint64 day = 24 * 3600 * 1000;
            cache.addMessages(server, General, QStringLiteral("e"),
                              {cached(General, 1, QStringLiteral("recent one"), now - day),
                               cached(General, 2, QStringLiteral("recent two"), now)});
            cache.addMessages(server, Random, QStringLiteral("e"),
                              {cached(Random, 1, QStringLiteral("from long ago"), now - 40 * day)});
        }
        QVERIFY(openWindow(General, false));
        QCOMPARE(chatTexts(m_window->messageModel()), QStringList({"recent one", "recent two"}));

        QAction *action = m_window->findChild<QAction *>(QStringLiteral("preferencesAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        action->trigger();
        PreferencesDialog *dialog = m_window->preferencesDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *storage = qobject_cast<StoragePage *>(dialog->page(QStringLiteral("storagePage")));
        QVERIFY(storage);
        QCOMPARE(dialog->currentPage(), dialog->page(QStringLiteral("appearancePage"))); // the first page
        dialog->showPage(storage);
        QCOMPARE(dialog->currentPage(), storage);
        // The defaults, as the settings give them.
        QCOMPARE(storage->sizeLimit()->value(), 512);
        QCOMPARE(storage->ageLimit()->value(), 365);
        QVERIFY(!storage->currentSize()->text().isEmpty());

        // A limit applies at once: to the settings and to the cache, which drops what is too old.
        storage->ageLimit()->setValue(30);
        storage->sizeLimit()->setValue(100);
        QCOMPARE(m_settings->cacheLimits().maxAgeDays, 30);
        QCOMPARE(m_settings->cacheLimits().maxBytes, qint64(100) * 1024 * 1024);
        QCOMPARE(m_cache->limits().maxAgeDays, 30);
        QCOMPARE(m_cache->limits().maxBytes, qint64(100) * 1024 * 1024);
        QCOMPARE(m_cache->room(server, Random).count, 0);
        QCOMPARE(m_cache->room(server, General).count, 2);
        QCOMPARE(AppSettings().cacheLimits().maxAgeDays, 30);

        // Clear Cache asks first; declined, nothing goes.
        Confirmation::setNextAnswer(false);
        QTest::mouseClick(storage->clearButton(), Qt::LeftButton);
        QCOMPARE(m_cache->room(server, General).count, 2);
        // Agreed: the cache is empty (search finds nothing), what is on screen stays until the
        // room is left.
        Confirmation::setNextAnswer(true);
        QTest::mouseClick(storage->clearButton(), Qt::LeftButton);
        QVERIFY(m_cache->rooms(server).isEmpty());
        QCOMPARE(chatTexts(m_window->messageModel()), QStringList({"recent one", "recent two"}));
        m_window->searchResults()->setServer(server);
        m_window->searchResults()->setQuery(QStringLiteral("recent"));
        m_window->searchResults()->searchNow();
        QCOMPARE(m_window->searchResults()->rowCount(), 0);
    }

    void searchFindsLatinAndCjkTextAndJumpsToTheMessage()
    {
        const QString server = MessageCache::serverKey(url());
        {
            MessageCache cache;
            QVERIFY(cache.open(cachePath()));
            const qint64 start = Protocol::nowMs() - 1000 * 1000;
            QList<Protocol::ChatMessage> general;
            for (int seq = 1; seq <= 300; ++seq) {
                QString text = QStringLiteral("filler %1").arg(seq);
                if (seq == 40 || seq == 250)
                    text = QStringLiteral("the Quick Brown fox, take %1").arg(seq);
                general.append(cached(General, seq, text, start + seq * 1000));
            }
            cache.addMessages(server, General, QStringLiteral("e"), general);
            cache.addMessages(
                server, Random, QStringLiteral("e"),
                {cached(Random, 1, QStringLiteral("また明日、東京で会いましょう"), start + 500 * 1000),
                 cached(Random, 2, QStringLiteral("はい"), start + 501 * 1000)});
        }
        QVERIFY(openWindow(Random, false));
        QCOMPARE(m_window->session()->shownRoom(), Random);

        QAction *find = m_window->findChild<QAction *>(QStringLiteral("findAction"));
        QVERIFY(find);
        QCOMPARE(find->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_F));
        find->trigger();
        SearchBar *bar = m_window->searchBar();
        QVERIFY(bar->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(bar->field()->hasFocus(), Timeout);
        SearchResultsModel *results = m_window->searchResults();

        // As the user types: case-insensitive, newest first, with the room and where it matches.
        QTest::keyClicks(bar->field(), QStringLiteral("quick bro"));
        QTRY_COMPARE_WITH_TIMEOUT(results->rowCount(), 2, Timeout);
        QCOMPARE(results->index(0).data(SearchResultsModel::SeqRole).toLongLong(), 250);
        QCOMPARE(results->index(1).data(SearchResultsModel::SeqRole).toLongLong(), 40);
        QCOMPARE(results->index(0).data(SearchResultsModel::RoomRole).toString(), General);
        const QVariantList matches = results->index(0).data(SearchResultsModel::MatchesRole).toList();
        QVERIFY(!matches.isEmpty());
        const QString text = results->index(0).data(SearchResultsModel::TextRole).toString();
        QCOMPARE(text.mid(matches.first().toPoint().x(), matches.first().toPoint().y()).toLower(),
                 QStringLiteral("quick"));
        QVERIFY(bar->resultsView()->isVisible());
        QVERIFY(bar->status()->text().contains(QLatin1Char('2')));

        // Down: the newest hit, in its room, with what was said around it.
        QTest::keyClick(bar->field(), Qt::Key_Down);
        QCOMPARE(m_window->session()->shownRoom(), General);
        QCOMPARE(m_window->roomModel()->currentRoom(), General);
        MessageModel *model = m_window->messageModel();
        MessageView *view = m_window->messageView();
        QCOMPARE(model->message(view->currentIndex().row()).seq, 250);
        QCOMPARE(view->messageDelegate()->highlighted(), QPersistentModelIndex(view->currentIndex()));
        QVERIFY(model->rowOfSeq(250 - ChatSession::ContextRows) >= 0);
        QVERIFY(model->rowOfSeq(300) >= 0);
        QVERIFY(view->viewport()->rect().intersects(view->visualRect(view->currentIndex())));
        // Enter: the next (older) one.
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QCOMPARE(model->message(view->currentIndex().row()).seq, 40);
        QVERIFY(model->rowOfSeq(1) >= 0);
        QVERIFY(view->viewport()->rect().intersects(view->visualRect(view->currentIndex())));
        // Up: back to the newer one.
        QTest::keyClick(bar->field(), Qt::Key_Up);
        QCOMPARE(model->message(view->currentIndex().row()).seq, 250);

        // CJK text has no spaces: a substring of it is found too.
        bar->field()->clear();
        bar->field()->insert(
            QStringLiteral("京で会")); // as an input method commits it (keyClicks is Latin-1)
        QTRY_COMPARE_WITH_TIMEOUT(results->rowCount(), 1, Timeout);
        QCOMPARE(results->index(0).data(SearchResultsModel::RoomRole).toString(), Random);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QCOMPARE(m_window->session()->shownRoom(), Random);
        QCOMPARE(model->message(view->currentIndex().row()).text,
                 QStringLiteral("また明日、東京で会いましょう"));
        QCOMPARE(chatTexts(model), QStringList({"また明日、東京で会いましょう", "はい"}));

        // Escape closes the bar; the message stays shown.
        QTest::keyClick(bar->field(), Qt::Key_Escape);
        QVERIFY(!bar->isVisible());
        QCOMPARE(m_window->session()->shownRoom(), Random);
    }
};

QTEST_MAIN(TestDesktopCache)
#include "tst_desktopcache.moc"

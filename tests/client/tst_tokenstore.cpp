// SPDX-License-Identifier: GPL-3.0-or-later
// TokenStore's file and memory backends, and its keyring backend where no keyring service runs
// (this test points D-Bus at a socket that does not exist, so nothing on the machine is touched).
#include "tokenstore.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <qt6keychain/keychain.h>
#include <sys/stat.h>

namespace {

bool s_realKeyring = false; // set by keyring-session.sh, which started one

const QUrl Server(QStringLiteral("ws://chat.example.org:8080"));

QString anaKey()
{
    return TokenStore::key(Server, QStringLiteral("ana"));
}

// Waits for the one answer a call gets and returns which signal it was.
struct Answers
{
    explicit Answers(TokenStore *store)
        : loaded(store, &TokenStore::tokenLoaded)
        , missing(store, &TokenStore::tokenMissing)
        , saved(store, &TokenStore::saved)
        , removed(store, &TokenStore::removed)
        , unavailable(store, &TokenStore::keyringUnavailable)
        , failed(store, &TokenStore::failed)
    {}
    int total() const
    {
        return loaded.count() + missing.count() + saved.count() + removed.count() + unavailable.count() +
               failed.count();
    }
    bool waitFor(int n)
    {
        return QTest::qWaitFor([&] { return total() >= n; }, 10000);
    }
    QSignalSpy loaded, missing, saved, removed, unavailable, failed;
};

// Runs `load(key)` on a store and returns the token it found, or an empty string.
QString loadedToken(TokenStore &store, const QString &key)
{
    Answers a(&store);
    store.load(key);
    if (!a.waitFor(1) || a.loaded.isEmpty())
        return {};
    return a.loaded.first().at(1).toString();
}

} // namespace

class TestTokenStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString dir() const { return m_dir.path() + QStringLiteral("/tokens"); }
    // A store keeping its files (if any) in dir().
    TokenStore *newStore(TokenStore::Policy policy, QObject *parent)
    {
        auto *store = new TokenStore(policy, parent);
        store->setDirectory(dir());
        return store;
    }
    TokenStore *fileStore(QObject *parent) { return newStore(TokenStore::Policy::File, parent); }

private slots:
    void init() { QDir(dir()).removeRecursively(); }

    void keysNameOneAccountOnOneServer()
    {
        const QString key = anaKey();
        QCOMPARE(key, QStringLiteral("ana@ws://chat.example.org:8080"));
        // The server folds case and width in names; a URL has many spellings.
        QCOMPARE(
            TokenStore::key(QUrl(QStringLiteral("WS://Chat.Example.org:8080/")), QStringLiteral("ＡＮＡ")),
            key);
        QCOMPARE(TokenStore::key(QUrl(QStringLiteral("ws://chat.example.org")), QStringLiteral("ana")),
                 QStringLiteral("ana@ws://chat.example.org:80"));
        QCOMPARE(TokenStore::key(QUrl(QStringLiteral("wss://bob:secret@chat.example.org/chat?x=1#y")),
                                 QStringLiteral("ana")),
                 QStringLiteral("ana@wss://chat.example.org:443/chat"));
        QVERIFY(key != TokenStore::key(Server, QStringLiteral("bob")));
        QVERIFY(key !=
                TokenStore::key(QUrl(QStringLiteral("ws://chat.example.org:8081")), QStringLiteral("ana")));
    }

    void fileIsPrivateAndSurvivesANewInstance()
    {
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = fileStore(&owner);
        Answers a(store);
        store->save(key, QStringLiteral("tok-1"));
        QVERIFY(a.waitFor(1));
        QCOMPARE(a.saved.count(), 1);
        QCOMPARE(a.saved.first().at(0).toString(), key);

        const QString path = store->filePath(key);
        QCOMPARE(QFileInfo(path).permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QCOMPARE(::stat(QFile::encodeName(dir()).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0700u);
        QVERIFY(!QFile(path).readAll().contains("ana@")); // the name is in the file, not its name
        QVERIFY(!path.contains(QLatin1String("ana")));

        // A later run finds it.
        QObject later;
        QCOMPARE(loadedToken(*fileStore(&later), key), QStringLiteral("tok-1"));
    }

    void saveReplacesAndRemoveDeletes()
    {
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = fileStore(&owner);
        Answers a(store);
        store->save(key, QStringLiteral("old"));
        store->save(key, QStringLiteral("new"));
        QVERIFY(a.waitFor(2));
        QCOMPARE(loadedToken(*store, key), QStringLiteral("new"));

        Answers b(store);
        store->remove(key);
        QVERIFY(b.waitFor(1));
        QCOMPARE(b.removed.count(), 1);
        QVERIFY(!QFile::exists(store->filePath(key)));
        store->load(key);
        QVERIFY(b.waitFor(2));
        QCOMPARE(b.missing.count(), 1);

        // Removing what is not there is no failure: logout works twice.
        store->remove(key);
        QVERIFY(b.waitFor(3));
        QCOMPARE(b.removed.count(), 2);
        QCOMPARE(b.failed.count(), 0);
    }

    void accountsAndServersAreSeparate()
    {
        const QString ana = anaKey();
        const QString bob = TokenStore::key(Server, QStringLiteral("bob"));
        const QString anaElsewhere =
            TokenStore::key(QUrl(QStringLiteral("wss://other.example")), QStringLiteral("ana"));
        QObject owner;
        TokenStore *store = fileStore(&owner);
        Answers a(store);
        store->save(ana, QStringLiteral("a"));
        store->save(bob, QStringLiteral("b"));
        store->save(anaElsewhere, QStringLiteral("c"));
        QVERIFY(a.waitFor(3));
        QCOMPARE(a.saved.count(), 3);
        QCOMPARE(loadedToken(*store, ana), QStringLiteral("a"));
        QCOMPARE(loadedToken(*store, bob), QStringLiteral("b"));
        QCOMPARE(loadedToken(*store, anaElsewhere), QStringLiteral("c"));

        store->remove(bob);
        QTRY_COMPARE(a.removed.count(), 1);
        QCOMPARE(loadedToken(*store, ana), QStringLiteral("a"));
        QCOMPARE(loadedToken(*store, bob), QString());
    }

    void corruptFileIsMissingAndRemoved_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("not json") << QByteArray("tok-1");
        QTest::newRow("truncated") << QByteArray(
            "{\"version\":1,\"key\":\"ana@ws://chat.example.org:8080\",\"tok");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("no token") << QByteArray("{\"version\":1,\"key\":\"ana@ws://chat.example.org:8080\"}");
        QTest::newRow("token not a string")
            << QByteArray("{\"key\":\"ana@ws://chat.example.org:8080\",\"token\":7}");
        QTest::newRow("another key") << QByteArray(
            "{\"key\":\"bob@ws://chat.example.org:8080\",\"token\":\"t\"}");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("huge") << QByteArray(100 * 1024, ' ');
    }

    void corruptFileIsMissingAndRemoved()
    {
        QFETCH(QByteArray, content);
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = fileStore(&owner);
        QVERIFY(QDir().mkpath(dir()));
        QFile file(store->filePath(key));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();

        Answers a(store);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is not a token file")));
        store->load(key);
        QVERIFY(a.waitFor(1));
        QCOMPARE(a.missing.count(), 1); // the next step is to log in again
        QVERIFY(!file.exists());

        // And the new token takes its place.
        store->save(key, QStringLiteral("fresh"));
        QVERIFY(a.waitFor(2));
        QCOMPARE(loadedToken(*store, key), QStringLiteral("fresh"));
    }

    void widenedFileIsNarrowedAgain()
    {
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = fileStore(&owner);
        Answers a(store);
        store->save(key, QStringLiteral("t"));
        QVERIFY(a.waitFor(1));
        QVERIFY(QFile::setPermissions(store->filePath(key), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                                QFileDevice::ReadGroup |
                                                                QFileDevice::ReadOther));
        QCOMPARE(loadedToken(*store, key), QStringLiteral("t"));
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(store->filePath(key)).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
    }

    void unwritableDirectoryFails()
    {
        QObject owner;
        auto *store = new TokenStore(TokenStore::Policy::File, &owner);
        QFile blocker(m_dir.path() + QStringLiteral("/a-file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        store->setDirectory(blocker.fileName() + QStringLiteral("/tokens")); // under a file: impossible
        Answers a(store);
        store->save(QStringLiteral("k"), QStringLiteral("t"));
        QVERIFY(a.waitFor(1));
        QCOMPARE(a.failed.count(), 1);
        QVERIFY(!a.failed.first().at(1).toString().isEmpty());
    }

    void nothingKeepsTokensForThisRunOnly()
    {
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = newStore(TokenStore::Policy::Nothing, &owner);
        Answers a(store);
        store->save(key, QStringLiteral("t"));
        QVERIFY(a.waitFor(1));
        QCOMPARE(a.saved.count(), 1);
        QCOMPARE(loadedToken(*store, key), QStringLiteral("t"));
        QVERIFY(!QFile::exists(store->filePath(key)));
        QVERIFY(!QDir(dir()).exists());

        auto *nextRun = new TokenStore(TokenStore::Policy::Nothing, &owner);
        QCOMPARE(loadedToken(*nextRun, key), QString());
    }

    void answersComeLaterAndInOrder()
    {
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = fileStore(&owner);
        QStringList order;
        connect(store, &TokenStore::saved, &owner, [&] { order << QStringLiteral("saved"); });
        connect(store, &TokenStore::tokenLoaded, &owner, [&] { order << QStringLiteral("loaded"); });
        connect(store, &TokenStore::removed, &owner, [&] { order << QStringLiteral("removed"); });
        connect(store, &TokenStore::tokenMissing, &owner, [&] { order << QStringLiteral("missing"); });
        store->save(key, QStringLiteral("t"));
        store->load(key);
        store->remove(key);
        store->load(key);
        QVERIFY(order.isEmpty()); // never from inside the call
        QTRY_COMPARE(order.size(), 4);
        QCOMPARE(order, (QStringList{QStringLiteral("saved"), QStringLiteral("loaded"),
                                     QStringLiteral("removed"), QStringLiteral("missing")}));
    }

    void serviceMissingIsRecognised()
    {
        QVERIFY(TokenStore::isServiceMissing(QKeychain::NoBackendAvailable));
        QVERIFY(TokenStore::isServiceMissing(QKeychain::NotImplemented));
        QVERIFY(TokenStore::isServiceMissing(QKeychain::OtherError)); // D-Bus, libsecret, no library
        QVERIFY(!TokenStore::isServiceMissing(QKeychain::NoError));
        QVERIFY(!TokenStore::isServiceMissing(QKeychain::EntryNotFound));
        QVERIFY(!TokenStore::isServiceMissing(QKeychain::AccessDeniedByUser)); // the user said no
        QVERIFY(!TokenStore::isServiceMissing(QKeychain::AccessDenied));
    }

    // Only under tests/client/keyring-session.sh: a private D-Bus session with GNOME Keyring.
    void keyringRoundTrip()
    {
        if (!s_realKeyring)
            QSKIP("needs a keyring service: runs as tst_tokenstore_keyring under keyring-session.sh");
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = newStore(TokenStore::Policy::Keyring, &owner);
        Answers a(store);
        store->save(key, QStringLiteral("tok-1"));
        QVERIFY(a.waitFor(1));
        QVERIFY2(a.saved.count() == 1, qPrintable(a.unavailable.value(0).value(1).toString() +
                                                  a.failed.value(0).value(1).toString()));
        QVERIFY(!QDir(dir()).exists()); // in the keyring, not in a file

        // Another instance (a restart) finds it; another account does not.
        auto *restarted = new TokenStore(TokenStore::Policy::Keyring, &owner);
        QCOMPARE(loadedToken(*restarted, key), QStringLiteral("tok-1"));
        QCOMPARE(loadedToken(*restarted, TokenStore::key(Server, QStringLiteral("bob"))), QString());

        Answers b(restarted);
        restarted->remove(key);
        QVERIFY(b.waitFor(1));
        QCOMPARE(b.removed.count(), 1);
        QCOMPARE(loadedToken(*store, key), QString());
    }

    void keyringWithoutServiceSaysSoAndKeepsTheToken()
    {
        if (s_realKeyring)
            QSKIP("a keyring service runs in this session");
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = newStore(TokenStore::Policy::Keyring, &owner);
        Answers a(store);

        store->load(key);
        QVERIFY(a.waitFor(1));
        QCOMPARE(a.unavailable.count(), 1);
        QCOMPARE(a.unavailable.first().at(0).toString(), key);
        const QString reason = a.unavailable.first().at(1).toString();
        QVERIFY2(reason.startsWith(QLatin1String("No keyring service")), qPrintable(reason));

        // Logged in meanwhile: the keyring cannot take the token, the store keeps it for this run...
        store->save(key, QStringLiteral("tok-1"));
        QVERIFY(a.waitFor(2));
        QCOMPARE(a.unavailable.count(), 2);
        QCOMPARE(a.saved.count(), 0);
        QCOMPARE(loadedToken(*store, key), QStringLiteral("tok-1"));

        // ...and the user's choice of the file stores it there.
        store->setPolicy(TokenStore::Policy::File);
        QTRY_COMPARE(a.saved.count(), 1);
        QCOMPARE(a.saved.first().at(0).toString(), key);
        QObject later;
        QCOMPARE(loadedToken(*fileStore(&later), key), QStringLiteral("tok-1"));

        // Logging out under the keyring policy also removes a file left from earlier.
        TokenStore *keyring = newStore(TokenStore::Policy::Keyring, &owner);
        Answers k(keyring);
        keyring->remove(key);
        QVERIFY(k.waitFor(1));
        QCOMPARE(k.unavailable.count(), 1);
        QVERIFY(!QFile::exists(store->filePath(key)));
    }

    void keyringWithoutServiceAndChoosingNothing()
    {
        if (s_realKeyring)
            QSKIP("a keyring service runs in this session");
        const QString key = anaKey();
        QObject owner;
        TokenStore *store = newStore(TokenStore::Policy::Keyring, &owner);
        Answers a(store);
        store->save(key, QStringLiteral("tok-1"));
        QVERIFY(a.waitFor(1));
        QCOMPARE(a.unavailable.count(), 1);
        store->setPolicy(TokenStore::Policy::Nothing);
        QVERIFY(a.waitFor(2));
        QCOMPARE(a.saved.count(), 1);
        QCOMPARE(loadedToken(*store, key), QStringLiteral("tok-1"));
        QVERIFY(!QDir(dir()).exists());
    }
};

int main(int argc, char **argv)
{
    s_realKeyring = qEnvironmentVariableIsSet("NATTER_TEST_KEYRING_SESSION");
    if (!s_realKeyring) {
        // No keyring service, whatever runs on this machine: a session bus address that leads nowhere.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/natter-test/no-session-bus");
        qunsetenv("DISPLAY");
    }
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    TestTokenStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_tokenstore.moc"

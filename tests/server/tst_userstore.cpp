// SPDX-License-Identifier: GPL-3.0-or-later
#include "passwordrecord.h"
#include "protocol.h"
#include "userstore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

// UserStore on a real SQLite file in a temporary directory, with a cheap iteration count and a
// clock the test moves.
class TestUserStore : public QObject
{
    Q_OBJECT

private:
    static constexpr int TestIterations = 1000;
    std::unique_ptr<QTemporaryDir> m_dir;
    qint64 m_now = 1790000000000;

    UserStore::Options options(int iterations = TestIterations)
    {
        UserStore::Options o;
        o.iterations = iterations;
        o.tokenLifetimeMs = 60000;
        o.clock = [this] {
            return m_now;
        };
        return o;
    }
    std::unique_ptr<UserStore> openStore(int iterations = TestIterations)
    {
        auto store =
            std::make_unique<UserStore>(m_dir->path() + QStringLiteral("/data"), options(iterations));
        if (!store->open())
            qWarning("%s", qPrintable(store->errorString()));
        return store;
    }
    QByteArray fileBytes(const UserStore &store) const
    {
        QByteArray all;
        for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
            QFile file(store.filePath() + suffix);
            if (file.open(QIODevice::ReadOnly))
                all += file.readAll();
        }
        return all;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void addedUserLogsInUnderAnySpellingOfTheName()
    {
        auto store = openStore();
        QVERIFY(store->isOpen());
        QCOMPARE(store->addUser(QStringLiteral(" Ana "), QStringLiteral("pw one")), UserStore::Result::Ok);
        for (const QString &spelling : {QStringLiteral("Ana"), QStringLiteral("ana"), QStringLiteral("ANA"),
                                        QStringLiteral("ＡＮＡ")}) {
            const auto account = store->verifyPassword(spelling, QStringLiteral("pw one"));
            QVERIFY2(account, qPrintable(spelling));
            QCOMPARE(account->name, QStringLiteral("Ana")); // as added, trimmed
        }
        const auto users = store->users();
        QCOMPARE(users.size(), 1);
        QCOMPARE(users.first().name, QStringLiteral("Ana"));
        QCOMPARE(users.first().created.toMSecsSinceEpoch(), m_now);
    }

    // Keys are stored: nameKey must give, for every name, the key 0.1 wrote into the database.
    void nameKeysAreTheOnesAlreadyStored()
    {
        const auto storedKey = [](const QString &name) { // 0.1's formula
            return Protocol::nameKey(name.normalized(QString::NormalizationForm_KC))
                .normalized(QString::NormalizationForm_KC);
        };
        const QString names[] = {QStringLiteral("Ana"),           QStringLiteral("ＡＮＡ"),
                                 QStringLiteral("Jose\u0301"),    QStringLiteral("\u01F0"),
                                 QStringLiteral("\uFB01x\u00B2"), QStringLiteral("e\uFE0F\u0301"),
                                 QStringLiteral("\u2764\uFE0F")};
        for (const QString &name : names)
            QCOMPARE(UserStore::nameKey(name), storedKey(name));
        // Why the last NFKC stays: the dropped selector left a letter and a mark that compose.
        QCOMPARE(UserStore::nameKey(QStringLiteral("e\uFE0F\u0301")), QStringLiteral("\u00e9"));
    }

    void wrongPasswordAndUnknownUserLookTheSame()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("right")), UserStore::Result::Ok);
        QVERIFY(!store->verifyPassword(QStringLiteral("ana"), QStringLiteral("wrong")));
        QVERIFY(!store->verifyPassword(QStringLiteral("bob"), QStringLiteral("right")));
        // An unknown name is checked against a dummy record of the same cost.
        const auto unknown = store->beginLogin(QStringLiteral("bob"));
        const auto known = store->beginLogin(QStringLiteral("ana"));
        QCOMPARE(unknown.id, 0);
        QVERIFY(known.id != 0);
        QCOMPARE(PasswordRecord::iterations(unknown.record), PasswordRecord::iterations(known.record));
        QVERIFY(!PasswordRecord::check(unknown.record, QStringLiteral("right"), TestIterations).matches);
    }

    void refusesDuplicatesAndBadInput()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("Ana"), QStringLiteral("pw")), UserStore::Result::Ok);
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserStore::Result::Exists);
        QCOMPARE(store->addUser(QStringLiteral("ＡＮＡ"), QStringLiteral("pw")), UserStore::Result::Exists);
        QCOMPARE(store->addUser(QStringLiteral("   "), QStringLiteral("pw")), UserStore::Result::InvalidName);
        QCOMPARE(store->addUser(QStringLiteral("a\tb"), QStringLiteral("pw")),
                 UserStore::Result::InvalidName);
        QCOMPARE(store->addUser(QStringLiteral("x").repeated(33), QStringLiteral("pw")),
                 UserStore::Result::InvalidName);
        QCOMPARE(store->addUser(QStringLiteral("bob"), QString()), UserStore::Result::InvalidPassword);
        QCOMPARE(store->addUser(QStringLiteral("bob"), QStringLiteral("p").repeated(1025)),
                 UserStore::Result::InvalidPassword);
        QCOMPARE(store->setPassword(QStringLiteral("bob"), QStringLiteral("pw")),
                 UserStore::Result::NoSuchUser);
        QCOMPARE(store->removeUser(QStringLiteral("bob")), UserStore::Result::NoSuchUser);
        QCOMPARE(store->users().size(), 1);
    }

    void passwordsCompareInNfc()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("caf\u00e9")), UserStore::Result::Ok);
        QVERIFY(store->verifyPassword(QStringLiteral("ana"), QStringLiteral("cafe\u0301")));
    }

    void tokenResumesUntilRevoked()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserStore::Result::Ok);
        const auto account = store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw"));
        QVERIFY(account);
        const QString token = store->issueToken(*account);
        QCOMPARE(token.size(), 43); // 256 bits, base64url without padding
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{43}$")).match(token).hasMatch());
        QVERIFY(store->issueToken(*account) != token);
        QCOMPARE(store->resumeToken(token)->name, QStringLiteral("ana"));
        QVERIFY(store->revokeToken(token));
        QVERIFY(!store->resumeToken(token));
        QVERIFY(!store->revokeToken(token));
        for (const QString &junk : {QString(), QStringLiteral("x"), token.left(42) + QLatin1Char('!'),
                                    QString(token).replace(0, 1, QStringLiteral("é"))})
            QVERIFY(!store->resumeToken(junk));
    }

    void tokenExpires()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserStore::Result::Ok);
        const QString token =
            store->issueToken(*store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        m_now += 59999;
        QVERIFY(store->resumeToken(token));
        m_now += 1;
        QVERIFY(!store->resumeToken(token));
        m_now -= 1; // a clock stepping back does not revive it: the expired token was deleted
        QVERIFY(!store->resumeToken(token));
    }

    void passwdAndRemoveRevokeTokens()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("old")), UserStore::Result::Ok);
        QCOMPARE(store->addUser(QStringLiteral("bob"), QStringLiteral("bob's")), UserStore::Result::Ok);
        const auto ana = store->verifyPassword(QStringLiteral("ana"), QStringLiteral("old"));
        const auto bob = store->verifyPassword(QStringLiteral("bob"), QStringLiteral("bob's"));
        const QString anaToken = store->issueToken(*ana);
        const QString bobToken = store->issueToken(*bob);

        QCOMPARE(store->setPassword(QStringLiteral("ANA"), QStringLiteral("new")), UserStore::Result::Ok);
        QVERIFY(!store->resumeToken(anaToken));
        QVERIFY(!store->verifyPassword(QStringLiteral("ana"), QStringLiteral("old")));
        QVERIFY(store->verifyPassword(QStringLiteral("ana"), QStringLiteral("new")));
        QVERIFY(store->resumeToken(bobToken)); // someone else's sessions go on

        QCOMPARE(store->removeUser(QStringLiteral("Bob")), UserStore::Result::Ok);
        QVERIFY(!store->resumeToken(bobToken));
        QVERIFY(!store->verifyPassword(QStringLiteral("bob"), QStringLiteral("bob's")));
        // A new user of the same name is someone else: the old token stays dead.
        QCOMPARE(store->addUser(QStringLiteral("bob"), QStringLiteral("bob's")), UserStore::Result::Ok);
        QVERIFY(!store->resumeToken(bobToken));
    }

    // The batch lookup AccountService uses answers as the single one for each token.
    void batchLookupIsTheSingleLookups()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserStore::Result::Ok);
        const auto ana = store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw"));
        const QString live = store->issueToken(*ana);
        const QString revoked = store->issueToken(*ana);
        QVERIFY(store->revokeToken(revoked));
        const QStringList tokens{live, revoked, QString(), live.left(42) + QLatin1Char('!'), live};
        const QList<std::optional<qint64>> expected{m_now + 60000, std::nullopt, std::nullopt, std::nullopt,
                                                    m_now + 60000};
        QCOMPARE(store->tokenExpiries(tokens), expected);
        m_now += 60000;
        QCOMPARE(store->tokenExpiries(tokens), QList<std::optional<qint64>>(tokens.size()));
    }

    void aUsersOldestTokensGoBeyondTheCap()
    {
        UserStore::Options o = options();
        o.maxTokensPerUser = 3;
        UserStore store(m_dir->path(), o);
        QVERIFY(store.open());
        QCOMPARE(store.addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserStore::Result::Ok);
        const auto ana = store.verifyPassword(QStringLiteral("ana"), QStringLiteral("pw"));
        QStringList tokens;
        for (int i = 0; i < 4; ++i) {
            ++m_now;
            tokens << store.issueToken(*ana);
        }
        QVERIFY(!store.resumeToken(tokens.at(0)));
        for (int i = 1; i < 4; ++i)
            QVERIFY(store.resumeToken(tokens.at(i)));
    }

    void secretsAreStoredOnlyAsHashes()
    {
        const QString password = QStringLiteral("correct horse battery staple");
        QString token;
        QString path;
        {
            auto store = openStore();
            path = store->filePath();
            QCOMPARE(store->addUser(QStringLiteral("ana"), password), UserStore::Result::Ok);
            token = store->issueToken(*store->verifyPassword(QStringLiteral("ana"), password));
            QVERIFY(!token.isEmpty());
            const QByteArray bytes = fileBytes(*store); // while open: the WAL too
            QVERIFY(!bytes.contains(password.toUtf8()));
            QVERIFY(!bytes.contains(token.toLatin1()));
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const QByteArray raw = QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        QCOMPARE(raw.size(), 32);
        QVERIFY(!bytes.contains(password.toUtf8()));
        QVERIFY(!bytes.contains(token.toLatin1()));
        QVERIFY(!bytes.contains(raw));
        QVERIFY(bytes.contains(QCryptographicHash::hash(raw, QCryptographicHash::Sha256)));
        QVERIFY(bytes.contains("pbkdf2-sha256$1000$"));
    }

    void fileIsPrivate()
    {
        const QString dir = m_dir->path() + QStringLiteral("/new/data");
        UserStore store(dir, options());
        QVERIFY2(store.open(), qPrintable(store.errorString()));
        QCOMPARE(QFileInfo(dir).permissions() & 0x7777, QFile::ReadOwner | QFile::WriteOwner |
                                                            QFile::ExeOwner | QFile::ReadUser |
                                                            QFile::WriteUser | QFile::ExeUser);
        QCOMPARE(QFileInfo(store.filePath()).permissions() & 0x7777,
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
    }

    void dataOutlivesTheStore()
    {
        QString token;
        {
            auto store = openStore();
            QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserStore::Result::Ok);
            token = store->issueToken(*store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        }
        auto store = openStore();
        QVERIFY(store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        QCOMPARE(store->resumeToken(token)->name, QStringLiteral("ana"));
        QCOMPARE(store->users().size(), 1);
    }

    void weakerRecordVerifiesAndIsUpgraded()
    {
        {
            auto old = openStore(TestIterations);
            QCOMPARE(old->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserStore::Result::Ok);
            // Two stores on one file at once: each has a connection of its own.
            auto stronger = openStore(2 * TestIterations);
            QCOMPARE(PasswordRecord::iterations(stronger->beginLogin(QStringLiteral("ana")).record),
                     TestIterations);
            QVERIFY(stronger->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
            QCOMPARE(PasswordRecord::iterations(old->beginLogin(QStringLiteral("ana")).record),
                     2 * TestIterations);
        }
        auto store = openStore(2 * TestIterations);
        QVERIFY(store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        QVERIFY(!store->verifyPassword(QStringLiteral("ana"), QStringLiteral("other")));
    }

    void loginRacingAPasswordChangeFails()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("old")), UserStore::Result::Ok);
        const auto attempt = store->beginLogin(QStringLiteral("ana"));
        const auto check = PasswordRecord::check(attempt.record, QStringLiteral("old"), store->iterations());
        QVERIFY(check.matches);
        QCOMPARE(store->setPassword(QStringLiteral("ana"), QStringLiteral("new")), UserStore::Result::Ok);
        QVERIFY(!store->finishLogin(attempt, check));
    }

    void aNewerSchemaIsRefused()
    {
        QString path;
        {
            auto store = openStore();
            path = store->filePath();
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT version FROM schema_version")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), UserStore::SchemaVersion);
            QVERIFY(q.exec(QStringLiteral("UPDATE schema_version SET version = 99")));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        auto store = openStore();
        QVERIFY(!store->isOpen());
        QVERIFY2(store->errorString().contains(QLatin1String("newer natter-server")),
                 qPrintable(store->errorString()));
    }
};

QTEST_GUILESS_MAIN(TestUserStore)
#include "tst_userstore.moc"

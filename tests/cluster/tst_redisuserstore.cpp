// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountservice.h"
#include "clusterfixture.h"
#include "passwordrecord.h"
#include "redisuserstore.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QtTest>

#include <memory>

//! RedisUserStore against a real redis-server: UserStore's behaviours (tst_userstore) where they
//! apply, two handles (two nodes) seeing each other's changes, and what a hostile or broken Redis
//! holds or does: garbage is a failed login, an outage is unavailable(), neither a crash.
class TestRedisUserStore : public QObject
{
    Q_OBJECT

private:
    static constexpr int TestIterations = 1000;
    ClusterFixture m_cluster;
    qint64 m_now = 1790000000000;

    RedisUserStore::Settings settings(int iterations = TestIterations)
    {
        RedisUserStore::Settings s;
        s.url.host = QStringLiteral("127.0.0.1");
        s.url.port = m_cluster.redis().port();
        s.url.db = 3;
        s.options.iterations = iterations;
        s.options.tokenLifetimeMs = 60000;
        s.options.clock = [this] {
            return m_now;
        };
        return s;
    }
    std::unique_ptr<RedisUserStore> openStore(int iterations = TestIterations)
    {
        auto store = std::make_unique<RedisUserStore>(settings(iterations));
        if (!store->open())
            qWarning("%s", qPrintable(store->errorString()));
        return store;
    }
    QByteArray redis(const QList<QByteArray> &args) const
    {
        // Each call is a connection of its own: the script selects the store's database.
        return m_cluster.redis().call(
            QList<QByteArray>{"EVAL", "redis.call('SELECT', 3) return redis.call(unpack(ARGV))", "0"} + args);
    }
    // How often Redis ran `command` so far (INFO commandstats), across every connection.
    qint64 calls(const QByteArray &command) const
    {
        const QRegularExpression calls(QStringLiteral("cmdstat_%1:calls=(\\d+)").arg(QLatin1String(command)));
        const auto match = calls.match(QString::fromLatin1(m_cluster.redis().call({"INFO", "commandstats"})));
        return match.hasMatch() ? match.captured(1).toLongLong() : 0;
    }
    // A well-formed token nobody issued.
    static QString unissuedToken(int n)
    {
        QByteArray bytes(32, 'u');
        bytes.replace(0, 4, QByteArray::number(n).rightJustified(4, '0'));
        return QString::fromLatin1(
            bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }
    static QByteArray hashOf(const QString &token)
    {
        const QByteArray raw = QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        return QCryptographicHash::hash(raw, QCryptographicHash::Sha256);
    }

private slots:
    void init() { m_cluster.init(); }
    void cleanup() { m_cluster.cleanup(); }

    void addedUserLogsInUnderAnySpellingOfTheName()
    {
        auto store = openStore();
        QVERIFY(store->isOpen());
        QCOMPARE(store->addUser(QStringLiteral(" Ana "), QStringLiteral("pw one")), UserDatabase::Result::Ok);
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
        // Keyed by the name key, in the URL's database.
        QVERIFY(redis({"EXISTS", RedisUserStore::userKey(QStringLiteral("ana"))}).startsWith(":1"));
        QVERIFY(m_cluster.redis()
                    .call({"EXISTS", RedisUserStore::userKey(QStringLiteral("ana"))})
                    .startsWith(":0"));
    }

    void wrongPasswordAndUnknownUserLookTheSame()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("right")), UserDatabase::Result::Ok);
        QVERIFY(!store->verifyPassword(QStringLiteral("ana"), QStringLiteral("wrong")));
        QVERIFY(!store->verifyPassword(QStringLiteral("bob"), QStringLiteral("right")));
        const auto unknown = store->beginLogin(QStringLiteral("bob"));
        const auto known = store->beginLogin(QStringLiteral("ana"));
        QCOMPARE(unknown.id, 0);
        QVERIFY(known.id != 0);
        QCOMPARE(PasswordRecord::iterations(unknown.record), PasswordRecord::iterations(known.record));
        QVERIFY(!store->unavailable());
    }

    void refusesDuplicatesAndBadInput()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("Ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Exists);
        QCOMPARE(store->addUser(QStringLiteral("ＡＮＡ"), QStringLiteral("pw")),
                 UserDatabase::Result::Exists);
        QCOMPARE(
            store->addUserRecord(QStringLiteral("ANA"), PasswordRecord::create(QStringLiteral("x"), 1000)),
            UserDatabase::Result::Exists);
        QCOMPARE(store->addUser(QStringLiteral("   "), QStringLiteral("pw")),
                 UserDatabase::Result::InvalidName);
        QCOMPARE(store->addUser(QStringLiteral("a\tb"), QStringLiteral("pw")),
                 UserDatabase::Result::InvalidName);
        QCOMPARE(store->addUser(QStringLiteral("bob"), QString()), UserDatabase::Result::InvalidPassword);
        QCOMPARE(store->setPassword(QStringLiteral("bob"), QStringLiteral("pw")),
                 UserDatabase::Result::NoSuchUser);
        QCOMPARE(store->removeUser(QStringLiteral("bob")), UserDatabase::Result::NoSuchUser);
        QCOMPARE(store->users().size(), 1);
    }

    void tokenResumesUntilRevoked()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        const auto account = store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw"));
        QVERIFY(account);
        const QString token = store->issueToken(*account);
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{43}$")).match(token).hasMatch());
        QVERIFY(store->issueToken(*account) != token);
        QCOMPARE(store->resumeToken(token)->name, QStringLiteral("ana"));
        QCOMPARE(store->resumeToken(token)->id, account->id);
        QCOMPARE(*store->tokenExpiry(token), m_now + 60000);
        QVERIFY(store->revokeToken(token));
        QVERIFY(!store->resumeToken(token));
        QVERIFY(!store->revokeToken(token));
        for (const QString &junk : {QString(), QStringLiteral("x"), token.left(42) + QLatin1Char('!')})
            QVERIFY(!store->resumeToken(junk));
    }

    void secretsAreStoredOnlyAsHashes()
    {
        const QString password = QStringLiteral("correct horse battery staple");
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), password), UserDatabase::Result::Ok);
        const QString token = store->issueToken(*store->verifyPassword(QStringLiteral("ana"), password));
        QVERIFY(!token.isEmpty());
        const QByteArray keys = redis({"KEYS", "*"});
        QVERIFY(keys.contains(RedisUserStore::tokenKey(hashOf(token))));
        QVERIFY(!keys.contains(token.toLatin1()));
        const QByteArray user = redis({"HGETALL", RedisUserStore::userKey(QStringLiteral("ana"))});
        QVERIFY(user.contains("pbkdf2-sha256$1000$"));
        QVERIFY(!user.contains(password.toUtf8()));
    }

    void tokenExpires()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        const QString token =
            store->issueToken(*store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        // Redis drops the key after the lifetime by its own clock too.
        const qint64 ttl =
            redis({"PTTL", RedisUserStore::tokenKey(hashOf(token))}).mid(1).trimmed().toLongLong();
        QVERIFY2(ttl > 0 && ttl <= 60000, QByteArray::number(ttl));
        m_now += 59999;
        QVERIFY(store->resumeToken(token));
        m_now += 1;
        QVERIFY(!store->resumeToken(token));
        QVERIFY(!store->tokenExpiry(token));
        m_now -= 1; // a clock stepping back does not revive it: the expired token was deleted
        QVERIFY(!store->resumeToken(token));
    }

    void passwdAndRemoveRevokeTokens()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("old")), UserDatabase::Result::Ok);
        QCOMPARE(store->addUser(QStringLiteral("bob"), QStringLiteral("bob's")), UserDatabase::Result::Ok);
        const QString anaToken =
            store->issueToken(*store->verifyPassword(QStringLiteral("ana"), QStringLiteral("old")));
        const QString bobToken =
            store->issueToken(*store->verifyPassword(QStringLiteral("bob"), QStringLiteral("bob's")));

        QCOMPARE(store->setPassword(QStringLiteral("ANA"), QStringLiteral("new")), UserDatabase::Result::Ok);
        QVERIFY(!store->resumeToken(anaToken));
        QVERIFY(!store->verifyPassword(QStringLiteral("ana"), QStringLiteral("old")));
        QVERIFY(store->verifyPassword(QStringLiteral("ana"), QStringLiteral("new")));
        QVERIFY(store->resumeToken(bobToken)); // someone else's sessions go on

        QCOMPARE(store->removeUser(QStringLiteral("Bob")), UserDatabase::Result::Ok);
        QVERIFY(!store->resumeToken(bobToken));
        QVERIFY(!store->verifyPassword(QStringLiteral("bob"), QStringLiteral("bob's")));
        QCOMPARE(store->users().size(), 1);
        // A new user of the same name is someone else: the old token stays dead.
        QCOMPARE(store->addUser(QStringLiteral("bob"), QStringLiteral("bob's")), UserDatabase::Result::Ok);
        QVERIFY(!store->resumeToken(bobToken));
        // Nothing of the revoked tokens is left behind.
        QVERIFY(!redis({"KEYS", "natter:token:*"}).contains(hashOf(bobToken).toHex()));
    }

    void aUsersOldestTokensGoBeyondTheCap()
    {
        RedisUserStore::Settings s = settings();
        s.options.maxTokensPerUser = 3;
        RedisUserStore store(s);
        QVERIFY(store.open());
        QCOMPARE(store.addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
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

    void twoHandlesSeeEachOthersChanges()
    {
        auto a = openStore();
        auto b = openStore();
        const qint64 before = b->dataVersion();
        QVERIFY(before >= 0);
        QCOMPARE(a->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        // A new user revokes nothing: no node looks its tokens up again for a registration.
        QCOMPARE(b->dataVersion(), before);
        QCOMPARE(a->addUserRecord(QStringLiteral("bob"), PasswordRecord::create(QStringLiteral("pw"), 1000)),
                 UserDatabase::Result::Ok);
        QCOMPARE(b->dataVersion(), before);
        QVERIFY(b->storedName(QStringLiteral("BOB")));
        const auto account = b->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw"));
        QVERIFY(account);
        const QString token = b->issueToken(*account);
        QCOMPARE(a->resumeToken(token)->name, QStringLiteral("ana"));

        const qint64 issued = b->dataVersion();
        QCOMPARE(a->setPassword(QStringLiteral("ana"), QStringLiteral("new")), UserDatabase::Result::Ok);
        QVERIFY(b->dataVersion() != issued); // b's sessions look their tokens up again
        QVERIFY(!b->tokenExpiry(token));
        QVERIFY(b->verifyPassword(QStringLiteral("ana"), QStringLiteral("new")));
        const qint64 changed = b->dataVersion();
        QCOMPARE(a->removeUser(QStringLiteral("ana")), UserDatabase::Result::Ok);
        QVERIFY(b->dataVersion() != changed);
        QVERIFY(!b->storedName(QStringLiteral("ana")));
    }

    // tokenExpiries() answers as tokenExpiry() does for each token, whatever the token or its key
    // holds, and asks Redis once: one MGET, no GET.
    void batchLookupIsTheSingleLookupsInOneRoundTrip()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        QCOMPARE(store->addUser(QStringLiteral("bob"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        const auto ana = store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw"));
        const auto bob = store->verifyPassword(QStringLiteral("bob"), QStringLiteral("pw"));
        RedisUserStore::Settings shortLived = settings();
        shortLived.options.tokenLifetimeMs = 1000;
        RedisUserStore other(shortLived);
        QVERIFY(other.open());

        const QString live = store->issueToken(*ana);
        const QString expired = other.issueToken(*ana);
        const QString loggedOut = store->issueToken(*ana);
        QVERIFY(store->revokeToken(loggedOut));
        const QString bobs = store->issueToken(*bob);
        QCOMPARE(store->setPassword(QStringLiteral("bob"), QStringLiteral("new")), UserDatabase::Result::Ok);
        const QString garbage = store->issueToken(*ana);
        redis({"SET", RedisUserStore::tokenKey(hashOf(garbage)), "12\nx\nana"});
        const QString wrongType = store->issueToken(*ana);
        redis({"DEL", RedisUserStore::tokenKey(hashOf(wrongType))});
        redis({"HSET", RedisUserStore::tokenKey(hashOf(wrongType)), "x", "y"});
        const QString later = store->issueToken(*bob); // outlives `expired`
        m_now += 1000;
        QVERIFY(!live.isEmpty() && !expired.isEmpty() && !later.isEmpty());

        const QStringList tokens{live,
                                 expired,
                                 loggedOut,
                                 bobs,
                                 garbage,
                                 wrongType,
                                 unissuedToken(1),
                                 QString(),
                                 QStringLiteral("x"),
                                 live.left(42) + QLatin1Char('!'),
                                 live,
                                 later};
        QList<std::optional<qint64>> single;
        for (const QString &token : tokens)
            single.append(store->tokenExpiry(token));
        // Not trivially equal: the live ones are found, everything else is not.
        QCOMPARE(single.at(0), std::optional<qint64>(m_now - 1000 + 60000));
        QCOMPARE(single.at(11), std::optional<qint64>(m_now - 1000 + 60000));
        QCOMPARE(single.count(std::nullopt), tokens.size() - 3);

        const qint64 mgets = calls("mget");
        const qint64 gets = calls("get");
        const auto batch = store->tokenExpiries(tokens);
        QCOMPARE(calls("mget"), mgets + 1);
        QCOMPARE(calls("get"), gets);
        QVERIFY(!store->unavailable());
        QCOMPARE(batch.size(), tokens.size());
        for (qsizetype i = 0; i < tokens.size(); ++i)
            QVERIFY2(batch.at(i) == single.at(i), qPrintable(QString::number(i)));
        QVERIFY(store->tokenExpiries({}).isEmpty());
        QCOMPARE(store->tokenExpiries({QString(), QStringLiteral("x")}),
                 (QList<std::optional<qint64>>{std::nullopt, std::nullopt}));
        QCOMPARE(calls("mget"), mgets + 1); // nothing to ask about: Redis is not asked
    }

    // A batch beyond RedisUserStore::TokenBatch is one MGET per TokenBatch tokens, so that no
    // reply grows with the number of sessions.
    void aLargeBatchIsOneMgetPerChunk()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        const QString live =
            store->issueToken(*store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        QStringList tokens;
        for (int i = 0; i < 2 * RedisUserStore::TokenBatch; ++i)
            tokens << unissuedToken(i);
        tokens << live << QStringLiteral("malformed");
        const qint64 mgets = calls("mget");
        const auto batch = store->tokenExpiries(tokens);
        QCOMPARE(calls("mget"), mgets + 3); // ceil((2 × TokenBatch + 1) / TokenBatch)
        QCOMPARE(batch.size(), tokens.size());
        QCOMPARE(batch.count(std::nullopt), tokens.size() - 1);
        QCOMPARE(batch.at(tokens.size() - 2), std::optional<qint64>(m_now + 60000));
    }

    // AccountService on a node looks up its sessions' tokens in one round trip when another node
    // revoked some, and not at all when a user registered.
    void sessionTokensAreLookedUpInOneBatch()
    {
        AccountService::Settings s;
        s.iterations = TestIterations;
        s.tokenLifetimeMs = 60000;
        s.wallClock = [this] {
            return m_now;
        };
        s.database = [this](const UserDatabase::Options &options) {
            RedisUserStore::Settings redisSettings = settings();
            redisSettings.options = options;
            return std::make_unique<RedisUserStore>(redisSettings);
        };
        AccountService service(s);
        QVERIFY(service.open());
        auto other = openStore(); // another node
        QCOMPARE(other->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        QCOMPARE(other->addUser(QStringLiteral("bob"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        const auto ana = other->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw"));
        const auto bob = other->verifyPassword(QStringLiteral("bob"), QStringLiteral("pw"));
        QStringList tokens;
        for (int i = 0; i < 5; ++i)
            tokens << other->issueToken(*ana) << other->issueToken(*bob);

        qint64 mgets = calls("mget");
        QVERIFY(service.revoked(tokens).isEmpty());
        QCOMPARE(calls("mget"), mgets + 1);
        mgets = calls("mget");
        QCOMPARE(other->addUser(QStringLiteral("cy"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        QVERIFY(service.revoked(tokens).isEmpty());
        QCOMPARE(calls("mget"), mgets); // remembered: a registration changed nothing

        QCOMPARE(other->setPassword(QStringLiteral("bob"), QStringLiteral("new")), UserDatabase::Result::Ok);
        const qint64 gets = calls("get");
        QStringList bobs;
        for (int i = 1; i < tokens.size(); i += 2)
            bobs << tokens.at(i);
        QCOMPARE(service.revoked(tokens), bobs);
        QCOMPARE(calls("mget"), mgets + 1);
        QCOMPARE(calls("get"), gets + 1); // the version; no token on its own

        // Redis away: no session ends, and the next call after it is back still asks.
        QCOMPARE(other->removeUser(QStringLiteral("ana")), UserDatabase::Result::Ok);
        m_cluster.redis().stop();
        QVERIFY(service.revoked(tokens).isEmpty());
        QVERIFY(m_cluster.redis().start());
        QTRY_COMPARE(service.revoked(tokens), tokens);
    }

    void weakerRecordVerifiesAndIsUpgraded()
    {
        auto old = openStore(TestIterations);
        QCOMPARE(old->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        auto stronger = openStore(2 * TestIterations);
        QVERIFY(stronger->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        QCOMPARE(PasswordRecord::iterations(old->beginLogin(QStringLiteral("ana")).record),
                 2 * TestIterations);
        QVERIFY(old->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        QVERIFY(!old->verifyPassword(QStringLiteral("ana"), QStringLiteral("other")));
    }

    void loginRacingAPasswordChangeFails()
    {
        auto store = openStore();
        auto other = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("old")), UserDatabase::Result::Ok);
        const auto attempt = store->beginLogin(QStringLiteral("ana"));
        const auto check = PasswordRecord::check(attempt.record, QStringLiteral("old"), store->iterations());
        QVERIFY(check.matches);
        QCOMPARE(other->setPassword(QStringLiteral("ana"), QStringLiteral("new")), UserDatabase::Result::Ok);
        QVERIFY(!store->finishLogin(attempt, check));
    }

    // What Redis holds is not trusted: a user's hash or a token key with garbage in it (or of the
    // wrong type) is a failed login or resume, and the database stays usable.
    void garbageIsAFailedLoginNotACrash()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        const auto ana = store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw"));
        const QString token = store->issueToken(*ana);
        const QByteArray anaKey = RedisUserStore::userKey(QStringLiteral("ana"));

        redis({"HSET", anaKey, "record", "not a record"});
        QVERIFY(!store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        redis({"HSET", anaKey, "id", "-7"});
        QCOMPARE(store->beginLogin(QStringLiteral("ana")).id, 0);
        QVERIFY(!store->resumeToken(token)); // the token's user is not the one in the hash
        redis({"DEL", anaKey});
        redis({"SET", anaKey, "a string, not a hash"});
        QVERIFY(!store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        QCOMPARE(store->users().size(), 0);
        QVERIFY(!store->unavailable()); // Redis answered: a failed login, not a busy server

        for (const QByteArray &value :
             QList<QByteArray>{"", "garbage", "12\nx\nana", "\n\n", "99999999999999999999\n1\nana"}) {
            redis({"SET", RedisUserStore::tokenKey(hashOf(token)), value});
            QVERIFY2(!store->resumeToken(token), value.constData());
            QVERIFY(!store->tokenExpiry(token));
        }
        redis({"DEL", RedisUserStore::tokenKey(hashOf(token))});
        redis({"HSET", RedisUserStore::tokenKey(hashOf(token)), "x", "y"});
        QVERIFY(!store->resumeToken(token));
        QVERIFY(!store->revokeToken(token));
        redis({"SET", "natter:users:version", "nonsense"});
        QVERIFY(store->dataVersion() <= 0);

        QCOMPARE(store->addUser(QStringLiteral("bob"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        QVERIFY(store->verifyPassword(QStringLiteral("bob"), QStringLiteral("pw")));
    }

    // An outage fails fast and says so, and the handle works again once Redis is back.
    void anOutageIsUnavailableNotAFailedLogin()
    {
        auto store = openStore();
        QCOMPARE(store->addUser(QStringLiteral("ana"), QStringLiteral("pw")), UserDatabase::Result::Ok);
        const QString token =
            store->issueToken(*store->verifyPassword(QStringLiteral("ana"), QStringLiteral("pw")));
        m_cluster.redis().stop();
        QVERIFY(!store->resumeToken(token));
        QVERIFY(store->unavailable());
        QCOMPARE(store->beginLogin(QStringLiteral("ana")).id, 0);
        QVERIFY(store->unavailable());
        QCOMPARE(store->dataVersion(), -1);
        QCOMPARE(store->tokenExpiries({token, token}),
                 (QList<std::optional<qint64>>{std::nullopt, std::nullopt}));
        QVERIFY(store->unavailable());
        QCOMPARE(store->addUser(QStringLiteral("bob"), QStringLiteral("pw")),
                 UserDatabase::Result::StorageError);
        QVERIFY(m_cluster.redis().start());
        QTRY_VERIFY(store->resumeToken(token));
        QVERIFY(!store->unavailable());
    }
};

QTEST_GUILESS_MAIN(TestRedisUserStore)
#include "tst_redisuserstore.moc"

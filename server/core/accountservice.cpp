// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountservice.h"

#include "serverlog.h"
#include "userstore.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QHostAddress>
#include <QPointer>
#include <QSet>

namespace {
std::unique_ptr<UserDatabase> openDatabase(const AccountService::Settings &settings)
{
    UserDatabase::Options options;
    options.iterations = settings.iterations;
    options.tokenLifetimeMs = settings.tokenLifetimeMs;
    options.clock = settings.wallClock;
    if (settings.database)
        return settings.database(options);
    return std::make_unique<UserStore>(settings.dataDir, options);
}
} // namespace

AccountService::AccountService(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_store(openDatabase(settings))
    , m_throttle(settings.throttle, settings.throttleClock)
    , m_hasher(settings.hasherThreads)
{}

AccountService::~AccountService() = default;

bool AccountService::open()
{
    if (!m_store->open())
        return false;
    m_dataVersion = m_store->dataVersion();
    return true;
}

Authenticator::Outcome AccountService::failed(qint64 retryAfterMs) const
{
    Outcome o;
    o.kind = Outcome::Kind::Failed;
    o.retryAfterMs = retryAfterMs;
    return o;
}

Authenticator::Outcome AccountService::busy() const
{
    Outcome o = failed(m_settings.busyRetryMs);
    o.busy = true;
    return o;
}

Authenticator::Outcome AccountService::loggedIn(const UserDatabase::Account &account)
{
    Outcome o;
    o.token = m_store->issueToken(account);
    const auto expiry = m_store->tokenExpiry(o.token);
    if (o.token.isEmpty() || !expiry) {
        qCWarning(lcServer).noquote() << "cannot issue a token:" << m_store->errorString();
        return busy();
    }
    o.kind = Outcome::Kind::LoggedIn;
    o.accountId = account.id;
    o.username = account.name;
    o.expiresAt = *expiry;
    return o;
}

void AccountService::authenticate(const Protocol::Auth &auth, const QHostAddress &peer, QObject *receiver,
                                  Done done)
{
    if (auth.usesToken()) {
        // 256 random bits cannot be guessed, so a token is not throttled; judged at once.
        const auto outcome = resume(auth.token);
        done(outcome ? *outcome : failed());
        return;
    }
    if (auth.registerAccount)
        registerAccount(auth, peer, receiver, std::move(done));
    else
        login(auth, peer, receiver, std::move(done));
}

void AccountService::login(const Protocol::Auth &auth, const QHostAddress &peer, QObject *receiver, Done done)
{
    const QString key = UserDatabase::nameKey(auth.username.trimmed());
    // Judged before any work: a throttled or over-cap attempt costs no derivation.
    if (const qint64 wait = m_throttle.delayFor(key, peer)) {
        done(failed(wait));
        return;
    }
    if (m_hasher.pending() >= m_settings.maxPendingChecks) {
        done(busy());
        return;
    }
    if (!PasswordRecord::acceptable(auth.password)) {
        m_throttle.failed(key, peer);
        done(failed());
        return;
    }
    const UserDatabase::LoginAttempt attempt = m_store->beginLogin(auth.username);
    if (m_store->unavailable()) { // not the user's fault: no failure counted, no derivation
        done(busy());
        return;
    }
    ++m_derivations;
    const QPointer<QObject> guard(receiver);
    // The continuation runs on this object's thread; the throttle learns the result even when
    // the session is gone, so hanging up does not wash a failure away.
    m_hasher.check(attempt.record, auth.password, m_settings.iterations)
        .then(this,
              [this, attempt, key, peer, guard, done = std::move(done)](const PasswordRecord::Check &check) {
                  const auto account = m_store->finishLogin(attempt, check);
                  if (!account && m_store->unavailable()) {
                      if (guard)
                          done(busy());
                      return;
                  }
                  if (!account) {
                      m_throttle.failed(key, peer);
                      if (guard)
                          done(failed());
                      return;
                  }
                  m_throttle.succeeded(key, peer);
                  if (guard)
                      done(loggedIn(*account));
              });
}

void AccountService::registerAccount(const Protocol::Auth &auth, const QHostAddress &peer, QObject *receiver,
                                     Done done)
{
    Outcome o;
    if (!m_settings.registrationOpen) {
        o.kind = Outcome::Kind::RegistrationClosed;
        done(o);
        return;
    }
    const auto name = UserDatabase::validName(auth.username);
    if (!name) {
        o.kind = Outcome::Kind::InvalidName;
        done(o);
        return;
    }
    if (!PasswordRecord::acceptable(auth.password)) {
        o.kind = Outcome::Kind::BadPassword;
        done(o);
        return;
    }
    if (m_store->storedName(*name)) {
        o.kind = Outcome::Kind::NameTaken;
        done(o);
        return;
    }
    if (m_store->unavailable()) {
        done(busy());
        return;
    }
    // Registrations share the address's throttle and the cap: creating accounts is as costly.
    if (const qint64 wait = m_throttle.delayFor(UserDatabase::nameKey(*name), peer)) {
        done(failed(wait));
        return;
    }
    if (m_hasher.pending() >= m_settings.maxPendingChecks) {
        done(busy());
        return;
    }
    ++m_derivations;
    const QPointer<QObject> guard(receiver);
    m_hasher.create(auth.password, m_settings.iterations)
        .then(this, [this, name = *name, guard, done = std::move(done)](const QString &record) {
            Outcome o;
            switch (m_store->addUserRecord(name, record)) {
            case UserDatabase::Result::Ok:
                break;
            case UserDatabase::Result::Exists: // registered meanwhile by another connection
                o.kind = Outcome::Kind::NameTaken;
                if (guard)
                    done(o);
                return;
            default:
                qCWarning(lcServer).noquote() << "cannot register an account:" << m_store->errorString();
                if (guard)
                    done(busy());
                return;
            }
            qCInfo(lcServer).noquote() << "registered account" << name;
            const UserDatabase::LoginAttempt attempt = m_store->beginLogin(name);
            if (guard)
                done(attempt.id ? loggedIn({attempt.id, attempt.name}) : busy());
        });
}

std::optional<Authenticator::Outcome> AccountService::resume(const QString &token)
{
    const auto account = m_store->resumeToken(token);
    const auto expiry = account ? m_store->tokenExpiry(token) : std::nullopt;
    if (!expiry) // a database that cannot be reached says nothing about the token: busy
        return m_store->unavailable() ? std::optional<Outcome>(busy()) : std::nullopt;
    Outcome o;
    o.kind = Outcome::Kind::LoggedIn;
    o.accountId = account->id;
    o.username = account->name;
    o.token = token;
    o.expiresAt = *expiry;
    return o;
}

void AccountService::logout(const QString &token)
{
    m_store->revokeToken(token);
}

QStringList AccountService::revoked(const QStringList &tokens)
{
    // Only another process (`natter-server user passwd/remove`, another node) revokes behind our
    // back, and its change moves dataVersion: then every token is looked up again. Otherwise only
    // tokens not seen before are, and the expiries remembered end sessions when their token runs
    // out. A database that cannot be reached ends no session.
    const qint64 version = m_store->dataVersion();
    if (m_store->unavailable())
        return {};
    if (version != m_dataVersion) {
        m_dataVersion = version;
        m_expiries.clear();
    }
    // The tokens not seen before in one batch: against Redis one round trip for thousands of
    // sessions, not one each.
    QStringList unknown;
    QSet<QString> asked;
    for (const QString &token : tokens) {
        if (!m_expiries.contains(token) && !asked.contains(token)) {
            asked.insert(token);
            unknown.append(token);
        }
    }
    const QList<std::optional<qint64>> found = m_store->tokenExpiries(unknown);
    if (m_store->unavailable())
        return {}; // lost meanwhile: the cache stays, and the next call asks again
    for (qsizetype i = 0; i < unknown.size(); ++i) {
        if (const std::optional<qint64> expiry = found.value(i))
            m_expiries.insert(unknown.at(i), *expiry);
    }
    const qint64 now = m_settings.wallClock ? m_settings.wallClock() : QDateTime::currentMSecsSinceEpoch();
    QStringList gone;
    QHash<QString, qint64> live;
    for (const QString &token : tokens) {
        const auto expiry = m_expiries.constFind(token);
        if (expiry == m_expiries.constEnd() || *expiry <= now)
            gone.append(token);
        else
            live.insert(token, *expiry);
    }
    m_expiries = live; // the tokens of sessions that ended are forgotten with them
    return gone;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenstore.h"

#include "jsontree.h"
#include "protocol.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace {
constexpr int FileVersion = 1;
constexpr qint64 MaxFileBytes = 64 * 1024; // a token file is a few hundred bytes
constexpr QFileDevice::Permissions OwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// What QtKeychain says when it found no library to reach a keyring with (neither libsecret nor
// libgnome-keyring loads, and no KWallet answers on D-Bus).
const QLatin1String NoLibrary("Unknown error");

QString plainReason(const QString &detail)
{
    if (detail == NoLibrary)
        return TokenStore::tr("No keyring service is running (no Secret Service or KWallet was found).");
    return TokenStore::tr("No keyring service answered (%1).").arg(detail);
}
} // namespace

TokenStore::TokenStore(Policy policy, QObject *parent)
    : QObject(parent)
    , m_policy(policy)
    , m_directory(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                  QStringLiteral("/tokens"))
{}

void TokenStore::setPolicy(Policy policy)
{
    m_policy = policy;
    const QHash<QString, QString> unsaved = std::exchange(m_unsaved, {});
    for (auto it = unsaved.cbegin(); it != unsaved.cend(); ++it)
        save(it.key(), it.value());
}

void TokenStore::setDirectory(const QString &directory)
{
    m_directory = directory;
}

QString TokenStore::filePath(const QString &key) const
{
    // Hashed, so that no server or account name needs escaping and none shows in a listing.
    const QByteArray digest = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256);
    return m_directory + QLatin1Char('/') + QString::fromLatin1(digest.toHex().left(32)) +
           QStringLiteral(".json");
}

QUrl TokenStore::normalizedServer(const QUrl &server)
{
    QUrl url = server.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment |
                               QUrl::StripTrailingSlash | QUrl::NormalizePathSegments);
    url.setScheme(url.scheme().toLower());
    url.setHost(url.host().toLower());
    if (url.path() == QLatin1String("/"))
        url.setPath(QString()); // StripTrailingSlash keeps a lone one
    if (url.port() == -1)
        url.setPort(url.scheme() == QLatin1String("wss") ? 443 : 80);
    return url;
}

QString TokenStore::key(const QUrl &server, const QString &account)
{
    // As UserStore::nameKey folds names on the server: one account, one key.
    const QString name = Protocol::nameKey(account.normalized(QString::NormalizationForm_KC))
                             .normalized(QString::NormalizationForm_KC);
    return name + QLatin1Char('@') + normalizedServer(server).toString(QUrl::FullyEncoded);
}

bool TokenStore::isServiceMissing(int keychainError)
{
    // OtherError is how QtKeychain passes on D-Bus and libsecret failures (no session bus, no
    // Secret Service, KWallet not running) and "Unknown error" when no keyring library loads. Its
    // text may come translated from GDBus, so it is shown, never matched on.
    switch (QKeychain::Error(keychainError)) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return true;
    default:
        return false;
    }
}

template<typename F>
void TokenStore::later(F &&f)
{
    // The file and memory backends answer on the next event-loop pass, as the keyring does.
    QTimer::singleShot(0, this, std::forward<F>(f));
}

void TokenStore::load(const QString &key)
{
    if (const auto it = m_unsaved.constFind(key); it != m_unsaved.cend()) {
        later([this, key, token = *it] { emit tokenLoaded(key, token); });
        return;
    }
    switch (m_policy) {
    case Policy::Keyring:
        loadKeyring(key);
        break;
    case Policy::File:
        later([this, key] { loadFile(key); });
        break;
    case Policy::Nothing:
        later([this, key, token = m_memory.value(key)] {
            if (token.isEmpty())
                emit tokenMissing(key);
            else
                emit tokenLoaded(key, token);
        });
        break;
    }
}

void TokenStore::save(const QString &key, const QString &token)
{
    switch (m_policy) {
    case Policy::Keyring:
        m_unsaved.insert(key, token); // until the keyring confirms
        saveKeyring(key, token);
        break;
    case Policy::File:
        later([this, key, token] { saveFile(key, token); });
        break;
    case Policy::Nothing:
        m_memory.insert(key, token);
        later([this, key] { emit saved(key); });
        break;
    }
}

void TokenStore::remove(const QString &key)
{
    m_unsaved.remove(key);
    m_memory.remove(key);
    if (m_policy == Policy::Keyring) {
        QFile::remove(filePath(key)); // left from a time the user chose the file
        removeKeyring(key);
    } else
        later([this, key] { removeFile(key); });
}

bool TokenStore::ensureDirectory(QString *error)
{
    QDir dir(m_directory);
    if (!dir.exists()) {
        const QString parent = QFileInfo(m_directory).absolutePath();
        if (!QDir().mkpath(parent) ||
            !dir.mkdir(m_directory,
                       QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
            if (!dir.exists()) {
                *error = tr("Cannot create the directory %1").arg(m_directory);
                return false;
            }
        }
    }
    return true;
}

void TokenStore::loadFile(const QString &key)
{
    QFile file(filePath(key));
    if (!file.exists()) {
        emit tokenMissing(key);
        return;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        emit failed(key, tr("Cannot read %1: %2").arg(file.fileName(), file.errorString()));
        return;
    }
    const QString text = QString::fromUtf8(file.read(MaxFileBytes + 1));
    file.close();
    JsonTree tree;
    QString token;
    if (text.size() <= MaxFileBytes && tree.parse(text) &&
        tree.node(tree.root()).kind() == JsonTree::Kind::Object) {
        const int root = tree.root();
        const int keyNode = tree.member(root, QLatin1String("key"));
        const int tokenNode = tree.member(root, QLatin1String("token"));
        if (keyNode >= 0 && tokenNode >= 0 && tree.node(keyNode).kind() == JsonTree::Kind::String &&
            tree.node(tokenNode).kind() == JsonTree::Kind::String && tree.string(keyNode) == key)
            token = tree.string(tokenNode);
    }
    if (token.isEmpty()) {
        // A token that cannot be read is worth nothing: the user logs in again and a new one
        // replaces the file.
        qWarning("TokenStore: %s is not a token file; it is removed", qPrintable(file.fileName()));
        file.remove();
        emit tokenMissing(key);
        return;
    }
    constexpr QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (file.permissions() & others)
        file.setPermissions(OwnerOnly); // someone widened it: narrow it again
    emit tokenLoaded(key, token);
}

void TokenStore::saveFile(const QString &key, const QString &token)
{
    QString error;
    if (!ensureDirectory(&error)) {
        emit failed(key, error);
        return;
    }
    const QJsonObject root{{QLatin1String("version"), FileVersion},
                           {QLatin1String("key"), key},
                           {QLatin1String("token"), token}};
    QSaveFile file(filePath(key));
    // 0600 before the token is written, whatever the umask; the rename makes it appear whole.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(OwnerOnly) ||
        file.write(QJsonDocument(root).toJson(QJsonDocument::Compact)) < 0 || !file.commit()) {
        emit failed(key, tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
        return;
    }
    emit saved(key);
}

void TokenStore::removeFile(const QString &key)
{
    QFile file(filePath(key));
    if (file.exists() && !file.remove()) {
        emit failed(key, tr("Cannot remove %1: %2").arg(file.fileName(), file.errorString()));
        return;
    }
    emit removed(key);
}

void TokenStore::loadKeyring(const QString &key)
{
    auto *job = new QKeychain::ReadPasswordJob(KeyringService, this);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, job] {
        if (job->error() == QKeychain::NoError && !job->textData().isEmpty())
            emit tokenLoaded(key, job->textData());
        else if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound)
            emit tokenMissing(key);
        else if (isServiceMissing(job->error()))
            emit keyringUnavailable(key, plainReason(job->errorString()));
        else
            emit failed(key, tr("The keyring did not give the token: %1").arg(job->errorString()));
    });
    job->start();
}

void TokenStore::saveKeyring(const QString &key, const QString &token)
{
    auto *job = new QKeychain::WritePasswordJob(KeyringService, this);
    job->setKey(key);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [this, key, token, job] {
        if (job->error() == QKeychain::NoError) {
            // A newer save or a remove may have replaced what this job wrote in the meantime.
            if (m_unsaved.value(key) == token)
                m_unsaved.remove(key);
            emit saved(key);
        } else if (isServiceMissing(job->error())) {
            emit keyringUnavailable(key, plainReason(job->errorString()));
        } else {
            emit failed(key, tr("The keyring did not keep the token: %1").arg(job->errorString()));
        }
    });
    job->start();
}

void TokenStore::removeKeyring(const QString &key)
{
    auto *job = new QKeychain::DeletePasswordJob(KeyringService, this);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, job] {
        if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound)
            emit removed(key);
        else if (isServiceMissing(job->error()))
            emit keyringUnavailable(key, plainReason(job->errorString()));
        else
            emit failed(key, tr("The keyring did not remove the token: %1").arg(job->errorString()));
    });
    job->start();
}

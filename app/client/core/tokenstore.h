// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>

namespace QKeychain {
class Job;
}

//! Keeps the session token of an account on a server between runs: in the system keyring
//! (QtKeychain: Secret Service, KWallet), in a file only the user can read, or for this run only.
//!
//! Every call answers later with exactly one signal for its key, whatever the backend. A token
//! that could not be stored (no keyring service) is kept for this run, and stored when the caller
//! picks another policy, so choosing "a file" after keyringUnavailable loses nothing.
class TokenStore : public QObject
{
    Q_OBJECT
public:
    enum class Policy {
        Keyring, // the system keyring; the default
        File,    // one file per account in directory(), mode 0600
        Nothing, // memory only: the user logs in again next run
    };
    Q_ENUM(Policy)

    explicit TokenStore(Policy policy = Policy::Keyring, QObject *parent = nullptr);

    Policy policy() const { return m_policy; }
    // Tokens this run could not store are saved again under the new policy.
    void setPolicy(Policy policy);
    // The file backend's directory; by default "tokens" in the app data directory.
    QString directory() const { return m_directory; }
    void setDirectory(const QString &directory);
    // The file that holds `key`'s token under Policy::File.
    QString filePath(const QString &key) const;

    // The name a token is kept under: the account on a server, whatever way the URL was written
    // ("WS://Host/" and "ws://host:80" are one server; "Ana" and "ana" one account, as the server's
    // user database folds names).
    static QString key(const QUrl &server, const QString &account);
    static QUrl normalizedServer(const QUrl &server);
    // QtKeychain reports "no keyring service here" as several codes (QKeychain::Error); true for
    // those. Denied access is no missing service: the user said no.
    static bool isServiceMissing(int keychainError);

    static inline const QString KeyringService = QStringLiteral("natter");

public slots:
    void load(const QString &key);
    void save(const QString &key, const QString &token);
    // Forgets the token: in memory, in the file, and under Policy::Keyring in the keyring too.
    void remove(const QString &key);

signals:
    void tokenLoaded(const QString &key, const QString &token);
    void tokenMissing(const QString &key);
    void saved(const QString &key);
    void removed(const QString &key);
    // Policy::Keyring only: no keyring service answers. A token being saved is kept for this run.
    void keyringUnavailable(const QString &key, const QString &reason);
    void failed(const QString &key, const QString &reason);

private:
    void loadFile(const QString &key);
    void saveFile(const QString &key, const QString &token);
    void removeFile(const QString &key);
    void loadKeyring(const QString &key);
    void saveKeyring(const QString &key, const QString &token);
    void removeKeyring(const QString &key);
    bool ensureDirectory(QString *error);
    template<typename F>
    void later(F &&f);

    Policy m_policy;
    QString m_directory;
    QHash<QString, QString> m_memory;  // Policy::Nothing
    QHash<QString, QString> m_unsaved; // saves the keyring refused: kept for this run
};

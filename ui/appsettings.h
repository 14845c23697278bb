// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chatclient.h"
#include "connectionchoice.h"
#include "messagecache.h"
#include "roomlistmodel.h"
#include "tokenstore.h"

#include <QHash>
#include <QSettings>
#include <QUrl>

//! What Natter remembers between runs (QSettings): the last connection choice, the last room,
//! known rooms, how far each room was read, which rooms notify less, unsent drafts, the window layout, the
//! largest file accepted from others and where received files go, where login tokens are kept, how large
//! the message cache may grow and how the connection retries and measures latency.
class AppSettings
{
public:
    AppSettings();

    bool hasConnection() const; // false on a truly first start
    ConnectionChoice connection() const;
    void setConnection(const ConnectionChoice &choice);
    // Preferences → Servers: every server the app connects to side by side, the primary one
    // (connection()) first. Until a list is saved it is the one connection, if any; a saved empty
    // list stays empty. setServers() makes its first entry connection(); setConnection() makes its
    // server the first entry (replacing that server's entry, the others keep their order), so the
    // two always agree. Saving drops what would be one server twice: see distinctServers().
    QList<ConnectionChoice> servers() const;
    void setServers(const QList<ConnectionChoice> &servers);
    // One server: both hosted here, or neither and the same URL with case-insensitive scheme and
    // host, the scheme's default port spelt out or not, and no path the same as "/".
    static bool sameServer(const ConnectionChoice &a, const ConnectionChoice &b);
    // `servers` without the entries that are the same server as an earlier one (the first is kept),
    // and so with one "This computer" at most: the app hosts one server, however often it is listed.
    static QList<ConnectionChoice> distinctServers(const QList<ConnectionChoice> &servers);
    // How the UI names a server: "This computer" when hosted here, else host[:port][/path].
    static QString serverDisplayName(const ConnectionChoice &server);
    int theme() const; // Theme::Choice, as an int: System (0) unless set
    void setTheme(int choice);
    qreal textScale() const; // the message view's (MessageView::setTextScale), 1.0 unless set
    void setTextScale(qreal scale);
    bool doNotDisturb() const;
    void setDoNotDisturb(bool on);
    QString lastRoom() const;
    void setLastRoom(const QString &room);
    QStringList knownRooms() const;
    void addKnownRoom(const QString &room);
    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowLayout(const QByteArray &geometry, const QByteArray &state);
    // Larger incoming files are refused; 0 (the default) leaves the limit to the server.
    qint64 maxIncomingFileBytes() const;
    void setMaxIncomingFileBytes(qint64 bytes);
    // Larger incoming files ask the user first (they arrive meanwhile; declining stops them).
    static constexpr qint64 DefaultAutoAcceptFileBytes = 25 * 1024 * 1024;
    qint64 autoAcceptFileBytes() const;
    void setAutoAcceptFileBytes(qint64 bytes);
    // Where received files go (FileTransfers::setDownloadDir); empty (the default): they wait in a
    // private place until the user saves them.
    QString downloadDir() const;
    void setDownloadDir(const QString &dir);
    // Preferences → Connection: ChatClient's defaults with the reconnect backoff and the latency
    // pings the user chose (initialDelayMs, maxDelayMs, backoffFactor, pingIntervalMs,
    // pongTimeoutMs, latencySamples); only those are stored.
    ChatClient::Settings clientSettings() const;
    void setClientSettings(const ChatClient::Settings &settings);
    // The bounds of those, which the page offers and reading enforces (a hand-edited file must not
    // ping every millisecond or wait days): waits and pings 1 s to an hour, growth ×1 to ×10, no
    // answer for at least two pings, 10 to 10,000 samples.
    static constexpr int MaxNetworkSeconds = 3600;
    static constexpr int MinLatencySamples = 10;
    static constexpr int MaxLatencySamples = 10000;
    static ChatClient::Settings bounded(ChatClient::Settings settings);
    // How far the user has read in each room of a server: the seq and the room epoch it counts in.
    // Kept for the servers and rooms used last only: older ones are dropped when one is saved.
    struct ReadPosition
    {
        QString epoch;
        qint64 seq = 0;
    };
    static constexpr int MaxReadServers = 20;
    static constexpr int MaxReadRoomsPerServer = 100;
    // The name a server's read positions are kept under. The server this app hosts is one server,
    // whichever port it found free this time.
    static QString serverKey(const QUrl &url, bool hostedHere);
    QHash<QString, ReadPosition> readPositions(const QString &serverKey) const;
    void setReadPosition(const QString &serverKey, const QString &room, const ReadPosition &position);
    // Rooms of a server whose notifications the user reduced (RoomListModel::Notify), by the same
    // server key; at most MaxNotifyRoomsPerServer of them.
    static constexpr int MaxNotifyRoomsPerServer = 1000;
    QHash<QString, RoomListModel::Notify> notifyLevels(const QString &serverKey) const;
    void setNotifyLevel(const QString &serverKey, const QString &room, RoomListModel::Notify level);
    // Each room's unsent draft (DraftKeeper), per server: the text and a reply in progress.
    struct Draft
    {
        QString text;
        qint64 replyTo = 0;
        QString replyPreview;
        QString epoch; // the numbering replyTo belongs to (PROTOCOL.md 2); empty when unknown
        bool isEmpty() const { return text.isEmpty() && replyTo <= 0; }
    };
    static constexpr int MaxDraftRoomsPerServer = 200;
    static constexpr int MaxDraftChars = 64 * 1024;
    Draft draft(const QString &serverKey, const QString &room) const;
    void setDraft(const QString &serverKey, const QString &room, const Draft &draft); // empty: removed
    // Server certificates (PEM) the user chose to trust although they failed verification.
    QList<QByteArray> trustedCertificates() const;
    void addTrustedCertificate(const QByteArray &pem);
    // Where login tokens are kept: the keyring unless the user chose otherwise when it was missing.
    TokenStore::Policy tokenPolicy() const;
    void setTokenPolicy(TokenStore::Policy policy);
    // The message cache (Preferences → Storage): where it is (MessageCache::defaultPath() unless
    // set, which tests do) and how much it keeps. The defaults fit a laptop: 512 MiB, a year.
    QString cachePath() const;
    void setCachePath(const QString &path);
    MessageCache::Limits cacheLimits() const;
    void setCacheLimits(const MessageCache::Limits &limits);
    void sync() { m_settings.sync(); }

private:
    QList<ConnectionChoice> storedServers() const; // the saved list as it is
    void writeServers(const QList<ConnectionChoice> &servers);

    mutable QSettings m_settings; // mutable: reading an array (servers()) needs its non-const API
};

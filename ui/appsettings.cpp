// SPDX-License-Identifier: GPL-3.0-or-later
#include "appsettings.h"

#include <QCoreApplication>
#include <QCryptographicHash>

#include <algorithm>
#include <cmath>

namespace {
constexpr int MaxKnownRooms = 50;
const QString ServersKey = QStringLiteral("servers");
const QString ServersSavedKey = QStringLiteral("serversSaved"); // an empty list is a list too

int defaultPort(const QString &scheme)
{
    return scheme == QLatin1String("wss") ? 443 : 80;
}

QStringList urlStrings(const QList<QUrl> &urls)
{
    QStringList out;
    for (const QUrl &url : urls)
        out.append(url.toString());
    return out;
}

QList<QUrl> urlsFrom(const QStringList &strings)
{
    QList<QUrl> out;
    for (const QString &s : strings)
        out.append(QUrl(s));
    return out;
}

// What tells servers apart: a URL with case and default port spelt one way.
QString serverIdentity(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    QString path = url.path();
    if (path.isEmpty())
        path = QStringLiteral("/");
    return scheme + QStringLiteral("://") + url.host().toLower() + QLatin1Char(':') +
           QString::number(url.port(defaultPort(scheme))) + path + QLatin1Char('?') + url.query();
}
} // namespace

AppSettings::AppSettings() = default;

bool AppSettings::hasConnection() const
{
    return m_settings.contains(QStringLiteral("connection/user"));
}

ConnectionChoice AppSettings::connection() const
{
    ConnectionChoice c;
    c.hostLocally = m_settings.value(QStringLiteral("connection/hostLocally"), true).toBool();
    c.url = QUrl(m_settings.value(QStringLiteral("connection/url")).toString());
    c.otherUrls = urlsFrom(m_settings.value(QStringLiteral("connection/otherUrls")).toStringList());
    c.username = m_settings.value(QStringLiteral("connection/user")).toString();
    c.room = lastRoom();
    return c;
}

void AppSettings::setConnection(const ConnectionChoice &choice)
{
    m_settings.setValue(QStringLiteral("connection/hostLocally"), choice.hostLocally);
    m_settings.setValue(QStringLiteral("connection/url"), choice.url.toString());
    m_settings.setValue(QStringLiteral("connection/otherUrls"), urlStrings(choice.otherUrls));
    m_settings.setValue(QStringLiteral("connection/user"), choice.username);
    if (!choice.room.isEmpty())
        setLastRoom(choice.room);
    // The primary server goes first in the saved list (no server of it is lost: one that was first
    // comes second), as connection() reads it, with the last room when `choice` has none.
    if (m_settings.value(ServersSavedKey, false).toBool()) {
        QList<ConnectionChoice> stored = storedServers();
        if (!stored.isEmpty()) {
            stored.prepend(connection());
            writeServers(distinctServers(stored));
        }
    }
}

QList<ConnectionChoice> AppSettings::storedServers() const
{
    QList<ConnectionChoice> result;
    const int size = m_settings.beginReadArray(ServersKey);
    for (int i = 0; i < size; ++i) {
        m_settings.setArrayIndex(i);
        ConnectionChoice c;
        c.hostLocally = m_settings.value(QStringLiteral("hostLocally"), false).toBool();
        c.url = QUrl(m_settings.value(QStringLiteral("url")).toString());
        c.otherUrls = urlsFrom(m_settings.value(QStringLiteral("otherUrls")).toStringList());
        c.username = m_settings.value(QStringLiteral("user")).toString();
        c.room = m_settings.value(QStringLiteral("room")).toString();
        result.append(c);
    }
    m_settings.endArray();
    return result;
}

void AppSettings::writeServers(const QList<ConnectionChoice> &servers)
{
    m_settings.remove(ServersKey);
    m_settings.beginWriteArray(ServersKey, int(servers.size()));
    for (int i = 0; i < servers.size(); ++i) {
        m_settings.setArrayIndex(i);
        const ConnectionChoice &c = servers.at(i);
        m_settings.setValue(QStringLiteral("hostLocally"), c.hostLocally);
        m_settings.setValue(QStringLiteral("url"), c.url.toString());
        m_settings.setValue(QStringLiteral("otherUrls"), urlStrings(c.otherUrls));
        m_settings.setValue(QStringLiteral("user"), c.username);
        m_settings.setValue(QStringLiteral("room"), c.room);
    }
    m_settings.endArray();
    m_settings.setValue(ServersSavedKey, true);
}

QList<ConnectionChoice> AppSettings::servers() const
{
    if (!m_settings.value(ServersSavedKey, false).toBool())
        return hasConnection() ? QList<ConnectionChoice>{connection()} : QList<ConnectionChoice>{};
    QList<ConnectionChoice> result = storedServers();
    // setConnection() keeps the list in step; this is for settings written otherwise.
    if (!result.isEmpty() && hasConnection())
        result.prepend(connection());
    return distinctServers(result);
}

void AppSettings::setServers(const QList<ConnectionChoice> &servers)
{
    const QList<ConnectionChoice> distinct = distinctServers(servers);
    writeServers(distinct);
    if (!distinct.isEmpty())
        setConnection(distinct.first());
}

bool AppSettings::sameServer(const ConnectionChoice &a, const ConnectionChoice &b)
{
    if (a.hostLocally || b.hostLocally)
        return a.hostLocally == b.hostLocally;
    return serverIdentity(a.url) == serverIdentity(b.url);
}

QList<ConnectionChoice> AppSettings::distinctServers(const QList<ConnectionChoice> &servers)
{
    QList<ConnectionChoice> result;
    for (const ConnectionChoice &c : servers) {
        const bool known = std::any_of(result.cbegin(), result.cend(),
                                       [&c](const ConnectionChoice &kept) { return sameServer(kept, c); });
        if (!known)
            result.append(c);
    }
    return result;
}

QString AppSettings::serverDisplayName(const ConnectionChoice &server)
{
    if (server.hostLocally)
        return QCoreApplication::translate("AppSettings", "This computer");
    const QUrl &url = server.url;
    QString name = url.host();
    if (url.port() != -1 && url.port() != defaultPort(url.scheme().toLower()))
        name += QLatin1Char(':') + QString::number(url.port());
    if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
        name += url.path();
    return name;
}

int AppSettings::theme() const
{
    return m_settings.value(QStringLiteral("view/theme"), 0).toInt();
}

void AppSettings::setTheme(int choice)
{
    m_settings.setValue(QStringLiteral("view/theme"), choice);
}

qreal AppSettings::textScale() const
{
    bool ok = false;
    const qreal scale = m_settings.value(QStringLiteral("view/textScale"), 1.0).toDouble(&ok);
    return ok && scale > 0 ? scale : 1.0;
}

void AppSettings::setTextScale(qreal scale)
{
    m_settings.setValue(QStringLiteral("view/textScale"), scale);
}

bool AppSettings::doNotDisturb() const
{
    return m_settings.value(QStringLiteral("notifications/doNotDisturb"), false).toBool();
}

void AppSettings::setDoNotDisturb(bool on)
{
    m_settings.setValue(QStringLiteral("notifications/doNotDisturb"), on);
}

QString AppSettings::lastRoom() const
{
    return m_settings.value(QStringLiteral("connection/lastRoom")).toString();
}

void AppSettings::setLastRoom(const QString &room)
{
    m_settings.setValue(QStringLiteral("connection/lastRoom"), room);
    addKnownRoom(room);
}

QStringList AppSettings::knownRooms() const
{
    return m_settings.value(QStringLiteral("rooms/known")).toStringList();
}

void AppSettings::addKnownRoom(const QString &room)
{
    if (room.isEmpty())
        return;
    QStringList rooms = knownRooms();
    rooms.removeAll(room);
    rooms.prepend(room);
    while (rooms.size() > MaxKnownRooms)
        rooms.removeLast();
    m_settings.setValue(QStringLiteral("rooms/known"), rooms);
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings.value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray AppSettings::windowState() const
{
    return m_settings.value(QStringLiteral("window/state")).toByteArray();
}

void AppSettings::setWindowLayout(const QByteArray &geometry, const QByteArray &state)
{
    m_settings.setValue(QStringLiteral("window/geometry"), geometry);
    m_settings.setValue(QStringLiteral("window/state"), state);
}

namespace {
const QString ReadGroup = QStringLiteral("read");
const QString ReadServersKey = QStringLiteral("readServers"); // server hash -> when last used
const QString ReadUseKey = QStringLiteral("readUse");         // the counter "when" is measured in

QString serverHash(const QString &serverKey)
{
    // A URL is no valid settings key.
    return QString::fromLatin1(
        QCryptographicHash::hash(serverKey.toUtf8(), QCryptographicHash::Sha1).toHex());
}

QString readKey(const QString &serverKey)
{
    return ReadGroup + QLatin1Char('/') + serverHash(serverKey);
}

QString notifyKey(const QString &serverKey)
{
    return QStringLiteral("notify/") + serverHash(serverKey);
}

QString draftsKey(const QString &serverKey)
{
    return QStringLiteral("drafts/") + serverHash(serverKey);
}

// A room's entry is [epoch, seq, when last used]; 0.1 saved no use, which reads as oldest.
qint64 useOf(const QVariant &entry)
{
    const QStringList parts = entry.toStringList();
    return parts.size() > 2 ? parts.at(2).toLongLong() : 0;
}

// Drops the entries of `map` used longest ago until `max` remain; returns the dropped keys.
QStringList pruneOldest(QVariantMap &map, int max, qint64 (*use)(const QVariant &))
{
    QStringList dropped;
    if (map.size() <= max)
        return dropped;
    QVector<QPair<qint64, QString>> byUse;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        byUse.append({use(it.value()), it.key()});
    std::sort(byUse.begin(), byUse.end());
    for (int i = 0; i < byUse.size() - max; ++i) {
        map.remove(byUse.at(i).second);
        dropped.append(byUse.at(i).second);
    }
    return dropped;
}
} // namespace

QString AppSettings::serverKey(const QUrl &url, bool hostedHere)
{
    return hostedHere ? QStringLiteral("hosted here") : url.toString();
}

AppSettings::Draft AppSettings::draft(const QString &serverKey, const QString &room) const
{
    const QStringList parts = m_settings.value(draftsKey(serverKey)).toMap().value(room).toStringList();
    if (parts.size() < 3)
        return {};
    return Draft{parts.at(0).left(MaxDraftChars), qMax(qint64(0), parts.at(1).toLongLong()), parts.at(2),
                 parts.value(3).left(64)};
}

void AppSettings::setDraft(const QString &serverKey, const QString &room, const Draft &draft)
{
    QVariantMap rooms = m_settings.value(draftsKey(serverKey)).toMap();
    if (draft.isEmpty())
        rooms.remove(room);
    else if (rooms.contains(room) || rooms.size() < MaxDraftRoomsPerServer)
        rooms.insert(room, QStringList{draft.text.left(MaxDraftChars), QString::number(draft.replyTo),
                                       draft.replyPreview.left(200), draft.epoch.left(64)});
    if (rooms.isEmpty())
        m_settings.remove(draftsKey(serverKey));
    else
        m_settings.setValue(draftsKey(serverKey), rooms);
}

QHash<QString, RoomListModel::Notify> AppSettings::notifyLevels(const QString &serverKey) const
{
    QHash<QString, RoomListModel::Notify> result;
    const QVariantMap map = m_settings.value(notifyKey(serverKey)).toMap();
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        const int level = it.value().toInt();
        if (level == int(RoomListModel::Notify::Mentions) || level == int(RoomListModel::Notify::Nothing))
            result.insert(it.key(), RoomListModel::Notify(level));
    }
    return result;
}

void AppSettings::setNotifyLevel(const QString &serverKey, const QString &room, RoomListModel::Notify level)
{
    QVariantMap rooms = m_settings.value(notifyKey(serverKey)).toMap();
    if (level == RoomListModel::Notify::All)
        rooms.remove(room);
    else if (rooms.contains(room) || rooms.size() < MaxNotifyRoomsPerServer)
        rooms.insert(room, int(level));
    if (rooms.isEmpty())
        m_settings.remove(notifyKey(serverKey));
    else
        m_settings.setValue(notifyKey(serverKey), rooms);
}

QHash<QString, AppSettings::ReadPosition> AppSettings::readPositions(const QString &serverKey) const
{
    QHash<QString, ReadPosition> result;
    const QVariantMap map = m_settings.value(readKey(serverKey)).toMap();
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        const QStringList parts = it.value().toStringList();
        if (parts.size() >= 2)
            result.insert(it.key(), ReadPosition{parts.at(0), parts.at(1).toLongLong()});
    }
    return result;
}

void AppSettings::setReadPosition(const QString &serverKey, const QString &room, const ReadPosition &position)
{
    const qint64 use = m_settings.value(ReadUseKey, 0).toLongLong() + 1;
    m_settings.setValue(ReadUseKey, use);

    QVariantMap rooms = m_settings.value(readKey(serverKey)).toMap();
    rooms.insert(room, QStringList{position.epoch, QString::number(position.seq), QString::number(use)});
    pruneOldest(rooms, MaxReadRoomsPerServer, useOf);
    m_settings.setValue(readKey(serverKey), rooms);

    QVariantMap servers = m_settings.value(ReadServersKey).toMap();
    servers.insert(serverHash(serverKey), use);
    // Servers saved before there was an index (0.1) count as the oldest.
    m_settings.beginGroup(ReadGroup);
    const QStringList saved = m_settings.childKeys();
    m_settings.endGroup();
    for (const QString &hash : saved) {
        if (!servers.contains(hash))
            servers.insert(hash, 0);
    }
    const QStringList dropped =
        pruneOldest(servers, MaxReadServers, [](const QVariant &v) { return v.toLongLong(); });
    for (const QString &hash : dropped)
        m_settings.remove(ReadGroup + QLatin1Char('/') + hash);
    m_settings.setValue(ReadServersKey, servers);
}

QList<QByteArray> AppSettings::trustedCertificates() const
{
    QList<QByteArray> result;
    for (const QVariant &v : m_settings.value(QStringLiteral("tls/trusted")).toList())
        result.append(v.toByteArray());
    return result;
}

void AppSettings::addTrustedCertificate(const QByteArray &pem)
{
    QVariantList list = m_settings.value(QStringLiteral("tls/trusted")).toList();
    if (!list.contains(pem))
        list.append(pem);
    m_settings.setValue(QStringLiteral("tls/trusted"), list);
}

qint64 AppSettings::maxIncomingFileBytes() const
{
    return qMax<qint64>(0, m_settings.value(QStringLiteral("files/maxIncomingBytes"), 0).toLongLong());
}

void AppSettings::setMaxIncomingFileBytes(qint64 bytes)
{
    m_settings.setValue(QStringLiteral("files/maxIncomingBytes"), qMax<qint64>(0, bytes));
}

qint64 AppSettings::autoAcceptFileBytes() const
{
    return qMax<qint64>(
        0,
        m_settings.value(QStringLiteral("files/autoAcceptBytes"), DefaultAutoAcceptFileBytes).toLongLong());
}

void AppSettings::setAutoAcceptFileBytes(qint64 bytes)
{
    m_settings.setValue(QStringLiteral("files/autoAcceptBytes"), qMax<qint64>(0, bytes));
}

QString AppSettings::downloadDir() const
{
    return m_settings.value(QStringLiteral("files/downloadDir")).toString();
}

void AppSettings::setDownloadDir(const QString &dir)
{
    m_settings.setValue(QStringLiteral("files/downloadDir"), dir);
}

ChatClient::Settings AppSettings::clientSettings() const
{
    ChatClient::Settings s;
    const auto number = [this](const QString &key, auto fallback) {
        bool ok = false;
        const double value = m_settings.value(key, fallback).toDouble(&ok);
        // A number in int's range or nothing; bounded() does the rest.
        return ok && std::isfinite(value) && std::abs(value) < 1e9 ? decltype(fallback)(value) : fallback;
    };
    s.initialDelayMs = number(QStringLiteral("network/initialDelayMs"), s.initialDelayMs);
    s.maxDelayMs = number(QStringLiteral("network/maxDelayMs"), s.maxDelayMs);
    s.backoffFactor = number(QStringLiteral("network/backoffFactor"), s.backoffFactor);
    s.pingIntervalMs = number(QStringLiteral("network/pingIntervalMs"), s.pingIntervalMs);
    s.pongTimeoutMs = number(QStringLiteral("network/pongTimeoutMs"), s.pongTimeoutMs);
    s.latencySamples = number(QStringLiteral("network/latencySamples"), s.latencySamples);
    return bounded(s);
}

ChatClient::Settings AppSettings::bounded(ChatClient::Settings s)
{
    constexpr int MaxMs = MaxNetworkSeconds * 1000;
    s.initialDelayMs = std::clamp(s.initialDelayMs, 1000, MaxMs);
    s.maxDelayMs = std::clamp(s.maxDelayMs, s.initialDelayMs, MaxMs);
    s.backoffFactor = std::isfinite(s.backoffFactor) ? std::clamp(s.backoffFactor, 1.0, 10.0) : 2.0;
    s.pingIntervalMs = std::clamp(s.pingIntervalMs, 1000, MaxMs);
    // Only pongs restart the deadline: one late pong must not end the connection.
    s.pongTimeoutMs = std::clamp(s.pongTimeoutMs, 2 * s.pingIntervalMs, 2 * MaxMs);
    s.latencySamples = std::clamp(s.latencySamples, MinLatencySamples, MaxLatencySamples);
    return s;
}

void AppSettings::setClientSettings(const ChatClient::Settings &given)
{
    const ChatClient::Settings settings = bounded(given);
    m_settings.setValue(QStringLiteral("network/initialDelayMs"), settings.initialDelayMs);
    m_settings.setValue(QStringLiteral("network/maxDelayMs"), settings.maxDelayMs);
    m_settings.setValue(QStringLiteral("network/backoffFactor"), settings.backoffFactor);
    m_settings.setValue(QStringLiteral("network/pingIntervalMs"), settings.pingIntervalMs);
    m_settings.setValue(QStringLiteral("network/pongTimeoutMs"), settings.pongTimeoutMs);
    m_settings.setValue(QStringLiteral("network/latencySamples"), settings.latencySamples);
}

TokenStore::Policy AppSettings::tokenPolicy() const
{
    const QString value = m_settings.value(QStringLiteral("accounts/tokenPolicy")).toString();
    if (value == QLatin1String("file"))
        return TokenStore::Policy::File;
    if (value == QLatin1String("nothing"))
        return TokenStore::Policy::Nothing;
    return TokenStore::Policy::Keyring;
}

void AppSettings::setTokenPolicy(TokenStore::Policy policy)
{
    // Words, not the enum's number, so that a reordered enum never changes what was chosen.
    QString value = QStringLiteral("keyring");
    if (policy == TokenStore::Policy::File)
        value = QStringLiteral("file");
    else if (policy == TokenStore::Policy::Nothing)
        value = QStringLiteral("nothing");
    m_settings.setValue(QStringLiteral("accounts/tokenPolicy"), value);
}

QString AppSettings::cachePath() const
{
    const QString path = m_settings.value(QStringLiteral("cache/path")).toString();
    return path.isEmpty() ? MessageCache::defaultPath() : path;
}

void AppSettings::setCachePath(const QString &path)
{
    m_settings.setValue(QStringLiteral("cache/path"), path);
}

MessageCache::Limits AppSettings::cacheLimits() const
{
    const MessageCache::Limits defaults;
    MessageCache::Limits limits;
    limits.maxBytes =
        qMax<qint64>(0, m_settings.value(QStringLiteral("cache/maxBytes"), defaults.maxBytes).toLongLong());
    limits.maxAgeDays =
        qMax(0, m_settings.value(QStringLiteral("cache/maxAgeDays"), defaults.maxAgeDays).toInt());
    return limits;
}

void AppSettings::setCacheLimits(const MessageCache::Limits &limits)
{
    m_settings.setValue(QStringLiteral("cache/maxBytes"), qMax<qint64>(0, limits.maxBytes));
    m_settings.setValue(QStringLiteral("cache/maxAgeDays"), qMax(0, limits.maxAgeDays));
}

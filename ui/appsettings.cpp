// SPDX-License-Identifier: GPL-3.0-or-later
#include "appsettings.h"

#include <QCryptographicHash>

namespace {
constexpr int MaxKnownRooms = 50;
}

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
    c.username = m_settings.value(QStringLiteral("connection/user")).toString();
    c.room = lastRoom();
    return c;
}

void AppSettings::setConnection(const ConnectionChoice &choice)
{
    m_settings.setValue(QStringLiteral("connection/hostLocally"), choice.hostLocally);
    m_settings.setValue(QStringLiteral("connection/url"), choice.url.toString());
    m_settings.setValue(QStringLiteral("connection/user"), choice.username);
    if (!choice.room.isEmpty())
        setLastRoom(choice.room);
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
QString readKey(const QUrl &server)
{
    // One map per server; hashed, since a URL is no valid settings key.
    return QStringLiteral("read/") +
           QString::fromLatin1(
               QCryptographicHash::hash(server.toString().toUtf8(), QCryptographicHash::Sha1).toHex());
}
} // namespace

QHash<QString, AppSettings::ReadPosition> AppSettings::readPositions(const QUrl &server) const
{
    QHash<QString, ReadPosition> result;
    const QVariantMap map = m_settings.value(readKey(server)).toMap();
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        const QStringList parts = it.value().toStringList();
        if (parts.size() == 2)
            result.insert(it.key(), ReadPosition{parts.at(0), parts.at(1).toLongLong()});
    }
    return result;
}

void AppSettings::setReadPosition(const QUrl &server, const QString &room, const ReadPosition &position)
{
    QVariantMap map = m_settings.value(readKey(server)).toMap();
    map.insert(room, QStringList{position.epoch, QString::number(position.seq)});
    m_settings.setValue(readKey(server), map);
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

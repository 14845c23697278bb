#pragma once

#include "connectionchoice.h"

#include <QSettings>

//! What Natter remembers between runs (QSettings): the last connection choice, the last room,
//! known rooms and the window layout.
class AppSettings
{
public:
    AppSettings();

    bool hasConnection() const; // false on a truly first start
    ConnectionChoice connection() const;
    void setConnection(const ConnectionChoice &choice);
    QString lastRoom() const;
    void setLastRoom(const QString &room);
    QStringList knownRooms() const;
    void addKnownRoom(const QString &room);
    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowLayout(const QByteArray &geometry, const QByteArray &state);
    void sync() { m_settings.sync(); }

private:
    QSettings m_settings;
};

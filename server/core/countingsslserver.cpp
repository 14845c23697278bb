// SPDX-License-Identifier: GPL-3.0-or-later
#include "countingsslserver.h"

#include <QSslSocket>

#include <sys/socket.h>
#include <unistd.h>

CountingSslServer::CountingSslServer(QObject *parent)
    : QSslServer(parent)
{}

void CountingSslServer::incomingConnection(qintptr descriptor)
{
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    QHostAddress address;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&peer), &length) == 0)
        address.setAddress(reinterpret_cast<const sockaddr *>(&peer));
    if (m_admission && !m_admission(address)) {
        ::close(int(descriptor));
        return;
    }
    // QSslServer makes the socket a child of ours and starts waiting for the ClientHello.
    QSslServer::incomingConnection(descriptor);
    const QObjectList &kids = children();
    auto *socket = kids.isEmpty() ? nullptr : qobject_cast<QSslSocket *>(kids.constLast());
    if (socket && socket->socketDescriptor() == descriptor)
        emit accepted(socket);
}

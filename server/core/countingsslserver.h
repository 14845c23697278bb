// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QSslServer>

#include <functional>

class QSslSocket;

//! A QSslServer that shows every TCP connection to ChatServer at accept time, before its TLS
//! handshake: a plain QSslServer hands a socket over only once TLS is done, so connections stuck
//! in TLS handshakes would escape the per-address caps (docs/PROTOCOL.md, "Wire-level guarantees").
class CountingSslServer : public QSslServer
{
    Q_OBJECT

public:
    using Admission = std::function<bool(const QHostAddress &peer)>;

    explicit CountingSslServer(QObject *parent = nullptr);

    // Asked for each accepted descriptor first: false closes it at once, unanswered.
    void setAdmission(Admission admission) { m_admission = std::move(admission); }

signals:
    // A connection just accepted, its TLS handshake not yet begun; emitted synchronously.
    void accepted(QSslSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    Admission m_admission;
};

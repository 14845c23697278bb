// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

//! natter-cli's stdout: one compact JSON object per line, as QJsonDocument writes it (but for the
//! characters a terminal would act on, which are escaped: see terminalSafe()),
//! gathered in one buffer and written out when the event loop is about to wait (or the buffer is
//! full), so a burst of events costs a few write() calls instead of one flushed line each.
//!
//! Hot events are built field by field (beginLine, field..., endLine) without a QJsonObject;
//! the caller gives the keys in QJsonObject's order (sorted), so the bytes are the same.
class JsonLineWriter : public QObject
{
    Q_OBJECT
public:
    explicit JsonLineWriter(int fd, QObject *parent = nullptr);
    ~JsonLineWriter() override; // flushes

    void write(const QJsonObject &object);

    void beginLine();
    void field(QLatin1String key, const QString &value);
    void field(QLatin1String key, qint64 value); // |value| <= 2^53: a JSON number exactly
    void endLine();

    void flush();

    // `json` with C1 controls and bidi controls written as \uXXXX: the same JSON, but nothing
    // in it can move a terminal's cursor or reorder what the terminal shows.
    static QByteArray terminalSafe(const QByteArray &json);

private:
    char *reserve(qsizetype bytes); // room for at least `bytes` more, returned at the end
    void appendKey(QLatin1String key);

    int m_fd;
    QByteArray m_buffer; // its size is the capacity; m_used bytes are filled
    qsizetype m_used = 0;
    bool m_firstField = true;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagecache.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>

//! What the user searches for across every room of a server, from the MessageCache: newest first,
//! with the room, the time, the sender and where the text matches. The query runs as the user
//! types, once they pause (setQuery()), or at once (searchNow()).
class SearchResultsModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        RoomRole = Qt::UserRole + 1,
        SenderRole,
        TextRole,
        TimestampRole,
        SeqRole,
        MatchesRole, // QVariantList of QPoint(start, length) in TextRole, in QChars
    };
    Q_ENUM(Roles)

    static constexpr int DebounceMs = 150; // typing faster than this searches once
    static constexpr int MaxResults = 200;

    explicit SearchResultsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setCache(MessageCache *cache); // not owned
    void setServer(const QString &serverKey);
    QString query() const { return m_query; }
    bool isSearchPending() const { return m_debounce.isActive(); } // typed, not searched yet
    const MessageCache::Hit &hit(int row) const;

public slots:
    void setQuery(const QString &query); // searched DebounceMs after the last change
    void searchNow();                    // searches for query() without waiting
    void clear();

signals:
    void searched(const QString &query, int count);

private:
    QPointer<MessageCache> m_cache;
    QString m_server;
    QString m_query;
    QString m_searched; // the query m_hits answer
    QList<MessageCache::Hit> m_hits;
    QTimer m_debounce;
};

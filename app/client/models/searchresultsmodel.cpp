// SPDX-License-Identifier: GPL-3.0-or-later
#include "searchresultsmodel.h"

#include <QPoint>

SearchResultsModel::SearchResultsModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &SearchResultsModel::searchNow);
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MessageCache::Hit &h = m_hits.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return h.message.text;
    case RoomRole:
        return h.message.room;
    case SenderRole:
        return h.message.user;
    case TimestampRole:
        return h.message.timestamp;
    case SeqRole:
        return h.message.seq;
    case MatchesRole: {
        QVariantList matches;
        matches.reserve(h.matches.size());
        for (const auto &m : h.matches)
            matches.append(QPoint(m.first, m.second));
        return matches;
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> SearchResultsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(RoomRole, "room");
    names.insert(SenderRole, "sender");
    names.insert(TextRole, "text");
    names.insert(TimestampRole, "timestamp");
    names.insert(SeqRole, "seq");
    names.insert(MatchesRole, "matches");
    return names;
}

void SearchResultsModel::setCache(MessageCache *cache)
{
    if (m_cache)
        disconnect(m_cache, nullptr, this, nullptr);
    m_cache = cache;
    if (cache)
        connect(cache, &MessageCache::cleared, this, &SearchResultsModel::clear);
    clear();
}

void SearchResultsModel::setServer(const QString &serverKey)
{
    if (serverKey == m_server)
        return;
    m_server = serverKey;
    clear();
}

const MessageCache::Hit &SearchResultsModel::hit(int row) const
{
    return m_hits.at(row);
}

void SearchResultsModel::setQuery(const QString &query)
{
    if (query == m_query && (m_searched == query || m_debounce.isActive()))
        return;
    m_query = query;
    m_debounce.start();
}

void SearchResultsModel::searchNow()
{
    m_debounce.stop();
    const QString query = m_query.trimmed();
    QList<MessageCache::Hit> hits;
    if (!query.isEmpty() && m_cache && m_cache->isOpen() && !m_server.isEmpty())
        hits = m_cache->search(m_server, query, MaxResults);
    beginResetModel();
    m_hits = std::move(hits);
    m_searched = m_query;
    endResetModel();
    emit searched(m_query, int(m_hits.size()));
}

void SearchResultsModel::clear()
{
    m_debounce.stop();
    beginResetModel();
    m_hits.clear();
    m_searched.clear();
    endResetModel();
}

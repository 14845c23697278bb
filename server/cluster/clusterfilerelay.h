// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

class RedisLink;
class Room;
class Upload;
struct ServerContext;

//! Files across nodes (PROTOCOL.md 2, *Scale-out*; docs/DESIGN.md, *Scale-out*). The uploader's
//! node publishes the offer, each chunk and the end of an upload on the channel of every other
//! node with members in the room (their presence); each relays it to them through an Upload of its own (a
//! relay, with stream numbers of that node) and credits the uploader's node, on that node's channel, with the
//! chunks its members took. The uploader's Upload counts each such node as a receiver whose backlog is what
//! it has not credited, so the slowest receiver on any node sets the pace, as on one node. A node that stops
//! crediting is dropped after creditSilenceMs.
//!
//! Everything read off Redis is checked: a chunk of an unknown transfer, from another node than
//! the uploader's, out of order or of the wrong size is dropped, and relays are bounded in number
//! and in time.
class ClusterFileRelay : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int creditSilenceMs = 5000;        // a receiving node silent this long is dropped
        int relayIdleMs = 30000;           // a relay that gets nothing this long (and waits on no one) ends
        int resumeKeepMs = 10 * 60 * 1000; // an interrupted upload may resume this long
        int maxRelays = 256;
    };

    ClusterFileRelay(RedisLink &commands, const QString &nodeId, int db, QObject *parent = nullptr);

    void setOptions(const Options &options) { m_options = options; }
    void attach(ServerContext &context) { m_context = &context; }

    // `upload` of this node starts in `room`; `nodes` (others than this one) have members there.
    void offer(Upload &upload, const Room &room, const QStringList &nodes);
    // A publication on this node's own channel (an upload of another node, or credit from
    // receiving nodes); false if it is none of those.
    bool onNodeMessage(const QByteArray &payload);
    // Every keepalive: relays credit again (they are alive), silent nodes and idle relays go.
    void tick();

    int relayCount() const { return int(m_relays.size()); }
    quint64 dropped() const { return m_dropped; }

private:
    struct Relay
    {
        QPointer<Upload> upload;
        QByteArray node;
        QByteArray stream; // the uploader's node's number for it
    };

    static bool isFileMark(QByteArrayView head);
    void onFileMessage(QByteArrayView head, const QByteArray &stream, const QByteArray &node,
                       const QByteArray &body);
    void publishCredit(const Relay &relay, const QByteArray &what);
    void endRelay(const QByteArray &key, const QString &reason);
    void drop(const char *why);

    RedisLink &m_commands;
    ServerContext *m_context = nullptr;
    QByteArray m_nodeId;
    int m_db;
    Options m_options;
    QList<QPointer<Upload>> m_offered; // this node's uploads the other nodes relay
    QHash<QByteArray, Relay> m_relays; // "NODE\nSTREAM" -> the relay here
    quint64 m_dropped = 0;
};

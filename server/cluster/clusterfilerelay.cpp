// SPDX-License-Identifier: GPL-3.0-or-later
#include "clusterfilerelay.h"

#include "redislink.h"
#include "redismessagestore.h"
#include "room.h"
#include "roomdirectory.h"
#include "servercontext.h"
#include "serverlog.h"
#include "serversession.h"
#include "upload.h"
#include "uploadregistry.h"

namespace {
// On each receiving node's channel: HEAD \n STREAM \n NODE \n BODY, from the uploader's node.
constexpr QByteArrayView OfferMark = "fo"; // BODY: the fileOffer as its receivers get it
constexpr QByteArrayView ChunkMark = "fc"; // BODY: [u32 BE index][data], as the uploader sent it
constexpr QByteArrayView DoneMark = "fd";  // BODY: empty
constexpr QByteArrayView AbortMark = "fa"; // BODY: '1' (resumable) or '0', then the reason
// On the uploader's node's channel: HEAD \n STREAM \n NODE \n CHUNKS, from a receiving node.
constexpr QByteArrayView CreditMark = "fk"; // its members took CHUNKS chunks
constexpr QByteArrayView LeaveMark = "fx";  // it relays the upload no more
constexpr int MaxNodeIdBytes = 64;
constexpr int MaxReasonChars = 200;

QByteArray nodeChannel(int db, const QByteArray &node)
{
    return QByteArrayLiteral("natter:") + QByteArray::number(db) + ":node:" + node;
}

QByteArray frame(QByteArrayView head, const QByteArray &stream, const QByteArray &node,
                 const QByteArray &body)
{
    QByteArray out;
    out.reserve(head.size() + stream.size() + node.size() + body.size() + 3);
    out.append(head).append('\n').append(stream).append('\n').append(node).append('\n').append(body);
    return out;
}

bool validNode(const QByteArray &node)
{
    if (node.isEmpty() || node.size() > MaxNodeIdBytes)
        return false;
    for (char c : node) {
        if (!QChar::isLetterOrNumber(uchar(c)) && c != '-' && c != '_')
            return false;
    }
    return true;
}

quint32 streamOf(const QByteArray &text)
{
    bool ok = false;
    const quint32 n = text.toUInt(&ok);
    return ok ? n : 0;
}
} // namespace

ClusterFileRelay::ClusterFileRelay(RedisLink &commands, const QString &nodeId, int db, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_nodeId(nodeId.toUtf8())
    , m_db(db)
{}

bool ClusterFileRelay::isFileMark(QByteArrayView head)
{
    return head == OfferMark || head == ChunkMark || head == DoneMark || head == AbortMark;
}

void ClusterFileRelay::drop(const char *why)
{
    ++m_dropped;
    qCDebug(lcServer).noquote() << "redis: a file publication dropped:" << why;
}

void ClusterFileRelay::offer(Upload &upload, const Room &room, const QStringList &nodes)
{
    // Straight to each node with members in the room: no node gets what it does not relay, and
    // the uploader's node does not get its own chunks back.
    QList<QByteArray> channels;
    for (const QString &node : nodes) {
        if (node.toUtf8() != m_nodeId && validNode(node.toUtf8()) &&
            !channels.contains(nodeChannel(m_db, node.toUtf8()))) {
            upload.addRemote(node); // counted before the first chunk: its pace holds from the start
            channels.append(nodeChannel(m_db, node.toUtf8()));
        }
    }
    if (channels.isEmpty())
        return;
    const QByteArray stream = QByteArray::number(upload.stream());
    const auto publish = [this, channels, stream](QByteArrayView head, const QByteArray &body) {
        const QByteArray payload = frame(head, stream, m_nodeId, body);
        for (const QByteArray &channel : channels)
            m_commands.command({"PUBLISH", channel, payload});
    };
    const Protocol::FileOffer offer{
        upload.stream(),   upload.transferId(), upload.username(),       room.name(),
        upload.fileName(), upload.fileSize(),   upload.record().mimeType};
    publish(OfferMark, Protocol::encode(offer));
    connect(&upload, &Upload::chunkAccepted, this, [publish](quint32 index, const QByteArray &data) {
        publish(ChunkMark, Protocol::encodeChunk(index, data));
    });
    connect(&upload, &Upload::finished, this, [publish] { publish(DoneMark, {}); });
    connect(&upload, &Upload::aborted, this, [publish](const QString &reason, bool resumable) {
        publish(AbortMark, (resumable ? "1" : "0") + reason.toUtf8());
    });
    m_offered.append(&upload);
}

void ClusterFileRelay::publishCredit(const Relay &relay, const QByteArray &what)
{
    m_commands.command(
        {"PUBLISH", nodeChannel(m_db, relay.node), frame(CreditMark, relay.stream, m_nodeId, what)});
}

void ClusterFileRelay::endRelay(const QByteArray &key, const QString &reason)
{
    const Relay relay = m_relays.take(key);
    m_commands.command(
        {"PUBLISH", nodeChannel(m_db, relay.node), frame(LeaveMark, relay.stream, m_nodeId, {})});
    if (relay.upload && m_context)
        m_context->uploads->discard(relay.upload, reason);
}

void ClusterFileRelay::onFileMessage(QByteArrayView head, const QByteArray &stream, const QByteArray &node,
                                     const QByteArray &body)
{
    if (!m_context || node == m_nodeId)
        return; // this node's own upload, told to its members already
    if (!validNode(node) || streamOf(stream) == 0) {
        drop("malformed");
        return;
    }
    const QByteArray key = node + '\n' + stream;
    auto it = m_relays.find(key);
    if (it != m_relays.end() && !it->upload) {
        m_relays.erase(it); // ended here meanwhile (its receivers left)
        it = m_relays.end();
    }

    if (head == OfferMark) {
        if (it != m_relays.end()) {
            drop("a second offer of one upload");
            return;
        }
        Relay relay{nullptr, node, stream};
        if (m_relays.size() >= m_options.maxRelays) {
            drop("too many relays");
            m_commands.command({"PUBLISH", nodeChannel(m_db, node), frame(LeaveMark, stream, m_nodeId, {})});
            return;
        }
        const auto decoded = Protocol::decodeServer(body);
        const auto *message = std::get_if<Protocol::ServerMessage>(&decoded);
        const auto *offer = message ? std::get_if<Protocol::FileOffer>(message) : nullptr;
        const int maxName = Protocol::Limits{}.maxNameChars;
        Room *room = offer ? m_context->rooms->findByKey(Protocol::nameKey(offer->room)) : nullptr;
        if (!offer || !room || offer->size < 0 || offer->size > m_context->config.maxFileBytes ||
            offer->name.isEmpty() ||
            !std::holds_alternative<QString>(
                Protocol::validateName(offer->user, maxName, QStringLiteral("user")))) {
            drop("an unreadable offer");
            return;
        }
        QList<ServerSession *> receivers;
        for (ServerSession *member : room->members()) {
            if (member->wantsFiles())
                receivers.append(member);
        }
        if (receivers.isEmpty()) {
            // Nobody here takes files: the uploader's node must not wait for this one.
            m_commands.command({"PUBLISH", nodeChannel(m_db, node), frame(LeaveMark, stream, m_nodeId, {})});
            return;
        }
        Upload *upload = m_context->uploads->createRelay(
            Protocol::FileStart{offer->name, offer->size, offer->mimeType, offer->transferId}, offer->user,
            room->name());
        relay.upload = upload;
        for (ServerSession *r : receivers)
            upload->addReceiver(r);
        upload->startExpiry(m_options.relayIdleMs);
        connect(upload, &Upload::creditChanged, this, [this, key](quint32 chunks) {
            const auto found = m_relays.constFind(key);
            if (found != m_relays.cend())
                publishCredit(*found, QByteArray::number(chunks));
        });
        m_relays.insert(key, relay);
        publishCredit(relay, "0");
        return;
    }

    if (it == m_relays.end()) {
        drop("an unknown upload");
        return;
    }
    Upload *upload = it->upload;
    if (head == ChunkMark) {
        const auto decoded = Protocol::decodeChunk(body);
        const auto *chunk = std::get_if<Protocol::Chunk>(&decoded);
        if (!chunk || chunk->index != upload->chunksHeld() || upload->acceptChunk(*chunk)) {
            drop("a chunk out of order or of the wrong size");
            return;
        }
        upload->startExpiry(m_options.relayIdleMs);
    } else if (head == DoneMark) {
        if (upload->finish()) {
            endRelay(key, QStringLiteral("part of the file was lost between servers"));
            return;
        }
        m_relays.erase(it);
        m_context->uploads->discard(upload);
    } else if (head == AbortMark) {
        const bool resumable = body.startsWith('1');
        if (resumable) {
            upload->detach(true);
            upload->startExpiry(m_options.resumeKeepMs);
            return;
        }
        QString reason = QString::fromUtf8(body.mid(1)).left(MaxReasonChars);
        if (reason.isEmpty())
            reason = QStringLiteral("the upload ended");
        m_relays.erase(it);
        m_context->uploads->discard(upload, reason);
    }
}

bool ClusterFileRelay::onNodeMessage(const QByteArray &payload)
{
    // HEAD \n STREAM \n NODE \n BODY; a chunk's BODY is binary.
    const qsizetype a = payload.indexOf('\n');
    const qsizetype b = a < 0 ? -1 : payload.indexOf('\n', a + 1);
    const qsizetype c = b < 0 ? -1 : payload.indexOf('\n', b + 1);
    if (c < 0)
        return false;
    const QByteArrayView head(payload.constData(), a);
    if (isFileMark(head)) {
        onFileMessage(head, payload.mid(a + 1, b - a - 1), payload.mid(b + 1, c - b - 1), payload.mid(c + 1));
        return true;
    }
    if (head != CreditMark && head != LeaveMark)
        return false;
    const QList<QByteArray> parts{head.toByteArray(), payload.mid(a + 1, b - a - 1),
                                  payload.mid(b + 1, c - b - 1), payload.mid(c + 1)};
    if (!m_context)
        return true;
    Upload *upload = m_context->uploads->findByStream(streamOf(parts.at(1)));
    const QString node = QString::fromUtf8(parts.at(2));
    if (!upload || upload->isRelay() || !m_offered.contains(upload) || !validNode(parts.at(2))) {
        drop("credit for an unknown upload");
        return true;
    }
    if (parts.at(0) == LeaveMark) {
        upload->removeRemote(node);
        return true;
    }
    bool ok = false;
    const quint32 chunks = parts.at(3).toUInt(&ok);
    if (!ok || !upload->creditRemote(node, chunks))
        drop("credit from no receiver, or for chunks never sent");
    return true;
}

void ClusterFileRelay::tick()
{
    m_offered.removeAll(nullptr);
    for (const QPointer<Upload> &u : std::as_const(m_offered))
        u->dropSilentRemotes(m_options.creditSilenceMs);
    const QList<QByteArray> keys = m_relays.keys();
    for (const QByteArray &key : keys) {
        const Relay &relay = m_relays[key];
        if (!relay.upload) {
            endRelay(key, {}); // ended here (by its expiry): the uploader's node stops counting it
            continue;
        }
        if (relay.upload->receiverCount() == 0) {
            endRelay(key, {}); // every member here declined it or left
            continue;
        }
        if (relay.upload->isHeldBack())
            relay.upload->startExpiry(m_options.relayIdleMs); // idle because our members are slow
        publishCredit(relay, QByteArray::number(relay.upload->credited()));
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
// Longer than most files on purpose: uploads and downloads share one session, one event order
// (a disconnect, a room change, a server error touch both) and one table of transfers; the
// per-file state lives in FileUpload and FileDownload.
#include "filetransfers.h"

#include "filedownload.h"
#include "filenamesanitizer.h"
#include "fileupload.h"
#include "sessionchannel.h"

#include <QDir>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QScopedValueRollback>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace {
// PROTOCOL.md 5.3 gives no code for the reason of a fileAborted; this is what natter-server says
// when the sender cancels.
const QString CancelledBySender = QStringLiteral("cancelled by the sender");
constexpr int MaxUnknownStreamReports = 20;
// Refused offers shown per connection; past this they are declined without a trace.
constexpr int MaxShownRefusals = 20;
constexpr int MaxQuietStreams = 1024;

QString sizeText(qint64 bytes)
{
    return QStringLiteral("%1 bytes").arg(bytes);
}
} // namespace

FileTransfers::FileTransfers(SessionChannel *channel, QObject *parent)
    : FileTransfers(channel, Settings{}, parent)
{}

FileTransfers::FileTransfers(SessionChannel *channel, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_channel(channel)
    , m_settings(settings)
{
    Q_ASSERT(channel);
    m_clock.start();
    m_tick.setInterval(std::max(10, settings.progressIntervalMs));
    connect(&m_tick, &QTimer::timeout, this, &FileTransfers::onTick);

    m_channel->setHelloFeature(Protocol::Feature::Files, settings.acceptIncoming);
    connect(channel, &SessionChannel::closed, this, &FileTransfers::onClosed);
    connect(channel, &SessionChannel::ready, this, &FileTransfers::onSessionReady);
    connect(channel, &SessionChannel::roomChanged, this, &FileTransfers::onRoomChanged);
    connect(channel, &SessionChannel::bytesWritten, this, &FileTransfers::onBytesWritten);
    connect(channel, &SessionChannel::pongReceived, this, &FileTransfers::onPong);
    connect(channel, &SessionChannel::chunkReceived, this, &FileTransfers::onChunk);
    connect(channel, &SessionChannel::messageReceived, this, [this](const Protocol::ServerMessage &message) {
        std::visit([this](const auto &m) { handle(m); }, message);
    });
}

// Partial and unsaved downloads go with their QTemporaryFile / QTemporaryDir. The client may
// already be gone (a sibling QObject), so it is not touched here.
FileTransfers::~FileTransfers() = default;

void FileTransfers::setDownloadDir(const QString &dir)
{
    m_downloadDir = dir;
}

QString FileTransfers::downloadDir() const
{
    return m_downloadDir;
}

void FileTransfers::setMaxIncomingBytes(qint64 bytes)
{
    m_settings.maxIncomingBytes = std::max<qint64>(0, bytes);
}

void FileTransfers::setAutoAcceptBytes(qint64 bytes)
{
    m_settings.autoAcceptBytes = std::max<qint64>(0, bytes);
}

qint64 FileTransfers::maxIncomingBytes() const
{
    return m_settings.maxIncomingBytes;
}

void FileTransfers::setAcceptIncoming(bool accept)
{
    m_settings.acceptIncoming = accept;
    if (m_channel)
        m_channel->setHelloFeature(Protocol::Feature::Files, accept);
}

bool FileTransfers::acceptsIncoming() const
{
    return m_settings.acceptIncoming;
}

const FileTransfers::Settings &FileTransfers::settings() const
{
    return m_settings;
}

QList<TransferInfo> FileTransfers::transfers() const
{
    QList<TransferInfo> out;
    out.reserve(m_order.size());
    for (const TransferInfo *i : m_order)
        out.append(*i);
    return out;
}

TransferInfo FileTransfers::transfer(const QString &id) const
{
    const TransferInfo *i = info(id);
    return i ? *i : TransferInfo{};
}

int FileTransfers::unfinishedCount(TransferInfo::Direction direction) const
{
    int n = 0;
    for (const TransferInfo *i : m_order) {
        if (i->direction == direction && !i->isFinished())
            ++n;
    }
    return n;
}

FileUpload *FileTransfers::upload(const QString &id) const
{
    for (const auto &u : m_uploads) {
        if (u->info.id == id)
            return u.get();
    }
    return nullptr;
}

FileDownload *FileTransfers::download(const QString &id) const
{
    for (const auto &d : m_downloads) {
        if (d->info.id == id)
            return d.get();
    }
    return nullptr;
}

TransferInfo *FileTransfers::info(const QString &id) const
{
    for (TransferInfo *i : m_order) {
        if (i->id == id)
            return i;
    }
    return nullptr;
}

FileUpload *FileTransfers::currentUpload() const
{
    // One upload per connection (PROTOCOL.md 5.1): the first one not yet finished.
    for (const auto &u : m_uploads) {
        if (!u->info.isFinished())
            return u.get();
    }
    return nullptr;
}

// ---- sending ---------------------------------------------------------------------------------

QString FileTransfers::sendFile(const QString &path)
{
    if (!m_channel) {
        emit sendRefused(path, tr("Not connected to a chat"));
        return {};
    }
    const QFileInfo fi(path);
    const qint64 serverLimit = m_channel->serverInfo().maxFileBytes;
    QString reason;
    if (path.isEmpty())
        reason = tr("No file given");
    else if (!fi.exists())
        reason = tr("No such file: %1").arg(path);
    else if (fi.isDir())
        reason = tr("%1 is a folder, not a file").arg(path);
    else if (!fi.isFile())
        reason = tr("%1 is not a regular file").arg(path);
    else if (m_channel->room().isEmpty())
        reason = tr("Not in a room: join one first");
    else if (serverLimit > 0 && fi.size() > serverLimit)
        reason = tr("%1 is too large: %2, the server takes at most %3")
                     .arg(fi.fileName(), sizeText(fi.size()), sizeText(serverLimit));
    if (reason.isEmpty()) {
        QFile probe(path);
        if (!probe.open(QIODevice::ReadOnly))
            reason = tr("Cannot read %1: %2").arg(path, probe.errorString());
    }
    if (!reason.isEmpty()) {
        emit sendRefused(path, reason);
        return {};
    }

    TransferInfo info;
    info.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    info.direction = TransferInfo::Direction::Upload;
    info.state = TransferInfo::State::Queued;
    info.name = FileNameSanitizer::sanitize(fi.fileName(), Protocol::Limits{}.maxFileNameBytes);
    info.mimeType = QMimeDatabase().mimeTypeForFile(fi).name();
    if (info.mimeType.size() > Protocol::Limits{}.maxMimeTypeChars)
        info.mimeType = QStringLiteral("application/octet-stream");
    info.size = fi.size();
    info.room = m_channel->room();
    info.peer = info.room;
    info.localPath = fi.absoluteFilePath();
    m_uploads.push_back(std::make_unique<FileUpload>(info));
    FileUpload *u = m_uploads.back().get();
    m_order.append(&u->info);
    emit transferAdded(u->info);
    schedulePump();
    return info.id;
}

void FileTransfers::schedulePump()
{
    if (m_pumpQueued)
        return;
    m_pumpQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pumpQueued = false;
            pump();
        },
        Qt::QueuedConnection);
}

void FileTransfers::pump()
{
    if (m_pumping)
        return;
    const QScopedValueRollback<bool> guard(m_pumping, true);
    FileUpload *u = currentUpload();
    if (!u || !m_channel || !m_channel->isReady())
        return;
    if (!u->started()) {
        // A new attempt only in the upload's own room: the server relays to the uploader's room.
        if (m_quietBarrier != 0 || m_channel->joinedRoom() != u->info.room)
            return;
        const bool extensions = m_channel->hasFeature(Protocol::Feature::Files) ||
                                m_channel->hasFeature(Protocol::Feature::Resume);
        // The token from an earlier connection's fileAccepted is what lets the server resume.
        const Protocol::FileStart start{u->info.name, u->info.size, u->info.mimeType,
                                        extensions ? u->info.id : QString(),
                                        extensions ? u->resumeToken : QString()};
        if (!m_channel->sendControl(start))
            return;
        u->beginAttempt(extensions);
        if (u->info.startedMs == 0)
            u->info.startedMs = Protocol::nowMs();
        u->rate.reset();
        u->rate.sample(nowMs(), u->info.done);
        setState(u->info, TransferInfo::State::Active);
    }
    if (u->accepted)
        sendChunks(u);
}

void FileTransfers::sendChunks(FileUpload *u)
{
    const quint32 count = u->chunkCount();
    while (u->nextChunk < count) {
        if (u->extensions() && qint64(u->nextChunk) >= qint64(u->acked) + m_settings.windowChunks)
            return; // the next fileProgress opens the window
        const qint64 frameBytes = Protocol::ChunkHeaderBytes + u->chunkBytes(u->nextChunk);
        const qint64 backlog = m_channel->bytesToWrite();
        if (backlog > 0 && backlog + frameBytes > m_settings.highWaterBytes)
            return; // socketBytesWritten refills
        QString error;
        const std::optional<QByteArray> frame = u->readFrame(u->nextChunk, &error);
        if (!frame) {
            failUpload(u, error, true);
            return;
        }
        if (!m_channel->sendBinary(*frame))
            return; // connection gone; onStateChanged takes over
        ++u->nextChunk;
        if (!u->extensions()) {
            // No acknowledgements: what went to the socket is the progress (at most a backlog off).
            u->info.done = u->bytesBefore(u->nextChunk);
            noteProgress(u->info.id);
        }
    }
    if (u->endSent)
        return;
    if (!m_channel->sendControl(Protocol::FileEnd{}))
        return;
    u->endSent = true;
    // A base server confirms nothing; the pong to a ping sent after fileEnd proves it handled the
    // whole upload (messages are handled in order) without an error.
    if (!u->extensions())
        u->barrier = sendBarrier();
}

qint64 FileTransfers::sendBarrier()
{
    return m_channel->sendPing();
}

void FileTransfers::onBytesWritten()
{
    const FileUpload *u = currentUpload();
    if (u && u->started() && u->accepted && m_channel->bytesToWrite() <= m_settings.lowWaterBytes)
        pump();
}

void FileTransfers::onPong(qint64 pingId)
{
    if (m_quietBarrier != 0 && pingId == m_quietBarrier) {
        m_quietBarrier = 0;
        schedulePump();
    }
    FileUpload *u = currentUpload();
    if (u && u->started() && !u->extensions() && u->barrier != 0 && pingId == u->barrier)
        completeUpload(u);
}

void FileTransfers::handle(const Protocol::FileAccepted &m)
{
    FileUpload *u = upload(m.transferId);
    if (!u || u->info.isFinished() || !u->started() || !u->extensions())
        return;
    // nextChunk is where the server's copy ends: 0 for a new upload, more after a resume.
    const quint32 next = std::min(m.nextChunk, u->chunkCount());
    if (!m.resumeToken.isEmpty())
        u->resumeToken = m.resumeToken;
    u->accepted = true;
    u->acked = next;
    u->nextChunk = next;
    u->endSent = false;
    u->info.done = u->bytesBefore(next);
    u->rate.reset();
    u->rate.sample(nowMs(), u->info.done);
    noteProgress(u->info.id);
    pump();
}

void FileTransfers::handle(const Protocol::FileProgress &m)
{
    FileUpload *u = upload(m.transferId);
    if (!u || u->info.isFinished() || !u->started() || !u->accepted || m.received <= u->acked)
        return;
    u->acked = std::min(m.received, u->nextChunk);
    u->info.done = u->bytesBefore(u->acked);
    noteProgress(u->info.id);
    pump();
}

void FileTransfers::handle(const Protocol::FileComplete &m)
{
    FileUpload *u = upload(m.transferId);
    if (!u || u->info.isFinished())
        return;
    if (m.size != u->info.size) {
        failUpload(u, tr("The server stored %1 instead of %2").arg(sizeText(m.size), sizeText(u->info.size)),
                   false);
        return;
    }
    completeUpload(u);
}

void FileTransfers::handle(const Protocol::Error &error)
{
    if (!error.transferId.isEmpty()) {
        if (FileUpload *u = upload(error.transferId))
            failUpload(u, error.message, false);
        return;
    }
    // A base server's errors carry no transferId. While one of our uploads is on the wire, an
    // error is about it (chat input is checked before it is sent); after a failure, errors
    // about chunks that were already in flight are expected and belong to no one else.
    if (m_quietBarrier != 0)
        return;
    FileUpload *u = currentUpload();
    if (u && u->started() && !u->extensions())
        failUpload(u, error.message, false);
}

void FileTransfers::completeUpload(FileUpload *u)
{
    u->info.done = u->info.size;
    u->endAttempt();
    u->closeFile();
    setState(u->info, TransferInfo::State::Completed);
    schedulePump();
}

void FileTransfers::failUpload(FileUpload *u, const QString &error, bool tellServer)
{
    if (u->info.isFinished())
        return;
    if (tellServer && u->extensions()) {
        if (u->started() && m_channel)
            m_channel->sendControl(Protocol::FileCancel{u->info.id, u->resumeToken});
        else if (u->everStarted() && !u->resumeToken.isEmpty())
            m_pendingCancels.append(
                {u->info.id, u->resumeToken}); // the server keeps it for a resume otherwise
    }
    // A base server may still answer chunks that were in flight; see handle(Protocol::Error).
    if (u->started() && !u->extensions() && m_channel)
        m_quietBarrier = sendBarrier();
    u->endAttempt();
    u->closeFile();
    setState(u->info, TransferInfo::State::Failed, error);
    schedulePump();
}

bool FileTransfers::cancel(const QString &id)
{
    if (FileUpload *u = upload(id)) {
        if (u->info.isFinished())
            return false;
        if (m_channel && u->extensions() && u->started())
            m_channel->sendControl(Protocol::FileCancel{u->info.id, u->resumeToken});
        else if (u->extensions() && u->everStarted() && !u->resumeToken.isEmpty())
            m_pendingCancels.append({u->info.id, u->resumeToken}); // only the token reaches it now
        // On a base server there is no fileCancel: the next fileStart replaces the partial upload.
        u->endAttempt();
        u->closeFile();
        setState(u->info, TransferInfo::State::Cancelled, tr("cancelled by you"));
        schedulePump();
        return true;
    }
    if (FileDownload *d = download(id)) {
        if (d->info.isFinished())
            return false;
        declineStream(d->stream());
        failDownload(d, TransferInfo::State::Cancelled, tr("cancelled by you"));
        return true;
    }
    return false;
}

bool FileTransfers::acceptDownload(const QString &id)
{
    FileDownload *d = download(id);
    if (!d || !d->info.awaitingAnswer)
        return false;
    d->info.awaitingAnswer = false;
    // It arrived while the user decided, kept private meanwhile: now it goes where files go.
    QString error;
    if (d->info.state == TransferInfo::State::Completed && !m_downloadDir.isEmpty() &&
        !d->moveInto(m_downloadDir, &error))
        emit relayError(error);
    emit transferChanged(d->info);
    return true;
}

void FileTransfers::declineStream(quint32 stream)
{
    // The server stops sending it to us; a base server relays no files, so there is nothing to stop.
    if (m_channel && m_channel->hasFeature(Protocol::Feature::Files))
        m_channel->sendControl(Protocol::FileDecline{stream});
}

void FileTransfers::flushPendingCancels()
{
    if (m_pendingCancels.isEmpty())
        return;
    if (!m_channel->hasFeature(Protocol::Feature::Files) &&
        !m_channel->hasFeature(Protocol::Feature::Resume)) {
        m_pendingCancels.clear(); // a base server keeps nothing to cancel
        return;
    }
    const QList<Protocol::FileCancel> cancels = std::exchange(m_pendingCancels, {});
    for (const Protocol::FileCancel &c : cancels)
        m_channel->sendControl(c);
}

// ---- connection and room ---------------------------------------------------------------------

void FileTransfers::onClosed()
{
    // The connection is gone: uploads resume on the next one; relay streams end with this one.
    m_quietBarrier = 0;
    m_warnedBaseRelay = false;
    for (const auto &u : m_uploads) {
        if (u->info.isFinished() || !u->started())
            continue;
        u->endAttempt();
        if (Protocol::sameName(u->info.room, m_channel->room()))
            setState(u->info, TransferInfo::State::Interrupted, tr("connection lost"));
        else
            failUpload(u.get(), tr("Not sent: you left %1").arg(u->info.room), true);
    }
    for (const auto &d : m_downloads) {
        if (!d->info.isFinished())
            failDownload(d.get(), TransferInfo::State::Failed,
                         tr("Connection lost before the file was complete"));
    }
    m_streams.clear();
    m_quietStreams.clear();
    m_refusedOnConnection = 0;
}

void FileTransfers::onSessionReady()
{
    flushPendingCancels();
    pump();
}

void FileTransfers::onRoomChanged()
{
    // An upload that has not started yet belongs to the room it was queued in. One already on
    // the wire goes on: the server relays it to the room it started in.
    const QString wanted = m_channel->room();
    for (const auto &u : m_uploads) {
        if (!u->info.isFinished() && !u->started() && !Protocol::sameName(u->info.room, wanted))
            failUpload(u.get(), tr("Not sent: you left %1").arg(u->info.room), true);
    }
    schedulePump();
}

// ---- receiving -------------------------------------------------------------------------------

qint64 FileTransfers::incomingLimit() const
{
    if (m_settings.maxIncomingBytes > 0 || !m_channel)
        return m_settings.maxIncomingBytes;
    return m_channel->serverInfo().maxFileBytes;
}

QString FileTransfers::partialDir()
{
    if (!m_settings.partialDir.isEmpty())
        return m_settings.partialDir;
    if (!m_partialDir) {
        // The cache, not /tmp: /tmp may be RAM, and a download is never to be held in memory.
        QString base = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
        if (base.isEmpty())
            base = QDir::tempPath();
        QDir().mkpath(base);
        m_partialDir =
            std::make_unique<QTemporaryDir>(QDir(base).filePath(QStringLiteral("downloads-XXXXXX")));
    }
    return m_partialDir->isValid() ? m_partialDir->path() : QString();
}

void FileTransfers::handle(const Protocol::FileOffer &m)
{
    if (FileDownload *old = m_streams.value(m.stream)) {
        if (!old->info.isFinished())
            failDownload(old, TransferInfo::State::Failed, tr("The server offered the same stream again"));
    }
    const QString name = FileNameSanitizer::sanitize(m.name);
    QString error;
    const qint64 limit = incomingLimit();
    const int arriving = unfinishedCount(TransferInfo::Direction::Download);
    if (!m_settings.acceptIncoming)
        error = tr("Refused: receiving files is turned off");
    else if (m.size < 0)
        error = tr("Refused: %1 announced a negative size").arg(name);
    else if (limit > 0 && m.size > limit)
        error =
            tr("Refused: %1 is %2, more than the limit of %3").arg(name, sizeText(m.size), sizeText(limit));
    else if (arriving >= m_settings.maxIncomingAtOnce)
        error = tr("Refused: %n file(s) are arriving already", nullptr, arriving);
    if (!error.isEmpty()) {
        declineStream(m.stream);
        // A flood of offers shows the first few refusals, then is only declined: no row, no
        // notification, nothing kept.
        if (++m_refusedOnConnection > MaxShownRefusals) {
            m_streams.remove(m.stream);
            if (m_quietStreams.size() < MaxQuietStreams)
                m_quietStreams.insert(m.stream); // chunks already on their way are dropped quietly
            return;
        }
    }

    TransferInfo info;
    info.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    info.direction = TransferInfo::Direction::Download;
    info.state = TransferInfo::State::Active;
    info.name = name;
    info.mimeType = m.mimeType.left(Protocol::Limits{}.maxMimeTypeChars);
    info.size = m.size;
    info.peer = m.user;
    info.transferId = m.transferId.left(Protocol::Limits{}.maxIdChars);
    info.room = m.room.isEmpty() ? m_channel->joinedRoom() : m.room;
    info.startedMs = Protocol::nowMs();
    // Larger than what arrives without asking: it comes in while the user decides (a push relay
    // cannot wait), and cancel() declines it at the server.
    info.awaitingAnswer =
        error.isEmpty() && m_settings.autoAcceptBytes > 0 && m.size > m_settings.autoAcceptBytes;
    m_downloads.push_back(std::make_unique<FileDownload>(info, m.stream));
    FileDownload *d = m_downloads.back().get();
    m_order.append(&d->info);
    m_streams.insert(m.stream, d);
    m_quietStreams.remove(m.stream);
    // One the user has not accepted yet stays out of the download folder until they do.
    if (error.isEmpty())
        d->open(m_downloadDir.isEmpty() || info.awaitingAnswer ? partialDir() : m_downloadDir, &error);
    emit transferAdded(d->info);
    if (!error.isEmpty()) {
        failDownload(d, TransferInfo::State::Failed, error);
        return;
    }
    d->rate.sample(nowMs(), 0);
    if (!m_tick.isActive())
        m_tick.start();
}

void FileTransfers::onChunk(const Protocol::RelayChunk &chunk)
{
    if (!m_channel->hasFeature(Protocol::Feature::Files)) {
        if (!m_warnedBaseRelay) {
            m_warnedBaseRelay = true;
            emit relayError(tr("Binary data from a server that does not relay files is ignored"));
        }
        return;
    }
    FileDownload *d = m_streams.value(chunk.stream);
    if (!d) {
        if (m_quietStreams.contains(chunk.stream) || m_quietStreams.size() > MaxUnknownStreamReports)
            return;
        m_quietStreams.insert(chunk.stream);
        emit relayError(m_quietStreams.size() > MaxUnknownStreamReports
                            ? tr("More data for unknown streams is ignored")
                            : tr("Chunk %1 of unknown stream %2 ignored").arg(chunk.index).arg(chunk.stream));
        return;
    }
    if (d->info.isFinished())
        return; // refused, cancelled or failed: the rest of the stream is dropped quietly
    QString error;
    if (!d->append(chunk, &error)) {
        failDownload(d, TransferInfo::State::Failed, error);
        return;
    }
    if (d->info.state == TransferInfo::State::Interrupted)
        setState(d->info, TransferInfo::State::Active);
    noteProgress(d->info.id);
}

void FileTransfers::handle(const Protocol::FileDone &m)
{
    FileDownload *d = m_streams.value(m.stream);
    if (!d) {
        if (!m_quietStreams.contains(m.stream))
            emit relayError(tr("The server finished stream %1, which it never offered").arg(m.stream));
        return;
    }
    if (d->info.isFinished())
        return;
    QString error;
    if (!d->finish(d->info.awaitingAnswer ? QString() : m_downloadDir, &error)) {
        failDownload(d, TransferInfo::State::Failed, error);
        return;
    }
    m_quietStreams.insert(m.stream);
    setState(d->info, TransferInfo::State::Completed);
}

void FileTransfers::handle(const Protocol::FileAborted &m)
{
    FileDownload *d = m_streams.value(m.stream);
    if (!d || d->info.isFinished())
        return;
    const QString reason = m.reason.isEmpty() ? tr("the sender stopped") : m.reason;
    if (m.resumable) {
        // The sender may come back and go on; the partial file is kept meanwhile.
        setState(d->info, TransferInfo::State::Interrupted, reason);
        return;
    }
    failDownload(d,
                 m.reason == CancelledBySender ? TransferInfo::State::Cancelled : TransferInfo::State::Failed,
                 reason);
}

void FileTransfers::failDownload(FileDownload *d, TransferInfo::State state, const QString &error)
{
    if (d->info.isFinished())
        return;
    // Never a truncated file left looking complete.
    d->discard();
    m_quietStreams.insert(d->stream());
    setState(d->info, state, error);
}

bool FileTransfers::saveDownload(const QString &id, const QString &target, bool overwrite, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    const FileDownload *d = download(id);
    if (!d || d->info.state != TransferInfo::State::Completed)
        return fail(tr("No completed download %1").arg(id));
    const QString source = d->info.localPath;
    if (!QFileInfo::exists(source))
        return fail(tr("The downloaded file %1 is gone").arg(source));
    const QFileInfo to(target);
    if (to.exists() && to.canonicalFilePath() == QFileInfo(source).canonicalFilePath())
        return true;
    if (to.isDir())
        return fail(tr("%1 is a folder").arg(target));
    if (to.exists() && !overwrite)
        return fail(tr("%1 already exists").arg(target));
    const QString dir = to.absolutePath();
    if (!QDir().mkpath(dir))
        return fail(tr("Cannot create the folder %1").arg(dir));
    // QFile::copy() never overwrites. To overwrite, the copy is made beside the target first, so
    // the old file is only ever replaced by a complete new one.
    const QString copy =
        overwrite
            ? QDir(dir).filePath(FileNameSanitizer::unusedName(QDir(dir), QLatin1Char('.') + to.fileName()))
            : target;
    QFile in(source);
    if (!in.copy(copy))
        return fail(tr("Cannot copy to %1: %2").arg(target, in.errorString()));
    if (overwrite) {
        std::error_code ec;
        std::filesystem::rename(QFile::encodeName(copy).toStdString(),
                                QFile::encodeName(target).toStdString(), ec);
        if (ec) {
            QFile::remove(copy);
            return fail(tr("Cannot replace %1: %2").arg(target, QString::fromStdString(ec.message())));
        }
    }
    acceptDownload(id); // keeping it is the user's yes
    return true;
}

void FileTransfers::clearFinished()
{
    m_order.erase(
        std::remove_if(m_order.begin(), m_order.end(), [](const TransferInfo *i) { return i->isFinished(); }),
        m_order.end());
    m_uploads.erase(std::remove_if(m_uploads.begin(), m_uploads.end(),
                                   [](const auto &u) { return u->info.isFinished(); }),
                    m_uploads.end());
    for (auto it = m_streams.begin(); it != m_streams.end();) {
        if (it.value()->info.isFinished()) {
            m_quietStreams.insert(it.key());
            it = m_streams.erase(it);
        } else {
            ++it;
        }
    }
    m_downloads.erase(std::remove_if(m_downloads.begin(), m_downloads.end(),
                                     [](const auto &d) { return d->info.isFinished(); }),
                      m_downloads.end());
}

// ---- reporting -------------------------------------------------------------------------------

qint64 FileTransfers::nowMs() const
{
    return m_clock.elapsed();
}

void FileTransfers::setState(TransferInfo &info, TransferInfo::State state, const QString &error)
{
    if (info.state == state && info.error == error)
        return;
    info.state = state;
    info.error = error;
    if (state != TransferInfo::State::Active)
        info.bytesPerSecond = 0;
    else if (!m_tick.isActive())
        m_tick.start();
    m_progressed.remove(info.id);
    if (info.isFinished())
        info.finishedMs = Protocol::nowMs();
    emit transferChanged(info);
    if (info.isFinished())
        emit transferFinished(info);
}

void FileTransfers::noteProgress(const QString &id)
{
    m_progressed.insert(id);
    if (!m_tick.isActive())
        m_tick.start();
}

void FileTransfers::onTick()
{
    const qint64 now = nowMs();
    bool active = false;
    auto report = [&](TransferInfo &info, RateMeter &rate) {
        const bool progressed = m_progressed.remove(info.id);
        if (info.state == TransferInfo::State::Active) {
            active = true;
            rate.sample(now, info.done);
            const double speed = rate.bytesPerSecond();
            if (!progressed && speed == info.bytesPerSecond)
                return;
            info.bytesPerSecond = speed;
        } else if (!progressed) {
            return;
        }
        emit transferChanged(info);
    };
    for (const auto &u : m_uploads)
        report(u->info, u->rate);
    for (const auto &d : m_downloads)
        report(d->info, d->rate);
    m_progressed.clear();
    if (!active)
        m_tick.stop();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "uploadintake.h"

#include "clusterlink.h"
#include "room.h"
#include "servercontext.h"
#include "serversession.h"
#include "upload.h"
#include "uploadregistry.h"

using Protocol::ErrorCode;

UploadIntake::UploadIntake(ServerSession &session, ServerContext &context)
    : m_session(session)
    , m_context(context)
{}

Upload *UploadIntake::current() const
{
    // The uploader may have taken the upload over from a new connection (see start()).
    return m_upload && m_upload->sender() == &m_session ? m_upload.data() : nullptr;
}

void UploadIntake::accepted(Upload *upload)
{
    m_session.send(Protocol::FileAccepted{upload->transferId(), upload->chunksHeld(), upload->resumeToken()});
}

void UploadIntake::start(const Protocol::FileStart &request)
{
    const bool ext = m_context.config.extensions();
    Protocol::FileStart start = request;
    if (!ext) {
        start.transferId.clear();
        start.resumeToken.clear();
    }
    const QString &tid = start.transferId;

    if (Upload *u = current()) {
        // The client began its own upload again on this connection: tell it where to go on.
        if (!tid.isEmpty() && u->matches(start)) {
            accepted(u);
            return;
        }
        drop(u, QStringLiteral("replaced by a new upload"));
    }
    if (start.size > m_context.config.maxFileBytes) {
        m_session.sendError(ErrorCode::FileTooLarge,
                            QStringLiteral("File of %1 bytes is larger than the server's limit of %2 bytes")
                                .arg(start.size)
                                .arg(m_context.config.maxFileBytes),
                            tid);
        return;
    }
    // Only the resume token, which the uploader alone was sent, reaches an existing upload: the
    // transferId is public (fileOffer) and a name is no identity.
    if (!tid.isEmpty() && !start.resumeToken.isEmpty()) {
        if (m_context.uploads->isCompleted(start)) {
            m_session.send(Protocol::FileComplete{tid, start.size});
            return;
        }
        if (Upload *held = m_context.uploads->findByToken(start.resumeToken)) {
            if (held->matches(start)) {
                // Resume, possibly from a connection the server has not noticed is dead yet.
                held->attach(&m_session);
                m_upload = held;
                accepted(held);
                return;
            }
            m_context.uploads->discard(held, QStringLiteral("the sender restarted the upload"));
        }
    }

    Room *room = ext ? m_session.room() : nullptr;
    Upload *u = m_context.uploads->create(start, m_session.username(), room ? room->name() : QString());
    u->attach(&m_session);
    m_upload = u;
    if (room) {
        for (ServerSession *member : room->members()) {
            if (member != &m_session && member->wantsFiles())
                u->addReceiver(member);
        }
        if (m_context.cluster)
            m_context.cluster->offerFile(*u, *room);
    }
    if (!tid.isEmpty())
        accepted(u);
}

void UploadIntake::chunk(const QByteArray &frame)
{
    Upload *u = current();
    if (!u) {
        m_session.sendError(ErrorCode::FileState, QStringLiteral("File chunk without a fileStart"));
        return;
    }
    const auto decoded = Protocol::decodeChunk(frame);
    if (const auto *e = std::get_if<Protocol::DecodeError>(&decoded)) {
        fail(u, *e);
        return;
    }
    const auto &chunk = std::get<Protocol::Chunk>(decoded);
    const bool fresh = chunk.index == u->chunksHeld(); // not a resend of one relayed already
    if (const auto error = u->acceptChunk(chunk))
        fail(u, *error);
    else if (fresh)
        m_context.stats.fileBytesRelayed += quint64(chunk.data.size());
}

void UploadIntake::end()
{
    Upload *u = current();
    if (!u) {
        m_session.sendError(ErrorCode::FileState, QStringLiteral("fileEnd without a fileStart"));
        return;
    }
    if (const auto error = u->finish()) {
        fail(u, *error);
        return;
    }
    const QString tid = transferIdOf(u);
    if (!tid.isEmpty())
        m_session.send(Protocol::FileComplete{tid, u->fileSize()});
    if (!u->room().isEmpty())
        m_session.recordFile(*u);
    m_context.uploads->noteCompleted(u);
    drop(u);
}

void UploadIntake::cancel(const Protocol::FileCancel &request)
{
    Upload *u = current();
    if (!u || u->transferId() != request.transferId) {
        // Someone else's upload (or one of ours from a dropped connection) only with its token.
        u = m_context.uploads->findByToken(request.resumeToken);
        if (u && u->transferId() != request.transferId)
            u = nullptr;
    }
    if (!u) {
        m_session.sendError(ErrorCode::FileState, QStringLiteral("No upload with this transferId"),
                            request.transferId);
        return;
    }
    drop(u, QStringLiteral("cancelled by the sender"));
}

void UploadIntake::senderGone()
{
    if (Upload *u = current())
        m_context.uploads->senderGone(u);
    m_upload = nullptr;
}

void UploadIntake::fail(Upload *upload, const Protocol::DecodeError &error)
{
    m_session.sendError(error.code, error.message, transferIdOf(upload));
    drop(upload, error.message);
}

void UploadIntake::drop(Upload *upload, const QString &reason)
{
    if (upload == m_upload)
        m_upload = nullptr;
    m_context.uploads->discard(upload, reason);
}

QString UploadIntake::transferIdOf(const Upload *upload) const
{
    return upload ? upload->transferId() : QString();
}

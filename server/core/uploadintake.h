// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QPointer>

class ServerSession;
class Upload;
struct ServerContext;

//! The upload side of one connection: `fileStart`, chunks, `fileEnd` and `fileCancel`, checked
//! as PROTOCOL.md section 5 says, plus taking over an interrupted upload on resume. Chunks,
//! `fileEnd` and `fileCancel` only ever reach this connection's own upload, or one whose resume
//! token it presents.
class UploadIntake
{
public:
    UploadIntake(ServerSession &session, ServerContext &context);

    void start(const Protocol::FileStart &request);
    void chunk(const QByteArray &frame);
    void end();
    void cancel(const Protocol::FileCancel &request);
    // The connection dropped: a resumable upload waits for its sender, any other one ends.
    void senderGone();

private:
    Upload *current() const;
    void accepted(Upload *upload); // sends `fileAccepted`, with the resume token
    void fail(Upload *upload, const Protocol::DecodeError &error);
    void drop(Upload *upload, const QString &reason = {});
    QString transferIdOf(const Upload *upload) const;

    ServerSession &m_session;
    ServerContext &m_context;
    QPointer<Upload> m_upload;
};

// SPDX-License-Identifier: GPL-3.0-or-later
// The server's path for incoming binary frames: UploadIntake::chunk() decodes each frame with
// Protocol::decodeChunk and hands it to Upload::acceptChunk(); fileEnd calls Upload::finish().
// The input is a script: a file size, then frames (well-formed ones built from a few bytes, so
// that whole 64 KiB chunks are reached, and raw ones taken from the input) and fileEnds.
//
// Properties, against a model of PROTOCOL.md 5.1/5.2 written here from the text:
//  - a chunk is taken exactly when its index is the next one, it starts inside the file and it
//    holds exactly min(64 KiB, what is left) bytes; a resend of a held chunk is ignored; anything
//    else is an error that ends the upload (as UploadIntake does);
//  - chunksHeld() and isComplete() follow the model; fileEnd succeeds exactly when complete.
#include "fuzzcheck.h"
#include "protocol.h"
#include "upload.h"

#include <QtEndian>

using namespace Protocol;

namespace {

class Script
{
public:
    Script(const unsigned char *data, size_t size)
        : m_p(data)
        , m_end(data + size)
    {}
    bool atEnd() const { return m_p == m_end; }
    quint8 byte() { return atEnd() ? 0 : *m_p++; }
    quint32 u32()
    {
        quint32 v = 0;
        for (int i = 0; i < 4; ++i)
            v = (v << 8) | byte();
        return v;
    }
    QByteArray take(size_t n)
    {
        n = qMin<size_t>(n, size_t(m_end - m_p));
        const QByteArray out(reinterpret_cast<const char *>(m_p), qsizetype(n));
        m_p += n;
        return out;
    }

private:
    const unsigned char *m_p;
    const unsigned char *m_end;
};

struct Model
{
    qint64 size = 0;
    quint32 held = 0;

    qint64 expectedBytes(quint32 index) const
    {
        const qint64 offset = qint64(index) * ChunkDataBytes;
        return offset >= size ? -1 : qMin<qint64>(ChunkDataBytes, size - offset);
    }
    bool complete() const { return qint64(held) * ChunkDataBytes >= size; }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    Script script(data, size);
    Model model;
    // Up to about 6 chunks, so that scripts reach the end of the file; sometimes 0 (an empty file).
    model.size = qint64(script.u32() % (6 * ChunkDataBytes + 1));
    FileStart start{QStringLiteral("f.bin"), model.size, QStringLiteral("application/octet-stream"),
                    QStringLiteral("t-1")};
    Upload upload(start, QStringLiteral("alice"), QString(), 1, QStringLiteral("token"), Upload::Settings{});

    for (int step = 0; step < 64 && !script.atEnd(); ++step) {
        const quint8 op = script.byte();
        if (op % 4 == 3) { // fileEnd
            const bool ok = !upload.finish().has_value();
            FUZZ_CHECK(ok == model.complete(), QStringLiteral("fileEnd after %1 chunks").arg(model.held));
            if (ok)
                return 0;
            continue;
        }
        QByteArray frame;
        if (op % 4 == 2) { // raw bytes from the script
            frame = script.take(script.byte());
        } else { // a frame near what the server expects
            quint32 index = model.held;
            switch (script.byte() % 4) {
            case 0:
                break;
            case 1:
                index = model.held - 1; // a resend (or 0xffffffff at the start)
                break;
            case 2:
                index = model.held + 1;
                break;
            default:
                index = script.u32();
                break;
            }
            const qint64 expected = model.expectedBytes(index);
            qint64 length = 0;
            switch (script.byte() % 5) {
            case 0:
            case 1:
                length = qMax<qint64>(expected, 0);
                break;
            case 2:
                length = expected + 1;
                break;
            case 3:
                length = qMax<qint64>(expected - 1, 0);
                break;
            default:
                length = ChunkDataBytes + (script.byte() % 3); // at and past the frame limit
                break;
            }
            frame = QByteArray(ChunkHeaderBytes + length, char(op));
            qToBigEndian<quint32>(index, frame.data());
        }

        const Decoded<Chunk> decoded = decodeChunk(frame);
        if (isError(decoded)) {
            FUZZ_CHECK(frame.size() < ChunkHeaderBytes || frame.size() > ChunkHeaderBytes + ChunkDataBytes,
                       QString::number(frame.size()));
            return 0; // UploadIntake drops the upload
        }
        const Chunk &chunk = std::get<Chunk>(decoded);
        const std::optional<DecodeError> error = upload.acceptChunk(chunk);
        bool takes = false;
        bool ignored = chunk.index < model.held;
        if (!ignored)
            takes = chunk.index == model.held && chunk.data.size() == model.expectedBytes(chunk.index);
        FUZZ_CHECK(error.has_value() == (!ignored && !takes),
                   QStringLiteral("chunk %1 of %2 bytes, %3 held, file %4")
                       .arg(chunk.index)
                       .arg(chunk.data.size())
                       .arg(model.held)
                       .arg(model.size));
        if (error) {
            FUZZ_CHECK(error->code == ErrorCode::BadChunk && !error->message.isEmpty(), error->message);
            return 0;
        }
        if (takes)
            ++model.held;
        FUZZ_CHECK(upload.chunksHeld() == model.held, QString::number(upload.chunksHeld()));
        FUZZ_CHECK(upload.isComplete() == model.complete(), QString::number(model.held));
    }
    return 0;
}

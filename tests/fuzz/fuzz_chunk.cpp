// SPDX-License-Identifier: GPL-3.0-or-later
// Binary framing: Protocol::decodeChunk (upload frames, client -> server) and
// Protocol::decodeRelayChunk (relay frames, server -> client), on any bytes.
//
// Properties:
//  - a frame is accepted exactly when it has a whole header and at most ChunkDataBytes of data;
//  - an accepted frame encodes back to the same bytes (header big-endian, data unchanged);
//  - a refusal is BadChunk with a message.
#include "fuzzcheck.h"
#include "protocol.h"

using namespace Protocol;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const QByteArray frame = fuzzBytes(data, size);
    const qsizetype n = frame.size();

    const Decoded<Chunk> chunk = decodeChunk(frame);
    const bool chunkFits = n >= ChunkHeaderBytes && n - ChunkHeaderBytes <= ChunkDataBytes;
    FUZZ_CHECK(isError(chunk) != chunkFits, QString::number(n));
    if (const auto *c = std::get_if<Chunk>(&chunk)) {
        FUZZ_CHECK(c->data.size() == n - ChunkHeaderBytes, QString::number(c->data.size()));
        FUZZ_CHECK(encodeChunk(c->index, c->data) == frame, QString::number(c->index));
    } else {
        const DecodeError &e = std::get<DecodeError>(chunk);
        FUZZ_CHECK(e.code == ErrorCode::BadChunk && !e.message.isEmpty(), e.message);
    }

    const Decoded<RelayChunk> relay = decodeRelayChunk(frame);
    const bool relayFits = n >= RelayHeaderBytes && n - RelayHeaderBytes <= ChunkDataBytes;
    FUZZ_CHECK(isError(relay) != relayFits, QString::number(n));
    if (const auto *r = std::get_if<RelayChunk>(&relay)) {
        FUZZ_CHECK(r->data.size() == n - RelayHeaderBytes, QString::number(r->data.size()));
        FUZZ_CHECK(encodeRelayChunk(r->stream, r->index, r->data) == frame, QString::number(r->index));
        // The relay header is an upload header with the stream in front.
        if (const auto *c = std::get_if<Chunk>(&chunk))
            FUZZ_CHECK(c->index == r->stream, QString::number(r->stream));
    } else {
        const DecodeError &e = std::get<DecodeError>(relay);
        FUZZ_CHECK(e.code == ErrorCode::BadChunk && !e.message.isEmpty(), e.message);
    }
    return 0;
}

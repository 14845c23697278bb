// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol.h"

#include <QString>

#include <variant>

//! What the decoder fuzzers say about a decode: the message as encode() writes it, or the error.
template<typename Message>
QString describe(const Protocol::Decoded<Message> &d)
{
    if (const auto *e = std::get_if<Protocol::DecodeError>(&d))
        return QStringLiteral("error %1: %2").arg(Protocol::errorCodeName(e->code), e->message);
    return QString::fromUtf8(Protocol::encode(std::get<Message>(d)));
}

//! Two decodes agree: both errors with one code, or messages that encode identically.
template<typename Message>
bool same(const Protocol::Decoded<Message> &a, const Protocol::Decoded<Message> &b)
{
    if (Protocol::isError(a) != Protocol::isError(b))
        return false;
    if (Protocol::isError(a))
        return std::get<Protocol::DecodeError>(a).code == std::get<Protocol::DecodeError>(b).code;
    return Protocol::encode(std::get<Message>(a)) == Protocol::encode(std::get<Message>(b));
}

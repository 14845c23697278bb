// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <cstdlib>

//! Properties of the fuzz targets: a violated one prints what and where, then aborts, which
//! libFuzzer reports as a crash and saves the input (tools/fuzz.sh fails on it).
[[noreturn]] inline void fuzzPropertyFailed(const char *condition, const char *file, int line,
                                            const QString &detail)
{
    std::fprintf(stderr, "\nPROPERTY FAILED: %s\n  at %s:%d\n  %s\n", condition, file, line,
                 detail.toUtf8().constData());
    std::abort();
}

#define FUZZ_CHECK(condition, detail)                                                                        \
    do {                                                                                                     \
        if (!(condition))                                                                                    \
            fuzzPropertyFailed(#condition, __FILE__, __LINE__, (detail));                                    \
    } while (false)

//! The fuzzer's bytes as a QByteArray that does not own them (no copy per run).
inline QByteArray fuzzBytes(const unsigned char *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "memorytrimmer.h"

#if defined(__GLIBC__)
#include <malloc.h>
#define NATTER_HAVE_MALLINFO2 (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#else
#define NATTER_HAVE_MALLINFO2 0
#endif

MemoryTrimmer::MemoryTrimmer(qint64 thresholdBytes)
    : m_threshold(thresholdBytes)
{}

bool MemoryTrimmer::note(qint64 freeHeldBytes)
{
    m_low = qMin(m_low, freeHeldBytes);
    if (m_threshold <= 0 || freeHeldBytes - m_low <= m_threshold)
        return false;
    // Trimmed pages still count as free chunks: the next trim waits for as much again.
    m_low = freeHeldBytes;
    return true;
}

qint64 MemoryTrimmer::freeHeldBytes()
{
#if NATTER_HAVE_MALLINFO2
    return qint64(mallinfo2().fordblks);
#else
    return 0;
#endif
}

void MemoryTrimmer::releaseFreeMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

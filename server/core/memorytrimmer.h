// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <limits>

//! Hands memory the server freed back to the system. glibc keeps freed heap memory in its arenas,
//! so after big write backlogs were dropped or drained the server's RSS would stay at its peak.
//! Shown, at every backlog check, how much free memory the allocator holds: once that grew by more
//! than `thresholdBytes` since its low point (or the last trim), it is time to trim. Whatever
//! freed the memory (a drop at the hard limit between two checks, or a slow reader that caught
//! up), the growth shows it; and memory in use again lowers the low point.
class MemoryTrimmer
{
public:
    explicit MemoryTrimmer(qint64 thresholdBytes);

    // True when it is time to trim: the caller calls releaseFreeMemory().
    bool note(qint64 freeHeldBytes);

    // What the allocator holds freed but not returned (glibc's mallinfo2().fordblks); 0 elsewhere.
    static qint64 freeHeldBytes();
    // malloc_trim(0) where glibc has it; nothing elsewhere.
    static void releaseFreeMemory();

private:
    qint64 m_threshold;
    qint64 m_low = std::numeric_limits<qint64>::max();
};

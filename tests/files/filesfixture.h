// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientfixture.h"
#include "testpeer.h"
#include "waituntil.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>

namespace FilesTest {

// Random but reproducible content, written in blocks so large files need little memory.
inline bool writeRandomFile(const QString &path, qint64 size, quint32 seed)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QRandomGenerator gen(seed);
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    for (qint64 left = size; left > 0;) {
        const qint64 n = std::min<qint64>(left, block.size());
        gen.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        if (f.write(block.constData(), n) != n)
            return false;
        left -= n;
    }
    return true;
}

inline bool sameContent(const QString &a, const QString &b)
{
    QFile fa(a), fb(b);
    if (!fa.open(QIODevice::ReadOnly) || !fb.open(QIODevice::ReadOnly) || fa.size() != fb.size())
        return false;
    while (!fa.atEnd()) {
        if (fa.read(1024 * 1024) != fb.read(1024 * 1024))
            return false;
    }
    return true;
}

// Every file in `dir`, hidden ones (partial downloads) included.
inline QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

// One user with its FileTransfers (tests/common).
using Peer = TestPeer;

} // namespace FilesTest

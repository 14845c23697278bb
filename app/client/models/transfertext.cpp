// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfertext.h"

#include <QLocale>

#include <cmath>

QString TransferText::size(qint64 bytes)
{
    if (bytes < 1024)
        return tr("%n byte(s)", nullptr, int(qMax<qint64>(0, bytes)));
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString TransferText::speed(double bytesPerSecond)
{
    if (!(bytesPerSecond > 0))
        return {};
    return tr("%1/s").arg(QLocale().formattedDataSize(qint64(bytesPerSecond), 1, QLocale::DataSizeIecFormat));
}

QString TransferText::remaining(qint64 bytesLeft, double bytesPerSecond)
{
    // Below a few hundred bytes per second the estimate jumps about more than it helps.
    if (bytesLeft <= 0 || !(bytesPerSecond >= 256))
        return {};
    const qint64 seconds = qint64(std::ceil(double(bytesLeft) / bytesPerSecond));
    if (seconds < 60)
        return tr("%n s left", nullptr, int(seconds));
    if (seconds < 3600)
        return tr("%n min left", nullptr, int((seconds + 59) / 60));
    return tr("%n h left", nullptr, int((seconds + 3599) / 3600));
}

double TransferText::progress(const TransferInfo &info)
{
    if (info.size <= 0)
        return info.state == TransferInfo::State::Completed ? 1.0 : 0.0;
    return qBound(0.0, double(info.done) / double(info.size), 1.0);
}

QString TransferText::status(const TransferInfo &info)
{
    const bool upload = info.direction == TransferInfo::Direction::Upload;
    switch (info.state) {
    case TransferInfo::State::Queued:
        return upload ? tr("Waiting to send") : tr("Waiting");
    case TransferInfo::State::Active: {
        QStringList parts{tr("%1 of %2").arg(size(info.done), size(info.size))};
        const QString rate = speed(info.bytesPerSecond);
        if (!rate.isEmpty())
            parts.append(rate);
        const QString left = remaining(info.size - info.done, info.bytesPerSecond);
        if (!left.isEmpty())
            parts.append(left);
        if (info.awaitingAnswer)
            parts.append(
                tr("larger than you receive without asking: Cancel to decline, Save… once received to keep"));
        return parts.join(QStringLiteral(" · "));
    }
    case TransferInfo::State::Interrupted:
        return tr("Interrupted at %1: continues when reconnected").arg(size(info.done));
    case TransferInfo::State::Completed:
        if (!upload && info.awaitingAnswer)
            return tr("Received, not kept yet: Save… to keep it (it is deleted when Natter quits)");
        return upload ? tr("Sent") : tr("Received");
    case TransferInfo::State::Failed:
        return info.error.isEmpty() ? tr("Failed") : tr("Failed: %1").arg(info.error);
    case TransferInfo::State::Cancelled:
        return info.error.isEmpty() ? tr("Cancelled") : tr("Cancelled: %1").arg(info.error);
    }
    return {};
}

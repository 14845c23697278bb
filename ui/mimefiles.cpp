// SPDX-License-Identifier: GPL-3.0-or-later
#include "mimefiles.h"

#include <QMimeData>
#include <QUrl>

QStringList MimeFiles::localFiles(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    const QList<QUrl> urls = mime->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile() && !url.toLocalFile().isEmpty())
            paths.append(url.toLocalFile());
    }
    return paths;
}

QImage MimeFiles::image(const QMimeData *mime)
{
    if (!mime || !mime->hasImage() || mime->hasText())
        return {};
    return qvariant_cast<QImage>(mime->imageData());
}

bool MimeFiles::canSend(const QMimeData *mime)
{
    return !localFiles(mime).isEmpty() || (mime && mime->hasImage() && !mime->hasText());
}

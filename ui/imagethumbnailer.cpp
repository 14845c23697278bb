// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagethumbnailer.h"

#include <QDateTime>
#include <QFileInfo>
#include <QImageReader>
#include <QPointer>

void ImageThumbnailer::applyAllocationLimit()
{
    if (QImageReader::allocationLimit() == 0 || QImageReader::allocationLimit() > AllocationLimitMiB)
        QImageReader::setAllocationLimit(AllocationLimitMiB);
}

ImageThumbnailer::Decoded ImageThumbnailer::decode(const QString &path, const QSize &bound)
{
    Decoded result;
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (!reader.canRead() || !size.isValid() || size.isEmpty()) {
        result.status = Status::NotImage;
        return result;
    }
    if (qint64(size.width()) * size.height() > MaxPixels) {
        result.status = Status::TooLarge;
        return result;
    }
    const QSize scaled = size.width() <= bound.width() && size.height() <= bound.height()
                             ? size
                             : size.scaled(bound, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
    if (scaled != size)
        reader.setScaledSize(scaled);
    result.image = reader.read();
    if (result.image.isNull()) {
        // The allocation limit fails a read like broken data does; tell them apart by size.
        const qint64 fullBytes = qint64(size.width()) * size.height() * 4;
        result.status =
            fullBytes > qint64(AllocationLimitMiB) * 1024 * 1024 ? Status::TooLarge : Status::NotImage;
        return result;
    }
    // A handler without scaled reading (GIF) returns the full frame: shrink it here.
    if (result.image.width() > bound.width() || result.image.height() > bound.height())
        result.image = result.image.scaled(bound, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    result.status = Status::Ready;
    return result;
}

bool ImageThumbnailer::looksLikeImage(const QString &fileName)
{
    static const QList<QByteArray> formats = QImageReader::supportedImageFormats();
    const QByteArray suffix = QFileInfo(fileName).suffix().toLower().toLatin1();
    return !suffix.isEmpty() && formats.contains(suffix);
}

ImageThumbnailer::ImageThumbnailer(QObject *parent)
    : QObject(parent)
    , m_cache(8 * 1024) // KiB: some 25 thumbnails of 320×240
{
    applyAllocationLimit();
    m_pool.setMaxThreadCount(1); // one at a time: previews must not compete with the GUI for cores
}

ImageThumbnailer::~ImageThumbnailer()
{
    m_pool.clear();
    m_pool.waitForDone();
}

QString ImageThumbnailer::keyOf(const QString &path)
{
    const QFileInfo info(path);
    return QStringLiteral("%1\n%2\n%3")
        .arg(path)
        .arg(info.size())
        .arg(info.lastModified().toMSecsSinceEpoch());
}

ImageThumbnailer::Status ImageThumbnailer::status(const QString &path) const
{
    const QString key = keyOf(path);
    if (m_cache.contains(key))
        return Status::Ready;
    if (m_pending.contains(key))
        return Status::Pending;
    return m_refused.value(key, Status::None);
}

QImage ImageThumbnailer::cached(const QString &path) const
{
    const QImage *image = path.isEmpty() ? nullptr : m_cache.object(keyOf(path));
    return image ? *image : QImage();
}

QImage ImageThumbnailer::thumbnail(const QString &path)
{
    if (path.isEmpty())
        return {};
    const QString key = keyOf(path);
    if (const QImage *image = m_cache.object(key))
        return *image;
    if (m_pending.contains(key) || m_refused.contains(key))
        return {};
    m_pending.insert(key, path);
    QPointer<ImageThumbnailer> self(this);
    m_pool.start([self, key, path] {
        const Decoded decoded = decode(path, thumbnailBound());
        // The destructor waits for this task, so self is alive while it is queued here.
        QMetaObject::invokeMethod(
            self.data(),
            [self, key, path, decoded] {
                if (self)
                    self->finished(key, path, decoded);
            },
            Qt::QueuedConnection);
    });
    return {};
}

void ImageThumbnailer::finished(const QString &key, const QString &path, const Decoded &decoded)
{
    m_pending.remove(key);
    if (decoded.status == Status::Ready)
        m_cache.insert(key, new QImage(decoded.image),
                       qMax<qsizetype>(1, decoded.image.sizeInBytes() / 1024));
    else
        m_refused.insert(key, decoded.status);
    emit thumbnailReady(path);
}

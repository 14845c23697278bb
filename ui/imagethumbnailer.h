// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSize>
#include <QThreadPool>

//! Decodes image files into small thumbnails on a worker thread and keeps the latest ones in a
//! small cache keyed by path, size and modification time. Every byte of a received file is
//! hostile, so the header is read first: files that are not images, and images of more than
//! MaxPixels, are refused before any pixel is decoded; allowed ones are decoded scaled down
//! (QImageReader::setScaledSize) under a low allocation limit, so a decompression bomb never
//! reaches memory.
class ImageThumbnailer : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        None,     // never asked for
        Pending,  // being decoded
        Ready,    // thumbnail() has it
        TooLarge, // refused: more pixels than MaxPixels, or over the allocation limit
        NotImage, // refused: no image format reads it
    };
    Q_ENUM(Status)

    static constexpr qint64 MaxPixels = 64LL * 1000 * 1000; // 64 megapixels
    // QImageReader's allocation limit is process-wide; the thumbnailer and the viewer lower it to
    // this from the GUI thread. Scaled PNG and JPEG reading allocates little more than the result,
    // so only a handler without scaled reading (GIF) of more than 16 megapixels meets it.
    static constexpr int AllocationLimitMiB = 64;
    static void applyAllocationLimit();
    static QSize thumbnailBound() { return {320, 240}; }

    struct Decoded
    {
        QImage image;
        Status status = Status::None;
    };
    // Decodes `path` fitted into `bound` (aspect kept, never scaled up), refusing what is not an
    // image or has more than MaxPixels. Thread-safe; the viewer uses it too.
    static Decoded decode(const QString &path, const QSize &bound);
    // Whether a file's name says it may be an image Qt reads (a cheap test for the delegate).
    static bool looksLikeImage(const QString &fileName);

    explicit ImageThumbnailer(QObject *parent = nullptr);
    ~ImageThumbnailer() override;

    // What is known about `path`; never decodes.
    Status status(const QString &path) const;
    // The thumbnail when Ready; otherwise starts decoding (once) and returns a null image.
    QImage thumbnail(const QString &path);
    // The cached thumbnail, or a null image; never decodes.
    QImage cached(const QString &path) const;
    // Whether the cache holds a thumbnail for the file as it is now (a test hook).
    bool isCached(const QString &path) const { return status(path) == Status::Ready; }

signals:
    void thumbnailReady(const QString &path);

private:
    static QString keyOf(const QString &path);
    void finished(const QString &key, const QString &path, const ImageThumbnailer::Decoded &decoded);

    QThreadPool m_pool;
    QCache<QString, QImage> m_cache;   // key → thumbnail, cost in KiB
    QHash<QString, Status> m_refused;  // key → TooLarge or NotImage; tiny, so never evicted
    QHash<QString, QString> m_pending; // key → path
};

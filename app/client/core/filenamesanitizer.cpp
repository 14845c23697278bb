// SPDX-License-Identifier: GPL-3.0-or-later
#include "filenamesanitizer.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace {
// Names Windows reserves for devices, with or without an extension; harmless on Linux but a
// file called "CON.txt" cannot be copied to a Windows share or USB stick.
bool isDeviceName(const QString &name)
{
    static const QStringList devices{
        QStringLiteral("CON"),  QStringLiteral("PRN"),  QStringLiteral("AUX"),    QStringLiteral("NUL"),
        QStringLiteral("COM1"), QStringLiteral("COM2"), QStringLiteral("COM3"),   QStringLiteral("COM4"),
        QStringLiteral("COM5"), QStringLiteral("COM6"), QStringLiteral("COM7"),   QStringLiteral("COM8"),
        QStringLiteral("COM9"), QStringLiteral("LPT1"), QStringLiteral("LPT2"),   QStringLiteral("LPT3"),
        QStringLiteral("LPT4"), QStringLiteral("LPT5"), QStringLiteral("LPT6"),   QStringLiteral("LPT7"),
        QStringLiteral("LPT8"), QStringLiteral("LPT9"), QStringLiteral("CONIN$"), QStringLiteral("CONOUT$")};
    const QString stem = name.section(QLatin1Char('.'), 0, 0).trimmed();
    return devices.contains(stem, Qt::CaseInsensitive);
}

bool isUnsafe(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x20 || (u >= 0x7f && u <= 0x9f))
        return true;
    switch (u) {
    case u'<':
    case u'>':
    case u':':
    case u'"':
    case u'|':
    case u'?':
    case u'*':
        return true;
    default:
        return false;
    }
}

// Where the extension starts (the dot), or -1; ".tar.gz" and the like count as one extension.
qsizetype extensionStart(const QString &name)
{
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0 || name.size() - dot > 16)
        return -1;
    const qsizetype inner = name.lastIndexOf(QLatin1Char('.'), dot - 1);
    if (inner > 0 && name.mid(inner, dot - inner).compare(QLatin1String(".tar"), Qt::CaseInsensitive) == 0)
        return inner;
    return dot;
}

// Cuts `s` to at most `maxBytes` of UTF-8 without splitting a surrogate pair.
QString truncateUtf8(const QString &s, int maxBytes)
{
    if (s.toUtf8().size() <= maxBytes)
        return s;
    QString out;
    int bytes = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const bool pair = s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate();
        const QString unit = s.mid(i, pair ? 2 : 1);
        const int n = int(unit.toUtf8().size());
        if (bytes + n > maxBytes)
            break;
        out += unit;
        bytes += n;
        if (pair)
            ++i;
    }
    return out;
}

QString trimDotsAndSpaces(QString s, bool leading)
{
    const auto strip = [](QChar c) {
        return c == u'.' || c.isSpace();
    };
    if (leading) {
        qsizetype i = 0;
        while (i < s.size() && strip(s.at(i)))
            ++i;
        s.remove(0, i);
    }
    while (!s.isEmpty() && strip(s.back()))
        s.chop(1);
    return s;
}
} // namespace

QString FileNameSanitizer::sanitize(const QString &name, int maxBytes)
{
    // Only the last path component counts: "../../etc/passwd" is "passwd", "C:\x\y.txt" is "y.txt".
    QString s = name;
    const qsizetype slash = std::max(s.lastIndexOf(QLatin1Char('/')), s.lastIndexOf(QLatin1Char('\\')));
    if (slash >= 0)
        s = s.mid(slash + 1);

    QString clean;
    clean.reserve(s.size());
    for (const QChar c : std::as_const(s)) {
        // Bidirectional overrides and other invisible format characters can disguise an extension
        // ("txt.exe" shown as "exe.txt").
        if (c.category() == QChar::Other_Format)
            continue;
        clean += isUnsafe(c) ? QChar(u'_') : c;
    }
    // Leading dots would hide the file (and "." / ".." are no names at all); trailing dots and
    // spaces are dropped by Windows.
    clean = trimDotsAndSpaces(clean, true);
    if (clean.isEmpty())
        return QStringLiteral("file");
    if (isDeviceName(clean))
        clean.prepend(QLatin1Char('_'));

    maxBytes = std::max(maxBytes, 16);
    if (clean.toUtf8().size() > maxBytes) {
        const qsizetype ext = extensionStart(clean);
        const QString suffix = ext > 0 ? clean.mid(ext) : QString();
        const QString stem = ext > 0 ? clean.left(ext) : clean;
        clean = trimDotsAndSpaces(truncateUtf8(stem, maxBytes - int(suffix.toUtf8().size())), false) + suffix;
        if (clean.isEmpty() || clean.startsWith(QLatin1Char('.')))
            clean.prepend(QStringLiteral("file"));
    }
    return clean;
}

QString FileNameSanitizer::numbered(const QString &name, int n)
{
    if (n <= 0)
        return name;
    const qsizetype ext = extensionStart(name);
    const QString tag = QStringLiteral(" (%1)").arg(n);
    return ext > 0 ? name.left(ext) + tag + name.mid(ext) : name + tag;
}

QString FileNameSanitizer::unusedName(const QDir &dir, const QString &name)
{
    for (int n = 0;; ++n) {
        const QString candidate = numbered(name, n);
        // A dangling symlink "does not exist" to QFileInfo::exists(), but a new file must not
        // replace it either.
        const QFileInfo info(dir.filePath(candidate));
        if (!info.exists() && !info.isSymLink())
            return candidate;
    }
}

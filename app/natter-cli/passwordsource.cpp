// SPDX-License-Identifier: GPL-3.0-or-later
#include "passwordsource.h"

#include <QFile>
#include <QStringDecoder>

#include <sys/stat.h>
#include <unistd.h>

namespace {
std::optional<QString> checkedText(const QByteArray &bytes, const QString &where, QString *error)
{
    if (bytes.isEmpty()) {
        *error = QStringLiteral("%1 is empty").arg(where);
        return std::nullopt;
    }
    if (bytes.size() > PasswordSource::MaxPasswordBytes) {
        *error =
            QStringLiteral("%1 is longer than %2 bytes").arg(where).arg(PasswordSource::MaxPasswordBytes);
        return std::nullopt;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(bytes);
    if (decoder.hasError()) {
        *error = QStringLiteral("%1 is not UTF-8 text").arg(where);
        return std::nullopt;
    }
    return text;
}
} // namespace

std::optional<QString> PasswordSource::read(const QString &passwordFile,
                                            const QProcessEnvironment &environment, QString *error)
{
    error->clear();
    if (!passwordFile.isEmpty())
        return fromFile(passwordFile, error);
    const QString name = QStringLiteral("NATTER_PASSWORD");
    if (!environment.contains(name))
        return std::nullopt;
    // The environment holds bytes; QProcessEnvironment decoded them with the locale (UTF-8 here).
    return checkedText(environment.value(name).toUtf8(), name, error);
}

std::optional<QString> PasswordSource::fromFile(const QString &path, QString *error)
{
    error->clear();
    const QString where = QStringLiteral("password file '%1'").arg(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(where, file.errorString());
        return std::nullopt;
    }
    // Checked on the open file, so what was checked is what is read.
    struct stat st = {};
    if (::fstat(file.handle(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
        *error = QStringLiteral("%1 is not a file").arg(where);
        return std::nullopt;
    }
    if (st.st_uid != ::getuid() && st.st_uid != 0) {
        *error = QStringLiteral("%1 belongs to another user; it must be yours").arg(where);
        return std::nullopt;
    }
    if ((st.st_mode & 077) != 0) {
        *error = QStringLiteral("%1 is open to others (mode %2); run chmod 600 '%3'")
                     .arg(where)
                     .arg(st.st_mode & 0777, 4, 8, QLatin1Char('0'))
                     .arg(path);
        return std::nullopt;
    }
    QByteArray line = file.readLine(MaxPasswordBytes + 3); // the password, \r\n, and one to spare
    if (line.endsWith('\n'))
        line.chop(1);
    else if (!file.atEnd())
        line.append('x'); // longer than any line we take: reported as too long below
    if (line.endsWith('\r'))
        line.chop(1);
    return checkedText(line, QStringLiteral("the first line of %1").arg(where), error);
}

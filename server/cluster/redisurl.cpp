// SPDX-License-Identifier: GPL-3.0-or-later
#include "redisurl.h"

#include <QUrl>

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    const auto fail = [&](const QString &why) {
        *error = QStringLiteral("--redis must look like redis://[:password@]host[:port][/db]: %1").arg(why);
        return std::nullopt;
    };
    if (!url.isValid() || url.scheme() != QLatin1String("redis"))
        return fail(QStringLiteral("'%1' is not a redis:// URL").arg(text));
    if (url.host().isEmpty())
        return fail(QStringLiteral("no host"));
    if (!url.userName().isEmpty())
        return fail(QStringLiteral("user names are not supported; give only the password (:password@)"));
    if (url.hasQuery() || url.hasFragment())
        return fail(QStringLiteral("no query or fragment"));
    RedisUrl out;
    out.host = url.host();
    out.port = url.port(6379);
    if (out.port <= 0)
        return fail(QStringLiteral("bad port"));
    out.password = url.password();
    const QString path = url.path();
    if (!path.isEmpty() && path != QLatin1String("/")) {
        bool ok = false;
        out.db = path.mid(1).toInt(&ok);
        if (!ok || out.db < 0 || out.db > 1 << 20)
            return fail(QStringLiteral("the path must be a database number"));
    }
    return out;
}

QString RedisUrl::display() const
{
    return QStringLiteral("redis://%1%2:%3/%4")
        .arg(password.isEmpty() ? QString() : QStringLiteral(":***@"),
             host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host)
        .arg(port)
        .arg(db);
}

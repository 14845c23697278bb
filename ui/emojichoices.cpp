// SPDX-License-Identifier: GPL-3.0-or-later
#include "emojichoices.h"

#include <QSettings>

namespace {
const QString RecentKey = QStringLiteral("conversation/recentEmoji");
}

QStringList EmojiChoices::common()
{
    return {QStringLiteral("👍"), QStringLiteral("👎"),    QStringLiteral("❤️"), QStringLiteral("😂"),
            QStringLiteral("😮"), QStringLiteral("😢"),    QStringLiteral("😡"),      QStringLiteral("🎉"),
            QStringLiteral("🙏"), QStringLiteral("👀"),    QStringLiteral("🔥"),      QStringLiteral("✅"),
            QStringLiteral("❌"), QStringLiteral("🤔"), QStringLiteral("👋"),      QStringLiteral("🚀")};
}

QStringList EmojiChoices::recent()
{
    // Settings are the user's file: keep only what could be an emoji, and not too many.
    QStringList result;
    const QStringList stored = QSettings().value(RecentKey).toStringList();
    for (const QString &emoji : stored) {
        if (!emoji.isEmpty() && emoji.size() <= 16 && !result.contains(emoji) && result.size() < MaxRecent)
            result.append(emoji);
    }
    return result;
}

QStringList EmojiChoices::offered()
{
    QStringList result = recent();
    for (const QString &emoji : common()) {
        if (!result.contains(emoji))
            result.append(emoji);
    }
    return result;
}

void EmojiChoices::use(const QString &emoji)
{
    if (emoji.isEmpty())
        return;
    QStringList list = recent();
    list.removeAll(emoji);
    list.prepend(emoji);
    QSettings().setValue(RecentKey, list.mid(0, MaxRecent));
}

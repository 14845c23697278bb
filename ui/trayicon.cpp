// SPDX-License-Identifier: GPL-3.0-or-later
#include "trayicon.h"

#include <QFont>
#include <QPainter>

TrayIcon::TrayIcon(const QIcon &base, QObject *parent)
    : QSystemTrayIcon(base, parent)
    , m_base(base)
{
    setToolTip(tr("Natter"));
}

QIcon TrayIcon::badged(const QIcon &base, int unread)
{
    if (unread <= 0)
        return base;
    // Tray icons are drawn small; one size large enough to scale down well.
    constexpr int Size = 64;
    QPixmap pixmap = base.pixmap(Size, Size);
    if (pixmap.isNull()) {
        pixmap = QPixmap(Size, Size);
        pixmap.fill(Qt::transparent);
    }
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QString label = unread > 999 ? QStringLiteral("999+") : QString::number(unread);
    QFont font;
    font.setBold(true);
    font.setPixelSize(label.size() > 2 ? 22 : 30);
    painter.setFont(font);
    const int w = qMax(36, QFontMetrics(font).horizontalAdvance(label) + 10);
    const QRect badge(Size - w, Size - 36, w, 36);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0xd0, 0x3a, 0x2f));
    painter.drawRoundedRect(badge, 18, 18);
    painter.setPen(Qt::white);
    painter.drawText(badge, Qt::AlignCenter, label);
    painter.end();
    return QIcon(pixmap);
}

void TrayIcon::setUnread(int unread)
{
    unread = qMax(0, unread);
    if (unread == m_unread)
        return;
    m_unread = unread;
    setIcon(badged(m_base, unread));
    setToolTip(unread > 0 ? tr("Natter — %n unread", nullptr, unread) : tr("Natter"));
}

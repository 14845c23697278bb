// SPDX-License-Identifier: GPL-3.0-or-later
#include "theme.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QStyle>
#include <QStyleFactory>

#include <cmath>
#include <optional>

namespace {
const QString PortalService = QStringLiteral("org.freedesktop.portal.Desktop");
const QString PortalPath = QStringLiteral("/org/freedesktop/portal/desktop");
const QString PortalSettings = QStringLiteral("org.freedesktop.portal.Settings");
const QString Appearance = QStringLiteral("org.freedesktop.appearance");
const QString ColorScheme = QStringLiteral("color-scheme");

// The portal's color-scheme: 1 prefers dark, 2 prefers light, 0 no preference. Values arrive
// wrapped in one or two variants depending on the portal's version.
std::optional<bool> darkFromPortalValue(QVariant value)
{
    while (value.canConvert<QDBusVariant>() && value.userType() == qMetaTypeId<QDBusVariant>())
        value = value.value<QDBusVariant>().variant();
    bool ok = false;
    const uint scheme = value.toUInt(&ok);
    if (!ok)
        return std::nullopt;
    return scheme == 1;
}

// Following a light desktop keeps the platform's own look: what the process had before any
// Theme changed it (captured once, as a later window's Theme would see our palette).
struct PlatformLook
{
    QString style;
    QPalette palette;
};
const PlatformLook &platformLook()
{
    static const PlatformLook look{QApplication::style()->name(), QApplication::palette()};
    return look;
}

double channel(double c)
{
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &c)
{
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}
} // namespace

Theme::Theme(QObject *parent)
    : QObject(parent)
{
    // A desktop without the portal: a platform palette that is dark is the preference we can see.
    m_systemDark = platformLook().palette.color(QPalette::Window).lightness() < 128;
    // Another window's Theme may have changed the look already; this one takes it from there.
    m_applied = QApplication::style()->name() != platformLook().style ||
                QApplication::palette() != platformLook().palette;
    askPortal();
}

void Theme::askPortal()
{
    // Asynchronously: a slow or missing portal (or its D-Bus activation) must never hold the
    // window back; until it answers, the platform palette's guess stands.
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    bus.connect(PortalService, PortalPath, PortalSettings, QStringLiteral("SettingChanged"), this,
                SLOT(onPortalSettingChanged(QString, QString, QDBusVariant)));
    QDBusMessage read =
        QDBusMessage::createMethodCall(PortalService, PortalPath, PortalSettings, QStringLiteral("Read"));
    read << Appearance << ColorScheme;
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(read, 2000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *call) {
        const QDBusPendingReply<QVariant> reply = *call;
        if (!reply.isError()) {
            if (const std::optional<bool> dark = darkFromPortalValue(reply.value()))
                setSystemPrefersDark(*dark);
        }
        call->deleteLater();
    });
}

void Theme::onPortalSettingChanged(const QString &group, const QString &key, const QDBusVariant &value)
{
    if (group != Appearance || key != ColorScheme)
        return;
    if (const std::optional<bool> dark = darkFromPortalValue(value.variant()))
        setSystemPrefersDark(*dark);
}

void Theme::setChoice(Choice choice)
{
    const bool changedChoice = choice != m_choice;
    m_choice = choice;
    apply();
    if (changedChoice)
        emit choiceChanged(choice);
}

void Theme::setSystemPrefersDark(bool dark)
{
    m_systemDark = dark;
    if (m_choice == Choice::System)
        apply();
}

void Theme::apply()
{
    const bool dark = m_choice == Choice::Dark || (m_choice == Choice::System && m_systemDark);
    const bool keepPlatformLook = m_choice == Choice::System && !dark;
    if (keepPlatformLook) {
        if (!m_applied)
            return; // nothing of ours to undo
        m_applied = false;
        if (QStyle *style = QStyleFactory::create(platformLook().style))
            QApplication::setStyle(style);
        QApplication::setPalette(platformLook().palette);
    } else {
        m_applied = true;
        if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0) {
            if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
                QApplication::setStyle(fusion);
        }
        QApplication::setPalette(palette(dark));
    }
    m_dark = dark;
    emit changed(dark);
}

QPalette Theme::palette(bool dark)
{
    // Chosen by their contrast (textPairs() >= 4.5:1, tested), not taken from any platform.
    const QColor window = dark ? QColor(0x23, 0x25, 0x29) : QColor(0xf3, 0xf4, 0xf6);
    const QColor base = dark ? QColor(0x1b, 0x1d, 0x21) : QColor(0xff, 0xff, 0xff);
    const QColor alternate = dark ? QColor(0x26, 0x29, 0x2e) : QColor(0xf6, 0xf7, 0xf9);
    const QColor text = dark ? QColor(0xe6, 0xe8, 0xeb) : QColor(0x1d, 0x1f, 0x23);
    const QColor muted = dark ? QColor(0xa4, 0xa9, 0xb1) : QColor(0x5c, 0x62, 0x6b);
    const QColor button = dark ? QColor(0x2f, 0x32, 0x38) : QColor(0xe9, 0xeb, 0xee);
    const QColor highlight = dark ? QColor(0x2f, 0x6b, 0xc4) : QColor(0x1f, 0x5f, 0xbf);
    const QColor link = dark ? QColor(0x7c, 0xb4, 0xff) : QColor(0x1a, 0x56, 0xb0);
    const QColor disabled = dark ? QColor(0x86, 0x8b, 0x93) : QColor(0x6e, 0x74, 0x7c);

    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, dark ? QColor(0x30, 0x33, 0x39) : QColor(0xff, 0xff, 0xe8));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, muted);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x1e, 0x14));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, link);
    p.setColor(QPalette::LinkVisited, link);
    p.setColor(QPalette::Light, dark ? QColor(0x3a, 0x3e, 0x45) : Qt::white);
    p.setColor(QPalette::Midlight, dark ? QColor(0x33, 0x36, 0x3c) : QColor(0xe0, 0xe2, 0xe6));
    p.setColor(QPalette::Mid, dark ? QColor(0x4a, 0x4e, 0x55) : QColor(0xb8, 0xbc, 0xc2));
    p.setColor(QPalette::Dark, dark ? QColor(0x15, 0x16, 0x19) : QColor(0x9a, 0x9f, 0xa6));
    p.setColor(QPalette::Shadow, Qt::black);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight,
               dark ? QColor(0x4a, 0x4e, 0x55) : QColor(0xb8, 0xbc, 0xc2));
    return p;
}

double Theme::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QList<std::pair<QString, std::pair<QColor, QColor>>> Theme::textPairs(const QPalette &p)
{
    const auto pair = [&p](const char *name, QPalette::ColorRole fg, QPalette::ColorRole bg) {
        return std::pair{QString::fromLatin1(name), std::pair{p.color(fg), p.color(bg)}};
    };
    return {
        pair("text on base", QPalette::Text, QPalette::Base),
        pair("text on alternate base", QPalette::Text, QPalette::AlternateBase),
        pair("window text on window", QPalette::WindowText, QPalette::Window),
        pair("button text on button", QPalette::ButtonText, QPalette::Button),
        pair("highlighted text on highlight", QPalette::HighlightedText, QPalette::Highlight),
        pair("placeholder on base", QPalette::PlaceholderText, QPalette::Base),
        pair("placeholder on window", QPalette::PlaceholderText, QPalette::Window),
        pair("link on base", QPalette::Link, QPalette::Base),
        pair("tooltip text on tooltip", QPalette::ToolTipText, QPalette::ToolTipBase),
    };
}

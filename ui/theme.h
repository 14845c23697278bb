// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPalette>

class QDBusVariant;

//! Light, dark, or whichever the desktop prefers. Qt 6.4 has no colour-scheme API, so the
//! preference is read where desktops publish it (the XDG settings portal over D-Bus,
//! org.freedesktop.appearance color-scheme) and followed while the app runs; without a portal, a
//! dark platform palette counts as a dark preference. The dark theme, and the light one when it
//! is chosen, are the Fusion style with palettes tuned so text reads at a contrast of at least
//! 4.5:1 (WCAG AA) on its background; following a light desktop keeps the platform's look.
class Theme : public QObject
{
    Q_OBJECT
public:
    enum class Choice {
        System,
        Light,
        Dark,
    };
    Q_ENUM(Choice)

    explicit Theme(QObject *parent = nullptr);

    Choice choice() const { return m_choice; }
    bool isDark() const { return m_dark; }

    static QPalette palette(bool dark);
    // The WCAG contrast ratio of two colours (1 to 21).
    static double contrast(const QColor &a, const QColor &b);
    // The text/background pairs of a palette that must read well, by name, for checks and tests.
    static QList<std::pair<QString, std::pair<QColor, QColor>>> textPairs(const QPalette &palette);

public slots:
    void setChoice(Choice choice);
    // The desktop's preference (System follows it): from the portal, or as it changed.
    void setSystemPrefersDark(bool dark);

signals:
    void changed(bool dark);
    void choiceChanged(Theme::Choice choice);

private slots:
    // The portal's SettingChanged signal (connected by name: QtDBus needs a slot).
    void onPortalSettingChanged(const QString &group, const QString &key, const QDBusVariant &value);

private:
    void apply();
    void askPortal();

    Choice m_choice = Choice::System;
    bool m_systemDark = false;
    bool m_dark = false;
    bool m_applied = false;
};

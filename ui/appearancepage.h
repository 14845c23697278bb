// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class MessageView;
class QComboBox;
class QSpinBox;
class Theme;

//! Preferences → Appearance: the theme and the messages' text size. Both apply at once and follow
//! the View menu's own controls (they change the same Theme and MessageView).
class AppearancePage : public QWidget
{
    Q_OBJECT
public:
    AppearancePage(Theme *theme, MessageView *view, QWidget *parent = nullptr);

    QComboBox *themeChoice() const { return m_theme; }
    QSpinBox *textSize() const { return m_size; } // per cent of the default

private:
    QComboBox *m_theme;
    QSpinBox *m_size;
};

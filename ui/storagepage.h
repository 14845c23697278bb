// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class AppSettings;
class MessageCache;
class QLabel;
class QPushButton;
class QSpinBox;

//! Preferences → Storage: how large and how old the message cache may grow, how large it is now,
//! and "Clear Cache". Changes apply at once: to the settings and to the cache.
class StoragePage : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxSizeMiB = 1024 * 1024; // 1 TiB: beyond, "no limit" (0) says it better
    static constexpr int MaxAgeDays = 100 * 365;

    // Without a cache (it could not be opened) the page says so and offers nothing to clear.
    StoragePage(AppSettings *settings, MessageCache *cache, QWidget *parent = nullptr);

    QSpinBox *sizeLimit() const { return m_size; }
    QSpinBox *ageLimit() const { return m_age; }
    QLabel *currentSize() const { return m_current; }
    QPushButton *clearButton() const { return m_clear; }

public slots:
    void refresh();    // shows the cache's size now
    void clearCache(); // asks first (Confirmation)

private:
    void apply();

    AppSettings *m_settings;
    QPointer<MessageCache> m_cache;
    QSpinBox *m_size;
    QSpinBox *m_age;
    QLabel *m_current;
    QPushButton *m_clear;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#include "storagepage.h"

#include "appsettings.h"
#include "confirmation.h"
#include "messagecache.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {
constexpr qint64 MiB = 1024 * 1024;
}

StoragePage::StoragePage(AppSettings *settings, MessageCache *cache, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_cache(cache)
    , m_size(new QSpinBox)
    , m_age(new QSpinBox)
    , m_current(new QLabel)
    , m_clear(new QPushButton(tr("Clear Cache…")))
{
    setObjectName(QStringLiteral("storagePage"));
    const MessageCache::Limits limits = settings->cacheLimits();
    m_size->setAccessibleName(tr("Cache size limit"));
    m_size->setRange(0, MaxSizeMiB);
    m_size->setSuffix(tr(" MiB"));
    m_size->setSpecialValueText(tr("No limit"));
    m_size->setValue(int(qMin<qint64>(MaxSizeMiB, (limits.maxBytes + MiB - 1) / MiB)));
    m_age->setAccessibleName(tr("Cache age limit"));
    m_age->setRange(0, MaxAgeDays);
    m_age->setSuffix(tr(" days"));
    m_age->setSpecialValueText(tr("No limit"));
    m_age->setValue(qMin(MaxAgeDays, limits.maxAgeDays));
    m_current->setAccessibleName(tr("Current cache size"));
    m_current->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_clear->setAccessibleName(tr("Clear cache"));
    m_clear->setEnabled(cache != nullptr);

    auto *explanation =
        new QLabel(tr("Natter keeps the messages it receives on this computer, so rooms open at once, even "
                      "offline, and search finds what was said. The oldest messages go first when a limit is "
                      "reached."));
    explanation->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Keep at most:"), m_size);
    form->addRow(tr("Keep messages for:"), m_age);
    form->addRow(tr("Size now:"), m_current);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(m_clear, 0, Qt::AlignLeft);
    layout->addStretch(1);

    // The spin boxes' own "editingFinished" would wait for focus to leave; every step applies.
    connect(m_size, &QSpinBox::valueChanged, this, &StoragePage::apply);
    connect(m_age, &QSpinBox::valueChanged, this, &StoragePage::apply);
    connect(m_clear, &QPushButton::clicked, this, &StoragePage::clearCache);
    if (cache)
        connect(cache, &MessageCache::cleared, this, &StoragePage::refresh);
    refresh();
}

void StoragePage::apply()
{
    MessageCache::Limits limits;
    limits.maxBytes = qint64(m_size->value()) * MiB;
    limits.maxAgeDays = m_age->value();
    m_settings->setCacheLimits(limits);
    if (m_cache)
        m_cache->setLimits(limits);
    refresh();
}

void StoragePage::refresh()
{
    if (!m_cache || !m_cache->isOpen()) {
        m_current->setText(tr("No cache (it could not be opened)"));
        return;
    }
    m_current->setText(
        QLocale().formattedDataSize(m_cache->sizeBytes(), 1, QLocale::DataSizeTraditionalFormat));
}

void StoragePage::clearCache()
{
    if (!m_cache)
        return;
    if (!Confirmation::ask(this, tr("Clear Cache"),
                           tr("Forget every message kept on this computer, of every server? Messages "
                              "on screen stay until you leave the room; the server still has what it "
                              "keeps."),
                           tr("Clear Cache")))
        return;
    m_cache->clear();
    refresh();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "appearancepage.h"

#include "messageview.h"
#include "theme.h"

#include <QComboBox>
#include <QFormLayout>
#include <QSpinBox>

#include <cmath>

AppearancePage::AppearancePage(Theme *theme, MessageView *view, QWidget *parent)
    : QWidget(parent)
    , m_theme(new QComboBox)
    , m_size(new QSpinBox)
{
    setObjectName(QStringLiteral("appearancePage"));
    m_theme->addItem(tr("Follow the system"), int(Theme::Choice::System));
    m_theme->addItem(tr("Light"), int(Theme::Choice::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Choice::Dark));
    m_theme->setAccessibleName(tr("Theme"));
    m_theme->setCurrentIndex(m_theme->findData(int(theme->choice())));
    connect(m_theme, &QComboBox::activated, theme,
            [this, theme](int index) { theme->setChoice(Theme::Choice(m_theme->itemData(index).toInt())); });
    connect(theme, &Theme::choiceChanged, m_theme,
            [this](Theme::Choice choice) { m_theme->setCurrentIndex(m_theme->findData(int(choice))); });

    const auto percent = [](qreal scale) {
        return int(std::lround(scale * 100));
    };
    m_size->setRange(percent(MessageView::MinTextScale), percent(MessageView::MaxTextScale));
    m_size->setSingleStep(10);
    m_size->setSuffix(QStringLiteral(" %"));
    m_size->setAccessibleName(tr("Text size of messages"));
    m_size->setToolTip(tr("Also Ctrl+Plus, Ctrl+Minus and Ctrl+0"));
    m_size->setValue(percent(view->textScale()));
    connect(m_size, &QSpinBox::valueChanged, view, [view](int value) { view->setTextScale(value / 100.0); });
    connect(view, &MessageView::textScaleChanged, m_size,
            [this, percent](qreal scale) { m_size->setValue(percent(scale)); });

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Theme:"), m_theme);
    form->addRow(tr("Text &size:"), m_size);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "replybar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

ReplyBar::ReplyBar(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel)
    , m_close(new QToolButton)
{
    setAccessibleName(tr("Reply or edit"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 0, 6, 0);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setMinimumWidth(40);
    m_label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // long previews elide
    layout->addWidget(m_label, 1);
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setAccessibleName(tr("Cancel"));
    m_close->setToolTip(tr("Cancel (Escape)"));
    layout->addWidget(m_close);
    connect(m_close, &QToolButton::clicked, this, &ReplyBar::closeClicked);
    hide();
}

QString ReplyBar::text() const
{
    return m_label->text();
}

void ReplyBar::showText(const QString &text)
{
    m_label->setText(text);
    show();
}

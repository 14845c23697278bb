// SPDX-License-Identifier: GPL-3.0-or-later
#include "aboutdialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Natter"));
    setAccessibleName(tr("About Natter"));
    m_text =
        tr("<h2>Natter %1</h2><p>Chat in rooms over WebSockets, with a connection you can always "
           "see: latency, reconnects and messages waiting to be sent.</p><p>Built with Qt %2, running on "
           "Qt %3.</p>")
            .arg(QStringLiteral(NATTER_VERSION), QStringLiteral(QT_VERSION_STR),
                 QString::fromLatin1(qVersion()));
    auto *label = new QLabel(m_text);
    label->setAccessibleName(tr("About text"));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *icon = new QLabel;
    icon->setAccessibleName(tr("Natter icon"));
    icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(icon, 0, Qt::AlignHCenter);
    layout->addWidget(label);
    layout->addWidget(buttons);
    setMinimumWidth(360);
}

QString AboutDialog::text() const
{
    return m_text;
}

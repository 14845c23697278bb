// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace {
// Set by tests so that no modal dialog ever waits for a user; `nullopt` inside means "cancel".
std::optional<std::optional<ConnectionChoice>> s_nextAnswer;
} // namespace

ConnectDialog::ConnectDialog(const ConnectionChoice &initial, QWidget *parent)
    : QDialog(parent)
    , m_host(new QRadioButton(tr("&Host a chat on this computer")))
    , m_remote(new QRadioButton(tr("&Connect to a server:")))
    , m_url(new QLineEdit)
    , m_otherUrls(new QLineEdit)
    , m_name(new QLineEdit)
    , m_room(new QLineEdit)
    , m_error(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Connect to Natter"));
    setAccessibleName(tr("Connect to Natter"));
    m_host->setAccessibleName(tr("Host a chat on this computer"));
    m_remote->setAccessibleName(tr("Connect to a server"));
    m_url->setAccessibleName(tr("Server address"));
    m_url->setPlaceholderText(QStringLiteral("ws://chat.example.org:8080"));
    m_otherUrls->setAccessibleName(tr("Other addresses of this server"));
    m_otherUrls->setPlaceholderText(QStringLiteral("ws://chat2.example.org:8080, …"));
    m_otherUrls->setToolTip(tr("Further nodes of the same server, separated by commas. When the connection "
                               "fails, Natter tries the next address in turn."));
    m_name->setAccessibleName(tr("Your name"));
    m_name->setMaxLength(64);
    m_room->setAccessibleName(tr("Room"));
    m_error->setAccessibleName(tr("Input problem"));
    m_error->setStyleSheet(QStringLiteral("color: #d03a2f"));
    m_error->setWordWrap(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("C&onnect"));

    m_host->setChecked(initial.hostLocally);
    m_remote->setChecked(!initial.hostLocally);
    m_url->setText(initial.url.toString());
    m_otherUrls->setText(ConnectionChoice::urlsText(initial.otherUrls));
    m_name->setText(initial.username);
    m_room->setText(initial.room);

    auto *form = new QFormLayout;
    form->addRow(m_host);
    form->addRow(m_remote);
    form->addRow(tr("Server &address:"), m_url);
    form->addRow(tr("Other a&ddresses:"), m_otherUrls);
    form->addRow(tr("Your &name:"), m_name);
    form->addRow(tr("&Room:"), m_room);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {m_url, m_otherUrls, m_name, m_room})
        connect(edit, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_remote, &QRadioButton::toggled, this, &ConnectDialog::validate);
    for (QLineEdit *edit : {m_url, m_otherUrls})
        connect(edit, &QLineEdit::textEdited, this, [this] { m_remote->setChecked(true); });
    validate();
}

ConnectionChoice ConnectDialog::choice() const
{
    ConnectionChoice c;
    c.hostLocally = m_host->isChecked();
    c.url = ConnectionChoice::normalizedUrl(m_url->text());
    if (!c.hostLocally)
        c.otherUrls = ConnectionChoice::normalizedUrls(m_otherUrls->text());
    c.username = m_name->text().trimmed();
    c.room = m_room->text().trimmed();
    return c;
}

QString ConnectDialog::errorText() const
{
    return m_error->text();
}

bool ConnectDialog::isAcceptable() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

void ConnectDialog::validate()
{
    m_url->setEnabled(m_remote->isChecked());
    m_otherUrls->setEnabled(m_remote->isChecked());
    const QString problem = choice().validate();
    m_error->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

std::optional<ConnectionChoice> ConnectDialog::ask(const ConnectionChoice &initial, QWidget *parent)
{
    if (s_nextAnswer) {
        const std::optional<ConnectionChoice> answer = *s_nextAnswer;
        s_nextAnswer.reset();
        return answer;
    }
    ConnectDialog dialog(initial, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.choice();
}

void ConnectDialog::setNextAnswer(const std::optional<ConnectionChoice> &answer)
{
    s_nextAnswer = answer;
}

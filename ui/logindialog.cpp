// SPDX-License-Identifier: GPL-3.0-or-later
#include "logindialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

LoginDialog::LoginDialog(const QString &server, const QString &name, QWidget *parent)
    : QDialog(parent)
    , m_server(new QLabel(server))
    , m_name(new QLineEdit(name))
    , m_password(new QLineEdit)
    , m_error(new QLabel)
    , m_storage(new QFrame)
    , m_storageText(
          new QLabel(tr("No keyring service is running, so Natter cannot store your login safely.")))
    , m_keepInFile(new QPushButton(tr("Keep it in a &file only I can read")))
    , m_keepNothing(new QPushButton(tr("&Do not keep it (log in again next time)")))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel))
    , m_login(m_buttons->addButton(tr("&Log in"), QDialogButtonBox::ActionRole))
    , m_create(m_buttons->addButton(tr("C&reate account"), QDialogButtonBox::ActionRole))
{
    setWindowTitle(tr("Log in to Natter"));
    setAccessibleName(tr("Log in to Natter"));
    m_server->setObjectName(QStringLiteral("server"));
    m_server->setAccessibleName(tr("Server"));
    m_server->setTextFormat(Qt::PlainText);
    m_server->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setAccessibleName(tr("User name"));
    m_name->setMaxLength(64);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMaxLength(1024); // the server's limit
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setAccessibleName(tr("Login problem"));
    m_error->setStyleSheet(QStringLiteral("color: #d03a2f"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText); // it may quote the name the user typed
    m_storage->setObjectName(QStringLiteral("storageChoice"));
    m_storage->setAccessibleName(tr("Where to keep your login"));
    m_storage->setFrameShape(QFrame::StyledPanel);
    m_storageText->setWordWrap(true);
    m_keepInFile->setObjectName(QStringLiteral("keepInFile"));
    m_keepInFile->setAccessibleName(tr("Keep the login in a file only I can read"));
    m_keepNothing->setObjectName(QStringLiteral("keepNothing"));
    m_keepNothing->setAccessibleName(tr("Do not keep the login"));
    m_login->setObjectName(QStringLiteral("login"));
    m_create->setObjectName(QStringLiteral("createAccount"));
    m_create->setAccessibleName(tr("Create account"));
    // Enter means "Log in" wherever the focus is in the form.
    m_login->setDefault(true);
    for (QPushButton *b :
         {m_create, m_keepInFile, m_keepNothing, m_buttons->button(QDialogButtonBox::Cancel)})
        b->setAutoDefault(false);
    m_create->hide();
    m_storage->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("Server:"), m_server);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Password:"), m_password);
    auto *storageLayout = new QVBoxLayout(m_storage);
    storageLayout->addWidget(m_storageText);
    auto *choices = new QHBoxLayout;
    choices->addWidget(m_keepInFile);
    choices->addWidget(m_keepNothing);
    storageLayout->addLayout(choices);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_storage);
    layout->addWidget(m_buttons);
    setTabOrder(m_name, m_password);
    setTabOrder(m_password, m_keepInFile);
    setTabOrder(m_keepInFile, m_keepNothing);
    setTabOrder(m_keepNothing, m_login);
    setTabOrder(m_login, m_create);
    setTabOrder(m_create, m_buttons->button(QDialogButtonBox::Cancel));

    connect(m_login, &QPushButton::clicked, this, [this] { request(false); });
    connect(m_create, &QPushButton::clicked, this, [this] { request(true); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_keepInFile, &QPushButton::clicked, this, [this] { chooseStorage(TokenStore::Policy::File); });
    connect(m_keepNothing, &QPushButton::clicked, this,
            [this] { chooseStorage(TokenStore::Policy::Nothing); });
    for (QLineEdit *edit : {m_name, m_password})
        connect(edit, &QLineEdit::textChanged, this, &LoginDialog::updateButtons);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &LoginDialog::tick);

    (name.isEmpty() ? m_name : m_password)->setFocus();
    updateButtons();
}

QString LoginDialog::userName() const
{
    return m_name->text().trimmed();
}

QString LoginDialog::errorText() const
{
    return m_error->text();
}

void LoginDialog::setRegistrationAllowed(bool allowed)
{
    m_registrationAllowed = allowed;
    m_create->setVisible(allowed);
    updateButtons();
}

void LoginDialog::showWrongCredentials()
{
    showProblem(tr("The name or password is not right."), m_password);
}

void LoginDialog::showNameTaken()
{
    showProblem(tr("The name %1 is taken. Choose another one, or log in if it is yours.").arg(userName()),
                m_name);
}

void LoginDialog::showSessionEnded()
{
    showProblem(tr("Your session ended; log in again."), userName().isEmpty() ? m_name : m_password);
}

void LoginDialog::showSessionExpired()
{
    showProblem(tr("Your session has expired; log in again."), userName().isEmpty() ? m_name : m_password);
}

void LoginDialog::showLoginProblem(ChatClient::LoginProblem problem, const QString &reason,
                                   qint64 retryAfterMs)
{
    using Problem = ChatClient::LoginProblem;
    switch (problem) {
    case Problem::NoCredentials:
        setBusy(false);
        m_error->clear();
        (userName().isEmpty() ? m_name : m_password)->setFocus();
        break;
    case Problem::TokenRejected:
        showSessionExpired();
        break;
    case Problem::SessionEnded:
        showSessionEnded();
        break;
    case Problem::WrongCredentials:
        showWrongCredentials();
        break;
    case Problem::RetryLater:
        showRetryAfter(int((retryAfterMs + 999) / 1000));
        break;
    case Problem::RegistrationClosed:
        setRegistrationAllowed(false);
        showProblem(tr("This server does not let anyone create an account; log in with an existing one."),
                    m_password);
        break;
    case Problem::NameTaken:
        showNameTaken();
        break;
    case Problem::InvalidName:
        showProblem(tr("Choose another name: %1.").arg(reason), m_name);
        break;
    case Problem::InvalidPassword:
        showProblem(tr("A password has 1 to 1,024 bytes; choose another one."), m_password);
        break;
    }
}

void LoginDialog::showError(const QString &message)
{
    showProblem(message, m_password);
}

void LoginDialog::showRetryAfter(int seconds)
{
    m_retryLeft = std::max(seconds, 1);
    setBusy(false);
    m_error->setText(countdownText());
    m_countdown.start();
}

void LoginDialog::tick()
{
    if (m_retryLeft <= 0)
        return;
    --m_retryLeft;
    if (m_retryLeft > 0) {
        m_error->setText(countdownText());
        return;
    }
    m_countdown.stop();
    showProblem(tr("You can try again now."), m_password);
}

void LoginDialog::offerStorageChoice(const QString &reason)
{
    m_storage->setToolTip(reason); // the technical detail, for whoever wants it
    m_storage->show();
    m_keepInFile->setFocus();
}

void LoginDialog::loginSucceeded()
{
    m_succeeded = true;
    m_password->clear();
    setBusy(false);
    m_error->clear();
    if (m_storage->isHidden())
        accept();
}

void LoginDialog::done(int result)
{
    m_password->clear();
    m_countdown.stop();
    QDialog::done(result);
}

void LoginDialog::request(bool createAccount)
{
    if (!m_login->isEnabled()) // Enter in a field while logging in or counting down
        return;
    m_error->clear();
    setBusy(true);
    emit loginRequested(userName(), m_password->text(), createAccount);
}

void LoginDialog::chooseStorage(TokenStore::Policy policy)
{
    m_storage->hide();
    emit storagePolicyChosen(policy);
    if (m_succeeded)
        accept();
    else
        (userName().isEmpty() ? m_name : m_password)->setFocus();
}

void LoginDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_name->setReadOnly(busy);
    m_password->setReadOnly(busy);
    updateButtons();
}

void LoginDialog::updateButtons()
{
    const bool ready = !m_busy && m_retryLeft == 0 && !userName().isEmpty() && !m_password->text().isEmpty();
    m_login->setEnabled(ready);
    m_create->setEnabled(ready);
}

QString LoginDialog::countdownText() const
{
    return tr("Too many attempts. Try again in %n second(s).", nullptr, m_retryLeft);
}

void LoginDialog::showProblem(const QString &text, QLineEdit *next)
{
    setBusy(false);
    m_error->setText(text);
    next->setFocus();
    next->selectAll();
}

// SPDX-License-Identifier: GPL-3.0-or-later
// The login dialog, driven from the keyboard: what it asks the caller to do, and where each of the
// server's answers leaves the user.
#include "apptranslations.h"
#include "logindialog.h"

#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

namespace {

const QString Server = QStringLiteral("ws://chat.example.org:8080");

template<typename T>
T *part(const QDialog &dialog, const char *name)
{
    return dialog.findChild<T *>(QLatin1String(name));
}

} // namespace

class TestLoginDialog : public QObject
{
    Q_OBJECT

private:
    AppTranslations m_translations;

    // Shows `dialog`, types `name` and `password` and presses Enter in the password field.
    static bool typeAndEnter(LoginDialog &dialog, const QString &name, const QString &password)
    {
        dialog.show();
        if (!QTest::qWaitForWindowActive(&dialog))
            return false;
        QLineEdit *nameField = part<QLineEdit>(dialog, "name");
        QLineEdit *passwordField = part<QLineEdit>(dialog, "password");
        nameField->setFocus();
        QTest::keyClicks(nameField, name);
        QTest::keyClick(nameField, Qt::Key_Tab);
        if (dialog.focusWidget() != passwordField)
            return false;
        QTest::keyClicks(passwordField, password);
        QTest::keyClick(passwordField, Qt::Key_Return);
        return true;
    }

private slots:
    void initTestCase() { m_translations.install(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void enterLogsInWithWhatWasTyped()
    {
        LoginDialog dialog(Server);
        QSignalSpy requested(&dialog, &LoginDialog::loginRequested);
        QVERIFY(part<QLabel>(dialog, "server")->text() == Server);
        QVERIFY(!part<QPushButton>(dialog, "login")->isEnabled()); // nothing typed yet
        QVERIFY(typeAndEnter(dialog, QStringLiteral("ana"), QStringLiteral("s3cret pass")));
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first(),
                 (QVariantList{QStringLiteral("ana"), QStringLiteral("s3cret pass"), false}));
        QCOMPARE(part<QLineEdit>(dialog, "password")->echoMode(), QLineEdit::Password);

        // While the server answers, Enter asks nothing more.
        QVERIFY(!part<QPushButton>(dialog, "login")->isEnabled());
        QTest::keyClick(part<QLineEdit>(dialog, "password"), Qt::Key_Return);
        QCOMPARE(requested.count(), 1);

        // Logged in: the password is gone and the dialog closed.
        dialog.loginSucceeded();
        QVERIFY(part<QLineEdit>(dialog, "password")->text().isEmpty());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
    }

    void nameIsGivenAndTrimmed()
    {
        LoginDialog dialog(Server, QStringLiteral("ana"));
        QSignalSpy requested(&dialog, &LoginDialog::loginRequested);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        // A known name: the cursor starts in the password field.
        QCOMPARE(dialog.focusWidget(), part<QLineEdit>(dialog, "password"));
        QTest::keyClicks(part<QLineEdit>(dialog, "name"), QStringLiteral("  "));
        QTest::keyClicks(part<QLineEdit>(dialog, "password"), QStringLiteral("pw"));
        QTest::keyClick(part<QLineEdit>(dialog, "password"), Qt::Key_Enter);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().at(0).toString(), QStringLiteral("ana"));
        QCOMPARE(dialog.userName(), QStringLiteral("ana"));
    }

    void createAccountOnlyWhereAllowed()
    {
        LoginDialog dialog(Server);
        QSignalSpy requested(&dialog, &LoginDialog::loginRequested);
        auto *create = part<QPushButton>(dialog, "createAccount");
        QVERIFY(typeAndEnter(dialog, QStringLiteral("ana"), QStringLiteral("pw")));
        QVERIFY(create->isHidden());
        dialog.showWrongCredentials();

        dialog.setRegistrationAllowed(true);
        QVERIFY(create->isVisible());
        QVERIFY(create->isEnabled());
        create->setFocus();
        QTest::keyClick(create, Qt::Key_Space);
        QCOMPARE(requested.count(), 2);
        QCOMPARE(requested.last(), (QVariantList{QStringLiteral("ana"), QStringLiteral("pw"), true}));

        dialog.setRegistrationAllowed(false);
        QVERIFY(create->isHidden());
    }

    void wrongPasswordSelectsItForRetyping()
    {
        LoginDialog dialog(Server);
        QVERIFY(typeAndEnter(dialog, QStringLiteral("ana"), QStringLiteral("wrong")));
        dialog.showWrongCredentials();
        QCOMPARE(dialog.errorText(), QStringLiteral("The name or password is not right."));
        auto *password = part<QLineEdit>(dialog, "password");
        QCOMPARE(dialog.focusWidget(), password);
        QCOMPARE(password->selectedText(), QStringLiteral("wrong"));
        QVERIFY(part<QPushButton>(dialog, "login")->isEnabled());

        // Typing replaces it, Enter tries again.
        QSignalSpy requested(&dialog, &LoginDialog::loginRequested);
        QTest::keyClicks(password, QStringLiteral("right"));
        QTest::keyClick(password, Qt::Key_Return);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().at(1).toString(), QStringLiteral("right"));
        QVERIFY(dialog.errorText().isEmpty());
    }

    void takenNameSendsTheUserToTheName()
    {
        LoginDialog dialog(Server);
        dialog.setRegistrationAllowed(true);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        QTest::keyClicks(part<QLineEdit>(dialog, "name"), QStringLiteral("ana"));
        QTest::keyClicks(part<QLineEdit>(dialog, "password"), QStringLiteral("pw"));
        part<QPushButton>(dialog, "createAccount")->click();
        dialog.showNameTaken();
        QVERIFY2(dialog.errorText().startsWith(QLatin1String("The name ana is taken.")),
                 qPrintable(dialog.errorText()));
        QCOMPARE(dialog.focusWidget(), part<QLineEdit>(dialog, "name"));
        QCOMPARE(part<QLineEdit>(dialog, "name")->selectedText(), QStringLiteral("ana"));
        QCOMPARE(part<QLabel>(dialog, "error")->textFormat(), Qt::PlainText); // a name is no markup
    }

    void endedSessionAsksForThePassword()
    {
        LoginDialog dialog(Server, QStringLiteral("ana"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        dialog.showSessionEnded();
        QCOMPARE(dialog.errorText(), QStringLiteral("Your session ended; log in again."));
        QCOMPARE(dialog.focusWidget(), part<QLineEdit>(dialog, "password"));

        LoginDialog nameless(Server);
        nameless.show();
        QVERIFY(QTest::qWaitForWindowActive(&nameless));
        nameless.showSessionEnded();
        QCOMPARE(nameless.focusWidget(), part<QLineEdit>(nameless, "name"));
    }

    void tooManyAttemptsCountsDown()
    {
        LoginDialog dialog(Server);
        QSignalSpy requested(&dialog, &LoginDialog::loginRequested);
        QVERIFY(typeAndEnter(dialog, QStringLiteral("ana"), QStringLiteral("pw")));
        auto *login = part<QPushButton>(dialog, "login");
        auto *password = part<QLineEdit>(dialog, "password");

        dialog.showRetryAfter(3);
        QCOMPARE(dialog.errorText(), QStringLiteral("Too many attempts. Try again in 3 seconds."));
        QVERIFY(!login->isEnabled());
        QTest::keyClick(password, Qt::Key_Return);
        QCOMPARE(requested.count(), 1);

        dialog.tick();
        QCOMPARE(dialog.errorText(), QStringLiteral("Too many attempts. Try again in 2 seconds."));
        QVERIFY(!login->isEnabled());
        dialog.tick();
        QCOMPARE(dialog.errorText(), QStringLiteral("Too many attempts. Try again in 1 second."));
        QVERIFY(!login->isEnabled());
        // Typing meanwhile does not enable it early.
        QTest::keyClicks(password, QStringLiteral("x"));
        QVERIFY(!login->isEnabled());

        dialog.tick();
        QCOMPARE(dialog.errorText(), QStringLiteral("You can try again now."));
        QVERIFY(login->isEnabled());
        QCOMPARE(dialog.focusWidget(), password);
        QTest::keyClick(password, Qt::Key_Return);
        QCOMPARE(requested.count(), 2);

        dialog.tick(); // a late tick changes nothing
        QVERIFY(dialog.errorText().isEmpty());
    }

    void storageChoiceOnlyWhenTheKeyringIsMissing()
    {
        LoginDialog dialog(Server);
        QSignalSpy chosen(&dialog, &LoginDialog::storagePolicyChosen);
        auto *storage = part<QFrame>(dialog, "storageChoice");
        QVERIFY(typeAndEnter(dialog, QStringLiteral("ana"), QStringLiteral("pw")));
        QVERIFY(storage->isHidden());

        // The token came, the keyring could not take it: the dialog stays to ask where it goes.
        dialog.offerStorageChoice(QStringLiteral("No keyring service is running (D-Bus is not running)."));
        dialog.loginSucceeded();
        QVERIFY(dialog.isVisible());
        QVERIFY(storage->isVisible());
        QVERIFY(part<QLineEdit>(dialog, "password")->text().isEmpty());
        const QList<QLabel *> labels = storage->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [](const QLabel *l) {
            return l->text() ==
                   QLatin1String("No keyring service is running, so Natter cannot store your login safely.");
        }));
        auto *keepInFile = part<QPushButton>(dialog, "keepInFile");
        QCOMPARE(dialog.focusWidget(), keepInFile);
        QTest::keyClick(keepInFile, Qt::Key_Space);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().at(0).value<TokenStore::Policy>(), TokenStore::Policy::File);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
    }

    void storageChoiceBeforeLoggingIn()
    {
        // Known before logging in (the keyring failed to load a token): choose, then log in.
        LoginDialog dialog(Server, QStringLiteral("ana"));
        QSignalSpy chosen(&dialog, &LoginDialog::storagePolicyChosen);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        dialog.offerStorageChoice();
        auto *keepNothing = part<QPushButton>(dialog, "keepNothing");
        keepNothing->setFocus();
        QTest::keyClick(keepNothing, Qt::Key_Space);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().at(0).value<TokenStore::Policy>(), TokenStore::Policy::Nothing);
        QVERIFY(dialog.isVisible());
        QVERIFY(part<QFrame>(dialog, "storageChoice")->isHidden());
        QCOMPARE(dialog.focusWidget(), part<QLineEdit>(dialog, "password"));
    }

    // What ChatClient::loginRequired says, in the dialog: the words, and where the focus goes.
    void eachLoginProblemLeavesOneNextStep()
    {
        using Problem = ChatClient::LoginProblem;
        struct Case
        {
            Problem problem;
            QString text; // the start of the message; empty for none
            const char *focus;
        };
        const QList<Case> cases{
            {Problem::NoCredentials, QString(), "password"},
            {Problem::TokenRejected, QStringLiteral("Your session has expired; log in again."), "password"},
            {Problem::SessionEnded, QStringLiteral("Your session ended; log in again."), "password"},
            {Problem::WrongCredentials, QStringLiteral("The name or password is not right."), "password"},
            {Problem::NameTaken, QStringLiteral("The name ana is taken."), "name"},
            {Problem::InvalidName, QStringLiteral("Choose another name: "), "name"},
            {Problem::InvalidPassword, QStringLiteral("A password has 1 to 1,024 bytes"), "password"},
            {Problem::RegistrationClosed, QStringLiteral("This server does not let anyone create an account"),
             "password"},
        };
        for (const Case &c : cases) {
            LoginDialog dialog(Server, QStringLiteral("ana"));
            dialog.setRegistrationAllowed(true);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowActive(&dialog));
            part<QWidget>(dialog, "name")->setFocus();
            dialog.showLoginProblem(c.problem, QStringLiteral("the reason"), 0);
            const QByteArray what = QByteArray::number(int(c.problem));
            if (c.text.isEmpty())
                QVERIFY2(dialog.errorText().isEmpty(), what.constData());
            else
                QVERIFY2(dialog.errorText().startsWith(c.text), qPrintable(dialog.errorText()));
            QCOMPARE(dialog.focusWidget()->objectName(), QLatin1String(c.focus));
            // Creating an account is offered for as long as the server allows it.
            QCOMPARE(part<QPushButton>(dialog, "createAccount")->isVisible(),
                     c.problem != Problem::RegistrationClosed);
        }

        LoginDialog dialog(Server, QStringLiteral("ana"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        dialog.showLoginProblem(Problem::RetryLater, QString(), 2500); // rounded up, never down
        QCOMPARE(dialog.errorText(), QStringLiteral("Too many attempts. Try again in 3 seconds."));
    }

    void cancelForgetsThePassword()
    {
        LoginDialog dialog(Server);
        QVERIFY(typeAndEnter(dialog, QStringLiteral("ana"), QStringLiteral("pw")));
        dialog.showWrongCredentials();
        QTest::keyClick(part<QLineEdit>(dialog, "password"), Qt::Key_Escape);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(part<QLineEdit>(dialog, "password")->text().isEmpty());
    }

    void everyInputHasANameAndTabOrderFollowsTheForm()
    {
        LoginDialog dialog(Server);
        dialog.setRegistrationAllowed(true);
        dialog.offerStorageChoice();
        const char *parts[] = {"name", "password", "keepInFile", "keepNothing", "login", "createAccount"};
        for (const char *name : parts) {
            auto *w = part<QWidget>(dialog, name);
            QVERIFY2(w, name);
            QVERIFY2(!w->accessibleName().isEmpty() || !w->property("text").toString().isEmpty(), name);
        }
        QWidget *w = part<QWidget>(dialog, "name");
        for (size_t i = 1; i < std::size(parts); ++i) {
            w = w->nextInFocusChain();
            while (w->focusPolicy() == Qt::NoFocus)
                w = w->nextInFocusChain();
            QCOMPARE(w->objectName(), QLatin1String(parts[i]));
        }
    }
};

QTEST_MAIN(TestLoginDialog)
#include "tst_logindialog.moc"

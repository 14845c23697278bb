// SPDX-License-Identifier: GPL-3.0-or-later
// Light, dark and "follow the system" (issue 16): the palettes' contrast, the switch from the View
// menu repainting the window, and the desktop's preference followed as it changes.
#include "appearancepage.h"
#include "appsettings.h"
#include "chatclient.h"
#include "clientfixture.h"
#include "mainwindow.h"
#include "messageview.h"
#include "notificationspage.h"
#include "preferencesdialog.h"
#include "theme.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QSpinBox>
#include <QStyle>
#include <QtTest>

#include <memory>

class TestTheme : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // The colour the view paints where no message is: its base, as the user sees it.
    static QColor backgroundOf(QWidget *view)
    {
        const QImage shot = view->grab().toImage();
        return shot.pixelColor(shot.width() / 2, shot.height() - 4);
    }

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_theme"));
        QVERIFY(m_dir.isValid());
    }

    void contrastIsComputedAsWcagDefinesIt()
    {
        QCOMPARE(Theme::contrast(Qt::black, Qt::white), 21.0);
        QCOMPARE(Theme::contrast(Qt::white, Qt::black), 21.0);
        QCOMPARE(Theme::contrast(QColor(0x77, 0x77, 0x77), QColor(0x77, 0x77, 0x77)), 1.0);
        // #767676 on white is the classic just-passing grey (4.54:1).
        QVERIFY(qAbs(Theme::contrast(QColor(0x76, 0x76, 0x76), Qt::white) - 4.54) < 0.01);
    }

    void bothThemesReadWell_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void bothThemesReadWell()
    {
        QFETCH(bool, dark);
        const QPalette palette = Theme::palette(dark);
        QVERIFY((palette.color(QPalette::Base).lightness() < 64) == dark);
        const auto pairs = Theme::textPairs(palette);
        QVERIFY(pairs.size() >= 8);
        for (const auto &[name, colours] : pairs) {
            const double ratio = Theme::contrast(colours.first, colours.second);
            QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("%1: %2:1").arg(name).arg(ratio, 0, 'f', 2)));
        }
    }

    void theViewMenuSwitchesThemesAndTheChoiceIsKept()
    {
        const QString platformStyle = QApplication::style()->name();
        const QPalette platform = QApplication::palette();
        ChatClient client(fastClientSettings(m_dir, QStringLiteral("alice")));
        AppSettings settings;
        auto window = std::make_unique<MainWindow>(&client, &settings);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        MessageView *view = window->messageView();
        QVERIFY(!window->theme()->isDark()); // offscreen: a light platform, no portal

        window->findChild<QAction *>(QStringLiteral("themeDarkAction"))->trigger();
        QVERIFY(window->theme()->isDark());
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        QCOMPARE(QApplication::palette().color(QPalette::Base), Theme::palette(true).color(QPalette::Base));
        QTRY_COMPARE(view->palette().color(QPalette::Base), Theme::palette(true).color(QPalette::Base));
        QTRY_VERIFY(backgroundOf(view->viewport()).lightness() < 64);
        QCOMPARE(settings.theme(), int(Theme::Choice::Dark));

        // A new window (the next run) starts dark.
        window.reset();
        window = std::make_unique<MainWindow>(&client, &settings);
        QVERIFY(window->theme()->isDark());
        QVERIFY(window->findChild<QAction *>(QStringLiteral("themeDarkAction"))->isChecked());

        window->findChild<QAction *>(QStringLiteral("themeLightAction"))->trigger();
        QVERIFY(!window->theme()->isDark());
        QCOMPARE(QApplication::palette().color(QPalette::Text), Theme::palette(false).color(QPalette::Text));

        // Following the system: the desktop's preference, as the portal reports it changing.
        window->findChild<QAction *>(QStringLiteral("themeSystemAction"))->trigger();
        QVERIFY(!window->theme()->isDark());
        QCOMPARE(QApplication::style()->name(), platformStyle); // a light desktop keeps its own look
        QCOMPARE(QApplication::palette().color(QPalette::Base), platform.color(QPalette::Base));
        window->theme()->setSystemPrefersDark(true);
        QVERIFY(window->theme()->isDark());
        QCOMPARE(QApplication::palette().color(QPalette::Base), Theme::palette(true).color(QPalette::Base));
        window->theme()->setSystemPrefersDark(false);
        QCOMPARE(QApplication::palette().color(QPalette::Base), platform.color(QPalette::Base));
        QCOMPARE(settings.theme(), int(Theme::Choice::System));
    }

    // Preferences → Appearance and → Notifications change what the View menu changes, both ways.
    void preferencesFollowTheViewMenu()
    {
        ChatClient client(fastClientSettings(m_dir, QStringLiteral("alice")));
        AppSettings settings;
        MainWindow window(&client, &settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.findChild<QAction *>(QStringLiteral("preferencesAction"))->trigger();
        PreferencesDialog *dialog = window.preferencesDialog();
        QVERIFY(dialog);
        auto *appearance = qobject_cast<AppearancePage *>(dialog->page(QStringLiteral("appearancePage")));
        auto *notifications =
            qobject_cast<NotificationsPage *>(dialog->page(QStringLiteral("notificationsPage")));
        QVERIFY(appearance && notifications);

        QComboBox *theme = appearance->themeChoice();
        theme->setCurrentIndex(theme->findData(int(Theme::Choice::Dark)));
        emit theme->activated(theme->currentIndex()); // as a user's pick does
        QVERIFY(window.theme()->isDark());
        QVERIFY(window.findChild<QAction *>(QStringLiteral("themeDarkAction"))->isChecked());
        QCOMPARE(settings.theme(), int(Theme::Choice::Dark));
        window.findChild<QAction *>(QStringLiteral("themeSystemAction"))->trigger();
        QCOMPARE(theme->currentData().toInt(), int(Theme::Choice::System));

        appearance->textSize()->setValue(150);
        QCOMPARE(window.messageView()->textScale(), 1.5);
        QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(appearance->textSize()->value(), 100);

        QAction *dnd = window.doNotDisturbAction();
        notifications->doNotDisturb()->setChecked(true);
        QVERIFY(dnd->isChecked());
        QVERIFY(settings.doNotDisturb());
        dnd->trigger();
        QVERIFY(!notifications->doNotDisturb()->isChecked());
        QVERIFY(!settings.doNotDisturb());
        dialog->close();
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "filenamesanitizer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

//! Names from other people become safe, single, visible, bounded file names that never replace
//! an existing file.
class TestFileNameSanitizer : public QObject
{
    Q_OBJECT

private slots:
    void sanitize_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "photo.jpg"
                               << "photo.jpg";
        QTest::newRow("unicode kept")
            << QStringLiteral("Grüße – 写真.png") << QStringLiteral("Grüße – 写真.png");
        QTest::newRow("traversal") << "../../etc/passwd"
                                   << "passwd";
        QTest::newRow("absolute") << "/etc/shadow"
                                  << "shadow";
        QTest::newRow("windows traversal") << "..\\..\\Windows\\system.ini"
                                           << "system.ini";
        QTest::newRow("drive") << "C:\\boot.ini"
                               << "boot.ini";
        QTest::newRow("trailing slash") << "dir/"
                                        << "file";
        QTest::newRow("dot") << "."
                             << "file";
        QTest::newRow("dotdot") << ".."
                                << "file";
        QTest::newRow("empty") << ""
                               << "file";
        QTest::newRow("spaces only") << "   "
                                     << "file";
        QTest::newRow("hidden") << ".bashrc"
                                << "bashrc";
        QTest::newRow("many dots") << "...hidden.txt"
                                   << "hidden.txt";
        QTest::newRow("trailing dots and spaces") << "report.pdf. . "
                                                  << "report.pdf";
        QTest::newRow("device") << "CON"
                                << "_CON";
        QTest::newRow("device lower with ext") << "nul.txt"
                                               << "_nul.txt";
        QTest::newRow("device com") << "com1.log"
                                    << "_com1.log";
        QTest::newRow("not a device") << "console.txt"
                                      << "console.txt";
        QTest::newRow("control chars") << QStringLiteral("a\nb\tc\x01.txt") << QStringLiteral("a_b_c_.txt");
        QTest::newRow("NUL char") << QStringLiteral("evil") + QChar(0) + QStringLiteral(".sh")
                                  << QStringLiteral("evil_.sh");
        QTest::newRow("DEL and C1") << QStringLiteral("x\x7f\u0085y") << QStringLiteral("x__y");
        QTest::newRow("bidi override")
            << QStringLiteral("invoice\u202Efdp.exe") << QStringLiteral("invoicefdp.exe");
        QTest::newRow("windows reserved") << "a<b>c:d\"e|f?g*h"
                                          << "a_b_c_d_e_f_g_h";
    }

    void sanitize()
    {
        QFETCH(QString, raw);
        QFETCH(QString, expected);
        QCOMPARE(FileNameSanitizer::sanitize(raw), expected);
    }

    void longNamesAreBoundedAndKeepTheirExtension()
    {
        const QString longName = QString(500, QLatin1Char('a')) + QStringLiteral(".tar.gz");
        const QString s = FileNameSanitizer::sanitize(longName);
        QVERIFY(s.toUtf8().size() <= FileNameSanitizer::MaxBytes);
        QVERIFY(s.endsWith(QLatin1String(".tar.gz")));
        QVERIFY(s.startsWith(QLatin1String("aaaa")));

        // Multi-byte characters are never cut in half: 95 x 2 bytes + 4 + 4 would pass 196.
        const QString wide =
            QString(95, QChar(0x00e9)) + QStringLiteral("\U0001F600\U0001F600\U0001F600.txt");
        QCOMPARE(FileNameSanitizer::sanitize(wide),
                 QString(95, QChar(0x00e9)) + QStringLiteral("\U0001F600.txt"));
        // Never hidden or empty after cutting.
        const QString dots =
            FileNameSanitizer::sanitize(QString(300, QLatin1Char('.')) + QStringLiteral("x"), 20);
        QCOMPARE(dots, QStringLiteral("x"));
    }

    void numberedNames()
    {
        QCOMPARE(FileNameSanitizer::numbered(QStringLiteral("report.pdf"), 0), QStringLiteral("report.pdf"));
        QCOMPARE(FileNameSanitizer::numbered(QStringLiteral("report.pdf"), 1),
                 QStringLiteral("report (1).pdf"));
        QCOMPARE(FileNameSanitizer::numbered(QStringLiteral("backup.tar.gz"), 2),
                 QStringLiteral("backup (2).tar.gz"));
        QCOMPARE(FileNameSanitizer::numbered(QStringLiteral("README"), 3), QStringLiteral("README (3)"));
    }

    void unusedNameNeverPicksAnExistingFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QDir d(dir.path());
        QCOMPARE(FileNameSanitizer::unusedName(d, QStringLiteral("a.txt")), QStringLiteral("a.txt"));
        for (const char *name : {"a.txt", "a (1).txt"}) {
            QFile f(d.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QCOMPARE(FileNameSanitizer::unusedName(d, QStringLiteral("a.txt")), QStringLiteral("a (2).txt"));
        // A dangling symlink is taken too: a new file must not be written through it.
        QVERIFY(QFile::link(d.filePath(QStringLiteral("nowhere")), d.filePath(QStringLiteral("b.txt"))));
        QCOMPARE(FileNameSanitizer::unusedName(d, QStringLiteral("b.txt")), QStringLiteral("b (1).txt"));
    }
};

QTEST_GUILESS_MAIN(TestFileNameSanitizer)
#include "tst_filenamesanitizer.moc"

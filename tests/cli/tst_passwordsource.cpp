// SPDX-License-Identifier: GPL-3.0-or-later
// natter-cli's password from --password-file or NATTER_PASSWORD: what is taken, and what is refused.
#include "passwordsource.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/types.h>

class TestPasswordSource : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content, mode_t mode = 0600)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            return {};
        file.close();
        ::chmod(QFile::encodeName(path).constData(), mode);
        return path;
    }

private slots:
    void firstLineOfAPrivateFile_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("password");
        QTest::newRow("line") << QByteArray("s3cret\n") << QStringLiteral("s3cret");
        QTest::newRow("no newline") << QByteArray("s3cret") << QStringLiteral("s3cret");
        QTest::newRow("crlf") << QByteArray("s3cret\r\n") << QStringLiteral("s3cret");
        QTest::newRow("more lines") << QByteArray("first\nsecond\n") << QStringLiteral("first");
        QTest::newRow("spaces kept") << QByteArray(" a b \n") << QStringLiteral(" a b ");
        QTest::newRow("utf-8") << QByteArray("pässwörd\n") << QStringLiteral("pässwörd");
        QTest::newRow("longest") << QByteArray(1024, 'p') + "\r\n" << QString(1024, QLatin1Char('p'));
    }

    void firstLineOfAPrivateFile()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, password);
        const QString path = write(QStringLiteral("pw"), content);
        QString error;
        QCOMPARE(PasswordSource::fromFile(path, &error), std::optional<QString>(password));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void unusableFilesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("message");
        QTest::newRow("world-readable")
            << QByteArray("pw\n") << 0644 << QStringLiteral("is open to others (mode 0644); run chmod 600");
        QTest::newRow("group-readable") << QByteArray("pw\n") << 0640 << QStringLiteral("(mode 0640)");
        QTest::newRow("group-writable") << QByteArray("pw\n") << 0620 << QStringLiteral("(mode 0620)");
        QTest::newRow("empty file") << QByteArray() << 0600 << QStringLiteral("is empty");
        QTest::newRow("empty line") << QByteArray("\nsecond\n") << 0600 << QStringLiteral("is empty");
        QTest::newRow("too long") << QByteArray(1025, 'p') << 0600
                                  << QStringLiteral("longer than 1024 bytes");
        QTest::newRow("much too long") << QByteArray(5000, 'p') + "\n"
                                       << 0600 << QStringLiteral("longer than 1024 bytes");
        QTest::newRow("not utf-8") << QByteArray("p\xffw\n") << 0600 << QStringLiteral("not UTF-8");
    }

    void unusableFilesAreRefused()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, mode);
        QFETCH(QString, message);
        const QString path = write(QStringLiteral("pw"), content, mode_t(mode));
        QString error;
        QCOMPARE(PasswordSource::fromFile(path, &error), std::nullopt);
        QVERIFY2(error.contains(message) && error.contains(path), qPrintable(error));
    }

    void missingFileAndDirectoryAreRefused()
    {
        QString error;
        QCOMPARE(PasswordSource::fromFile(m_dir.filePath(QStringLiteral("none")), &error), std::nullopt);
        QVERIFY2(error.startsWith(QLatin1String("cannot read password file")), qPrintable(error));
        QCOMPARE(PasswordSource::fromFile(m_dir.path(), &error), std::nullopt);
        QVERIFY(!error.isEmpty());
    }

    void fileBeforeEnvironment()
    {
        QProcessEnvironment env;
        QString error;
        QCOMPARE(PasswordSource::read(QString(), env, &error), std::nullopt);
        QVERIFY(error.isEmpty()); // nothing given: no password, no complaint

        env.insert(QStringLiteral("NATTER_PASSWORD"), QStringLiteral("from env"));
        QCOMPARE(PasswordSource::read(QString(), env, &error),
                 std::optional<QString>(QStringLiteral("from env")));
        const QString path = write(QStringLiteral("pw"), "from file\n");
        QCOMPARE(PasswordSource::read(path, env, &error),
                 std::optional<QString>(QStringLiteral("from file")));

        env.insert(QStringLiteral("NATTER_PASSWORD"), QString());
        QCOMPARE(PasswordSource::read(QString(), env, &error), std::nullopt);
        QVERIFY2(error.contains(QLatin1String("NATTER_PASSWORD is empty")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPasswordSource)
#include "tst_passwordsource.moc"

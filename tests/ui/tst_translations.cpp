// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's translations: German under a German locale, English plurals, English for
// locales Natter has no translation for, and a German .ts file with nothing left untranslated.
#include "apptranslations.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

namespace {

QString translate(const char *context, const char *text, int n = -1)
{
    return QCoreApplication::translate(context, text, nullptr, n);
}

// The placeholders of a text (%1..%99, %n, %L1), sorted, so order changes in a translation pass.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?(\\d{1,2}|n)"));
    QStringList found;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text))
        found << match.captured(0);
    found.sort();
    return found;
}

struct TsMessage
{
    QString context;
    QString source;
    bool numerus = false;
    QString translationType;  // "unfinished", "vanished", "obsolete" or empty
    QStringList translations; // one per numerus form, or the one translation
};

QList<TsMessage> readTs(const QString &path, QString *language)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<TsMessage> messages;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const QStringView name = xml.name();
        if (name == QLatin1String("TS")) {
            *language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current = TsMessage{};
            current.context = context;
            current.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            current.translationType = xml.attributes().value(QLatin1String("type")).toString();
            if (current.numerus) {
                while (xml.readNextStartElement())
                    current.translations << xml.readElementText();
            } else {
                current.translations << xml.readElementText();
            }
            messages << current;
        }
    }
    return xml.hasError() ? QList<TsMessage>{} : messages;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

    AppTranslations m_translations;

private slots:
    void germanLocaleGivesGerman()
    {
        QCOMPARE(m_translations.install(QLocale(QLocale::German, QLocale::Germany)), QStringLiteral("de"));
        QCOMPARE(translate("MainWindow", "&View"), QStringLiteral("&Ansicht"));
        QCOMPARE(translate("MainWindow", "&Chat"), QStringLiteral("&Chat"));
        QCOMPARE(translate("RoomListModel", "%1, %n unread", 1), QStringLiteral("%1, 1 ungelesen"));
        QCOMPARE(translate("RoomListModel", "%1, %n unread", 5), QStringLiteral("%1, 5 ungelesen"));
        QCOMPARE(translate("ConnectionStatus", "%n message(s) queued", 1),
                 QStringLiteral("1 Nachricht in der Warteschlange"));
        QCOMPARE(translate("ConnectionStatus", "%n message(s) queued", 5),
                 QStringLiteral("5 Nachrichten in der Warteschlange"));
        // Austrian and Swiss German fall back to German, not to English.
        QCOMPARE(m_translations.install(QLocale(QLocale::German, QLocale::Austria)), QStringLiteral("de"));
        QCOMPARE(translate("MainWindow", "&View"), QStringLiteral("&Ansicht"));
    }

    // Qt's own texts (the standard buttons of every dialog) come in the same language, from
    // Debian's qt6-translations-l10n, which the package recommends and CI installs.
    void germanHasQtsOwnButtonsToo()
    {
        QCOMPARE(m_translations.install(QLocale(QLocale::German, QLocale::Germany)), QStringLiteral("de"));
        QCOMPARE(translate("QPlatformTheme", "Close"), QStringLiteral("Schließen"));
        QCOMPARE(translate("QPlatformTheme", "Cancel"), QStringLiteral("Abbrechen"));
        // English has no file for Qt: the source texts are already English.
        QCOMPARE(m_translations.install(QLocale(QLocale::English)), QStringLiteral("en"));
        QCOMPARE(translate("QPlatformTheme", "Close"), QStringLiteral("Close"));
    }

    void englishHasRealPlurals()
    {
        QCOMPARE(m_translations.install(QLocale(QLocale::English, QLocale::UnitedKingdom)),
                 QStringLiteral("en"));
        QCOMPARE(translate("ConnectionStatus", "%n message(s) queued", 1),
                 QStringLiteral("1 message queued"));
        QCOMPARE(translate("ConnectionStatus", "%n message(s) queued", 0),
                 QStringLiteral("0 messages queued"));
        QCOMPARE(translate("ConnectionStatus", "%n message(s) queued", 5),
                 QStringLiteral("5 messages queued"));
        QCOMPARE(translate("MainWindow", "&View"), QStringLiteral("&View"));
    }

    void unknownLocaleFallsBackToEnglish()
    {
        QCOMPARE(m_translations.install(QLocale(QLocale::Japanese, QLocale::Japan)), QStringLiteral("en"));
        QCOMPARE(translate("MainWindow", "&View"), QStringLiteral("&View"));
        QCOMPARE(translate("ConnectionStatus", "%n message(s) queued", 1),
                 QStringLiteral("1 message queued"));
        // Installing again replaces the earlier translation instead of stacking on it.
        m_translations.install(QLocale(QLocale::German));
        m_translations.install(QLocale(QLocale::Japanese));
        QCOMPARE(translate("MainWindow", "&View"), QStringLiteral("&View"));
    }

    void systemLocaleIsFollowed()
    {
        // QLocale::system() reads LANGUAGE, LC_ALL, LC_MESSAGES and LANG, and the app installs
        // exactly that locale. ctest runs this once more as tst_translations_system_de, under
        // LANG=de_DE.UTF-8; the C locale of the other runs gets English.
        QByteArray expected = qgetenv("NATTER_TEST_SYSTEM_LANGUAGE");
        if (expected.isEmpty())
            expected = "en";
        QCOMPARE(m_translations.install(QLocale::system()), QString::fromLatin1(expected));
        QCOMPARE(translate("MainWindow", "&View"),
                 expected == "de" ? QStringLiteral("&Ansicht") : QStringLiteral("&View"));
    }

    void everyGermanMessageIsTranslated()
    {
        QString language;
        const QList<TsMessage> messages =
            readTs(QStringLiteral(NATTER_TRANSLATIONS_DIR "/natter_de.ts"), &language);
        QCOMPARE(language, QStringLiteral("de_DE"));
        QVERIFY(messages.size() > 100);
        for (const TsMessage &message : messages) {
            const QString where = message.context + QStringLiteral(": ") + message.source;
            QVERIFY2(message.translationType.isEmpty(), qPrintable(where));
            QCOMPARE(message.translations.size(), message.numerus ? 2 : 1);
            for (const QString &translation : message.translations) {
                QVERIFY2(!translation.trimmed().isEmpty(), qPrintable(where));
                QVERIFY2(placeholders(translation) == placeholders(message.source),
                         qPrintable(where + QStringLiteral(" -> ") + translation));
            }
        }
        // Every one of them made it into the embedded .qm.
        QVERIFY(QFile::exists(AppTranslations::qmFile(QStringLiteral("de"))));
    }

    void everyEnglishPluralHasBothForms()
    {
        QString language;
        const QList<TsMessage> messages =
            readTs(QStringLiteral(NATTER_TRANSLATIONS_DIR "/natter_en.ts"), &language);
        QCOMPARE(language, QStringLiteral("en_US"));
        int plurals = 0;
        for (const TsMessage &message : messages) {
            if (!message.numerus)
                continue;
            ++plurals;
            const QString where = message.context + QStringLiteral(": ") + message.source;
            QVERIFY2(message.translationType.isEmpty(), qPrintable(where));
            QCOMPARE(message.translations.size(), 2);
            for (const QString &translation : message.translations) {
                QVERIFY2(!translation.contains(QLatin1String("(s)")), qPrintable(where));
                QVERIFY2(placeholders(translation) == placeholders(message.source), qPrintable(where));
            }
        }
        QVERIFY(plurals > 10);
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"

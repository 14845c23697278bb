// SPDX-License-Identifier: GPL-3.0-or-later
#include "apptranslations.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibraryInfo>

namespace {

const QString Prefix = QStringLiteral("natter_");
const QString Directory = QStringLiteral(":/i18n");
const QString Fallback = QStringLiteral("en");

} // namespace

AppTranslations::AppTranslations(QObject *parent)
    : QObject(parent)
{}

AppTranslations::~AppTranslations()
{
    uninstall();
}

QString AppTranslations::qmFile(const QString &language)
{
    return Directory + QLatin1Char('/') + Prefix + language + QStringLiteral(".qm");
}

QString AppTranslations::install(const QLocale &locale)
{
    uninstall();
    // QTranslator tries each of the locale's UI languages ("de-DE", "de", ...) in turn.
    if (!m_app.load(locale, QStringLiteral("natter"), QStringLiteral("_"), Directory) &&
        !m_app.load(qmFile(Fallback)))
        qWarning("natter: no translation in %s", qPrintable(Directory)); // a broken build
    m_language = QFileInfo(m_app.filePath()).completeBaseName().mid(Prefix.size());
    QCoreApplication::installTranslator(&m_app);

    // English needs nothing from Qt; other languages get Qt's translated buttons where the
    // system has them (Debian: qt6-translations-l10n).
    if (m_language != Fallback && m_qt.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                                            QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(&m_qt);
        m_qtInstalled = true;
    }
    return m_language;
}

void AppTranslations::uninstall()
{
    QCoreApplication::removeTranslator(&m_app);
    if (m_qtInstalled)
        QCoreApplication::removeTranslator(&m_qt);
    m_qtInstalled = false;
    m_language.clear();
}

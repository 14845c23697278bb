// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLocale>
#include <QObject>
#include <QTranslator>

//! The desktop app's translation for a locale: natter_<lang>.qm from the embedded :/i18n, with
//! English (which carries the plural forms of the English source texts) where the locale has
//! none, plus Qt's own qtbase_<lang>.qm for the standard dialogs' buttons when installed.
class AppTranslations : public QObject
{
    Q_OBJECT
public:
    explicit AppTranslations(QObject *parent = nullptr);
    ~AppTranslations() override;

    //! Replaces what an earlier call installed; returns the language code loaded ("de", "en").
    QString install(const QLocale &locale);
    //! The language code of the installed translation, empty before install().
    QString language() const { return m_language; }

    //! The embedded .qm file of a language code, e.g. ":/i18n/natter_de.qm".
    static QString qmFile(const QString &language);

private:
    void uninstall();

    QTranslator m_app;
    QTranslator m_qt;
    QString m_language;
    bool m_qtInstalled = false;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

//! The line above the composer while a reply or an edit is being written: what it is about, and a
//! button that cancels it (as Escape does).
class ReplyBar : public QWidget
{
    Q_OBJECT
public:
    explicit ReplyBar(QWidget *parent = nullptr);

    QString text() const;
    QToolButton *closeButton() const { return m_close; }

public slots:
    void showText(const QString &text);

signals:
    void closeClicked();

private:
    QLabel *m_label;
    QToolButton *m_close;
};

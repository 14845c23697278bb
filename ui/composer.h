#pragma once

#include <QPlainTextEdit>

//! The message input: Enter sends, Shift+Enter starts a new line, and every edit by the user
//! reports typing. Grows with its text up to a few lines.
class Composer : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void submitted(const QString &text);
    void typing();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void submit();
    void updateHeight();

    bool m_clearing = false;
};

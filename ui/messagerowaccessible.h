// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagedelegate.h"

#include <QAccessibleInterface>
#include <QCoreApplication>
#include <QList>
#include <QPersistentModelIndex>
#include <QPointer>

class MessageView;

//! One row of a MessageView for assistive technology: a list item named by its sender and text,
//! whose children are the buttons the row paints (MessageButtonAccessible).
class MessageRowAccessible : public QAccessibleInterface
{
    Q_DECLARE_TR_FUNCTIONS(MessageRowAccessible)
public:
    MessageRowAccessible(MessageView *view, const QModelIndex &index);
    ~MessageRowAccessible() override;

    QPersistentModelIndex index() const { return m_index; }
    MessageView *view() const { return m_view; }

    bool isValid() const override;
    QObject *object() const override { return nullptr; }
    QWindow *window() const override;
    QAccessibleInterface *childAt(int x, int y) const override;
    QAccessibleInterface *parent() const override;
    QAccessibleInterface *child(int index) const override;
    int childCount() const override;
    int indexOfChild(const QAccessibleInterface *child) const override;
    QString text(QAccessible::Text t) const override;
    void setText(QAccessible::Text, const QString &) override {}
    QRect rect() const override;
    QAccessible::Role role() const override { return QAccessible::ListItem; }
    QAccessible::State state() const override;

private:
    QPointer<MessageView> m_view;
    QPersistentModelIndex m_index;
    struct Button
    {
        MessageDelegate::Button button;
        QAccessible::Id id;
    };
    // By what each button does (MessageDelegate::Button::sameAs), not its position: a chip added
    // before another must not replace a screen reader's object.
    mutable QList<Button> m_buttons;
};

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagedelegate.h"

#include <QAccessibleInterface>
#include <QPersistentModelIndex>
#include <QPointer>

#include <optional>

class MessageView;

//! A button a MessageView row paints (a transfer's Cancel, the hover bar's Reply, a reaction chip,
//! the quoted reply, a thumbnail), for assistive technology: pressing it does what a click does.
class MessageButtonAccessible : public QAccessibleInterface, public QAccessibleActionInterface
{
public:
    // `row`: the MessageRowAccessible that owns this button.
    MessageButtonAccessible(MessageView *view, const QModelIndex &index,
                            const MessageDelegate::Button &button, QAccessible::Id row);

    const MessageDelegate::Button &button() const { return m_button; }

    bool isValid() const override;
    QObject *object() const override { return nullptr; }
    QWindow *window() const override;
    QAccessibleInterface *childAt(int, int) const override { return nullptr; }
    QAccessibleInterface *parent() const override;
    QAccessibleInterface *child(int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface *) const override { return -1; }
    QString text(QAccessible::Text t) const override;
    void setText(QAccessible::Text, const QString &) override {}
    QRect rect() const override;
    QAccessible::Role role() const override { return QAccessible::Button; }
    QAccessible::State state() const override;
    void *interface_cast(QAccessible::InterfaceType type) override;

    QStringList actionNames() const override;
    void doAction(const QString &actionName) override;
    QStringList keyBindingsForAction(const QString &) const override { return {}; }

private:
    // The button as the row paints it now; nothing when the row no longer offers it.
    std::optional<MessageDelegate::Button> current() const;

    QPointer<MessageView> m_view;
    QPersistentModelIndex m_index;
    MessageDelegate::Button m_button;
    QAccessible::Id m_row; // asked for, not looked up: a getter must not create or delete rows
};

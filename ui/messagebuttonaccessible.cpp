// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagebuttonaccessible.h"

#include "messagemodel.h"
#include "messageview.h"

MessageButtonAccessible::MessageButtonAccessible(MessageView *view, const QModelIndex &index,
                                                 const MessageDelegate::Button &button, QAccessible::Id row)
    : m_view(view)
    , m_index(index)
    , m_button(button)
    , m_row(row)
{}

std::optional<MessageDelegate::Button> MessageButtonAccessible::current() const
{
    if (!m_view || !m_index.isValid())
        return std::nullopt;
    for (const MessageDelegate::Button &b : m_view->buttons(m_index)) {
        if (b.sameAs(m_button))
            return b;
    }
    return std::nullopt;
}

bool MessageButtonAccessible::isValid() const
{
    return current().has_value();
}

QWindow *MessageButtonAccessible::window() const
{
    return m_view ? m_view->window()->windowHandle() : nullptr;
}

QAccessibleInterface *MessageButtonAccessible::parent() const
{
    return QAccessible::accessibleInterface(m_row);
}

QString MessageButtonAccessible::text(QAccessible::Text t) const
{
    if (!m_index.isValid())
        return {};
    switch (t) {
    case QAccessible::Name:
        return MessageDelegate::buttonName(m_index, m_button);
    case QAccessible::Description:
        return MessageDelegate::buttonDescription(m_index, m_button);
    default:
        return {};
    }
}

QRect MessageButtonAccessible::rect() const
{
    const std::optional<MessageDelegate::Button> b = current();
    if (!b)
        return {};
    return QRect(m_view->viewport()->mapToGlobal(b->rect.topLeft()), b->rect.size());
}

QAccessible::State MessageButtonAccessible::state() const
{
    QAccessible::State state;
    const std::optional<MessageDelegate::Button> b = current();
    if (!b) {
        state.invalid = true;
        return state;
    }
    // Scrolled away: pressing still works (the view scrolls to it first).
    state.offscreen = !b->rect.intersects(m_view->viewport()->rect());
    if (b->kind == MessageDelegate::Button::Kind::Reaction) {
        state.checkable = true;
        state.checked = m_index.data(MessageModel::OwnReactionsRole).toStringList().contains(b->emoji);
    }
    if (b->kind == MessageDelegate::Button::Kind::Action && b->action == MessageDelegate::RowAction::React)
        state.hasPopup = true;
    return state;
}

void *MessageButtonAccessible::interface_cast(QAccessible::InterfaceType type)
{
    if (type == QAccessible::ActionInterface)
        return static_cast<QAccessibleActionInterface *>(this);
    return nullptr;
}

QStringList MessageButtonAccessible::actionNames() const
{
    if (m_button.kind == MessageDelegate::Button::Kind::Reaction)
        return {pressAction(), toggleAction()};
    return {pressAction()};
}

void MessageButtonAccessible::doAction(const QString &actionName)
{
    if (!m_view || !actionNames().contains(actionName))
        return;
    m_view->pressButton(m_index, m_button);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagerowaccessible.h"

#include "messagebuttonaccessible.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageview.h"

MessageRowAccessible::MessageRowAccessible(MessageView *view, const QModelIndex &index)
    : m_view(view)
    , m_index(index)
{}

MessageRowAccessible::~MessageRowAccessible()
{
    for (const Button &b : std::as_const(m_buttons))
        QAccessible::deleteAccessibleInterface(b.id);
}

bool MessageRowAccessible::isValid() const
{
    return m_view && m_index.isValid() && m_index.model() == m_view->model();
}

QWindow *MessageRowAccessible::window() const
{
    return m_view ? m_view->window()->windowHandle() : nullptr;
}

QAccessibleInterface *MessageRowAccessible::parent() const
{
    return m_view ? QAccessible::queryAccessibleInterface(m_view.data()) : nullptr;
}

int MessageRowAccessible::childCount() const
{
    return isValid() ? int(m_view->buttons(m_index).size()) : 0;
}

QAccessibleInterface *MessageRowAccessible::child(int index) const
{
    if (!isValid())
        return nullptr;
    const QVector<MessageDelegate::Button> buttons = m_view->buttons(m_index);
    if (index < 0 || index >= buttons.size())
        return nullptr;
    for (auto it = m_buttons.begin(); it != m_buttons.end(); ++it) {
        if (!it->button.sameAs(buttons.at(index)))
            continue;
        if (QAccessibleInterface *cached = QAccessible::accessibleInterface(it->id))
            return cached;
        m_buttons.erase(it); // deleted by someone else
        break;
    }
    auto *self = const_cast<MessageRowAccessible *>(this);
    auto *iface =
        new MessageButtonAccessible(m_view, m_index, buttons.at(index), QAccessible::uniqueId(self));
    m_buttons.append({buttons.at(index), QAccessible::registerAccessibleInterface(iface)});
    return iface;
}

int MessageRowAccessible::indexOfChild(const QAccessibleInterface *child) const
{
    const auto *button = dynamic_cast<const MessageButtonAccessible *>(child);
    if (!isValid() || !button || button->parent() != this)
        return -1;
    const QVector<MessageDelegate::Button> buttons = m_view->buttons(m_index);
    for (int i = 0; i < buttons.size(); ++i) {
        if (buttons.at(i).sameAs(button->button()))
            return i;
    }
    return -1;
}

QAccessibleInterface *MessageRowAccessible::childAt(int x, int y) const
{
    if (!isValid())
        return nullptr;
    const QPoint pos = m_view->viewport()->mapFromGlobal(QPoint(x, y));
    const QVector<MessageDelegate::Button> buttons = m_view->buttons(m_index);
    for (int i = 0; i < buttons.size(); ++i) {
        if (buttons.at(i).rect.contains(pos))
            return child(i);
    }
    return nullptr;
}

QString MessageRowAccessible::text(QAccessible::Text t) const
{
    if (!isValid())
        return {};
    const QString sender = m_index.data(MessageModel::SenderRole).toString();
    const bool transfer =
        m_index.data(MessageModel::KindRole).value<MessageModel::Kind>() == MessageModel::Kind::Transfer;
    switch (t) {
    case QAccessible::Name: {
        const QString text = transfer ? m_index.data(MessageModel::FileNameRole).toString()
                                      : MessageDelegate::displayText(m_index);
        return sender.isEmpty() ? text : tr("%1: %2").arg(sender, text);
    }
    case QAccessible::Description:
        if (transfer)
            return m_index.data(MessageModel::TransferStatusRole).toString();
        return m_index.data(Qt::ToolTipRole).toString();
    default:
        return {};
    }
}

QRect MessageRowAccessible::rect() const
{
    if (!isValid())
        return {};
    const QRect rect = m_view->visualRect(m_index);
    return QRect(m_view->viewport()->mapToGlobal(rect.topLeft()), rect.size());
}

QAccessible::State MessageRowAccessible::state() const
{
    QAccessible::State state;
    if (!isValid()) {
        state.invalid = true;
        return state;
    }
    state.focusable = true;
    state.focused = m_view->hasFocus() && m_view->currentIndex() == m_index;
    const QRect rect = m_view->visualRect(m_index);
    state.offscreen = !rect.intersects(m_view->viewport()->rect());
    return state;
}

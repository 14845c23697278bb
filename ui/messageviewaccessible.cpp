// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageviewaccessible.h"

#include "messagerowaccessible.h"
#include "messageview.h"

#include <QLabel>
#include <QPushButton>

MessageViewAccessible::MessageViewAccessible(MessageView *view)
    : QAccessibleWidget(view, QAccessible::List)
{}

MessageViewAccessible::~MessageViewAccessible()
{
    for (const QAccessible::Id id : std::as_const(m_rows))
        QAccessible::deleteAccessibleInterface(id);
}

QAccessibleInterface *MessageViewAccessible::create(const QString &className, QObject *object)
{
    if (className != QLatin1String("MessageView") || !object || !object->isWidgetType())
        return nullptr;
    auto *view = qobject_cast<MessageView *>(object);
    return view ? new MessageViewAccessible(view) : nullptr;
}

MessageView *MessageViewAccessible::view() const
{
    return static_cast<MessageView *>(widget());
}

QList<QWidget *> MessageViewAccessible::overlays() const
{
    QList<QWidget *> shown;
    for (QWidget *w : {static_cast<QWidget *>(view()->newMessagesButton()),
                       static_cast<QWidget *>(view()->firstUnreadButton()),
                       static_cast<QWidget *>(view()->olderIndicator())}) {
        if (w->isVisible())
            shown.append(w);
    }
    return shown;
}

int MessageViewAccessible::childCount() const
{
    const int rows = view()->model() ? view()->model()->rowCount() : 0;
    return rows + int(overlays().size());
}

QAccessibleInterface *MessageViewAccessible::row(int row) const
{
    const QModelIndex index = view()->model()->index(row, 0);
    if (const auto it = m_rows.constFind(row); it != m_rows.cend()) {
        auto *cached = static_cast<MessageRowAccessible *>(QAccessible::accessibleInterface(*it));
        if (cached && cached->index() == index)
            return cached;
        // Rows came or went since: this one stands for another message now.
        QAccessible::deleteAccessibleInterface(*it);
        m_rows.erase(it);
    }
    auto *iface = new MessageRowAccessible(view(), index);
    m_rows.insert(row, QAccessible::registerAccessibleInterface(iface));
    return iface;
}

QAccessibleInterface *MessageViewAccessible::child(int index) const
{
    const int rows = view()->model() ? view()->model()->rowCount() : 0;
    if (index < 0)
        return nullptr;
    if (index < rows)
        return row(index);
    const QList<QWidget *> shown = overlays();
    return index - rows < shown.size() ? QAccessible::queryAccessibleInterface(shown.at(index - rows))
                                       : nullptr;
}

int MessageViewAccessible::indexOfChild(const QAccessibleInterface *child) const
{
    if (!child)
        return -1;
    if (child->role() == QAccessible::ListItem && !child->object()) {
        const auto *r = static_cast<const MessageRowAccessible *>(child);
        if (r->view() == view() && r->index().isValid())
            return r->index().row();
        return -1;
    }
    const int at = int(overlays().indexOf(qobject_cast<QWidget *>(child->object())));
    return at < 0 ? -1 : (view()->model() ? view()->model()->rowCount() : 0) + at;
}

QAccessibleInterface *MessageViewAccessible::childAt(int x, int y) const
{
    const QPoint global(x, y);
    for (QWidget *w : overlays()) {
        if (QRect(w->mapToGlobal(QPoint(0, 0)), w->size()).contains(global))
            return QAccessible::queryAccessibleInterface(w);
    }
    const QModelIndex index = view()->indexAt(view()->viewport()->mapFromGlobal(global));
    return index.isValid() ? row(index.row()) : nullptr;
}

QAccessibleInterface *MessageViewAccessible::focusChild() const
{
    const QModelIndex current = view()->currentIndex();
    if (view()->hasFocus() && current.isValid())
        return row(current.row());
    return QAccessibleWidget::focusChild();
}

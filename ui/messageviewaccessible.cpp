// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageviewaccessible.h"

#include "messagerowaccessible.h"
#include "messageview.h"

#include <QLabel>
#include <QPushButton>

MessageViewAccessible::MessageViewAccessible(MessageView *view)
    : QAccessibleWidget(view, QAccessible::List)
    , m_watcher(std::make_unique<QObject>())
{
    QObject::connect(view, &MessageView::modelChanged, m_watcher.get(), [this] {
        dropGoneRows();
        watchModel();
    });
    watchModel();
}

MessageViewAccessible::~MessageViewAccessible()
{
    m_watcher.reset(); // no more calls into this
    for (const Row &r : std::as_const(m_rows))
        QAccessible::deleteAccessibleInterface(r.id);
}

void MessageViewAccessible::watchModel()
{
    if (m_model)
        QObject::disconnect(m_model, nullptr, m_watcher.get(), nullptr);
    m_model = view()->model();
    if (!m_model)
        return;
    QObject::connect(m_model, &QAbstractItemModel::rowsRemoved, m_watcher.get(), [this] { dropGoneRows(); });
    QObject::connect(m_model, &QAbstractItemModel::modelReset, m_watcher.get(), [this] {
        dropGoneRows();
        // As Qt's own item views' interfaces report it.
        QAccessibleTableModelChangeEvent event(this, QAccessibleTableModelChangeEvent::ModelReset);
        QAccessible::updateAccessibility(&event);
    });
    auto reordered = [this] {
        dropGoneRows();
        QAccessibleEvent event(this, QAccessible::ObjectReorder);
        QAccessible::updateAccessibility(&event);
    };
    QObject::connect(m_model, &QAbstractItemModel::layoutChanged, m_watcher.get(), reordered);
    QObject::connect(m_model, &QAbstractItemModel::rowsMoved, m_watcher.get(), reordered);
}

void MessageViewAccessible::dropGoneRows()
{
    const QAbstractItemModel *model = view()->model();
    for (auto it = m_rows.begin(); it != m_rows.end();) {
        if (it->index.isValid() && it->index.model() == model) {
            ++it;
            continue;
        }
        if (QAccessibleInterface *iface = QAccessible::accessibleInterface(it->id)) {
            QAccessibleEvent event(iface, QAccessible::ObjectDestroyed);
            QAccessible::updateAccessibility(&event);
            QAccessible::deleteAccessibleInterface(it->id);
        }
        it = m_rows.erase(it);
    }
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
    for (auto it = m_rows.begin(); it != m_rows.end(); ++it) {
        if (it->index != index)
            continue;
        if (QAccessibleInterface *cached = QAccessible::accessibleInterface(it->id))
            return cached;
        m_rows.erase(it); // deleted by someone else
        break;
    }
    auto *iface = new MessageRowAccessible(view(), index);
    m_rows.append({QPersistentModelIndex(index), QAccessible::registerAccessibleInterface(iface)});
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
    if (const auto *r = dynamic_cast<const MessageRowAccessible *>(child)) {
        if (r->view() == view() && r->index().isValid() && r->index().model() == view()->model())
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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAccessibleWidget>
#include <QList>
#include <QObject>
#include <QPersistentModelIndex>
#include <QPointer>

#include <memory>

class MessageView;

//! What assistive technology sees of a MessageView: a list whose children are its rows (each a
//! MessageRowAccessible, with the row's painted buttons as its children), then the view's own
//! visible buttons ("N new messages", "First unread"). Qt's accessible list for QListView is
//! private API, so the view's list is built here, the way Qt builds it (a row per model row).
class MessageViewAccessible : public QAccessibleWidget
{
public:
    explicit MessageViewAccessible(MessageView *view);
    ~MessageViewAccessible() override;

    // For QAccessible::installFactory: answers for MessageView, nothing else.
    static QAccessibleInterface *create(const QString &className, QObject *object);

    int childCount() const override;
    QAccessibleInterface *child(int index) const override;
    int indexOfChild(const QAccessibleInterface *child) const override;
    QAccessibleInterface *childAt(int x, int y) const override;
    QAccessibleInterface *focusChild() const override;

private:
    MessageView *view() const;
    QList<QWidget *> overlays() const; // the visible buttons over the rows
    QAccessibleInterface *row(int row) const;
    void watchModel();
    // Deletes the rows whose message is gone (or of another model), telling assistive technology.
    void dropGoneRows();

    struct Row
    {
        QPersistentModelIndex index;
        QAccessible::Id id;
    };
    // By message, not position: rows inserted above must not replace a screen reader's objects.
    // A list scanned by index, as a persistent index's hash changes with its row.
    mutable QList<Row> m_rows;
    std::unique_ptr<QObject> m_watcher; // context of the connections to the view and its model
    QPointer<QAbstractItemModel> m_model;
};

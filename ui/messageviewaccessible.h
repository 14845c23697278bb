// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAccessibleWidget>
#include <QHash>

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

    mutable QHash<int, QAccessible::Id> m_rows; // by row; checked against the row when used
};

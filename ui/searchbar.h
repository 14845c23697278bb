// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class SearchResultsModel;

//! Ctrl+F: a search field over the message view and, under it, what the cache holds that matches,
//! newest first (SearchResultsModel, searched as the user types). Down and Up move between the
//! results, Enter goes to the next one; each result reached asks to be shown (resultChosen).
//! Escape closes the bar.
class SearchBar : public QWidget
{
    Q_OBJECT
public:
    explicit SearchBar(SearchResultsModel *results, QWidget *parent = nullptr);

    QLineEdit *field() const { return m_field; }
    QListView *resultsView() const { return m_list; }
    QLabel *status() const { return m_status; }

public slots:
    void open();           // shows the bar with the field focused and its text selected
    void close();          // hides it (the results stay for the next open)
    void moveBy(int step); // to the next (+1) or previous (-1) result, and shows it

signals:
    void resultChosen(const QString &room, qint64 seq);
    void closed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void choose(int row);
    void showCount(const QString &query, int count);

    SearchResultsModel *m_results;
    QLineEdit *m_field;
    QListView *m_list;
    QLabel *m_status;
};

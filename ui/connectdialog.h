// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "connectionchoice.h"

#include <QDialog>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

//! Asks where to chat (host a server here, or a server URL) and under which name, with the name
//! rules of PROTOCOL.md checked as the user types.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(const ConnectionChoice &initial, QWidget *parent = nullptr);

    ConnectionChoice choice() const;
    QString errorText() const;
    bool isAcceptable() const;

    // Shows the dialog modally and returns the choice, or nothing if cancelled. When a next answer
    // was set (tests), returns it at once without showing anything.
    static std::optional<ConnectionChoice> ask(const ConnectionChoice &initial, QWidget *parent = nullptr);
    static void setNextAnswer(const std::optional<ConnectionChoice> &answer);

private:
    void validate();

    QRadioButton *m_host;
    QRadioButton *m_remote;
    QLineEdit *m_url;
    QLineEdit *m_otherUrls; // other addresses of the same server, comma separated
    QLineEdit *m_name;
    QLineEdit *m_room;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

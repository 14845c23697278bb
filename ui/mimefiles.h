// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QStringList>

class QMimeData;

//! What a drop or a paste offers to send: local files (file URLs), or else image data (a
//! screenshot in the clipboard). Shared by the window's drop handler and the composer's paste.
class MimeFiles
{
public:
    static QStringList localFiles(const QMimeData *mime);
    // An image only when the data carries no text: a spreadsheet or web page copied as text often
    // comes with a picture of itself as well, and then the text is what the user meant.
    static QImage image(const QMimeData *mime);
    static bool canSend(const QMimeData *mime);
};

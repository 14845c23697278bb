// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringView>
#include <QTextDocument>
#include <QUrl>

class QPainter;

//! A chat message's text read as a safe subset of Markdown (GitHub dialect): bold, italic,
//! strikethrough, inline code, code blocks in a tinted monospace box, quotes, lists and links.
//! Raw HTML stays literal text, nothing is ever loaded (an image shows its alt text instead),
//! only http, https and mailto links are links, and headings stay at the message's size. A line
//! break in the message stays a line break, as people expect in a chat.
class MarkdownDocument : public QTextDocument
{
public:
    // `palette` colours the code boxes, quotes and links; `font` is the message's font.
    MarkdownDocument(const QString &text, const QFont &font, const QPalette &palette,
                     QObject *parent = nullptr);

    // Longer texts are shown plain: Qt's reader takes time that grows faster than the text (some
    // 150 ms for 4,000 hostile characters, 2 s for the 16 KiB a message may hold).
    static constexpr int MaxLength = 4000;

    // Cheap and conservative: false when nothing in the text would be formatted, so that a plain
    // message keeps the fast path; false as well over MaxLength.
    static bool mayBeFormatted(QStringView text);
    // True when the text can only be inline formatting on one line of printable ASCII (no block,
    // no indent): drawn in the message's font and its bold and italic, and in codeFont(), it is
    // one line high if it fits.
    static bool isInlineLine(QStringView text);
    // The fixed-pitch font code is set in, at the size of `font`.
    static QFont codeFont(const QFont &font);
    static bool isAllowedLink(const QUrl &url);
    // Every resource (image) any document was asked for, or held, and refused, in this process.
    static int refusedResources();

    // Appends `note` (the "(edited)" mark) after the text, in `color`.
    void appendNote(const QString &note, const QColor &color);
    // The link under a point in document coordinates; invalid for none.
    QUrl linkAt(const QPointF &pos) const;
    // Paints at the painter's origin; unformatted text in `text`.
    void draw(QPainter *painter, const QColor &text, const QPalette &palette) const;

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    void tidy(const QFont &font, const QPalette &palette);
    void joinLineBreaks();
};

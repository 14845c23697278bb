// SPDX-License-Identifier: GPL-3.0-or-later
#include "markdowndocument.h"

#include <QAbstractTextDocumentLayout>
#include <QFontDatabase>
#include <QPainter>
#include <QPalette>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextList>

#include <algorithm>
#include <atomic>

namespace {

std::atomic<int> s_refused{0};

// Put before a line break that Markdown would turn into a space: a hard break follows it, and the
// blocks Qt makes of a hard break are joined again (joinLineBreaks). A hair space, because to
// Markdown it is whitespace, so emphasis that ends the line still closes.
constexpr char16_t BreakMark = 0x200A;
constexpr int QuoteIndent = 14;
constexpr int QuoteBar = 3;
constexpr int CodePad = 4;
constexpr int MaxNesting = 4; // deeper quotes and lists are drawn at this depth: a hostile
                              // ">>>>…" must not push the text out of the row

// The line without its quote markers ("> > "), and how deep it is quoted.
QStringView unquoted(QStringView line, int *depth)
{
    *depth = 0;
    for (;;) {
        int i = 0;
        while (i < line.size() && i < 3 && line.at(i) == u' ')
            ++i;
        if (i >= line.size() || line.at(i) != u'>')
            return line;
        ++*depth;
        line = line.mid(i + 1);
        if (!line.isEmpty() && line.at(0) == u' ')
            line = line.mid(1);
    }
}

int indentOf(QStringView line)
{
    int i = 0;
    while (i < line.size() && line.at(i) == u' ')
        ++i;
    return i < line.size() && line.at(i) == u'\t' ? 4 : i;
}

bool isFence(QStringView line)
{
    const QStringView t = line.trimmed();
    return t.startsWith(u"```") || t.startsWith(u"~~~");
}

// "# Title" (not "#channel").
bool isHeading(QStringView t)
{
    int hashes = 0;
    while (hashes < t.size() && t.at(hashes) == u'#')
        ++hashes;
    return hashes > 0 && hashes <= 6 && (hashes == t.size() || t.at(hashes) == u' ');
}

// A line that is a block on its own, or starts one: it neither takes nor ends with a line break.
bool isBlockLine(QStringView line)
{
    const QStringView t = line.trimmed();
    if (t.isEmpty() || isHeading(t) || t.contains(u'|') || isFence(t))
        return true;
    // Thematic breaks, setext underlines.
    return std::all_of(t.cbegin(), t.cend(), [](QChar c) { return QStringView(u"-=*_: \t").contains(c); });
}

bool startsListItem(QStringView line)
{
    const QStringView t = line.trimmed();
    if (t.isEmpty())
        return false;
    if ((t.at(0) == u'-' || t.at(0) == u'+' || t.at(0) == u'*') && (t.size() == 1 || t.at(1) == u' '))
        return true;
    int digits = 0;
    while (digits < t.size() && digits < 10 && t.at(digits).isDigit())
        ++digits;
    return digits > 0 && digits < t.size() && (t.at(digits) == u'.' || t.at(digits) == u')') &&
           (digits + 1 == t.size() || t.at(digits + 1) == u' ');
}

// Chat keeps the lines people type: a line followed by another line of the same paragraph gets
// a hard break (fenced code keeps its lines anyway), and a quote ends where its markers do.
QString withLineBreaks(const QString &text)
{
    const QList<QStringView> lines = QStringView(text).split(u'\n');
    QString out;
    out.reserve(text.size() + lines.size() * 3);
    bool fenced = false;
    bool code = false; // an indented code block
    for (int i = 0; i < lines.size(); ++i) {
        const QStringView line = lines.at(i);
        int depth = 0;
        const QStringView body = unquoted(line, &depth);
        const bool fence = isFence(body);
        if (fence)
            fenced = !fenced;
        const bool blank = body.trimmed().isEmpty();
        code = !fenced && !blank && indentOf(body) >= 4 &&
               (i == 0 || code || lines.at(i - 1).trimmed().isEmpty());
        out += line;
        if (i + 1 == lines.size())
            break;
        int nextDepth = 0;
        const QStringView next = unquoted(lines.at(i + 1), &nextDepth);
        if (!fenced && !fence && !code && !blank && !isBlockLine(body) && nextDepth == depth &&
            !isBlockLine(next) && !startsListItem(next))
            out += QStringLiteral("%1  ").arg(QChar(BreakMark));
        out += u'\n';
        // "> quoted" then an answer: the answer is not part of the quote, as in other chats.
        if (!fenced && nextDepth < depth && !next.trimmed().isEmpty())
            out += u'\n';
    }
    return out;
}

bool isCodeBlock(const QTextBlockFormat &format)
{
    return format.hasProperty(QTextFormat::BlockCodeFence) ||
           format.hasProperty(QTextFormat::BlockCodeLanguage);
}

// A light tint of the text colour over the base, in light and dark palettes alike.
QColor codeBackground(const QPalette &palette)
{
    const QColor a = palette.color(QPalette::Base);
    const QColor b = palette.color(QPalette::Text);
    constexpr float Share = 0.08f;
    return QColor::fromRgbF(a.redF() * (1 - Share) + b.redF() * Share,
                            a.greenF() * (1 - Share) + b.greenF() * Share,
                            a.blueF() * (1 - Share) + b.blueF() * Share);
}

} // namespace

MarkdownDocument::MarkdownDocument(const QString &text, const QFont &font, const QPalette &palette,
                                   QObject *parent)
    : QTextDocument(parent)
{
    setUndoRedoEnabled(false); // read-only: the tidying below need not be undoable
    setDefaultFont(font);
    setDocumentMargin(0);
    setIndentWidth(QFontMetrics(font).lineSpacing() * 3 / 2); // list bullets, not a page's 40 px
    QTextOption option = defaultTextOption();
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setDefaultTextOption(option);
    // No HTML: raw tags stay text, never markup that could reach for a resource.
    setMarkdown(withLineBreaks(text), QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub) |
                                          QTextDocument::MarkdownNoHTML);
    // Markers that open a block each ("- - - - x", "1. 1. 1. x") turn one line into hundreds of
    // blocks and a row thousands of pixels high: such text is shown as typed.
    if (blockCount() > 2 * (text.count(QLatin1Char('\n')) + 1) + 8) {
        setPlainText(text);
        return;
    }
    if (text.contains(QLatin1Char('\n')))
        joinLineBreaks();
    tidy(font, palette);
}

bool MarkdownDocument::mayBeFormatted(QStringView text)
{
    if (text.size() > MaxLength)
        return false;
    // Emphasis, strikethrough, code and links anywhere; quotes, headings, lists, rules and tables
    // where a line starts.
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'*':
        case u'_':
        case u'~':
        case u'`':
        case u'[':
            return true;
        default:
            break;
        }
    }
    for (const QStringView line : text.tokenize(u'\n')) {
        const QStringView t = line.trimmed();
        if (t.isEmpty())
            continue;
        if (t.startsWith(u'>') || startsListItem(t) || isHeading(t))
            return true;
        if (std::all_of(t.cbegin(), t.cend(), [](QChar c) { return QStringView(u"-=:| ").contains(c); }))
            return true; // a rule, a heading's underline, a table's
    }
    return false;
}

bool MarkdownDocument::isInlineLine(QStringView text)
{
    // Printable ASCII, and no entity: "&#x2029;" would decode to a paragraph break.
    if (!std::all_of(text.cbegin(), text.cend(),
                     [](QChar c) { return c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'&'; }))
        return false;
    const QStringView t = text.trimmed();
    return indentOf(text) < 4 && !t.startsWith(u'>') && !startsListItem(t) &&
           !std::all_of(t.cbegin(), t.cend(), [](QChar c) { return QStringView(u"-=:|*_ ").contains(c); });
}

QFont MarkdownDocument::codeFont(const QFont &font)
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (font.pointSizeF() > 0)
        mono.setPointSizeF(font.pointSizeF());
    else
        mono.setPixelSize(font.pixelSize());
    return mono;
}

bool MarkdownDocument::isAllowedLink(const QUrl &url)
{
    const QString scheme = url.scheme();
    return url.isValid() && (scheme == QLatin1String("http") || scheme == QLatin1String("https") ||
                             scheme == QLatin1String("mailto"));
}

int MarkdownDocument::refusedResources()
{
    return s_refused.load();
}

QVariant MarkdownDocument::loadResource(int, const QUrl &)
{
    // Nothing from the network, nor from disk: a message must not make the app fetch anything.
    ++s_refused;
    return {};
}

void MarkdownDocument::joinLineBreaks()
{
    QTextCursor cursor(this);
    cursor.beginEditBlock(); // one change for the layout, not one per line
    for (QTextBlock block = begin(); block.isValid() && block.next().isValid();) {
        const QString text = block.text();
        if (!text.endsWith(QChar(BreakMark))) {
            block = block.next();
            continue;
        }
        const int end = block.position() + int(text.size());
        cursor.setPosition(end - 1);
        cursor.setPosition(end + 1, QTextCursor::KeepAnchor); // the mark and the block's end
        cursor.insertText(QString(QChar::LineSeparator));
        block = cursor.block(); // it may end with another mark now
    }
    cursor.endEditBlock();
}

void MarkdownDocument::tidy(const QFont &font, const QPalette &palette)
{
    const QFont mono = codeFont(font);
    const QColor codeTint = codeBackground(palette);
    const QColor muted = palette.color(QPalette::PlaceholderText);
    const int gap = QFontMetrics(font).lineSpacing() / 3;

    struct Edit
    {
        int start;
        int length;
        QTextCharFormat format;
    };
    struct Image
    {
        int position;
        QString text;
    };
    QVector<Edit> edits;
    QVector<Image> images;
    QTextCursor cursor(this);
    cursor.beginEditBlock();
    for (QTextBlock block = begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat originalBlock = block.blockFormat();
        QTextBlockFormat blockFormat = originalBlock;
        const bool codeBlock = isCodeBlock(blockFormat);
        const int quote = qMin(blockFormat.intProperty(QTextFormat::BlockQuoteLevel), MaxNesting);
        if (QTextList *list = block.textList(); list && list->format().indent() > MaxNesting) {
            QTextListFormat format = list->format();
            format.setIndent(MaxNesting);
            list->setFormat(format);
        }
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat original = fragment.charFormat();
            QTextCharFormat format = original;
            if (format.isImageFormat()) {
                // Never shown, never fetched: its alt text stands in, or its address as text.
                const QTextImageFormat image = format.toImageFormat();
                const QString alt = image.property(QTextFormat::ImageAltText).toString();
                images.append({fragment.position(), alt.isEmpty() ? image.name() : alt});
                continue;
            }
            format.clearProperty(QTextFormat::FontSizeAdjustment); // headings at the message's size
            if (codeBlock || format.fontFixedPitch()) {
                format.setFontFamilies(mono.families());
                format.setFontFixedPitch(true);
                if (mono.pointSizeF() > 0)
                    format.setFontPointSize(mono.pointSizeF());
                else
                    format.clearProperty(QTextFormat::FontPointSize);
                if (!codeBlock)
                    format.setBackground(codeTint);
            }
            if (format.fontUnderline() && !format.isAnchor()) {
                // Qt reads _this_ as underlined; chat (and GitHub) means italic.
                format.setFontUnderline(false);
                format.setFontItalic(true);
            }
            if (format.isAnchor()) {
                if (isAllowedLink(QUrl(format.anchorHref()))) {
                    format.setForeground(palette.color(QPalette::Link));
                    format.setFontUnderline(true);
                } else { // javascript:, file:, relative: shown as text
                    format.setAnchor(false);
                    format.clearProperty(QTextFormat::AnchorHref);
                    format.clearForeground();
                    format.setFontUnderline(false);
                }
            }
            if (quote > 0 && !format.isAnchor())
                format.setForeground(muted);
            if (format != original)
                edits.append({fragment.position(), fragment.length(), format});
        }

        // Chat spacing: paragraphs apart by a third of a line, list items and code lines together.
        const QTextBlock next = block.next();
        const bool together = next.isValid() && ((block.textList() && next.textList()) ||
                                                 (codeBlock && isCodeBlock(next.blockFormat())));
        blockFormat.setTopMargin(0);
        blockFormat.setBottomMargin(next.isValid() && !together ? gap : 0);
        if (quote > 0) {
            blockFormat.setLeftMargin(QuoteIndent * quote);
            blockFormat.setRightMargin(0);
        }
        if (codeBlock) { // the box: drawn around the lines (draw()), which keep clear of its edges
            const bool first = !isCodeBlock(block.previous().blockFormat());
            blockFormat.setLeftMargin(2 * CodePad);
            blockFormat.setRightMargin(2 * CodePad);
            blockFormat.setTopMargin(first ? CodePad : 0);
            blockFormat.setBottomMargin(together ? 0 : CodePad + (next.isValid() ? gap : 0));
            blockFormat.setBackground(codeTint);
        }
        if (blockFormat != originalBlock) {
            cursor.setPosition(block.position());
            cursor.setBlockFormat(blockFormat);
        }
    }
    for (const Edit &edit : std::as_const(edits)) {
        cursor.setPosition(edit.start);
        cursor.setPosition(edit.start + edit.length, QTextCursor::KeepAnchor);
        cursor.setCharFormat(edit.format);
    }
    QTextCharFormat altFormat;
    altFormat.setForeground(muted);
    altFormat.setFontItalic(true);
    for (auto it = images.crbegin(); it != images.crend(); ++it) {
        ++s_refused;
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + 1, QTextCursor::KeepAnchor);
        cursor.insertText(it->text, altFormat);
    }
    cursor.endEditBlock();
}

void MarkdownDocument::appendNote(const QString &note, const QColor &color)
{
    QTextCursor cursor(this);
    cursor.movePosition(QTextCursor::End);
    QTextCharFormat format;
    format.setForeground(color);
    cursor.insertText(QLatin1Char(' ') + note, format);
}

QUrl MarkdownDocument::linkAt(const QPointF &pos) const
{
    const QString href = documentLayout()->anchorAt(pos);
    const QUrl url(href);
    return href.isEmpty() || !isAllowedLink(url) ? QUrl() : url;
}

void MarkdownDocument::draw(QPainter *painter, const QColor &text, const QPalette &palette) const
{
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = palette;
    context.palette.setColor(QPalette::Text, text);
    // A bar left of each quoted block, one per level; a box around code lines.
    const QColor codeTint = codeBackground(palette);
    for (QTextBlock block = begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat format = block.blockFormat();
        const QRectF rect = documentLayout()->blockBoundingRect(block);
        if (isCodeBlock(format)) { // its rect leaves out its margins, the box's padding
            const qreal below = isCodeBlock(block.next().blockFormat()) ? 0 : CodePad;
            painter->fillRect(QRectF(0, rect.top() - format.topMargin(), textWidth(),
                                     rect.height() + format.topMargin() + below),
                              codeTint);
        }
        const int quote = qMin(format.intProperty(QTextFormat::BlockQuoteLevel), MaxNesting);
        if (quote <= 0)
            continue;
        for (int level = 0; level < quote; ++level)
            painter->fillRect(QRectF(level * QuoteIndent, rect.top(), QuoteBar, rect.height()),
                              palette.color(QPalette::Mid));
    }
    documentLayout()->draw(painter, context);
}

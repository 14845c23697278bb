// SPDX-License-Identifier: GPL-3.0-or-later
// Formatted text in the desktop app: a safe Markdown subset drawn in the message view, the typed
// text sent unchanged, and nothing ever fetched for a message; against a real in-process server,
// Alice's real window and Bob's real client.
#include "alicewindow.h"
#include "appsettings.h"
#include "chatclient.h"
#include "clientfixture.h"
#include "composer.h"
#include "mainwindow.h"
#include "markdowndocument.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "messageview.h"
#include "serverfixture.h"
#include "uitestsupport.h"
#include "userlistmodel.h"

#include <QAbstractTextDocumentLayout>
#include <QAction>
#include <QClipboard>
#include <QMenu>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextBlock>
#include <QTextList>
#include <QtTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;

// The first fragment of the document whose text contains `text`, and the block it is in.
QTextFragment fragmentWith(const QTextDocument *document, const QString &text, QTextBlock *in = nullptr)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (it.fragment().text().contains(text)) {
                if (in)
                    *in = block;
                return it.fragment();
            }
        }
    }
    return {};
}

} // namespace

class TestMarkdown : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    AliceWindow m_alice;

    // Alice's window and Bob's client, both in "general".
    bool open() { return m_alice.open(m_dir, testServerConfig(), QSize(900, 700), Timeout); }

    MessageModel *model() const { return m_alice.window->messageModel(); }
    MessageView *view() const { return m_alice.window->messageView(); }

    // The row showing `text` once it is on screen at its final height; invalid if it never is.
    QModelIndex shownRow(const QString &text)
    {
        QModelIndex index;
        const bool shown = QTest::qWaitFor(
            [&] {
                const int row = UiTest::rowWithText(model(), text);
                if (row < 0)
                    return false;
                index = model()->index(row);
                view()->scrollTo(index);
                const QRect rect = view()->visualRect(index);
                return view()->indexAt(rect.center()) == index &&
                       rect.height() == view()->sizeHintForIndex(index).height();
            },
            Timeout);
        return shown ? index : QModelIndex();
    }

    QStyleOptionViewItem optionFor(const QModelIndex &index) const
    {
        QStyleOptionViewItem option;
        option.initFrom(view()->viewport());
        option.font = view()->font();
        option.rect = view()->visualRect(index);
        return option;
    }

    // The document the delegate draws the row from (null: drawn as plain text).
    const MarkdownDocument *documentOf(const QModelIndex &index) const
    {
        return view()->messageDelegate()->document(optionFor(index), index);
    }

    // Every link the row offers under the mouse, with a point on each, found by sweeping the row.
    QHash<QUrl, QPoint> linksIn(const QModelIndex &index) const
    {
        QHash<QUrl, QPoint> links;
        const QStyleOptionViewItem option = optionFor(index);
        for (int y = option.rect.top(); y < option.rect.bottom(); y += 2) {
            for (int x = option.rect.left(); x < option.rect.right(); x += 2) {
                const QUrl url = view()->messageDelegate()->linkAt(option, index, QPoint(x, y));
                if (url.isValid() && !links.contains(url))
                    links.insert(url, QPoint(x, y));
            }
        }
        return links;
    }

private slots:
    void initTestCase()
    {
        UiTest::isolateSettings(QStringLiteral("tst_markdown"));
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { m_alice.close(); }

    // What the cheap check sends down the plain path really has nothing to format.
    void plainMessagesKeepThePlainPath()
    {
        QVERIFY(!MarkdownDocument::mayBeFormatted(u"message number 42"));
        QVERIFY(!MarkdownDocument::mayBeFormatted(u"see https://example.org/page for details"));
        QVERIFY(!MarkdownDocument::mayBeFormatted(u"first line\nsecond line"));
        QVERIFY(!MarkdownDocument::mayBeFormatted(u"x-y, a > b, 3 < 4, C:\\ no"));
        QVERIFY(!MarkdownDocument::mayBeFormatted(u"5 minutes\n-3 degrees\n#general"));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"Title\n====="));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"## Title"));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"a | b\n--|--\n1 | 2"));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"**bold**"));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"`code`"));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"answer\n> quote"));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"  - item"));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"1. first"));
        QVERIFY(MarkdownDocument::mayBeFormatted(u"[a](https://example.org)"));
        // Hostile lengths are not handed to the Markdown reader (its time grows faster than the text).
        QVERIFY(MarkdownDocument::mayBeFormatted(
            QString(QStringLiteral("*a")).repeated(MarkdownDocument::MaxLength / 2)));
        QVERIFY(!MarkdownDocument::mayBeFormatted(
            QString(QStringLiteral("*a")).repeated(MarkdownDocument::MaxLength)));
    }

    // Alice types Markdown: her view shows it formatted, Bob (and the server) get the text she
    // typed, and Copy Text copies that text too.
    void typedMarkdownIsShownFormattedAndSentAsTyped()
    {
        QVERIFY(open());
        const QString typed = QStringLiteral("**bold** and `code` and ~~gone~~ and *it* and _also_");
        QSignalSpy bobGot(m_alice.bob.get(), &ChatClient::messageReceived);
        Composer *composer = m_alice.window->composer();
        composer->setFocus();
        QTest::keyClicks(composer, typed);
        QTest::keyClick(composer, Qt::Key_Return);

        QTRY_VERIFY_WITH_TIMEOUT(!bobGot.isEmpty(), Timeout);
        QCOMPARE(bobGot.constLast().at(0).value<Protocol::ChatMessage>().text, typed);

        const QModelIndex index = shownRow(typed);
        QVERIFY(index.isValid());
        QCOMPARE(index.data(MessageModel::TextRole).toString(), typed);
        const MarkdownDocument *document = documentOf(index);
        QVERIFY(document);
        QCOMPARE(document->toPlainText(), QStringLiteral("bold and code and gone and it and also"));
        QCOMPARE(fragmentWith(document, QStringLiteral("bold")).charFormat().fontWeight(), int(QFont::Bold));
        QCOMPARE(fragmentWith(document, QStringLiteral(" and ")).charFormat().fontWeight(),
                 int(QFont::Normal));
        const QTextCharFormat code = fragmentWith(document, QStringLiteral("code")).charFormat();
        QVERIFY(code.fontFixedPitch());
        QVERIFY(code.background().style() != Qt::NoBrush);
        QVERIFY(fragmentWith(document, QStringLiteral("gone")).charFormat().fontStrikeOut());
        QVERIFY(fragmentWith(document, QStringLiteral("it")).charFormat().fontItalic());
        const QTextCharFormat also = fragmentWith(document, QStringLiteral("also")).charFormat();
        QVERIFY(also.fontItalic());
        QVERIFY(!also.fontUnderline());

        // The row's height is the formatted text's.
        const int plainHeight = QFontMetrics(view()->font()).lineSpacing();
        QVERIFY(view()->visualRect(index).height() >= qMax(plainHeight, qCeil(document->size().height())));

        std::unique_ptr<QMenu> menu(view()->createContextMenu(view()->visualRect(index).center()));
        QVERIFY(menu);
        QAction *copy = nullptr;
        for (QAction *action : menu->actions()) {
            if (action->text() == QStringLiteral("Copy Text"))
                copy = action;
        }
        QVERIFY(copy);
        copy->trigger();
        QCOMPARE(QApplication::clipboard()->text(), typed);
    }

    // Blocks from Bob: a quote, a fenced code block, lists, and lines kept as typed.
    void blocksRenderAsBlocks()
    {
        QVERIFY(open());
        const QString quote = QStringLiteral("> what you said\nmy answer");
        const QString code = QStringLiteral("look:\n```\nint x = 1;\nreturn x;\n```");
        const QString list = QStringLiteral("- one\n- two\n\n1. first\n2. second");
        const QString lines = QStringLiteral("**first** line\nsecond line");
        const QString heading = QStringLiteral("# Big news\nnot so big");
        for (const QString &text : {quote, code, list, lines, heading})
            m_alice.bob->sendMessage(text);

        QModelIndex index = shownRow(quote);
        QVERIFY(index.isValid());
        const MarkdownDocument *document = documentOf(index);
        QVERIFY(document);
        QTextBlock block;
        fragmentWith(document, QStringLiteral("what you said"), &block);
        QCOMPARE(block.blockFormat().intProperty(QTextFormat::BlockQuoteLevel), 1);
        fragmentWith(document, QStringLiteral("my answer"), &block); // the quote ends with its markers
        QCOMPARE(block.blockFormat().intProperty(QTextFormat::BlockQuoteLevel), 0);

        index = shownRow(code);
        QVERIFY(index.isValid());
        document = documentOf(index);
        QVERIFY(document);
        const QTextFragment line = fragmentWith(document, QStringLiteral("int x = 1;"), &block);
        QVERIFY(line.charFormat().fontFixedPitch());
        QVERIFY(block.blockFormat().background().style() != Qt::NoBrush);
        QVERIFY(block.blockFormat().hasProperty(QTextFormat::BlockCodeFence));
        QVERIFY(fragmentWith(document, QStringLiteral("return x;")).charFormat().fontFixedPitch());
        QVERIFY(!fragmentWith(document, QStringLiteral("look:")).charFormat().fontFixedPitch());

        index = shownRow(list);
        QVERIFY(index.isValid());
        document = documentOf(index);
        QVERIFY(document);
        fragmentWith(document, QStringLiteral("two"), &block);
        QVERIFY(block.textList());
        QCOMPARE(block.textList()->count(), 2);
        QCOMPARE(block.textList()->format().style(), QTextListFormat::ListDisc);
        fragmentWith(document, QStringLiteral("second"), &block);
        QVERIFY(block.textList());
        QCOMPARE(block.textList()->format().style(), QTextListFormat::ListDecimal);

        // A line break stays a line break (Markdown alone would make it a space).
        index = shownRow(lines);
        QVERIFY(index.isValid());
        document = documentOf(index);
        QVERIFY(document);
        QCOMPARE(document->blockCount(), 1); // one paragraph, two lines
        QCOMPARE(document->toPlainText(), QStringLiteral("first line\nsecond line"));

        // A heading is bold, at the message's size.
        index = shownRow(heading);
        QVERIFY(index.isValid());
        document = documentOf(index);
        QVERIFY(document);
        const QTextCharFormat big = fragmentWith(document, QStringLiteral("Big news")).charFormat();
        QCOMPARE(big.fontWeight(), int(QFont::Bold));
        QVERIFY(!big.hasProperty(QTextFormat::FontSizeAdjustment));
    }

    // A one-line formatted message is measured without its document; the height must be the
    // document's all the same, as it is for one with several lines (always measured on it).
    void rowsAreAsHighAsTheirDocuments()
    {
        QVERIFY(open());
        const QStringList texts = {QStringLiteral("two\n**lines**"), QStringLiteral("**bold** x"),
                                   QStringLiteral("`code` and *it*"), QStringLiteral("# heading"),
                                   QStringLiteral("[link](https://example.org) ~~s~~"),
                                   QStringLiteral("**a long one** ") + QString(400, QLatin1Char('w')),
                                   // One line as typed, three once the entities are read.
                                   QStringLiteral("*a*&#x2029;b&#x2029;c")};
        for (const QString &text : texts)
            m_alice.bob->sendMessage(text);
        int offset = -1; // what a row adds around its text: the same for all of these
        for (const QString &text : texts) {
            const QModelIndex index = shownRow(text);
            QVERIFY2(index.isValid(), qPrintable(text));
            const MarkdownDocument *document = documentOf(index);
            QVERIFY(document);
            const int textHeight =
                qMax(QFontMetrics(view()->font()).lineSpacing(), qCeil(document->size().height()));
            const int rowOffset = view()->visualRect(index).height() - textHeight;
            if (offset < 0)
                offset = rowOffset;
            QVERIFY2(rowOffset == offset, qPrintable(text));
        }
    }

    // Deep quotes and lists are drawn no deeper than a few levels: the text stays readable.
    void hostileNestingStaysInTheRow()
    {
        QVERIFY(open());
        const QString quotes = QStringLiteral("> ").repeated(30) + QStringLiteral("deep quote");
        const QString lists = QStringLiteral("- ").repeated(30) + QStringLiteral("deep item");
        m_alice.bob->sendMessage(quotes);
        m_alice.bob->sendMessage(lists);
        for (const auto &[text, word] : {std::pair(quotes, QStringLiteral("deep quote")),
                                         std::pair(lists, QStringLiteral("deep item"))}) {
            const QModelIndex index = shownRow(text);
            QVERIFY(index.isValid());
            const MarkdownDocument *document = documentOf(index);
            QVERIFY(document);
            QTextBlock block;
            QVERIFY(fragmentWith(document, word, &block).isValid());
            const QRectF rect = document->documentLayout()->blockBoundingRect(block);
            QVERIFY2(rect.left() < document->textWidth() / 3, qPrintable(text));
            QCOMPARE(rect.height(), qreal(QFontMetrics(view()->font()).lineSpacing())); // one line
        }
        // A thousand block markers on one line would be a thousand blocks, a row some 14,000 px
        // high: shown as typed instead, as high as its wrapped text.
        const int line = QFontMetrics(view()->font()).lineSpacing();
        for (const QString &marker : {QStringLiteral("- "), QStringLiteral("1. ")}) {
            const QString text = marker.repeated(1000) + QStringLiteral("x");
            m_alice.bob->sendMessage(text);
            const QModelIndex index = shownRow(text);
            QVERIFY(index.isValid());
            const MarkdownDocument *document = documentOf(index);
            QVERIFY(document);
            QCOMPARE(document->toPlainText(), text);
            QVERIFY2(view()->sizeHintForIndex(index).height() < 80 * line,
                     qPrintable(QString::number(view()->sizeHintForIndex(index).height())));
        }
    }

    // Raw HTML is never markup, whatever it asks for.
    void rawHtmlStaysText()
    {
        QVERIFY(open());
        const QString html = QStringLiteral("<b>x</b> <i>y</i> <a href=\"https://example.org\">z</a> *real*");
        m_alice.bob->sendMessage(html);
        const QModelIndex index = shownRow(html);
        QVERIFY(index.isValid());
        const MarkdownDocument *document = documentOf(index);
        QVERIFY(document);
        QCOMPARE(document->toPlainText(),
                 QStringLiteral("<b>x</b> <i>y</i> <a href=\"https://example.org\">z</a> real"));
        const QTextCharFormat tags = fragmentWith(document, QStringLiteral("<b>x</b>")).charFormat();
        QCOMPARE(tags.fontWeight(), int(QFont::Normal));
        QVERIFY(!tags.isAnchor());
        QVERIFY(linksIn(index).isEmpty());
    }

    // Only http, https and mailto links are links; a click on one is reported with its address
    // (MainWindow's view then opens it), and the mouse over it turns into a pointing hand.
    void onlyWebLinksAreClickable()
    {
        QVERIFY(open());
        const QString text = QStringLiteral("[site](https://example.org/a) [bad](javascript:alert(1)) "
                                            "[disk](file:///etc/passwd) [mail](mailto:bob@example.org)");
        m_alice.bob->sendMessage(text);
        const QModelIndex index = shownRow(text);
        QVERIFY(index.isValid());
        const MarkdownDocument *document = documentOf(index);
        QVERIFY(document);
        QVERIFY(!fragmentWith(document, QStringLiteral("bad")).charFormat().isAnchor());
        QVERIFY(!fragmentWith(document, QStringLiteral("disk")).charFormat().isAnchor());

        const QHash<QUrl, QPoint> links = linksIn(index);
        const QUrl site(QStringLiteral("https://example.org/a"));
        QCOMPARE(QSet<QUrl>(links.keyBegin(), links.keyEnd()),
                 QSet<QUrl>({site, QUrl(QStringLiteral("mailto:bob@example.org"))}));

        QTest::mouseMove(view()->viewport(), links.value(site));
        QTRY_COMPARE_WITH_TIMEOUT(view()->viewport()->cursor().shape(), Qt::PointingHandCursor, Timeout);
        QSignalSpy activated(view(), &MessageView::linkActivated);
        QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, links.value(site));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toUrl(), site);
    }

    // An image in a message is never fetched: not as Markdown, not as HTML. A local server
    // stands where the images point; the first connection it ever sees is the test's own.
    void neverFetchesARemoteImage()
    {
        QTcpServer images;
        QVERIFY(images.listen(QHostAddress::LocalHost, 0));
        const QString base = QStringLiteral("http://127.0.0.1:%1/").arg(images.serverPort());
        QVERIFY(open());
        const int refusedBefore = MarkdownDocument::refusedResources();

        const QString markdown = QStringLiteral("look ![a cat](%1x.png) here").arg(base);
        const QString html = QStringLiteral("and <img src=\"%1y.png\"> *too*").arg(base);
        m_alice.bob->sendMessage(markdown);
        m_alice.bob->sendMessage(html);
        const QModelIndex markdownRow = shownRow(markdown);
        QVERIFY(markdownRow.isValid());
        view()->grab(); // painted
        const QModelIndex htmlRow = shownRow(html);
        QVERIFY(htmlRow.isValid());
        view()->grab();

        // The image was seen and refused: its alt text stands in for it.
        QVERIFY(MarkdownDocument::refusedResources() > refusedBefore);
        QCOMPARE(documentOf(markdownRow)->toPlainText(), QStringLiteral("look a cat here"));
        QCOMPARE(documentOf(htmlRow)->toPlainText(),
                 QStringLiteral("and <img src=\"%1y.png\"> too").arg(base));
        // Asked directly, the document still loads nothing.
        QVERIFY(!documentOf(markdownRow)
                     ->resource(QTextDocument::ImageResource, QUrl(base + QStringLiteral("x.png")))
                     .isValid());

        // Barrier: our own connection reaches the server; had the app connected, it would be first.
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, images.serverPort());
        QVERIFY(probe.waitForConnected(Timeout));
        QTRY_VERIFY_WITH_TIMEOUT(images.hasPendingConnections(), Timeout);
        std::unique_ptr<QTcpSocket> first(images.nextPendingConnection());
        QCOMPARE(first->peerPort(), probe.localPort());
        QVERIFY(!images.hasPendingConnections());
    }

    // An edited formatted message keeps its mark, and a mention of the user still stands out.
    void editedAndMentioningMessagesKeepTheirMarks()
    {
        QVERIFY(open());
        m_alice.bob->sendMessage(QStringLiteral("**hi** @alice"));
        const QModelIndex index = shownRow(QStringLiteral("**hi** @alice"));
        QVERIFY(index.isValid());
        QVERIFY(index.data(MessageModel::MentionsMeRole).toBool());
        const qint64 seq = index.data(MessageModel::SeqRole).toLongLong();
        QVERIFY(seq > 0);
        QVERIFY(m_alice.bob->editMessage(seq, QStringLiteral("**hello** @alice")));
        const QModelIndex edited = shownRow(QStringLiteral("**hello** @alice"));
        QVERIFY(edited.isValid());
        QTRY_VERIFY_WITH_TIMEOUT(edited.data(MessageModel::EditedRole).toLongLong() > 0, Timeout);
        const MarkdownDocument *document = documentOf(edited);
        QVERIFY(document);
        QCOMPARE(document->toPlainText(), QStringLiteral("hello @alice (edited)"));
        QCOMPARE(fragmentWith(document, QStringLiteral("hello")).charFormat().fontWeight(), int(QFont::Bold));
        QVERIFY(edited.data(MessageModel::MentionsMeRole).toBool());
    }
};

QTEST_MAIN(TestMarkdown)
#include "tst_markdown.moc"

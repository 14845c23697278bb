// SPDX-License-Identifier: GPL-3.0-or-later
// Streams 100,000 messages into the message model while the view is shown (offscreen) and pinned
// to the bottom, scrolls through all of them a page at a time, and prints the times taken and the
// resident memory afterwards. The messages carry what a conversation does: a quarter is Markdown,
// and there are replies, edits, deletions, reactions, mentions of the user and file cards.
//   QT_QPA_PLATFORM=offscreen bench_messageview [count]
#include "messagemodel.h"
#include "messageview.h"
#include "transferinfo.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>

#include <cstdio>

namespace {

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

MessageModel::Message makeMessage(int i)
{
    static const char *names[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    MessageModel::Message m;
    m.sender = QString::fromLatin1(names[i % 8]);
    m.timestamp = 1763700000000LL + qint64(i) * 4000; // about four days over 100,000 messages
    m.id = QStringLiteral("m-%1").arg(i);
    m.seq = i + 1;
    switch (i % 20) {
    case 0:
        m.text = QStringLiteral(
                     "A longer message that wraps over a couple of lines in a normal window, since people "
                     "do sometimes write whole paragraphs in chat, number %1.")
                     .arg(i);
        break;
    case 1:
        m.text = QStringLiteral("see https://example.org/item/%1 for details").arg(i);
        break;
    case 2:
        m.text = QStringLiteral("first line\nsecond line %1").arg(i);
        break;
    case 3:
        m.text = QStringLiteral("**bold** words with `inline code` and _emphasis_, number %1").arg(i);
        break;
    case 4:
        m.text = QStringLiteral("> what was said before\nand the answer to it, number %1").arg(i);
        break;
    case 5:
        m.text = QStringLiteral("- first point\n- second point %1").arg(i);
        break;
    case 6:
        m.text = QStringLiteral("```\nfor (int i = 0; i < %1; ++i)\n    work(i);\n```").arg(i);
        break;
    case 7:
        m.text = QStringLiteral("@alice have a look, ~~not~~ number %1").arg(i);
        m.editConv().mentions = {QStringLiteral("alice")};
        break;
    default:
        m.text = QStringLiteral("message number %1").arg(i);
    }
    // A quarter is Markdown (cases 3 to 7); some answer, were edited, deleted, or got reactions.
    if (i % 13 == 0 && i > 0)
        m.editConv().replyTo = i - 3;
    if (i % 17 == 0)
        m.editConv().edited = m.timestamp + 60000;
    if (i % 29 == 0 && i > 0)
        m.editConv().deleted = m.timestamp + 120000;
    if (i % 11 == 0)
        m.editConv().reactions = {{QStringLiteral("👍"), {QStringLiteral("bob"), QStringLiteral("carol")}},
                                  {QStringLiteral("🎉"), {QStringLiteral("alice")}}};
    return m;
}

// A file card: a download from bob, done or under way.
TransferInfo makeTransfer(int i)
{
    TransferInfo t;
    t.id = QStringLiteral("t-%1").arg(i);
    t.direction = TransferInfo::Direction::Download;
    t.state = i % 2 ? TransferInfo::State::Completed : TransferInfo::State::Active;
    t.name = QStringLiteral("report-%1.pdf").arg(i);
    t.size = 4 * 1024 * 1024;
    t.done = i % 2 ? t.size : t.size / 3;
    t.peer = QStringLiteral("bob");
    t.transferId = t.id;
    t.room = QStringLiteral("general");
    return t;
}

// Scrolls from the top to the bottom a page at a time, painting each page; the pages painted.
int scrollThrough(MessageView &view)
{
    QScrollBar *bar = view.verticalScrollBar();
    int pages = 0;
    for (int value = 0;; value += bar->pageStep()) {
        bar->setValue(qMin(value, bar->maximum()));
        view.viewport()->repaint();
        ++pages;
        if (value >= bar->maximum())
            break;
    }
    return pages;
}

bool settled(MessageView &view)
{
    QScrollBar *bar = view.verticalScrollBar();
    return bar->maximum() > 0 && bar->value() == bar->maximum();
}

void waitUntilSettled(MessageView &view)
{
    // Layout is deferred to the event loop; run it until the view sits at the bottom again.
    for (int i = 0; i < 1000 && !settled(view); ++i)
        QApplication::processEvents();
    QApplication::processEvents();
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 100000;

    const qint64 baseline = residentKiB();
    {
        MessageModel model;
        model.setSelfName(QStringLiteral("alice"));
        MessageView view;
        view.setModel(&model);
        view.setConversationEnabled(true);
        view.resize(800, 600);
        view.show();
        QApplication::processEvents();

        // As live messages arrive in a busy room (ChatSession queues each one, the model inserts
        // them once per event-loop pass): the loop runs after every 100, so the view lays out and
        // follows the bottom all the way.
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < count; ++i) {
            model.queueAppend(makeMessage(i));
            if (i % 200 == 150)
                model.updateTransfer(makeTransfer(i));
            if (i % 100 == 99)
                QApplication::processEvents();
        }
        waitUntilSettled(view);
        const double streamedMs = timer.nsecsElapsed() / 1e6;
        const qint64 rss = residentKiB();

        // Then a full relayout, as after a window resize.
        timer.restart();
        view.resize(700, 600);
        waitUntilSettled(view);
        const double relayoutMs = timer.nsecsElapsed() / 1e6;

        // Then the user reads the whole history, top to bottom.
        timer.restart();
        const int pages = scrollThrough(view);
        const double scrollMs = timer.nsecsElapsed() / 1e6;
        view.jumpToBottom();

        std::printf("messages appended:           %d (view shown offscreen, pinned to bottom)\n",
                    model.rowCount());
        std::printf("append + layout, streamed:   %.0f ms (%.1f us per message)\n", streamedMs,
                    streamedMs * 1000.0 / count);
        std::printf("relayout after resize:       %.0f ms\n", relayoutMs);
        std::printf("scroll through, painted:     %.0f ms (%d pages, %.2f ms per page)\n", scrollMs, pages,
                    scrollMs / qMax(pages, 1));
        std::printf("pinned to bottom:            %s\n", settled(view) ? "yes" : "no");
        std::printf("resident memory (VmRSS):     %.1f MiB (%.1f MiB before the view was built)\n",
                    rss / 1024.0, baseline / 1024.0);
    }

    {
        MessageModel model;
        model.setSelfName(QStringLiteral("alice"));
        MessageView view;
        view.setModel(&model);
        view.setConversationEnabled(true);
        view.resize(800, 600);
        view.show();
        QApplication::processEvents();
        QVector<MessageModel::Message> batch;
        batch.reserve(count);
        for (int i = 0; i < count; ++i)
            batch.append(makeMessage(i));
        QElapsedTimer timer;
        timer.start();
        model.append(batch);
        waitUntilSettled(view);
        std::printf("append + layout, one batch:  %.0f ms (e.g. history)\n", timer.nsecsElapsed() / 1e6);
    }
    return 0;
}

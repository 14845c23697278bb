// SPDX-License-Identifier: GPL-3.0-or-later
// Streams 100,000 messages into the message model while the view is shown (offscreen) and pinned
// to the bottom, and prints the time taken and the resident memory afterwards.
//   QT_QPA_PLATFORM=offscreen bench_messageview [count]
#include "messagemodel.h"
#include "messageview.h"

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
    default:
        m.text = QStringLiteral("message number %1").arg(i);
    }
    return m;
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
        MessageView view;
        view.setModel(&model);
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

        std::printf("messages appended:           %d (view shown offscreen, pinned to bottom)\n",
                    model.rowCount());
        std::printf("append + layout, streamed:   %.0f ms (%.1f us per message)\n", streamedMs,
                    streamedMs * 1000.0 / count);
        std::printf("relayout after resize:       %.0f ms\n", relayoutMs);
        std::printf("pinned to bottom:            %s\n", settled(view) ? "yes" : "no");
        std::printf("resident memory (VmRSS):     %.1f MiB (%.1f MiB before the view was built)\n",
                    rss / 1024.0, baseline / 1024.0);
    }

    {
        MessageModel model;
        MessageView view;
        view.setModel(&model);
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

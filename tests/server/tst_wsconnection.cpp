// SPDX-License-Identifier: GPL-3.0-or-later
// WsConnection's output: frames corked in one pass go to the kernel as they are (a broadcast's
// frame shared by every receiver, not copied per receiver), whole and in order, however many
// there are and however little the kernel takes.
#include "waituntil.h"
#include "wsconnection.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>

namespace {
constexpr quint8 Text = 0x1, Binary = 0x2, PingOp = 0x9;

struct Frame
{
    quint8 opcode = 0;
    QByteArray payload;
    bool operator==(const Frame &o) const { return opcode == o.opcode && payload == o.payload; }
};

// The complete server frames (unmasked, unfragmented) at the front of `stream`, taken off it.
QList<Frame> takeFrames(QByteArray &stream)
{
    QList<Frame> frames;
    qsizetype pos = 0;
    while (stream.size() - pos >= 2) {
        const auto byte = [&](qsizetype i) {
            return quint8(stream.at(pos + i));
        };
        quint64 length = byte(1) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (stream.size() - pos < 4)
                break;
            length = quint64(byte(2)) << 8 | byte(3);
            header = 4;
        } else if (length == 127) {
            if (stream.size() - pos < 10)
                break;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = length << 8 | byte(i);
            header = 10;
        }
        if (quint64(stream.size() - pos - header) < length)
            break;
        frames.append({quint8(byte(0) & 0x0f), stream.mid(pos + header, qsizetype(length))});
        pos += header + qsizetype(length);
    }
    stream.remove(0, pos);
    return frames;
}

qint64 framedSize(qsizetype payload)
{
    return payload + (payload < 126 ? 2 : payload <= 0xffff ? 4 : 10);
}
} // namespace

class TestWsConnection : public QObject
{
    Q_OBJECT

    QTcpServer m_listener;
    std::unique_ptr<QTcpSocket> m_peer; // the client's end, reading raw frames
    QPointer<WsConnection> m_connection;
    QByteArray m_received;

    // Reads what has come so far and returns the frames complete in it.
    QList<Frame> drain()
    {
        m_received += m_peer->readAll();
        return takeFrames(m_received);
    }

    QList<Frame> receive(qsizetype count)
    {
        QList<Frame> frames;
        waitUntil([&] {
            frames += drain();
            return frames.size() >= count;
        });
        return frames;
    }

private slots:
    void init()
    {
        QVERIFY(m_listener.listen(QHostAddress::LocalHost));
        m_peer = std::make_unique<QTcpSocket>();
        m_peer->connectToHost(QHostAddress::LocalHost, m_listener.serverPort());
        QVERIFY(waitUntil([&] { return m_listener.hasPendingConnections(); }));
        QTcpSocket *accepted = m_listener.nextPendingConnection();
        QVERIFY(waitUntil([&] { return m_peer->state() == QAbstractSocket::ConnectedState; }));
        m_connection = new WsConnection(accepted, {}, WsConnection::Limits{}, nullptr, this);
        m_received.clear();
    }

    void cleanup()
    {
        delete m_connection;
        m_peer.reset();
        m_listener.close();
    }

    void thousandsOfFramesFromOnePassArriveWholeAndInOrder()
    {
        // More frames than one sendmsg(2) takes (1,024), all in one pass: one payload sent again
        // and again as a broadcast sends it, distinct ones, and control and binary frames.
        const QByteArray shared("the same message for everyone");
        const QByteArray chunk(300, 'c');
        QList<Frame> expected;
        for (int i = 0; i < 3000; ++i) {
            if (i % 3 == 0) {
                m_connection->sendText(shared);
                expected.append({Text, shared});
            } else if (i % 3 == 1) {
                const QByteArray own = QByteArray::number(i);
                m_connection->sendText(own);
                expected.append({Text, own});
            } else if (i % 100 == 2) {
                m_connection->ping("p");
                expected.append({PingOp, "p"});
            } else {
                m_connection->sendBinary(chunk);
                expected.append({Binary, chunk});
            }
        }
        const QList<Frame> frames = receive(expected.size());
        QCOMPARE(frames.size(), expected.size());
        QVERIFY(frames == expected);
        qint64 bytes = 0;
        for (const Frame &f : expected)
            bytes += framedSize(f.payload.size());
        QCOMPARE(qint64(m_connection->bytesSent()), bytes);
        QCOMPARE(m_connection->bytesToWrite(), 0);
    }

    void whatTheKernelDoesNotTakeWaitsAndKeepsItsOrder()
    {
        // 40 MB with nobody reading: far beyond what loopback's socket buffers hold, so sends
        // are cut short and the rest waits in the connection.
        QByteArray shared(1000, 's');
        QList<QByteArray> sent;
        for (int i = 0; i < 40000; ++i) {
            if (i % 2 == 0) {
                m_connection->sendText(shared);
                sent.append(shared);
            } else {
                QByteArray own = QByteArray::number(i).leftJustified(1000, '.');
                m_connection->sendText(own);
                sent.append(own);
            }
        }
        QVERIFY2(m_connection->bytesToWrite() > 0, "the kernel took everything: nothing was tested");
        shared.fill('x'); // detaches: what was queued stays as it was sent
        QList<Frame> frames = receive(sent.size());
        QCOMPARE(frames.size(), sent.size());
        for (qsizetype i = 0; i < sent.size(); ++i) {
            QCOMPARE(frames.at(i).opcode, Text);
            QCOMPARE(frames.at(i).payload, sent.at(i));
        }
        QVERIFY(waitUntil([&] { return m_connection->bytesToWrite() == 0; }));
        QCOMPARE(qint64(m_connection->bytesSent()), qint64(sent.size()) * framedSize(1000));
    }

    void rawDataReusedUnderTheSameAddressIsSentAsItIsThen()
    {
        // A frame is made once for a payload sent to several receivers, recognised by its address;
        // data Qt does not own could change under that address, so it is framed every time.
        char buffer[] = "before";
        m_connection->sendText(QByteArray::fromRawData(buffer, 6));
        memcpy(buffer, "after!", 6);
        m_connection->sendText(QByteArray::fromRawData(buffer, 6));
        const QList<Frame> frames = receive(2);
        QCOMPARE(frames.size(), 2);
        QCOMPARE(frames.at(0).payload, QByteArray("before"));
        QCOMPARE(frames.at(1).payload, QByteArray("after!"));
    }
};

QTEST_GUILESS_MAIN(TestWsConnection)
#include "tst_wsconnection.moc"

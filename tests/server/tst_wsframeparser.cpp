// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawwsclient.h"
#include "utf8validator.h"
#include "wsframeparser.h"

#include <QtTest>

namespace {
using Event = WsFrameParser::Event;
constexpr quint8 Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, PingOp = 0x9, PongOp = 0xA;

struct Seen
{
    Event event;
    QByteArray payload;
    quint16 code;
    bool operator==(const Seen &o) const
    {
        return event == o.event && payload == o.payload && code == o.code;
    }
};

// Everything `stream` yields when given to one parser `piece` bytes at a time (0: at once).
QList<Seen> parseAll(const QByteArray &stream, qint64 limit, qsizetype piece = 0)
{
    WsFrameParser parser(limit);
    QList<Seen> seen;
    qsizetype pos = 0;
    while (pos < stream.size() && !parser.isFinished()) {
        const qsizetype size = piece > 0 ? qMin(piece, stream.size() - pos) : stream.size() - pos;
        qsizetype offset = 0;
        while (offset < size && !parser.isFinished()) {
            qsizetype used = 0;
            const Event e = parser.parse(stream.constData() + pos + offset, size - offset, &used);
            offset += used;
            if (e == Event::NeedMore)
                break;
            const quint16 code = e == Event::Error   ? parser.errorCode()
                                 : e == Event::Close ? parser.closeCode()
                                                     : 0;
            seen.append({e, parser.takePayload(), code});
        }
        pos += offset;
    }
    return seen;
}

QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true)
{
    return RawWsClient::frame(opcode, payload, fin);
}

QByteArray bigEndian(quint64 value, int bytes)
{
    QByteArray out;
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        out.append(char(value >> shift));
    return out;
}
} // namespace

//! WsFrameParser and Utf8Validator alone, on bytes arriving in pieces of any size, as TCP
//! delivers them; tst_wireconformance checks the same rules through a live server.
class TestWsFrameParser : public QObject
{
    Q_OBJECT

private slots:
    // However TCP cuts the stream, the messages are the same: a character split between two
    // fragments with a ping between them, a 70,000-byte binary message (64-bit length), a pong
    // and a close frame with a reason.
    void piecesMakeNoDifference()
    {
        const QByteArray japanese = QStringLiteral("日本語で").toUtf8();
        QByteArray big(70000, Qt::Uninitialized);
        for (int i = 0; i < big.size(); ++i)
            big[i] = char(i * 7);
        const QByteArray stream = frame(Text, japanese.left(4), false) + frame(PingOp, "are you there?") +
                                  frame(Continuation, japanese.mid(4)) + frame(Binary, big) +
                                  frame(PongOp, "x") + frame(Close, bigEndian(1000, 2) + "bye") +
                                  frame(Text, "after the close");
        const QList<Seen> expected{{Event::Ping, "are you there?", 0},
                                   {Event::Text, japanese, 0},
                                   {Event::Binary, big, 0},
                                   {Event::Pong, {}, 0},
                                   {Event::Close, bigEndian(1000, 2) + "bye", 1000}};
        QCOMPARE(parseAll(stream, 1 << 20), expected);
        QCOMPARE(parseAll(stream, 1 << 20, 1), expected);
        QCOMPARE(parseAll(stream, 1 << 20, 7), expected);
        QCOMPARE(parseAll(stream, 1 << 20, 4096), expected);
    }

    // A peer announcing a huge message is refused at the header, before it sends the payload,
    // and the parser keeps nothing of it; one byte over the limit is refused the same way.
    void anAnnouncedSizeOverTheLimitFailsAtTheHeader_data()
    {
        QTest::addColumn<QByteArray>("header");
        const QByteArray mask("\x01\x02\x03\x04", 4);
        QTest::newRow("2^40 bytes") << QByteArray("\x82\xff", 2) + bigEndian(quint64(1) << 40, 8) + mask;
        QTest::newRow("limit + 1") << QByteArray("\x82\xfe", 2) + bigEndian(1001, 2) + mask;
    }
    void anAnnouncedSizeOverTheLimitFailsAtTheHeader()
    {
        QFETCH(QByteArray, header);
        WsFrameParser parser(1000);
        qsizetype used = 0;
        QCOMPARE(parser.parse(header.constData(), header.size(), &used), Event::Error);
        QCOMPARE(parser.errorCode(), quint16(1009));
        QCOMPARE(used, header.size());
        QVERIFY(parser.isFinished());
        QVERIFY(parser.takePayload().isEmpty());
    }

    // The limit is on the whole message, across its fragments: exactly the limit is fine.
    void theLimitCountsEveryFragment()
    {
        const QByteArray half(500, 'a');
        const QList<Seen> exact = parseAll(frame(Binary, half, false) + frame(Continuation, half), 1000);
        QCOMPARE(exact, (QList<Seen>{{Event::Binary, half + half, 0}}));
        const QList<Seen> over = parseAll(
            frame(Binary, half, false) + frame(Continuation, half, false) + frame(Continuation, "b"), 1000);
        QCOMPARE(over, (QList<Seen>{{Event::Error, {}, 1009}}));
    }

    // Invalid text is refused at its first bad byte, before the rest of a long frame arrives.
    void invalidTextFailsBeforeTheFrameEnds()
    {
        const QByteArray stream = frame(Text, "ok \xc0\xaf" + QByteArray(60000, 'x'));
        WsFrameParser parser(1 << 20);
        qsizetype used = 0;
        QCOMPARE(parser.parse(stream.constData(), 16, &used), Event::Error);
        QCOMPARE(parser.errorCode(), quint16(1007));
        QVERIFY(used <= 16);
    }

    void closeFramesAreChecked_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("event");
        QTest::addColumn<int>("code");
        QTest::newRow("no code") << QByteArray() << int(Event::Close) << 0;
        QTest::newRow("1000") << bigEndian(1000, 2) << int(Event::Close) << 1000;
        QTest::newRow("4001 with a reason") << bigEndian(4001, 2) + "taken" << int(Event::Close) << 4001;
        QTest::newRow("one byte") << QByteArray("\x03", 1) << int(Event::Error) << 1002;
        QTest::newRow("999") << bigEndian(999, 2) << int(Event::Error) << 1002;
        QTest::newRow("1005") << bigEndian(1005, 2) << int(Event::Error) << 1002;
        QTest::newRow("2999") << bigEndian(2999, 2) << int(Event::Error) << 1002;
        QTest::newRow("5000") << bigEndian(5000, 2) << int(Event::Error) << 1002;
        QTest::newRow("bad reason") << bigEndian(1000, 2) + "\xff" << int(Event::Error) << 1007;
    }
    void closeFramesAreChecked()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, event);
        QFETCH(int, code);
        const QList<Seen> seen = parseAll(frame(Close, payload) + frame(Text, "never read"), 1000, 3);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(int(seen.first().event), event);
        QCOMPARE(int(seen.first().code), code);
    }

    void utf8IsCheckedToTheLetter_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<bool>("complete");
        QTest::newRow("ASCII") << QByteArray("hello, world, and more than eight") << true << true;
        QTest::newRow("two, three and four bytes")
            << QByteArray("\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80") << true << true;
        QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true << true;
        QTest::newRow("U+FFFF") << QByteArray("\xef\xbf\xbf") << true << true;
        QTest::newRow("cut off") << QByteArray("abc\xe6\x97") << true << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false << false;
        QTest::newRow("overlong 3 bytes") << QByteArray("\xe0\x80\xaf") << false << false;
        QTest::newRow("overlong 4 bytes") << QByteArray("\xf0\x80\x80\xaf") << false << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false << false;
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false << false;
        QTest::newRow("F5") << QByteArray("\xf5\x80\x80\x80") << false << false;
        QTest::newRow("lone continuation") << QByteArray("abcdefgh\x80") << false << false;
        QTest::newRow("lead without continuation") << QByteArray("\xc3(") << false << false;
    }
    void utf8IsCheckedToTheLetter()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QFETCH(bool, complete);
        Utf8Validator whole;
        whole.feed(bytes.constData(), bytes.size());
        QCOMPARE(whole.isValid(), valid);
        QCOMPARE(whole.isComplete(), complete);
        Utf8Validator bytewise;
        for (char c : bytes)
            bytewise.feed(&c, 1);
        QCOMPARE(bytewise.isValid(), valid);
        QCOMPARE(bytewise.isComplete(), complete);
        // Qt's own decoder agrees on what is valid.
        if (complete || !valid) {
            QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString text = decoder.decode(bytes);
            QCOMPARE(!decoder.hasError(), valid);
        }
    }
};

QTEST_GUILESS_MAIN(TestWsFrameParser)
#include "tst_wsframeparser.moc"

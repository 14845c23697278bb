#include "protocol.h"
#include <QtTest>
class TestProtocol : public QObject
{
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(!Protocol::encode(Protocol::ClientMessage(Protocol::Typing{})).isEmpty()); }
};
QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"

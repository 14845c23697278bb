#include "commandresult.h"

#include <QtTest>

class TestDeb : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(TestDeb)
#include "tst_deb.moc"

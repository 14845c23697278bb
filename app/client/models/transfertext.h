// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "transferinfo.h"

#include <QCoreApplication>
#include <QString>

//! The words and numbers a file transfer is shown with: sizes ("12.4 MiB"), speeds ("3.2 MiB/s")
//! and a one-line status ("4.0 MiB of 12.4 MiB · 3.2 MiB/s · 3 s left", "Failed: disk full").
class TransferText
{
    Q_DECLARE_TR_FUNCTIONS(TransferText)
public:
    static QString size(qint64 bytes);
    static QString speed(double bytesPerSecond);
    static QString remaining(qint64 bytesLeft, double bytesPerSecond); // empty when unknown
    static QString status(const TransferInfo &info);
    // Progress in [0, 1]; an empty file counts as done once it completed.
    static double progress(const TransferInfo &info);
};

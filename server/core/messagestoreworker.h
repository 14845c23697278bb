// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messagestore.h"

#include <QObject>

#include <memory>

//! The HistoryWriter's side of its thread: a handle of its own on the message store
//! (MessageStore::openAnother), opened, used and closed on that thread only.
class MessageStoreWorker : public QObject
{
    Q_OBJECT

public:
    explicit MessageStoreWorker(const MessageStore &source);
    ~MessageStoreWorker() override;

    // On the worker's thread, each of them.
    void open();
    // After a batch failed, every later one fails unwritten until reset(): their messages were
    // numbered after the failed ones, which the rooms take back. Not so with a shared store,
    // which numbers messages itself; its partial success leaves `error` set beside `numbering`.
    bool write(const QList<MessageStore::Entry> &entries, QString *error,
               QList<MessageStore::Numbered> *numbering);
    void reset() { m_failed = false; }
    void idle();
    void close();

private:
    const MessageStore &m_source;
    std::unique_ptr<MessageStore> m_store;
    bool m_failed = false;
};

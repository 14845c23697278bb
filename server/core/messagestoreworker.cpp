// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagestoreworker.h"

#include <algorithm>

MessageStoreWorker::MessageStoreWorker(const MessageStore &source)
    : m_source(source)
{}

MessageStoreWorker::~MessageStoreWorker() = default;

void MessageStoreWorker::open()
{
    m_store = m_source.openAnother();
}

bool MessageStoreWorker::write(const QList<MessageStore::Entry> &entries, QString *error,
                               QList<MessageStore::Numbered> *numbering)
{
    if (m_failed) {
        *error = QStringLiteral("an earlier batch could not be written");
        return false;
    }
    if (!m_store) {
        *error = QStringLiteral("the message store's writer is not open");
    } else if (m_store->write(entries)) {
        *numbering = m_store->takeNumbering();
        if (std::any_of(numbering->cbegin(), numbering->cend(),
                        [](const MessageStore::Numbered &n) { return !n.stored; }))
            *error = m_store->errorString(); // some of it: a shared store writes entry by entry
        return true;
    } else {
        *error = m_store->errorString();
        // A shared store numbers each message itself: the batches after this one stand alone.
        if (m_store->isShared())
            return false;
    }
    m_failed = true;
    return false;
}

void MessageStoreWorker::idle()
{
    if (m_store)
        m_store->idle();
}

void MessageStoreWorker::close()
{
    m_store.reset();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagestoreworker.h"

MessageStoreWorker::MessageStoreWorker(const MessageStore &source)
    : m_source(source)
{}

MessageStoreWorker::~MessageStoreWorker() = default;

void MessageStoreWorker::open()
{
    m_store = m_source.openAnother();
}

bool MessageStoreWorker::write(const QList<MessageStore::Entry> &entries, QString *error)
{
    if (!m_store) {
        *error = QStringLiteral("the message store's writer is not open");
        return false;
    }
    if (m_store->write(entries))
        return true;
    *error = m_store->errorString();
    return false;
}

void MessageStoreWorker::close()
{
    m_store.reset();
}

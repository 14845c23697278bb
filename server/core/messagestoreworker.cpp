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
        return true;
    } else {
        *error = m_store->errorString();
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

// SPDX-License-Identifier: GPL-3.0-or-later
#include "passwordhasher.h"

#include <QPromise>

#include <memory>

namespace {

// QThreadPool::start takes a copyable std::function, and QPromise only moves.
template<typename T, typename Work>
QFuture<T> runOn(QThreadPool &pool, std::atomic<int> &pending, Work work)
{
    auto promise = std::make_shared<QPromise<T>>();
    QFuture<T> future = promise->future();
    promise->start();
    ++pending;
    pool.start([promise, &pending, work = std::move(work)] {
        promise->addResult(work());
        --pending;
        promise->finish();
    });
    return future;
}

} // namespace

PasswordHasher::PasswordHasher(int threads)
{
    m_pool.setMaxThreadCount(qMax(1, threads));
}

PasswordHasher::~PasswordHasher()
{
    m_pool.waitForDone();
}

QFuture<PasswordRecord::Check> PasswordHasher::check(const QString &record, const QString &password,
                                                     int wantedIterations)
{
    return runOn<PasswordRecord::Check>(m_pool, m_pending, [record, password, wantedIterations] {
        return PasswordRecord::check(record, password, wantedIterations);
    });
}

QFuture<QString> PasswordHasher::create(const QString &password, int iterations)
{
    return runOn<QString>(m_pool, m_pending,
                          [password, iterations] { return PasswordRecord::create(password, iterations); });
}

// SPDX-License-Identifier: GPL-3.0-or-later
// The capacity areas' load client for fan-out and paced latency (tools/bench.sh), in C++ on one
// epoll set. capacity-client.js on Node's `ws` spends some 19 µs of its core per message it
// receives: at 50,000 deliveries a second it is at 95% of that core, and the latency it reports
// is mostly its own queue (the 499th receiver is read ~10 ms after the first). This client reads
// a delivery in about a tenth of that, so what it measures is the server. Same arguments, same
// JSON lines, same guides' protocol, for natter-server and chat-server.js alike:
//
//   bench_load_client fanout URLS SENDERS RECEIVERS COUNT
//   bench_load_client paced  URLS SENDERS RECEIVERS RATE SECONDS
//
// URLS: ws://host:port, several comma separated (a cluster's nodes): senders connect to the
// first, receivers to each in turn. Clients connect from 127.0.0.2 … 127.0.0.51 in turn
// (LOCAL_ADDRESSES=n to change), as capacity-client.js does. Only what these two modes need of
// RFC 6455 is here: the servers send whole unmasked frames; pings are answered, a close ends
// the run with an error.

#include <arpa/inet.h>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <vector>

#include <algorithm>

namespace {

double nowMs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

[[noreturn]] void die(const char *what, const std::string &detail = {})
{
    fprintf(stderr, "bench_load_client: %s%s%s\n", what, detail.empty() ? "" : ": ", detail.c_str());
    exit(1);
}

struct Target
{
    sockaddr_in address = {};
    std::string hostPort;
    std::string path;
};

Target parseUrl(const std::string &url)
{
    const std::string scheme = "ws://";
    if (url.compare(0, scheme.size(), scheme) != 0)
        die("only ws:// URLs", url);
    const std::string rest = url.substr(scheme.size());
    const size_t slash = rest.find('/');
    Target t;
    t.hostPort = rest.substr(0, slash);
    t.path = slash == std::string::npos ? "/" : rest.substr(slash);
    const size_t colon = t.hostPort.rfind(':');
    if (colon == std::string::npos)
        die("the URL needs a port", url);
    t.address.sin_family = AF_INET;
    t.address.sin_port = htons(uint16_t(atoi(t.hostPort.c_str() + colon + 1)));
    if (inet_pton(AF_INET, t.hostPort.substr(0, colon).c_str(), &t.address.sin_addr) != 1)
        die("the host must be an IPv4 address", url);
    return t;
}

enum class State {
    Connecting,
    Upgrading,
    LoggingIn,
    Joined
};

struct Conn
{
    int fd = -1;
    State state = State::Connecting;
    bool sender = false;
    std::string in;  // received bytes not yet taken as frames
    std::string out; // bytes the kernel has not taken yet
    size_t outAt = 0;
    bool watchingWrites = true; // EPOLLOUT is in the set (from the connect on)
    long got = 0;               // fanout: chat messages received
    std::string name;
    std::string room;
    const Target *target = nullptr;
};

class LoadClient
{
public:
    LoadClient(bool paced, std::vector<Target> targets, int senders, int receivers, double rateOrCount,
               int seconds)
        : m_paced(paced)
        , m_targets(std::move(targets))
        , m_senders(senders)
        , m_receivers(receivers)
        , m_rate(paced ? rateOrCount : 0)
        , m_count(paced ? 0 : long(rateOrCount))
        , m_seconds(seconds)
    {
        const char *env = getenv("LOCAL_ADDRESSES");
        m_addresses = env ? std::max(1, atoi(env)) : 50;
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            die("epoll_create1", strerror(errno));
        m_conns.resize(size_t(senders + receivers));
        for (int i = 0; i < senders + receivers; ++i) {
            Conn &c = m_conns[size_t(i)];
            c.sender = i < senders;
            const int r = i - senders;
            c.name = c.sender ? "s" + std::to_string(i) : "r" + std::to_string(r);
            c.room = paced ? "paced" : "fanout";
            c.target = &m_targets[c.sender ? 0 : size_t(r) % m_targets.size()];
            connectOne(i);
        }
    }

    int run()
    {
        epoll_event events[256];
        for (;;) {
            const int n = epoll_wait(m_epoll, events, 256, -1);
            if (n < 0 && errno != EINTR)
                die("epoll_wait", strerror(errno));
            for (int k = 0; k < n; ++k) {
                const int i = int(events[k].data.u32);
                if (i == TimerId) {
                    onTimer();
                    continue;
                }
                Conn &c = m_conns[size_t(i)];
                if (events[k].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                    onWritable(i);
                if (events[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                    onReadable(c);
            }
        }
    }

private:
    static constexpr int TimerId = 0x7fffffff;

    void connectOne(int i)
    {
        Conn &c = m_conns[size_t(i)];
        c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c.fd < 0)
            die("socket", strerror(errno));
        const int one = 1;
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in local = {};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(0x7f000002u + uint32_t(m_nextAddress++ % m_addresses));
        if (bind(c.fd, reinterpret_cast<sockaddr *>(&local), sizeof local) < 0)
            die("bind", strerror(errno));
        if (connect(c.fd, reinterpret_cast<const sockaddr *>(&c.target->address), sizeof c.target->address) <
                0 &&
            errno != EINPROGRESS)
            die("connect", strerror(errno));
        epoll_event ev = {};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.u32 = uint32_t(i);
        if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &ev) < 0)
            die("epoll_ctl", strerror(errno));
    }

    void watchWrites(int i, bool on)
    {
        if (m_conns[size_t(i)].watchingWrites == on)
            return;
        m_conns[size_t(i)].watchingWrites = on;
        epoll_event ev = {};
        ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
        ev.data.u32 = uint32_t(i);
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, m_conns[size_t(i)].fd, &ev);
    }

    void onWritable(int i)
    {
        Conn &c = m_conns[size_t(i)];
        if (c.state == State::Connecting) {
            int error = 0;
            socklen_t len = sizeof error;
            getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len);
            if (error != 0)
                die("connecting", strerror(error));
            c.state = State::Upgrading;
            // A fixed key: the servers check its form, and this client does not check the answer's.
            queue(i, "GET " + c.target->path + " HTTP/1.1\r\nHost: " + c.target->hostPort +
                         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            return;
        }
        flush(i);
    }

    void queue(int i, const std::string &bytes)
    {
        Conn &c = m_conns[size_t(i)];
        const bool idle = c.outAt == c.out.size();
        c.out.append(bytes);
        if (idle)
            flush(i);
    }

    void flush(int i)
    {
        Conn &c = m_conns[size_t(i)];
        while (c.outAt < c.out.size()) {
            const ssize_t n = send(c.fd, c.out.data() + c.outAt, c.out.size() - c.outAt, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    watchWrites(i, true);
                    return;
                }
                die("send", strerror(errno));
            }
            c.outAt += size_t(n);
        }
        c.out.clear();
        c.outAt = 0;
        watchWrites(i, false);
    }

    // One masked client frame (RFC 6455 5.2); the payloads here are short.
    void queueFrame(int i, uint8_t opcode, const std::string &payload)
    {
        std::string frame;
        frame.reserve(payload.size() + 8);
        frame.push_back(char(0x80 | opcode));
        if (payload.size() < 126) {
            frame.push_back(char(0x80 | payload.size()));
        } else {
            frame.push_back(char(0x80 | 126));
            frame.push_back(char(payload.size() >> 8));
            frame.push_back(char(payload.size() & 0xff));
        }
        const char mask[4] = {0x37, 0x5a, 0x1c, 0x6e};
        frame.append(mask, 4);
        for (size_t k = 0; k < payload.size(); ++k)
            frame.push_back(char(payload[k] ^ mask[k & 3]));
        queue(i, frame);
    }

    void onReadable(Conn &c)
    {
        const int i = int(&c - m_conns.data());
        for (;;) {
            const ssize_t n = recv(c.fd, m_buffer, sizeof m_buffer, 0);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                die("recv", strerror(errno));
            }
            if (n == 0)
                die("the server closed a connection", c.name);
            c.in.append(m_buffer, size_t(n));
            if (size_t(n) < sizeof m_buffer)
                break;
        }
        size_t at = 0;
        if (c.state == State::Upgrading) {
            const size_t end = c.in.find("\r\n\r\n");
            if (end == std::string::npos)
                return;
            if (c.in.compare(0, 12, "HTTP/1.1 101") != 0)
                die("upgrade refused", c.in.substr(0, c.in.find("\r\n")));
            at = end + 4;
            c.state = State::LoggingIn;
            queueFrame(i, 0x1, "{\"type\":\"setUsername\",\"username\":\"" + c.name + "\"}");
            queueFrame(i, 0x1, "{\"type\":\"joinRoom\",\"room\":\"" + c.room + "\"}");
        }
        while (c.in.size() - at >= 2) {
            const auto *p = reinterpret_cast<const uint8_t *>(c.in.data() + at);
            const size_t avail = c.in.size() - at;
            if ((p[1] & 0x80) != 0 || (p[0] & 0x80) == 0)
                die("a masked or fragmented frame from the server", c.name);
            size_t header = 2;
            uint64_t length = p[1] & 0x7f;
            if (length == 126) {
                if (avail < 4)
                    break;
                length = uint64_t(p[2]) << 8 | p[3];
                header = 4;
            } else if (length == 127) {
                if (avail < 10)
                    break;
                length = 0;
                for (int k = 2; k < 10; ++k)
                    length = length << 8 | p[k];
                header = 10;
            }
            if (avail - header < length)
                break;
            const char *payload = c.in.data() + at + header;
            const uint8_t opcode = p[0] & 0x0f;
            at += header + size_t(length);
            if (opcode == 0x1)
                onText(i, payload, size_t(length));
            else if (opcode == 0x9)
                queueFrame(i, 0xA, std::string(payload, size_t(length)));
            else if (opcode == 0x8)
                die("the server sent a close frame", c.name);
        }
        c.in.erase(0, at);
    }

    static bool contains(const char *p, size_t n, const char *what)
    {
        return memmem(p, n, what, strlen(what)) != nullptr;
    }

    void onText(int i, const char *p, size_t n)
    {
        Conn &c = m_conns[size_t(i)];
        if (c.state == State::LoggingIn) {
            if (contains(p, n, "\"error\""))
                die("refused", std::string(p, n));
            if (contains(p, n, "\"roomJoined\"")) {
                c.state = State::Joined;
                if (++m_joined == int(m_conns.size()))
                    start();
            }
            return;
        }
        if (c.sender)
            return;
        if (m_paced) {
            const char *tag = static_cast<const char *>(memmem(p, n, "\"t=", 3));
            if (tag == nullptr)
                return;
            const double received = nowMs();
            char *semi = nullptr;
            const double sentAt = strtod(tag + 3, &semi);
            if (semi < p + n - 1 && *semi == ';' && semi[1] == '1')
                m_latencies.push_back(received - sentAt);
            if (++m_pacedReceived == m_pacedExpected)
                finish();
        } else if (contains(p, n, "\"chatMessage\"")) {
            if (++c.got == m_senders * m_count && ++m_done == m_receivers)
                finish();
        }
    }

    void start()
    {
        m_t0 = nowMs();
        if (!m_paced) {
            for (int s = 0; s < m_senders; ++s)
                for (long k = 0; k < m_count; ++k)
                    queueFrame(s, 0x1,
                               "{\"type\":\"chatMessage\",\"text\":\"fan-out " + std::to_string(s) +
                                   " message " + std::to_string(k) + "\"}");
            return;
        }
        m_total = long(m_rate * (m_seconds + Warmup) + 0.5);
        m_pacedExpected = m_total * m_receivers;
        m_latencies.reserve(size_t(m_rate * m_seconds + 1) * size_t(m_receivers));
        m_timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        const long periodNs = std::max(1L, long(1e9 / m_rate));
        itimerspec spec = {};
        spec.it_interval.tv_sec = periodNs / 1000000000L;
        spec.it_interval.tv_nsec = periodNs % 1000000000L;
        spec.it_value.tv_nsec = 1;
        timerfd_settime(m_timer, 0, &spec, nullptr);
        epoll_event ev = {};
        ev.events = EPOLLIN;
        ev.data.u32 = TimerId;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_timer, &ev);
    }

    void onTimer()
    {
        uint64_t expirations = 0;
        if (read(m_timer, &expirations, sizeof expirations) < 0)
            return;
        if (m_sent >= m_total) {
            // The last deliveries had half a second, as capacity-client.js gives them.
            if (nowMs() - m_lastSendAt >= 500)
                finish();
            return;
        }
        // As many as are due by now: a late wake-up catches up instead of lowering the rate.
        const long due = std::min(m_total, long((nowMs() - m_t0) * m_rate / 1000));
        char text[96];
        while (m_sent < due) {
            if (m_sent == long(m_rate * Warmup + 0.5)) {
                m_counting = true;
                fputs("{\"phase\":\"measuring\"}\n", stdout);
                fflush(stdout);
            }
            snprintf(text, sizeof text, "{\"type\":\"chatMessage\",\"text\":\"t=%.3f;%d\"}", nowMs(),
                     m_counting ? 1 : 0);
            queueFrame(int(m_sent % m_senders), 0x1, text);
            ++m_sent;
            m_lastSendAt = nowMs();
        }
    }

    void finish()
    {
        const double seconds = (nowMs() - m_t0) / 1000;
        if (!m_paced) {
            const long deliveries = long(m_receivers) * m_senders * m_count;
            printf("{\"mode\":\"fanout\",\"senders\":%d,\"receivers\":%d,\"messages\":%ld,\"seconds\":%.3f,"
                   "\"deliveredPerSecond\":%ld}\n",
                   m_senders, m_receivers, m_count, seconds, long(double(deliveries) / seconds + 0.5));
        } else {
            std::sort(m_latencies.begin(), m_latencies.end());
            const auto q = [this](double f) {
                if (m_latencies.empty())
                    return 0.0;
                return m_latencies[std::min(m_latencies.size() - 1, size_t(f * double(m_latencies.size())))];
            };
            printf("{\"mode\":\"paced\",\"senders\":%d,\"receivers\":%d,\"rate\":%g,\"seconds\":%d,"
                   "\"deliveries\":%zu,\"expected\":%ld,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f}\n",
                   m_senders, m_receivers, m_rate, m_seconds, m_latencies.size(),
                   long(m_rate * m_seconds + 0.5) * m_receivers, q(0.5), q(0.99),
                   m_latencies.empty() ? 0.0 : m_latencies.back());
        }
        fflush(stdout);
        exit(0);
    }

    static constexpr int Warmup = 1; // seconds sent but not counted: connections and caches settle

    const bool m_paced;
    const std::vector<Target> m_targets;
    const int m_senders;
    const int m_receivers;
    const double m_rate;
    const long m_count;
    const int m_seconds;
    int m_addresses = 50;
    int m_nextAddress = 0;
    int m_epoll = -1;
    int m_timer = -1;
    std::vector<Conn> m_conns;
    int m_joined = 0;
    int m_done = 0;
    double m_t0 = 0;
    long m_total = 0; // paced: messages to send, warm-up included
    long m_sent = 0;
    double m_lastSendAt = 0;
    bool m_counting = false;
    long m_pacedReceived = 0;
    long m_pacedExpected = 0;
    std::vector<double> m_latencies;
    char m_buffer[65536];
};

} // namespace

int main(int argc, char **argv)
{
    const std::string mode = argc > 1 ? argv[1] : "";
    const bool paced = mode == "paced";
    if (!(paced && argc == 7) && !(mode == "fanout" && argc == 6)) {
        fprintf(stderr, "usage: bench_load_client fanout URLS SENDERS RECEIVERS COUNT\n"
                        "       bench_load_client paced  URLS SENDERS RECEIVERS RATE SECONDS\n");
        return 2;
    }
    std::vector<Target> targets;
    std::string urls = argv[2];
    for (size_t from = 0; from <= urls.size();) {
        const size_t comma = std::min(urls.find(',', from), urls.size());
        targets.push_back(parseUrl(urls.substr(from, comma - from)));
        from = comma + 1;
    }
    const int senders = atoi(argv[3]);
    const int receivers = atoi(argv[4]);
    const double rateOrCount = atof(argv[5]);
    const int seconds = paced ? atoi(argv[6]) : 0;
    if (senders < 1 || receivers < 1 || rateOrCount <= 0 || (paced && seconds < 1)) {
        fprintf(stderr,
                "bench_load_client: senders, receivers, count or rate and seconds must be positive\n");
        return 2;
    }
    LoadClient client(paced, std::move(targets), senders, receivers, rateOrCount, seconds);
    return client.run();
}

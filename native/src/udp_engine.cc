// udp_engine.cc — sockets, I/O threads and the hit loop of udp_engine.h. Every thread polls every
// listening socket plus an eventfd (for Stop); a readable socket is drained with recvmmsg in
// batches of kBatch (bounded rounds, then poll again), hits go out with one sendmmsg per batch.
#include "udp_engine.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstring>

namespace adbit {
namespace udp {
namespace {

constexpr unsigned kBatch = 64;
/** Largest query read; a bigger datagram is no plain query (RFC 1035 §4.2.1 limits UDP to 512 without EDNS). */
constexpr size_t kInBytes = 4096;
/** recvmmsg rounds per wake-up before polling again (Stop is noticed within one round). */
constexpr int kRoundsPerPoll = 16;
/** Kernel receive buffer asked for: bursts of small queries queue here while a thread works. */
constexpr int kRcvBuf = 4 * 1024 * 1024;

inline void Bump(std::atomic<uint64_t>& c, uint64_t n = 1) {
  // Single writer per counter slot: a relaxed load+store is enough and avoids a locked add.
  c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

bool MatchNet(const AclNet& net, const uint8_t* b) {
  unsigned bits = net.prefix;
  for (unsigned i = 0; bits > 0; i++) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((b[i] & mask) != (net.bytes[i] & mask)) return false;
    bits = bits >= 8 ? bits - 8 : 0;
  }
  return true;
}

}  // namespace

Engine::Engine(std::shared_ptr<reply::Table> table, Sink sink, int threads, bool reuse_port)
    : table_(std::move(table)),
      sink_(std::move(sink)),
      nthreads_(threads < 1 ? 1 : static_cast<size_t>(threads)),
      reuse_port_(reuse_port),
      counters_(new Counters[threads < 1 ? 1 : threads]),
      acl_(std::make_shared<const std::vector<AclNet>>()) {
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

Engine::~Engine() {
  Stop();
  if (wake_fd_ >= 0) close(wake_fd_);
}

int Engine::Listen(const std::string& host, uint16_t port, uint16_t* bound) {
  sockaddr_storage ss{};
  socklen_t len;
  int family;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    family = AF_INET;
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    family = AF_INET6;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(sockaddr_in6);
  } else {
    return EINVAL;
  }
  const int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return errno;
  const int one = 1;
  if (family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  // SO_REUSEPORT only for cluster workers sharing a port; a single process binds exclusively so
  // that another resolver already on the port is an error (EADDRINUSE), not a silent split.
  if (reuse_port_) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  const int rcv = kRcvBuf;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);  // capped by net.core.rmem_max; best effort
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    const int err = errno;
    close(fd);
    return err;
  }
  sockaddr_storage got{};
  socklen_t got_len = sizeof got;
  getsockname(fd, reinterpret_cast<sockaddr*>(&got), &got_len);
  *bound = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&got)->sin_port : reinterpret_cast<sockaddr_in6*>(&got)->sin6_port);
  fds_.push_back(fd);
  return 0;
}

void Engine::Start() {
  if (!threads_.empty() || fds_.empty()) return;
  for (size_t t = 0; t < nthreads_; t++) threads_.emplace_back([this, t] { Run(t); });
}

void Engine::SetAcl(std::vector<AclNet> nets) {
  auto next = std::make_shared<const std::vector<AclNet>>(std::move(nets));
  std::lock_guard<std::mutex> lock(acl_mu_);
  acl_ = std::move(next);
}

std::shared_ptr<const std::vector<AclNet>> Engine::Acl() const {
  std::lock_guard<std::mutex> lock(acl_mu_);
  return acl_;
}

bool Engine::Allowed(const std::vector<AclNet>& nets, const sockaddr_storage& peer) const {
  uint8_t family;
  const uint8_t* b;
  if (peer.ss_family == AF_INET) {
    family = 4;
    b = reinterpret_cast<const uint8_t*>(&reinterpret_cast<const sockaddr_in*>(&peer)->sin_addr);
  } else if (peer.ss_family == AF_INET6) {
    b = reinterpret_cast<const uint8_t*>(&reinterpret_cast<const sockaddr_in6*>(&peer)->sin6_addr);
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    family = std::memcmp(b, kMapped, 12) == 0 ? 4 : 6;
    if (family == 4) b += 12;
  } else {
    return false;
  }
  for (const AclNet& n : nets) {
    if (n.family == family && MatchNet(n, b)) return true;
  }
  return false;
}

int Engine::Send(uint32_t socket, const sockaddr_storage& peer, socklen_t peer_len, const uint8_t* p, size_t n) {
  if (socket >= fds_.size() || stopping_.load(std::memory_order_acquire)) return EBADF;
  const ssize_t r = sendto(fds_[socket], p, n, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&peer), peer_len);
  if (r < 0) {
    js_send_failed_.fetch_add(1, std::memory_order_relaxed);
    return errno;
  }
  return 0;
}

void Engine::Run(size_t t) {
  Counters& c = counters_[t];
  const size_t nfds = fds_.size();
  std::vector<pollfd> pfds(nfds + 1);
  for (size_t i = 0; i < nfds; i++) pfds[i] = pollfd{fds_[i], POLLIN, 0};
  pfds[nfds] = pollfd{wake_fd_, POLLIN, 0};
  std::vector<uint8_t> in(kBatch * kInBytes);
  const size_t out_cap = table_->server_max();
  std::vector<uint8_t> out(kBatch * out_cap);
  std::vector<sockaddr_storage> peers(kBatch);
  std::vector<iovec> in_iov(kBatch), out_iov(kBatch);
  std::vector<mmsghdr> in_msgs(kBatch), out_msgs(kBatch);
  reply::Key key;
  const uint16_t server_max = table_->server_max();
  while (!stopping_.load(std::memory_order_acquire)) {
    c.busy.store(false, std::memory_order_release);
    c.epoch.fetch_add(1, std::memory_order_acq_rel);
    const int pr = poll(pfds.data(), pfds.size(), -1);
    c.busy.store(true, std::memory_order_seq_cst);
    if (pr < 0 && errno != EINTR) break;
    if (pfds[nfds].revents != 0) break;
    for (size_t s = 0; s < nfds; s++) {
      if ((pfds[s].revents & POLLIN) == 0) continue;
      const int fd = fds_[s];
      for (int round = 0; round < kRoundsPerPoll; round++) {
        for (unsigned i = 0; i < kBatch; i++) {
          in_iov[i] = iovec{in.data() + i * kInBytes, kInBytes};
          in_msgs[i].msg_hdr = msghdr{};
          in_msgs[i].msg_hdr.msg_name = &peers[i];
          in_msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
          in_msgs[i].msg_hdr.msg_iov = &in_iov[i];
          in_msgs[i].msg_hdr.msg_iovlen = 1;
          in_msgs[i].msg_len = 0;
        }
        const int got = recvmmsg(fd, in_msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
        if (got <= 0) break;  // EAGAIN (another thread took them), EINTR, or a transient error
        const int64_t t0 = reply::MonotonicNs();
        Bump(c.received, static_cast<uint64_t>(got));
        const bool accepting = accepting_.load(std::memory_order_seq_cst);  // pairs with Quiesce()
        const auto acl = Acl();
        const int64_t now = reply::MonotonicMs();
        unsigned nout = 0;
        std::vector<Miss> misses;
        for (int i = 0; i < got; i++) {
          const uint8_t* q = in.data() + static_cast<size_t>(i) * kInBytes;
          const size_t n = in_msgs[i].msg_len;
          if (!accepting) { Bump(c.dropped_draining); continue; }
          if ((in_msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0) { Bump(c.dropped_oversize); continue; }
          const sockaddr_storage& peer = peers[i];
          if (Allowed(*acl, peer) && reply::KeyOf(q, n, false, server_max, key)) {
            uint8_t* o = out.data() + static_cast<size_t>(nout) * out_cap;
            uint8_t rcode = 0, sec = 0;
            const size_t len = table_->LookupInto(q, key, now, o, out_cap, &rcode, &sec);
            if (len > 0) {
              out_iov[nout] = iovec{o, len};
              out_msgs[nout].msg_hdr = msghdr{};
              out_msgs[nout].msg_hdr.msg_name = const_cast<sockaddr_storage*>(&peer);
              out_msgs[nout].msg_hdr.msg_namelen = in_msgs[i].msg_hdr.msg_namelen;
              out_msgs[nout].msg_hdr.msg_iov = &out_iov[nout];
              out_msgs[nout].msg_hdr.msg_iovlen = 1;
              nout++;
              Bump(c.hits_rcode[rcode & 15]);
              Bump(c.hits_security[sec < reply::SEC_COUNT ? sec : static_cast<uint8_t>(reply::SEC_INDETERMINATE)]);
              continue;
            }
          }
          Miss m;
          m.data.assign(q, q + n);
          m.peer = peer;
          m.peer_len = in_msgs[i].msg_hdr.msg_namelen;
          m.socket = static_cast<uint32_t>(s);
          misses.push_back(std::move(m));
        }
        Bump(c.hits, nout);
        unsigned sent = 0;
        while (sent < nout) {
          const int r = sendmmsg(fd, out_msgs.data() + sent, nout - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
          if (r > 0) { sent += static_cast<unsigned>(r); continue; }
          if (r < 0 && errno == EINTR) continue;
          // EAGAIN (send buffer full) or a per-peer error on the first message: skip that one.
          Bump(c.dropped_send);
          sent++;
        }
        if (nout > 0) {
          const uint64_t ns = static_cast<uint64_t>(reply::MonotonicNs() - t0);
          Bump(c.hit_ns_sum, ns * nout);
          size_t b = 0;
          while (b < 11 && ns > kHitBucketsNs[b]) b++;
          Bump(c.hit_hist[b], nout);
        }
        if (!misses.empty()) {
          const size_t k = misses.size();
          Bump(c.misses, k);
          if (!sink_(std::move(misses))) Bump(c.dropped_queue, k);
        }
        if (static_cast<unsigned>(got) < kBatch) break;
      }
    }
  }
}

bool Engine::Quiesce() {
  accepting_.store(false, std::memory_order_seq_cst);
  for (size_t t = 0; t < threads_.size(); t++) {
    const uint64_t e0 = counters_[t].epoch.load(std::memory_order_acquire);
    // A thread that is busy may have read datagrams before the flag flipped: wait for its batch
    // to end (bounded by kRoundsPerPoll batches, i.e. milliseconds).
    while (counters_[t].busy.load(std::memory_order_seq_cst) && counters_[t].epoch.load(std::memory_order_acquire) == e0) {
      std::this_thread::yield();
    }
  }
  return sink_(std::vector<Miss>{});
}

void Engine::Stop() {
  if (stopping_.exchange(true)) return;
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    ssize_t w = write(wake_fd_, &one, sizeof one);
    (void)w;
  }
  for (std::thread& th : threads_) th.join();
  threads_.clear();
  for (int fd : fds_) close(fd);
  // fds_ keeps its size so Send() on a stale index fails cleanly via stopping_.
}

StatsSnapshot Engine::Stats() const {
  StatsSnapshot s;
  s.dropped_send = js_send_failed_.load(std::memory_order_relaxed);
  for (size_t t = 0; t < nthreads_; t++) {
    const Counters& c = counters_[t];
    auto rd = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    s.received += rd(c.received);
    s.hits += rd(c.hits);
    s.misses += rd(c.misses);
    s.dropped_queue += rd(c.dropped_queue);
    s.dropped_send += rd(c.dropped_send);
    s.dropped_oversize += rd(c.dropped_oversize);
    s.dropped_draining += rd(c.dropped_draining);
    s.hit_ns_sum += rd(c.hit_ns_sum);
    for (int i = 0; i < 12; i++) s.hit_hist[i] += rd(c.hit_hist[i]);
    for (int i = 0; i < 16; i++) s.hits_rcode[i] += rd(c.hits_rcode[i]);
    for (int i = 0; i < reply::SEC_COUNT; i++) s.hits_security[i] += rd(c.hits_security[i]);
  }
  return s;
}

}  // namespace udp
}  // namespace adbit

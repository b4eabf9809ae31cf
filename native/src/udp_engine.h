// udp_engine.h — the native UDP front of adbit serve: the core owns the listening sockets, reads
// datagrams in batches with recvmmsg on N I/O threads, answers cache hits from the reply table
// with sendmmsg (no JS, no libuv per datagram) and hands everything else — misses, non-plain
// queries, clients outside the native ACL — to the JS pipeline in batches through a sink. Linux
// only (recvmmsg/sendmmsg). No napi: bind_udp.cc adapts it. Never throws on network data.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "reply_table.h"

namespace adbit {
namespace udp {

/** One allowed network (IPv4-mapped IPv6 clients are matched as IPv4, as acl.ts does). */
struct AclNet {
  uint8_t family = 4;  // 4 or 6
  uint8_t prefix = 0;
  uint8_t bytes[16] = {};
};

/** A datagram the native path did not answer. */
struct Miss {
  std::vector<uint8_t> data;
  sockaddr_storage peer{};
  socklen_t peer_len = 0;
  uint32_t socket = 0;
};

struct StatsSnapshot {
  uint64_t received = 0, hits = 0, misses = 0;
  uint64_t dropped_queue = 0, dropped_send = 0, dropped_oversize = 0, dropped_draining = 0;
  uint64_t hits_rcode[16] = {};
  uint64_t hits_security[reply::SEC_COUNT] = {};
  /** Sum over hits of recv-return→sendmmsg-done time of their batch (for the latency histogram). */
  uint64_t hit_ns_sum = 0;
  /** Hits by their batch's time, buckets of kHitBucketsNs (+Inf last); Prometheus-style, not cumulative. */
  uint64_t hit_hist[12] = {};
};

/** Upper bounds in ns, as metrics.ts LATENCY_BUCKETS_SEC (100 µs … 5 s). */
constexpr uint64_t kHitBucketsNs[11] = {100000, 500000, 1000000, 5000000, 10000000, 50000000, 100000000, 500000000, 1000000000, 2500000000ULL, 5000000000ULL};

class Engine {
 public:
  /** Receives a batch of misses on an I/O thread; false when it could not queue them (dropped). */
  using Sink = std::function<bool(std::vector<Miss>&&)>;

  Engine(std::shared_ptr<reply::Table> table, Sink sink, int threads, bool reuse_port);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /** Binds host:port (port 0 picks one); returns 0 or an errno. Only before Start(). */
  int Listen(const std::string& host, uint16_t port, uint16_t* bound);
  /** Starts the I/O threads. */
  void Start();
  void SetAcl(std::vector<AclNet> nets);
  /** false: datagrams are read and dropped (SIGTERM drain); replies in flight still go out. */
  void SetAccepting(bool on) { accepting_.store(on, std::memory_order_relaxed); }
  /**
   * Stops accepting and waits until every I/O thread has finished the batch it was in, then
   * sinks an empty batch: once JS receives it, every miss read before the stop has reached JS
   * (the sink is FIFO). False if the barrier could not be queued.
   */
  bool Quiesce();
  /** Sends one reply from socket `socket` (as a Miss named it); 0 or an errno. */
  int Send(uint32_t socket, const sockaddr_storage& peer, socklen_t peer_len, const uint8_t* p, size_t n);
  /** Stops and joins the threads and closes the sockets; idempotent. */
  void Stop();
  StatsSnapshot Stats() const;
  size_t socket_count() const { return fds_.size(); }

 private:
  struct alignas(64) Counters {
    std::atomic<uint64_t> received{0}, hits{0}, misses{0};
    std::atomic<uint64_t> dropped_queue{0}, dropped_send{0}, dropped_oversize{0}, dropped_draining{0};
    std::atomic<uint64_t> hits_rcode[16]{};
    std::atomic<uint64_t> hits_security[reply::SEC_COUNT]{};
    std::atomic<uint64_t> hit_ns_sum{0};
    std::atomic<uint64_t> hit_hist[12]{};
    std::atomic<bool> busy{false};
    std::atomic<uint64_t> epoch{0};
  };
  void Run(size_t t);
  bool Allowed(const std::vector<AclNet>& nets, const sockaddr_storage& peer) const;
  std::shared_ptr<const std::vector<AclNet>> Acl() const;

  std::shared_ptr<reply::Table> table_;
  Sink sink_;
  const size_t nthreads_;
  const bool reuse_port_;
  std::vector<int> fds_;
  std::vector<std::thread> threads_;
  std::unique_ptr<Counters[]> counters_;
  int wake_fd_ = -1;
  std::atomic<bool> accepting_{true};
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> js_send_failed_{0};  // Send() runs on the JS thread
  mutable std::mutex acl_mu_;
  std::shared_ptr<const std::vector<AclNet>> acl_;
};

}  // namespace udp
}  // namespace adbit

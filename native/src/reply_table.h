// reply_table.h — the serving cache-hit table: encoded replies keyed by what the query bytes say
// (QNAME lower-cased per RFC 4343 §3, QTYPE, QCLASS, DO/CD/AD, EDNS, reply size limit). Shared by
// the native UDP threads (udp_engine.cc) and the JS thread (TCP hits, stores, SIGHUP clear).
// Sharded, each shard a mutex + hash map + LRU list, byte-bounded. No napi, never throws on DNS data.
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace adbit {
namespace reply {

/** flags byte, 2-byte limit, QNAME (≤255), QTYPE. */
constexpr size_t MAX_KEY = 3 + 255 + 2;
constexpr uint8_t FLAG_DO = 1, FLAG_CD = 2, FLAG_AD = 4, FLAG_EDNS = 8;

/** Security verdicts as the JS side names them (index = code). */
enum Security : uint8_t { SEC_SECURE = 0, SEC_INSECURE = 1, SEC_BOGUS = 2, SEC_INDETERMINATE = 3, SEC_COUNT = 4 };

/** The cache key of a query and where its question ends. */
struct Key {
  uint8_t bytes[MAX_KEY];
  size_t len = 0;
  size_t question_end = 0;
};

/**
 * The key of a plain query, or false when the bytes are anything else (then the full pipeline
 * decides): QR=0, OPCODE=QUERY, one question of class IN without compression, no AN/NS records,
 * at most one OPT (version 0, well-formed options) and nothing after it.
 */
bool KeyOf(const uint8_t* w, size_t n, bool tcp, uint16_t server_max, Key& out);

/** TTL field offsets (OPT excluded, RFC 6891 §6.1.3) and the smallest TTL of a reply we built. */
struct Layout {
  std::vector<uint16_t> offsets;
  uint32_t min_ttl = UINT32_MAX;
};
bool TtlLayout(const uint8_t* w, size_t n, Layout& out);

/** Nanoseconds and milliseconds on CLOCK_MONOTONIC: the one clock of the table and the engine (never the wall clock). */
int64_t MonotonicNs();
inline int64_t MonotonicMs() { return MonotonicNs() / 1000000; }

struct Stats {
  size_t entries = 0;
  size_t bytes = 0;
};

class Table {
 public:
  Table(size_t max_bytes, uint16_t server_max);
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  uint16_t server_max() const { return server_max_; }

  /**
   * On a hit, writes the reply for query `q` (key `k`) into out[0..cap) with the client's ID, RD
   * and question bytes (case kept for 0x20) and every TTL aged by the whole seconds elapsed
   * (RFC 1035 §3.2.1, never below 0), and returns its length; 0 on a miss or when cap is too small.
   */
  size_t LookupInto(const uint8_t* q, const Key& k, int64_t now_ms, uint8_t* out, size_t cap, uint8_t* rcode, uint8_t* security);

  /**
   * Stores `r`, built by the pipeline for `q`. Lives for the smallest TTL in it, at most cap_sec
   * (the caller folds in the answer TTL and the bogus cap, RFC 4035 §4.7). True if stored.
   */
  bool Store(const uint8_t* q, size_t qn, bool tcp, const uint8_t* r, size_t rn, uint32_t cap_sec, uint8_t rcode, uint8_t security, int64_t now_ms);

  void Clear();
  Stats GetStats();

 private:
  struct Entry {
    uint64_t hash;
    std::string key;
    std::vector<uint8_t> wire;
    std::vector<uint16_t> ttl_offsets;
    int64_t stored_ms;
    int64_t expires_ms;
    size_t charge;
    uint8_t rcode;
    uint8_t security;
  };
  using List = std::list<Entry>;
  struct Shard {
    std::mutex mu;
    List lru;  // front = most recently used
    std::unordered_map<uint64_t, List::iterator> index;
    size_t bytes = 0;
  };
  static constexpr size_t kShards = 64;

  uint64_t Hash(const uint8_t* p, size_t n) const;
  void EraseLocked(Shard& s, List::iterator it);

  const size_t shard_budget_;
  const uint16_t server_max_;
  const uint64_t seed_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace reply
}  // namespace adbit

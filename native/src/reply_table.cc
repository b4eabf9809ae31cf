// reply_table.cc — key computation, TTL layout and the sharded LRU table of reply_table.h.
// Every read of query or reply bytes is bounds-checked: these come straight off the network.
#include "reply_table.h"

#include <time.h>

#include <algorithm>
#include <cstring>
#include <random>

namespace adbit {
namespace reply {
namespace {

constexpr uint16_t kOpt = 41;
constexpr size_t kMaxName = 255;
/** Accounting overhead per entry: list node, map slot, Entry fields, allocator headers. */
constexpr size_t kEntryOverhead = 160;

inline uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t U32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) | (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline void PutU32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

/** Reply size limit as respond.ts computes it: TCP 65535; UDP the EDNS size in [512, ours]. */
uint16_t LimitOf(bool tcp, bool edns, uint16_t udp_size, uint16_t server_max) {
  if (tcp) return 65535;
  if (!edns) return 512;
  return std::min<uint16_t>(std::max<uint16_t>(udp_size, 512), server_max);
}

uint64_t Mix(uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

bool KeyOf(const uint8_t* w, size_t n, bool tcp, uint16_t server_max, Key& k) {
  if (n < 17 || (w[2] & 0xf8) != 0) return false;  // QR=0, OPCODE=QUERY (RFC 1035 §4.1.1)
  if (w[4] != 0 || w[5] != 1 || w[6] != 0 || w[7] != 0 || w[8] != 0 || w[9] != 0 || w[10] != 0) return false;
  const uint8_t ar = w[11];
  if (ar > 1) return false;
  size_t p = 12;
  size_t o = 3;
  for (;;) {
    if (p >= n) return false;
    const uint8_t l = w[p];
    if (l > 63 || p + l + 1 > n || o + l + 1 > 3 + kMaxName) return false;
    k.bytes[o++] = l;
    p++;
    for (uint8_t i = 0; i < l; i++) {
      const uint8_t c = w[p++];
      k.bytes[o++] = (c >= 0x41 && c <= 0x5a) ? (c | 0x20) : c;  // ASCII only (RFC 4343 §3)
    }
    if (l == 0) break;
  }
  if (p + 4 > n || w[p + 2] != 0 || w[p + 3] != 1) return false;
  k.bytes[o++] = w[p];
  k.bytes[o++] = w[p + 1];
  p += 4;
  k.question_end = p;
  uint8_t flags = static_cast<uint8_t>(((w[3] & 0x10) ? FLAG_CD : 0) | ((w[3] & 0x20) ? FLAG_AD : 0));
  uint16_t udp_size = 0;
  if (ar == 1) {
    // OPT: root owner, TYPE 41, CLASS = UDP size, TTL = ext-rcode|version|DO|Z (RFC 6891 §6.1.2).
    if (p + 11 > n || w[p] != 0 || w[p + 1] != 0 || w[p + 2] != kOpt || w[p + 5] != 0 || w[p + 6] != 0) return false;
    udp_size = U16(w + p + 3);
    if (w[p + 7] & 0x80) flags |= FLAG_DO;
    const size_t end = p + 11 + U16(w + p + 9);
    if (end != n) return false;
    for (p += 11; p < end; p += 4 + U16(w + p + 2)) {
      if (p + 4 > end) return false;
    }
    if (p != end) return false;
    flags |= FLAG_EDNS;
  } else if (p != n) {
    return false;
  }
  const uint16_t limit = LimitOf(tcp, ar == 1, udp_size, server_max);
  k.bytes[0] = flags;
  k.bytes[1] = static_cast<uint8_t>(limit >> 8);
  k.bytes[2] = static_cast<uint8_t>(limit & 0xff);
  k.len = o;
  return true;
}

bool TtlLayout(const uint8_t* w, size_t n, Layout& out) {
  out.offsets.clear();
  out.min_ttl = UINT32_MAX;
  if (n < 12 || n > 65535) return false;
  const size_t qd = U16(w + 4);
  const size_t rrs = static_cast<size_t>(U16(w + 6)) + U16(w + 8) + U16(w + 10);
  size_t p = 12;
  auto skip_name = [&]() -> bool {
    for (;;) {
      if (p >= n) return false;
      const uint8_t l = w[p];
      if ((l & 0xc0) == 0xc0) {
        p += 2;
        return p <= n;
      }
      if (l > 63) return false;
      p += l + 1;
      if (l == 0) return p <= n;
    }
  };
  for (size_t i = 0; i < qd; i++) {
    if (!skip_name()) return false;
    p += 4;
  }
  for (size_t i = 0; i < rrs; i++) {
    if (!skip_name() || p + 10 > n) return false;
    if (U16(w + p) != kOpt) {
      out.offsets.push_back(static_cast<uint16_t>(p + 4));
      out.min_ttl = std::min(out.min_ttl, U32(w + p + 4));
    }
    p += 10 + U16(w + p + 8);
  }
  return p == n;
}

int64_t MonotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

Table::Table(size_t max_bytes, uint16_t server_max)
    : shard_budget_(std::max<size_t>(max_bytes / kShards, 1)),
      server_max_(server_max),
      seed_((static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()),
      shards_(new Shard[kShards]) {}

uint64_t Table::Hash(const uint8_t* p, size_t n) const {
  // Keyed per table so clients cannot aim collisions; a collision only costs a miss (keys are compared).
  uint64_t h = seed_ ^ (n * 0x9e3779b97f4a7c15ULL);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, p + i, 8);
    h = Mix(h ^ v);
  }
  uint64_t tail = 0;
  for (size_t j = 0; i + j < n; j++) tail |= static_cast<uint64_t>(p[i + j]) << (8 * j);
  return Mix(h ^ tail ^ 0xff);
}

void Table::EraseLocked(Shard& s, List::iterator it) {
  s.bytes -= it->charge;
  s.lru.erase(it);
}

size_t Table::LookupInto(const uint8_t* q, const Key& k, int64_t now_ms, uint8_t* out, size_t cap, uint8_t* rcode, uint8_t* security) {
  const uint64_t h = Hash(k.bytes, k.len);
  Shard& s = shards_[h % kShards];
  std::lock_guard<std::mutex> lock(s.mu);
  const auto found = s.index.find(h);
  if (found == s.index.end()) return 0;
  const List::iterator it = found->second;
  Entry& e = *it;
  if (e.key.size() != k.len || std::memcmp(e.key.data(), k.bytes, k.len) != 0) return 0;
  if (now_ms >= e.expires_ms) {
    s.index.erase(found);
    EraseLocked(s, it);
    return 0;
  }
  const size_t n = e.wire.size();
  if (n > cap || k.question_end > n) return 0;
  s.lru.splice(s.lru.begin(), s.lru, it);
  std::memcpy(out, e.wire.data(), n);
  out[0] = q[0];
  out[1] = q[1];
  out[2] = static_cast<uint8_t>((out[2] & 0xfe) | (q[2] & 1));  // RD is copied from the query (RFC 1035 §4.1.1)
  std::memcpy(out + 12, q + 12, k.question_end - 12);             // same key => same question length
  const int64_t elapsed = now_ms > e.stored_ms ? (now_ms - e.stored_ms) / 1000 : 0;
  if (elapsed > 0) {
    for (const uint16_t off : e.ttl_offsets) {
      const uint32_t ttl = U32(out + off);
      PutU32(out + off, ttl > static_cast<uint64_t>(elapsed) ? ttl - static_cast<uint32_t>(elapsed) : 0);
    }
  }
  *rcode = e.rcode;
  *security = e.security;
  return n;
}

bool Table::Store(const uint8_t* q, size_t qn, bool tcp, const uint8_t* r, size_t rn, uint32_t cap_sec, uint8_t rcode, uint8_t security, int64_t now_ms) {
  Key k;
  if (!KeyOf(q, qn, tcp, server_max_, k)) return false;
  Layout layout;
  if (!TtlLayout(r, rn, layout) || rn < k.question_end || security >= SEC_COUNT) return false;
  // A hit copies the client's question over the stored one, so the reply must carry exactly the
  // same question (one, same length, same name up to ASCII case, same type and class).
  if (r[4] != 0 || r[5] != 1) return false;
  for (size_t i = 12; i < k.question_end; i++) {
    const uint8_t a = r[i], b = q[i];
    if (a != b && !((a | 0x20) == (b | 0x20) && (a | 0x20) >= 'a' && (a | 0x20) <= 'z')) return false;
  }
  const uint32_t ttl = std::min(layout.min_ttl, cap_sec);
  if (ttl == 0 || ttl == UINT32_MAX) return false;
  const size_t charge = rn + k.len + layout.offsets.size() * 2 + kEntryOverhead;
  if (charge > shard_budget_) return false;
  const uint64_t h = Hash(k.bytes, k.len);
  Shard& s = shards_[h % kShards];
  std::lock_guard<std::mutex> lock(s.mu);
  const auto found = s.index.find(h);
  if (found != s.index.end()) {
    EraseLocked(s, found->second);
    s.index.erase(found);
  }
  while (s.bytes + charge > shard_budget_ && !s.lru.empty()) {
    Entry& last = s.lru.back();
    s.index.erase(last.hash);
    EraseLocked(s, std::prev(s.lru.end()));
  }
  s.lru.push_front(Entry{h, std::string(reinterpret_cast<const char*>(k.bytes), k.len), std::vector<uint8_t>(r, r + rn),
                         std::move(layout.offsets), now_ms, now_ms + static_cast<int64_t>(ttl) * 1000, charge, rcode, security});
  s.index.emplace(h, s.lru.begin());
  s.bytes += charge;
  return true;
}

void Table::Clear() {
  for (size_t i = 0; i < kShards; i++) {
    std::lock_guard<std::mutex> lock(shards_[i].mu);
    shards_[i].index.clear();
    shards_[i].lru.clear();
    shards_[i].bytes = 0;
  }
}

Stats Table::GetStats() {
  Stats st;
  for (size_t i = 0; i < kShards; i++) {
    std::lock_guard<std::mutex> lock(shards_[i].mu);
    st.entries += shards_[i].lru.size();
    st.bytes += shards_[i].bytes;
  }
  return st;
}

}  // namespace reply
}  // namespace adbit

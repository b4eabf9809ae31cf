// fuzz_reply.cc — libFuzzer target for the serving cache (reply_table.cc): hostile query and reply
// bytes through KeyOf, TtlLayout, Store and LookupInto. Input: [mode][qlen u16][query][reply].
// Invariants: a stored reply is found again (same instant) for the same query with its length, the client's ID
// and question bytes; lookups into a too-small buffer miss; an expired entry misses.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../src/reply_table.h"

using adbit::reply::Key;
using adbit::reply::Layout;
using adbit::reply::Table;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const uint8_t mode = data[0];
  const size_t qlen = std::min<size_t>((static_cast<size_t>(data[1]) << 8) | data[2], size - 3);
  const uint8_t* q = data + 3;
  const uint8_t* r = q + qlen;
  const size_t rlen = size - 3 - qlen;
  const bool tcp = (mode & 1) != 0;
  const uint16_t server_max = (mode & 2) ? 4096 : 1232;

  Key k;
  const bool keyed = adbit::reply::KeyOf(q, qlen, tcp, server_max, k);
  if (keyed && (k.len > adbit::reply::MAX_KEY || k.question_end > qlen || k.question_end < 17)) { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
  Layout layout;
  if (adbit::reply::TtlLayout(r, rlen, layout)) {
    for (uint16_t off : layout.offsets) if (static_cast<size_t>(off) + 4 > rlen) { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
  }

  Table table((mode & 4) ? 64 * 1024 : 64 * 300, server_max);  // small budgets exercise eviction
  const uint32_t cap = (mode & 8) ? 60 : 3600;
  const int64_t now = 1000000;
  const bool stored = table.Store(q, qlen, tcp, r, rlen, cap, mode >> 4, mode & 3, now);
  if (stored && !keyed) { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
  if (!keyed) return 0;
  std::vector<uint8_t> out(65535);
  uint8_t rc = 0, sec = 0;
  const size_t n = table.LookupInto(q, k, now, out.data(), out.size(), &rc, &sec);
  if (stored) {
    if (n != rlen || out[0] != q[0] || out[1] != q[1]) { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
    if (std::memcmp(out.data() + 12, q + 12, k.question_end - 12) != 0) { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
    if (rlen > 12 && table.LookupInto(q, k, now, out.data(), rlen - 1, &rc, &sec) != 0) { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
    if (table.LookupInto(q, k, now + static_cast<int64_t>(cap) * 1000 + 1, out.data(), out.size(), &rc, &sec) != 0) { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
  } else if (n != 0) {
    { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
  }
  // A second store of the same key replaces the first; accounting never goes negative.
  table.Store(q, qlen, tcp, r, rlen, cap, 0, 0, now);
  table.Clear();
  const adbit::reply::Stats st = table.GetStats();
  if (st.entries != 0 || st.bytes != 0) { fprintf(stderr, "invariant broken at line %d\n", __LINE__); abort(); }
  return 0;
}

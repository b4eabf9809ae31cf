// batch.cc — the job-table runner. VERIFY_RRSIG checks run in the order of RFC 4035 §5.3.1 cheap
// tests first (key flags RFC 4034 §2.1.1 / RFC 5011 §3, algorithm, key tag, labels, RFC 1982 window)
// and the KeyTrap budgets (CVE-2023-50387) are assigned in job order before any thread starts, so
// the result does not depend on how the work is split.
#include "batch.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

#include "abi.h"
#include "canon.h"

namespace adbit {
namespace batch {
namespace {

inline const uint32_t* Row(const Batch& b, size_t i) { return b.jobs.data() + i * abi::JOB_STRIDE; }

// RFC 1982 §3.2 serial-number "less than" on 32 bits. The undefined case (distance exactly 2^31)
// counts as less, which only ever makes a signature look out of its window.
inline bool SerialLess(uint32_t a, uint32_t b) { return a != b && static_cast<int32_t>(a - b) < 0; }

constexpr uint16_t FLAG_ZONE = 0x0100;    // RFC 4034 §2.1.1 bit 7
constexpr uint16_t FLAG_REVOKE = 0x0080;  // RFC 5011 §3 bit 8

// Statuses of a VERIFY job that need no public-key operation; ST_OK means "go on to the budget".
uint8_t PrecheckVerify(const Batch& b, const uint32_t* row) {
  const uint8_t* blob = b.blob.data();
  canon::VerifyBlob v;
  if (canon::ParseVerifyBlob(blob + row[abi::JOB_B_OFF], row[abi::JOB_B_LEN], v) != abi::ST_OK) {
    return abi::ST_MALFORMED;
  }
  const uint8_t* keyRdata = blob + row[abi::JOB_A_OFF];
  size_t keyLen = row[abi::JOB_A_LEN];
  crypto::Dnskey k;
  if (!crypto::ParseDnskey(keyRdata, keyLen, k) || k.protocol != 3) return abi::ST_KEY_INVALID;  // RFC 4034 §2.1.2
  if ((k.flags & FLAG_ZONE) == 0) return abi::ST_KEY_NOT_ZONE_KEY;
  if ((k.flags & FLAG_REVOKE) != 0 && (row[abi::JOB_ALG] & abi::VERIFY_ALLOW_REVOKED) == 0) return abi::ST_KEY_REVOKED;
  if (k.algorithm != v.algorithm) return abi::ST_ALG_MISMATCH;
  if (crypto::KeyTag(keyRdata, keyLen) != v.keyTag) return abi::ST_KEYTAG_MISMATCH;
  if (!crypto::AlgorithmSupported(k.algorithm)) return abi::ST_ALG_UNSUPPORTED;
  uint8_t shape = crypto::CheckKeyShape(k.algorithm, k.key, k.keyLen);
  if (shape != abi::ST_OK) return shape;
  if (v.labels > v.ownerLabels) return abi::ST_LABELS_INVALID;  // RFC 4035 §5.3.1
  uint32_t now = b.params.nowSec;
  if (now != 0) {  // RFC 4035 §5.3.1 validity window, RFC 1982 arithmetic (wraps in 2106)
    if (SerialLess(v.expiration, v.inception)) return abi::ST_EXPIRED_BEFORE_INCEPTION;
    if (SerialLess(now, v.inception)) return abi::ST_SIG_NOT_YET_VALID;
    if (SerialLess(v.expiration, now)) return abi::ST_SIG_EXPIRED;
  }
  return abi::ST_OK;
}

void RunJob(Batch& b, size_t i, crypto::Context& ctx, crypto::Verifier& vf, std::vector<uint8_t>& tbs) {
  const uint32_t* row = Row(b, i);
  const uint8_t* blob = b.blob.data();
  const uint8_t* a = blob + row[abi::JOB_A_OFF];
  size_t aLen = row[abi::JOB_A_LEN];
  const uint8_t* bb = blob + row[abi::JOB_B_OFF];
  size_t bLen = row[abi::JOB_B_LEN];
  uint8_t* out = b.out.data() + row[abi::JOB_OUT_OFF];
  uint8_t st = abi::ST_MALFORMED;
  switch (row[abi::JOB_OP]) {
    case abi::OP_VERIFY_RRSIG: {
      canon::VerifyBlob v;
      st = canon::ParseVerifyBlob(bb, bLen, v);
      if (st == abi::ST_OK) st = canon::BuildSignedData(v, tbs);
      if (st == abi::ST_OK) st = ctx.Verify(vf, a, aLen, v.sig, v.sigLen, tbs.data(), tbs.size());
      break;
    }
    case abi::OP_DS_DIGEST:
      st = ctx.DsDigest(row[abi::JOB_ALG], a, aLen, bb, bLen, out);
      break;
    case abi::OP_NSEC3_HASH:
      st = ctx.Nsec3Hash(row[abi::JOB_ALG], a, aLen, bb, bLen, row[abi::JOB_EXTRA], out);
      break;
    case abi::OP_KEY_TAG: {
      crypto::Dnskey k;
      if (crypto::ParseDnskey(a, aLen, k)) {
        uint16_t tag = crypto::KeyTag(a, aLen);
        out[0] = static_cast<uint8_t>(tag >> 8);
        out[1] = static_cast<uint8_t>(tag);
        st = abi::ST_OK;
      } else {
        st = abi::ST_KEY_INVALID;
      }
      break;
    }
    default:
      break;
  }
  b.status[i] = st;
}

}  // namespace

size_t OutputSize(uint32_t op, uint32_t alg) {
  switch (op) {
    case abi::OP_DS_DIGEST: return crypto::DigestSize(alg);
    case abi::OP_NSEC3_HASH: return 20;
    case abi::OP_KEY_TAG: return 2;
    default: return 0;
  }
}

std::string Validate(const uint32_t* jobs, size_t words, size_t blobLen, size_t outBytes, bool* rangeError) {
  *rangeError = true;
  if (words % abi::JOB_STRIDE != 0) return "job table length is not a multiple of JOB_STRIDE";
  std::vector<uint8_t> used(outBytes, 0);
  for (size_t i = 0; i < words / abi::JOB_STRIDE; ++i) {
    const uint32_t* r = jobs + i * abi::JOB_STRIDE;
    uint32_t op = r[abi::JOB_OP];
    if (op < abi::OP_VERIFY_RRSIG || op > abi::OP_KEY_TAG) {
      *rangeError = false;
      return "job " + std::to_string(i) + ": unknown op " + std::to_string(op);
    }
    uint64_t aEnd = static_cast<uint64_t>(r[abi::JOB_A_OFF]) + r[abi::JOB_A_LEN];
    uint64_t bEnd = static_cast<uint64_t>(r[abi::JOB_B_OFF]) + r[abi::JOB_B_LEN];
    if (aEnd > blobLen || bEnd > blobLen) return "job " + std::to_string(i) + ": a or b outside blob";
    size_t n = OutputSize(op, r[abi::JOB_ALG]);
    uint64_t outEnd = static_cast<uint64_t>(r[abi::JOB_OUT_OFF]) + n;
    if (outEnd > outBytes) return "job " + std::to_string(i) + ": output outside outBytes";
    for (size_t k = r[abi::JOB_OUT_OFF]; k < outEnd; ++k) {
      // Jobs run on several threads, so two outputs sharing a byte would be a data race.
      if (used[k]) return "job " + std::to_string(i) + ": output overlaps another job's";
      used[k] = 1;
    }
  }
  return std::string();
}

namespace {

// The checks of one job that need no budget and no public-key operation; ST_OK = goes on.
uint8_t Precheck(const Batch& b, size_t i) {
  const uint32_t* row = Row(b, i);
  switch (row[abi::JOB_OP]) {
    case abi::OP_VERIFY_RRSIG:
      return PrecheckVerify(b, row);
    case abi::OP_NSEC3_HASH:
      // RFC 9276 §3.2 / CVE-2023-50868: refuse iteration counts above the configured cap.
      return row[abi::JOB_EXTRA] > b.params.maxNsec3Iter ? abi::ST_ITERATIONS_EXCEEDED : abi::ST_OK;
    case abi::OP_DS_DIGEST:
      return crypto::DigestSize(row[abi::JOB_ALG]) == 0 ? abi::ST_DIGEST_UNSUPPORTED : abi::ST_OK;
    default:
      return abi::ST_OK;
  }
}

// One pass in job order over the precheck statuses: final statuses, KeyTrap budgets
// (CVE-2023-50387: only a job that would cost a public-key operation spends budget) and b.work.
void AssignBudgets(Batch& b) {
  size_t count = b.pre.size();
  b.work.clear();
  b.work.reserve(count);
  std::unordered_map<uint32_t, uint32_t> perGroup;
  uint32_t total = 0;
  for (size_t i = 0; i < count; ++i) {
    if (b.pre[i] != abi::ST_OK) {
      b.status[i] = b.pre[i];
      continue;
    }
    const uint32_t* row = Row(b, i);
    if (row[abi::JOB_OP] == abi::OP_VERIFY_RRSIG) {
      uint32_t& g = perGroup[row[abi::JOB_EXTRA]];
      if ((b.params.maxPerGroup != 0 && g >= b.params.maxPerGroup) ||
          (b.params.maxTotal != 0 && total >= b.params.maxTotal)) {
        b.status[i] = abi::ST_SKIPPED_BUDGET;
        continue;
      }
      ++g;
      ++total;
    }
    b.work.push_back(static_cast<uint32_t>(i));
  }
}

constexpr size_t PRECHECK_CHUNK = 16;  // jobs per grab of the shared precheck index

}  // namespace

void Begin(Batch& b) {
  size_t count = b.jobs.size() / abi::JOB_STRIDE;
  b.status.assign(count, abi::ST_MALFORMED);
  b.pre.assign(count, abi::ST_MALFORMED);
  b.work.clear();
  b.next.store(0);
  b.nextPre.store(0);
  b.preDone.store(0);
  b.ready.store(false);
}

void Prepare(Batch& b) {
  Begin(b);
  for (size_t i = 0; i < b.pre.size(); ++i) b.pre[i] = Precheck(b, i);
  AssignBudgets(b);
}

void RunAll(Batch& b, crypto::Context& ctx) {
  const size_t count = b.pre.size();
  if (count == 0) return;  // nothing to precheck: ready would never be set (callers skip this case)
  for (;;) {
    size_t start = b.nextPre.fetch_add(PRECHECK_CHUNK, std::memory_order_relaxed);
    if (start >= count) break;
    size_t end = std::min(count, start + PRECHECK_CHUNK);
    for (size_t i = start; i < end; ++i) b.pre[i] = Precheck(b, i);
    // acq_rel: the thread that completes the count sees every other thread's pre[] writes.
    if (b.preDone.fetch_add(end - start, std::memory_order_acq_rel) + (end - start) == count) {
      try {
        AssignBudgets(b);
      } catch (...) {  // allocation failure: release the waiting threads (b.work is cut short)
        b.work.clear();
        b.ready.store(true, std::memory_order_release);
        throw;
      }
      b.ready.store(true, std::memory_order_release);
    }
  }
  // Only a thread still inside its last chunk (≤ PRECHECK_CHUNK cheap checks) or the budget pass
  // can hold us here; a thread that never took a chunk blocks no one.
  while (!b.ready.load(std::memory_order_acquire)) std::this_thread::yield();
  RunWork(b, ctx);
}

void RunWork(Batch& b, crypto::Context& ctx) {
  if (b.next.load(std::memory_order_relaxed) >= b.work.size()) return;
  // One Verifier per draining thread: its cached per-key contexts are not thread-safe.
  crypto::Context::VerifierHandle vf = ctx.Borrow();
  std::vector<uint8_t> tbs;
  tbs.reserve(512);
  for (;;) {
    size_t k = b.next.fetch_add(1, std::memory_order_relaxed);
    if (k >= b.work.size()) return;
    RunJob(b, b.work[k], ctx, *vf, tbs);
  }
}

}  // namespace batch
}  // namespace adbit

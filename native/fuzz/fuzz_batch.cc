// fuzz_batch.cc — libFuzzer entry for the batch core (batch.h) on hostile job tables: the same
// steps as runBatchSync (Validate, then Prepare + RunWork), and the async order (Begin + RunAll)
// on the same input, which must give byte-identical statuses and outputs. Out-of-range offsets,
// unknown ops, digest/hash algorithms, huge NSEC3 iterations (CVE-2023-50868), garbage keys and
// signatures all come from the input. No napi, no ldns; OpenSSL is the system libcrypto here.
//
// Input layout (little-endian):
//   [0, 16)   params: PARAM_WORDS x u32 (PARAM_MAX_NSEC3_ITER is clamped, see below)
//   [16, 18)  u16 outBytes for the raw table
//   [18]      job count n (mod MAX_JOBS + 1)
//   [19, 19 + 32n)  n x JOB_STRIDE u32 job words, used as given (the "raw" table)
//   rest      the blob
// The raw table goes through Validate as is; when it is rejected (the usual case for random
// words) a "repaired" copy — op folded into 1..4, a/b ranges folded into the blob, outputs laid out
// one after the other — is run instead, so the fuzzer reaches the job code with any bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../src/abi.h"
#include "../src/batch.h"
#include "../src/crypto.h"

namespace {

using namespace adbit;
using namespace adbit::abi;

constexpr size_t MAX_JOBS = 16;
constexpr size_t HEADER = 4 * PARAM_WORDS + 2 + 1;
// The resolver never asks for more than NSEC3_ITERATIONS_HARD (src/dnssec/limits.ts, RFC 9276
// §3.2); a larger cap would only make the fuzzer time out on honest SHA-1 rounds. Iteration counts
// in the jobs stay unclamped, so everything above the cap must come back ST_ITERATIONS_EXCEEDED.
constexpr uint32_t FUZZ_MAX_NSEC3_ITER = 500;

void Check(bool ok) {
  if (!ok) std::abort();
}

uint32_t Le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

crypto::Context& Ctx() {
  static crypto::Context ctx;  // shared across inputs like the addon's per-env state (key cache)
  return ctx;
}

std::unique_ptr<batch::Batch> MakeBatch(const std::vector<uint32_t>& jobs, const uint8_t* blob, size_t blobLen,
                                        size_t outBytes, const batch::Params& p) {
  auto b = std::make_unique<batch::Batch>();
  b->jobs = jobs;
  b->blob.assign(blob, blob + blobLen);
  b->out.assign(outBytes, 0);
  b->params = p;
  return b;
}

// Runs one accepted table both ways and checks the invariants every caller relies on.
void RunAccepted(const std::vector<uint32_t>& jobs, const uint8_t* blob, size_t blobLen, size_t outBytes,
                 const batch::Params& p) {
  const size_t count = jobs.size() / JOB_STRIDE;
  auto sync = MakeBatch(jobs, blob, blobLen, outBytes, p);
  batch::Prepare(*sync);
  batch::RunWork(*sync, Ctx());
  Check(sync->status.size() == count && sync->out.size() == outBytes);
  uint32_t verifies = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint32_t* row = jobs.data() + i * JOB_STRIDE;
    const uint8_t st = sync->status[i];
    Check(st <= ST_ITERATIONS_EXCEEDED);
    if (row[JOB_OP] == OP_NSEC3_HASH && row[JOB_EXTRA] > p.maxNsec3Iter) Check(st == ST_ITERATIONS_EXCEEDED);
    // Only a VERIFY that spent budget reaches the public-key operation (the only source of these).
    if (row[JOB_OP] == OP_VERIFY_RRSIG && (st == ST_OK || st == ST_BAD_SIGNATURE)) ++verifies;
    if (st == ST_SKIPPED_BUDGET) Check(row[JOB_OP] == OP_VERIFY_RRSIG);
  }
  if (p.maxTotal != 0) Check(verifies <= p.maxTotal);  // KeyTrap budget (CVE-2023-50387)

  if (count == 0) return;  // RunAll needs at least one job (bind_batch.cc skips the empty case too)
  auto async = MakeBatch(jobs, blob, blobLen, outBytes, p);
  batch::Begin(*async);
  batch::RunAll(*async, Ctx());
  Check(async->status == sync->status);
  Check(async->out == sync->out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < HEADER) return 0;
  batch::Params p;
  p.nowSec = Le32(data + 4 * PARAM_NOW_SEC);
  p.maxPerGroup = Le32(data + 4 * PARAM_MAX_PER_GROUP);
  p.maxTotal = Le32(data + 4 * PARAM_MAX_TOTAL);
  p.maxNsec3Iter = Le32(data + 4 * PARAM_MAX_NSEC3_ITER) % (FUZZ_MAX_NSEC3_ITER + 1);
  const size_t outBytes = static_cast<size_t>(data[16]) | static_cast<size_t>(data[17]) << 8;
  const size_t n = data[18] % (MAX_JOBS + 1);
  if (size < HEADER + n * JOB_STRIDE * 4) return 0;
  std::vector<uint32_t> raw(n * JOB_STRIDE);
  for (size_t w = 0; w < raw.size(); ++w) raw[w] = Le32(data + HEADER + 4 * w);
  const uint8_t* blob = data + HEADER + raw.size() * 4;
  const size_t blobLen = size - HEADER - raw.size() * 4;

  bool range = true;
  if (batch::Validate(raw.data(), raw.size(), blobLen, outBytes, &range).empty()) {
    RunAccepted(raw, blob, blobLen, outBytes, p);
    return 0;
  }

  std::vector<uint32_t> fixed = raw;
  size_t outAt = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t* r = fixed.data() + i * JOB_STRIDE;
    r[JOB_OP] = OP_VERIFY_RRSIG + r[JOB_OP] % 4;
    for (uint32_t k : {JOB_A_OFF, JOB_B_OFF}) {
      r[k] = static_cast<uint32_t>(r[k] % (blobLen + 1));
      r[k + 1] = static_cast<uint32_t>(r[k + 1] % (blobLen - r[k] + 1));
    }
    r[JOB_OUT_OFF] = static_cast<uint32_t>(outAt);
    outAt += batch::OutputSize(r[JOB_OP], r[JOB_ALG]);
  }
  std::string err = batch::Validate(fixed.data(), fixed.size(), blobLen, outAt, &range);
  Check(err.empty());  // a table inside every bound must be accepted
  RunAccepted(fixed, blob, blobLen, outAt, p);
  return 0;
}

// batch.h — runs an abi.h job table: cheap checks and KeyTrap budgets (CVE-2023-50387) in job order
// on the calling thread (Prepare), then the costly work (canonical form + signature checks, DS
// digests, NSEC3 hashes) from a shared queue that any number of threads may drain (RunWork).
// Pure C++: no napi. Never throws on DNS data.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "crypto.h"

namespace adbit {
namespace batch {

struct Params {
  uint32_t nowSec = 0;
  uint32_t maxPerGroup = 0;
  uint32_t maxTotal = 0;
  uint32_t maxNsec3Iter = 0;
};

// Worker-owned copies of the inputs and the outputs (ARCHITECTURE §7 "Memory and lifetime").
struct Batch {
  std::vector<uint32_t> jobs;
  std::vector<uint8_t> blob;
  std::vector<uint8_t> out;
  std::vector<uint8_t> status;
  Params params;
  std::vector<uint32_t> work;        // job indices left for RunWork after Prepare
  std::atomic<size_t> next{0};       // next index into work (shared by the threads draining it)
};

// Bytes a job writes at JOB_OUT_OFF (0 for VERIFY and unsupported digests).
size_t OutputSize(uint32_t op, uint32_t alg);

// Contract check of a job table against the blob and out sizes: offsets inside blob, outputs inside
// out and not overlapping, known ops. Returns an empty string when fine, else the message;
// *rangeError tells RangeError (bounds) from TypeError (kind).
std::string Validate(const uint32_t* jobs, size_t words, size_t blobLen, size_t outBytes, bool* rangeError);

// Step 1, on the calling thread, in job order: statuses that need no crypto, budgets, and the
// list of jobs left for RunWork. Costs O(total key and RRSIG bytes), no public-key operation.
void Prepare(Batch& b);

// Step 2: drains b.work until empty; safe to call from several threads at once.
void RunWork(Batch& b, crypto::Context& ctx);

}  // namespace batch
}  // namespace adbit

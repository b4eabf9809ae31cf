// batch.h — runs an abi.h job table: cheap per-job checks (parallel), KeyTrap budgets
// (CVE-2023-50387) assigned in job order on one thread, then the costly work (canonical form +
// signature checks, DS digests, NSEC3 hashes) from a shared queue that any number of threads may
// drain. Pure C++: no napi. Never throws on DNS data.
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
  // RunAll only: per-job precheck statuses (ST_OK = goes on to the budget), the next job to
  // precheck, how many are prechecked, and whether the budgets are assigned (work is final).
  std::vector<uint8_t> pre;
  std::atomic<size_t> nextPre{0};
  std::atomic<size_t> preDone{0};
  std::atomic<bool> ready{false};
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

// Both steps from several threads at once (the async path), same results as Prepare + RunWork:
// every caller prechecks jobs from a shared index (pure per job), the thread that completes the
// last precheck assigns the budgets in job order (a pass over the precheck statuses), the others
// wait for that short pass, then all drain b.work. Call Begin once before any RunAll.
void Begin(Batch& b);
void RunAll(Batch& b, crypto::Context& ctx);

}  // namespace batch
}  // namespace adbit

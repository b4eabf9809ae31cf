// bind_batch.cc — JS bindings of the batched crypto core: runBatchSync, runBatch (Promise),
// capabilities, signedData, and the test-only ldnsVerifyRRset (differential check against ldns).
// Contract violations throw TypeError/RangeError (ARCHITECTURE §7); DNS data never throws.
//
// Threading choice (ARCHITECTURE §11.2): runBatch runs on a persistent pool of the core's own
// threads, one per core (started by the first async batch), which drain one shared job queue (an
// atomic index); the last one settles the Promise through a thread-safe function. Why not the
// libuv pool (still selectable with ADBIT_BATCH_POOL=libuv, for the bench): it is capped by
// UV_THREADPOOL_SIZE (4 by default, so a batch used at most 4 cores on a larger box), it is shared
// with fs, dns.lookup and node:crypto, which a large batch would starve, and it settled through
// one main-thread callback per worker. Measured on the shared 2-core box (load ≈ 8.5, 5 paired
// runs, /tmp-only script): a one-job async round trip took 62–163 µs (median 88) on the own pool
// against 68–163 µs (median 113) through libuv, and 512 P-256 verifications ran at the same rate
// either way within the noise — no throughput cost, and all cores whatever UV_THREADPOOL_SIZE.
#include <ldns/ldns.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "abi.h"
#include "batch.h"
#include "bindings.h"
#include "canon.h"
#include "crypto.h"

namespace adbit {
namespace {

constexpr size_t MAX_OUT_BYTES = 64u << 20;  // a batch output beyond this is a caller bug
constexpr size_t MIN_JOBS_PER_WORKER = 4;    // below this a thread hand-off costs more than it saves

// Per-environment state (no mutable statics: safe under worker_threads). Workers in flight hold
// their own shared_ptr, so environment teardown never frees a context that is still in use.
struct EnvState {
  crypto::Context ctx;
};
using StateBox = std::shared_ptr<EnvState>;

// The core's own persistent threads for runBatch: one per core, started on the first async batch.
// Tasks never own the pool (only the environment's Box does), so the pool is always joined on the
// main thread by the cleanup hook, never by one of its own threads.
class Pool {
 public:
  explicit Pool(size_t n) {
    for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  size_t size() const { return threads_.size(); }
  void Submit(std::function<void()> task, size_t copies) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (size_t i = 0; i < copies; ++i) tasks_.push_back(task);
    }
    if (copies == 1) cv_.notify_one(); else cv_.notify_all();
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
        if (tasks_.empty()) return;  // stop_ and nothing left
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// What the exported functions get as their data pointer; freed by the environment cleanup hook.
struct Box {
  StateBox state = std::make_shared<EnvState>();
  std::unique_ptr<Pool> pool;  // created lazily on the main thread by the first runBatch
  bool useLibuv = false;       // ADBIT_BATCH_POOL=libuv: AsyncWorkers instead (bench comparison)
};

StateBox& State(const Napi::CallbackInfo& info) { return static_cast<Box*>(info.Data())->state; }

[[noreturn]] void Throw(Napi::Env env, bool range, const std::string& msg) {
  if (range) throw Napi::RangeError::New(env, msg);
  throw Napi::TypeError::New(env, msg);
}

Napi::Uint8Array Bytes(Napi::Env env, const uint8_t* p, size_t n) {
  Napi::Uint8Array a = Napi::Uint8Array::New(env, n);
  if (n > 0) std::memcpy(a.Data(), p, n);
  return a;
}

template <typename T>
T TypedArg(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type kind, const char* what) {
  if (info.Length() <= i || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != kind) {
    Throw(info.Env(), false, std::string(what));
  }
  return info[i].As<T>();
}

// Copies the arguments into a Batch (on the main thread) and checks the contract.
std::unique_ptr<batch::Batch> TakeBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto jobs = TypedArg<Napi::Uint32Array>(info, 0, napi_uint32_array, "jobs must be a Uint32Array");
  auto blob = TypedArg<Napi::Uint8Array>(info, 1, napi_uint8_array, "blob must be a Uint8Array");
  if (info.Length() <= 2 || !info[2].IsNumber()) Throw(env, false, "outBytes must be a number");
  double outBytes = info[2].As<Napi::Number>().DoubleValue();
  if (!(outBytes >= 0 && outBytes <= static_cast<double>(MAX_OUT_BYTES)) || outBytes != static_cast<double>(static_cast<size_t>(outBytes))) {
    Throw(env, true, "outBytes must be an integer in [0, 64 MiB]");
  }
  auto params = TypedArg<Napi::Uint32Array>(info, 3, napi_uint32_array, "params must be a Uint32Array");
  if (params.ElementLength() != abi::PARAM_WORDS) Throw(env, true, "params must have PARAM_WORDS elements");
  bool range = true;
  std::string err = batch::Validate(jobs.Data(), jobs.ElementLength(), blob.ElementLength(),
                                    static_cast<size_t>(outBytes), &range);
  if (!err.empty()) Throw(env, range, err);

  auto b = std::make_unique<batch::Batch>();
  b->jobs.assign(jobs.Data(), jobs.Data() + jobs.ElementLength());
  b->blob.assign(blob.Data(), blob.Data() + blob.ElementLength());
  b->out.assign(static_cast<size_t>(outBytes), 0);
  const uint32_t* p = params.Data();
  b->params.nowSec = p[abi::PARAM_NOW_SEC];
  b->params.maxPerGroup = p[abi::PARAM_MAX_PER_GROUP];
  b->params.maxTotal = p[abi::PARAM_MAX_TOTAL];
  b->params.maxNsec3Iter = p[abi::PARAM_MAX_NSEC3_ITER];
  return b;
}

Napi::Object Result(Napi::Env env, const batch::Batch& b) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("status", Bytes(env, b.status.data(), b.status.size()));
  o.Set("out", Bytes(env, b.out.data(), b.out.size()));
  return o;
}

Napi::Value RunBatchSync(const Napi::CallbackInfo& info) {
  std::unique_ptr<batch::Batch> b = TakeBatch(info);
  batch::Prepare(*b);
  batch::RunWork(*b, State(info)->ctx);
  return Result(info.Env(), *b);
}

struct AsyncBatch;
void SettleOnMain(Napi::Env env, Napi::Function, std::nullptr_t*, AsyncBatch* job);
using SettleFn = Napi::TypedThreadSafeFunction<std::nullptr_t, AsyncBatch, SettleOnMain>;

// One runBatch call: the batch, the Promise, and the count of workers still running.
struct AsyncBatch {
  explicit AsyncBatch(Napi::Env env) : deferred(Napi::Promise::Deferred::New(env)) {}
  std::unique_ptr<batch::Batch> batch;
  StateBox state;
  Napi::Promise::Deferred deferred;
  size_t pending = 0;  // libuv path: touched on the main thread only (OnOK/OnError)
  std::string error;
  // Own-pool path: workers still draining, the settle call, and a self-reference that keeps the
  // batch alive from submission until SettleOnMain runs on the main thread.
  std::atomic<size_t> remaining{0};
  std::mutex errorMu;
  SettleFn tsfn;
  std::shared_ptr<AsyncBatch> self;

  void Settle(Napi::Env env) {
    if (error.empty()) {
      deferred.Resolve(Result(env, *batch));
      return;
    }
    Napi::Error e = Napi::Error::New(env, "adbit native batch failed: " + error);
    e.Set("code", Napi::String::New(env, "ADBIT_NATIVE_INTERNAL"));
    deferred.Reject(e.Value());
  }
};

class BatchWorker : public Napi::AsyncWorker {
 public:
  BatchWorker(Napi::Env env, std::shared_ptr<AsyncBatch> job) : Napi::AsyncWorker(env, "adbit:runBatch"), job_(std::move(job)) {}

  // Off the main thread: no napi here. The core does not throw on data; only allocation can.
  void Execute() override {
    try {
      batch::RunAll(*job_->batch, job_->state->ctx);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override { Finish(); }
  void OnError(const Napi::Error& e) override {
    if (job_->error.empty()) job_->error = e.Message();
    Finish();
  }

 private:
  void Finish() {
    if (--job_->pending == 0) job_->Settle(Env());
  }
  std::shared_ptr<AsyncBatch> job_;
};

size_t Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

size_t PoolThreads() {
  size_t pool = 4;  // libuv's default UV_THREADPOOL_SIZE
  if (const char* s = std::getenv("UV_THREADPOOL_SIZE")) {
    long v = std::strtol(s, nullptr, 10);
    if (v > 0) pool = static_cast<size_t>(v);
  }
  return std::min(pool, Cores());
}

// Settles a runBatch Promise on the main thread once the core's own threads are done.
void SettleOnMain(Napi::Env env, Napi::Function, std::nullptr_t*, AsyncBatch* job) {
  std::shared_ptr<AsyncBatch> owned(job->self);
  job->self.reset();
  if (env != nullptr) owned->Settle(env);
}

Napi::Value RunBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Box& box = *static_cast<Box*>(info.Data());
  auto job = std::make_shared<AsyncBatch>(env);
  job->batch = TakeBatch(info);
  job->state = box.state;
  // The cheap prechecks run on the workers too (batch::RunAll), so the main thread only copies the
  // arguments; the budgets are still assigned in job order, by one worker, before any signature
  // check (exact whatever the thread count).
  batch::Begin(*job->batch);
  Napi::Promise promise = job->deferred.Promise();
  size_t work = job->batch->pre.size();
  if (work == 0) {
    job->Settle(env);
    return promise;
  }
  if (box.useLibuv) {
    size_t workers = std::min(PoolThreads(), (work + MIN_JOBS_PER_WORKER - 1) / MIN_JOBS_PER_WORKER);
    workers = std::max<size_t>(workers, 1);
    job->pending = workers;
    for (size_t i = 0; i < workers; ++i) {
      // AsyncWorker deletes itself after OnOK/OnError (node-addon-api's ownership model).
      auto w = std::make_unique<BatchWorker>(env, job);
      w.release()->Queue();
    }
    return promise;
  }
  if (!box.pool) box.pool = std::make_unique<Pool>(Cores());
  size_t workers = std::min(box.pool->size(), (work + MIN_JOBS_PER_WORKER - 1) / MIN_JOBS_PER_WORKER);
  workers = std::max<size_t>(workers, 1);
  // One thread-safe function per batch: it keeps the loop alive while the batch runs (a pending
  // Promise should) and is released by the last worker, after its one call.
  job->tsfn = SettleFn::New(env, "adbit:runBatch", 0, 1);
  job->remaining.store(workers);
  job->self = job;
  AsyncBatch* raw = job.get();
  box.pool->Submit([raw] {
    try {
      batch::RunAll(*raw->batch, raw->state->ctx);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(raw->errorMu);
      if (raw->error.empty()) raw->error = e.what();
    }
    if (raw->remaining.fetch_sub(1) == 1) {
      SettleFn fn = raw->tsfn;
      if (fn.BlockingCall(raw) != napi_ok) raw->self.reset();  // environment closing: drop the batch
      fn.Release();
    }
  }, workers);
  return promise;
}

Napi::Value SignedData(const Napi::CallbackInfo& info) {
  auto b = TypedArg<Napi::Uint8Array>(info, 0, napi_uint8_array, "b must be a Uint8Array");
  std::vector<uint8_t> out;
  uint8_t st = canon::BuildSignedData(b.Data(), b.ElementLength(), out);
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("status", Napi::Number::New(info.Env(), st));
  o.Set("data", Bytes(info.Env(), out.data(), out.size()));
  return o;
}

// Bench only (bench/verify.ts): verifyLoop(dnskey, sig, tbs, iterations, mode) runs one
// verification `iterations` times on the calling thread and returns how many succeeded.
// mode 0: the batch path (thread Verifier with cached contexts); 1: a fresh EVP_DigestVerifyInit
// per call (what the core did before); 2: the bare primitive as `openssl speed` times it.
Napi::Value VerifyLoop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto key = TypedArg<Napi::Uint8Array>(info, 0, napi_uint8_array, "dnskey must be a Uint8Array");
  auto sig = TypedArg<Napi::Uint8Array>(info, 1, napi_uint8_array, "sig must be a Uint8Array");
  auto tbs = TypedArg<Napi::Uint8Array>(info, 2, napi_uint8_array, "tbs must be a Uint8Array");
  if (info.Length() < 5 || !info[3].IsNumber() || !info[4].IsNumber()) Throw(env, false, "iterations and mode must be numbers");
  const uint32_t n = info[3].As<Napi::Number>().Uint32Value();
  const uint32_t mode = info[4].As<Napi::Number>().Uint32Value();
  crypto::Context& ctx = State(info)->ctx;
  uint32_t good = 0;
  if (mode == 2) {
    good = ctx.SpeedLoop(key.Data(), key.ByteLength(), sig.Data(), sig.ByteLength(), tbs.Data(), tbs.ByteLength(), n);
  } else {
    crypto::Context::VerifierHandle vf = ctx.Borrow();
    for (uint32_t i = 0; i < n; ++i) {
      const uint8_t st = mode == 0
          ? ctx.Verify(*vf, key.Data(), key.ByteLength(), sig.Data(), sig.ByteLength(), tbs.Data(), tbs.ByteLength())
          : ctx.VerifyUncached(key.Data(), key.ByteLength(), sig.Data(), sig.ByteLength(), tbs.Data(), tbs.ByteLength());
      good += st == abi::ST_OK;
    }
  }
  return Napi::Number::New(env, good);
}

Napi::Value Capabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  static constexpr uint8_t kAlgs[] = {5, 7, 8, 10, 13, 14, 15, 16};
  static constexpr uint8_t kDigests[] = {1, 2, 4};
  static constexpr uint8_t kNsec3[] = {1};
  Napi::Object o = Napi::Object::New(env);
  o.Set("openssl", Napi::String::New(env, OpenSSL_version(OPENSSL_VERSION)));
  o.Set("ldns", Napi::String::New(env, ldns_version()));
  o.Set("algorithms", Bytes(env, kAlgs, sizeof kAlgs));
  o.Set("digests", Bytes(env, kDigests, sizeof kDigests));
  o.Set("nsec3", Bytes(env, kNsec3, sizeof kNsec3));
  o.Set("keyCacheSize", Napi::Number::New(env, static_cast<double>(State(info)->ctx.CacheSize())));
  return o;
}

// Test-only: ldns's own verifier on presentation-format records. Returns the ldns_status (0 = OK);
// a record that does not parse returns -1.
struct RrListFree { void operator()(ldns_rr_list* l) const { ldns_rr_list_deep_free(l); } };
using RrList = std::unique_ptr<ldns_rr_list, RrListFree>;

bool ParseInto(const std::string& text, ldns_rr_list* list) {
  ldns_rr* rr = nullptr;
  if (ldns_rr_new_frm_str(&rr, text.c_str(), 3600, nullptr, nullptr) != LDNS_STATUS_OK || rr == nullptr) return false;
  ldns_rr_list_push_rr(list, rr);
  return true;
}

Napi::Value LdnsVerifyRRset(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsArray() || !info[1].IsString() || !info[2].IsString()) {
    Throw(env, false, "ldnsVerifyRRset(rrsetTextLines: string[], rrsigText: string, dnskeyText: string)");
  }
  Napi::Array lines = info[0].As<Napi::Array>();
  RrList rrset(ldns_rr_list_new()), sigs(ldns_rr_list_new()), keys(ldns_rr_list_new());
  for (uint32_t i = 0; i < lines.Length(); ++i) {
    Napi::Value v = lines.Get(i);
    if (!v.IsString()) Throw(env, false, "rrsetTextLines must hold strings");
    if (!ParseInto(v.As<Napi::String>().Utf8Value(), rrset.get())) return Napi::Number::New(env, -1);
  }
  if (!ParseInto(info[1].As<Napi::String>().Utf8Value(), sigs.get()) ||
      !ParseInto(info[2].As<Napi::String>().Utf8Value(), keys.get())) {
    return Napi::Number::New(env, -1);
  }
  ldns_status st = ldns_verify_rrsig(rrset.get(), ldns_rr_list_rr(sigs.get(), 0), ldns_rr_list_rr(keys.get(), 0));
  return Napi::Number::New(env, static_cast<double>(st));
}

}  // namespace

void InitBatchBindings(Napi::Env env, Napi::Object exports) {
  auto box = std::make_unique<Box>();
  if (const char* p = std::getenv("ADBIT_BATCH_POOL")) box->useLibuv = std::string(p) == "libuv";
  Box* data = box.get();
  // The box (and the pool, joined here on the main thread) lives until the environment is torn
  // down; batches in flight keep the crypto state itself alive.
  env.AddCleanupHook([](Box* p) { std::unique_ptr<Box> owned(p); }, box.release());
  exports.Set("runBatchSync", Napi::Function::New(env, RunBatchSync, "runBatchSync", data));
  exports.Set("runBatch", Napi::Function::New(env, RunBatch, "runBatch", data));
  exports.Set("verifyLoop", Napi::Function::New(env, VerifyLoop, "verifyLoop", data));
  exports.Set("capabilities", Napi::Function::New(env, Capabilities, "capabilities", data));
  exports.Set("signedData", Napi::Function::New(env, SignedData, "signedData", data));
  exports.Set("ldnsVerifyRRset", Napi::Function::New(env, LdnsVerifyRRset, "ldnsVerifyRRset", data));
}

}  // namespace adbit

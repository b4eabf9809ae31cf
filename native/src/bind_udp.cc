// bind_udp.cc — JS classes over reply_table.h and udp_engine.h: ReplyTable (store, TCP lookups,
// clear, stats; shared with the engine's I/O threads) and UdpEngine (native sockets; misses come
// back to JS in batches through a thread-safe function, replies to them go out via send()).
#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bindings.h"
#include "reply_table.h"
#include "udp_engine.h"

namespace adbit {
namespace {

// Marks ReplyTable instances so UdpEngine can check what it is given before unwrapping it.
constexpr napi_type_tag kTableTag = {0x6164626974726570ULL, 0x6c797461626c6531ULL};
/** Bytes per peer address handed to JS (sockaddr_in6 is the largest we bind). */
constexpr size_t kPeerBytes = sizeof(sockaddr_in6);

const char* ErrnoName(int e) {
  switch (e) {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EINVAL: return "EINVAL";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EMFILE: return "EMFILE";
    default: return "EIO";
  }
}

int64_t NowArg(const Napi::CallbackInfo& info, size_t i) {
  return info.Length() > i && info[i].IsNumber() ? static_cast<int64_t>(info[i].As<Napi::Number>().DoubleValue()) : reply::MonotonicMs();
}

Napi::Uint8Array BytesArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a Uint8Array");
  }
  return info[i].As<Napi::Uint8Array>();
}

class TableWrap : public Napi::ObjectWrap<TableWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "ReplyTable", {
      InstanceMethod<&TableWrap::Lookup>("lookup"),
      InstanceMethod<&TableWrap::Store>("store"),
      InstanceMethod<&TableWrap::Clear>("clear"),
      InstanceMethod<&TableWrap::Stats>("stats"),
    });
  }

  // new ReplyTable(maxBytes, serverMax)
  explicit TableWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TableWrap>(info) {
    const double max = info[0].As<Napi::Number>().DoubleValue();
    const uint32_t server_max = info[1].As<Napi::Number>().Uint32Value();
    if (!(max >= 0) || server_max < 512 || server_max > 65535) throw Napi::RangeError::New(info.Env(), "bad ReplyTable sizes");
    table_ = std::make_shared<reply::Table>(static_cast<size_t>(max), static_cast<uint16_t>(server_max));
    info.This().As<Napi::Object>().TypeTag(&kTableTag);
  }

  std::shared_ptr<reply::Table> table() const { return table_; }

 private:
  // lookup(query, tcp, meta: Uint8Array(2) <- [rcode, security], nowMs?) -> Buffer | null
  Napi::Value Lookup(const Napi::CallbackInfo& info) {
    Napi::Uint8Array q = BytesArg(info, 0, "query");
    const bool tcp = info[1].ToBoolean();
    Napi::Uint8Array meta = BytesArg(info, 2, "meta");
    reply::Key key;
    if (meta.ElementLength() < 2 || !reply::KeyOf(q.Data(), q.ElementLength(), tcp, table_->server_max(), key)) return info.Env().Null();
    scratch_.resize(65535);
    const size_t n = table_->LookupInto(q.Data(), key, NowArg(info, 3), scratch_.data(), scratch_.size(), &meta.Data()[0], &meta.Data()[1]);
    if (n == 0) return info.Env().Null();
    return Napi::Buffer<uint8_t>::Copy(info.Env(), scratch_.data(), n);
  }

  // store(query, tcp, reply, capSec, rcode, security, nowMs?) -> boolean
  Napi::Value Store(const Napi::CallbackInfo& info) {
    Napi::Uint8Array q = BytesArg(info, 0, "query");
    Napi::Uint8Array r = BytesArg(info, 2, "reply");
    const double cap = info[3].As<Napi::Number>().DoubleValue();
    const uint32_t cap_sec = cap >= 4294967295.0 ? UINT32_MAX : cap > 0 ? static_cast<uint32_t>(cap) : 0;
    const bool ok = table_->Store(q.Data(), q.ElementLength(), info[1].ToBoolean(), r.Data(), r.ElementLength(), cap_sec,
                                  static_cast<uint8_t>(info[4].As<Napi::Number>().Uint32Value() & 15),
                                  static_cast<uint8_t>(info[5].As<Napi::Number>().Uint32Value()), NowArg(info, 6));
    return Napi::Boolean::New(info.Env(), ok);
  }

  Napi::Value Clear(const Napi::CallbackInfo& info) {
    table_->Clear();
    return info.Env().Undefined();
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    const reply::Stats s = table_->GetStats();
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("entries", Napi::Number::New(info.Env(), static_cast<double>(s.entries)));
    o.Set("bytes", Napi::Number::New(info.Env(), static_cast<double>(s.bytes)));
    return o;
  }

  std::shared_ptr<reply::Table> table_;
  std::vector<uint8_t> scratch_;
};

struct MissBatch {
  std::vector<udp::Miss> misses;
};

void DeliverMisses(Napi::Env env, Napi::Function cb, std::nullptr_t*, MissBatch* raw) {
  std::unique_ptr<MissBatch> batch(raw);
  if (env == nullptr || cb.IsEmpty()) return;
  const std::vector<udp::Miss>& ms = batch->misses;
  size_t total = 0;
  for (const udp::Miss& m : ms) total += m.data.size();
  Napi::Buffer<uint8_t> data = Napi::Buffer<uint8_t>::New(env, total);
  Napi::Buffer<uint8_t> peers = Napi::Buffer<uint8_t>::New(env, ms.size() * kPeerBytes);
  Napi::Uint32Array meta = Napi::Uint32Array::New(env, ms.size() * 5);
  Napi::Array addrs = Napi::Array::New(env, ms.size());
  std::memset(peers.Data(), 0, peers.Length());
  size_t off = 0;
  char text[INET6_ADDRSTRLEN];
  for (size_t i = 0; i < ms.size(); i++) {
    const udp::Miss& m = ms[i];
    if (!m.data.empty()) std::memcpy(data.Data() + off, m.data.data(), m.data.size());
    std::memcpy(peers.Data() + i * kPeerBytes, &m.peer, std::min<size_t>(m.peer_len, kPeerBytes));
    uint16_t port = 0;
    text[0] = 0;
    if (m.peer.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&m.peer);
      inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
      port = ntohs(a->sin_port);
    } else if (m.peer.ss_family == AF_INET6) {
      const auto* a = reinterpret_cast<const sockaddr_in6*>(&m.peer);
      inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
      port = ntohs(a->sin6_port);
    }
    uint32_t* row = meta.Data() + i * 5;
    row[0] = static_cast<uint32_t>(off);
    row[1] = static_cast<uint32_t>(m.data.size());
    row[2] = m.socket;
    row[3] = port;
    row[4] = static_cast<uint32_t>(std::min<size_t>(m.peer_len, kPeerBytes));
    addrs.Set(static_cast<uint32_t>(i), Napi::String::New(env, text));
    off += m.data.size();
  }
  cb.Call({data, meta, peers, addrs});
}

using MissFn = Napi::TypedThreadSafeFunction<std::nullptr_t, MissBatch, DeliverMisses>;
/** Miss batches queued towards JS at most; beyond it the I/O threads drop (the client retries). */
constexpr size_t kMaxQueuedBatches = 512;  // ≤ 32k datagrams waiting: bounded memory and delay

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "UdpEngine", {
      InstanceMethod<&EngineWrap::Listen>("listen"),
      InstanceMethod<&EngineWrap::Start>("start"),
      InstanceMethod<&EngineWrap::SetAcl>("setAcl"),
      InstanceMethod<&EngineWrap::SetAccepting>("setAccepting"),
      InstanceMethod<&EngineWrap::Quiesce>("quiesce"),
      InstanceMethod<&EngineWrap::Send>("send"),
      InstanceMethod<&EngineWrap::Close>("close"),
      InstanceMethod<&EngineWrap::Stats>("stats"),
    });
  }

  // new UdpEngine(table, threads, reusePort, onMisses(data, meta, peers, addrs))
  explicit EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsObject() || !info[0].As<Napi::Object>().CheckTypeTag(&kTableTag)) throw Napi::TypeError::New(env, "table must be a ReplyTable");
    if (!info[3].IsFunction()) throw Napi::TypeError::New(env, "onMisses must be a function");
    std::shared_ptr<reply::Table> table = TableWrap::Unwrap(info[0].As<Napi::Object>())->table();
    tsfn_ = MissFn::New(env, info[3].As<Napi::Function>(), "adbit:udp-misses", kMaxQueuedBatches, 1);
    MissFn fn = tsfn_;
    auto sink = [fn](std::vector<udp::Miss>&& ms) mutable -> bool {
      auto batch = std::make_unique<MissBatch>();
      batch->misses = std::move(ms);
      if (fn.NonBlockingCall(batch.get()) != napi_ok) return false;
      batch.release();  // owned by DeliverMisses now
      return true;
    };
    engine_ = std::make_unique<udp::Engine>(std::move(table), std::move(sink), info[1].As<Napi::Number>().Int32Value(), info[2].ToBoolean());
  }

  ~EngineWrap() override { Shutdown(); }

 private:
  void Shutdown() {
    if (engine_) engine_->Stop();  // joins the I/O threads: no sink call after this
    if (!released_) {
      released_ = true;
      tsfn_.Release();
    }
  }

  // listen(host, port) -> bound port; throws an Error with .code (errno name) on failure
  Napi::Value Listen(const Napi::CallbackInfo& info) {
    const std::string host = info[0].As<Napi::String>().Utf8Value();
    const uint32_t port = info[1].As<Napi::Number>().Uint32Value();
    uint16_t bound = 0;
    const int err = port > 65535 ? EINVAL : engine_->Listen(host, static_cast<uint16_t>(port), &bound);
    if (err != 0) {
      Napi::Error e = Napi::Error::New(info.Env(), std::string(ErrnoName(err)) + ": " + std::strerror(err));
      e.Set("code", Napi::String::New(info.Env(), ErrnoName(err)));
      throw e;
    }
    return Napi::Number::New(info.Env(), bound);
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    engine_->Start();
    return info.Env().Undefined();
  }

  // setAcl(packed: Uint8Array of 18-byte rows [family, prefix, 16 address bytes])
  Napi::Value SetAcl(const Napi::CallbackInfo& info) {
    Napi::Uint8Array p = BytesArg(info, 0, "acl");
    std::vector<udp::AclNet> nets;
    for (size_t o = 0; o + 18 <= p.ElementLength(); o += 18) {
      udp::AclNet n;
      n.family = p.Data()[o];
      n.prefix = p.Data()[o + 1];
      if ((n.family != 4 && n.family != 6) || n.prefix > (n.family == 4 ? 32 : 128)) continue;
      std::memcpy(n.bytes, p.Data() + o + 2, 16);
      nets.push_back(n);
    }
    engine_->SetAcl(std::move(nets));
    return info.Env().Undefined();
  }

  Napi::Value SetAccepting(const Napi::CallbackInfo& info) {
    engine_->SetAccepting(info[0].ToBoolean());
    return info.Env().Undefined();
  }

  // quiesce() -> true when an empty miss batch (the barrier) was queued behind every earlier miss
  Napi::Value Quiesce(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), engine_->Quiesce());
  }

  // send(socket, peer: Uint8Array (sockaddr bytes from onMisses), reply) -> 0 or errno
  Napi::Value Send(const Napi::CallbackInfo& info) {
    const uint32_t sock = info[0].As<Napi::Number>().Uint32Value();
    Napi::Uint8Array peer = BytesArg(info, 1, "peer");
    Napi::Uint8Array data = BytesArg(info, 2, "reply");
    sockaddr_storage ss{};
    const size_t n = std::min<size_t>(peer.ElementLength(), kPeerBytes);
    std::memcpy(&ss, peer.Data(), n);
    const int r = engine_->Send(sock, ss, static_cast<socklen_t>(n), data.Data(), data.ElementLength());
    return Napi::Number::New(info.Env(), r);
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const udp::StatsSnapshot s = engine_->Stats();
    Napi::Object o = Napi::Object::New(env);
    auto num = [&](const char* k, uint64_t v) { o.Set(k, Napi::Number::New(env, static_cast<double>(v))); };
    num("received", s.received);
    num("hits", s.hits);
    num("misses", s.misses);
    num("droppedQueue", s.dropped_queue);
    num("droppedSend", s.dropped_send);
    num("droppedOversize", s.dropped_oversize);
    num("droppedDraining", s.dropped_draining);
    num("hitNsSum", s.hit_ns_sum);
    Napi::Array rc = Napi::Array::New(env, 16);
    for (uint32_t i = 0; i < 16; i++) rc.Set(i, Napi::Number::New(env, static_cast<double>(s.hits_rcode[i])));
    Napi::Array sec = Napi::Array::New(env, reply::SEC_COUNT);
    for (uint32_t i = 0; i < reply::SEC_COUNT; i++) sec.Set(i, Napi::Number::New(env, static_cast<double>(s.hits_security[i])));
    Napi::Array hist = Napi::Array::New(env, 12);
    for (uint32_t i = 0; i < 12; i++) hist.Set(i, Napi::Number::New(env, static_cast<double>(s.hit_hist[i])));
    o.Set("hitHistogram", hist);
    o.Set("hitsRcode", rc);
    o.Set("hitsSecurity", sec);
    return o;
  }

  std::unique_ptr<udp::Engine> engine_;
  MissFn tsfn_;
  bool released_ = false;
};

}  // namespace

void InitUdpBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("ReplyTable", TableWrap::Define(env));
  exports.Set("UdpEngine", EngineWrap::Define(env));
}

}  // namespace adbit

// bind_parse.cc — napi surface of the wire codec: parseMessageBuffer (parse.cc) and
// the ldns text helpers (text.cc): rrToText, rrFromText, ldnsDecode, versions. Arguments are checked here (TypeError on a
// contract violation only); DNS problems come back as status values. Results are copied out.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "abi.h"
#include "bindings.h"
#include "parse.h"
#include "text.h"

namespace adbit {
namespace {

// Returns the bytes of a Uint8Array argument, or throws TypeError.
Napi::Uint8Array U8Arg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  if (info.Length() <= i || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), std::string(fn) + ": argument " + std::to_string(i + 1) +
                                               " must be a Uint8Array");
  }
  return info[i].As<Napi::Uint8Array>();
}

Napi::Uint8Array CopyBytes(Napi::Env env, const uint8_t* p, size_t n) {
  Napi::Uint8Array a = Napi::Uint8Array::New(env, n);
  if (n) std::memcpy(a.Data(), p, n);
  return a;
}

// Per-environment parse scratch (no mutable statics, safe under worker_threads): the vectors keep
// their capacity between calls, so a parse allocates nothing in the core. Main thread only.
struct ParseScratch {
  parse::ParseOutput out;
};

ParseScratch& Scratch(const Napi::CallbackInfo& info) { return *static_cast<ParseScratch*>(info.Data()); }

// Keeps the scratch from holding on to the memory of one huge message for ever.
constexpr size_t SCRATCH_KEEP_BYTES = 256u << 10;

void TrimScratch(parse::ParseOutput& out) {
  if (out.data.capacity() > SCRATCH_KEEP_BYTES) std::vector<uint8_t>().swap(out.data);
  if (out.table.capacity() * sizeof(uint32_t) > SCRATCH_KEEP_BYTES) std::vector<uint32_t>().swap(out.table);
}

// parseMessageBuffer(wire) -> ArrayBuffer | number. The fast path (bench/parse.ts): ONE ArrayBuffer
// holding the table (HDR_WORDS + rows * RR_STRIDE u32, native byte order) followed by the data
// blob; TypeScript lays two views over it (the row count is in the wire header). On a malformed
// message it returns status * 2^32 + errorOffset instead (both u32, exact in a double). One
// allocation per call instead of two typed arrays, two ArrayBuffers and a four-key object: that
// object was most of the per-call cost for small messages.
Napi::Value ParseMessageBufferJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Uint8Array wire = U8Arg(info, 0, "parseMessageBuffer");
  parse::ParseOutput& out = Scratch(info).out;
  parse::ParseMessage(wire.Data(), wire.ByteLength(), out);
  if (out.status != abi::PARSE_OK) {
    TrimScratch(out);
    return Napi::Number::New(env, static_cast<double>(out.status) * 4294967296.0 + out.errorOffset);
  }
  const size_t tableBytes = out.table.size() * sizeof(uint32_t);
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, tableBytes + out.data.size());
  auto* p = static_cast<uint8_t*>(buf.Data());
  std::memcpy(p, out.table.data(), tableBytes);
  if (!out.data.empty()) std::memcpy(p + tableBytes, out.data.data(), out.data.size());
  TrimScratch(out);
  return buf;
}

Napi::Value RrToTextJs(const Napi::CallbackInfo& info) {
  Napi::Uint8Array rr = U8Arg(info, 0, "rrToText");
  std::optional<std::string> s = text::RrToText(rr.Data(), rr.ByteLength());
  if (!s) return info.Env().Null();
  return Napi::String::New(info.Env(), *s);
}

Napi::Value RrFromTextJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsString() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "rrFromText(text: string, origin: string, defaultTtl: number)");
  }
  const double ttl = info[2].As<Napi::Number>().DoubleValue();
  if (!(ttl >= 0 && ttl <= 4294967295.0) || ttl != static_cast<double>(static_cast<uint32_t>(ttl))) {
    throw Napi::RangeError::New(env, "rrFromText: defaultTtl must be an integer in 0..2^32-1");
  }
  text::FromTextResult r = text::RrFromText(info[0].As<Napi::String>().Utf8Value(),
                                            info[1].As<Napi::String>().Utf8Value(),
                                            static_cast<uint32_t>(ttl));
  Napi::Object res = Napi::Object::New(env);
  res.Set("status", Napi::Number::New(env, r.status));
  res.Set("error", Napi::String::New(env, r.error));
  res.Set("rr", CopyBytes(env, r.rr.data(), r.rr.size()));
  return res;
}

Napi::Value LdnsDecodeJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Uint8Array wire = U8Arg(info, 0, "ldnsDecode");
  text::DecodeResult r = text::LdnsDecode(wire.Data(), wire.ByteLength());
  Napi::Array records = Napi::Array::New(env, r.records.size());
  for (size_t i = 0; i < r.records.size(); ++i) records.Set(static_cast<uint32_t>(i), r.records[i]);
  Napi::Object res = Napi::Object::New(env);
  res.Set("status", Napi::Number::New(env, r.status));
  res.Set("error", Napi::String::New(env, r.error));
  res.Set("records", records);
  return res;
}

Napi::Value VersionsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  text::Versions v = text::GetVersions();
  Napi::Object res = Napi::Object::New(env);
  res.Set("ldns", v.ldns);
  res.Set("openssl", v.openssl);
  return res;
}

}  // namespace

void InitParseBindings(Napi::Env env, Napi::Object exports) {
  auto scratch = std::make_unique<ParseScratch>();
  ParseScratch* data = scratch.get();
  env.AddCleanupHook([](ParseScratch* p) { std::unique_ptr<ParseScratch> owned(p); }, scratch.release());
  exports.Set("parseMessageBuffer", Napi::Function::New(env, ParseMessageBufferJs, "parseMessageBuffer", data));
  exports.Set("rrToText", Napi::Function::New(env, RrToTextJs, "rrToText"));
  exports.Set("rrFromText", Napi::Function::New(env, RrFromTextJs, "rrFromText"));
  exports.Set("ldnsDecode", Napi::Function::New(env, LdnsDecodeJs, "ldnsDecode"));
  exports.Set("versions", Napi::Function::New(env, VersionsJs, "versions"));
}

}  // namespace adbit

// bindings.h — each binding file registers its exports on the addon's exports object.
// Only addon.cc, args.h and the bind_*.cc files include napi.h; the core stays napi-free.
#pragma once
#include <napi.h>

namespace adbit {
void InitParseBindings(Napi::Env env, Napi::Object exports);   // bind_parse.cc
void InitBatchBindings(Napi::Env env, Napi::Object exports);   // bind_batch.cc
void InitUdpBindings(Napi::Env env, Napi::Object exports);     // bind_udp.cc
}  // namespace adbit

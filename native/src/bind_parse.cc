// bind_parse.cc — placeholder until the parser lands (owned by the wire-codec work).
#include "bindings.h"
namespace adbit {
void InitParseBindings(Napi::Env, Napi::Object) {}
}  // namespace adbit

// bind_batch.cc — placeholder until batched verification lands (owned by the crypto work).
#include "bindings.h"
namespace adbit {
void InitBatchBindings(Napi::Env, Napi::Object) {}
}  // namespace adbit

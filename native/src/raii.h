// raii.h — unique_ptr owners for the OpenSSL 3.0 handles the core uses (no raw free calls elsewhere).
// Only OpenSSL 3.0 APIs; headers come from Node's include dir, symbols from the node binary
// (ARCHITECTURE §7 "OpenSSL caveat"). Pure C++: no napi.
#pragma once
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace adbit {
namespace raii {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct MdFree { void operator()(EVP_MD* p) const { EVP_MD_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct ParamBldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamsFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };

using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Md = std::unique_ptr<EVP_MD, MdFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using Params = std::unique_ptr<OSSL_PARAM, ParamsFree>;

// Keys are shared between the LRU cache and verifications in flight on other threads.
using SharedPkey = std::shared_ptr<EVP_PKEY>;
inline SharedPkey Share(Pkey p) { return SharedPkey(p.release(), PkeyFree()); }

}  // namespace raii
}  // namespace adbit

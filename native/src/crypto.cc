// crypto.cc — DNSKEY import and verification over OpenSSL 3.0 EVP (never global init/cleanup),
// DS digests, NSEC3 hashing and key tags. RSA: RFC 3110 §2 key encoding, RFC 5702 (SHA-256/512);
// ECDSA: RFC 6605 §4 (raw X||Y keys, raw r||s signatures); EdDSA: RFC 8080 §3–4 (raw keys).
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include <cstring>
#include <memory>

#include "abi.h"
#include "canon.h"

namespace adbit {
namespace crypto {
namespace {

struct Rsa { const uint8_t* e; size_t eLen; const uint8_t* n; size_t nLen; };

// RFC 3110 §2: one exponent-length octet, or 0 followed by a two-octet length.
bool SplitRsa(const uint8_t* k, size_t len, Rsa& r) {
  if (len < 1) return false;
  size_t pos = 1;
  size_t eLen = k[0];
  if (eLen == 0) {
    if (len < 3) return false;
    eLen = (static_cast<size_t>(k[1]) << 8) | k[2];
    pos = 3;
  }
  if (eLen == 0 || len - pos <= eLen) return false;
  r.e = k + pos;
  r.eLen = eLen;
  r.n = k + pos + eLen;
  r.nLen = len - pos - eLen;
  return true;
}

unsigned BitLength(const uint8_t* p, size_t n) {
  while (n > 0 && *p == 0) { ++p; --n; }
  if (n == 0) return 0;
  unsigned bits = static_cast<unsigned>(n - 1) * 8;
  for (uint8_t top = *p; top != 0; top >>= 1) ++bits;
  return bits;
}

size_t EcPointLen(uint8_t alg) { return alg == 13 ? 64 : alg == 14 ? 96 : 0; }
size_t EdKeyLen(uint8_t alg) { return alg == 15 ? 32 : alg == 16 ? 57 : 0; }
size_t EdSigLen(uint8_t alg) { return alg == 15 ? 64 : alg == 16 ? 114 : 0; }

raii::Pkey FromData(const char* type, OSSL_PARAM_BLD* bld) {
  raii::Params params(OSSL_PARAM_BLD_to_param(bld));
  if (!params) return nullptr;
  raii::PkeyCtx pctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) <= 0) return nullptr;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(pctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) return nullptr;
  return raii::Pkey(key);
}

raii::Pkey ImportRsa(const uint8_t* k, size_t len) {
  Rsa r{};
  if (!SplitRsa(k, len, r)) return nullptr;
  raii::Bn n(BN_bin2bn(r.n, static_cast<int>(r.nLen), nullptr));
  raii::Bn e(BN_bin2bn(r.e, static_cast<int>(r.eLen), nullptr));
  raii::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld) return nullptr;
  if (!OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
    return nullptr;
  }
  return FromData("RSA", bld.get());
}

raii::Pkey ImportEc(uint8_t alg, const uint8_t* k, size_t len) {
  // RFC 6605 §4: the key is X || Y; OpenSSL wants the SEC1 uncompressed point 0x04 || X || Y and
  // checks that it is on the curve.
  uint8_t point[1 + 96];
  point[0] = 0x04;
  std::memcpy(point + 1, k, len);
  raii::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld) return nullptr;
  const char* group = alg == 13 ? "prime256v1" : "secp384r1";
  if (!OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point, len + 1)) {
    return nullptr;
  }
  return FromData("EC", bld.get());
}

raii::Pkey Import(uint8_t alg, const uint8_t* k, size_t len) {
  switch (alg) {
    case 5: case 7: case 8: case 10: return ImportRsa(k, len);
    case 13: case 14: return ImportEc(alg, k, len);
    case 15: return raii::Pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, k, len));
    case 16: return raii::Pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED448, nullptr, k, len));
    default: return nullptr;
  }
}

// DER INTEGER of an unsigned big-endian value (leading zeros dropped, 0x00 added before a high bit)
// written at out; returns the octets written (at most 2 + 1 + n).
size_t DerInteger(const uint8_t* v, size_t n, uint8_t* out) {
  while (n > 1 && *v == 0) { ++v; --n; }
  const bool pad = (*v & 0x80) != 0;
  size_t k = 0;
  out[k++] = 0x02;
  out[k++] = static_cast<uint8_t>(n + (pad ? 1 : 0));
  if (pad) out[k++] = 0;
  std::memcpy(out + k, v, n);
  return k + n;
}

// RFC 6605 §4: signatures are r || s; EVP wants ECDSA-Sig-Value (DER). At most 2+2*(3+48) = 104
// octets, so every length fits the short form and a stack buffer (no allocation per verify).
constexpr size_t EC_DER_MAX = 2 + 2 * (3 + 48);
size_t EcSigToDer(const uint8_t* sig, size_t sigLen, uint8_t* der) {
  const size_t half = sigLen / 2;
  size_t k = 2;
  k += DerInteger(sig, half, der + k);
  k += DerInteger(sig + half, half, der + k);
  der[0] = 0x30;
  der[1] = static_cast<uint8_t>(k - 2);
  return k;
}

}  // namespace

bool ParseDnskey(const uint8_t* rdata, size_t len, Dnskey& out) {
  if (rdata == nullptr || len < 4) return false;
  out.flags = static_cast<uint16_t>((rdata[0] << 8) | rdata[1]);
  out.protocol = rdata[2];
  out.algorithm = rdata[3];
  out.key = rdata + 4;
  out.keyLen = len - 4;
  return true;
}

uint16_t KeyTag(const uint8_t* rdata, size_t len) {
  if (len >= 4 && rdata[3] == 1) {
    // RFC 4034 App. B.1: for RSA/MD5 the tag is the most significant 16 of the least significant
    // 24 bits of the modulus, i.e. the two octets before the last one.
    if (len < 3 + 4) return 0;
    return static_cast<uint16_t>((rdata[len - 3] << 8) | rdata[len - 2]);
  }
  uint32_t ac = 0;
  for (size_t i = 0; i < len; ++i) ac += (i & 1) ? rdata[i] : static_cast<uint32_t>(rdata[i]) << 8;
  ac += (ac >> 16) & 0xFFFF;
  return static_cast<uint16_t>(ac & 0xFFFF);
}

bool AlgorithmSupported(uint8_t alg) {
  switch (alg) {
    case 5: case 7: case 8: case 10: case 13: case 14: case 15: case 16: return true;
    default: return false;  // 1 (RSAMD5), 3 (DSA), 6 (DSA-NSEC3), 12 (GOST): RFC 8624 §3.1 MUST NOT validate
  }
}

size_t DigestSize(uint32_t t) { return t == 1 ? 20 : t == 2 ? 32 : t == 4 ? 48 : 0; }

uint8_t CheckKeyShape(uint8_t alg, const uint8_t* key, size_t keyLen) {
  switch (alg) {
    case 5: case 7: case 8: case 10: {
      Rsa r{};
      if (!SplitRsa(key, keyLen, r)) return abi::ST_KEY_INVALID;
      unsigned eBits = BitLength(r.e, r.eLen);
      if (eBits < 2 || eBits > RSA_MAX_EXPONENT_BYTES * 8 || (r.e[r.eLen - 1] & 1) == 0) return abi::ST_KEY_INVALID;
      unsigned bits = BitLength(r.n, r.nLen);
      if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) return abi::ST_KEY_SIZE;
      return abi::ST_OK;
    }
    case 13: case 14: return keyLen == EcPointLen(alg) ? abi::ST_OK : abi::ST_KEY_INVALID;
    case 15: case 16: return keyLen == EdKeyLen(alg) ? abi::ST_OK : abi::ST_KEY_INVALID;
    default: return abi::ST_ALG_UNSUPPORTED;
  }
}

Context::Context()
    : sha1_(EVP_MD_fetch(nullptr, "SHA1", nullptr)),
      sha256_(EVP_MD_fetch(nullptr, "SHA256", nullptr)),
      sha384_(EVP_MD_fetch(nullptr, "SHA384", nullptr)),
      sha512_(EVP_MD_fetch(nullptr, "SHA512", nullptr)) {}

const EVP_MD* Context::MdFor(uint8_t alg) const {
  switch (alg) {
    case 5: case 7: return sha1_.get();
    case 8: case 13: return sha256_.get();
    case 14: return sha384_.get();
    case 10: return sha512_.get();
    default: return nullptr;
  }
}

size_t Context::CacheSize() {
  std::lock_guard<std::mutex> lock(mu_);
  return cache_.size();
}

uint8_t Context::GetKey(const uint8_t* dnskey, size_t dnskeyLen, raii::SharedPkey& out) {
  std::string id(reinterpret_cast<const char*>(dnskey), dnskeyLen);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(id);
    if (it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.pos);
      out = it->second.key;
      return abi::ST_OK;
    }
  }
  Dnskey k;
  if (!ParseDnskey(dnskey, dnskeyLen, k)) return abi::ST_KEY_INVALID;
  if (!AlgorithmSupported(k.algorithm)) return abi::ST_ALG_UNSUPPORTED;
  uint8_t shape = CheckKeyShape(k.algorithm, k.key, k.keyLen);
  if (shape != abi::ST_OK) return shape;
  raii::Pkey key = Import(k.algorithm, k.key, k.keyLen);  // outside the lock: EC import costs
  if (!key) return abi::ST_KEY_INVALID;
  out = raii::Share(std::move(key));
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.find(id) == cache_.end()) {
    lru_.push_front(id);
    cache_.emplace(std::move(id), Entry{out, lru_.begin()});
    if (cache_.size() > KEY_CACHE_CAPACITY) {
      cache_.erase(lru_.back());
      lru_.pop_back();
    }
  }
  return abi::ST_OK;
}

uint8_t Context::Verify(const uint8_t* dnskey, size_t dnskeyLen, const uint8_t* sig, size_t sigLen,
                        const uint8_t* tbs, size_t tbsLen) {
  VerifierHandle v = Borrow();
  return Verify(*v, dnskey, dnskeyLen, sig, sigLen, tbs, tbsLen);
}

// One cached DNSKEY of a Verifier: the RDATA it came from, the key, and the initialised context.
struct Verifier::Slot {
  std::string rdata;
  raii::SharedPkey key;
  raii::PkeyCtx pkey;  // RSA / ECDSA: EVP_PKEY_verify_init + signature digest
  raii::MdCtx md;      // EdDSA: EVP_DigestVerifyInit
  const EVP_MD* digest = nullptr;
};

Verifier::Verifier() : hash_(EVP_MD_CTX_new()) { slots_.reserve(SLOTS); }
Verifier::~Verifier() = default;

void Context::VerifierReturn::operator()(Verifier* v) const {
  std::unique_ptr<Verifier> owned(v);
  std::lock_guard<std::mutex> lock(ctx->mu_);
  // At most one idle Verifier per thread that ever ran a batch; more are never needed at once.
  if (ctx->idle_.size() < 64) ctx->idle_.push_back(std::move(owned));
}

Context::VerifierHandle Context::Borrow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      Verifier* v = idle_.back().release();
      idle_.pop_back();
      return VerifierHandle(v, VerifierReturn{this});
    }
  }
  return VerifierHandle(std::make_unique<Verifier>().release(), VerifierReturn{this});
}

uint8_t Context::Verify(Verifier& vf, const uint8_t* dnskey, size_t dnskeyLen, const uint8_t* sig,
                        size_t sigLen, const uint8_t* tbs, size_t tbsLen) {
  if (dnskeyLen < 4) return abi::ST_KEY_INVALID;
  const uint8_t alg = dnskey[3];
  const bool eddsa = alg == 15 || alg == 16;
  uint8_t der[EC_DER_MAX];
  if (alg == 13 || alg == 14) {
    if (sigLen != EcPointLen(alg)) return abi::ST_BAD_SIGNATURE;
    sigLen = EcSigToDer(sig, sigLen, der);
    sig = der;
  } else if (eddsa) {
    if (sigLen != EdSigLen(alg)) return abi::ST_BAD_SIGNATURE;
  }

  // Find the key's slot by its RDATA bytes (a linear scan of SLOTS short compares).
  Verifier::Slot* slot = nullptr;
  for (auto& s : vf.slots_) {
    if (s->rdata.size() == dnskeyLen && std::memcmp(s->rdata.data(), dnskey, dnskeyLen) == 0) {
      slot = s.get();
      break;
    }
  }
  if (slot == nullptr) {
    raii::SharedPkey key;
    uint8_t st = GetKey(dnskey, dnskeyLen, key);
    if (st != abi::ST_OK) return st;
    auto fresh = std::make_unique<Verifier::Slot>();
    fresh->rdata.assign(reinterpret_cast<const char*>(dnskey), dnskeyLen);
    fresh->key = std::move(key);
    if (eddsa) {
      fresh->md.reset(EVP_MD_CTX_new());
      if (!fresh->md || EVP_DigestVerifyInit(fresh->md.get(), nullptr, nullptr, nullptr, fresh->key.get()) <= 0) {
        ERR_clear_error();
        return abi::ST_KEY_INVALID;
      }
    } else {
      fresh->digest = MdFor(alg);
      fresh->pkey.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, fresh->key.get(), nullptr));
      if (!fresh->pkey || fresh->digest == nullptr || EVP_PKEY_verify_init(fresh->pkey.get()) <= 0 ||
          EVP_PKEY_CTX_set_signature_md(fresh->pkey.get(), fresh->digest) <= 0) {
        ERR_clear_error();
        return abi::ST_KEY_INVALID;
      }
    }
    if (vf.slots_.size() < Verifier::SLOTS) {
      vf.slots_.push_back(std::move(fresh));
      slot = vf.slots_.back().get();
    } else {
      auto& victim = vf.slots_[vf.nextVictim_];
      vf.nextVictim_ = (vf.nextVictim_ + 1) % Verifier::SLOTS;
      victim = std::move(fresh);
      slot = victim.get();
    }
  }

  int ok = 0;
  if (eddsa) {
    ok = EVP_DigestVerify(slot->md.get(), sig, sigLen, tbs, tbsLen);
  } else {
    // RSA (RFC 3110/5702: PKCS#1 v1.5 with the DigestInfo checked against the digest set on the
    // context) and ECDSA (RFC 6605) verify a message digest; hashing here with a reused EVP_MD_CTX
    // is what EVP_DigestVerify would do, minus its per-call context set-up.
    uint8_t h[EVP_MAX_MD_SIZE];
    unsigned int hLen = 0;
    if (!vf.hash_ || EVP_DigestInit_ex(vf.hash_.get(), slot->digest, nullptr) <= 0 ||
        EVP_DigestUpdate(vf.hash_.get(), tbs, tbsLen) <= 0 || EVP_DigestFinal_ex(vf.hash_.get(), h, &hLen) <= 0) {
      ERR_clear_error();
      return abi::ST_BAD_SIGNATURE;
    }
    ok = EVP_PKEY_verify(slot->pkey.get(), sig, sigLen, h, hLen);
  }
  if (ok == 1) return abi::ST_OK;
  // A failed check leaves entries on this thread's OpenSSL error queue; on the main thread that
  // queue is node:crypto's too, so it must not see our leftovers.
  ERR_clear_error();
  return abi::ST_BAD_SIGNATURE;
}

// The pre-cache path (a fresh EVP_MD_CTX and EVP_DigestVerifyInit per call), kept only so the
// bench can show what the Verifier saves (bench/verify.ts, verifyLoop mode 1).
uint8_t Context::VerifyUncached(const uint8_t* dnskey, size_t dnskeyLen, const uint8_t* sig, size_t sigLen,
                                const uint8_t* tbs, size_t tbsLen) {
  raii::SharedPkey key;
  uint8_t st = GetKey(dnskey, dnskeyLen, key);
  if (st != abi::ST_OK) return st;
  uint8_t alg = dnskey[3];
  uint8_t der[EC_DER_MAX];
  if (alg == 13 || alg == 14) {
    if (sigLen != EcPointLen(alg)) return abi::ST_BAD_SIGNATURE;
    sigLen = EcSigToDer(sig, sigLen, der);
    sig = der;
  } else if (alg == 15 || alg == 16) {
    if (sigLen != EdSigLen(alg)) return abi::ST_BAD_SIGNATURE;
  }
  raii::MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return abi::ST_BAD_SIGNATURE;
  const EVP_MD* md = (alg == 15 || alg == 16) ? nullptr : MdFor(alg);  // EdDSA hashes internally
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.get()) <= 0) {
    ERR_clear_error();
    return abi::ST_KEY_INVALID;
  }
  int ok = EVP_DigestVerify(ctx.get(), sig, sigLen, tbs, tbsLen);
  if (ok == 1) return abi::ST_OK;
  ERR_clear_error();
  return abi::ST_BAD_SIGNATURE;
}

uint32_t Context::SpeedLoop(const uint8_t* dnskey, size_t dnskeyLen, const uint8_t* sig, size_t sigLen,
                            const uint8_t* tbs, size_t tbsLen, uint32_t iterations) {
  Verifier vf;
  // One verification through the Verifier sets up the slot (key + context) and checks the inputs.
  if (Verify(vf, dnskey, dnskeyLen, sig, sigLen, tbs, tbsLen) != abi::ST_OK || vf.slots_.empty()) return 0;
  Verifier::Slot& slot = *vf.slots_.front();
  uint32_t good = 0;
  if (slot.md) {
    for (uint32_t i = 0; i < iterations; ++i) good += EVP_DigestVerify(slot.md.get(), sig, sigLen, tbs, tbsLen) == 1;
    return good;
  }
  uint8_t der[EC_DER_MAX];
  const uint8_t alg = dnskey[3];
  if (alg == 13 || alg == 14) {
    sigLen = EcSigToDer(sig, sigLen, der);
    sig = der;
  }
  uint8_t h[EVP_MAX_MD_SIZE];
  unsigned int hLen = 0;
  if (EVP_Digest(tbs, tbsLen, h, &hLen, slot.digest, nullptr) <= 0) return 0;
  for (uint32_t i = 0; i < iterations; ++i) good += EVP_PKEY_verify(slot.pkey.get(), sig, sigLen, h, hLen) == 1;
  return good;
}

uint8_t Context::DsDigest(uint32_t digestType, const uint8_t* owner, size_t ownerLen, const uint8_t* dnskey,
                          size_t dnskeyLen, uint8_t* out) {
  const EVP_MD* md = digestType == 1 ? sha1_.get() : digestType == 2 ? sha256_.get()
                   : digestType == 4 ? sha384_.get() : nullptr;
  if (md == nullptr) return abi::ST_DIGEST_UNSUPPORTED;
  size_t n = 0;
  unsigned labels = 0;
  if (!canon::ReadName(owner, ownerLen, 0, &n, &labels) || n != ownerLen) return abi::ST_MALFORMED;
  Dnskey k;
  if (!ParseDnskey(dnskey, dnskeyLen, k)) return abi::ST_KEY_INVALID;
  // RFC 4034 §5.1.4: digest = H(canonical owner name || DNSKEY RDATA).
  uint8_t name[abi::MAX_NAME_WIRE];
  std::memcpy(name, owner, n);
  canon::LowerName(name, n);
  raii::MdCtx ctx(EVP_MD_CTX_new());
  unsigned int outLen = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) <= 0 || EVP_DigestUpdate(ctx.get(), name, n) <= 0 ||
      EVP_DigestUpdate(ctx.get(), dnskey, dnskeyLen) <= 0 || EVP_DigestFinal_ex(ctx.get(), out, &outLen) <= 0) {
    return abi::ST_MALFORMED;
  }
  return abi::ST_OK;
}

uint8_t Context::Nsec3Hash(uint32_t hashAlg, const uint8_t* name, size_t nameLen, const uint8_t* salt,
                           size_t saltLen, uint32_t iterations, uint8_t* out) {
  if (hashAlg != 1) return abi::ST_DIGEST_UNSUPPORTED;  // RFC 5155 §11: only SHA-1 is defined
  size_t n = 0;
  unsigned labels = 0;
  if (!canon::ReadName(name, nameLen, 0, &n, &labels) || n != nameLen) return abi::ST_MALFORMED;
  uint8_t lower[abi::MAX_NAME_WIRE];
  std::memcpy(lower, name, n);
  canon::LowerName(lower, n);
  // RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt).
  raii::MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return abi::ST_MALFORMED;
  const uint8_t* in = lower;
  size_t inLen = n;
  for (uint64_t i = 0; i <= iterations; ++i) {
    unsigned int outLen = 0;
    if (EVP_DigestInit_ex(ctx.get(), sha1_.get(), nullptr) <= 0 || EVP_DigestUpdate(ctx.get(), in, inLen) <= 0 ||
        (saltLen > 0 && EVP_DigestUpdate(ctx.get(), salt, saltLen) <= 0) ||
        EVP_DigestFinal_ex(ctx.get(), out, &outLen) <= 0) {
      return abi::ST_MALFORMED;
    }
    in = out;
    inLen = 20;
  }
  return abi::ST_OK;
}

}  // namespace crypto
}  // namespace adbit

// crypto.h — DNSSEC public-key primitives over OpenSSL 3.0 EVP: DNSKEY -> EVP_PKEY (RFC 3110, 5702,
// 6605, 8080), signature verification, DS digests (RFC 4034 §5.1.4, RFC 4509, RFC 6605), NSEC3 hash
// (RFC 5155 §5), key tag (RFC 4034 App. B), and a bounded, mutex-guarded LRU of parsed keys.
// Pure C++: no napi. Never throws on DNS data; allocation failure is the only exception.
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "raii.h"

namespace adbit {
namespace crypto {

// RSA modulus bounds. Lower: RFC 8624 §3.1 keeps RSA only for its ≥1024-bit deployments (RFC 6781
// §3.4.2: 512-bit keys are factorable); upper: RFC 3110 §2 / RFC 5702 §2 cap DNSSEC RSA at 4096
// bits, and above 3072 bits OpenSSL limits the public exponent (OPENSSL_RSA_SMALL_MODULUS_BITS), so
// 4096 keeps every accepted key inside OpenSSL's fast, checked path (and bounds KeyTrap-style cost).
constexpr unsigned RSA_MIN_BITS = 1024;
constexpr unsigned RSA_MAX_BITS = 4096;
constexpr unsigned RSA_MAX_EXPONENT_BYTES = 8;  // OpenSSL's limit for moduli > 3072 bits (64-bit e)
constexpr size_t KEY_CACHE_CAPACITY = 1024;     // parsed keys kept across batches (LRU)

struct Dnskey {
  uint16_t flags = 0;
  uint8_t protocol = 0;
  uint8_t algorithm = 0;
  const uint8_t* key = nullptr;
  size_t keyLen = 0;
};

// Splits DNSKEY RDATA (RFC 4034 §2.1). False when shorter than 4 octets.
bool ParseDnskey(const uint8_t* rdata, size_t len, Dnskey& out);

// RFC 4034 Appendix B, including B.1 (algorithm 1: the 16 bits before the last octet of the modulus).
uint16_t KeyTag(const uint8_t* rdata, size_t len);

bool AlgorithmSupported(uint8_t alg);  // 5 7 8 10 13 14 15 16
size_t DigestSize(uint32_t digestType);  // DS digest 1/2/4 -> 20/32/48; 0 = unsupported

// Cheap structural check of the key bytes for a supported algorithm (no OpenSSL call):
// ST_OK, ST_KEY_INVALID or ST_KEY_SIZE.
uint8_t CheckKeyShape(uint8_t alg, const uint8_t* key, size_t keyLen);

// Per-thread verification state, the hot path of a batch (ARCHITECTURE §11.2). OpenSSL 3.0's
// EVP_DigestVerifyInit costs as much as an RSA-2048 verification (a fresh EVP_PKEY_CTX, a provider
// method fetch, a key export to the provider), so a Verifier keeps, per recently used DNSKEY, an
// initialised EVP_PKEY_CTX (RSA, ECDSA: hash with a reused EVP_MD_CTX, then EVP_PKEY_verify) or an
// initialised EVP_MD_CTX (EdDSA: EVP_DigestVerify one-shot, which leaves the context reusable in
// OpenSSL 3.0 — `openssl speed` relies on the same). These contexts are not thread-safe, hence one
// Verifier per thread at a time, borrowed from the Context (Context::Borrow). A slot hit costs no
// lock, no allocation and no hash of the key bytes.
class Verifier {
 public:
  static constexpr size_t SLOTS = 16;  // DNSKEYs per thread; a response needs 1–3, a zone walk few more

  Verifier();
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;
  ~Verifier();

 private:
  friend class Context;
  struct Slot;
  std::vector<std::unique_ptr<Slot>> slots_;
  size_t nextVictim_ = 0;
  raii::MdCtx hash_;  // reused for the RSA/ECDSA message digest
};

// Per-environment crypto state: digests fetched once and the key cache. Thread-safe.
class Context {
 public:
  Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // Verifies sig over tbs with the DNSKEY (RDATA) for its algorithm. ST_OK, ST_BAD_SIGNATURE,
  // ST_KEY_INVALID, ST_KEY_SIZE or ST_ALG_UNSUPPORTED.
  uint8_t Verify(const uint8_t* dnskey, size_t dnskeyLen, const uint8_t* sig, size_t sigLen,
                 const uint8_t* tbs, size_t tbsLen);
  // Same result through a thread's Verifier (cached contexts). v must not be used concurrently.
  uint8_t Verify(Verifier& v, const uint8_t* dnskey, size_t dnskeyLen, const uint8_t* sig, size_t sigLen,
                 const uint8_t* tbs, size_t tbsLen);

  // Bench only: the per-call EVP_DigestVerifyInit path the Verifier replaced (same results).
  uint8_t VerifyUncached(const uint8_t* dnskey, size_t dnskeyLen, const uint8_t* sig, size_t sigLen,
                         const uint8_t* tbs, size_t tbsLen);

  // Bench only: the bare primitive as `openssl speed` times it, on Node's OpenSSL — one context set
  // up once, then `iterations` x EVP_PKEY_verify over a precomputed digest (RSA, ECDSA) or
  // EVP_DigestVerify (EdDSA). Returns how many verified.
  uint32_t SpeedLoop(const uint8_t* dnskey, size_t dnskeyLen, const uint8_t* sig, size_t sigLen,
                     const uint8_t* tbs, size_t tbsLen, uint32_t iterations);

  // A Verifier for the calling thread until the handle is destroyed; returned to a small free list
  // so that its cached contexts serve the next batch too.
  struct VerifierReturn { Context* ctx; void operator()(Verifier* v) const; };
  using VerifierHandle = std::unique_ptr<Verifier, VerifierReturn>;
  VerifierHandle Borrow();
  // DS digest over lower-cased owner || DNSKEY RDATA into out (DigestSize(type) octets).
  uint8_t DsDigest(uint32_t digestType, const uint8_t* owner, size_t ownerLen, const uint8_t* dnskey,
                   size_t dnskeyLen, uint8_t* out);
  // RFC 5155 §5 hash (algorithm 1 = SHA-1) of the lower-cased name into out (20 octets).
  uint8_t Nsec3Hash(uint32_t hashAlg, const uint8_t* name, size_t nameLen, const uint8_t* salt,
                    size_t saltLen, uint32_t iterations, uint8_t* out);

  size_t CacheSize();

 private:
  uint8_t GetKey(const uint8_t* dnskey, size_t dnskeyLen, raii::SharedPkey& out);
  const EVP_MD* MdFor(uint8_t alg) const;

  raii::Md sha1_, sha256_, sha384_, sha512_;
  std::mutex mu_;
  std::list<std::string> lru_;  // most recent first
  struct Entry { raii::SharedPkey key; std::list<std::string>::iterator pos; };
  std::unordered_map<std::string, Entry> cache_;
  std::vector<std::unique_ptr<Verifier>> idle_;  // guarded by mu_
};

}  // namespace crypto
}  // namespace adbit

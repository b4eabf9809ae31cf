// limits.ts — every validation budget as a named constant with the RFC or CVE behind its value
// (DESIGN rule 5). KeyTrap (CVE-2023-50387) and NSEC3 hashing (CVE-2023-50868) defences, RFC 9276
// iteration limits, RFC 4035 §4.7 bogus caching, signature clock skew, RFC 5011 §2.3/§2.4 timers.

/**
 * RRSIGs tried per RRset before giving up. Unbound 1.19.1 (KeyTrap fix) MAX_VALIDATE_RRSIGS = 8
 * in validator/val_sigcrypt.c. An honest RRset has one RRSIG per algorithm, two during a rollover.
 */
export const MAX_SIGS_PER_RRSET = 8;

/**
 * DNSKEYs sharing one key tag (and algorithm) tried for one RRSIG. RFC 4034 App. B tags collide by
 * chance, so more than one must be allowed; KeyTrap builds hundreds of colliding keys. Unbound
 * bounds DS-matching failures at 4 (MAX_DS_MATCH_FAILURES, val_utils.c); we use the same 4.
 */
export const MAX_KEYS_PER_KEY_TAG = 4;

/** DS records that failed to match a DNSKEY before the DS set is abandoned (Unbound MAX_DS_MATCH_FAILURES). */
export const MAX_DS_MATCH_FAILURES = 4;

/**
 * Signature verifications per client query, over the whole chain of trust and every CNAME link.
 * Knot Resolver uses 32 per (sub)query (KR_VLD_LIMIT_CRYPTO_DEFAULT, lib/defines.h); our budget
 * spans all DS/DNSKEY sub-queries of one client query (≈2 per zone cut × ~6 cuts, plus answer and
 * denial, times a short CNAME chain), so 64. At ≈0.1 ms per RSA-2048/P-256 verify this caps a
 * KeyTrap query at a few milliseconds of CPU.
 */
export const MAX_CRYPTO_OPS_PER_QUERY = 64;

/**
 * NSEC3 hash computations (each of 1 + iterations SHA-1 rounds) per client query (CVE-2023-50868).
 * Unbound 1.19.1 allows MAX_NSEC3_CALCULATIONS = 8 per round and at most MAX_VALIDATION_SUSPENDS
 * = 16 rounds (validator/val_nsec3.c, validator.c): 128. An honest closest-encloser proof hashes
 * at most one name per label of the query name plus the wildcard.
 */
export const MAX_NSEC3_HASHES_PER_QUERY = 128;

/**
 * NSEC3 iterations above this make the zone insecure (EDE 27) after the NSEC3 RRSIG verified.
 * RFC 9276 §3.2 lets validators treat any iterations > 0 as insecure; App. A records that the
 * major resolvers settled on 150 (BIND, Knot, PowerDNS, Unbound's default), which we follow.
 */
export const NSEC3_ITERATIONS_SOFT = 150;

/**
 * NSEC3 iterations above this make the answer bogus (EDE 27) without hashing (RFC 9276 §3.2 MAY
 * return SERVFAIL). 500 is hickory-dns's hard limit and the RFC 5155 §10.3 ceiling for 2048-bit
 * keys; no RFC 9276-conforming zone comes near it.
 */
export const NSEC3_ITERATIONS_HARD = 500;

/** How long a bogus result (key entry or RRset) is cached: Unbound BOGUS_KEY_TTL, RFC 4035 §4.7. */
export const BOGUS_TTL_SEC = 60;

/**
 * Clock-skew allowance for RRSIG validity windows (RFC 4035 §5.3.1 checks inception ≤ now ≤
 * expiration). Unbound's val-sig-skew-min/max: skew = 10 % of the window, clamped to [1 h, 1 d].
 */
export const SIG_SKEW_MIN_SEC = 3600;
export const SIG_SKEW_MAX_SEC = 86_400;
export const SIG_SKEW_FRACTION = 0.1;

/** The allowance applied on both ends of one signature's window, per the rule above. */
export function signatureSkewSec(inceptionSec: number, expirationSec: number): number {
  const window = Math.max(0, expirationSec - inceptionSec);
  return Math.min(SIG_SKEW_MAX_SEC, Math.max(SIG_SKEW_MIN_SEC, Math.floor(window * SIG_SKEW_FRACTION)));
}

/** Key-cache entries (zones whose DNSKEY/DS result is cached). Unbound's 4 MB key cache holds ~10k zones. */
export const KEY_CACHE_MAX_ENTRIES = 10_000;

/** RFC 5011 §2.4.1 add hold-down: a new key must be seen for 30 days (or the original TTL). */
export const RFC5011_ADD_HOLD_DOWN_SEC = 30 * 86_400;
/** RFC 5011 §2.4.2 remove hold-down: a revoked key is forgotten 30 days after it was last seen. */
export const RFC5011_REMOVE_HOLD_DOWN_SEC = 30 * 86_400;
/** RFC 5011 §2.3 active refresh bounds: MAX(1 hr, MIN(15 days, …)). */
export const RFC5011_REFRESH_MIN_SEC = 3600;
export const RFC5011_REFRESH_MAX_SEC = 15 * 86_400;
/** RFC 5011 §2.3 retry after a failed refresh: MAX(1 hr, MIN(1 day, …)). */
export const RFC5011_RETRY_MAX_SEC = 86_400;

// cache-limits.ts — every size and TTL bound of the resolver caches as a named constant with its
// rationale (DESIGN.md rule 5): TTL clamps (RFC 2181 §8, RFC 2308 §5), bogus TTL (RFC 4035 §4.7),
// serve-stale windows (RFC 8767 §4, §5) and default byte budgets. CacheLimits lets a caller override
// them; clampTtl() is the one place the clamps are applied.

/** Upper TTL bound for positive data: one day, as Unbound's cache-max-ttl 86400 (RFC 2181 §8 allows 2^31-1, but a day limits damage from a poisoned or mistaken long TTL). */
export const MAX_TTL_SEC = 86_400;
/** Lower TTL bound: 0, i.e. TTLs are honoured as given (Unbound cache-min-ttl 0); raising it breaks fast renumbering. */
export const MIN_TTL_SEC = 0;
/** Upper bound of a negative TTL: one hour (RFC 2308 §5 recommends 1–3 h; Unbound cache-max-negative-ttl 3600). */
export const NEGATIVE_MAX_TTL_SEC = 3_600;
/** Lower bound of a negative TTL: 0, as Unbound's cache-min-negative-ttl default. */
export const NEGATIVE_MIN_TTL_SEC = 0;
/**
 * How long bogus data is kept (Unbound BOGUS_KEY_TTL 60; RFC 4035 §4.7 says to cache bogus data
 * briefly so a broken zone cannot cause re-validation storms). Kept equal to dnssec/limits.ts
 * BOGUS_TTL_SEC; cache/ may not import dnssec/ values (ARCHITECTURE §6), so it is restated here.
 */
export const BOGUS_TTL_SEC = 60;
/** TTL given to a stale answer (RFC 8767 §4 recommends 30 s). */
export const STALE_REPLY_TTL_SEC = 30;
/** How long past expiry data may be served stale (RFC 8767 §5 suggests a cap of 1 to 3 days; we take 1 day). */
export const MAX_STALE_SEC = 86_400;

/** Default byte budget of the RRset cache (Unbound's rrset-cache-size default is 4 MB; a mail host looks up few names but many TLSA/MX, so 16 MiB is ample and still small). */
export const DEFAULT_RRSET_CACHE_BYTES = 16 * 1024 * 1024;
/** Default byte budget of the message cache (Unbound msg-cache-size 4 MB; entries are only references). */
export const DEFAULT_MESSAGE_CACHE_BYTES = 8 * 1024 * 1024;
/** Default byte budget of the negative cache (SOA + proofs per entry). */
export const DEFAULT_NEGATIVE_CACHE_BYTES = 4 * 1024 * 1024;
/** Default byte budget of the aggressive-NSEC store (RFC 8198; Unbound keeps it in its neg-cache-size, default 1 MB). */
export const DEFAULT_NSEC_STORE_BYTES = 4 * 1024 * 1024;

/**
 * Fixed JS cost of one cache entry (entry and RRset objects, arrays, owner Name, key string, LRU
 * map slot). Measured on Node 20: heap + array buffers per cached 1-record A RRset ≈ 1060 B, of
 * which ≈ 290 B is the record; keeping the estimate honest keeps the byte bound a real bound.
 */
export const ENTRY_OVERHEAD_BYTES = 750;
/** JS cost of one record held by an entry beyond its wire bytes (object + RDATA Uint8Array); measured ≈ 275 B. */
export const RECORD_OVERHEAD_BYTES = 280;

/** Tunable limits; every field defaults to the constant of the same meaning above. */
export interface CacheLimits {
  readonly maxTtlSec: number;
  readonly minTtlSec: number;
  readonly negativeMaxTtlSec: number;
  readonly negativeMinTtlSec: number;
  readonly bogusTtlSec: number;
  /** Serve-stale (RFC 8767) is off unless enabled: stale data is then kept for maxStaleSec. */
  readonly serveStale: boolean;
  readonly staleReplyTtlSec: number;
  readonly maxStaleSec: number;
}

/** The defaults (serve-stale off: RFC 8767 is an opt-in behaviour). */
export const DEFAULT_CACHE_LIMITS: CacheLimits = {
  maxTtlSec: MAX_TTL_SEC,
  minTtlSec: MIN_TTL_SEC,
  negativeMaxTtlSec: NEGATIVE_MAX_TTL_SEC,
  negativeMinTtlSec: NEGATIVE_MIN_TTL_SEC,
  bogusTtlSec: BOGUS_TTL_SEC,
  serveStale: false,
  staleReplyTtlSec: STALE_REPLY_TTL_SEC,
  maxStaleSec: MAX_STALE_SEC,
};

/** DEFAULT_CACHE_LIMITS with the given fields replaced. */
export function cacheLimits(overrides: Partial<CacheLimits> = {}): CacheLimits {
  return { ...DEFAULT_CACHE_LIMITS, ...overrides };
}

/**
 * Clamps a TTL into [min, max]. TTLs are unsigned 32-bit (RFC 2181 §8: values with the top bit set
 * are treated as 0), so anything above 2^31-1 or non-finite becomes 0 before clamping.
 */
export function clampTtl(ttlSec: number, minSec: number, maxSec: number): number {
  const t = Number.isFinite(ttlSec) && ttlSec >= 0 && ttlSec <= 0x7fffffff ? Math.floor(ttlSec) : 0;
  return Math.min(Math.max(t, minSec), maxSec);
}

/** Seconds data stays servable stale past expiry under these limits (0 when serve-stale is off). */
export function staleWindowSec(limits: CacheLimits): number {
  return limits.serveStale ? limits.maxStaleSec : 0;
}

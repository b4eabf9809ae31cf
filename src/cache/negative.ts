// negative.ts — negative caching (RFC 2308): NXDOMAIN keyed by (name, class) — it holds for every
// type (§5) — and NODATA keyed by (name, type, class), each kept with its SOA and the NSEC/NSEC3
// proof RRsets. TTL = min(SOA TTL, SOA MINIMUM) (§5), also bounded by the proofs' TTLs (RFC 9077),
// clamped. nxdomainCut() applies RFC 8020: a validated NXDOMAIN for X answers every name below X.
import type { Reason } from '../dnssec/outcome.js';
import type { Clock } from '../util/clock.js';
import { LruCache } from '../util/lru.js';
import { RRType } from '../wire/constants.js';
import type { Name } from '../wire/name.js';
import { decodeSOA } from '../wire/rdata/soa.js';
import type { RRset } from '../wire/rrset.js';
import { type CacheLimits, DEFAULT_NEGATIVE_CACHE_BYTES, cacheLimits, clampTtl, staleWindowSec } from './cache-limits.js';
import { type CacheSecurity, Rank, mayReplace } from './rank.js';
import { detachRRset, nameKey, rrsetSizeBytes } from './rrset-cache.js';

export type NegativeKind = 'nxdomain' | 'nodata';

/** A negative answer to store. `type` matters only for NODATA. */
export interface NegativeInput {
  readonly kind: NegativeKind;
  readonly name: Name;
  readonly type: number;
  readonly class: number;
  /** The SOA of the zone from the authority section (RFC 2308 §3 requires it for caching). */
  readonly soa: RRset;
  /** NSEC/NSEC3 RRsets (with RRSIGs) proving the denial, for DO clients and re-validation. */
  readonly proofs: readonly RRset[];
  readonly security?: CacheSecurity;
  readonly reason?: Reason;
}

export interface NegativeEntry extends NegativeInput {
  readonly security: CacheSecurity;
  readonly expiresAtSec: number;
  readonly originalTtl: number;
  readonly staleUntilSec: number;
}

export interface CachedNegative {
  readonly entry: NegativeEntry;
  readonly ttlSec: number;
  readonly stale: boolean;
}

export type NegativePutResult = 'stored' | 'kept-existing' | 'no-soa' | 'zero-ttl' | 'too-big';

export interface NegativeCacheOptions {
  readonly clock: Clock;
  readonly maxBytes?: number;
  readonly limits?: Partial<CacheLimits>;
}

/** MINIMUM of the first SOA record of `soa`, or null when it is not a decodable SOA. */
export function soaMinimum(soa: RRset): number | null {
  const r = soa.records[0];
  if (soa.type !== RRType.SOA || r === undefined) return null;
  return decodeSOA(r.rdata)?.minimum ?? null;
}

/**
 * The negative TTL: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5), no longer than any proof RRset
 * (RFC 9077: a denial must not outlive the NSEC/NSEC3 records that make it), clamped to
 * [negativeMinTtlSec, negativeMaxTtlSec]. Null when there is no usable SOA: RFC 2308 §5 says
 * negative answers without one SHOULD NOT be cached.
 */
export function negativeTtlSec(soa: RRset, proofs: readonly RRset[], limits: CacheLimits): number | null {
  const min = soaMinimum(soa);
  if (min === null) return null;
  let ttl = Math.min(soa.ttl, min);
  for (const p of proofs) ttl = Math.min(ttl, p.ttl);
  return clampTtl(ttl, limits.negativeMinTtlSec, limits.negativeMaxTtlSec);
}

function nxKey(name: Name, cls: number): string {
  return `nx|${nameKey(name)}|${cls}`;
}

function nodataKey(name: Name, type: number, cls: number): string {
  return `nodata|${nameKey(name)}|${type}|${cls}`;
}

/** Byte-bounded negative cache. */
export class NegativeCache {
  readonly limits: CacheLimits;
  readonly #clock: Clock;
  readonly #lru: LruCache<string, NegativeEntry>;

  constructor(options: NegativeCacheOptions) {
    this.limits = cacheLimits(options.limits);
    this.#clock = options.clock;
    this.#lru = new LruCache({
      maxBytes: options.maxBytes ?? DEFAULT_NEGATIVE_CACHE_BYTES, clock: options.clock, staleRetainMs: staleWindowSec(this.limits) * 1000,
    });
  }

  get size(): number { return this.#lru.size; }
  get bytes(): number { return this.#lru.bytes; }

  /** Stores a negative answer; a fresh secure entry is not replaced by a weaker one (rank.ts). */
  put(input: NegativeInput): NegativePutResult {
    const security = input.security ?? 'unchecked';
    let ttl = negativeTtlSec(input.soa, input.proofs, this.limits);
    if (ttl === null) return 'no-soa';
    if (security === 'bogus') ttl = Math.min(ttl, this.limits.bogusTtlSec);
    if (ttl === 0) return 'zero-ttl';
    const key = input.kind === 'nxdomain' ? nxKey(input.name, input.class) : nodataKey(input.name, input.type, input.class);
    const now = this.#clock.nowSec();
    const old = this.#lru.peek(key)?.value;
    // Both sides come from the authority section of an answer; only security can differ.
    const incoming = { rank: Rank.AuthorityAA, security };
    if (old !== undefined && !mayReplace({ rank: Rank.AuthorityAA, security: old.security }, incoming, now >= old.expiresAtSec)) {
      return 'kept-existing';
    }
    const expiresAtSec = now + ttl;
    const staleUntilSec = security === 'bogus' ? expiresAtSec : expiresAtSec + staleWindowSec(this.limits);
    const entry: NegativeEntry = {
      ...input, soa: detachRRset(input.soa), proofs: input.proofs.map(detachRRset), security, expiresAtSec, originalTtl: ttl, staleUntilSec,
    };
    let size = rrsetSizeBytes(input.soa);
    for (const p of input.proofs) size += rrsetSizeBytes(p);
    return this.#lru.set(key, entry, size, expiresAtSec * 1000) ? 'stored' : 'too-big';
  }

  /**
   * The negative answer cached for exactly (name, type, class): an NXDOMAIN of the name (which
   * covers every type) first, else a NODATA for the type. With `stale`, expired entries inside the
   * RFC 8767 window come back with TTL staleReplyTtlSec (an NXDOMAIN then gets EDE 19 upstream).
   */
  get(name: Name, type: number, cls: number, opts: { stale?: boolean } = {}): CachedNegative | undefined {
    return this.#lookup(nxKey(name, cls), opts.stale === true) ?? this.#lookup(nodataKey(name, type, cls), opts.stale === true);
  }

  /**
   * RFC 8020 §2: everything at or below a name that does not exist does not exist either. Returns
   * the closest cached NXDOMAIN at `name` or one of its ancestors, but only a validated (secure)
   * one: Unbound's harden-below-nxdomain makes the same restriction, because some unsigned
   * servers answer NXDOMAIN for empty non-terminals (RFC 8020 discusses that breakage).
   */
  nxdomainCut(name: Name, cls: number): (CachedNegative & { readonly cut: Name }) | undefined {
    for (let n = name; ; n = n.parent()) {
      const hit = this.#lookup(nxKey(n, cls), false);
      if (hit !== undefined && hit.entry.security === 'secure') return { ...hit, cut: n };
      if (n.isRoot()) return undefined;
    }
  }

  delete(kind: NegativeKind, name: Name, type: number, cls: number): boolean {
    return this.#lru.delete(kind === 'nxdomain' ? nxKey(name, cls) : nodataKey(name, type, cls));
  }

  prune(): number {
    return this.#lru.prune();
  }

  clear(): void {
    this.#lru.clear();
  }

  #lookup(key: string, stale: boolean): CachedNegative | undefined {
    const now = this.#clock.nowSec();
    const fresh = this.#lru.get(key);
    if (fresh !== undefined) return { entry: fresh, ttlSec: Math.max(1, fresh.expiresAtSec - now), stale: false };
    if (!stale) return undefined;
    const e = this.#lru.getStale(key)?.value;
    if (e === undefined || now >= e.staleUntilSec) return undefined;
    return { entry: e, ttlSec: this.limits.staleReplyTtlSec, stale: true };
  }
}

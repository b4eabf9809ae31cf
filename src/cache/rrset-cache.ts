// rrset-cache.ts — the RRset cache: (owner lower-cased, type, class) → records + RRSIGs with trust
// rank, security and reason, bounded in bytes with LRU eviction. TTLs are clamped on entry and
// served decremented (RFC 1035 §3.2.1, RFC 2181 §8); validated status is stored per RRset (RFC 4035
// §4.5); bogus data lives BOGUS_TTL_SEC (§4.7); expired data may be served stale (RFC 8767 §4).
import type { Reason } from '../dnssec/outcome.js';
import type { Clock } from '../util/clock.js';
import { bytesEqual } from '../util/bytes.js';
import { LruCache } from '../util/lru.js';
import { RecordValue, type ResourceRecord } from '../wire/message.js';
import { Name } from '../wire/name.js';
import type { RRset } from '../wire/rrset.js';
import {
  type CacheLimits, DEFAULT_RRSET_CACHE_BYTES, ENTRY_OVERHEAD_BYTES, RECORD_OVERHEAD_BYTES, cacheLimits, clampTtl, staleWindowSec,
} from './cache-limits.js';
import { type CacheSecurity, type Rank, Rank as Ranks, SECURITY_ORDER, mayReplace } from './rank.js';

/** One cached RRset. Times are absolute Unix seconds. */
export interface RRsetEntry {
  readonly rrset: RRset;
  readonly rank: Rank;
  readonly security: CacheSecurity;
  readonly reason?: Reason;
  readonly expiresAtSec: number;
  /** The clamped TTL the entry was stored with. */
  readonly originalTtl: number;
  /** Until when the entry may be served stale (equals expiresAtSec when it may not). */
  readonly staleUntilSec: number;
}

/** A cache hit: the entry, its remaining TTL, and whether it is served stale (RFC 8767). */
export interface CachedRRset {
  readonly entry: RRsetEntry;
  readonly ttlSec: number;
  readonly stale: boolean;
}

/** What put() did. */
export type PutResult = 'stored' | 'kept-existing' | 'zero-ttl' | 'too-big';

/** What updateSecurity() did. */
export type UpdateResult = 'updated' | 'absent' | 'different-data' | 'not-upgrade';

export interface RRsetCacheOptions {
  readonly clock: Clock;
  readonly maxBytes?: number;
  readonly limits?: Partial<CacheLimits>;
}

/** Credibility and verdict of data being stored. */
export interface PutMeta {
  readonly rank: Rank;
  readonly security?: CacheSecurity;
  readonly reason?: Reason;
}

/** Lower-cases A–Z in place (RFC 4343 §3: DNS names compare case-insensitively). */
function foldAscii(w: Uint8Array, end: number): void {
  for (let i = 0; i < end; i++) {
    const c = w[i]!;
    if (c >= 0x41 && c <= 0x5a) w[i] = c + 0x20;
  }
}

/**
 * A case-folded (RFC 4343) string key of a name: its wire form with A–Z lowered, one char per
 * octet (latin1 is 1:1 on bytes). Several times cheaper than Name.key(), which builds escaped text;
 * cache keys are on the hot path of every lookup.
 */
export function nameKey(name: Name): string {
  const w = Buffer.from(name.wire);
  foldAscii(w, w.length);
  return w.toString('latin1');
}

/**
 * A flat key string: folded owner wire, then each tag as two octets. Built from one buffer, so the
 * string a cache keeps is one sequential string, not the tree of cons strings a template literal
 * makes (measured by bench/memory.ts: ≈ 5 cons cells, ~160 B, per key kept in a Map).
 * The owner's wire form is self-delimiting (it ends in the root label), so keys cannot collide.
 */
export function taggedNameKey(name: Name, ...tags: number[]): string {
  const n = name.wire.length;
  const w = Buffer.allocUnsafe(n + 2 * tags.length);
  w.set(name.wire);
  foldAscii(w, n);
  for (let i = 0; i < tags.length; i++) w.writeUInt16BE(tags[i]! & 0xffff, n + 2 * i);
  return w.toString('latin1');
}

/** The cache key of (owner, type, class): owner case-folded (RFC 4343). */
export function rrsetKey(name: Name, type: number, cls: number): string {
  return taggedNameKey(name, type, cls);
}

/** A record with its own copy of the RDATA, so caching it does not retain a whole response. */
function detach(r: ResourceRecord, owner: Name): RecordValue {
  return new RecordValue(owner, r.type, r.class, r.ttl, r.rdata.slice());
}

/** A copy of `set` whose names and RDATA no longer reference the buffer of the message it came from. */
export function detachRRset(set: RRset): RRset {
  // Every member shares the set's owner (RFC 2181 §5), so one detached Name serves them all.
  const owner = Name.fromWireUnchecked(set.name.wire.slice());
  return {
    name: owner, type: set.type, class: set.class, ttl: set.ttl,
    records: set.records.map((r) => detach(r, owner)), rrsigs: set.rrsigs.map((r) => detach(r, owner)),
  };
}

/** Approximate memory of a detached RRset: owner once, 10 fixed octets + RDATA per record, plus JS overhead. */
export function rrsetSizeBytes(set: RRset): number {
  let n = ENTRY_OVERHEAD_BYTES + set.name.wire.length;
  for (const r of set.records) n += RECORD_OVERHEAD_BYTES + 10 + r.rdata.length;
  for (const r of set.rrsigs) n += RECORD_OVERHEAD_BYTES + 10 + r.rdata.length;
  return n;
}

/** True when both sets hold the same RDATA (order-insensitive; RRSIGs not compared). */
export function sameRdata(a: RRset, b: RRset): boolean {
  if (a.records.length !== b.records.length) return false;
  return a.records.every((x) => b.records.some((y) => bytesEqual(x.rdata, y.rdata)));
}

/** Byte-bounded RRset cache. */
export class RRsetCache {
  readonly limits: CacheLimits;
  readonly #clock: Clock;
  readonly #lru: LruCache<string, RRsetEntry>;

  constructor(options: RRsetCacheOptions) {
    this.limits = cacheLimits(options.limits);
    this.#clock = options.clock;
    this.#lru = new LruCache<string, RRsetEntry>({
      maxBytes: options.maxBytes ?? DEFAULT_RRSET_CACHE_BYTES,
      clock: options.clock,
      staleRetainMs: staleWindowSec(this.limits) * 1000,
    });
  }

  get size(): number { return this.#lru.size; }
  get bytes(): number { return this.#lru.bytes; }

  /**
   * Stores an RRset unless a stronger unexpired copy is cached (rank.ts mayReplace). The TTL is
   * clamped to [minTtlSec, maxTtlSec]; bogus data to bogusTtlSec. A TTL of 0 means "use for this
   * transaction only" (RFC 1035 §3.2.1), so it is not stored.
   */
  put(set: RRset, meta: PutMeta): PutResult {
    const security = meta.security ?? 'unchecked';
    const key = rrsetKey(set.name, set.type, set.class);
    const now = this.#clock.nowSec();
    const old = this.#lru.peek(key)?.value;
    if (old !== undefined && !mayReplace(old, { rank: meta.rank, security }, now >= old.expiresAtSec)) return 'kept-existing';
    let ttl = clampTtl(set.ttl, this.limits.minTtlSec, this.limits.maxTtlSec);
    if (security === 'bogus') ttl = Math.min(ttl, this.limits.bogusTtlSec);
    if (ttl === 0) return 'zero-ttl';
    const entry = this.#entry(detachRRset(set), meta.rank, security, meta.reason, now, ttl);
    return this.#store(key, entry) ? 'stored' : 'too-big';
  }

  /**
   * The fresh entry with its remaining TTL; with `stale`, an expired entry inside the serve-stale
   * window is returned with TTL staleReplyTtlSec (RFC 8767 §4). Bogus data is never served stale.
   */
  get(name: Name, type: number, cls: number, opts: { stale?: boolean } = {}): CachedRRset | undefined {
    const key = rrsetKey(name, type, cls);
    const fresh = this.#lru.get(key);
    const now = this.#clock.nowSec();
    if (fresh !== undefined) return { entry: fresh, ttlSec: Math.max(1, fresh.expiresAtSec - now), stale: false };
    if (opts.stale !== true) return undefined;
    const e = this.#lru.getStale(key)?.value;
    if (e === undefined || now >= e.staleUntilSec) return undefined;
    return { entry: e, ttlSec: this.limits.staleReplyTtlSec, stale: true };
  }

  /** The stored entry, fresh or not, without touching recency (for inspection and the message cache). */
  peek(name: Name, type: number, cls: number): RRsetEntry | undefined {
    return this.#lru.peek(rrsetKey(name, type, cls))?.value;
  }

  /**
   * Records the validator's verdict on `set` (RFC 4035 §4.5). Applies only to a fresh cached
   * entry holding the same RDATA, and only upward in SECURITY_ORDER (secure is never downgraded
   * in place; new data arriving through put() is the way to replace it). Secure raises the rank
   * to Validated; bogus cuts the lifetime to bogusTtlSec and disables serving it stale.
   * `maxTtlSec` lowers the lifetime further (RFC 4035 §5.3.3: RRSIG original TTL and expiration).
   */
  updateSecurity(set: RRset, security: CacheSecurity, opts: { reason?: Reason; maxTtlSec?: number } = {}): UpdateResult {
    const key = rrsetKey(set.name, set.type, set.class);
    const old = this.#lru.get(key);
    if (old === undefined) return 'absent';
    if (!sameRdata(old.rrset, set)) return 'different-data';
    if (SECURITY_ORDER[security] <= SECURITY_ORDER[old.security]) return 'not-upgrade';
    const now = this.#clock.nowSec();
    let remaining = old.expiresAtSec - now;
    if (security === 'bogus') remaining = Math.min(remaining, this.limits.bogusTtlSec);
    if (opts.maxTtlSec !== undefined) remaining = Math.min(remaining, Math.max(0, Math.floor(opts.maxTtlSec)));
    if (remaining <= 0) {
      this.#lru.delete(key);
      return 'updated';
    }
    const rank = security === 'secure' ? Ranks.Validated : old.rank;
    const reason = security === 'secure' ? undefined : opts.reason ?? old.reason;
    // Keep the RRSIGs of the set that was validated: they are what a DO client must receive.
    const rrset = set.rrsigs.length > 0 && old.rrset.rrsigs.length === 0 ? detachRRset(set) : old.rrset;
    this.#store(key, this.#entry(rrset, rank, security, reason, now, remaining, old.originalTtl));
    return 'updated';
  }

  /** Removes one RRset; true when it was present. */
  delete(name: Name, type: number, cls: number): boolean {
    return this.#lru.delete(rrsetKey(name, type, cls));
  }

  /** Drops entries past their stale window; returns how many. */
  prune(): number {
    return this.#lru.prune();
  }

  clear(): void {
    this.#lru.clear();
  }

  #entry(rrset: RRset, rank: Rank, security: CacheSecurity, reason: Reason | undefined, now: number, ttl: number, originalTtl = ttl): RRsetEntry {
    const expiresAtSec = now + ttl;
    const staleUntilSec = security === 'bogus' ? expiresAtSec : expiresAtSec + staleWindowSec(this.limits);
    // Literals, not spread copies: each spread copy got a hidden class of its own (bench/memory.ts).
    return reason === undefined
      ? { rrset, rank, security, expiresAtSec, originalTtl, staleUntilSec }
      : { rrset, rank, security, expiresAtSec, originalTtl, staleUntilSec, reason };
  }

  #store(key: string, e: RRsetEntry): boolean {
    return this.#lru.set(key, e, rrsetSizeBytes(e.rrset), e.expiresAtSec * 1000);
  }
}

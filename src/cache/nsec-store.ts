// nsec-store.ts — the data store behind aggressive use of the validated cache (RFC 8198): validated
// NSEC records per zone in canonical name order (RFC 4034 §6.1) and NSEC3 records per zone and
// parameter set in hash order (RFC 5155 §3.1.7). Answers "which cached NSEC matches or covers name X
// in zone Z" and "which NSEC3 matches or covers hash H", including the wrap-around at the zone's
// last record. Only secure records are stored (RFC 8198). The proof logic lives in dnssec/.
import type { Clock } from '../util/clock.js';
import { compareBytes, fromBase32Hex, toHex } from '../util/bytes.js';
import { LruCache } from '../util/lru.js';
import { RRType } from '../wire/constants.js';
import type { Name } from '../wire/name.js';
import { decodeNSEC } from '../wire/rdata/nsec.js';
import { decodeNSEC3, isOptOut } from '../wire/rdata/nsec3.js';
import type { RRset } from '../wire/rrset.js';
import { type CacheLimits, DEFAULT_NSEC_STORE_BYTES, cacheLimits, clampTtl } from './cache-limits.js';
import type { CacheSecurity } from './rank.js';
import { detachRRset, nameKey, rrsetSizeBytes } from './rrset-cache.js';

/** NSEC3 hash parameters (RFC 5155 §3.1.1–3.1.5); records of different parameters form separate chains. */
export interface Nsec3Params {
  readonly hashAlgorithm: number;
  readonly iterations: number;
  readonly salt: Uint8Array;
}

interface EntryBase {
  readonly zone: Name;
  readonly class: number;
  /** The NSEC/NSEC3 RRset with its RRSIGs, as validated. */
  readonly rrset: RRset;
  readonly types: readonly number[];
  readonly expiresAtSec: number;
}

export interface NsecEntry extends EntryBase {
  readonly kind: 'nsec';
  readonly owner: Name;
  readonly next: Name;
}

export interface Nsec3Entry extends EntryBase {
  readonly kind: 'nsec3';
  /** Owner hash (the base32hex first label, decoded). */
  readonly hash: Uint8Array;
  readonly nextHashed: Uint8Array;
  readonly params: Nsec3Params;
  readonly optOut: boolean;
}

/** A lookup result: the record whose owner equals the target, or whose span covers it. */
export interface NsecHit<E> {
  readonly relation: 'match' | 'covers';
  readonly entry: E;
  readonly ttlSec: number;
}

export type NsecAddResult = 'stored' | 'not-secure' | 'out-of-zone' | 'malformed' | 'zero-ttl' | 'too-big';

export interface NsecStoreOptions {
  readonly clock: Clock;
  readonly maxBytes?: number;
  readonly limits?: Partial<CacheLimits>;
}

type Entry = NsecEntry | Nsec3Entry;

/** A stored record with its position keys: canonical name keys for NSEC, the raw hashes for NSEC3. */
interface Slot {
  readonly sort: Uint8Array;
  readonly next: Uint8Array;
  readonly entry: Entry;
}

interface ZoneChains {
  nsec: Slot[];
  nsec3: Map<string, Slot[]>;
}

const BASE32HEX_LABEL = /^[0-9a-v]+$/i;

function paramsKey(p: Nsec3Params): string {
  return `${p.hashAlgorithm}/${p.iterations}/${toHex(p.salt)}`;
}

/**
 * A byte string whose unsigned order is the canonical name order of RFC 4034 §6.1: labels from
 * the right, each octet lower-cased and prefixed by 1, each label closed by 0 (so a label that is
 * a prefix of another sorts first, and an ancestor, being a prefix key, sorts before its descendants).
 * Computed once per record so lookups compare flat bytes instead of re-splitting names.
 */
export function canonicalKey(name: Name): Uint8Array {
  const labels = name.labels().reverse();
  const out = new Uint8Array(labels.reduce((m, l) => m + 2 * l.length + 1, 0));
  let p = 0;
  for (const l of labels) {
    for (const c of l) {
      out[p++] = 1;
      out[p++] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    }
    out[p++] = 0;
  }
  return out;
}

/** Index of the last slot whose sort key is ≤ x, or -1. */
function floorIndex(arr: readonly Slot[], x: Uint8Array): number {
  let lo = 0;
  let hi = arr.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (compareBytes(arr[mid]!.sort, x) <= 0) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/**
 * Where x stands against the slot's span. The normal case covers owner < x < next; the zone's
 * last record points back to the apex or first hash (next ≤ owner), so it covers everything after
 * its owner and everything before its next (RFC 4034 §4.1.1, RFC 5155 §3.1.7).
 */
function relationOf(slot: Slot, x: Uint8Array): 'match' | 'covers' | null {
  const ownerVsX = compareBytes(slot.sort, x);
  if (ownerVsX === 0) return 'match';
  const nextVsX = compareBytes(slot.next, x);
  const covers = compareBytes(slot.sort, slot.next) < 0 ? ownerVsX < 0 && nextVsX > 0 : ownerVsX < 0 || nextVsX > 0;
  return covers ? 'covers' : null;
}

/** The slot that can match or cover x: the greatest owner ≤ x, else (wrap-around) the last one. */
function candidate(arr: readonly Slot[] | undefined, x: Uint8Array): Slot | undefined {
  if (arr === undefined || arr.length === 0) return undefined;
  const i = floorIndex(arr, x);
  return arr[i >= 0 ? i : arr.length - 1];
}

/** Byte-bounded store of validated NSEC/NSEC3 records. */
export class NsecStore {
  readonly limits: CacheLimits;
  readonly #clock: Clock;
  readonly #zones = new Map<string, ZoneChains>();
  readonly #lru: LruCache<string, Slot>;

  constructor(options: NsecStoreOptions) {
    this.limits = cacheLimits(options.limits);
    this.#clock = options.clock;
    this.#lru = new LruCache<string, Slot>({
      maxBytes: options.maxBytes ?? DEFAULT_NSEC_STORE_BYTES, clock: options.clock, onEvict: (_k, slot) => this.#unlink(slot),
    });
  }

  get size(): number { return this.#lru.size; }
  get bytes(): number { return this.#lru.bytes; }

  /**
   * Adds a validated NSEC or NSEC3 RRset signed by `zone`. Anything not proven secure is refused
   * (RFC 8198 allows only DNSSEC-validated records to be used aggressively). `maxTtlSec` lets the
   * caller apply RFC 9077 (min of the record TTL and the SOA MINIMUM) or the RRSIG expiry.
   */
  add(zone: Name, set: RRset, security: CacheSecurity, opts: { maxTtlSec?: number } = {}): NsecAddResult {
    if (security !== 'secure') return 'not-secure';
    if (!set.name.isSubdomainOf(zone)) return 'out-of-zone';
    const rec = set.records[0];
    if (rec === undefined) return 'malformed';
    let ttl = clampTtl(set.ttl, this.limits.minTtlSec, this.limits.maxTtlSec);
    if (opts.maxTtlSec !== undefined) ttl = Math.min(ttl, Math.max(0, Math.floor(opts.maxTtlSec)));
    if (ttl === 0) return 'zero-ttl';
    const base = { zone: zone.lower(), class: set.class, rrset: detachRRset(set), expiresAtSec: this.#clock.nowSec() + ttl };
    let slot: Slot;
    if (set.type === RRType.NSEC) {
      const rd = decodeNSEC(rec.rdata);
      if (rd === null || !rd.next.isSubdomainOf(zone)) return 'malformed';
      const entry: NsecEntry = { ...base, kind: 'nsec', owner: base.rrset.name, next: rd.next, types: rd.types };
      slot = { sort: canonicalKey(entry.owner), next: canonicalKey(entry.next), entry };
    } else if (set.type === RRType.NSEC3) {
      const rd = decodeNSEC3(rec.rdata);
      const label = set.name.labels()[0];
      if (rd === null || label === undefined || set.name.labelCount() !== zone.labelCount() + 1) return 'malformed';
      const text = String.fromCharCode(...label);
      if (!BASE32HEX_LABEL.test(text)) return 'malformed';
      const hash = fromBase32Hex(text);
      if (hash.length !== rd.nextHashed.length) return 'malformed';
      const params = { hashAlgorithm: rd.hashAlgorithm, iterations: rd.iterations, salt: rd.salt };
      const entry: Nsec3Entry = { ...base, kind: 'nsec3', hash, nextHashed: rd.nextHashed, params, optOut: isOptOut(rd), types: rd.types };
      slot = { sort: hash, next: rd.nextHashed, entry };
    } else {
      return 'malformed';
    }
    const size = rrsetSizeBytes(set) + 2 * slot.sort.length + 2 * slot.next.length + 64;
    if (!this.#lru.set(this.#key(slot.entry), slot, size, base.expiresAtSec * 1000)) return 'too-big';
    this.#link(slot);
    return 'stored';
  }

  /** The cached NSEC of `zone` whose owner is `name` ('match') or whose span covers it ('covers'). */
  findNsec(zone: Name, cls: number, name: Name): NsecHit<NsecEntry> | undefined {
    if (!name.isSubdomainOf(zone)) return undefined;
    const x = canonicalKey(name);
    const slot = candidate(this.#zones.get(this.#zoneKey(zone, cls))?.nsec, x);
    const relation = slot === undefined ? null : relationOf(slot, x);
    return slot === undefined || relation === null ? undefined : (this.#fresh(slot, relation) as NsecHit<NsecEntry> | undefined);
  }

  /** The cached NSEC3 of `zone` with these parameters whose owner hash is `hash` or whose span covers it. */
  findNsec3(zone: Name, cls: number, params: Nsec3Params, hash: Uint8Array): NsecHit<Nsec3Entry> | undefined {
    const slot = candidate(this.#zones.get(this.#zoneKey(zone, cls))?.nsec3.get(paramsKey(params)), hash);
    const relation = slot === undefined ? null : relationOf(slot, hash);
    return slot === undefined || relation === null ? undefined : (this.#fresh(slot, relation) as NsecHit<Nsec3Entry> | undefined);
  }

  /** The NSEC3 parameter sets with records cached for `zone` (the caller hashes with each). */
  nsec3Params(zone: Name, cls: number): Nsec3Params[] {
    const chains = this.#zones.get(this.#zoneKey(zone, cls));
    if (chains === undefined) return [];
    return [...chains.nsec3.values()].flatMap((arr) => (arr[0]?.entry.kind === 'nsec3' ? [arr[0].entry.params] : []));
  }

  /** Drops expired records; returns how many. */
  prune(): number {
    return this.#lru.prune();
  }

  clear(): void {
    this.#lru.clear();
  }

  #fresh(slot: Slot, relation: 'match' | 'covers'): NsecHit<Entry> | undefined {
    // lru.get drops an expired record (and #unlink takes it out of its chain) and marks a live one as used.
    if (this.#lru.get(this.#key(slot.entry)) !== slot) return undefined;
    return { relation, entry: slot.entry, ttlSec: Math.max(1, slot.entry.expiresAtSec - this.#clock.nowSec()) };
  }

  #zoneKey(zone: Name, cls: number): string {
    return `${nameKey(zone)}|${cls}`;
  }

  #key(e: Entry): string {
    const z = this.#zoneKey(e.zone, e.class);
    return e.kind === 'nsec' ? `${z}|nsec|${nameKey(e.owner)}` : `${z}|nsec3|${paramsKey(e.params)}|${toHex(e.hash)}`;
  }

  #chain(e: Entry, create: boolean): Slot[] | undefined {
    const zk = this.#zoneKey(e.zone, e.class);
    let chains = this.#zones.get(zk);
    if (chains === undefined) {
      if (!create) return undefined;
      chains = { nsec: [], nsec3: new Map() };
      this.#zones.set(zk, chains);
    }
    if (e.kind === 'nsec') return chains.nsec;
    const pk = paramsKey(e.params);
    let arr = chains.nsec3.get(pk);
    if (arr === undefined && create) chains.nsec3.set(pk, (arr = []));
    return arr;
  }

  #link(slot: Slot): void {
    const arr = this.#chain(slot.entry, true)!;
    arr.splice(floorIndex(arr, slot.sort) + 1, 0, slot);
  }

  #unlink(slot: Slot): void {
    const e = slot.entry;
    const arr = this.#chain(e, false);
    if (arr === undefined) return;
    // Equal keys are replaced before linking, so the floor index is this slot's position.
    const i = floorIndex(arr, slot.sort);
    if (arr[i] === slot) arr.splice(i, 1);
    if (arr.length > 0) return;
    const zk = this.#zoneKey(e.zone, e.class);
    const chains = this.#zones.get(zk);
    if (chains === undefined) return;
    if (e.kind === 'nsec3') chains.nsec3.delete(paramsKey(e.params));
    if (chains.nsec.length === 0 && chains.nsec3.size === 0) this.#zones.delete(zk);
  }
}

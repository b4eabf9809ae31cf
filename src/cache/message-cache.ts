// message-cache.ts — the message cache: (qname lower-cased, qtype, qclass, CD) → rcode, references
// to the answer and authority RRsets held in the RRset cache, the validation Outcome and EDE codes
// (Unbound's msgreply cache: a reply is a list of rrset references, so an RRset refreshed later is
// shared). Reassembly misses when a referenced RRset is gone or weaker than recorded (RFC 2181 §5.4.1).
import type { Outcome } from '../dnssec/outcome.js';
import type { Clock } from '../util/clock.js';
import { LruCache } from '../util/lru.js';
import type { Name } from '../wire/name.js';
import { type CacheLimits, DEFAULT_MESSAGE_CACHE_BYTES, ENTRY_OVERHEAD_BYTES, clampTtl } from './cache-limits.js';
import { type Ranked, isWeaker } from './rank.js';
import { type CachedRRset, type RRsetCache, taggedNameKey } from './rrset-cache.js';

/** A reference to one RRset of the RRset cache, with the credibility it had when the message was stored. */
export interface RRsetRef extends Ranked {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
}

/** One cached message. */
export interface MessageEntry {
  readonly rcode: number;
  readonly answer: readonly RRsetRef[];
  readonly authority: readonly RRsetRef[];
  readonly outcome?: Outcome;
  /** RFC 8914 INFO-CODEs to send with the reply. */
  readonly ede: readonly number[];
  readonly expiresAtSec: number;
  readonly staleUntilSec: number;
}

/** A reassembled message: every RRset resolved from the RRset cache. */
export interface CachedMessage {
  readonly rcode: number;
  readonly answer: readonly CachedRRset[];
  readonly authority: readonly CachedRRset[];
  readonly outcome?: Outcome;
  readonly ede: readonly number[];
  /** Remaining TTL: the lowest of the message's own and of its RRsets'. */
  readonly ttlSec: number;
  readonly stale: boolean;
}

/** The question part of the key. */
export interface MessageKey {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
  /** The client's CD bit: a CD=1 reply may hold data a CD=0 client must not get (RFC 4035 §3.2.2). */
  readonly cd: boolean;
}

/** What to store; the RRsets themselves must already be in the RRset cache. */
export interface MessageInput {
  readonly rcode: number;
  readonly answer: readonly { readonly name: Name; readonly type: number; readonly class: number }[];
  readonly authority: readonly { readonly name: Name; readonly type: number; readonly class: number }[];
  readonly outcome?: Outcome;
  readonly ede?: readonly number[];
  /** Upper bound of the lifetime, e.g. the RFC 2308 negative TTL for NXDOMAIN/NODATA replies. */
  readonly maxTtlSec?: number;
}

export type MessagePutResult = 'stored' | 'missing-rrset' | 'zero-ttl' | 'too-big';

export interface MessageCacheOptions {
  readonly clock: Clock;
  readonly rrsets: RRsetCache;
  readonly maxBytes?: number;
}

/** Cache key of a question with the CD flag. */
export function messageKey(k: MessageKey): string {
  return taggedNameKey(k.name, k.type, k.class, k.cd ? 1 : 0);
}

/** Shared empty EDE list (most answers carry none). */
const NO_EDE: readonly number[] = Object.freeze([]);
/** Distinct zone strings kept for interning Outcomes; cleared when full (then rebuilt as used). */
export const INTERNED_STRINGS_MAX = 4096;

/** Byte-bounded message cache over an RRsetCache. */
export class MessageCache {
  readonly #clock: Clock;
  readonly #rrsets: RRsetCache;
  readonly #limits: CacheLimits;
  readonly #lru: LruCache<string, MessageEntry>;
  readonly #strings = new Map<string, string>();

  constructor(options: MessageCacheOptions) {
    this.#clock = options.clock;
    this.#rrsets = options.rrsets;
    this.#limits = options.rrsets.limits;
    const staleMs = this.#limits.serveStale ? this.#limits.maxStaleSec * 1000 : 0;
    this.#lru = new LruCache({ maxBytes: options.maxBytes ?? DEFAULT_MESSAGE_CACHE_BYTES, clock: options.clock, staleRetainMs: staleMs });
  }

  get size(): number { return this.#lru.size; }
  get bytes(): number { return this.#lru.bytes; }

  /**
   * Records a reply. Every referenced RRset must be fresh in the RRset cache (the rank and security
   * it has now are recorded); the lifetime is the lowest remaining TTL of those RRsets, capped by
   * maxTtlSec and, for a bogus outcome, by bogusTtlSec (RFC 4035 §4.7).
   */
  put(key: MessageKey, msg: MessageInput): MessagePutResult {
    const now = this.#clock.nowSec();
    let ttl = msg.maxTtlSec === undefined ? this.#limits.maxTtlSec : clampTtl(msg.maxTtlSec, 0, this.#limits.maxTtlSec);
    if (msg.outcome?.security === 'bogus') ttl = Math.min(ttl, this.#limits.bogusTtlSec);
    const refs = (list: MessageInput['answer']): RRsetRef[] | null => {
      const out: RRsetRef[] = [];
      for (const r of list) {
        const e = this.#rrsets.peek(r.name, r.type, r.class);
        if (e === undefined || e.expiresAtSec <= now) return null;
        ttl = Math.min(ttl, e.expiresAtSec - now);
        // The cached entry's owner, not the caller's: that one is usually a view into the whole
        // parsed response, which the reference would otherwise keep alive (bench/memory.ts).
        out.push({ name: e.rrset.name, type: r.type, class: r.class, rank: e.rank, security: e.security });
      }
      return out;
    };
    const answer = refs(msg.answer);
    const authority = refs(msg.authority);
    if (answer === null || authority === null) return 'missing-rrset';
    if (ttl <= 0) return 'zero-ttl';
    const expiresAtSec = now + ttl;
    const stale = this.#limits.serveStale && msg.outcome?.security !== 'bogus' ? this.#limits.maxStaleSec : 0;
    const ede = msg.ede === undefined || msg.ede.length === 0 ? NO_EDE : [...msg.ede];
    const staleUntilSec = expiresAtSec + stale;
    // Two literals, not `{ ...base, outcome }`: a spread copy got its own hidden class per entry
    // (a Map, descriptors and property array, ~300 B each; bench/memory.ts).
    const entry: MessageEntry = msg.outcome === undefined
      ? { rcode: msg.rcode, answer, authority, ede, expiresAtSec, staleUntilSec }
      : { rcode: msg.rcode, answer, authority, ede, expiresAtSec, staleUntilSec, outcome: this.#compact(msg.outcome) };
    let size = ENTRY_OVERHEAD_BYTES + key.name.wire.length + 4 * entry.ede.length;
    for (const r of [...answer, ...authority]) size += 32 + r.name.wire.length;
    return this.#lru.set(messageKey(key), entry, size, expiresAtSec * 1000) ? 'stored' : 'too-big';
  }

  /**
   * Reassembles a cached reply. Misses (and forgets the message) when any referenced RRset is gone
   * from the RRset cache or is now weaker in rank or security than when the message was stored —
   * the reply would otherwise be served with data of less credibility than its Outcome claims.
   * With `stale`, an expired message and expired RRsets inside the RFC 8767 window are used.
   */
  get(key: MessageKey, opts: { stale?: boolean } = {}): CachedMessage | undefined {
    const k = messageKey(key);
    const now = this.#clock.nowSec();
    let entry = this.#lru.get(k);
    let stale = false;
    if (entry === undefined) {
      if (opts.stale !== true) return undefined;
      const s = this.#lru.getStale(k)?.value;
      if (s === undefined || now >= s.staleUntilSec) return undefined;
      entry = s;
      stale = true;
    }
    let ttlSec = stale ? this.#limits.staleReplyTtlSec : entry.expiresAtSec - now;
    const resolve = (refs: readonly RRsetRef[]): CachedRRset[] | null => {
      const out: CachedRRset[] = [];
      for (const ref of refs) {
        const hit = this.#rrsets.get(ref.name, ref.type, ref.class, { stale: opts.stale === true });
        if (hit === undefined || isWeaker(hit.entry, ref)) return null;
        if (hit.stale) stale = true;
        ttlSec = Math.min(ttlSec, hit.ttlSec);
        out.push(hit);
      }
      return out;
    };
    const answer = resolve(entry.answer);
    const authority = resolve(entry.authority);
    if (answer === null || authority === null) {
      this.#lru.delete(k);
      return undefined;
    }
    if (stale) ttlSec = Math.min(ttlSec, this.#limits.staleReplyTtlSec);
    return entry.outcome === undefined
      ? { rcode: entry.rcode, answer, authority, ede: entry.ede, ttlSec, stale }
      : { rcode: entry.rcode, answer, authority, ede: entry.ede, ttlSec, stale, outcome: entry.outcome };
  }

  /**
   * The Outcome as stored: a secure one's signer string interned. The validator builds them per answer from
   * Name.toText() (a tree of cons strings, ~250 B), yet a cache holds thousands of answers signed by
   * a few zones (bench/memory.ts).
   */
  #compact(o: Outcome): Outcome {
    if (o.security === 'secure') {
      const signer = this.#intern(o.signer);
      return o.ttlCapSec === undefined ? { security: o.security, signer } : { security: o.security, signer, ttlCapSec: o.ttlCapSec };
    }
    return o; // not secure: rarer, and a Reason's optional fields would need a spread copy
  }

  #intern(text: string): string {
    const known = this.#strings.get(text);
    if (known !== undefined) return known;
    if (this.#strings.size >= INTERNED_STRINGS_MAX) this.#strings.clear();
    // `text | 0`-style flattening is not portable; a round trip through a Buffer yields one flat string.
    const flat = Buffer.from(text, 'utf8').toString('utf8');
    this.#strings.set(flat, flat);
    return flat;
  }

  /** The stored entry without reassembly or recency change. */
  peek(key: MessageKey): MessageEntry | undefined {
    return this.#lru.peek(messageKey(key))?.value;
  }

  delete(key: MessageKey): boolean {
    return this.#lru.delete(messageKey(key));
  }

  prune(): number {
    return this.#lru.prune();
  }

  clear(): void {
    this.#lru.clear();
    this.#strings.clear();
  }
}


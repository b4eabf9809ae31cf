// lru.ts — a least-recently-used map bounded in BYTES, with an absolute expiry per entry.
// O(1) get/set/delete: a JS Map keeps insertion order, so "touch" is delete + re-insert and the
// oldest entry is the first key. Sizes are given by the caller (it knows its own data).
// Expired entries may be retained for a window so RFC 8767 serve-stale can still read them.
import type { Clock } from './clock.js';
import { InvalidArgumentError } from './errors.js';

/** Why an entry left the cache. */
export type EvictReason = 'capacity' | 'expired' | 'deleted' | 'replaced' | 'cleared';

/** Options of an LruCache. */
export interface LruOptions<K, V> {
  /** Upper bound of the sum of entry sizes. */
  maxBytes: number;
  clock: Clock;
  /** Keep entries this long past expiry for getStale() (RFC 8767); default 0. */
  staleRetainMs?: number;
  /** Called after an entry is removed for any reason. */
  onEvict?: (key: K, value: V, reason: EvictReason) => void;
}

/** A cached entry as seen by peek/getStale. */
export interface LruEntry<V> {
  readonly value: V;
  readonly sizeBytes: number;
  readonly expiresAtMs: number;
}

/** Byte-bounded LRU cache with absolute expiry. */
export class LruCache<K, V> {
  readonly maxBytes: number;
  #map = new Map<K, LruEntry<V>>();
  #bytes = 0;
  #clock: Clock;
  #staleRetainMs: number;
  #onEvict: ((key: K, value: V, reason: EvictReason) => void) | undefined;

  constructor(options: LruOptions<K, V>) {
    if (!(options.maxBytes >= 0)) throw new InvalidArgumentError('LruCache: maxBytes must be ≥ 0');
    this.maxBytes = options.maxBytes;
    this.#clock = options.clock;
    this.#staleRetainMs = options.staleRetainMs ?? 0;
    this.#onEvict = options.onEvict;
  }

  /** Number of entries (expired ones not yet collected included). */
  get size(): number {
    return this.#map.size;
  }

  /** Sum of entry sizes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Fresh value for `key`, marking it most recently used; undefined when absent or expired. */
  get(key: K): V | undefined {
    const e = this.#map.get(key);
    if (e === undefined) return undefined;
    const now = this.#clock.nowMs();
    if (now >= e.expiresAtMs) {
      if (now >= e.expiresAtMs + this.#staleRetainMs) this.#remove(key, e, 'expired');
      return undefined;
    }
    this.#map.delete(key);
    this.#map.set(key, e);
    return e.value;
  }

  /** The entry even if expired but within the stale window; does not change recency. */
  getStale(key: K): LruEntry<V> | undefined {
    const e = this.#map.get(key);
    if (e === undefined) return undefined;
    if (this.#clock.nowMs() >= e.expiresAtMs + this.#staleRetainMs) {
      this.#remove(key, e, 'expired');
      return undefined;
    }
    return e;
  }

  /** The entry without touching recency or expiry handling. */
  peek(key: K): LruEntry<V> | undefined {
    return this.#map.get(key);
  }

  /** True when a fresh entry exists (does not change recency). */
  has(key: K): boolean {
    const e = this.#map.get(key);
    return e !== undefined && this.#clock.nowMs() < e.expiresAtMs;
  }

  /**
   * Insert or replace. Returns false (and stores nothing) when the entry alone exceeds maxBytes.
   * Evicts least recently used entries until the new one fits.
   */
  set(key: K, value: V, sizeBytes: number, expiresAtMs: number): boolean {
    if (!Number.isFinite(sizeBytes) || sizeBytes < 0) {
      throw new InvalidArgumentError(`LruCache.set: bad sizeBytes ${sizeBytes}`);
    }
    const old = this.#map.get(key);
    if (old !== undefined) this.#remove(key, old, 'replaced');
    if (sizeBytes > this.maxBytes) return false;
    while (this.#bytes + sizeBytes > this.maxBytes) {
      const first = this.#map.entries().next();
      if (first.done === true) break;
      this.#remove(first.value[0], first.value[1], 'capacity');
    }
    this.#map.set(key, { value, sizeBytes, expiresAtMs });
    this.#bytes += sizeBytes;
    return true;
  }

  /** Remove `key`; true when it was present. */
  delete(key: K): boolean {
    const e = this.#map.get(key);
    if (e === undefined) return false;
    this.#remove(key, e, 'deleted');
    return true;
  }

  /** Drop every entry past its stale window; returns how many were removed. */
  prune(): number {
    const limit = this.#clock.nowMs() - this.#staleRetainMs;
    let n = 0;
    for (const [k, e] of this.#map) {
      if (e.expiresAtMs <= limit) {
        this.#remove(k, e, 'expired');
        n++;
      }
    }
    return n;
  }

  /** Remove everything. */
  clear(): void {
    for (const [k, e] of this.#map) this.#remove(k, e, 'cleared');
  }

  /** Keys from least to most recently used. */
  keys(): IterableIterator<K> {
    return this.#map.keys();
  }

  #remove(key: K, e: LruEntry<V>, reason: EvictReason): void {
    this.#map.delete(key);
    this.#bytes -= e.sizeBytes;
    this.#onEvict?.(key, e.value, reason);
  }
}

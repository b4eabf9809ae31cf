// key-cache.ts — KeyEntry cache by lower-cased zone name (Unbound key cache): secure keys until
// their TTL, insecure proofs likewise, bogus entries for BOGUS_TTL_SEC (RFC 4035 §4.7) so one broken
// zone cannot cause re-validation storms. Indeterminate entries are not stored. Oldest-first eviction.
import type { Name } from '../wire/name.js';
import type { KeyEntry } from './key-entry.js';
import { KEY_CACHE_MAX_ENTRIES } from './limits.js';

export class KeyCache {
  readonly #map = new Map<string, KeyEntry>();
  readonly #max: number;

  constructor(maxEntries = KEY_CACHE_MAX_ENTRIES) {
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  /** The unexpired entry for `zone` at `nowSec`, or undefined. */
  get(zone: Name, nowSec: number): KeyEntry | undefined {
    const k = zone.key();
    const e = this.#map.get(k);
    if (e === undefined) return undefined;
    if (nowSec >= e.expiresSec) {
      this.#map.delete(k);
      return undefined;
    }
    return e;
  }

  /** Stores an entry (indeterminate ones are ignored: a fetch failure is retried next time). */
  set(entry: KeyEntry): void {
    if (entry.kind === 'indeterminate') return;
    const k = entry.zone.key();
    this.#map.delete(k);
    this.#map.set(k, entry);
    while (this.#map.size > this.#max) {
      const first = this.#map.keys().next();
      if (first.done === true) break;
      this.#map.delete(first.value);
    }
  }

  clear(): void {
    this.#map.clear();
  }
}
